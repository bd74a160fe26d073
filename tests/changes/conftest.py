"""Fixtures: a relationship with its contract, schedule, scope register and people."""

from __future__ import annotations

import pytest

from tests.changes.scenario import MINISTRY_TERMS, Scenario, build_scenario


@pytest.fixture
def scenario(db: None) -> Scenario:
    return build_scenario()


@pytest.fixture
def ministry(db: None) -> Scenario:
    """The same, with the commercial terms the ministry example schedule states."""
    return build_scenario(MINISTRY_TERMS)
