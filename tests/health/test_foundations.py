"""What the health area stands on: the shipped instrument, level focus, private records."""

from __future__ import annotations

import pytest

from accord.core.choices import RoleName, Visibility
from accord.core.testing.factories import RoleFactory, UserFactory
from accord.core.testing.performance_factories import SMALL_SCHEDULE, ContractFactory
from accord.health.models import StatementAbout, SurveyInstrument
from accord.performance.focus import LevelFocus, guess_focus
from accord.performance.models import ServiceLevel
from accord.performance.services import schedule_version_create


@pytest.mark.django_db
def test_the_default_instrument_ships_with_nine_dimensions_each_rated_both_ways() -> None:
    instrument = SurveyInstrument.objects.get(owner__isnull=True)
    dimensions = list(instrument.dimensions.order_by("position"))
    assert [d.code for d in dimensions] == [
        "expectations", "communication", "flexibility", "trust", "objectives", "executives",
        "value", "innovation", "governance",
    ]  # fmt: skip
    for dimension in dimensions:
        abouts = sorted(s.about for s in dimension.statements.all())
        assert abouts == [StatementAbout.PARTIES, StatementAbout.RELATIONSHIP]


@pytest.mark.parametrize(
    ("code", "name", "focus"),
    [
        ("CC-CSAT", "Member satisfaction (4 or 5 of 5)", LevelFocus.CUSTOMER),
        ("CC-URG", "Urgent escalations (priority 1-2) raised", LevelFocus.CUSTOMER),
        ("CC-AHT", "Average handle time, voice", LevelFocus.EFFICIENCY),
        ("PAY-ACC", "Payroll accuracy", LevelFocus.QUALITY),
        ("CC-SL1", "Voice calls answered within 20 seconds", LevelFocus.TIMELINESS),
        ("SEC-1", "Security incidents reported on time", LevelFocus.COMPLIANCE),
        ("X-1", "Something else entirely", LevelFocus.OTHER),
    ],
)
def test_focus_is_guessed_from_code_and_name(code: str, name: str, focus: str) -> None:
    assert guess_focus(code, name) == focus


@pytest.mark.django_db
def test_a_corrected_focus_survives_a_new_schedule_version() -> None:
    contract = ContractFactory()
    manager = UserFactory(organisation=contract.relationship.buyer)
    RoleFactory(relationship=contract.relationship, person=manager, role=RoleName.MANAGER)
    schedule_version_create(contract=contract, document=SMALL_SCHEDULE, actor=manager)
    level = ServiceLevel.objects.get(contract=contract, code="P1")
    assert level.focus == LevelFocus.TIMELINESS  # "resolved within 4 hours"
    level.focus = LevelFocus.CUSTOMER
    level.save()
    changed = SMALL_SCHEDULE.replace("expected: 95", "expected: 96")
    schedule_version_create(contract=contract, document=changed, actor=manager)
    level.refresh_from_db()
    assert (level.expected, level.focus) == (96, LevelFocus.CUSTOMER)
    assert level.visibility == Visibility.JOINT
