"""Health API: surveys."""

from __future__ import annotations

from typing import Any

# (prefix, viewset, basename) registered by accord.api_urls.
ROUTES: list[tuple[str, Any, str]] = []
