"""Health API endpoints, one module per area."""

from __future__ import annotations

from typing import Any


def routes() -> list[tuple[str, Any, str]]:
    """(prefix, viewset, basename) of every health endpoint."""
    from accord.health.api import index, signs, surveys

    return [*surveys.ROUTES, *signs.ROUTES, *index.ROUTES]
