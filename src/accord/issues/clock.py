"""The escalation clock: how long an issue may sit at a forum, and what happens after.

Each rung of a relationship's escalation ladder (its joint forums, by tier)
has a time to resolve per severity: :data:`DEFAULT_RESOLVE_DAYS`, which a
forum may override severity by severity in ``Forum.resolve_within_days``.
Days are calendar days (a critical issue does not wait for Monday).

:func:`escalate_due` is the clock itself. It runs every five minutes in the
web process (registered with :mod:`accord.core.ticker` by
:class:`accord.issues.apps.IssuesConfig`) and as ``accord escalate_issues``
for cron. For every open issue whose ``due_at`` has passed it:

* moves the issue to the next forum up (:func:`next_forum`), writes an
  automatic ``escalated`` event and restarts the clock there;
* at the top of the ladder writes one ``overdue`` event instead (once per
  deadline: it is not repeated at every run);
* tells the members of the forum the issue now sits at (the visibility rule
  decides who may be told: a side-private issue reaches only its side).

Running late or twice is safe. A run catches up in one go: an issue overdue
by two periods climbs both rungs in that run, each step dated when it fell
due and each new clock started from that moment, so the issue ends exactly
where an on-time clock would have left it (same forum, same ``due_at``, same
history). Only the forum it ends at is notified: the rungs it passed while
the clock was not running never had a chance to act. A second run finds
nothing due and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accord.attention.models import NotificationKind
from accord.attention.notify import notify
from accord.core.choices import Visibility
from accord.core.context import acting_as
from accord.governance.models import Forum, ForumMember, Tier
from accord.issues.models import OPEN_STATUSES, EventKind, Issue, IssueEvent, Severity

logger = logging.getLogger(__name__)

# Calendar days an issue may stay at a forum of each tier before it escalates.
# The higher the forum, the longer it may take (it meets less often), and the
# graver the issue, the sooner it must move.
DEFAULT_RESOLVE_DAYS: dict[int, dict[str, int]] = {
    Tier.OPERATIONAL: {
        Severity.CRITICAL: 2, Severity.HIGH: 5, Severity.MEDIUM: 10, Severity.LOW: 20,
    },
    Tier.MANAGEMENT: {
        Severity.CRITICAL: 3, Severity.HIGH: 7, Severity.MEDIUM: 15, Severity.LOW: 30,
    },
    Tier.EXECUTIVE: {
        Severity.CRITICAL: 5, Severity.HIGH: 10, Severity.MEDIUM: 20, Severity.LOW: 45,
    },
}  # fmt: skip

# Events that (re)start an issue's clock at its forum.
CLOCK_STARTS = (EventKind.RAISED, EventKind.ESCALATED, EventKind.REOPENED)


def resolve_days(forum: Forum, severity: str) -> int:
    """Days an issue of ``severity`` may sit at ``forum``: its override, else the default."""
    override = (forum.resolve_within_days or {}).get(severity)
    if isinstance(override, int) and not isinstance(override, bool) and override > 0:
        return override
    defaults = DEFAULT_RESOLVE_DAYS.get(forum.tier) or DEFAULT_RESOLVE_DAYS[Tier.EXECUTIVE]
    return defaults[severity]


def due_at(issue: Issue, forum: Forum, start: dt.datetime) -> dt.datetime:
    """When ``issue``, arriving at ``forum`` at ``start``, escalates if still open."""
    return start + dt.timedelta(days=resolve_days(forum, issue.severity))


def ladder(relationship_id: int) -> list[Forum]:
    """The relationship's escalation ladder: its joint forums, lowest tier first.

    The clock acts for nobody, so this reads the forums directly; pages pass
    the forums a person may see (see :func:`next_in`).
    """
    return list(
        Forum.objects.filter(relationship_id=relationship_id, visibility=Visibility.JOINT).order_by(
            "tier", "pk"
        )
    )


def next_in(forums: Sequence[Forum], current: Forum | None) -> Forum | None:
    """The forum above ``current`` in ``forums`` (the lowest tier above it), or None at the top.

    With no current forum, the bottom rung (an issue raised before any forum existed).
    """
    if current is None:
        return forums[0] if forums else None
    above = [forum for forum in forums if forum.tier > current.tier]
    return min(above, key=lambda forum: (forum.tier, forum.pk)) if above else None


def next_forum(issue: Issue) -> Forum | None:
    """The relationship's joint forum with the lowest tier above the issue's current one."""
    return next_in(ladder(issue.relationship_id), issue.forum)


def first_forum(relationship_id: int) -> Forum | None:
    """Where a new issue starts: the relationship's lowest-tier joint forum."""
    forums = ladder(relationship_id)
    return forums[0] if forums else None


def clock_start(issue: Issue) -> dt.datetime:
    """When the issue's current clock started: its last arrival at a forum, or its raising."""
    last = (
        IssueEvent.objects.filter(issue=issue, kind__in=CLOCK_STARTS)
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    return last or issue.raised_at


# --------------------------------------------------------------------------- reading the clock


@dataclass(frozen=True)
class ClockState:
    """What the clock says of one issue at one moment, in words for the pages.

    ``state``: ``running`` (escalates later), ``top`` (at the top rung, due
    later), ``overdue`` (past due; below the top the next run escalates it),
    ``stopped`` (no forum to sit at) or ``closed`` (resolved or withdrawn).
    """

    state: str
    text: str
    due_at: dt.datetime | None = None
    next_forum: Forum | None = None


def _span(delta: dt.timedelta) -> str:
    days = delta.days
    if days >= 1:
        return f"{days} day{'s' if days != 1 else ''}"
    hours = int(delta.total_seconds() // 3600)
    if hours >= 1:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return "less than an hour"


def read_clock(issue: Issue, forums: Sequence[Forum], now: dt.datetime) -> ClockState:
    """The clock of ``issue`` at ``now``, given its relationship's ``forums`` (the ladder)."""
    if issue.status not in OPEN_STATUSES:
        return ClockState("closed", issue.get_status_display())
    if issue.forum_id is None or issue.due_at is None:
        return ClockState("stopped", "no forum: the clock is not running")
    current = next((f for f in forums if f.pk == issue.forum_id), issue.forum)
    above = next_in(forums, current)
    if issue.due_at > now:
        left = _span(issue.due_at - now)
        if above is None:
            return ClockState("top", f"due in {left} (top of the ladder)", issue.due_at)
        return ClockState("running", f"escalates in {left}", issue.due_at, above)
    if above is None:
        late = _span(now - issue.due_at)
        return ClockState("overdue", f"overdue by {late} (top of the ladder)", issue.due_at)
    return ClockState("overdue", "overdue: escalating", issue.due_at, above)


# --------------------------------------------------------------------------- the clock


@dataclass
class ClockRun:
    """What one run of the clock did: issue ids escalated (with their steps) and made overdue."""

    escalated: dict[int, list[tuple[int | None, int]]] = field(default_factory=dict)
    overdue: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        steps = sum(len(s) for s in self.escalated.values())
        return (
            f"{len(self.escalated)} issue(s) escalated ({steps} step(s)), "
            f"{len(self.overdue)} overdue at the top of the ladder"
            + (f", {len(self.failed)} failed" if self.failed else "")
        )


def forum_members(forum: Forum) -> list[Any]:
    """The people who sit on ``forum`` (the notification decides who may be told)."""
    return [m.person for m in ForumMember.objects.filter(forum=forum).select_related("person")]


def _overdue_q() -> Exists:
    """An overdue event already written for the issue's current deadline."""
    return Exists(
        IssueEvent.objects.filter(
            issue=OuterRef("pk"), kind=EventKind.OVERDUE, at=OuterRef("due_at")
        )
    )


def due_issues(now: dt.datetime) -> Iterable[int]:
    """Ids of open issues whose clock has run out and that the clock has not dealt with."""
    return (
        Issue.objects.filter(
            status__in=OPEN_STATUSES, forum__isnull=False, due_at__isnull=False, due_at__lte=now
        )
        .exclude(_overdue_q())
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )


def _escalate_one(pk: int, now: dt.datetime, run: ClockRun) -> None:
    """Catch one issue up with the clock, in its own transaction (see the module's notes)."""
    with transaction.atomic(), acting_as(None):
        issue = (
            Issue.objects.select_for_update(of=("self",))
            .select_related("forum")
            .filter(pk=pk)
            .first()
        )
        # Re-checked under the lock: a person may have resolved or escalated it meanwhile.
        if (
            issue is None
            or issue.status not in OPEN_STATUSES
            or issue.forum is None
            or issue.due_at is None
            or issue.due_at > now
        ):
            return
        forums = ladder(issue.relationship_id)
        steps: list[tuple[int | None, int]] = []
        assert issue.due_at is not None
        while issue.due_at <= now:
            assert issue.forum is not None
            above = next_in(forums, issue.forum)
            if above is None:
                _mark_overdue(issue, run)
                break
            step_at = issue.due_at
            days = resolve_days(issue.forum, issue.severity)
            IssueEvent.objects.create(
                issue=issue,
                relationship_id=issue.relationship_id,
                visibility=issue.visibility,
                kind=EventKind.ESCALATED,
                at=step_at,
                automatic=True,
                from_forum=issue.forum,
                to_forum=above,
                note=(
                    f"Not resolved within {days} days at {issue.forum} "
                    f"({issue.get_severity_display().lower()} severity): escalated by the clock."
                ),
            )
            steps.append((issue.forum.pk, above.pk))
            issue.forum = above
            issue.due_at = due_at(issue, above, step_at)
        if steps:
            issue.save(update_fields=["forum", "due_at", "updated_at"])
            run.escalated[issue.pk] = steps
            forum = issue.forum
            assert forum is not None
            notify(
                forum_members(forum),
                about=issue,
                kind=NotificationKind.ISSUE_ESCALATED,
                title=f"Escalated to {forum} by the clock: {issue.title}",
                body=(
                    f"“{issue.title}” was not resolved in time and now sits at {forum}. "
                    f"It escalates again if still open on {issue.due_at:%Y-%m-%d}."
                ),
            )


def _mark_overdue(issue: Issue, run: ClockRun) -> None:
    """One ``overdue`` event per deadline at the top of the ladder, never repeated."""
    if IssueEvent.objects.filter(issue=issue, kind=EventKind.OVERDUE, at=issue.due_at).exists():
        return
    IssueEvent.objects.create(
        issue=issue,
        relationship_id=issue.relationship_id,
        visibility=issue.visibility,
        kind=EventKind.OVERDUE,
        at=issue.due_at,
        automatic=True,
        from_forum=issue.forum,
        note=(
            f"Not resolved within {resolve_days(issue.forum, issue.severity)} days at "
            f"{issue.forum}, the top of the escalation ladder."
            if issue.forum
            else "Overdue."
        ),
    )
    run.overdue.append(issue.pk)


def escalate_due(now: dt.datetime | None = None) -> ClockRun:
    """Run the clock at ``now`` (default: now) over every relationship's open issues.

    Each issue is handled in its own transaction: one that fails is logged and
    left for the next run, and the others still move.
    """
    now = now or timezone.now()
    run = ClockRun()
    for pk in list(due_issues(now)):
        try:
            _escalate_one(pk, now, run)
        except Exception:
            logger.exception("The escalation clock failed on issue %s", pk)
            run.failed.append(pk)
    if run.escalated or run.overdue:
        logger.info("Escalation clock at %s: %s", now.isoformat(), run)
    return run
