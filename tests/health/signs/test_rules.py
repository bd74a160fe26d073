"""Each warning-sign rule, with values computed by hand at the thresholds."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest
from django.utils import timezone

from accord.core.choices import Side, Visibility
from accord.core.testing import health_factories as hf
from accord.core.testing.factories import NoteFactory
from accord.core.testing.performance_factories import (
    ContractFactory,
    PeriodResultFactory,
    ScorecardRunFactory,
    ServiceLevelFactory,
)
from accord.health.models import SignCode, SignState
from accord.health.signs import evaluate_signs
from accord.notes.models import Note
from tests.health.signs.conftest import OCT, Pair, reading

D = decimal.Decimal


def evaluate(pair: Pair, month: dt.date = OCT) -> None:
    evaluate_signs(pair.relationship, [month])


# --------------------------------------------------------------------------- 1 customer


def _customer_level(pair: Pair, values: dict[str, float], direction: str = "higher") -> Any:
    contract = ContractFactory(relationship=pair.relationship)
    run = ScorecardRunFactory(contract=contract)
    level = ServiceLevelFactory(
        contract=contract, code="CSAT", name="Member satisfaction", focus="customer",
        direction=direction,
    )  # fmt: skip
    for period, value in values.items():
        year, month = map(int, period.split("-"))
        PeriodResultFactory(
            run=run, service_level=level, period=period, value=value,
            period_start=dt.date(year, month, 1), period_end=dt.date(year, month, 28),
        )  # fmt: skip
    return run, level


@pytest.mark.parametrize(
    ("last", "value", "state"),
    [(89.1, "1.00", SignState.CLEAR), (87.3, "3.00", SignState.WATCH),
     (82.8, "8.00", SignState.TRIGGERED)],
)  # fmt: skip
def test_customer_satisfaction_fall_over_the_window(
    pair: Pair, last: float, value: str, state: str
) -> None:
    # (90 - last) / 90 × 100: 1 % clear, 3 % watch (at 3), 8 % triggered (at 8).
    _customer_level(pair, {"2026-07": 50.0, "2026-08": 90.0, "2026-09": 88.0, "2026-10": last})
    evaluate(pair)
    got = reading(pair.relationship, SignCode.CUSTOMER_SATISFACTION)
    assert (got.value, got.state) == (D(value), state)
    assert got.evidence[0]["label"] == "CSAT Member satisfaction"


def test_customer_satisfaction_lower_is_better_and_breakdowns_ignored(pair: Pair) -> None:
    run, level = _customer_level(pair, {"2026-08": 10.0, "2026-10": 10.8}, direction="lower")
    PeriodResultFactory(
        run=run, service_level=level, period="2026-10", value=1.0, breakdown={"queue": "a"},
        period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31),
    )  # fmt: skip
    evaluate(pair)
    got = reading(pair.relationship, SignCode.CUSTOMER_SATISFACTION)
    assert (got.value, got.state) == (D("8.00"), SignState.TRIGGERED)  # (10.8 - 10) / 10


def test_customer_satisfaction_without_results_is_no_data(pair: Pair) -> None:
    _customer_level(pair, {"2026-10": 80.0})  # one month: nothing to compare
    evaluate(pair)
    assert reading(pair.relationship, SignCode.CUSTOMER_SATISFACTION).state == SignState.NO_DATA


# --------------------------------------------------------------------------- 2 attrition


@pytest.mark.parametrize(
    ("gone", "value", "state"),
    [(6, "30.00", SignState.CLEAR), (7, "35.00", SignState.WATCH),
     (10, "50.00", SignState.TRIGGERED)],
)  # fmt: skip
def test_attrition_annualised(pair: Pair, gone: int, value: str, state: str) -> None:
    # Headcount 80 for 3 months: gone / 80 × 12 / 3 × 100 = gone × 5.
    for month in (8, 9, 10):
        leavers = gone - 1 if month == 10 else 0
        moved = 1 if month == 10 else 0
        hf.WorkforceMonthFactory(
            relationship=pair.relationship, month=dt.date(2026, month, 1), headcount=80,
            leavers=leavers, moved_out=moved,
        )  # fmt: skip
    hf.WorkforceMonthFactory(  # outside the window: not counted
        relationship=pair.relationship, month=dt.date(2026, 7, 1), headcount=80, leavers=40
    )
    evaluate(pair)
    got = reading(pair.relationship, SignCode.ATTRITION)
    assert (got.value, got.state) == (D(value), state)
    assert [row["label"] for row in got.evidence] == ["2026-08", "2026-09", "2026-10"]


def test_attrition_without_figures_is_no_data(pair: Pair) -> None:
    evaluate(pair)
    assert reading(pair.relationship, SignCode.ATTRITION).state == SignState.NO_DATA


# --------------------------------------------------------------------------- 3 savings only


@pytest.mark.parametrize(
    ("focuses", "value", "state"),
    [(["efficiency", "customer"], "50.00", SignState.CLEAR),
     (["efficiency"] * 3 + ["quality"], "75.00", SignState.WATCH),
     (["efficiency"] * 2, "100.00", SignState.TRIGGERED)],
)  # fmt: skip
def test_savings_only_share_of_efficiency_levels(
    pair: Pair, focuses: list[str], value: str, state: str
) -> None:
    contract = ContractFactory(relationship=pair.relationship)
    for focus in focuses:
        ServiceLevelFactory(contract=contract, focus=focus)
    ServiceLevelFactory(contract=contract, focus="customer", retired=True)  # not counted
    evaluate(pair)
    got = reading(pair.relationship, SignCode.SAVINGS_ONLY)
    assert (got.value, got.state) == (D(value), state)
    assert "no plan" in got.summary


def test_savings_only_without_levels_is_no_data(pair: Pair) -> None:
    ContractFactory(relationship=pair.relationship)
    evaluate(pair)
    assert reading(pair.relationship, SignCode.SAVINGS_ONLY).state == SignState.NO_DATA


# --------------------------------------------------------------------------- 4 growth intent


@pytest.mark.parametrize(
    ("proposed", "value", "state"),
    [(dt.date(2026, 9, 30), "1.00", SignState.CLEAR),
     (dt.date(2026, 6, 15), "4.00", SignState.WATCH),
     (dt.date(2026, 4, 30), "6.00", SignState.TRIGGERED)],
)  # fmt: skip
def test_no_growth_intent_months_since_provider_proposal(
    pair: Pair, proposed: dt.date, value: str, state: str
) -> None:
    hf.ImprovementProposalFactory(
        relationship=pair.relationship, originated_by=Side.PROVIDER, proposed_on=proposed
    )
    hf.ImprovementProposalFactory(  # the buyer's ideas are not the provider's intent
        relationship=pair.relationship, originated_by=Side.BUYER, proposed_on=dt.date(2026, 10, 2)
    )
    hf.ImprovementProposalFactory(  # after the month's end: not yet
        relationship=pair.relationship,
        originated_by=Side.PROVIDER,
        proposed_on=dt.date(2026, 11, 1),
    )
    evaluate(pair)
    got = reading(pair.relationship, SignCode.NO_GROWTH_INTENT)
    assert (got.value, got.state) == (D(value), state)


def test_no_growth_intent_without_proposals_counts_from_the_start(pair: Pair) -> None:
    evaluate(pair)
    got = reading(pair.relationship, SignCode.NO_GROWTH_INTENT)
    assert (got.value, got.state) == (D(21), SignState.TRIGGERED)  # 2025-01 to 2026-10


# --------------------------------------------------------------------------- 5 meetings


@pytest.mark.parametrize(
    ("minutes", "value", "state"),
    [(60, "0.00", SignState.CLEAR), (75, "25.00", SignState.WATCH),
     (90, "50.00", SignState.TRIGGERED)],
)  # fmt: skip
def test_too_many_meetings_against_the_months_before(
    pair: Pair, minutes: int, value: str, state: str
) -> None:
    # July to September: 60 min × 10 people = 10 person-hours a month.
    for month in (7, 8, 9):
        hf.MeetingLogFactory(
            relationship=pair.relationship, held_on=dt.date(2026, month, 10),
            duration_minutes=60, attendees=10,
        )  # fmt: skip
    hf.MeetingLogFactory(
        relationship=pair.relationship, held_on=dt.date(2026, 10, 10),
        duration_minutes=minutes, attendees=10,
    )  # fmt: skip
    evaluate(pair)
    got = reading(pair.relationship, SignCode.TOO_MANY_MEETINGS)
    assert (got.value, got.state) == (D(value), state)


def test_too_many_meetings_without_earlier_meetings_is_no_data(pair: Pair) -> None:
    hf.MeetingLogFactory(relationship=pair.relationship, held_on=dt.date(2026, 10, 10))
    evaluate(pair)
    assert reading(pair.relationship, SignCode.TOO_MANY_MEETINGS).state == SignState.NO_DATA


# --------------------------------------------------------------------------- 6 push-back


def tagged_note(
    pair: Pair, day: dt.date, visibility: str = Visibility.JOINT, tag: bool = True
) -> Note:
    note = NoteFactory(
        relationship=pair.relationship, visibility=visibility, contractual_dispute=tag,
        title=f"Outside the contract {day}",
    )  # fmt: skip
    when = dt.datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone())
    Note.objects.filter(pk=note.pk).update(created_at=when)
    return note


@pytest.mark.parametrize(
    ("count", "state"), [(1, SignState.CLEAR), (2, SignState.WATCH), (4, SignState.TRIGGERED)]
)
def test_contract_pushback_counts_joint_tagged_notes(pair: Pair, count: int, state: str) -> None:
    for index in range(count):
        tagged_note(pair, dt.date(2026, 8 + index % 3, 5))
    tagged_note(pair, dt.date(2026, 7, 20))  # before the window (Aug-Oct)
    tagged_note(pair, dt.date(2026, 10, 6), tag=False)  # not tagged
    evaluate(pair)
    got = reading(pair.relationship, SignCode.CONTRACT_PUSHBACK)
    assert (got.value, got.state) == (D(count), state)
    assert len(got.evidence) == count


def test_contract_pushback_ignores_private_notes(pair: Pair) -> None:
    tagged_note(pair, dt.date(2026, 10, 1), visibility=Visibility.BUYER)
    tagged_note(pair, dt.date(2026, 10, 2), visibility=Visibility.PROVIDER)
    tagged_note(pair, dt.date(2026, 10, 3), visibility=Visibility.PROVIDER)
    evaluate(pair)
    got = reading(pair.relationship, SignCode.CONTRACT_PUSHBACK)
    assert (got.value, got.state, got.evidence) == (D(0), SignState.CLEAR, [])
    assert "Outside" not in got.summary


# --------------------------------------------------------------------------- 7 executives


def test_missing_executives_watch_when_both_last_seen_two_months_ago(pair: Pair) -> None:
    hf.MeetingLogFactory(
        relationship=pair.relationship, held_on=dt.date(2026, 8, 10),
        buyer_executive_present=True, provider_executive_present=True,
    )  # fmt: skip
    hf.MeetingLogFactory(relationship=pair.relationship, held_on=dt.date(2026, 10, 10))
    evaluate(pair)
    got = reading(pair.relationship, SignCode.MISSING_EXECUTIVES)
    assert (got.value, got.state) == (D(2), SignState.WATCH)


def test_missing_executives_takes_the_worse_side(pair: Pair) -> None:
    hf.MeetingLogFactory(
        relationship=pair.relationship, held_on=dt.date(2026, 7, 1), provider_executive_present=True
    )
    hf.MeetingLogFactory(
        relationship=pair.relationship, held_on=dt.date(2026, 10, 1), buyer_executive_present=True
    )
    evaluate(pair)
    got = reading(pair.relationship, SignCode.MISSING_EXECUTIVES)
    assert (got.value, got.state) == (D(3), SignState.TRIGGERED)
    assert "provider" in got.summary


def test_missing_executives_clear_and_no_data(pair: Pair) -> None:
    evaluate(pair)
    assert reading(pair.relationship, SignCode.MISSING_EXECUTIVES).state == SignState.NO_DATA
    hf.MeetingLogFactory(
        relationship=pair.relationship, held_on=dt.date(2026, 9, 3),
        buyer_executive_present=True, provider_executive_present=True,
    )  # fmt: skip
    evaluate(pair)
    got = reading(pair.relationship, SignCode.MISSING_EXECUTIVES)
    assert (got.value, got.state) == (D(1), SignState.CLEAR)


# --------------------------------------------------------------------------- 8 finances


@pytest.mark.parametrize(
    ("latest", "value", "state"),
    [("8.00", "0.50", SignState.CLEAR), ("7.50", "1.00", SignState.WATCH),
     ("5.50", "3.00", SignState.TRIGGERED)],
)  # fmt: skip
def test_financial_erosion_margin_fall(pair: Pair, latest: str, value: str, state: str) -> None:
    hf.FinancialIndicatorFactory(
        relationship=pair.relationship, period_end=dt.date(2025, 12, 31),
        operating_margin=D("8.50"), revenue=D("200.00"),
    )  # fmt: skip
    hf.FinancialIndicatorFactory(
        relationship=pair.relationship, period_end=dt.date(2026, 6, 30),
        operating_margin=D(latest), revenue=D("190.00"),
    )  # fmt: skip
    hf.FinancialIndicatorFactory(  # ends after October: not yet known
        relationship=pair.relationship, period_end=dt.date(2026, 12, 31), operating_margin=D(0)
    )
    evaluate(pair)
    got = reading(pair.relationship, SignCode.FINANCIAL_EROSION)
    assert (got.value, got.state, got.visibility) == (D(value), state, Visibility.BUYER)
    assert {"label": "Revenue change", "value": "-5% (200 → 190)", "url": ""} in got.evidence


def test_financial_erosion_needs_two_periods(pair: Pair) -> None:
    hf.FinancialIndicatorFactory(relationship=pair.relationship, period_end=dt.date(2026, 6, 30))
    evaluate(pair)
    assert reading(pair.relationship, SignCode.FINANCIAL_EROSION).state == SignState.NO_DATA


def test_every_sign_gets_one_reading_a_month_and_reruns_update_in_place(pair: Pair) -> None:
    months = [dt.date(2026, 9, 1), OCT]
    evaluate_signs(pair.relationship, months)
    evaluate_signs(pair.relationship, months)
    from accord.health.models import SignReading

    assert SignReading.objects.filter(relationship=pair.relationship).count() == 16
