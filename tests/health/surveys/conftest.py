"""Fixtures of the survey tests."""

from __future__ import annotations

import pytest

from tests.health.surveys.scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db: None) -> Scenario:
    return build_scenario()
