"""Fixtures: the Harbourview Bank / Tidewater partnership (see scenario.py)."""

from __future__ import annotations

import pytest

from tests.governance.scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db: None) -> Scenario:
    return build_scenario()
