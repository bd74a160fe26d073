"""Fixtures of the index tests: inputs are built directly, and computed on demand."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def no_automatic_refresh(monkeypatch: Any) -> None:
    """Tests here build inputs row by row and call the computation themselves.

    A saved scorecard run or note would otherwise recompute the signs and the
    index at once (tasks run inline in tests), before the test's own rows exist.
    """
    monkeypatch.setattr("accord.health.refresh.refresh_later", lambda relationship_id: None)
