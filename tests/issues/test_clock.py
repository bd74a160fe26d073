"""The escalation clock: due dates by tier and severity, escalating on time and late,
the top of the ladder, idempotence, and who is told."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accord.attention.models import Notification, NotificationKind
from accord.core import ticker
from accord.core.choices import Visibility
from accord.governance.models import Tier
from accord.issues import clock
from accord.issues.models import EventKind, Issue, IssueEvent, Severity
from tests.issues.scenario import Scenario, ago

DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("tier", "severity", "days"),
    [
        (Tier.OPERATIONAL, Severity.CRITICAL, 2),
        (Tier.OPERATIONAL, Severity.HIGH, 5),
        (Tier.OPERATIONAL, Severity.MEDIUM, 10),
        (Tier.OPERATIONAL, Severity.LOW, 20),
        (Tier.MANAGEMENT, Severity.CRITICAL, 3),
        (Tier.MANAGEMENT, Severity.LOW, 30),
        (Tier.EXECUTIVE, Severity.HIGH, 10),
        (Tier.EXECUTIVE, Severity.LOW, 45),
    ],
)
def test_due_dates_follow_the_tier_and_severity(
    scenario: Scenario, tier: int, severity: str, days: int
) -> None:
    forum = scenario.forums[tier]
    issue = Issue(severity=severity)
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    assert clock.resolve_days(forum, severity) == days
    assert clock.due_at(issue, forum, start) == start + days * DAY


def test_a_forum_overrides_the_defaults_severity_by_severity(scenario: Scenario) -> None:
    forum = scenario.forums[Tier.OPERATIONAL]
    forum.resolve_within_days = {"critical": 1, "low": 0, "medium": "7"}
    forum.save()
    assert clock.resolve_days(forum, Severity.CRITICAL) == 1
    # Nonsense overrides (zero, text) fall back to the default.
    assert clock.resolve_days(forum, Severity.LOW) == 20
    assert clock.resolve_days(forum, Severity.MEDIUM) == 10
    assert clock.resolve_days(forum, Severity.HIGH) == 5


def test_a_new_issue_starts_at_the_bottom_with_its_clock(scenario: Scenario) -> None:
    raised = ago(hours=1)
    issue = scenario.raise_issue(severity=Severity.CRITICAL, at=raised)
    assert issue.forum == scenario.forums[Tier.OPERATIONAL]
    assert issue.due_at == raised + 2 * DAY
    assert clock.next_forum(issue) == scenario.forums[Tier.MANAGEMENT]


def test_the_clock_escalates_an_overdue_issue_one_rung_and_tells_the_new_forum(
    scenario: Scenario,
) -> None:
    issue = scenario.raise_issue(who="b_manager", severity=Severity.HIGH, at=ago(days=6))
    due = issue.due_at
    Notification.objects.all().delete()

    run = clock.escalate_due()

    issue.refresh_from_db()
    assert issue.forum == scenario.forums[Tier.MANAGEMENT]
    assert run.escalated == {
        issue.pk: [(scenario.forums[Tier.OPERATIONAL].pk, scenario.forums[Tier.MANAGEMENT].pk)]
    }
    event = IssueEvent.objects.get(issue=issue, kind=EventKind.ESCALATED)
    assert event.automatic
    assert event.actor is None
    assert (event.from_forum, event.to_forum) == (
        scenario.forums[Tier.OPERATIONAL],
        scenario.forums[Tier.MANAGEMENT],
    )
    assert event.at == due  # dated when it fell due
    assert "Not resolved within 5 days" in event.note
    # The clock restarts at the committee: 7 days for a high issue.
    assert issue.due_at == due + 7 * DAY
    told = Notification.objects.filter(kind=NotificationKind.ISSUE_ESCALATED)
    assert sorted(n.recipient.username for n in told) == [
        "b_exec", "b_manager", "p_exec", "p_manager",
    ]  # fmt: skip


def test_a_late_run_catches_up_several_rungs_at_once(scenario: Scenario) -> None:
    # Medium: 10 days at the operational review, then 15 at the committee.
    raised = ago(days=26)
    issue = scenario.raise_issue(severity=Severity.MEDIUM, at=raised)
    Notification.objects.all().delete()

    clock.escalate_due()

    issue.refresh_from_db()
    assert issue.forum == scenario.forums[Tier.EXECUTIVE]
    steps = list(IssueEvent.objects.filter(issue=issue, kind=EventKind.ESCALATED).order_by("at"))
    assert [(e.from_forum.tier, e.to_forum.tier) for e in steps] == [(1, 2), (2, 3)]
    assert [e.at for e in steps] == [raised + 10 * DAY, raised + 25 * DAY]
    # Exactly where an on-time clock would have left it.
    assert issue.due_at == raised + 45 * DAY
    # Only the forum it ends at is told (the rungs passed had no chance to act).
    told = Notification.objects.filter(kind=NotificationKind.ISSUE_ESCALATED)
    assert sorted(n.recipient.username for n in told) == ["b_exec", "p_exec"]


def test_at_the_top_the_clock_writes_one_overdue_event_and_never_repeats_it(
    scenario: Scenario,
) -> None:
    issue = scenario.raise_issue(severity=Severity.CRITICAL, at=ago(days=30))
    first = clock.escalate_due()
    issue.refresh_from_db()
    assert issue.forum == scenario.forums[Tier.EXECUTIVE]
    assert first.overdue == [issue.pk]
    overdue = IssueEvent.objects.filter(issue=issue, kind=EventKind.OVERDUE)
    assert overdue.count() == 1
    assert overdue.get().at == issue.due_at

    before = (issue.forum_id, issue.due_at, IssueEvent.objects.count())
    again = clock.escalate_due()
    later = clock.escalate_due(timezone.now() + 0 * DAY)
    issue.refresh_from_db()
    assert (issue.forum_id, issue.due_at, IssueEvent.objects.count()) == before
    assert not again.escalated
    assert not again.overdue
    assert not later.overdue
    # The overdue issue is not even looked at again.
    assert issue.pk not in list(clock.due_issues(timezone.now()))


def test_the_clock_is_idempotent(scenario: Scenario) -> None:
    issue = scenario.raise_issue(severity=Severity.HIGH, at=ago(days=6))
    clock.escalate_due()
    state = (
        Issue.objects.values_list("forum", "due_at").get(pk=issue.pk),
        IssueEvent.objects.count(),
    )
    notifications = Notification.objects.count()
    second = clock.escalate_due()
    assert not second.escalated
    assert not second.overdue
    assert (
        Issue.objects.values_list("forum", "due_at").get(pk=issue.pk),
        IssueEvent.objects.count(),
    ) == state
    assert Notification.objects.count() == notifications


def test_the_clock_leaves_issues_that_are_not_due_closed_or_without_forum(
    scenario: Scenario,
) -> None:
    from accord.issues import services

    fresh = scenario.raise_issue(title="Fresh", severity=Severity.LOW)
    resolved = scenario.raise_issue(title="Resolved", severity=Severity.CRITICAL, at=ago(days=9))
    services.issue_resolve(
        issue=resolved, agreed_solution="Agreed.", actor=scenario.people["b_manager"],
        at=ago(days=8, hours=12),
    )  # fmt: skip
    run = clock.escalate_due()
    assert not run.escalated
    assert not run.overdue
    assert Issue.objects.get(pk=fresh.pk).forum.tier == Tier.OPERATIONAL
    assert Issue.objects.get(pk=resolved.pk).forum.tier == Tier.OPERATIONAL


def test_a_private_issue_is_escalated_but_only_its_side_is_told(scenario: Scenario) -> None:
    issue = scenario.raise_issue(
        who="b_manager", visibility=Visibility.BUYER, severity=Severity.HIGH, at=ago(days=6)
    )
    Notification.objects.all().delete()
    clock.escalate_due()
    issue.refresh_from_db()
    assert issue.forum == scenario.forums[Tier.MANAGEMENT]
    event = IssueEvent.objects.get(issue=issue, kind=EventKind.ESCALATED)
    assert event.visibility == Visibility.BUYER
    told = sorted(n.recipient.username for n in Notification.objects.all())
    # The committee has two provider members; neither hears of the buyer's private issue.
    assert told == ["b_exec", "b_manager"]


def test_the_management_command_runs_the_clock(scenario: Scenario) -> None:
    issue = scenario.raise_issue(severity=Severity.HIGH, at=ago(days=6))
    out = StringIO()
    call_command("escalate_issues", stdout=out)
    assert "1 issue(s) escalated (1 step(s))" in out.getvalue()
    issue.refresh_from_db()
    assert issue.forum.tier == Tier.MANAGEMENT
    out = StringIO()
    call_command("escalate_issues", stdout=out)
    assert "0 issue(s) escalated" in out.getvalue()


def test_the_clock_is_a_ticker_job_every_five_minutes(scenario: Scenario) -> None:
    job = next(job for job in ticker.jobs() if job.name == "issues.escalate")
    assert job.every == dt.timedelta(minutes=5)
    issue = scenario.raise_issue(severity=Severity.HIGH, at=ago(days=6))
    job.next_due = None
    assert "issues.escalate" in ticker.run_due(timezone.now())
    issue.refresh_from_db()
    assert issue.forum.tier == Tier.MANAGEMENT


def test_reading_the_clock_in_words(scenario: Scenario) -> None:
    forums = list(scenario.forums.values())
    now = timezone.now()
    issue = scenario.raise_issue(severity=Severity.HIGH, at=now - dt.timedelta(hours=1))
    state = clock.read_clock(issue, forums, now)
    assert (state.state, state.text) == ("running", "escalates in 4 days")
    assert state.next_forum == scenario.forums[Tier.MANAGEMENT]
    late = clock.read_clock(issue, forums, now + 6 * DAY)
    assert (late.state, late.text) == ("overdue", "overdue: escalating")
    issue.forum = scenario.forums[Tier.EXECUTIVE]
    top = clock.read_clock(issue, forums, now + 7 * DAY)
    assert top.state == "overdue"
    assert top.text == "overdue by 2 days (top of the ladder)"


def test_the_command_may_run_as_at_a_past_moment_never_a_future_one(scenario: Scenario) -> None:
    from django.core.management.base import CommandError

    issue = scenario.raise_issue(severity="high", at=ago(days=6))
    with pytest.raises(CommandError):
        call_command("escalate_issues", "--at", (timezone.now() + DAY).isoformat())
    call_command("escalate_issues", "--at", ago(days=2).isoformat(), stdout=StringIO())
    issue.refresh_from_db()
    assert issue.forum.tier == Tier.OPERATIONAL  # not due yet two days ago
