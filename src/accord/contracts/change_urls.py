"""Pages of change requests and scope questions."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
