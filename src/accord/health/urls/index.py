"""Health pages: index (owned by the index area)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
