"""Fixtures for the operational data tests: a relationship, its contract, schedule and source."""

from __future__ import annotations

import pytest

from accord.contracts.models import Contract
from accord.performance.models import DataSource, ScheduleVersion
from tests.performance_data.helpers import Setting, make_contract, make_schedule, make_setting


@pytest.fixture
def setting(db: None) -> Setting:
    return make_setting()


@pytest.fixture
def contract(setting: Setting) -> Contract:
    return make_contract(setting)


@pytest.fixture
def schedule(setting: Setting, contract: Contract) -> ScheduleVersion:
    return make_schedule(setting, contract)


@pytest.fixture
def tickets(schedule: ScheduleVersion) -> DataSource:
    """The ``tickets`` source the schedule declares (mirrored into a row by the service)."""
    return DataSource.objects.get(contract=schedule.contract, name="tickets")
