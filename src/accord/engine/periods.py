"""Reporting periods (calendar month, quarter, ISO week) in the contract's time zone.

A period runs from local midnight of its first day to local midnight after its
last, converted to UTC instants with the pinned tz database. Rows are assigned
to periods by comparing their instant with those UTC boundaries, so the SQL
engine never converts time zones itself (its own tz data may differ).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from sqlglot import exp

from accord.engine.tz import get_zone

__all__ = ["PERIOD_KINDS", "Month", "Period", "PeriodKind", "parse_month", "periods_between"]

PeriodKind = Literal["month", "quarter", "week"]
PERIOD_KINDS: tuple[str, ...] = ("month", "quarter", "week")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, e.g. ``Month(2026, 10)`` (printed ``2026-10``)."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def index(self) -> int:
        """Months since year 0: consecutive months have consecutive indexes."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def shift(self, months: int) -> Month:
        return Month.from_index(self.index + months)


def parse_month(text: str) -> Month:
    """``"2026-10"`` as a :class:`Month`; ValueError if it is not one."""
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"{text!r} is not a month (YYYY-MM)")
    return Month(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class Period:
    """One reporting period: its label, local dates and UTC instants (ns)."""

    kind: PeriodKind
    label: str
    first_day: dt.date
    end_day: dt.date  # exclusive
    start: int  # UTC ns of local midnight starting ``first_day``
    end: int  # UTC ns of local midnight starting ``end_day``

    @property
    def month(self) -> Month | None:
        """The month, for monthly periods."""
        if self.kind != "month":
            return None
        return Month(self.first_day.year, self.first_day.month)


def local_midnight_ns(day: dt.date, timezone: str) -> int:
    """UTC ns of the first instant of local date ``day``.

    Where midnight does not exist (clocks jump from 00:00 to 01:00) this is
    the moment of the jump; where it happens twice, the first time.
    """
    local = dt.datetime.combine(day, dt.time(0), tzinfo=get_zone(timezone))
    utc = local.astimezone(dt.UTC)
    # A non-existent local time maps forward with fold=0; normalise through UTC.
    seconds = int((utc - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)).total_seconds())
    return seconds * 1_000_000_000


def _period(kind: PeriodKind, first: dt.date, end: dt.date, timezone: str) -> Period:
    if kind == "month":
        label = f"{first.year:04d}-{first.month:02d}"
    elif kind == "quarter":
        label = f"{first.year:04d}-Q{(first.month - 1) // 3 + 1}"
    else:
        year, week, _ = first.isocalendar()
        label = f"{year:04d}-W{week:02d}"
    return Period(
        kind,
        label,
        first,
        end,
        local_midnight_ns(first, timezone),
        local_midnight_ns(end, timezone),
    )


def periods_between(kind: PeriodKind, first: Month, last: Month, timezone: str) -> list[Period]:
    """The periods of ``kind`` that start within months ``first`` to ``last`` (inclusive).

    A quarter starts in January, April, July or October; a week on a Monday.
    A period is whole even when it ends after ``last``.
    """
    range_start = first.first_day()
    range_end = last.shift(1).first_day()
    found: list[Period] = []
    if kind in ("month", "quarter"):
        step = 1 if kind == "month" else 3
        month = first
        while month.first_day() < range_end:
            if kind == "month" or month.month % 3 == 1:
                found.append(
                    _period(kind, month.first_day(), month.shift(step).first_day(), timezone)
                )
            month = month.shift(1)
        return found
    day = range_start + dt.timedelta(days=(7 - range_start.weekday()) % 7)
    while day < range_end:
        found.append(_period(kind, day, day + dt.timedelta(days=7), timezone))
        day += dt.timedelta(days=7)
    return found


def period_index_sql(instant_ns: exp.Expr, periods: list[Period]) -> exp.Expr:
    """SQL giving the index in ``periods`` of the period holding ``instant_ns`` (else NULL).

    ``periods`` must be sorted and contiguous or not; each is tested by its own
    bounds. The CASE expressions form a binary search on the boundaries, so a
    row costs about log2(len(periods)) integer comparisons, in any SQL engine.
    """

    def search(lo: int, hi: int) -> exp.Expr:
        if hi - lo == 1:
            period = periods[lo]
            inside = exp.And(
                this=exp.GTE(this=instant_ns, expression=exp.Literal.number(period.start)),
                expression=exp.LT(this=instant_ns, expression=exp.Literal.number(period.end)),
            )
            return exp.Case(ifs=[exp.If(this=inside, true=exp.Literal.number(lo))])
        mid = (lo + hi) // 2
        before = exp.LT(this=instant_ns, expression=exp.Literal.number(periods[mid].start))
        return exp.Case(ifs=[exp.If(this=before, true=search(lo, mid))], default=search(mid, hi))

    if not periods:
        return exp.Null()
    return search(0, len(periods))
