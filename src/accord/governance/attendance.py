"""Held forum meetings as facts for the warning signs (5: too many meetings; 7: missing
executives).

A fact is computed from the meeting and its attendance: who was present, for
which side and at which level (copied when the attendance was recorded). It
reads no person's view of the data: health readings are computed records.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from accord.core.choices import RoleName, Side, Visibility
from accord.governance.models import Attendance, Meeting, MeetingStatus
from accord.governance.zones import local_date, relationship_zone


@dataclass(frozen=True)
class MeetingFact:
    """One held meeting as the warning signs count it."""

    held_on: dt.date  # the local date (relationship's zone) of its start
    title: str
    tier: int  # the forum's tier: 1 operational, 2 management, 3 executive
    person_hours: decimal.Decimal  # duration × people present / 60
    buyer_executive_present: bool
    provider_executive_present: bool
    url: str


def held_meetings(relationship: Any) -> list[MeetingFact]:
    """The relationship's held joint meetings, oldest first (three queries)."""
    zone = relationship_zone(relationship)
    meetings = list(
        Meeting.objects.filter(
            relationship_id=getattr(relationship, "pk", relationship),
            visibility=Visibility.JOINT,
            status=MeetingStatus.HELD,
        )
        .select_related("forum")
        .order_by("starts_at", "pk")
    )
    present: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = Attendance.objects.filter(
        meeting__in=[m.pk for m in meetings], present=True, visibility=Visibility.JOINT
    ).values_list("meeting_id", "side", "level")
    for meeting_id, side, level in rows:
        present[meeting_id].append((side, level))
    facts = []
    for meeting in meetings:
        people = present.get(meeting.pk, [])
        facts.append(
            MeetingFact(
                held_on=local_date(meeting.starts_at, zone),
                title=meeting.title,
                tier=meeting.forum.tier,
                person_hours=decimal.Decimal(meeting.duration_minutes * len(people)) / 60,
                buyer_executive_present=(Side.BUYER, RoleName.EXECUTIVE) in people,
                provider_executive_present=(Side.PROVIDER, RoleName.EXECUTIVE) in people,
                url=meeting.get_absolute_url(),
            )
        )
    return facts
