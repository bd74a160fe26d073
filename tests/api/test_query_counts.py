"""The contracts and performance endpoints cost the same queries whatever the data size."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.core.testing import performance_factories as pf
from accord.core.testing.world import World

LISTS = [
    ("api:contract-list", "a_manager"),
    ("api:scope-item-list", "a_manager"),
    ("api:schedule-version-list", "a_manager"),
    ("api:service-level-list", "a_manager"),
    ("api:data-source-list", "a_manager"),
    ("api:data-import-list", "a_manager"),
    ("api:scorecard-run-list", "a_manager"),
    ("api:result-list", "a_manager"),
    ("api:credit-month-list", "a_manager"),
    ("api:credit-line-list", "a_manager"),
    ("api:excusal-list", "a_manager"),
    ("api:forecast-list", "a_manager"),
    ("api:cost-note-list", "p_manager"),
]


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def grow(world: World, times: int) -> None:
    """More of every record on R1, all in its scorecard in force."""
    contract = world.record("contract", "R1.joint")
    run = world.record("run", "R1.joint")
    version = world.record("schedule_version", "R1.joint")
    source = world.record("data_source", "R1.joint")
    signer = world.people["p_exec"]
    for n in range(times):
        level = pf.ServiceLevelFactory(contract=contract, code=f"G{n}")
        pf.ScopeItemFactory(relationship=contract.relationship)
        pf.ScheduleVersionFactory(contract=contract, number=100 + n)
        pf.DataSourceFactory(contract=contract, name=f"grown_{n}")
        data_import = pf.DataImportFactory(source=source, created_by=signer)
        failed_run = pf.ScorecardRunFactory(
            contract=contract, schedule_version=version, status="failed"
        )
        failed_run.imports.add(data_import)
        run.imports.add(data_import)
        pf.PeriodResultFactory(run=run, service_level=level)
        month = pf.CreditMonthFactory(
            run=run, month=f"2027-{n % 12 + 1:02d}", month_start=datetime.date(2027, n % 12 + 1, 1)
        )
        pf.CreditLineFactory(credit_month=month, service_level=level)
        excusal = pf.ExcusalFactory(contract=contract, service_level=level, created_by=signer)
        pf.SignatureFactory(target=excusal, signer=signer)
        pf.CreditForecastFactory(contract=contract, created_by=world.people["a_manager"])
        pf.CostOfQualityNoteFactory(contract=contract, service_level=level, created_by=signer)


@pytest.mark.parametrize(("url_name", "persona"), LISTS, ids=[name for name, _ in LISTS])
def test_query_count_does_not_grow_with_the_data(world: World, url_name: str, persona: str) -> None:
    client = Client()
    client.force_login(world.people[persona])
    url = reverse(url_name)
    queries_for(client, url)  # warm the session and caches
    small = queries_for(client, url)
    grow(world, 12)
    large = queries_for(client, url)
    assert large == small, f"{url_name}: {small} queries with little data, {large} with more"
    assert small <= 12, f"{url_name} takes {small} queries"


@pytest.mark.parametrize("url_name", ["api:result-list", "api:credit-line-list"])
def test_csv_exports_are_bounded_too(world: World, url_name: str) -> None:
    client = Client()
    client.force_login(world.people["a_manager"])
    url = reverse(url_name) + "?format=csv"
    queries_for(client, url)
    small = queries_for(client, url)
    grow(world, 12)
    assert queries_for(client, url) == small
