"""Health pages: signs (owned by the signs area)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
