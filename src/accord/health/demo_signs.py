"""The demo's warning-sign inputs, loaded through the services.

The story (2025-11 to 2026-10, the months the performance demo covers):

* credit-harbour is drifting: Harbour's people are leaving faster every month
  (its own private note says "nine leavers in six weeks"), no executive of
  either side has been at a meeting since May 2026, meetings take ever more
  hours, Harbour's two ideas (chat deflection, callback) were declined and it
  has proposed nothing since January 2026, several joint
  notes from August push back citing the contract's letter, and (the Credit
  Union's private record) Harbour's operating margin is falling fast. Signs 2,
  4, 5, 6, 7 and 8 are triggered for 2026-10.
* ministry-northwind and credit-northwind are healthy: steady workforce,
  executives present, provider proposals every few months. One sign is on
  watch: Northwind's last proposal to the Credit Union was in June 2026.

Idempotent: workforce months go through the (idempotent) import; meetings are
found by date and title, proposals and notes by title, financial figures by
period end. Refresh requests are dropped: whoever loads the demo refreshes
health once at the end.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.core.choices import Visibility
from accord.core.context import acting_as
from accord.health import inputs, refresh
from accord.health.models import FinancialIndicator, ImprovementProposal, MeetingLog, ProposalStatus
from accord.health.workforce_import import workforce_import
from accord.notes.models import Note
from accord.notes.services import note_create, note_update
from accord.parties.demo import RELATIONSHIPS
from accord.parties.models import Relationship, User

D = decimal.Decimal
MONTHS = [f"{2025 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(12)]  # 2025-11..


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# key -> (buyer person, provider person)
PEOPLE = {
    "ministry-northwind": ("ministry.manager", "northwind.lead"),
    "credit-northwind": ("credit.manager", "northwind.exec"),
    "credit-harbour": ("credit.manager", "harbour.lead"),
}

# key -> [(headcount, joiners, leavers, moved_out, note)] for MONTHS
WORKFORCE: dict[str, list[tuple[int, int, int, int, str]]] = {
    "credit-harbour": [
        (48, 48, 0, 0, "Transition: first cohort hired"),
        (56, 8, 0, 0, ""), (60, 4, 0, 0, ""), (62, 3, 1, 0, ""), (63, 2, 1, 0, ""),
        (63, 2, 1, 1, ""), (63, 2, 2, 0, ""), (62, 2, 2, 1, ""), (61, 2, 2, 1, ""),
        (60, 3, 3, 1, "Evening shift leavers"),
        (57, 2, 4, 1, "Nine leavers in six weeks on the evening shift"),
        (54, 3, 5, 1, "Retention bonus proposed"),
    ],
    "credit-northwind": [
        (40, 1, 1, 0, ""), (40, 1, 1, 0, ""), (41, 2, 1, 0, ""), (41, 1, 1, 0, ""),
        (41, 1, 0, 1, ""), (41, 1, 1, 0, ""), (41, 1, 1, 0, ""), (42, 2, 1, 0, ""),
        (42, 1, 1, 0, ""), (42, 1, 0, 1, ""), (42, 1, 1, 0, ""), (42, 1, 1, 0, ""),
    ],
    "ministry-northwind": [
        (85, 1, 1, 0, ""), (85, 1, 1, 0, ""), (86, 2, 1, 0, ""), (86, 1, 1, 0, ""),
        (86, 1, 0, 1, ""), (86, 1, 1, 0, ""), (85, 1, 1, 1, ""), (85, 1, 1, 0, ""),
        (86, 2, 1, 0, ""), (86, 1, 1, 0, ""), (86, 1, 0, 1, ""), (86, 1, 1, 0, ""),
    ],
}  # fmt: skip

# (held_on, title, tier, minutes, attendees, buyer exec, provider exec)
Meeting = tuple[str, str, str, int, int, bool, bool]

# Executive contacts that are not forum meetings. The forum meetings of the story
# (monthly reviews, steering committees, the Harbour disputes) are held meetings of
# the governance forums, with their attendance: see accord.governance.demo.
MEETINGS: dict[str, list[Meeting]] = {
    "credit-northwind": [
        ("2026-10-15", "Sponsor check-in", "executive", 30, 2, True, True),
    ],
    "ministry-northwind": [
        ("2026-10-22", "Sponsors' walk of the pay centre", "executive", 60, 3, True, True),
    ],
}

# (side: "provider" or "buyer", proposed_on, title, status, benefit)
PROPOSALS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "credit-harbour": [
        ("provider", "2025-12-10", "Chat deflection to the member FAQ", ProposalStatus.DECLINED,
         "Fewer simple chats reaching an agent in the evening peak."),
        ("provider", "2026-01-20", "Callback for evening queues", ProposalStatus.DECLINED,
         "Members keep their place in the queue instead of abandoning."),
        ("buyer", "2026-07-14", "Shared member-journey review", ProposalStatus.PROPOSED,
         "Find the contact reasons that could be avoided."),
    ],
    "credit-northwind": [
        ("provider", "2026-01-12", "Callback instead of queueing", ProposalStatus.DELIVERED,
         "Fewer abandoned calls at the overflow peak."),
        ("provider", "2026-06-08", "Knowledge base clean-up with member feedback",
         ProposalStatus.IN_PROGRESS, "Higher first-contact resolution."),
    ],
    "ministry-northwind": [
        ("provider", "2026-02-02", "Retro-pay validation robot", ProposalStatus.DELIVERED,
         "Catches retro-pay errors before the pay run."),
        ("provider", "2026-07-06", "Self-service pay-stub explanations", ProposalStatus.ACCEPTED,
         "Fewer 'why did my pay change' calls."),
        ("provider", "2026-09-28", "Year-end freeze playbook", ProposalStatus.PROPOSED,
         "A calmer December."),
    ],
}  # fmt: skip

# Joint notes citing the contract's letter: (author side, day, title, body)
DISPUTES: dict[str, list[tuple[str, str, str, str]]] = {
    "credit-harbour": [
        ("provider", "2026-08-12", "Weekend cover is outside the contract",
         "Schedule A covers evenings Monday to Friday; weekend cover is a change request."),
        ("provider", "2026-09-03", "Callbacks are not in the statement of work",
         "Section 2.4 lists inbound calls and chat only; callbacks need a change order."),
        ("provider", "2026-09-24", "Transcripts are due monthly, not weekly",
         "The reporting clause says monthly; weekly transcripts are extra work."),
        ("buyer", "2026-10-09", "Service credits apply as written",
         "The Credit Union holds to clause 7.3: the August credit stands."),
        ("provider", "2026-10-20", "Holiday surge staffing is a change request",
         "The volume band in Schedule B is exceeded; staffing above it is billable."),
    ],
}  # fmt: skip

# Buyer-only: (period_end, revenue, operating margin %, rating, source)
FINANCES: dict[str, list[tuple[str, str, str, str, str]]] = {
    "credit-harbour": [
        ("2024-12-31", "182000000", "7.80", "BBB", "Annual report 2024"),
        ("2025-06-30", "176500000", "7.10", "BBB", "Half-year report 2025"),
        ("2025-12-31", "171200000", "6.00", "BBB-", "Annual report 2025"),
        ("2026-06-30", "158900000", "2.90", "BB+", "Half-year report 2026"),
    ],
    "credit-northwind": [
        ("2025-06-30", "940000000", "9.40", "A-", "Half-year report 2025"),
        ("2025-12-31", "968000000", "9.60", "A-", "Annual report 2025"),
        ("2026-06-30", "981000000", "9.50", "A-", "Half-year report 2026"),
    ],
    "ministry-northwind": [
        ("2025-06-30", "940000000", "9.40", "A-", "Half-year report 2025"),
        ("2025-12-31", "968000000", "9.60", "A-", "Annual report 2025"),
        ("2026-06-30", "981000000", "9.50", "A-", "Half-year report 2026"),
    ],
}


def _workforce(relationship: Relationship, provider: User, key: str) -> int:
    lines = ["month,headcount,joiners,leavers,moved_out,note"]
    for month, (head, joined, left, moved, note) in zip(MONTHS, WORKFORCE[key], strict=True):
        lines.append(f"{month},{head},{joined},{left},{moved},{note}")
    report = workforce_import(relationship=relationship, text="\n".join(lines), actor=provider)
    return len(report.created)


def _meetings(relationship: Relationship, buyer: User, key: str) -> int:
    created = 0
    for held_on, title, tier, minutes, people, buyer_exec, provider_exec in MEETINGS.get(key, []):
        if MeetingLog.objects.filter(
            relationship=relationship, held_on=_d(held_on), title=title
        ).exists():
            continue
        inputs.meeting_log_create(
            relationship=relationship, actor=buyer, held_on=_d(held_on), title=title, tier=tier,
            duration_minutes=minutes, attendees=people, buyer_executive_present=buyer_exec,
            provider_executive_present=provider_exec,
        )  # fmt: skip
        created += 1
    return created


def _proposals(relationship: Relationship, people: dict[str, User], key: str) -> int:
    created = 0
    for side, day, title, status, benefit in PROPOSALS[key]:
        if ImprovementProposal.objects.filter(relationship=relationship, title=title).exists():
            continue
        inputs.proposal_create(
            relationship=relationship, actor=people[side], title=title, proposed_on=_d(day),
            status=status, expected_benefit=benefit,
        )  # fmt: skip
        created += 1
    return created


def _disputes(relationship: Relationship, people: dict[str, User], key: str) -> int:
    created = 0
    for side, day, title, body in DISPUTES.get(key, []):
        if Note.objects.filter(relationship=relationship, title=title).exists():
            continue
        author = people[side]
        note = note_create(
            relationship=relationship, title=title, body=body, visibility=Visibility.JOINT,
            actor=author,
        )  # fmt: skip
        note_update(note=note, contractual_dispute=True, actor=author)
        # The demo's story happened in 2026: date the note when it was written.
        when = timezone.make_aware(dt.datetime.combine(_d(day), dt.time(10, 30)))
        with acting_as(author):
            Note.objects.filter(pk=note.pk).update(created_at=when)
        created += 1
    return created


def _finances(relationship: Relationship, buyer: User, key: str) -> int:
    created = 0
    for day, revenue, margin, rating, source in FINANCES[key]:
        if FinancialIndicator.objects.filter(
            relationship=relationship, period_end=_d(day)
        ).exists():
            continue
        inputs.financial_indicator_create(
            relationship=relationship, actor=buyer, period_end=_d(day), revenue=D(revenue),
            operating_margin=D(margin), credit_rating=rating, source=source,
        )  # fmt: skip
        created += 1
    return created


def _load_one(key: str, relationship: Relationship) -> int:
    buyer_name, provider_name = PEOPLE[key]
    buyer = User.objects.get(username=buyer_name)
    provider = User.objects.get(username=provider_name)
    people: dict[str, Any] = {"buyer": buyer, "provider": provider}
    return (
        _workforce(relationship, provider, key)
        + _meetings(relationship, buyer, key)
        + _proposals(relationship, people, key)
        + _disputes(relationship, people, key)
        + _finances(relationship, buyer, key)
    )


@transaction.atomic
def load_signs_demo() -> int:
    """Load the sign inputs of the three demo relationships; return how many records were new.

    Needs the parties demo. Health is not refreshed here (whoever loads the
    demo refreshes it once, after everything is loaded).
    """
    created = 0
    with refresh.refreshes_deferred() as pending:
        for key, *_rest, name, _services, _status, _start, _end in RELATIONSHIPS:
            relationship = Relationship.objects.get(name=name)
            created += _load_one(key, relationship)
        pending.clear()  # the loader refreshes once at the end, not once per record
    return created
