"""Fixtures: the planning scenario."""

from __future__ import annotations

import pytest

from tests.planning.scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db: None) -> Scenario:
    return build_scenario()
