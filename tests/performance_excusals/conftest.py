"""Fixtures: a real contract whose February misses its minimum, and its people."""

from __future__ import annotations

import pytest

from tests.performance_excusals.scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db: None) -> Scenario:
    return build_scenario()
