"""Scorecard runs, results and credits: read-only, the scorecard in force by default, CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import pytest

from accord.core.testing.performance_factories import (
    CreditLineFactory,
    CreditMonthFactory,
    PeriodResultFactory,
    ScorecardRunFactory,
)
from accord.performance.models import (
    CreditLine,
    CreditMonth,
    PeriodResult,
    ScorecardRun,
    ServiceLevel,
)
from tests.api.conftest import Estate, client_for, rows_of, url

pytestmark = pytest.mark.django_db


@dataclass
class Runs:
    old: ScorecardRun  # succeeded, superseded
    current: ScorecardRun  # the newest succeeded: the scorecard in force
    failed: ScorecardRun  # newer still, but failed: not the scorecard
    level: ServiceLevel


@pytest.fixture
def runs(estate: Estate) -> Runs:
    level = ServiceLevel.objects.get(contract=estate.contract, code="P1")

    def run(status: str) -> ScorecardRun:
        made: ScorecardRun = ScorecardRunFactory(
            contract=estate.contract, schedule_version=estate.schedule, status=status
        )
        return made

    old, current, failed = run("succeeded"), run("succeeded"), run("failed")
    for each in (old, current):
        for period, status in (("2026-01", "met"), ("2026-02", "missed_minimum")):
            PeriodResultFactory(
                run=each, service_level=level, period=period, status=status,
                period_start=f"{period}-01",
            )  # fmt: skip
        month = CreditMonthFactory(run=each, month="2026-02", month_start="2026-02-01")
        CreditLineFactory(credit_month=month, service_level=level)
    return Runs(old, current, failed, level)


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in rows_of(response)}


def test_results_show_the_scorecard_in_force_by_default(estate: Estate, runs: Runs) -> None:
    client = client_for(estate.buyer_viewer)
    current = set(PeriodResult.objects.filter(run=runs.current).values_list("pk", flat=True))
    old = set(PeriodResult.objects.filter(run=runs.old).values_list("pk", flat=True))
    assert ids(client.get(url("result-list"))) == current
    assert ids(client.get(url("result-list"), {"run": runs.old.pk})) == old
    assert ids(client.get(url("result-list"), {"run": runs.failed.pk})) == set()
    # An older run's result is still there to open.
    older = client.get(url("result-detail", min(old)))
    assert older.status_code == 200
    assert older.json()["run"] == runs.old.pk


def test_a_result_names_its_run_version_and_rule(estate: Estate, runs: Runs) -> None:
    rows = rows_of(
        client_for(estate.provider_manager).get(url("result-list"), {"period": "2026-02"})
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["run"] == runs.current.pk
    assert row["schedule_version"] == estate.schedule.pk
    assert row["contract"] == estate.contract.pk
    assert (row["service_level"], row["service_level_code"]) == (runs.level.pk, "P1")
    assert row["status"] == "missed_minimum"
    assert (row["value"], row["numerator"], row["denominator"]) == (93.5, 187, 200)
    assert row["rule"]


def test_results_filter(estate: Estate, runs: Runs) -> None:
    client = client_for(estate.buyer_viewer)
    met = client.get(url("result-list"), {"status": "met"})
    assert [row["period"] for row in rows_of(met)] == ["2026-01"]
    by_level = client.get(
        url("result-list"), {"service_level": runs.level.pk, "contract": estate.contract.pk}
    )
    assert len(rows_of(by_level)) == 2
    assert rows_of(client.get(url("result-list"), {"contract": estate.contract.pk + 1000})) == []
    since = client.get(url("result-list"), {"since": "2026-02-01"})
    assert [row["period"] for row in rows_of(since)] == ["2026-02"]


def test_credits_show_the_scorecard_in_force_by_default(estate: Estate, runs: Runs) -> None:
    client = client_for(estate.buyer_manager)
    months = client.get(url("credit-month-list"))
    assert [(row["run"], row["month"], row["net"], row["currency"]) for row in rows_of(months)] == [
        (runs.current.pk, "2026-02", "5000.00", "CAD")
    ]
    lines = rows_of(client.get(url("credit-line-list")))
    assert [(row["run"], row["service_level_code"], row["charged"]) for row in lines] == [
        (runs.current.pk, "P1", "5000.00")
    ]
    assert lines[0]["explanation"].startswith("P1 missed its minimum")
    old_lines = rows_of(client.get(url("credit-line-list"), {"run": runs.old.pk}))
    assert [row["run"] for row in old_lines] == [runs.old.pk]
    old_months = rows_of(client.get(url("credit-month-list"), {"run": runs.old.pk}))
    assert [row["run"] for row in old_months] == [runs.old.pk]
    assert rows_of(client.get(url("credit-line-list"), {"month": "2026-01"})) == []


def test_runs_are_listed_newest_first(estate: Estate, runs: Runs) -> None:
    rows = rows_of(client_for(estate.buyer_viewer).get(url("scorecard-run-list")))
    assert [row["id"] for row in rows] == [runs.failed.pk, runs.current.pk, runs.old.pk]
    succeeded = client_for(estate.buyer_viewer).get(
        url("scorecard-run-list"), {"status": "succeeded"}
    )
    assert ids(succeeded) == {runs.current.pk, runs.old.pk}


def test_results_as_csv(estate: Estate, runs: Runs) -> None:
    response = client_for(estate.buyer_viewer).get(url("result-list"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "scorecard-results.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(row["period"] for row in rows) == ["2026-01", "2026-02"]
    assert {row["run"] for row in rows} == {str(runs.current.pk)}
    assert rows[0]["service_level_code"] == "P1"


def test_credit_lines_as_csv_follow_the_filters(estate: Estate, runs: Runs) -> None:
    client = client_for(estate.buyer_viewer)
    response = client.get(url("credit-line-list"), {"format": "csv", "run": runs.old.pk})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["run"], row["amount"]) for row in rows] == [(str(runs.old.pk), "5000.00")]
    # Someone who sees none of it gets the header row alone.
    hidden = client_for(estate.outsider).get(url("credit-line-list"), {"format": "csv"})
    assert hidden.content.decode().splitlines() == [",".join(rows[0])]


def test_csv_export_is_not_paginated(estate: Estate, runs: Runs) -> None:
    month = CreditMonth.objects.get(run=runs.current)
    for _ in range(60):
        CreditLineFactory(credit_month=month, service_level=runs.level)
    client = client_for(estate.buyer_viewer)
    assert len(rows_of(client.get(url("credit-line-list")))) == 50  # one page
    exported = client.get(url("credit-line-list"), {"format": "csv"}).content.decode()
    assert len(list(csv.DictReader(io.StringIO(exported)))) == 61


def test_csv_cells_never_run_as_formulas(estate: Estate, runs: Runs) -> None:
    PeriodResult.objects.filter(run=runs.current).update(breakdown_label="=HYPERLINK(1)")
    CreditLine.objects.filter(credit_month__run=runs.current).update(amount="-12.50")
    results = client_for(estate.buyer_viewer).get(url("result-list"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(results.content.decode())))
    assert {row["breakdown_label"] for row in rows} == {"'=HYPERLINK(1)"}
    lines = client_for(estate.buyer_viewer).get(url("credit-line-list"), {"format": "csv"})
    assert next(csv.DictReader(io.StringIO(lines.content.decode())))["amount"] == "-12.50"


def test_computed_records_cannot_be_written(estate: Estate, runs: Runs) -> None:
    client = client_for(estate.buyer_manager)
    result = PeriodResult.objects.filter(run=runs.current).first()
    assert result is not None
    assert client.patch(url("result-detail", result.pk), {"status": "met"}).status_code == 405
    assert client.delete(url("scorecard-run-detail", runs.old.pk)).status_code == 405
    assert client.post(url("credit-line-list"), {}).status_code == 405


def test_scorecards_of_others_answer_404(estate: Estate, runs: Runs) -> None:
    client = client_for(estate.outsider)
    result = PeriodResult.objects.filter(run=runs.current).first()
    month = CreditMonth.objects.get(run=runs.current)
    assert result is not None
    assert client.get(url("result-detail", result.pk)).status_code == 404
    assert client.get(url("credit-month-detail", month.pk)).status_code == 404
    assert client.get(url("scorecard-run-detail", runs.current.pk)).status_code == 404
    assert rows_of(client.get(url("result-list"), {"run": runs.current.pk})) == []
