"""Fixtures: the planning scenario, on a day of its plan's year."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.planning.scenario import Scenario, build_scenario


@pytest.fixture(autouse=True)
def in_the_plan_s_year(time_machine: Any) -> None:
    """The scenario's plan is for 2026 and "this year's plan" is a matter of today's date:
    every planning test runs on the day these tests were written, whatever the calendar says."""
    time_machine.move_to(dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC))


@pytest.fixture
def scenario(db: None) -> Scenario:
    return build_scenario()
