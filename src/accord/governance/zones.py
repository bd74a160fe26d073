"""The relationship's clock: meetings are planned and read in the contract's time zone.

A meeting at 10:00 in Vancouver is on the same date for both sides, whatever
the server's zone. Relationships without a contract use the installation's
zone (``TIME_ZONE``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from accord.contracts.models import Contract
from accord.core.choices import Visibility
from accord.engine.tz import UnknownTimeZoneError, get_zone


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> dt.tzinfo:
    try:
        return get_zone(name)
    except UnknownTimeZoneError:
        return timezone.get_default_timezone()


def relationship_zone(relationship: Any, user: Any = None) -> dt.tzinfo:
    """The time zone of ``relationship``'s contract (one query), else the default zone.

    With ``user`` the contract is read through the visibility rule; without,
    it is read as a computed fact (contracts are joint).
    """
    contracts = (
        Contract.objects.restrict(user)
        if user is not None
        else Contract.objects.filter(visibility=Visibility.JOINT)
    )
    pk = getattr(relationship, "pk", relationship)
    name = contracts.filter(relationship_id=pk).values_list("timezone", flat=True).first()
    return _zone(name) if name else timezone.get_default_timezone()


def local_date(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    return timezone.localtime(moment, zone).date()


def today_in(zone: dt.tzinfo) -> dt.date:
    return timezone.localtime(timezone.now(), zone).date()


@contextmanager
def in_zone_of(relationship: Any, user: Any = None) -> Iterator[dt.tzinfo]:
    """Forms parse, and templates show, date-times in the relationship's zone inside the block."""
    zone = relationship_zone(relationship, user)
    with timezone.override(zone):
        yield zone
