"""The health index arithmetic, worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from accord.core.choices import Side
from accord.core.testing import health_factories as hf
from accord.core.testing import performance_factories as pf
from accord.core.testing.factories import RelationshipFactory
from accord.health.index import _split_cents, compute_index
from accord.health.models import HealthIndex, SignCode, SignState, Subject

pytestmark = pytest.mark.django_db

SEPT = dt.date(2026, 9, 1)


def _components(index: HealthIndex) -> dict[str, dict[str, Any]]:
    return {c["key"]: c for c in index.components}


def _service_levels(relationship: Any) -> None:
    """Critical levels in September: met, missed expected, missed minimum, no data, and a
    level measured by group (whole: met).

    Rows that must not count: a key measurement, a breakdown group, August, an older run.
    """
    contract = pf.ContractFactory(relationship=relationship)
    old = pf.ScorecardRunFactory(contract=contract)
    run = pf.ScorecardRunFactory(contract=contract)
    for status in ("met", "missed_expected", "missed_minimum", "no_data"):
        level = pf.ServiceLevelFactory(contract=contract)
        pf.PeriodResultFactory(run=run, service_level=level, period="2026-09", status=status)
        pf.PeriodResultFactory(run=old, service_level=level, period="2026-09", status="met")
        pf.PeriodResultFactory(run=run, service_level=level, period="2026-08", status="met")
    grouped = pf.ServiceLevelFactory(contract=contract)
    pf.PeriodResultFactory(run=run, service_level=grouped, period="2026-09", status="met")
    pf.PeriodResultFactory(
        run=run, service_level=grouped, period="2026-09", status="missed_minimum",
        breakdown={"queue": "chat"}, breakdown_label="chat",
    )  # fmt: skip
    key = pf.ServiceLevelFactory(contract=contract, kind="key")
    pf.PeriodResultFactory(run=run, service_level=key, period="2026-09", status="missed_minimum")


def _survey(relationship: Any) -> None:
    """A closed round (June) with perception 3.5 of 5 and gaps of 1, 1 and 0.5."""
    survey = hf.ClosedSurveyRoundFactory(relationship=relationship, period_end=dt.date(2026, 6, 30))
    d1, d2 = list(survey.instrument.dimensions.order_by("position")[:2])

    def score(dim: Any, side: str, subject: str, mean: str | None) -> None:
        hf.SurveyScoreFactory(
            relationship=relationship, round=survey, dimension=dim, side=side,
            subject=subject, mean=Decimal(mean) if mean else None, suppressed=mean is None,
        )  # fmt: skip

    score(d1, Side.BUYER, Subject.RELATIONSHIP, "4.00")
    score(d1, Side.PROVIDER, Subject.RELATIONSHIP, "3.00")
    score(d2, Side.PROVIDER, Subject.RELATIONSHIP, None)  # suppressed: too few answered
    score(d1, Side.BUYER, Subject.SELF, "4.50")
    score(d1, Side.PROVIDER, Subject.OTHER, "3.50")  # gap 1.0
    score(d1, Side.PROVIDER, Subject.SELF, "4.00")
    score(d1, Side.BUYER, Subject.OTHER, "3.00")  # gap 1.0
    score(d2, Side.BUYER, Subject.SELF, "4.00")
    score(d2, Side.PROVIDER, Subject.OTHER, "3.50")  # gap 0.5
    score(d2, Side.PROVIDER, Subject.SELF, "3.00")  # no buyer view of the provider: no pair
    # A round closing later than September and an open round do not count.
    later = hf.ClosedSurveyRoundFactory(relationship=relationship, period_end=dt.date(2026, 12, 31))
    score_later = hf.SurveyScoreFactory
    score_later(relationship=relationship, round=later, dimension=d1, side=Side.BUYER,
                subject=Subject.RELATIONSHIP, mean=Decimal("1.00"))  # fmt: skip
    hf.SurveyRoundFactory(relationship=relationship, period_end=dt.date(2026, 3, 31))


def _signs(relationship: Any, financial: str = SignState.TRIGGERED) -> None:
    """September: one joint sign triggered, one to watch, one clear, one without data."""
    for sign, state in (
        (SignCode.ATTRITION, SignState.TRIGGERED),
        (SignCode.TOO_MANY_MEETINGS, SignState.WATCH),
        (SignCode.SAVINGS_ONLY, SignState.CLEAR),
        (SignCode.MISSING_EXECUTIVES, SignState.NO_DATA),
        (SignCode.FINANCIAL_EROSION, financial),
    ):
        hf.SignReadingFactory(relationship=relationship, sign=sign, state=state, month=SEPT)
    # Another month's trigger does not count in September.
    hf.SignReadingFactory(
        relationship=relationship, sign=SignCode.CONTRACT_PUSHBACK,
        state=SignState.TRIGGERED, month=dt.date(2026, 8, 1),
    )  # fmt: skip


def test_all_three_components_by_hand() -> None:
    relationship = RelationshipFactory()
    _service_levels(relationship)
    _survey(relationship)
    _signs(relationship)
    compute_index(relationship, [SEPT])
    index = HealthIndex.objects.get(relationship=relationship, month=SEPT)
    parts = _components(index)
    # Service levels: met, missed expected, missed minimum and the grouped level's whole
    # result (met): (100 + 50 + 0 + 100) / 4 = 62.5.
    assert parts["service_levels"]["score"] == 62.5
    # Survey: perception (4 + 3) / 2 = 3.5 -> (3.5 - 1) * 25 = 62.5; gap (1 + 1 + 0.5) / 3
    # = 0.8333 -> penalty 8.333; 62.5 - 8.333 = 54.17.
    assert parts["survey"]["score"] == 54.17
    # Signs: 100 - 25 (attrition) - 10 (meetings) = 65; the financial sign never counts.
    assert parts["signs"]["score"] == 65.0
    assert index.triggered_signs == [SignCode.ATTRITION]
    # Weights 40/30/30: 25.00 + 16.251 + 19.50 = 60.751 -> 60.75.
    assert [parts[k]["effective_weight"] for k in ("service_levels", "survey", "signs")] == [
        40.0, 30.0, 30.0,
    ]  # fmt: skip
    assert [parts[k]["contribution"] for k in ("service_levels", "survey", "signs")] == [
        25.0, 16.25, 19.5,
    ]  # fmt: skip
    assert index.score == Decimal("60.75")
    total = sum(Decimal(str(c["contribution"])) for c in index.components)
    assert total == index.score
    assert index.visibility == "joint"
    for component in index.components:
        assert set(component) >= {"key", "label", "weight", "effective_weight", "score",
                                  "contribution", "explanation"}  # fmt: skip
        assert component["explanation"]


def test_missing_component_rescales_the_others() -> None:
    relationship = RelationshipFactory()
    _service_levels(relationship)
    _signs(relationship)
    compute_index(relationship, [SEPT])
    index = HealthIndex.objects.get(relationship=relationship, month=SEPT)
    parts = _components(index)
    assert parts["survey"]["score"] is None
    assert parts["survey"]["contribution"] is None
    assert "rescaled" in parts["survey"]["explanation"]
    # 40 and 30 of 70: 57.14 and 42.86.
    assert parts["service_levels"]["effective_weight"] == 57.14
    assert parts["signs"]["effective_weight"] == 42.86
    # 62.5 x 40/70 = 35.7143, 65 x 30/70 = 27.8571: 63.5714 -> 63.57; in cents 35.71 + 27.85
    # is 63.56, so the larger remainder (signs, .0071) takes the missing cent: 27.86.
    assert index.score == Decimal("63.57")
    assert parts["service_levels"]["contribution"] == 35.71
    assert parts["signs"]["contribution"] == 27.86
    assert "rescaled to 57.14" in parts["service_levels"]["explanation"]


def test_nothing_known_is_no_index() -> None:
    relationship = RelationshipFactory()
    compute_index(relationship, [SEPT, dt.date(2026, 10, 1)])
    indices = HealthIndex.objects.filter(relationship=relationship)
    assert indices.count() == 2
    assert all(index.score is None for index in indices)
    assert all(c["score"] is None for index in indices for c in index.components)


def test_compute_is_an_upsert() -> None:
    relationship = RelationshipFactory()
    _signs(relationship)
    compute_index(relationship, [SEPT])
    compute_index(relationship, [SEPT])
    assert HealthIndex.objects.filter(relationship=relationship).count() == 1
    # Signs alone: 65, weight rescaled to 100.
    assert HealthIndex.objects.get(relationship=relationship).score == Decimal("65.00")


@pytest.mark.parametrize("financial", [SignState.TRIGGERED, SignState.CLEAR, SignState.WATCH])
def test_the_financial_sign_never_moves_the_index(financial: str) -> None:
    relationship = RelationshipFactory()
    _signs(relationship, financial=financial)
    compute_index(relationship, [SEPT])
    index = HealthIndex.objects.get(relationship=relationship, month=SEPT)
    assert index.score == Decimal("65.00")
    assert SignCode.FINANCIAL_EROSION not in index.triggered_signs
    assert "financial" not in str(index.components).lower()


def test_a_financial_reading_alone_leaves_signs_missing() -> None:
    relationship = RelationshipFactory()
    hf.SignReadingFactory(
        relationship=relationship, sign=SignCode.FINANCIAL_EROSION,
        state=SignState.TRIGGERED, month=SEPT,
    )  # fmt: skip
    compute_index(relationship, [SEPT])
    index = HealthIndex.objects.get(relationship=relationship, month=SEPT)
    assert index.score is None
    assert index.triggered_signs == []


def test_gap_penalty_cannot_go_below_zero() -> None:
    relationship = RelationshipFactory()
    survey = hf.ClosedSurveyRoundFactory(relationship=relationship, period_end=dt.date(2026, 6, 30))
    dim = survey.instrument.dimensions.order_by("position").first()
    for side, subject, mean in (
        (Side.BUYER, Subject.RELATIONSHIP, "1.40"),  # perception 10
        (Side.BUYER, Subject.SELF, "5.00"),
        (Side.PROVIDER, Subject.OTHER, "1.00"),  # gap 4: penalty 40
    ):
        hf.SurveyScoreFactory(relationship=relationship, round=survey, dimension=dim, side=side,
                              subject=subject, mean=Decimal(mean))  # fmt: skip
    compute_index(relationship, [SEPT])
    index = HealthIndex.objects.get(relationship=relationship, month=SEPT)
    assert _components(index)["survey"]["score"] == 0.0
    assert index.score == Decimal("0.00")


def test_split_cents_adds_up() -> None:
    exact = [Decimal(1) / 3, Decimal(1) / 3, Decimal(1) / 3]
    assert _split_cents(exact, Decimal("1.00")) == [Decimal("0.34"), Decimal("0.33"),
                                                   Decimal("0.33")]  # fmt: skip
