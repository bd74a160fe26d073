"""The buyer's credit forecast and the provider's cost-of-quality notes, through their services."""

from __future__ import annotations

import datetime
import decimal

import pytest

from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.models import AuditEntry
from accord.core.selectors import get_for
from accord.core.testing.performance_factories import (
    ContractFactory,
    CreditLineFactory,
    CreditMonthFactory,
    ScorecardRunFactory,
    ServiceLevelFactory,
)
from accord.engine.credits import Allocation, CreditTerms, MissRule
from accord.performance.cost_notes import cost_note_create, cost_note_delete, cost_note_update
from accord.performance.excusals import excusal_request, excusal_sign
from accord.performance.forecasts import credit_forecast_create, credit_forecast_delete, project
from accord.performance.models import CostOfQualityNote, CreditForecast
from accord.performance.scorecards import latest_run
from tests.performance_excusals.scenario import Scenario

D = decimal.Decimal


def test_forecast_counts_reported_months_and_projects_the_rest(scenario: Scenario) -> None:
    buyer = scenario.people["b_manager"]
    forecast = credit_forecast_create(contract=scenario.contract, year=2026, actor=buyer)

    assert forecast.visibility == "buyer"
    assert forecast.based_on == latest_run(scenario.contract)
    months = [line["month"] for line in forecast.lines]
    assert months == [f"2026-{m:02d}" for m in range(1, 13)]
    actual = [line for line in forecast.lines if line["kind"] == "actual"]
    assert [(line["month"], line["amount"]) for line in actual] == [
        ("2026-01", "0.00"), ("2026-02", "5000.00"), ("2026-03", "0.00"),
    ]  # fmt: skip
    projected = [line for line in forecast.lines if line["kind"] == "projected"]
    # P1 was credited in one of the last three months: 1/3 × 50 % × 10,000.00 at risk.
    assert {(line["code"], line["amount"]) for line in projected} == {("P1", "1666.67")}
    assert len(projected) == 9
    assert forecast.total == D("5000.00") + 9 * D("1666.67")
    assert "last 3 reported months (2026-01, 2026-02, 2026-03)" in forecast.method
    assert "1/3 × 50% × 10,000.00 at risk" in projected[0]["basis"]


def test_an_excused_miss_is_not_projected(scenario: Scenario) -> None:
    people = scenario.people
    excusal = excusal_request(
        contract=scenario.contract,
        service_level=scenario.level("P1"),
        month="2026-02",
        reason="late data",
        actor=people["p_manager"],
    )
    excusal_sign(excusal=excusal, actor=people["b_manager"])
    forecast = credit_forecast_create(contract=scenario.contract, year=2026, actor=people["b_exec"])
    assert forecast.total == D("0.00")
    assert all(line["kind"] == "actual" for line in forecast.lines)


def test_a_later_year_is_all_projection(scenario: Scenario) -> None:
    forecast = credit_forecast_create(
        contract=scenario.contract, year=2027, actor=scenario.people["b_manager"], note="Budget"
    )
    assert len(forecast.lines) == 12
    assert {line["kind"] for line in forecast.lines} == {"projected"}
    assert forecast.note == "Budget"


def test_forecasts_are_the_buyers_alone(scenario: Scenario) -> None:
    people = scenario.people
    forecast = credit_forecast_create(
        contract=scenario.contract, year=2026, actor=people["b_contributor"]
    )
    for who in ("p_manager", "p_contributor", "p_viewer"):
        with pytest.raises(PermissionDenied):
            credit_forecast_create(contract=scenario.contract, year=2026, actor=people[who])
        assert not CreditForecast.objects.restrict(people[who]).exists()
        with pytest.raises(NotFound):
            get_for(people[who], CreditForecast, pk=forecast.pk)
        # Nor its audit trail.
        assert (
            not AuditEntry.objects.restrict(people[who])
            .filter(object_type="performance.creditforecast")
            .exists()
        )
    with pytest.raises(PermissionDenied):
        credit_forecast_create(contract=scenario.contract, year=2026, actor=people["b_viewer"])
    assert (
        AuditEntry.objects.restrict(people["b_viewer"])
        .filter(
            object_type="performance.creditforecast", object_id=str(forecast.pk), action="create"
        )
        .exists()
    )

    with pytest.raises(NotFound):
        credit_forecast_delete(forecast=forecast, actor=people["p_manager"])
    with pytest.raises(PermissionDenied):
        credit_forecast_delete(forecast=forecast, actor=people["b_contributor"])
    credit_forecast_delete(forecast=forecast, actor=people["b_manager"])
    assert not CreditForecast.objects.exists()


def test_forecast_years_are_checked(scenario: Scenario) -> None:
    buyer = scenario.people["b_manager"]
    for year in (2025, 2028, "soon"):
        with pytest.raises(ValidationError) as error:
            credit_forecast_create(contract=scenario.contract, year=year, actor=buyer)  # type: ignore[arg-type]
        assert "year" in error.value.message_dict


def test_no_scorecard_no_forecast(scenario: Scenario) -> None:
    from accord.performance.models import ScorecardRun

    ScorecardRun.objects.filter(contract=scenario.contract).update(status="failed")
    with pytest.raises(ValidationError, match="no scorecard"):
        credit_forecast_create(
            contract=scenario.contract, year=2026, actor=scenario.people["b_manager"]
        )


@pytest.mark.django_db
def test_projection_applies_the_monthly_cap() -> None:
    contract = ContractFactory(
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31)
    )
    run = ScorecardRunFactory(contract=contract)
    a = ServiceLevelFactory(contract=contract, code="A")
    b = ServiceLevelFactory(contract=contract, code="B")
    # Both levels were credited in each of the last three months (September to November).
    for number in (9, 10, 11):
        entry = CreditMonthFactory(
            run=run, month=f"2026-{number:02d}", month_start=datetime.date(2026, number, 1)
        )
        CreditLineFactory(credit_month=entry, service_level=a)
        CreditLineFactory(credit_month=entry, service_level=b)
    terms = CreditTerms(
        at_risk_percent=D("10"),
        pool_percent=D("200"),
        allocations=(Allocation("A", D("100")), Allocation("B", D("80"))),
        expected_miss_rule=MissRule(misses=2, months=6),
        monthly_fees=D("100000"),
    )
    projection = project(contract, 2026, run, terms)
    december = [line for line in projection.lines if line["month"] == "2026-12"]
    assert [(line["kind"], line["code"], line["amount"]) for line in december] == [
        ("projected", "A", "10000.00"),
        ("projected", "B", "8000.00"),
        ("cap", "", "-8000.00"),
    ]
    assert "cap" in projection.method


# --------------------------------------------------------------------------- cost notes


def test_cost_notes_are_the_providers_alone(scenario: Scenario) -> None:
    people = scenario.people
    note = cost_note_create(
        contract=scenario.contract,
        month="2026-02",
        service_level=scenario.level("P1"),
        title="Overtime to clear the February backlog",
        amount=D("4200.00"),
        body="Two weekend shifts.",
        actor=people["p_contributor"],
    )
    assert note.visibility == "provider"
    for who in ("b_exec", "b_manager", "b_viewer"):
        assert not CostOfQualityNote.objects.restrict(people[who]).exists()
        with pytest.raises(NotFound):
            get_for(people[who], CostOfQualityNote, pk=note.pk)
        with pytest.raises(NotFound):
            cost_note_update(note=note, title="Seen", actor=people[who])
        assert (
            not AuditEntry.objects.restrict(people[who])
            .filter(object_type="performance.costofqualitynote")
            .exists()
        )
    with pytest.raises(PermissionDenied):
        cost_note_create(
            contract=scenario.contract, month="2026-02", title="x", actor=people["b_manager"]
        )
    with pytest.raises(PermissionDenied):
        cost_note_create(
            contract=scenario.contract, month="2026-02", title="x", actor=people["p_viewer"]
        )
    assert CostOfQualityNote.objects.restrict(people["p_viewer"]).get() == note


def test_cost_note_edit_and_delete(scenario: Scenario) -> None:
    people = scenario.people
    note = cost_note_create(
        contract=scenario.contract, month="2026-02", title="Rework", actor=people["p_manager"]
    )
    assert note.service_level is None
    assert note.amount is None
    note = cost_note_update(
        note=note, amount="310.50", service_level=scenario.level("P2"), actor=people["p_manager"]
    )
    note.refresh_from_db()
    assert (note.amount, note.service_level.code) == (D("310.50"), "P2")
    entries = AuditEntry.objects.filter(
        object_type="performance.costofqualitynote", object_id=str(note.pk)
    ).order_by("seq")
    assert [e.action for e in entries] == ["create", "update"]
    assert {e.visibility for e in entries} == {"provider"}

    for bad, field in [
        ({"month": "February"}, "month"),
        ({"amount": "-1"}, "amount"),
        ({"service_level": ServiceLevelFactory(contract=ContractFactory())}, "service_level"),
        ({"title": "  "}, "title"),
    ]:
        with pytest.raises(ValidationError) as error:
            cost_note_update(note=note, actor=people["p_manager"], **bad)
        assert field in error.value.message_dict, bad
    with pytest.raises(ValidationError):
        cost_note_update(note=note, visibility="joint", actor=people["p_manager"])

    with pytest.raises(PermissionDenied):
        cost_note_delete(note=note, actor=people["p_contributor"])
    cost_note_delete(note=note, actor=people["p_manager"])
    assert not CostOfQualityNote.objects.exists()
