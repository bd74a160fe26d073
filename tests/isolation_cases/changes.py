"""Isolation matrix cases of changes (see tests/isolation_matrix.py)."""

from __future__ import annotations

from accord.core.testing.isolation import Case

CASES: list[Case] = []
