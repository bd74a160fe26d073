"""Business calendars and business time.

A calendar is a time zone, working windows per weekday in local wall-clock time
and public holidays (whole local days off). An instant is *business time* when
its local date is a working day that is not a holiday and its local wall-clock
time lies inside one of that weekday's windows. Business seconds between two
instants are the real elapsed seconds of business time between them, so:

* a window that contains a change of the clocks is an hour shorter (spring
  forward) or longer (fall back) than its wall-clock length;
* a window boundary that does not exist that day (inside the spring-forward
  gap) opens or closes the window at the transition; a boundary that exists
  twice (inside the fall-back overlap) is crossed twice, so a window
  ``00:00-01:30`` is open during both passes through ``01:00-01:30``;
* a calendar open ``00:00-24:00`` every day gives exactly the elapsed time.

The computation is the fast exact method of the design brief, refined to avoid
any time-zone arithmetic per instant. When a calendar meets data it builds,
once, the business segments of the data's years as UTC instants (local windows
mapped through each stretch of constant UTC offset) and from them a table over
fixed UTC buckets of 2**shift nanoseconds: the business nanoseconds elapsed
before each bucket (the design's per-day cumulative table, at a finer grain)
and the few business segments inside each bucket. Business time up to an
instant is then the bucket's cumulative value plus the business part of the
bucket before the instant: a shift, a mask, three table look-ups and a clip
per instant, in NumPy, in integer nanoseconds. A duration is the difference of
two such values, so reversed intervals are exactly negative, and the result is
converted to float64 seconds only at the end.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import holidays as holidays_lib
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from accord.engine._spec import at as _at
from accord.engine._spec import kind as _kind
from accord.engine._spec import parse_date as _parse_date
from accord.engine._spec import parse_yaml as _parse_yaml
from accord.engine._spec import read_text as _read_text
from accord.engine._spec import unknown_keys as _unknown_keys
from accord.engine.errors import Problem, SpecError
from accord.engine.tz import (
    available_time_zones,
    get_zone,
    offset_pieces,
    tz_database_version,
)

if TYPE_CHECKING:
    from holidays import HolidayBase

__all__ = ["WEEKDAYS", "BusinessCalendar", "BusinessTimeTable", "HolidayRules", "Window"]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY = 86_400
NS = 1_000_000_000
_EPOCH = dt.date(1970, 1, 1)
_NAT = np.iinfo(np.int64).min
# Nanoseconds per unit of the NumPy / Arrow timestamp units accepted as input.
_NS_PER_UNIT = {"s": NS, "ms": 1_000_000, "us": 1_000, "ns": 1}
# Instants are handled as int64 nanoseconds, relative to the table's origin;
# a table spanning more than this would overflow (and no real data needs it).
_MAX_SPAN_YEARS = 250
# Bucket sizes tried, largest first: 2**44 ns is about 4.9 hours, 2**36 ns
# about 69 seconds. A larger bucket keeps the table small (cache-resident); the
# search stops at the first size with at most one business segment per bucket.
_SHIFTS = range(44, 35, -1)
_MAX_BUCKETS = 1 << 22
# Rows per block in the vectorised loop: small enough that the working arrays
# stay in the CPU cache, large enough that NumPy's per-call overhead vanishes.
_BLOCK = 1 << 15

_WINDOW_RE = re.compile(
    r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*-\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$"
)

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


# --------------------------------------------------------------------------- model


@dataclass(frozen=True, order=True)
class Window:
    """A working window of one day: ``[start, end)`` in seconds after local midnight."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= DAY:
            raise ValueError(f"invalid window {self.start}-{self.end}")

    def __str__(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"

    @classmethod
    def parse(cls, text: str) -> Window:
        """Parse ``"HH:MM-HH:MM"`` (seconds optional, ``24:00`` allowed as an end)."""
        match = _WINDOW_RE.match(text)
        if match is None:
            raise ValueError(text)
        h1, m1, s1, h2, m2, s2 = match.groups()
        start = _seconds(h1, m1, s1)
        end = _seconds(h2, m2, s2)
        if start is None or end is None or not 0 <= start < end <= DAY:
            raise ValueError(text)
        return cls(start, end)


def _seconds(hours: str, minutes: str, seconds: str | None) -> int | None:
    h, m, s = int(hours), int(minutes), int(seconds or 0)
    if m > 59 or s > 59 or h > 24 or (h == 24 and (m or s)):
        return None
    return h * 3600 + m * 60 + s


def _clock(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


@dataclass(frozen=True)
class HolidayRules:
    """Public holidays: a country (and subdivision) of the ``holidays`` package, edited.

    ``add`` dates are holidays even if the country has none that day;
    ``remove`` dates are working days even though the country has a holiday.
    ``observed`` includes the days a holiday is observed on (e.g. the Monday
    after a Christmas that falls on a Sunday), which is what employers follow.
    """

    country: str | None = None
    subdivision: str | None = None
    observed: bool = True
    add: frozenset[dt.date] = field(default_factory=frozenset)
    remove: frozenset[dt.date] = field(default_factory=frozenset)

    def country_holidays(self, years: Iterable[int]) -> HolidayBase | None:
        """The ``holidays`` package's table for these years, or None without a country."""
        if self.country is None:
            return None
        return holidays_lib.country_holidays(
            self.country, subdiv=self.subdivision, years=list(years), observed=self.observed
        )

    def dates(self, first_year: int, last_year: int) -> set[dt.date]:
        """Every holiday from 1 January ``first_year`` to 31 December ``last_year``."""
        table = self.country_holidays(range(first_year, last_year + 1))
        found = set(table.keys()) if table is not None else set()
        found |= {d for d in self.add if first_year <= d.year <= last_year}
        found -= self.remove
        return {d for d in found if first_year <= d.year <= last_year}

    def label(self) -> str:
        """``CA-BC`` style name of the country and subdivision."""
        if self.country is None:
            return "(no country)"
        return self.country + (f"-{self.subdivision}" if self.subdivision else "")


# --------------------------------------------------------------------------- table


@dataclass(frozen=True, eq=False)
class _Table:
    """Business time over a UTC span, ready for vectorised look-ups (see module doc)."""

    first_year: int
    last_year: int
    origin: int  # UTC ns of the start of bucket 0
    limit: int  # UTC ns, exclusive end of the last bucket
    shift: int
    base: Int64Array  # per bucket: business ns before it, minus the sum of its lows
    lows: tuple[Int64Array, ...]  # per slot k: start of the k-th segment in the bucket
    highs: tuple[Int64Array, ...]  # per slot k: its end (both relative to the bucket)

    def covers(self, lo: int, hi: int) -> bool:
        return self.origin <= lo and hi < self.limit

    def business_ns(self, x: Int64Array, out: Int64Array, work: tuple[Int64Array, ...]) -> None:
        """Business ns from the origin up to each instant of ``x`` (UTC ns), into ``out``.

        ``x`` must lie inside the table; ``work`` holds four scratch arrays of
        ``len(x)``. Everything is written in place: this loop is the hot path.
        """
        rel, bucket, low, high = work
        np.subtract(x, self.origin, out=rel)
        np.right_shift(rel, self.shift, out=bucket)
        np.bitwise_and(rel, (1 << self.shift) - 1, out=rel)  # offset inside the bucket
        np.take(self.base, bucket, out=out, mode="clip")
        for lows, highs in zip(self.lows, self.highs, strict=True):
            # The k-th segment of the bucket contributes clip(rel, low, high)
            # (its ``- low`` is folded into ``base``).
            np.take(lows, bucket, out=low, mode="clip")
            np.take(highs, bucket, out=high, mode="clip")
            np.maximum(rel, low, out=low)
            np.minimum(low, high, out=low)
            np.add(out, low, out=out)


@dataclass(frozen=True)
class BusinessTimeTable:
    """Business time as a table a SQL engine can join.

    For an instant ``t`` in UTC nanoseconds, with ``rel = t - origin``:
    ``bucket = rel >> shift`` selects the row, and business nanoseconds up to
    ``t`` are ``base + sum(least(greatest(rel & (2**shift - 1), low_k), high_k))``
    over ``k < slots``. Business time between two instants is the difference.
    """

    origin: int
    shift: int
    slots: int
    table: pa.Table


def _merge(starts: Int64Array, ends: Int64Array) -> tuple[Int64Array, Int64Array]:
    """Merge touching segments; input sorted by start, pairwise disjoint."""
    if len(starts) == 0:
        return starts, ends
    opens = np.ones(len(starts), dtype=bool)
    opens[1:] = starts[1:] > ends[:-1]
    closes = np.ones(len(starts), dtype=bool)
    closes[:-1] = opens[1:]
    return starts[opens], ends[closes]


# --------------------------------------------------------------------------- calendar


class BusinessCalendar:
    """Working windows per weekday in a time zone, minus public holidays.

    Build one with :meth:`from_file` or :meth:`from_dict` (the YAML format of
    calendar files) and ask it :meth:`business_seconds`. A calendar is
    immutable; it caches the look-up table for the years its data reaches and
    extends it when later data goes further.
    """

    def __init__(
        self,
        timezone: str,
        week: Sequence[Sequence[Window]],
        holidays: HolidayRules | None = None,
        *,
        name: str | None = None,
    ) -> None:
        if len(week) != 7:
            raise ValueError("week needs seven entries, Monday first")
        self.timezone = timezone
        self.zone: zoneinfo.ZoneInfo = get_zone(timezone)
        self.week: tuple[tuple[Window, ...], ...] = tuple(tuple(sorted(day)) for day in week)
        for day in self.week:
            for before, after in zip(day, day[1:], strict=False):
                if after.start < before.end:
                    raise ValueError(f"windows {before} and {after} overlap")
        self.holidays = holidays if holidays is not None else HolidayRules()
        self.name = name
        self._table: _Table | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"<BusinessCalendar{label} {self.timezone} {self.holidays.label()}>"

    # ------------------------------------------------------------------ reading

    @classmethod
    def from_file(cls, path: str | Path) -> BusinessCalendar:
        """Read a calendar YAML file; a :class:`SpecError` names the file and the place."""
        path = Path(path)
        text = _read_text(path)
        try:
            return cls.from_yaml(text)
        except SpecError as exc:
            raise exc.with_source(str(path)) from None

    @classmethod
    def from_yaml(cls, text: str) -> BusinessCalendar:
        """Read a calendar from YAML text."""
        return cls.from_dict(_parse_yaml(text))

    @classmethod
    def from_dict(cls, data: object, *, place: str = "") -> BusinessCalendar:
        """Build a calendar from its document form (the parsed YAML).

        ``place`` prefixes the places named in errors, for a calendar embedded
        in a larger document (``calendars.office``).
        """
        problems: list[Problem] = []
        if not isinstance(data, Mapping):
            raise SpecError([Problem(place, f"expected a mapping, got {_kind(data)}")])
        _unknown_keys(
            data, {"name", "description", "timezone", "hours", "holidays"}, place, problems
        )

        name = data.get("name")
        if name is not None and not isinstance(name, str):
            problems.append(Problem(_at(place, "name"), "must be a string"))
            name = None

        timezone = data.get("timezone")
        if timezone is None:
            problems.append(Problem(_at(place, "timezone"), "is required (e.g. America/Vancouver)"))
        elif not isinstance(timezone, str):
            problems.append(
                Problem(_at(place, "timezone"), f"must be a string, got {_kind(timezone)}")
            )
            timezone = None
        elif timezone not in available_time_zones():
            problems.append(Problem(_at(place, "timezone"), _unknown_zone_message(timezone)))
            timezone = None

        week = _parse_hours(data.get("hours"), _at(place, "hours"), problems, "hours" in data)
        rules = _parse_holidays(data.get("holidays"), _at(place, "holidays"), problems)
        if problems:
            raise SpecError(problems)
        assert isinstance(timezone, str)
        return cls(timezone, week, rules, name=name)

    def to_dict(self) -> dict[str, Any]:
        """The document form of this calendar (what :meth:`from_dict` reads)."""
        out: dict[str, Any] = {}
        if self.name:
            out["name"] = self.name
        out["timezone"] = self.timezone
        if all(day == (Window(0, DAY),) for day in self.week):
            out["hours"] = "24x7"
        else:
            out["hours"] = {
                WEEKDAYS[i]: [str(w) for w in day] for i, day in enumerate(self.week) if day
            }
        rules = self.holidays
        if rules.country or rules.add or rules.remove:
            hol: dict[str, Any] = {}
            if rules.country:
                hol["country"] = rules.country
            if rules.subdivision:
                hol["subdivision"] = rules.subdivision
            if not rules.observed:
                hol["observed"] = False
            hol["add"] = [d.isoformat() for d in sorted(rules.add)]
            hol["remove"] = [d.isoformat() for d in sorted(rules.remove)]
            out["holidays"] = hol
        return out

    # ------------------------------------------------------------------ facts

    @property
    def tz_database_version(self) -> str:
        """The tz database release this calendar's zone comes from."""
        return tz_database_version()

    @property
    def business_day_seconds(self) -> int:
        """Length of a usual business day: the most common daily total of open time.

        What ``2 business days`` means in a schedule: 8 hours for a 08:30-16:30
        calendar, 24 hours for a 24x7 one. Ties go to the longer day; a
        calendar that never opens has 0.
        """
        totals = [sum(w.end - w.start for w in day) for day in self.week]
        open_days = [total for total in totals if total > 0]
        if not open_days:
            return 0
        return max(open_days, key=lambda total: (open_days.count(total), total))

    def business_time_table(self, first: int, last: int) -> BusinessTimeTable:
        """The look-up table covering UTC ns ``[first, last]``, as columns for a SQL engine.

        Lets a query compute business time with an equality join and integer
        arithmetic only (see :class:`BusinessTimeTable`), with no time-zone
        conversion in the engine, so the pinned tz database is the only one used.
        """
        table = self._table_for(first, last)
        columns: dict[str, Any] = {
            "bucket": np.arange(len(table.base), dtype=np.int64),
            "base": table.base,
        }
        for k, (lows, highs) in enumerate(zip(table.lows, table.highs, strict=True)):
            columns[f"low_{k}"] = lows
            columns[f"high_{k}"] = highs
        return BusinessTimeTable(
            origin=table.origin,
            shift=table.shift,
            slots=len(table.lows),
            table=pa.table(columns),
        )

    def holiday_dates(self, first_year: int, last_year: int) -> list[dt.date]:
        """The calendar's holidays over these years, sorted."""
        return sorted(self.holidays.dates(first_year, last_year))

    # ------------------------------------------------------------------ business time

    @overload
    def business_seconds(
        self, starts: npt.NDArray[np.datetime64], ends: npt.NDArray[np.datetime64]
    ) -> FloatArray: ...

    @overload
    def business_seconds(self, starts: pa.Array, ends: pa.Array) -> pa.Array: ...

    def business_seconds(self, starts: Any, ends: Any) -> Any:
        """Business seconds from each start to the matching end, vectorised.

        ``starts`` and ``ends`` are NumPy ``datetime64`` arrays or Arrow
        timestamp arrays (or chunked arrays) of the same length holding UTC
        instants; naive timestamps are UTC, Arrow time zones are honoured.
        The result is float64 seconds, negative when the end is before the
        start. Nulls: with NumPy input a NaT gives NaN and the result is a
        NumPy array; with Arrow input (either argument) a null gives null and
        the result is an Arrow ``float64`` array.
        """
        start_ints, start_factor, start_nulls, start_arrow = _as_instants(starts, "starts")
        end_ints, end_factor, end_nulls, end_arrow = _as_instants(ends, "ends")
        if start_ints.shape != end_ints.shape:
            raise ValueError(
                f"starts and ends differ in length ({len(start_ints)} and {len(end_ints)})"
            )
        nulls = _or(start_nulls, end_nulls)
        result = np.empty(len(start_ints), dtype=np.float64)
        bounds = _valid_bounds(
            ((start_ints, start_factor, start_nulls), (end_ints, end_factor, end_nulls))
        )
        if bounds is not None:
            table = self._table_for(*bounds)
            self._fill(
                table,
                result,
                (start_ints, start_factor, start_nulls),
                (end_ints, end_factor, end_nulls),
            )
        if nulls is not None:
            result[nulls] = np.nan
        if start_arrow or end_arrow:
            return pa.array(result, type=pa.float64(), mask=nulls)
        return result

    def business_seconds_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Business seconds between two Python datetimes (naive means UTC)."""
        values = np.array([_utc_naive(start), _utc_naive(end)], dtype="datetime64[us]")
        return float(self.business_seconds(values[:1], values[1:])[0])

    def _fill(
        self,
        table: _Table,
        result: FloatArray,
        start: tuple[Int64Array, int, npt.NDArray[np.bool_] | None],
        end: tuple[Int64Array, int, npt.NDArray[np.bool_] | None],
    ) -> None:
        n = len(result)
        size = min(n, _BLOCK)
        f_start = np.empty(size, dtype=np.int64)
        f_end = np.empty(size, dtype=np.int64)
        xs = np.empty(size, dtype=np.int64)
        work = tuple(np.empty(size, dtype=np.int64) for _ in range(4))
        for lo in range(0, n, _BLOCK):
            hi = min(n, lo + _BLOCK)
            m = hi - lo
            for (ints, factor, nulls), f in ((start, f_start), (end, f_end)):
                x = _block_ns(
                    ints[lo:hi],
                    factor,
                    None if nulls is None else nulls[lo:hi],
                    table.origin,
                    xs[:m],
                )
                table.business_ns(x, f[:m], tuple(w[:m] for w in work))
            np.subtract(f_end[:m], f_start[:m], out=f_end[:m])
            # Division (not multiplication by 1e-9) keeps whole seconds exact.
            np.divide(f_end[:m], NS, out=result[lo:hi])

    def _table_for(self, lo: int, hi: int) -> _Table:
        """A table covering UTC ns ``[lo, hi]``, cached, widened when data goes further."""
        table = self._table
        if table is not None and table.covers(lo, hi):
            return table
        with self._lock:
            table = self._table
            if table is not None and table.covers(lo, hi):
                return table
            first = _year_of(lo)
            last = _year_of(hi)
            if table is not None:
                first, last = min(first, table.first_year), max(last, table.last_year)
            if last - first > _MAX_SPAN_YEARS:
                raise ValueError(
                    f"the data spans {first} to {last}; business time handles at most "
                    f"{_MAX_SPAN_YEARS} years at once"
                )
            table = self._build_table(first, last)
            self._table = table
            return table

    def business_segments(self, first_year: int, last_year: int) -> tuple[Int64Array, Int64Array]:
        """Business time of these years as sorted, disjoint UTC ``[start, end)`` epoch seconds.

        Covers every instant from 1 January ``first_year`` 00:00 UTC to
        1 January ``last_year + 1`` 00:00 UTC, with two days of margin.
        """
        span_start = (dt.date(first_year, 1, 1) - _EPOCH).days * DAY - 2 * DAY
        span_end = (dt.date(last_year + 1, 1, 1) - _EPOCH).days * DAY + 2 * DAY
        # Local dates whose windows can reach the span: offsets stay within ±26 h.
        days = np.arange(span_start // DAY - 2, span_end // DAY + 3, dtype=np.int64)
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
        off = self.holidays.dates(first_year - 1, last_year + 1)
        holiday_days = np.array(sorted((d - _EPOCH).days for d in off), dtype=np.int64)
        working = ~np.isin(days, holiday_days)
        local_starts: list[Int64Array] = []
        local_ends: list[Int64Array] = []
        for wd, windows in enumerate(self.week):
            chosen = days[(weekday == wd) & working] * DAY
            for window in windows:
                local_starts.append(chosen + window.start)
                local_ends.append(chosen + window.end)
        if not local_starts:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty.copy()
        w0 = np.concatenate(local_starts)
        w1 = np.concatenate(local_ends)
        order = np.argsort(w0, kind="stable")
        w0, w1 = _merge(w0[order], w1[order])

        # Map local windows to UTC through each stretch of constant offset: an
        # instant in a stretch is business time when its wall-clock reading
        # (UTC + offset) falls in a window, which handles gaps and overlaps.
        bounds, offsets = offset_pieces(self.zone, span_start, span_end)
        seg_starts: list[Int64Array] = []
        seg_ends: list[Int64Array] = []
        for i, offset in enumerate(offsets.tolist()):
            local_lo = int(bounds[i]) + offset
            local_hi = int(bounds[i + 1]) + offset
            a = int(np.searchsorted(w1, local_lo, side="right"))
            b = int(np.searchsorted(w0, local_hi, side="left"))
            if a < b:
                seg_starts.append(np.maximum(w0[a:b], local_lo) - offset)
                seg_ends.append(np.minimum(w1[a:b], local_hi) - offset)
        if not seg_starts:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty.copy()
        return _merge(np.concatenate(seg_starts), np.concatenate(seg_ends))

    def _build_table(self, first_year: int, last_year: int) -> _Table:
        starts_s, ends_s = self.business_segments(first_year, last_year)
        origin_s = (dt.date(first_year, 1, 1) - _EPOCH).days * DAY - DAY
        end_s = (dt.date(last_year + 1, 1, 1) - _EPOCH).days * DAY + DAY
        span = (end_s - origin_s) * NS
        # Segments relative to the origin, in ns, clipped to the span.
        r0 = np.clip((starts_s - origin_s) * NS, 0, span)
        r1 = np.clip((ends_s - origin_s) * NS, 0, span)
        keep = r1 > r0
        r0, r1 = r0[keep], r1[keep]
        nseg = len(r0)

        shift, slots = _SHIFTS[0], 0
        best: tuple[int, int] | None = None
        for candidate in _SHIFTS:
            n = -(-span >> candidate)
            if best is not None and n > _MAX_BUCKETS:
                break
            starts = np.arange(n, dtype=np.int64) << candidate
            if nseg:
                count = np.searchsorted(r0, starts + (1 << candidate), side="left")
                count -= np.searchsorted(r1, starts, side="right")
                k = int(count.max())
            else:
                k = 0
            if best is None or k < best[1]:
                best = (candidate, k)
            if k <= 1:
                break
        assert best is not None
        shift, slots = best
        size = 1 << shift
        n = -(-span >> shift)
        bucket_starts = np.arange(n, dtype=np.int64) << shift

        if nseg == 0:
            zeros = np.zeros(n, dtype=np.int64)
            return _Table(
                first_year, last_year, origin_s * NS, origin_s * NS + n * size, shift, zeros, (), ()
            )
        cumulative = np.concatenate([[0], np.cumsum(r1 - r0)]).astype(np.int64)
        done = np.searchsorted(r1, bucket_starts, side="right")  # segments ended by then
        current = np.minimum(done, nseg - 1)
        inside = (done < nseg) & (r0[current] < bucket_starts)
        before = cumulative[done] + np.where(inside, bucket_starts - r0[current], 0)
        lows: list[Int64Array] = []
        highs: list[Int64Array] = []
        base = before.copy()
        for k in range(slots):
            j = np.minimum(done + k, nseg - 1)
            valid = (done + k < nseg) & (r0[j] < bucket_starts + size)
            low = np.where(valid, np.clip(r0[j] - bucket_starts, 0, size), 0)
            high = np.where(valid, np.clip(r1[j] - bucket_starts, 0, size), 0)
            lows.append(low.astype(np.int64))
            highs.append(high.astype(np.int64))
            base -= low
        return _Table(
            first_year=first_year,
            last_year=last_year,
            origin=origin_s * NS,
            limit=origin_s * NS + n * size,
            shift=shift,
            base=base,
            lows=tuple(lows),
            highs=tuple(highs),
        )


# --------------------------------------------------------------------------- inputs


def _as_instants(
    values: Any, name: str
) -> tuple[Int64Array, int, npt.NDArray[np.bool_] | None, bool]:
    """Instants as ``(int64 values, ns per unit, null mask or None, came from Arrow)``.

    The int64 values are a view where possible (no copy of the caller's data);
    nulls hold NaT's bit pattern.
    """
    arrow = False
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        if not pa.types.is_timestamp(values.type):
            raise TypeError(f"{name} must be timestamps, got Arrow {values.type}")
        arrow = True
        values = values.to_numpy(zero_copy_only=False)
    if not isinstance(values, np.ndarray) or values.dtype.kind != "M":
        raise TypeError(
            f"{name} must be a NumPy datetime64 array or an Arrow timestamp array, "
            f"got {type(values).__name__}"
        )
    if values.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    unit, count = np.datetime_data(values.dtype)
    if unit not in _NS_PER_UNIT or count != 1:
        if unit in ("ps", "fs", "as"):
            raise TypeError(f"{name}: timestamps finer than nanoseconds are not supported")
        values = values.astype("datetime64[s]")  # coarser units convert exactly
        unit = "s"
    ints = values.view(np.int64)
    nulls = None
    if len(ints) and int(ints.min()) == _NAT:
        nulls = ints == _NAT
    return ints, _NS_PER_UNIT[unit], nulls, arrow


def _or(
    a: npt.NDArray[np.bool_] | None, b: npt.NDArray[np.bool_] | None
) -> npt.NDArray[np.bool_] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def _valid_bounds(
    inputs: Iterable[tuple[Int64Array, int, npt.NDArray[np.bool_] | None]],
) -> tuple[int, int] | None:
    """Smallest and largest non-null instant over the inputs, in ns; None if all null."""
    lo: int | None = None
    hi: int | None = None
    limit = np.iinfo(np.int64).max
    for ints, factor, nulls in inputs:
        valid = ints if nulls is None else ints[~nulls]
        if len(valid) == 0:
            continue
        vmin, vmax = int(valid.min()), int(valid.max())
        if vmin < -limit // factor or vmax > limit // factor:
            raise ValueError("instants must lie between the years 1678 and 2261")
        vmin, vmax = vmin * factor, vmax * factor
        lo = vmin if lo is None else min(lo, vmin)
        hi = vmax if hi is None else max(hi, vmax)
    if lo is None or hi is None:
        return None
    return lo, hi


def _block_ns(
    ints: Int64Array,
    factor: int,
    nulls: npt.NDArray[np.bool_] | None,
    fill: int,
    buffer: Int64Array,
) -> Int64Array:
    """One block of instants as int64 ns, nulls replaced by ``fill`` (a covered instant)."""
    if factor == 1 and nulls is None:
        return ints
    if factor == 1:
        np.copyto(buffer, ints)
    else:
        np.multiply(ints, factor, out=buffer)
    if nulls is not None:
        np.putmask(buffer, nulls, fill)
    return buffer


def _year_of(ns: int) -> int:
    return int(np.datetime64(ns, "ns").astype("datetime64[Y]").astype(np.int64)) + 1970


def _utc_naive(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


# --------------------------------------------------------------------------- parsing


def _holidays_version() -> str:
    from importlib.metadata import version

    return version("holidays")


def _unknown_zone_message(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(available_time_zones()), n=3)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    return f"{key!r} is not a time zone in the tz database {tz_database_version()}{hint}"


def _parse_hours(
    value: object, place: str, problems: list[Problem], present: bool
) -> list[list[Window]]:
    week: list[list[Window]] = [[] for _ in WEEKDAYS]
    if not present:
        problems.append(Problem(place, 'is required (windows per weekday, or "24x7")'))
        return week
    if isinstance(value, str):
        if value.strip().lower() == "24x7":
            return [[Window(0, DAY)] for _ in WEEKDAYS]
        problems.append(
            Problem(place, f'expected "24x7" or windows per weekday, got {_kind(value)}')
        )
        return week
    if value is None:
        return week  # ``hours:`` left empty: never open
    if not isinstance(value, Mapping):
        problems.append(
            Problem(place, f'expected "24x7" or windows per weekday, got {_kind(value)}')
        )
        return week
    for key, windows in value.items():
        day_place = _at(place, str(key))
        if not isinstance(key, str) or key.strip().lower() not in WEEKDAYS:
            problems.append(Problem(day_place, f"unknown day (use {', '.join(WEEKDAYS)})"))
            continue
        index = WEEKDAYS.index(key.strip().lower())
        if windows is None:
            continue
        if isinstance(windows, str):
            windows = [windows]
        if not isinstance(windows, list):
            problems.append(
                Problem(
                    day_place,
                    f'expected a list of windows like "08:30-16:30", got {_kind(windows)}',
                )
            )
            continue
        parsed: list[tuple[int, Window]] = []
        for i, text in enumerate(windows):
            where = f"{day_place}[{i}]"
            if not isinstance(text, str):
                problems.append(
                    Problem(where, f'expected a window like "08:30-16:30", got {_kind(text)}')
                )
                continue
            try:
                parsed.append((i, Window.parse(text)))
            except ValueError:
                problems.append(
                    Problem(
                        where,
                        f'"{text}" is not a valid window (expected "HH:MM-HH:MM" with '
                        "00:00 <= start < end <= 24:00; split a window that crosses "
                        "midnight over two days)",
                    )
                )
        parsed.sort(key=lambda item: item[1])
        for (_, before), (i, after) in zip(parsed, parsed[1:], strict=False):
            if after.start < before.end:
                problems.append(Problem(f"{day_place}[{i}]", f'"{after}" overlaps "{before}"'))
        week[index] = [w for _, w in parsed]
    return week


def _parse_dates(value: object, place: str, problems: list[Problem]) -> frozenset[dt.date]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        problems.append(
            Problem(place, f"expected a list of dates (YYYY-MM-DD), got {_kind(value)}")
        )
        return frozenset()
    found: set[dt.date] = set()
    for i, item in enumerate(value):
        day = _parse_date(item)
        if day is None:
            problems.append(Problem(f"{place}[{i}]", f"{_kind(item)} is not a date (YYYY-MM-DD)"))
        else:
            found.add(day)
    return frozenset(found)


def _parse_holidays(value: object, place: str, problems: list[Problem]) -> HolidayRules:
    if value is None:
        return HolidayRules()
    if not isinstance(value, Mapping):
        problems.append(Problem(place, f"expected a mapping, got {_kind(value)}"))
        return HolidayRules()
    _unknown_keys(value, {"country", "subdivision", "observed", "add", "remove"}, place, problems)
    ok = True
    country = value.get("country")
    subdivision = value.get("subdivision")
    supported = holidays_lib.list_supported_countries()
    if country is not None:
        if not isinstance(country, str) or country.strip().upper() not in supported:
            problems.append(
                Problem(
                    _at(place, "country"),
                    f"{_kind(country)} is not a country code known to the holidays package "
                    f"{_holidays_version()} (ISO 3166-1 alpha-2, e.g. CA)",
                )
            )
            ok = False
        else:
            country = country.strip().upper()
    if subdivision is not None:
        if not isinstance(subdivision, str | int):
            problems.append(
                Problem(_at(place, "subdivision"), f"must be a code, got {_kind(subdivision)}")
            )
            ok = False
        elif country is None:
            problems.append(Problem(_at(place, "subdivision"), "needs a country"))
            ok = False
        else:
            subdivision = str(subdivision).strip()
            if ok:
                try:
                    holidays_lib.country_holidays(country, subdiv=subdivision, years=[])
                except NotImplementedError:
                    codes = ", ".join(supported.get(country, [])) or "none"
                    problems.append(
                        Problem(
                            _at(place, "subdivision"),
                            f"{subdivision!r} is not a subdivision of {country} (known: {codes})",
                        )
                    )
                    ok = False
    observed = value.get("observed", True)
    if not isinstance(observed, bool):
        problems.append(Problem(_at(place, "observed"), "must be true or false"))
        observed = True
    add = _parse_dates(value.get("add"), _at(place, "add"), problems)
    remove = _parse_dates(value.get("remove"), _at(place, "remove"), problems)
    rules = HolidayRules(
        country=country if ok else None,
        subdivision=subdivision if ok else None,
        observed=observed,
        add=add,
        remove=remove,
    )
    if ok and remove:
        if country is None:
            problems.append(
                Problem(_at(place, "remove"), "needs a country whose holidays to remove")
            )
        else:
            table = rules.country_holidays(sorted({d.year for d in remove}))
            raw = value.get("remove")
            assert table is not None
            assert isinstance(raw, list)
            for i, item in enumerate(raw):
                day = _parse_date(item)
                if day is not None and day not in table:
                    problems.append(
                        Problem(
                            f"{_at(place, 'remove')}[{i}]",
                            f"{day.isoformat()} is not a holiday of {rules.label()}, "
                            "so there is nothing to remove",
                        )
                    )
    return rules
