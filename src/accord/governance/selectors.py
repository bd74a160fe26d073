"""Reading governance through the visibility rule: the ladder, people to choose, actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accord.core.choices import Action, Side
from accord.core.visibility import side_of
from accord.governance.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Forum,
    ForumMember,
    Meeting,
    MeetingStatus,
)
from accord.parties.models import Relationship, Role, User


def people_of(user: Any, relationship: Relationship) -> QuerySet[User]:
    """People who hold a role on the relationship, as ``user`` may see them (form choices)."""
    return (
        User.objects.restrict(user)
        .filter(roles__relationship=relationship, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "username")
        .distinct()
    )


def roles_by_person(user: Any, relationship: Relationship) -> dict[int, Role]:
    """Each person's role on the relationship (one query)."""
    rows = Role.objects.restrict(user).filter(relationship=relationship).select_related("person")
    return {role.person_id: role for role in rows}


def person_label(person: User, relationship: Relationship, role: Role | None = None) -> str:
    side = side_of(person, relationship)
    level = role.get_role_display().lower() if role else ""
    who = f"{person.get_full_name() or person.username}"
    details = ", ".join(part for part in (side, level) if part)
    return f"{who} ({details})" if details else who


def forums_of(user: Any, relationship: Relationship, action: str = Action.VIEW) -> Any:
    return Forum.objects.restrict(user, action).filter(relationship=relationship)


def members_prefetch(user: Any) -> Prefetch:
    return Prefetch(
        "members",
        queryset=ForumMember.objects.restrict(user).select_related("person__organisation"),
        to_attr="seated",
    )


def _next_meeting(user: Any, now: dt.datetime) -> Any:
    return (
        Meeting.objects.restrict(user)
        .filter(forum=OuterRef("pk"), status=MeetingStatus.SCHEDULED, starts_at__gte=now)
        .order_by("starts_at", "pk")
    )


def _last_meeting(user: Any) -> Any:
    return (
        Meeting.objects.restrict(user)
        .filter(forum=OuterRef("pk"), status=MeetingStatus.HELD)
        .order_by("-starts_at", "-pk")
    )


@dataclass
class LadderRung:
    """One forum of the escalation ladder with its people and its calendar."""

    forum: Forum
    members: list[ForumMember]
    next_meeting: Meeting | None
    last_meeting: Meeting | None
    sides: dict[str, list[ForumMember]] = field(default_factory=dict)


def ladder(user: Any, relationship: Relationship) -> list[LadderRung]:
    """The relationship's forums by tier, members, next and last meetings (three queries)."""
    now = timezone.now()
    forums = list(
        forums_of(user, relationship)
        .annotate(
            next_id=Subquery(_next_meeting(user, now).values("pk")[:1]),
            last_id=Subquery(_last_meeting(user).values("pk")[:1]),
        )
        .prefetch_related(members_prefetch(user))
        .order_by("tier", "name")
    )
    ids = [f.next_id for f in forums if f.next_id] + [f.last_id for f in forums if f.last_id]
    meetings = {m.pk: m for m in Meeting.objects.restrict(user).filter(pk__in=ids)} if ids else {}
    rungs = []
    for forum in forums:
        members = list(getattr(forum, "seated", []))
        sides: dict[str, list[ForumMember]] = {Side.BUYER: [], Side.PROVIDER: []}
        for member in members:
            side = side_of(member.person, relationship)
            if side:
                sides[side].append(member)
        rungs.append(
            LadderRung(
                forum=forum,
                members=members,
                next_meeting=meetings.get(forum.next_id),
                last_meeting=meetings.get(forum.last_id),
                sides=sides,
            )
        )
    return rungs


@dataclass(frozen=True)
class CardFacts:
    forums: list[Forum]
    next_meeting: Forum | None  # the forum whose next meeting comes first (annotated)
    open_actions: int
    overdue_actions: int


def card_facts(user: Any, relationship: Relationship, today: dt.date) -> CardFacts:
    """What the relationship page's governance card shows, in two queries."""
    now = timezone.now()
    upcoming = _next_meeting(user, now)
    forums = list(
        forums_of(user, relationship)
        .annotate(
            next_id=Subquery(upcoming.values("pk")[:1]),
            next_at=Subquery(upcoming.values("starts_at")[:1]),
            next_title=Subquery(upcoming.values("title")[:1]),
        )
        .order_by("tier", "name")
    )
    scheduled = [f for f in forums if f.next_id]
    first = min(scheduled, key=lambda f: f.next_at, default=None)
    counts = (
        ActionItem.objects.restrict(user)
        .filter(relationship=relationship, status=ActionStatus.OPEN)
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    return CardFacts(forums, first, counts["open"] or 0, counts["overdue"] or 0)


def attendance_by_side(user: Any, meeting: Meeting) -> dict[str, dict[str, list[Attendance]]]:
    """The meeting's attendance: side -> "present"/"absent" -> rows, executives first."""
    order = {"executive": 0, "manager": 1, "contributor": 2, "viewer": 3}
    grouped: dict[str, dict[str, list[Attendance]]] = {
        Side.BUYER: {"present": [], "absent": []},
        Side.PROVIDER: {"present": [], "absent": []},
    }
    rows = Attendance.objects.restrict(user).filter(meeting=meeting).select_related("person")
    for row in sorted(rows, key=lambda a: (order.get(a.level, 9), str(a.person))):
        grouped.setdefault(row.side, {"present": [], "absent": []})
        grouped[row.side]["present" if row.present else "absent"].append(row)
    return grouped


def is_overdue(action: ActionItem, today: dt.date) -> bool:
    return action.status == ActionStatus.OPEN and action.due_date < today


@dataclass(frozen=True)
class MonthLoad:
    """One month of held meetings: how many, their person-hours, which executives came."""

    month: dt.date
    meetings: int
    person_hours: float
    buyer_executive: bool
    provider_executive: bool

    @property
    def text(self) -> str:
        sides = [
            name
            for name, present in (
                ("buyer", self.buyer_executive),
                ("provider", self.provider_executive),
            )
            if present
        ]
        executives = f"{' and '.join(sides)} executive present" if sides else "no executive"
        return (
            f"{self.month:%B %Y}: {self.meetings} meeting{'s' if self.meetings != 1 else ''}, "
            f"{self.person_hours:.1f} person-hours, {executives}"
        )


def meeting_load(
    user: Any, relationship: Relationship, zone: dt.tzinfo, months: int = 12
) -> list[MonthLoad]:
    """Held meetings per local month, the last ``months`` months to this one (two queries).

    What warning signs 5 (person-hours) and 7 (executives present) read, as the
    person may see it.
    """
    today = timezone.localtime(timezone.now(), zone).date()
    index = today.year * 12 + today.month - 1
    starts = [
        dt.date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(months - 1, -1, -1)
    ]
    first = timezone.make_aware(dt.datetime.combine(starts[0], dt.time()), zone)
    held = list(
        Meeting.objects.restrict(user)
        .filter(relationship=relationship, status=MeetingStatus.HELD, starts_at__gte=first)
        .values_list("pk", "starts_at", "duration_minutes")
    )
    present: dict[int, list[tuple[str, str]]] = {}
    rows = (
        Attendance.objects.restrict(user)
        .filter(meeting_id__in=[pk for pk, _s, _d in held], present=True)
        .values_list("meeting_id", "side", "level")
    )
    for meeting_id, side, level in rows:
        present.setdefault(meeting_id, []).append((side, level))
    totals: dict[dt.date, list[Any]] = {month: [0, 0.0, False, False] for month in starts}
    for pk, starts_at, minutes in held:
        local = timezone.localtime(starts_at, zone).date().replace(day=1)
        if local not in totals:
            continue
        people = present.get(pk, [])
        total = totals[local]
        total[0] += 1
        total[1] += minutes * len(people) / 60
        total[2] = total[2] or (Side.BUYER, "executive") in people
        total[3] = total[3] or (Side.PROVIDER, "executive") in people
    return [MonthLoad(month, *totals[month]) for month in starts]
