"""The governance API endpoints."""

from __future__ import annotations

from typing import Any


def routes() -> list[tuple[str, Any, str]]:
    """(prefix, viewset, basename) of every governance endpoint."""
    from accord.governance.api.views import ROUTES

    return ROUTES
