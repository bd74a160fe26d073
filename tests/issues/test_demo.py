"""The issues demo: every stage, the clock's escalation, the private issue, the letter
cited at credit-harbour; idempotent; nothing without the governance demo's forums."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accord.core.choices import Visibility
from accord.core.demo_time import STORY_DAY
from accord.core.testing.partnership_factories import ForumFactory, ForumMemberFactory
from accord.governance.models import Tier
from accord.issues.demo import FORUM_NAMES, load_issues_demo
from accord.issues.models import EventKind, Issue, IssueEvent, IssueOption, IssueStatus
from accord.parties.demo import load_demo
from accord.parties.models import Relationship, Role

pytestmark = pytest.mark.django_db


def ladders() -> None:
    """The forums the governance demo makes, by their agreed names, with every role a member."""
    for relationship in Relationship.objects.all():
        for tier, name in FORUM_NAMES.items():
            forum = ForumFactory(relationship=relationship, name=name, tier=tier)
            for role in Role.objects.filter(relationship=relationship):
                ForumMemberFactory(forum=forum, person=role.person)


def test_without_the_forums_the_demo_creates_nothing() -> None:
    load_demo()
    assert load_issues_demo() == 0
    assert not Issue.objects.exists()


# The demo is told as of STORY_DAY; loaded on a later day it must tell the same story.
LOAD_DAYS = [STORY_DAY, STORY_DAY + dt.timedelta(days=100)]


@pytest.mark.parametrize("day", LOAD_DAYS, ids=["on the story's day", "100 days later"])
def test_the_demo_tells_its_stories_once(day: dt.date, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))
    load_demo()
    ladders()
    created = load_issues_demo()
    assert created > 0
    counts = (Issue.objects.count(), IssueOption.objects.count(), IssueEvent.objects.count())
    assert load_issues_demo() == 0
    assert (Issue.objects.count(), IssueOption.objects.count(), IssueEvent.objects.count()) == (
        counts
    )

    for relationship in Relationship.objects.all():
        statuses = set(
            Issue.objects.filter(relationship=relationship).values_list("status", flat=True)
        )
        assert IssueStatus.RESOLVED in statuses, relationship
        assert statuses & {IssueStatus.RAISED, IssueStatus.EXPLORING, IssueStatus.OPTIONS}
    assert set(Issue.objects.values_list("status", flat=True)) == set(IssueStatus.values)

    # One escalated by the clock, still open, and due again later.
    by_clock = Issue.objects.get(title__startswith="Off-cycle payment requests")
    assert by_clock.forum.tier == Tier.MANAGEMENT
    assert IssueEvent.objects.filter(
        issue=by_clock, kind=EventKind.ESCALATED, automatic=True
    ).exists()

    # A resolved one with a shared-interest solution and a chosen option.
    retro = Issue.objects.get(title__startswith="Retro pay")
    assert retro.status == IssueStatus.RESOLVED
    assert retro.shared_interests
    assert retro.buyer_interests
    assert retro.provider_interests
    assert retro.options.filter(chosen=True).count() == 1

    # One kept to the buyer's side.
    assert Issue.objects.filter(visibility=Visibility.BUYER).count() == 1

    # Credit-harbour: joint issues of Aug-Oct 2026 where the contract's letter was cited.
    harbour = Relationship.objects.get(name="Credit union contact centre (Harbour)")
    cited = Issue.objects.filter(
        relationship=harbour, visibility=Visibility.JOINT, contract_letter_cited=True
    )
    assert cited.count() == 4
    assert {i.raised_at.month for i in cited} == {8, 9, 10}
    assert (
        cited.filter(forum__tier=Tier.EXECUTIVE, status__in=["exploring", "options"]).count() == 2
    )
    assert IssueEvent.objects.filter(issue__in=cited, kind=EventKind.OVERDUE).count() == 2
    # Only credit-harbour's issues cite the letter.
    assert not Issue.objects.exclude(relationship=harbour).filter(contract_letter_cited=True)
    # Realistic times: the demo's months, never after today.
    moments = Issue.objects.values_list("raised_at", flat=True)
    now = timezone.now()
    assert all(
        dt.datetime.combine(STORY_DAY, dt.time(), tzinfo=dt.UTC) - dt.timedelta(days=390)
        < when
        <= now
        for when in moments
    )
    # Last week's issues are still at their first forum, their clocks running.
    for title in ("HR priority 1 backlog", "Priority 3 escalations", "Member e-mail: costing"):
        recent = Issue.objects.get(title__startswith=title)
        assert recent.forum.tier == Tier.OPERATIONAL, title
        assert recent.due_at > now, title
        assert not recent.events.filter(kind=EventKind.ESCALATED).exists(), title
