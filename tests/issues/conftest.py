"""Fixtures of the issues tests."""

from __future__ import annotations

import pytest

from tests.issues.scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db: None) -> Scenario:
    return build_scenario()
