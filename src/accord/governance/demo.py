"""Demo data: three forums per relationship with members of both sides, a year of past
meetings with attendance, minutes, decisions and actions, and one meeting to come.

The meetings are the forum meetings of the health story (they used to be logged in
:mod:`accord.health.demo_signs`; only contacts that are not forum meetings stay
there): same dates, titles and durations, the forum by the table's tier, and
attendance with the relationship's real people. Executives are present exactly
where the table says so; the other attendees are the relationship's managers,
as many as the table counts and the relationship has. So the story holds: at
credit-harbour no executive of either side has attended since May 2026 and the
meetings take ever more person-hours in September and October 2026, while the
two Northwind relationships see their executives every quarter.

The story is told as of 2026-11-23 (:mod:`accord.core.demo_time`). What only
makes sense relative to the day the demo is loaded keeps its distance from
that day: open actions' due dates and the meeting to come.

Everything goes through the services. Idempotent: forums are found by name,
members by person, held meetings by title and day, the meeting to come by forum
and title after the story's day, decisions by text and actions by title;
attendance is recorded once, when the meeting is created.
Past records notify nobody; open actions and the meeting to come tell their
people in the inbox, without e-mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accord.attention.notify import quiet
from accord.core.choices import RoleName, Side
from accord.core.context import acting_as
from accord.core.demo_time import STORY_DAY, recent_day
from accord.governance import services
from accord.governance.models import (
    ActionItem,
    Attendance,
    Cadence,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    MeetingStatus,
    Tier,
)
from accord.governance.zones import relationship_zone
from accord.parties.demo import RELATIONSHIPS
from accord.parties.models import Relationship, Role, User

MONTHS = [f"{2025 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(12)]  # 2025-11..
STARTS = dt.time(10, 0)  # local time of the relationship

OPERATIONAL = "Operational service review"
MANAGEMENT = "Contract management committee"
EXECUTIVE = "Executive steering committee"

# name -> (tier, cadence, terms of reference); days to resolve: the issues clock's defaults.
FORUMS: dict[str, tuple[int, str, str]] = {
    OPERATIONAL: (
        Tier.OPERATIONAL, Cadence.FORTNIGHTLY,
        "**Purpose.** Review the fortnight's service: volumes, service levels, incidents "
        "and the staffing plan.\n\n**Members.** The delivery leads of both sides; the "
        "buyer's manager chairs.\n\n**Decides** day-to-day fixes within the contract. "
        "**Escalates** to the contract management committee what it cannot resolve in time.",
    ),
    MANAGEMENT: (
        Tier.MANAGEMENT, Cadence.MONTHLY,
        "**Purpose.** The monthly scorecard, service credits and excusals, change requests "
        "and the scope register.\n\n**Members.** The contract and account managers of both "
        "sides; the buyer's contract manager chairs.\n\n**Decides** changes within the "
        "commercial terms. **Escalates** to the executive steering committee.",
    ),
    EXECUTIVE: (
        Tier.EXECUTIVE, Cadence.QUARTERLY,
        "**Purpose.** The joint plan's objectives, the health of the relationship and "
        "anything escalated to it.\n\n**Members.** The executive sponsors of both sides "
        "(the buyer's chairs), with the managers in attendance.\n\n**Decides** on "
        "strategy, resets and the contract's renewal. The top of the ladder.",
    ),
}  # fmt: skip

TIER_FORUM = {"operational": OPERATIONAL, "management": MANAGEMENT, "executive": EXECUTIVE}

# (held_on, title, tier, minutes, attendees, buyer exec present, provider exec present)
Row = tuple[str, str, str, int, int, bool, bool]


def _monthly(day: int, title: str, minutes: int, people: int) -> list[Row]:
    return [(f"{m}-{day:02d}", f"{title} {m}", "management", minutes, people, False, False)
            for m in MONTHS]  # fmt: skip


# The forum meetings of the health story (moved from accord.health.demo_signs).
MEETINGS: dict[str, list[Row]] = {
    "credit-harbour": [
        *_monthly(8, "Monthly service review", 60, 6),
        ("2025-12-15", "Transition steering committee", "executive", 90, 6, True, True),
        ("2026-02-18", "Quarterly business review", "executive", 120, 8, True, True),
        ("2026-05-20", "Quarterly business review", "executive", 120, 8, True, True),
        ("2026-08-19", "Evening staffing escalation", "operational", 60, 4, False, False),
        ("2026-09-09", "Evening staffing escalation", "operational", 60, 4, False, False),
        ("2026-09-23", "Weekend cover dispute", "management", 90, 6, False, False),
        ("2026-10-06", "Weekend cover dispute", "management", 120, 8, False, False),
        ("2026-10-14", "Service credit review", "management", 90, 8, False, False),
    ],
    "credit-northwind": [
        *_monthly(10, "Monthly service review", 60, 5),
        ("2025-11-20", "Quarterly business review", "executive", 90, 6, True, True),
        ("2026-02-19", "Quarterly business review", "executive", 90, 6, True, True),
        ("2026-05-21", "Quarterly business review", "executive", 90, 6, True, True),
        ("2026-08-20", "Quarterly business review", "executive", 90, 6, True, True),
    ],
    "ministry-northwind": [
        *_monthly(12, "Payroll operations review", 90, 6),
        ("2025-12-04", "Executive steering committee", "executive", 90, 6, True, True),
        ("2026-03-05", "Executive steering committee", "executive", 90, 6, True, True),
        ("2026-06-04", "Executive steering committee", "executive", 90, 6, True, True),
        ("2026-09-03", "Executive steering committee", "executive", 90, 6, True, True),
    ],
}

# Minutes of particular meetings, by (relationship key, day); others get their tier's.
MINUTES: dict[tuple[str, str], str] = {
    ("credit-harbour", "2026-05-20"): (
        "Q2 review. Chat go-live landed in March; evening abandonment is above target in "
        "three months of five. Harbour flagged evening-shift attrition. Both sponsors "
        "agreed to meet again in August."
    ),
    ("credit-harbour", "2026-08-19"): (
        "Nine leavers on the evening shift in six weeks. Harbour is recruiting; the Credit "
        "Union asked for a daily staffing report until the shift is back to strength."
    ),
    ("credit-harbour", "2026-09-23"): (
        "The Credit Union asked for weekend cover from October. Harbour's view: Schedule A "
        "covers evenings Monday to Friday, so weekend cover is a change request. No "
        "agreement; both sides to come back with their numbers."
    ),
    ("credit-harbour", "2026-10-06"): (
        "Second session on weekend cover, two hours. Positions unchanged: the Credit Union "
        "holds that weekends were always intended, Harbour points to the schedule's letter. "
        "No executive of either side has attended since May."
    ),
    ("credit-harbour", "2026-10-14"): (
        "The August service credit stands (clause 7.3). Harbour asked for relief on the "
        "evening shift; the Credit Union declined. Retention on the evening shift discussed."
    ),
    ("credit-northwind", "2026-08-20"): (
        "Q3 review with both sponsors. Overflow handled within the service levels all "
        "quarter; the callback option cut abandoned calls at the peak. Knowledge-base "
        "clean-up under way with member feedback."
    ),
    ("ministry-northwind", "2026-09-03"): (
        "Q3 steering. Retro-pay accuracy recovered after the validation robot went live. "
        "The collective agreement's retro-pay tables are due from the Ministry. Year-end "
        "freeze agreed for 15 to 31 December."
    ),
}

TIER_MINUTES = {
    "operational": "Volumes, incidents and the staffing plan reviewed; no escalation.",
    "management": (
        "Monthly scorecard reviewed; credits and open change requests discussed. "
        "Actions carried forward in the action log."
    ),
    "executive": (
        "Joint plan objectives and relationship health reviewed by both sponsors. "
        "Nothing escalated to the steering committee."
    ),
}

# (relationship key, meeting day, decision)
DECISIONS: list[tuple[str, str, str]] = [
    ("credit-harbour", "2026-05-20", "Meet again as sponsors in August (not held)."),
    ("credit-harbour", "2026-09-23", "Harbour to cost weekend cover as a change request."),
    ("credit-harbour", "2026-10-06",
     "No agreement on weekend cover: escalate to the executive steering committee."),
    ("credit-harbour", "2026-10-14", "The August service credit stands as calculated."),
    ("credit-northwind", "2026-08-20",
     "Keep the callback option permanently; fold it into the schedule at renewal."),
    ("ministry-northwind", "2026-09-03", "Year-end freeze from 15 to 31 December."),
    ("ministry-northwind", "2026-09-03",
     "Retro-pay validation robot becomes part of the standard pay run."),
]  # fmt: skip


@dataclass(frozen=True)
class DemoAction:
    key: str
    meeting_day: str | None  # the meeting that agreed it (None: outside a meeting)
    title: str
    owner: str
    due: str
    done_on: str | None = None  # done (that day) or still open


ACTIONS = [
    DemoAction("credit-harbour", "2026-05-20", "Share the evening-shift recruitment plan",
               "harbour.lead", "2026-06-10", done_on="2026-06-08"),
    DemoAction("credit-harbour", "2026-09-23", "Cost weekend cover as a change request",
               "harbour.lead", "2026-10-02", done_on="2026-10-01"),
    DemoAction("credit-harbour", "2026-10-06",
               "Book an executive steering committee with both sponsors",
               "credit.manager", "2026-10-20"),  # open and overdue: the story's drift
    DemoAction("credit-harbour", "2026-10-14", "Retention plan for the evening shift",
               "harbour.lead", "2026-12-04"),
    DemoAction("credit-northwind", "2026-08-20", "Share the knowledge-base clean-up plan",
               "northwind.exec", "2026-09-15", done_on="2026-09-11"),
    DemoAction("credit-northwind", "2026-08-20", "Confirm the 2027 overflow volume forecast",
               "credit.manager", "2026-11-13"),  # overdue
    DemoAction("credit-northwind", None, "Propose three joint objectives for 2027",
               "northwind.exec", "2026-12-11"),
    DemoAction("ministry-northwind", "2026-06-04", "Put the retro-pay validation robot live",
               "northwind.lead", "2026-06-30", done_on="2026-06-26"),
    DemoAction("ministry-northwind", "2026-09-03",
               "Send the collective agreement's retro-pay tables",
               "ministry.manager", "2026-11-06"),  # overdue
    DemoAction("ministry-northwind", "2026-09-03", "Publish the year-end freeze runbook",
               "northwind.lead", "2026-12-01"),
]  # fmt: skip

# One meeting to come per relationship: (key, forum, title, day, minutes, agenda)
UPCOMING: list[tuple[str, str, str, str, int, str]] = [
    ("credit-harbour", EXECUTIVE, "Executive steering committee: reset", "2026-12-09", 120,
     "1. Weekend cover: both sides' interests\n2. Evening-shift attrition and retention\n"
     "3. Whether the relationship needs a reset plan"),
    ("credit-northwind", EXECUTIVE, "Quarterly business review", "2026-11-26", 90,
     "1. Q4 scorecard\n2. 2027 overflow forecast\n3. Joint objectives for 2027"),
    ("ministry-northwind", OPERATIONAL, "Year-end freeze readiness", "2026-12-03", 60,
     "1. Freeze runbook\n2. Retro-pay tables\n3. Stand-up rota for 15 to 31 December"),
]  # fmt: skip


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _relationship(key: str) -> Relationship:
    name = next(name for k, _b, _p, name, *_rest in RELATIONSHIPS if k == key)
    return Relationship.objects.get(name=name)


@dataclass
class _People:
    """The relationship's people by side and level, and who chairs and writes."""

    buyer_exec: User | None
    provider_exec: User | None
    buyer_managers: list[User]
    provider_managers: list[User]

    @property
    def writer(self) -> User:
        """The buyer's manager keeps the forums' records (chairs the lower tiers)."""
        chosen = self.buyer_managers[0] if self.buyer_managers else self.buyer_exec
        if chosen is None:
            raise LookupError("The demo relationship has nobody on the buyer's side.")
        return chosen

    def managers(self) -> list[User]:
        return [*self.buyer_managers, *self.provider_managers]

    def members(self, forum: str) -> list[tuple[User, bool]]:
        """(person, chairs) of a forum: managers below, executives (and managers) on top."""
        seated: list[tuple[User, bool]] = []
        if forum == EXECUTIVE:
            for person in (self.buyer_exec, self.provider_exec):
                if person is not None:
                    seated.append((person, person == self.buyer_exec))
            return seated
        for person in self.managers():
            seated.append((person, person == self.writer))
        if not self.provider_managers and self.provider_exec is not None:
            # A provider with nobody below its executive sends its executive.
            seated.append((self.provider_exec, False))
        return seated

    def present(self, count: int, buyer_exec: bool, provider_exec: bool) -> list[User]:
        """Executives exactly as the table says, then managers up to the table's count."""
        people = [p for p, flag in ((self.buyer_exec, buyer_exec),
                                    (self.provider_exec, provider_exec)) if flag and p]  # fmt: skip
        for manager in self.managers():
            if len(people) >= count:
                break
            people.append(manager)
        return people


def _people(relationship: Relationship) -> _People:
    roles = (
        Role.objects.filter(relationship=relationship)
        .select_related("person")
        .order_by("person__username")
    )
    found = _People(None, None, [], [])
    for role in roles:
        side = relationship.side_of(role.person)
        if role.role == RoleName.EXECUTIVE:
            if side == Side.BUYER:
                found.buyer_exec = role.person
            else:
                found.provider_exec = role.person
        elif role.role == RoleName.MANAGER:
            (found.buyer_managers if side == Side.BUYER else found.provider_managers).append(
                role.person
            )
    return found


class _Loader:
    def __init__(self, key: str) -> None:
        self.key = key
        self.relationship = _relationship(key)
        self.people = _people(self.relationship)
        self.zone = relationship_zone(self.relationship)
        self.created = 0
        self.forums: dict[str, Forum] = {}

    def at(self, day: str | dt.date) -> dt.datetime:
        on = _day(day) if isinstance(day, str) else day
        return timezone.make_aware(dt.datetime.combine(on, STARTS), self.zone)

    def load(self) -> int:
        writer = self.people.writer
        with quiet("off"):
            for name in FORUMS:
                self.forums[name] = self.forum(name, writer)
            for row in MEETINGS[self.key]:
                self.held_meeting(row, writer)
            for key, day, text in DECISIONS:
                if key == self.key:
                    self.decision(day, text, writer)
        with quiet("inbox"):
            for action in ACTIONS:
                if action.key == self.key:
                    self.action(action, writer)
            for key, forum, title, day, minutes, agenda in UPCOMING:
                if key == self.key:
                    self.upcoming(forum, title, day, minutes, agenda, writer)
        return self.created

    def forum(self, name: str, writer: User) -> Forum:
        tier, cadence, terms = FORUMS[name]
        forum = Forum.objects.filter(relationship=self.relationship, name=name).first()
        if forum is None:
            forum = services.forum_create(
                relationship=self.relationship, name=name, tier=tier, cadence=cadence,
                terms_of_reference=terms, actor=writer,
            )  # fmt: skip
            self.created += 1
        for person, chairs in self.people.members(name):
            if not ForumMember.objects.filter(forum=forum, person=person).exists():
                services.forum_member_add(forum=forum, person=person, is_chair=chairs, actor=writer)
                self.created += 1
        return forum

    def meeting_on(self, day: str, title: str | None = None) -> Meeting | None:
        start = self.at(day)
        found = Meeting.objects.filter(
            relationship=self.relationship,
            starts_at__gte=start - dt.timedelta(hours=12),
            starts_at__lt=start + dt.timedelta(hours=12),
        )
        if title is not None:
            found = found.filter(title=title)
        return found.order_by("pk").first()

    def held_meeting(self, row: Row, writer: User) -> None:
        day, title, tier, minutes, count, buyer_exec, provider_exec = row
        forum = self.forums[TIER_FORUM[tier]]
        if self.meeting_on(day, title) is not None:
            return
        meeting = services.meeting_schedule(
            forum=forum, title=title, starts_at=self.at(day), duration_minutes=minutes,
            agenda="1. Actions from last time\n2. Service and scorecard\n3. Issues and risks",
            actor=writer,
        )  # fmt: skip
        present = self.people.present(count, buyer_exec, provider_exec)
        services.attendance_record(meeting=meeting, present=present, actor=writer)
        text = MINUTES.get((self.key, day), TIER_MINUTES[tier])
        services.meeting_record(
            meeting=meeting, status=MeetingStatus.HELD, minutes=text, actor=writer
        )
        self.created += 1 + Attendance.objects.filter(meeting=meeting).count()

    def decision(self, day: str, text: str, writer: User) -> None:
        meeting = self.meeting_on(day)
        if meeting is None or Decision.objects.filter(meeting=meeting, text=text).exists():
            return
        services.decision_add(meeting=meeting, text=text, actor=writer)
        self.created += 1

    def action(self, action: DemoAction, writer: User) -> None:
        if ActionItem.objects.filter(relationship=self.relationship, title=action.title).exists():
            return
        owner = User.objects.get(username=action.owner)
        meeting = self.meeting_on(action.meeting_day) if action.meeting_day else None
        if action.done_on:
            with quiet("off"):  # done long ago: nobody needs telling now
                item = services.action_add(
                    relationship=self.relationship, meeting=meeting, title=action.title,
                    owner=owner, due_date=_day(action.due), actor=writer,
                )  # fmt: skip
                services.action_complete(action=item, actor=owner)
            # The demo's story happened in 2026: date the completion when it was done.
            with acting_as(owner):
                ActionItem.objects.filter(pk=item.pk).update(done_at=self.at(action.done_on))
        else:
            # Still open: due (or overdue) as many days from today as from the story's day.
            services.action_add(
                relationship=self.relationship, meeting=meeting, title=action.title,
                owner=owner, due_date=recent_day(_day(action.due)), actor=writer,
            )  # fmt: skip
        self.created += 1

    def upcoming(
        self, forum_name: str, title: str, day: str, minutes: int, agenda: str, writer: User
    ) -> None:
        forum = self.forums[forum_name]
        # Found by title after the story's day: its own day moves with today's.
        after_story = self.at(STORY_DAY)
        if Meeting.objects.filter(forum=forum, title=title, starts_at__gte=after_story).exists():
            return
        services.meeting_schedule(
            forum=forum, title=title, starts_at=self.at(recent_day(_day(day))),
            duration_minutes=minutes, location="Video call", agenda=agenda, actor=writer,
        )  # fmt: skip
        self.created += 1


@transaction.atomic
def load_governance_demo() -> int:
    """Load the demo records; return how many were created (0 when run again).

    Needs the parties demo (and the contracts of the performance demo for each
    relationship's time zone; without them meetings are at 10:00 in ``TIME_ZONE``).
    """
    created = 0
    with acting_as(None, request_id="demo-loader"):
        for key, *_rest in RELATIONSHIPS:
            created += _Loader(key).load()
    return created


__all__ = ["ACTIONS", "MEETINGS", "UPCOMING", "load_governance_demo"]
