"""The demo's "today", and how its stories stay true on a later day.

The demo tells a year of partnership (operational data for 2025-11 to
2026-10) as seen on :data:`STORY_DAY`. Most of it is history and keeps its
dates. A few things only make sense relative to the day somebody loads the
demo: a meeting still to come, an action that is due next week or overdue by
ten days, an issue raised last week whose escalation clock is still running.
Written with fixed dates, those drift as the calendar moves on (the meeting
is in the past, every open issue has climbed to the top of the ladder), so
loaders pass them through :func:`recent_day` or :func:`recent_moment`, which
keep their distance from today.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

# The day the demo's stories are written as of.
STORY_DAY = dt.date(2026, 11, 23)


def drift() -> dt.timedelta:
    """How far today is past :data:`STORY_DAY`; never negative."""
    return max(dt.timedelta(0), timezone.localdate() - STORY_DAY)


def recent_day(day: dt.date) -> dt.date:
    """``day`` of the story, moved so that it stands as far from today as from STORY_DAY."""
    return day + drift()


def recent_moment(moment: dt.datetime) -> dt.datetime:
    """The same as :func:`recent_day`, for a moment."""
    return moment + drift()
