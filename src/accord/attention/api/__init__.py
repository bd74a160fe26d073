"""The attention API endpoints."""

from __future__ import annotations

from typing import Any


def routes() -> list[tuple[str, Any, str]]:
    """(prefix, viewset, basename) of every attention endpoint."""
    from accord.attention.api.views import ROUTES

    return ROUTES
