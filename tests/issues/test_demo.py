"""The issues demo: every stage, the clock's escalation, the private issue, the letter
cited at credit-harbour; idempotent; nothing without the governance demo's forums."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.core.choices import Visibility
from accord.core.testing.partnership_factories import ForumFactory, ForumMemberFactory
from accord.governance.models import Tier
from accord.issues.demo import FORUM_NAMES, TODAY, load_issues_demo
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


def test_the_demo_tells_its_stories_once() -> None:
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
    assert all(TODAY - dt.timedelta(days=390) < when <= TODAY for when in moments)
