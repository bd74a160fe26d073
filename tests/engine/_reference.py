"""Independent references for business time, used to check the engine.

Two references that share nothing with the engine's method (no offset pieces,
no bucket tables, a different time-zone library):

* :func:`btd_rules` builds the same calendar with ``businesstimedelta``, used
  with aware ``pytz`` datetimes. It drops sub-second parts and cannot express a
  window ending at 24:00, so it is used on whole-second instants and calendars
  without such windows.
* :func:`minute_table` / :func:`brute_force_ns` decide, minute by minute over
  the whole span, whether the local wall-clock time (converted by pandas with
  a ``pytz`` zone) falls in a window on a working day; business time up to an
  instant is the count of business minutes before its minute plus the elapsed
  part of its own minute. Exact whenever every window boundary and every
  time-zone transition falls on a whole minute, as in all test calendars.

Holidays are recomputed here straight from the ``holidays`` package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import businesstimedelta
import holidays
import numpy as np
import numpy.typing as npt
import pandas as pd
import pytz

from accord.engine.calendars import BusinessCalendar, Window

NS = 1_000_000_000


def holiday_set(
    country: str | None,
    subdivision: str | None,
    years: Iterable[int],
    *,
    add: Iterable[dt.date] = (),
    remove: Iterable[dt.date] = (),
    observed: bool = True,
) -> set[dt.date]:
    """Holidays straight from the ``holidays`` package, plus and minus contract dates."""
    found: set[dt.date] = set()
    if country is not None:
        found |= set(
            holidays.country_holidays(
                country, subdiv=subdivision, years=list(years), observed=observed
            ).keys()
        )
    return (found | set(add)) - set(remove)


def _time(seconds: int) -> dt.time:
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def btd_rules(calendar: BusinessCalendar, holiday_dates: set[dt.date]) -> businesstimedelta.Rules:
    """The calendar as ``businesstimedelta`` rules (one WorkDayRule per distinct window)."""
    zone = pytz.timezone(calendar.timezone)
    days_by_window: dict[Window, list[int]] = {}
    for weekday, windows in enumerate(calendar.week):
        for window in windows:
            if window.end >= 86_400:
                raise ValueError("businesstimedelta cannot express a window ending at 24:00")
            days_by_window.setdefault(window, []).append(weekday)
    rules: list[businesstimedelta.Rule] = [
        businesstimedelta.WorkDayRule(
            start_time=_time(window.start),
            end_time=_time(window.end),
            working_days=days,
            tz=zone,
        )
        for window, days in sorted(days_by_window.items())
    ]
    rules.append(businesstimedelta.HolidayRule(holiday_dates, tz=zone))
    return businesstimedelta.Rules(rules)


def btd_seconds(rules: businesstimedelta.Rules, start: dt.datetime, end: dt.datetime) -> int:
    """Signed whole business seconds from ``start`` to ``end`` by businesstimedelta."""
    delta = rules.difference(start, end).timedelta
    seconds = delta.days * 86_400 + delta.seconds
    return seconds if start <= end else -seconds


@dataclass(frozen=True)
class MinuteTable:
    """Business minutes over a span: ``cumulative[i]`` business minutes before minute i."""

    origin_ns: int
    business: npt.NDArray[np.bool_]
    cumulative: npt.NDArray[np.int64]


def minute_table(
    timezone: str,
    week: Sequence[Sequence[Window]],
    holiday_dates: set[dt.date],
    first: str,
    last: str,
) -> MinuteTable:
    """Mark every UTC minute from ``first`` to ``last`` as business or not."""
    utc = pd.date_range(first, last, freq="min", tz="UTC", unit="ns")
    wall = utc.tz_convert(pytz.timezone(timezone)).tz_localize(None)
    weekday = np.asarray(wall.day_of_week)
    second_of_day = np.asarray(wall.hour * 3600 + wall.minute * 60)
    local_day = np.asarray(wall.normalize()).astype("datetime64[D]")
    off = np.isin(local_day, np.array(sorted(holiday_dates), dtype="datetime64[D]"))
    business = np.zeros(len(utc), dtype=bool)
    for day, windows in enumerate(week):
        on_day = weekday == day
        for window in windows:
            business |= on_day & (second_of_day >= window.start) & (second_of_day < window.end)
    business &= ~off
    cumulative = np.concatenate([[0], np.cumsum(business, dtype=np.int64)])
    return MinuteTable(int(utc[0].value), business, cumulative)


def brute_force_ns(
    table: MinuteTable, instants: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.int64]:
    """Business ns from the table's origin up to each instant."""
    ns = instants.astype("datetime64[ns]").astype(np.int64) - table.origin_ns
    minute, within = np.divmod(ns, 60 * NS)
    if minute.min() < 0 or minute.max() >= len(table.business):
        raise ValueError("instant outside the brute-force span")
    return table.cumulative[minute] * 60 * NS + table.business[minute] * within


def brute_force_seconds(
    table: MinuteTable,
    starts: npt.NDArray[np.datetime64],
    ends: npt.NDArray[np.datetime64],
) -> npt.NDArray[np.float64]:
    """Business seconds per interval, computed the same way the engine reports them."""
    diff = brute_force_ns(table, ends) - brute_force_ns(table, starts)
    return diff / NS
