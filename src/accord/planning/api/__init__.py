"""The planning API endpoints."""

from __future__ import annotations

from typing import Any


def routes() -> list[tuple[str, Any, str]]:
    """(prefix, viewset, basename) of every planning endpoint."""
    from accord.planning.api.views import ROUTES

    return list(ROUTES)
