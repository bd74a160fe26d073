"""The demo's surveys: idempotent, deterministic, and showing the perception gap."""

from __future__ import annotations

import decimal

import pytest

from accord.health import survey_results
from accord.health.demo_surveys import load_survey_demo
from accord.health.models import RoundStatus, SurveyRound
from accord.parties.demo import load_demo
from accord.parties.models import Relationship, User


@pytest.fixture
def demo(db: None) -> int:
    load_demo()
    return load_survey_demo()


def _round(name: str, title: str) -> SurveyRound:
    return SurveyRound.objects.get(relationship__name=name, title=title)


def test_loading_twice_changes_nothing(demo: int) -> None:
    assert demo > 0
    rounds = SurveyRound.objects.count()
    assert load_survey_demo() == 0
    assert SurveyRound.objects.count() == rounds == 7
    assert SurveyRound.objects.filter(status=RoundStatus.OPEN).count() == 1


def test_each_side_has_at_least_four_respondents(demo: int) -> None:
    for relationship in Relationship.objects.all():
        for org_id in (relationship.buyer_id, relationship.provider_id):
            people = User.objects.filter(roles__relationship=relationship, organisation_id=org_id)
            assert people.count() >= 4, relationship


def test_providers_see_themselves_better_than_buyers_see_them(demo: int) -> None:
    for name, reader_name in (
        ("Ministry payroll and HR services", "ministry.manager"),
        ("Credit union contact centre (Northwind)", "credit.manager"),
        ("Credit union contact centre (Harbour)", "credit.manager"),
    ):
        reader = User.objects.get(username=reader_name)
        survey = _round(name, "Health survey, spring 2026")
        results = {
            r.dimension.code: r for r in survey_results.round_results(survey, reader).dimensions
        }
        for code in ("communication", "flexibility", "innovation"):
            gap = results[code].gaps["provider"]
            assert gap is not None
            assert gap >= decimal.Decimal("0.5"), (name, code, gap)
        buyer_gap = results["expectations"].gaps["buyer"]
        assert buyer_gap is not None
        assert buyer_gap >= decimal.Decimal("0.5")


def test_harbour_is_worse_in_autumn(demo: int) -> None:
    reader = User.objects.get(username="credit.manager")
    harbour = Relationship.objects.get(name="Credit union contact centre (Harbour)")
    spring, autumn = survey_results.trend(harbour, reader)
    for side in ("buyer", "provider"):
        assert autumn.relationship_mean[side] < spring.relationship_mean[side]  # type: ignore[operator]
