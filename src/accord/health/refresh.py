"""Keeping the warning signs and the health index up to date.

Every input a sign or the index reads (a scorecard run, workforce figures, a
meeting, a proposal, a tagged note, a closed survey round, the provider's
finances, a tuned threshold) asks for a refresh of its relationship once its
transaction commits; the refresh recomputes the last twelve complete months.
It is idempotent: the same inputs give the same readings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone

from accord.core.tasks import enqueue
from accord.parties.models import Relationship

MONTHS = 12


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months after ``month`` (negative: before)."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    """The last day of ``month``."""
    return add_months(month, 1) - dt.timedelta(days=1)


def last_complete_month(today: dt.date | None = None) -> dt.date:
    """The month before ``today``'s (health is read on complete months)."""
    return add_months(month_start(today or timezone.localdate()), -1)


def health_months(through: dt.date | None = None, count: int = MONTHS) -> list[dt.date]:
    """``count`` months, oldest first, ending with ``through`` (default: last complete month)."""
    last = month_start(through) if through else last_complete_month()
    return [add_months(last, offset) for offset in range(1 - count, 1)]


def refresh_health(relationship_id: int, through: dt.date | None = None) -> None:
    """Recompute the relationship's sign readings, then its health index, for twelve months."""
    from accord.health import index, signs

    relationship = Relationship._base_manager.get(pk=relationship_id)
    months = health_months(through)
    with transaction.atomic():
        signs.evaluate_signs(relationship, months)
        index.compute_index(relationship, months)


# While loading many inputs at once (the demo, a bulk import), refreshes wait to the end.
_deferred: ContextVar[set[int] | None] = ContextVar("health_refresh_deferred", default=None)


def refresh_later(relationship_id: int) -> None:
    """Refresh the relationship's health once the current transaction commits (see tasks)."""
    waiting = _deferred.get()
    if waiting is not None:
        waiting.add(relationship_id)
        return
    enqueue(refresh_health, relationship_id)


def is_deferred() -> bool:
    """Whether refreshes asked for now wait for the end of a :func:`refreshes_deferred` block."""
    return _deferred.get() is not None


@contextmanager
def refreshes_deferred(through: dt.date | None = None) -> Iterator[set[int]]:
    """Collect the refreshes asked for inside the block; run each relationship's once at the end."""
    outer = _deferred.get()
    waiting: set[int] = set()
    token = _deferred.set(waiting)
    try:
        yield waiting
    finally:
        _deferred.reset(token)
    for relationship_id in sorted(waiting):
        if outer is not None:
            outer.add(relationship_id)
        else:
            enqueue(refresh_health, relationship_id, through)
