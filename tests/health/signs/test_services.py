"""The input services: who writes what, originated_by, thresholds and level focus."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.testing import health_factories as hf
from accord.core.testing.performance_factories import ContractFactory, ServiceLevelFactory
from accord.health import inputs
from accord.health.models import SignCode, SignState, SignThreshold, WorkforceMonth
from accord.health.signs import evaluate_signs
from tests.health.signs.conftest import OCT, Pair, reading

D = decimal.Decimal


def test_only_the_provider_records_workforce(pair: Pair) -> None:
    with pytest.raises(PermissionDenied):
        inputs.workforce_month_create(
            relationship=pair.relationship, actor=pair.buyer, month="2026-10", headcount=10
        )
    row = inputs.workforce_month_create(
        relationship=pair.relationship, actor=pair.provider, month="2026-10", headcount=10,
        leavers=2,
    )  # fmt: skip
    assert (row.month, row.headcount, row.leavers) == (dt.date(2026, 10, 1), 10, 2)
    with pytest.raises(PermissionDenied):
        inputs.workforce_month_update(row=row, actor=pair.buyer, headcount=11)
    with pytest.raises(ValidationError) as error:
        inputs.workforce_month_create(
            relationship=pair.relationship, actor=pair.provider, month="2026-10", headcount=9
        )
    assert "month" in error.value.message_dict


def test_a_bad_month_names_the_field(pair: Pair) -> None:
    with pytest.raises(ValidationError) as error:
        inputs.workforce_month_create(
            relationship=pair.relationship, actor=pair.provider, month="Oct 2026", headcount=9
        )
    assert error.value.message_dict == {"month": ["Give the month as YYYY-MM, e.g. 2026-03."]}
    assert not WorkforceMonth.objects.exists()


def test_proposal_originates_from_the_actors_side(pair: Pair) -> None:
    mine = inputs.proposal_create(
        relationship=pair.relationship, actor=pair.provider, title="Chat bot",
        proposed_on=dt.date(2026, 10, 1),
    )  # fmt: skip
    theirs = inputs.proposal_create(
        relationship=pair.relationship, actor=pair.buyer, title="Shared KPIs",
        proposed_on=dt.date(2026, 10, 1),
    )  # fmt: skip
    assert (mine.originated_by, theirs.originated_by) == ("provider", "buyer")
    with pytest.raises(ValidationError):
        inputs.proposal_create(
            relationship=pair.relationship, actor=pair.buyer, title="x",
            proposed_on=dt.date(2026, 10, 1), originated_by="provider",
        )  # fmt: skip


def test_financial_indicators_do_not_exist_for_the_provider(pair: Pair) -> None:
    with pytest.raises(NotFound):
        inputs.financial_indicator_create(
            relationship=pair.relationship, actor=pair.provider, period_end=dt.date(2026, 6, 30)
        )
    indicator = inputs.financial_indicator_create(
        relationship=pair.relationship, actor=pair.buyer, period_end=dt.date(2026, 6, 30),
        operating_margin=D("4.2"),
    )  # fmt: skip
    assert indicator.visibility == "buyer"
    with pytest.raises(NotFound):
        inputs.financial_indicator_update(indicator=indicator, actor=pair.provider, note="x")


def test_tuning_changes_the_state_and_reset_restores_defaults(pair: Pair) -> None:
    hf.WorkforceMonthFactory(
        relationship=pair.relationship, month=OCT, headcount=100, leavers=3, moved_out=0
    )  # window 3, one month of figures: 3 / 100 × 12 × 100 = 36 % a year
    evaluate_signs(pair.relationship, [OCT])
    assert reading(pair.relationship, SignCode.ATTRITION).state == SignState.WATCH
    threshold = inputs.sign_threshold_set(
        relationship=pair.relationship, sign=SignCode.ATTRITION, actor=pair.provider,
        watch_at="20", trigger_at="30", window_months=3,
    )  # fmt: skip
    evaluate_signs(pair.relationship, [OCT])
    assert reading(pair.relationship, SignCode.ATTRITION).state == SignState.TRIGGERED
    inputs.sign_threshold_update(threshold=threshold, actor=pair.buyer, enabled=False)
    evaluate_signs(pair.relationship, [OCT])
    got = reading(pair.relationship, SignCode.ATTRITION)
    assert (got.state, got.value) == (SignState.NO_DATA, None)
    assert "switched off" in got.summary.lower()
    inputs.sign_threshold_reset(threshold=threshold, actor=pair.buyer)
    assert not SignThreshold.objects.exists()
    evaluate_signs(pair.relationship, [OCT])
    assert reading(pair.relationship, SignCode.ATTRITION).state == SignState.WATCH


def test_trigger_below_watch_is_refused(pair: Pair) -> None:
    with pytest.raises(ValidationError) as error:
        inputs.sign_threshold_set(
            relationship=pair.relationship, sign=SignCode.ATTRITION, actor=pair.buyer,
            watch_at="20", trigger_at="10", window_months=3,
        )  # fmt: skip
    assert "trigger_at" in error.value.message_dict


def test_the_financial_sign_is_tuned_by_the_buyer_only(pair: Pair) -> None:
    with pytest.raises(NotFound):
        inputs.sign_threshold_set(
            relationship=pair.relationship, sign=SignCode.FINANCIAL_EROSION,
            actor=pair.provider, watch_at="1", trigger_at="2", window_months=1,
        )  # fmt: skip
    row = inputs.sign_threshold_set(
        relationship=pair.relationship, sign=SignCode.FINANCIAL_EROSION, actor=pair.buyer,
        watch_at="1", trigger_at="2", window_months=1,
    )  # fmt: skip
    assert row.visibility == "buyer"


def test_level_focus_set_feeds_savings_only(pair: Pair) -> None:
    contract = ContractFactory(relationship=pair.relationship)
    level = ServiceLevelFactory(contract=contract, focus="customer")
    evaluate_signs(pair.relationship, [OCT])
    assert reading(pair.relationship, SignCode.SAVINGS_ONLY).value == D(0)
    inputs.level_focus_set(level=level, focus="efficiency", actor=pair.provider)
    evaluate_signs(pair.relationship, [OCT])
    got = reading(pair.relationship, SignCode.SAVINGS_ONLY)
    assert (got.value, got.state) == (D(100), SignState.TRIGGERED)
    with pytest.raises(ValidationError):
        inputs.level_focus_set(level=level, focus="nonsense", actor=pair.provider)
