"""Warning signs 3, 5, 6 and 7 read the partnership's own records: the joint plan's
objectives, forum meetings with their attendance, and issues citing the contract."""

from __future__ import annotations

import datetime as dt
import decimal

from accord.core import signing
from accord.core.choices import RoleName, Side, Visibility
from accord.core.testing import health_factories as hf
from accord.core.testing import partnership_factories as xf
from accord.core.testing.factories import RoleFactory, UserFactory
from accord.core.testing.performance_factories import ContractFactory, ServiceLevelFactory
from accord.health.models import SignCode, SignState
from accord.health.signs import evaluate_signs
from accord.planning.models import PlanningCycle
from tests.health.signs.conftest import OCT, Pair, reading

D = decimal.Decimal


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def executives(pair: Pair) -> tuple[object, object]:
    buyer = UserFactory(organisation=pair.relationship.buyer)
    provider = UserFactory(organisation=pair.relationship.provider)
    RoleFactory(relationship=pair.relationship, person=buyer, role=RoleName.EXECUTIVE)
    RoleFactory(relationship=pair.relationship, person=provider, role=RoleName.EXECUTIVE)
    return buyer, provider


def plan_with(pair: Pair, foci: list[str], year: int = 2026) -> PlanningCycle:
    plan = xf.PlanningCycleFactory(relationship=pair.relationship, year=year)
    for focus in foci:
        xf.ObjectiveFactory(
            cycle=plan, focus=focus, buyer_owner=pair.buyer, provider_owner=pair.provider
        )
    return plan


def cosign(pair: Pair, plan: PlanningCycle) -> None:
    for person in executives(pair):
        signing.sign(plan, actor=person, roles={RoleName.EXECUTIVE})


# --------------------------------------------------------------------------- 3 savings only


def test_objectives_of_the_signed_plan_count_with_the_levels(pair: Pair) -> None:
    contract = ContractFactory(relationship=pair.relationship)
    ServiceLevelFactory(contract=contract, focus="efficiency")
    ServiceLevelFactory(contract=contract, focus="customer")
    cosign(pair, plan_with(pair, ["efficiency", "efficiency", "efficiency", "efficiency"]))
    evaluate_signs(pair.relationship, [OCT])
    got = reading(pair.relationship, SignCode.SAVINGS_ONLY)
    # 5 of 6 measures (2 levels, 4 objectives) are about cost: 83.33 % is on watch.
    assert (got.value, got.state) == (D("83.33"), SignState.WATCH)
    assert sum(e["label"].startswith("Objective:") for e in got.evidence) == 4


def test_an_unsigned_plan_or_another_years_plan_does_not_count(pair: Pair) -> None:
    contract = ContractFactory(relationship=pair.relationship)
    ServiceLevelFactory(contract=contract, focus="customer")
    plan_with(pair, ["efficiency"] * 3)  # 2026, nobody signed it
    cosign(pair, plan_with(pair, ["efficiency"] * 3, year=2025))
    evaluate_signs(pair.relationship, [OCT])
    got = reading(pair.relationship, SignCode.SAVINGS_ONLY)
    assert (got.value, got.state) == (D(0), SignState.CLEAR)


def test_an_edit_that_voids_the_signatures_takes_the_plan_out_of_the_count(pair: Pair) -> None:
    contract = ContractFactory(relationship=pair.relationship)
    ServiceLevelFactory(contract=contract, focus="customer")
    plan = plan_with(pair, ["efficiency"] * 3)
    cosign(pair, plan)
    evaluate_signs(pair.relationship, [OCT])
    assert reading(pair.relationship, SignCode.SAVINGS_ONLY).value == D(75)
    PlanningCycle.objects.filter(pk=plan.pk).update(version=2)
    evaluate_signs(pair.relationship, [OCT])
    assert reading(pair.relationship, SignCode.SAVINGS_ONLY).value == D(0)


# --------------------------------------------------------------------------- 5 and 7 meetings


def held(pair: Pair, day: dt.date, minutes: int, present: list[tuple[str, str]]) -> None:
    """A held forum meeting with one attendance row per (side, level) present."""
    meeting = xf.MeetingFactory(
        relationship=pair.relationship,
        forum=xf.ForumFactory(relationship=pair.relationship),
        starts_at=aware(day),
        duration_minutes=minutes,
    )
    for side, level in present:
        org = pair.relationship.buyer if side == Side.BUYER else pair.relationship.provider
        xf.AttendanceFactory(
            meeting=meeting, person=UserFactory(organisation=org), side=side, level=level
        )
    xf.AttendanceFactory(  # absent people do not count
        meeting=meeting, person=UserFactory(), side=Side.BUYER, level=RoleName.EXECUTIVE,
        present=False,
    )  # fmt: skip


MANAGERS = [(Side.BUYER, RoleName.MANAGER), (Side.PROVIDER, RoleName.MANAGER)]


def test_forum_meetings_count_people_present_for_too_many_meetings(pair: Pair) -> None:
    # July to September: 60 min × 4 present = 4 person-hours a month; October 6 + a logged
    # contact of 60 min × 2 = 8: +100 %.
    for month in (7, 8, 9):
        held(pair, dt.date(2026, month, 10), 60, MANAGERS * 2)
    held(pair, dt.date(2026, 10, 10), 90, MANAGERS * 2)
    hf.MeetingLogFactory(
        relationship=pair.relationship, held_on=dt.date(2026, 10, 20), duration_minutes=60,
        attendees=2,
    )  # fmt: skip
    evaluate_signs(pair.relationship, [OCT])
    got = reading(pair.relationship, SignCode.TOO_MANY_MEETINGS)
    assert (got.value, got.state) == (D(100), SignState.TRIGGERED)


def test_executive_attendance_feeds_missing_executives(pair: Pair) -> None:
    held(pair, dt.date(2026, 7, 2), 60, [(Side.PROVIDER, RoleName.EXECUTIVE), *MANAGERS])
    held(pair, dt.date(2026, 10, 2), 60, [(Side.BUYER, RoleName.EXECUTIVE), *MANAGERS])
    evaluate_signs(pair.relationship, [OCT])
    got = reading(pair.relationship, SignCode.MISSING_EXECUTIVES)
    assert (got.value, got.state) == (D(3), SignState.TRIGGERED)
    assert "provider" in got.summary
    assert any("/meetings/" in e["url"] for e in got.evidence)


def test_scheduled_and_cancelled_meetings_do_not_count(pair: Pair) -> None:
    for status in ("scheduled", "cancelled"):
        meeting = xf.MeetingFactory(
            relationship=pair.relationship,
            forum=xf.ForumFactory(relationship=pair.relationship),
            starts_at=aware(dt.date(2026, 10, 5)),
            status=status,
        )
        xf.AttendanceFactory(meeting=meeting, side=Side.BUYER, level=RoleName.EXECUTIVE)
    evaluate_signs(pair.relationship, [OCT])
    assert reading(pair.relationship, SignCode.MISSING_EXECUTIVES).state == SignState.NO_DATA


# --------------------------------------------------------------------------- 6 push-back


def test_joint_issues_citing_the_contract_count_private_ones_never(pair: Pair) -> None:
    for day, visibility, cited in [
        (dt.date(2026, 8, 12), Visibility.JOINT, True),
        (dt.date(2026, 9, 3), Visibility.JOINT, True),
        (dt.date(2026, 10, 1), Visibility.JOINT, False),  # no citation
        (dt.date(2026, 10, 2), Visibility.PROVIDER, True),  # the provider's own
        (dt.date(2026, 7, 20), Visibility.JOINT, True),  # before the window
    ]:
        xf.IssueFactory(
            relationship=pair.relationship, visibility=visibility, raised_at=aware(day),
            contract_letter_cited=cited, title=f"Issue of {day}",
        )  # fmt: skip
    evaluate_signs(pair.relationship, [OCT])
    got = reading(pair.relationship, SignCode.CONTRACT_PUSHBACK)
    assert (got.value, got.state) == (D(2), SignState.WATCH)
    assert [e["label"][12:] for e in got.evidence] == [
        "Issue: Issue of 2026-08-12",
        "Issue: Issue of 2026-09-03",
    ]
