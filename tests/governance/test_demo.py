"""The governance demo: forums of both sides, the health story's meetings, actions; idempotent."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accord.attention.models import Notification
from accord.core.demo_time import STORY_DAY
from accord.governance.attendance import held_meetings
from accord.governance.demo import MEETINGS, load_governance_demo
from accord.governance.models import (
    ActionItem,
    ActionStatus,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    MeetingStatus,
)
from accord.health import demo_signs
from accord.parties.demo import RELATIONSHIPS, load_demo
from accord.parties.models import Relationship

NAMES = {key: name for key, _b, _p, name, *_rest in RELATIONSHIPS}
FORUMS = [
    ("Operational service review", 1, "fortnightly"),
    ("Contract management committee", 2, "monthly"),
    ("Executive steering committee", 3, "quarterly"),
]


@pytest.fixture
def demo(db: None) -> None:
    load_demo()
    assert load_governance_demo() > 100


def rel(key: str) -> Relationship:
    return Relationship.objects.get(name=NAMES[key])


@pytest.mark.usefixtures("demo")
def test_the_demo_loads_once() -> None:
    counts = (Forum.objects.count(), Meeting.objects.count(), ActionItem.objects.count())
    assert load_governance_demo() == 0
    assert (Forum.objects.count(), Meeting.objects.count(), ActionItem.objects.count()) == counts


@pytest.mark.usefixtures("demo")
def test_each_relationship_has_the_agreed_forums_with_both_sides() -> None:
    for key in NAMES:
        relationship = rel(key)
        forums = Forum.objects.filter(relationship=relationship).order_by("tier")
        assert [(f.name, f.tier, f.cadence) for f in forums] == FORUMS
        for forum in forums:
            sides = {
                relationship.side_of(m.person) for m in ForumMember.objects.filter(forum=forum)
            }
            assert sides == {"buyer", "provider"}, (key, forum.name)
            assert ForumMember.objects.filter(forum=forum, is_chair=True).count() == 1


@pytest.mark.usefixtures("demo")
def test_the_meetings_reproduce_the_health_story_table() -> None:
    for key, rows in MEETINGS.items():
        facts = held_meetings(rel(key))
        assert sorted((f.held_on.isoformat(), f.title) for f in facts) == sorted(
            (day, title) for day, title, *_rest in rows
        )
        table = {(day, title): row for day, title, *row in rows}
        for fact in facts:
            tier, minutes, people, buyer_exec, provider_exec = table[
                (fact.held_on.isoformat(), fact.title)
            ]
            assert fact.tier == {"operational": 1, "management": 2, "executive": 3}[tier]
            assert (fact.buyer_executive_present, fact.provider_executive_present) == (
                buyer_exec,
                provider_exec,
            ), fact
            present = fact.person_hours * 60 / minutes
            assert 1 <= present <= people
        # Nothing is counted twice: the health inputs keep only contacts that are not forum
        # meetings.
        logged = {(day, title) for day, title, *_rest in demo_signs.MEETINGS.get(key, [])}
        assert not logged & set(table)


@pytest.mark.usefixtures("demo")
def test_credit_harbour_drifts_and_the_others_meet_their_executives() -> None:
    facts = held_meetings(rel("credit-harbour"))
    hours: dict[str, Decimal] = defaultdict(Decimal)
    for fact in facts:
        hours[f"{fact.held_on:%Y-%m}"] += fact.person_hours
    assert hours["2026-07"] < hours["2026-08"] < hours["2026-09"] < hours["2026-10"]
    assert hours["2026-10"] > Decimal("1.5") * (
        (hours["2026-07"] + hours["2026-08"] + hours["2026-09"]) / 3
    )
    with_executives = [
        f.held_on for f in facts if f.buyer_executive_present or f.provider_executive_present
    ]
    assert max(with_executives) == dt.date(2026, 5, 20)
    for key in ("credit-northwind", "ministry-northwind"):
        recent = [
            f for f in held_meetings(rel(key))
            if f.held_on >= dt.date(2026, 8, 1) and f.buyer_executive_present
            and f.provider_executive_present
        ]  # fmt: skip
        assert recent, key


@pytest.mark.usefixtures("demo")
def test_minutes_decisions_actions_and_a_meeting_to_come() -> None:
    today = timezone.localdate()
    for key in NAMES:
        relationship = rel(key)
        held = Meeting.objects.filter(relationship=relationship, status=MeetingStatus.HELD)
        assert not held.filter(minutes="").exists()
        assert Decision.objects.filter(relationship=relationship).exists()
        actions = ActionItem.objects.filter(relationship=relationship)
        assert actions.filter(status=ActionStatus.DONE, done_at__isnull=False).exists()
        assert actions.filter(status=ActionStatus.OPEN, due_date__lt=today).count() >= 1
        assert actions.filter(status=ActionStatus.OPEN).count() >= 2
        scheduled = Meeting.objects.filter(
            relationship=relationship, status=MeetingStatus.SCHEDULED
        )
        assert scheduled.count() == 1
        assert scheduled.get().agenda
    # Open actions and meetings to come are in their people's inboxes; e-mail stays quiet.
    assert Notification.objects.filter(kind="meeting_scheduled").exists() or all(
        m.starts_at <= timezone.now() for m in Meeting.objects.filter(status="scheduled")
    )
    assert Notification.objects.filter(kind="action_assigned").exists()
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


@pytest.mark.parametrize("later", [0, 100], ids=["on the story's day", "100 days later"])
def test_what_waits_keeps_its_distance_from_the_day_it_is_loaded(
    db: None, time_machine: Any, later: int
) -> None:
    day = STORY_DAY + dt.timedelta(days=later)
    time_machine.move_to(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))
    load_demo()
    load_governance_demo()
    for key in NAMES:
        relationship = rel(key)
        scheduled = Meeting.objects.get(relationship=relationship, status=MeetingStatus.SCHEDULED)
        assert scheduled.starts_at > timezone.now(), key
        open_actions = ActionItem.objects.filter(
            relationship=relationship, status=ActionStatus.OPEN
        )
        assert open_actions.filter(due_date__lt=day).exists(), key
        assert open_actions.filter(due_date__gte=day).exists(), key
    # The history keeps its dates whatever the day.
    assert ActionItem.objects.get(title="Share the evening-shift recruitment plan").due_date == (
        dt.date(2026, 6, 10)
    )
    # Loaded again the next day, nothing new: the meeting to come is found by its title.
    next_day = day + dt.timedelta(days=1)
    time_machine.move_to(dt.datetime.combine(next_day, dt.time(12), tzinfo=dt.UTC))
    assert load_governance_demo() == 0
