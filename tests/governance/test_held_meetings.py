"""held_meetings(): the facts warning signs 5 and 7 read from held forum meetings."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from accord.core.testing import partnership_factories as xf
from accord.engine.tz import get_zone
from accord.governance import services
from accord.governance.attendance import MeetingFact, held_meetings
from accord.governance.models import MeetingStatus, Tier
from tests.governance.scenario import Scenario

pytestmark = pytest.mark.django_db

VANCOUVER = get_zone("America/Vancouver")


def test_held_meetings_are_facts_in_the_relationship_s_local_dates(scenario: Scenario) -> None:
    steering = scenario.forum(tier=Tier.EXECUTIVE, name="Steering")
    review = scenario.forum(tier=Tier.OPERATIONAL, name="Review")
    # 18:30 on 3 March in Vancouver is already 4 March in UTC.
    late = services.meeting_schedule(
        forum=steering,
        title="QBR",
        starts_at=dt.datetime(2026, 3, 3, 18, 30, tzinfo=VANCOUVER),
        duration_minutes=90,
        actor=scenario["bank_manager"],
    )
    services.attendance_record(
        meeting=late,
        present=[scenario["bank_exec"], scenario["bank_manager"], scenario["tide_lead"]],
        actor=scenario["bank_manager"],
    )
    services.meeting_record(meeting=late, status="held", actor=scenario["bank_manager"])

    early = services.meeting_schedule(
        forum=review,
        title="Review",
        starts_at=dt.datetime(2026, 2, 10, 9, 0, tzinfo=VANCOUVER),
        duration_minutes=50,
        actor=scenario["bank_manager"],
    )
    services.attendance_record(
        meeting=early, present=[scenario["tide_exec"]], actor=scenario["bank_manager"]
    )
    services.attendance_set(
        meeting=early, person=scenario["bank_viewer"], present=False, actor=scenario["tide_lead"]
    )
    services.meeting_record(meeting=early, status="held", actor=scenario["bank_manager"])

    # Not counted: a cancelled meeting, a scheduled one, and another relationship's.
    cancelled = scenario.past_meeting(review)
    services.attendance_record(
        meeting=cancelled, present=[scenario["bank_exec"]], actor=scenario["bank_manager"]
    )
    services.meeting_record(meeting=cancelled, status="cancelled", actor=scenario["bank_manager"])
    scenario.past_meeting(review, days_ago=1)
    elsewhere = xf.ForumFactory(relationship=scenario.other)
    xf.MeetingFactory(forum=elsewhere, status=MeetingStatus.HELD)

    assert held_meetings(scenario.rel) == [
        MeetingFact(
            held_on=dt.date(2026, 2, 10),
            title="Review",
            tier=1,
            person_hours=decimal.Decimal(50) / 60,
            buyer_executive_present=False,
            provider_executive_present=True,
            url=early.get_absolute_url(),
        ),
        MeetingFact(
            held_on=dt.date(2026, 3, 3),
            title="QBR",
            tier=3,
            person_hours=decimal.Decimal("4.5"),
            buyer_executive_present=True,
            provider_executive_present=False,
            url=late.get_absolute_url(),
        ),
    ]
    assert held_meetings(scenario.rel.pk) == held_meetings(scenario.rel)


def test_a_held_meeting_without_attendance_counts_no_hours(scenario: Scenario) -> None:
    meeting = scenario.past_meeting(scenario.forum())
    services.meeting_record(meeting=meeting, status="held", actor=scenario["bank_manager"])
    [fact] = held_meetings(scenario.rel)
    assert fact.person_hours == 0
    assert not fact.buyer_executive_present
    assert not fact.provider_executive_present
