"""Realistic, deterministic operational data: contact centre, service desk tickets, payroll.

``accord engine generate KIND --months N --rows-per-month R --seed S --output PATH``
writes synthetic data of the three kinds Accord imports, for demos, tests and
benchmarks. The same arguments always give the same rows; the data of a month
depends only on the seed and the month (not on the first month asked for),
except for the sequence numbers of the identifiers, which run on across months.

* ``contact-centre``: one row per contact offered to a credit union's member
  contact centre (voice and chat), arriving only inside its opening hours with
  an intraday pattern; waits grow with load, callers abandon when their
  patience runs out; the month's staffing sets its service level.
* ``tickets``: IT/HR service desk tickets whose response and resolution times
  are drawn in business time of the office calendar and mapped forward to
  instants with :func:`add_business_seconds` (P1 on an elapsed clock).
* ``payroll``: the pay runs of a ministry's payroll (30,000 employees):
  biweekly, monthly and off-cycle runs with their deadlines and completion.

Generation is vectorised NumPy, month by month and, inside a month, in chunks
of about a million rows, each chunk with its own random stream
(``np.random.default_rng([seed, kind, month, chunk])``), so memory stays
bounded whatever the month's volume. The calendars are those of
``examples/calendars`` (built in, so the engine needs no file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from accord.engine.calendars import BusinessCalendar
from accord.engine.errors import DataError
from accord.engine.periods import Month, local_midnight_ns, parse_month
from accord.engine.tabular import BatchWriter, file_format
from accord.engine.tz import get_zone, offset_pieces, tz_database_version

__all__ = [
    "CONTACT_CENTRE_SCHEMA",
    "KINDS",
    "PAYROLL_SCHEMA",
    "SCHEMAS",
    "TICKETS_SCHEMA",
    "add_business_seconds",
    "add_parser",
    "contact_centre_batches",
    "contact_centre_calendar",
    "contact_centre_month",
    "generate",
    "month_batches",
    "office_calendar",
    "payroll_month",
    "tickets_batches",
    "tickets_month",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]

NS: Final = 1_000_000_000
US: Final = 1_000_000
DAY: Final = 86_400
HOUR: Final = 3_600
_EPOCH = dt.date(1970, 1, 1)
# Rows per record batch inside a month (whole pieces of time, so roughly).
CHUNK_ROWS: Final = 1 << 20
# Identifiers are a prefix and nine digits.
MAX_ID: Final = 999_999_999
# Off-cycle pay runs per month (they are rare; the run number has four digits).
MAX_OFF_CYCLE_RUNS: Final = 9_999
_FIRST_YEAR, _LAST_YEAR = 1971, 2199

KINDS: tuple[str, ...] = ("contact-centre", "tickets", "payroll")
_KIND_CODE = {"contact-centre": 1, "tickets": 2, "payroll": 3}

TIMESTAMP = pa.timestamp("us", tz="UTC")

CONTACT_CENTRE_SCHEMA = pa.schema(
    [
        ("interaction_id", pa.string()),
        ("offered_at", TIMESTAMP),
        ("channel", pa.string()),
        ("queue", pa.string()),
        ("answered_at", TIMESTAMP),
        ("abandoned", pa.bool_()),
        ("wait_seconds", pa.float64()),
        ("handle_seconds", pa.float64()),
        ("transferred", pa.bool_()),
        ("resolved_first_contact", pa.bool_()),
        ("csat", pa.int64()),
    ]
)
TICKETS_SCHEMA = pa.schema(
    [
        ("ticket_id", pa.string()),
        ("priority", pa.int64()),
        ("category", pa.string()),
        ("opened_at", TIMESTAMP),
        ("responded_at", TIMESTAMP),
        ("resolved_at", TIMESTAMP),
        ("reopened", pa.bool_()),
    ]
)
PAYROLL_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("pay_group", pa.string()),
        ("scheduled_at", TIMESTAMP),
        ("completed_at", TIMESTAMP),
        ("employees_paid", pa.int64()),
        ("payment_errors", pa.int64()),
        ("adjustments", pa.int64()),
    ]
)
SCHEMAS: dict[str, pa.Schema] = {
    "contact-centre": CONTACT_CENTRE_SCHEMA,
    "tickets": TICKETS_SCHEMA,
    "payroll": PAYROLL_SCHEMA,
}

# The calendars of examples/calendars, built in (a test checks they agree).
_CONTACT_CENTRE_CALENDAR: dict[str, Any] = {
    "name": "Credit union contact centre",
    "timezone": "America/Vancouver",
    "hours": {
        **{day: ["07:00-20:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
        "sat": ["09:00-13:00", "14:00-17:00"],
    },
    "holidays": {"country": "CA", "subdivision": "BC"},
}
_OFFICE_CALENDAR: dict[str, Any] = {
    "name": "BC public service office hours",
    "timezone": "America/Vancouver",
    "hours": {day: ["08:30-16:30"] for day in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": {"country": "CA", "subdivision": "BC", "add": ["2026-12-24"], "remove": []},
}


@functools.cache
def contact_centre_calendar() -> BusinessCalendar:
    """Opening hours of the credit union's contact centre (``credit-union-contact-centre.yaml``)."""
    return BusinessCalendar.from_dict(_CONTACT_CENTRE_CALENDAR)


@functools.cache
def office_calendar() -> BusinessCalendar:
    """BC public service office hours (``bc-public-service.yaml``): tickets and payroll."""
    return BusinessCalendar.from_dict(_OFFICE_CALENDAR)


# --------------------------------------------------------------------------- business time


@functools.lru_cache(maxsize=32)
def _cumulative_segments(
    calendar: BusinessCalendar, first_year: int, last_year: int
) -> tuple[I64, I64, I64]:
    """Business segments in UTC ns and the business ns elapsed before each (plus the total)."""
    starts, ends = calendar.business_segments(first_year, last_year)
    starts_ns = starts * NS
    ends_ns = ends * NS
    cumulative = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(ends_ns - starts_ns, out=cumulative[1:])
    return starts_ns, ends_ns, cumulative


def _year_of_ns(ns: int) -> int:
    return int(np.datetime64(ns, "ns").astype("datetime64[Y]").astype(np.int64)) + 1970


def add_business_seconds(
    calendar: BusinessCalendar, starts_ns: npt.ArrayLike, seconds: npt.ArrayLike
) -> I64:
    """The instants that many business seconds after each start (UTC int64 ns), vectorised.

    ``starts_ns`` are UTC instants in int64 nanoseconds (or ``datetime64``);
    ``seconds`` (int or float, >= 0) are business seconds of ``calendar``. The
    result is the earliest instant at which the business time since the start
    reaches ``seconds``: a start outside business hours waits for the next
    opening, and ``0`` gives the start itself. It inverts
    :meth:`BusinessCalendar.business_seconds` exactly for whole nanoseconds
    (float seconds are rounded to the nanosecond). Found on the cumulative
    business segments with ``np.searchsorted``, so no time-zone arithmetic
    per row.
    """
    starts_raw = np.asarray(starts_ns)
    if starts_raw.dtype.kind == "M":
        starts = starts_raw.astype("datetime64[ns]").view(np.int64)
    else:
        starts = starts_raw.astype(np.int64, copy=False)
    secs = np.asarray(seconds)
    if secs.dtype.kind in "iub":
        add = secs.astype(np.int64) * NS
    elif secs.dtype.kind == "f":
        if not np.all(np.isfinite(secs)):
            raise ValueError("seconds must be finite")
        add = np.rint(secs * NS).astype(np.int64)
    else:
        raise TypeError(f"seconds must be numbers, got {secs.dtype}")
    starts, add = np.broadcast_arrays(starts, add)
    if starts.ndim != 1:
        raise ValueError("starts and seconds must be one-dimensional")
    if len(starts) == 0:
        return np.empty(0, dtype=np.int64)
    if int(add.min()) < 0:
        raise ValueError("seconds must be >= 0 (business time runs forward here)")
    first_year = _year_of_ns(int(starts.min()))
    last_year = _year_of_ns(int(starts.max()))
    while True:
        seg_starts, seg_ends, cumulative = _cumulative_segments(calendar, first_year, last_year)
        count = len(seg_starts)
        if count:
            done = np.searchsorted(seg_ends, starts, side="right")  # segments ended by then
            current = np.minimum(done, count - 1)
            inside = np.clip(starts - seg_starts[current], 0, None)
            before = cumulative[done] + np.where(done < count, inside, 0)
            target = before + add
            if int(target.max()) <= int(cumulative[-1]):
                break
        elif int(add.max()) == 0:
            return starts.copy()
        if last_year - first_year > 250:
            raise ValueError("the calendar has too little business time to add these seconds")
        last_year += max(1, (last_year - first_year + 1) // 2)
    segment = np.searchsorted(cumulative[1:], target, side="left")
    ends = seg_starts[segment] + (target - cumulative[segment])
    ends = np.where(add == 0, starts, np.maximum(ends, starts))
    return ends.astype(np.int64, copy=False)


# --------------------------------------------------------------------------- time pieces


@dataclass(frozen=True)
class _Pieces:
    """A month cut into short pieces of time at grid steps and business boundaries."""

    start: I64  # UTC epoch seconds
    length: I64  # seconds
    business: Bool  # inside the calendar's business time
    hour: F64  # local time of day at the middle of the piece, in hours
    weekday: I64  # local weekday, Monday 0
    day: I64  # local date, days since 1970-01-01
    month_start: int  # UTC epoch seconds of local midnight starting the month
    month_end: int


def _month_bounds(month: Month, timezone: str) -> tuple[int, int]:
    lo = local_midnight_ns(month.first_day(), timezone) // NS
    hi = local_midnight_ns(month.shift(1).first_day(), timezone) // NS
    return lo, hi


def _offsets_at(timezone: str, instants: I64, lo: int, hi: int) -> I64:
    """UTC offsets (seconds) in force at each instant of ``[lo, hi)`` (epoch seconds)."""
    bounds, offsets = offset_pieces(get_zone(timezone), lo, hi)
    index = np.searchsorted(bounds, instants, side="right") - 1
    return offsets[np.clip(index, 0, len(offsets) - 1)]


def _month_pieces(calendar: BusinessCalendar, month: Month, step: int) -> _Pieces:
    lo, hi = _month_bounds(month, calendar.timezone)
    seg_starts, seg_ends = calendar.business_segments(month.year, month.year)
    grid = np.arange(lo - lo % step + step, hi, step, dtype=np.int64)
    cuts = np.concatenate([[lo, hi], grid, seg_starts, seg_ends])
    cuts = np.unique(cuts[(cuts >= lo) & (cuts <= hi)])
    starts, ends = cuts[:-1], cuts[1:]
    middle = (starts + ends) // 2
    j = np.searchsorted(seg_ends, middle, side="right")
    business = (j < len(seg_starts)) & (seg_starts[np.minimum(j, len(seg_starts) - 1)] <= middle)
    local = middle + _offsets_at(calendar.timezone, middle, lo, hi)
    day = local // DAY
    return _Pieces(
        start=starts,
        length=ends - starts,
        business=business,
        hour=(local % DAY) / HOUR,
        weekday=(day + 3) % 7,
        day=day,
        month_start=lo,
        month_end=hi,
    )


def _holiday_days(calendar: BusinessCalendar, year: int) -> I64:
    dates = calendar.holidays.dates(year - 1, year + 1)
    return np.array(sorted((d - _EPOCH).days for d in dates), dtype=np.int64)


def _bump(hour: F64, centre: float, width: float) -> F64:
    z = (hour - centre) / width
    return np.exp(-0.5 * z * z)


def _per_day(rng: np.random.Generator, day: I64, sigma: float) -> F64:
    """A lognormal factor per local day (the same for every piece of the day)."""
    days, inverse = np.unique(day, return_inverse=True)
    return np.exp(rng.normal(0.0, sigma, len(days)))[inverse]


def _chunks(counts: I64) -> list[tuple[int, int, int]]:
    """Split pieces into runs of about CHUNK_ROWS rows: ``(first piece, end piece, first row)``."""
    total = int(counts.sum())
    cumulative = np.cumsum(counts)
    marks = np.arange(CHUNK_ROWS, total, CHUNK_ROWS)
    cuts = np.unique(
        np.concatenate([[0], np.searchsorted(cumulative, marks, side="left") + 1, [len(counts)]])
    )
    cuts = cuts[cuts <= len(counts)]
    out: list[tuple[int, int, int]] = []
    for a, b in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
        first_row = int(cumulative[a - 1]) if a else 0
        if int(cumulative[b - 1]) > first_row:
            out.append((a, b, first_row))
    return out


def _arrivals(
    rng: np.random.Generator, starts_us: I64, lengths_us: I64, counts: I64
) -> tuple[I64, I64]:
    """``counts[j]`` uniform instants inside piece ``j``, sorted, and the piece of each.

    Sorted without sorting: uniform order statistics of a piece are the
    normalised partial sums of ``count + 1`` exponential gaps.
    """
    rows = int(counts.sum())
    piece = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    gaps = rng.standard_exponential(rows + len(counts))
    total = np.cumsum(gaps)
    ends = np.cumsum(counts + 1) - 1  # index of each piece's last gap
    before = np.concatenate([[0.0], total[ends[:-1]]])  # partial sum before each piece
    position = np.arange(rows, dtype=np.int64) + piece  # each row's gap index
    base = before[piece]
    fraction = (total[position] - base) / (total[ends[piece]] - base)
    instants = starts_us[piece] + (fraction * lengths_us[piece]).astype(np.int64)
    return instants, piece


# --------------------------------------------------------------------------- Arrow helpers


def _rng(seed: int, kind: str, month: Month, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, _KIND_CODE[kind], month.index, stream])


def _validity(null: Bool | None) -> tuple[pa.Buffer | None, int]:
    if null is None:
        return None, 0
    count = int(np.count_nonzero(null))
    if count == 0:
        return None, 0
    return pa.py_buffer(np.packbits(~null, bitorder="little")), count


def _numbers(kind: pa.DataType, values: npt.NDArray[Any], null: Bool | None = None) -> pa.Array:
    """A fixed-width Arrow array (int64, float64, timestamp) over a NumPy array, nulls masked."""
    validity, count = _validity(null)
    data = np.ascontiguousarray(values)
    if count and null is not None:
        data = np.where(null, np.zeros(1, dtype=data.dtype), data)
    return pa.Array.from_buffers(kind, len(data), [validity, pa.py_buffer(data)], null_count=count)


def _bools(values: Bool, null: Bool | None = None) -> pa.Array:
    validity, count = _validity(null)
    data = values & ~null if count and null is not None else values
    bits = pa.py_buffer(np.packbits(data, bitorder="little"))
    return pa.Array.from_buffers(pa.bool_(), len(values), [validity, bits], null_count=count)


def _labels(words: Sequence[str], codes: npt.NDArray[np.int8]) -> pa.Array:
    """String column from small-integer codes into ``words``."""
    dictionary = pa.array(list(words), pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(codes), dictionary).cast(pa.string())


@functools.cache
def _digit_words(prefix: str) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """Four-byte words: ``prefix + d`` for d in 0-9, and ``dddd`` for 0000-9999."""
    assert len(prefix) == 3
    head = np.frombuffer(b"".join(f"{prefix}{d}".encode() for d in range(10)), dtype=np.uint32)
    four = np.frombuffer(b"".join(f"{n:04d}".encode() for n in range(10_000)), dtype=np.uint32)
    return head, four


def _identifiers(prefix: str, first: int, count: int) -> pa.Array:
    """``prefix`` + nine digits for ``first .. first + count - 1`` (12-byte strings)."""
    head, four = _digit_words(prefix)
    numbers = np.arange(first, first + count, dtype=np.int64)
    words = np.empty((count, 3), dtype=np.uint32)
    high = numbers // 10_000
    words[:, 2] = four[numbers - high * 10_000]
    top = high // 10_000
    words[:, 1] = four[high - top * 10_000]
    words[:, 0] = head[top]
    offsets = np.arange(0, 12 * (count + 1), 12, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), count, [None, pa.py_buffer(offsets), pa.py_buffer(words)]
    )


def _choice(rng: np.random.Generator, shares: Sequence[float], size: int) -> npt.NDArray[np.int8]:
    cumulative = np.cumsum(np.asarray(shares, dtype=np.float64))
    cumulative /= cumulative[-1]
    return np.searchsorted(cumulative[:-1], rng.random(size), side="right").astype(np.int8)


def _check_month(month: Month) -> None:
    if not _FIRST_YEAR <= month.year <= _LAST_YEAR:
        raise DataError(f"month {month}: years {_FIRST_YEAR} to {_LAST_YEAR} are supported")


def _check_rows(rows: int, first_id: int, what: str) -> None:
    if rows < 0:
        raise DataError(f"{what}: the number of rows must be >= 0, got {rows}")
    if first_id < 1 or first_id + rows - 1 > MAX_ID:
        raise DataError(
            f"{what}: identifiers {first_id} to {first_id + rows - 1} do not fit in nine digits"
        )


# --------------------------------------------------------------------------- contact centre

CHANNELS: tuple[str, ...] = ("voice", "chat")
QUEUES: tuple[str, ...] = ("members", "lending", "cards", "fraud")
_QUEUE_SHARES = (0.60, 0.15, 0.17, 0.08)
# Relative pressure per queue (fraud is prioritised), transfer rate, handle time.
_QUEUE_PRESSURE = np.array([1.0, 1.12, 1.0, 0.7])
_QUEUE_TRANSFER = np.array([0.10, 0.06, 0.07, 0.13])
_QUEUE_HANDLE = np.array([0.95, 1.30, 0.85, 1.15])
_CHAT_SHARE = 0.22
_MEAN_HANDLE = (360.0, 600.0)  # voice, chat, seconds
_HANDLE_SIGMA = 0.55
# Share of callers who hang up almost at once (within 5 s) if not answered first.
_IMPATIENT = 0.004
_PATIENCE = (230.0, 330.0)  # Rayleigh scale of patience, voice and chat, seconds
_SURVEYED = 0.15
# CSAT 1..5 probabilities by (resolved, waited over a minute).
_CSAT = np.array(
    [
        [0.08, 0.07, 0.13, 0.30, 0.42],  # not resolved, short wait
        [0.12, 0.09, 0.15, 0.30, 0.34],  # not resolved, long wait
        [0.02, 0.02, 0.05, 0.22, 0.69],  # resolved, short wait
        [0.04, 0.03, 0.08, 0.27, 0.58],  # resolved, long wait
    ]
)


@dataclass(frozen=True)
class _ContactPlan:
    month: Month
    start_us: I64
    length_us: I64
    counts: I64
    pressure: F64  # per piece: load relative to staffing (call-weighted RMS 1)
    wait_probability: float  # the month's mean chance of queueing
    wait_scale: float  # seconds
    csat_shift: float  # top-box mass moved down in a poor month
    staffing: float  # 0 (worst month) .. 1 (best), for the record


def _contact_plan(month: Month, rows: int, seed: int) -> _ContactPlan:
    calendar = contact_centre_calendar()
    rng = _rng(seed, "contact-centre", month, 0)
    # The month's staffing: 0 is the worst plausible month, 1 the best (drawn
    # first, so that it does not depend on the volume).
    staffing = float(rng.beta(2.2, 2.0))
    pieces = _month_pieces(calendar, month, 300)
    keep = pieces.business
    hour, weekday, day = pieces.hour[keep], pieces.weekday[keep], pieces.day[keep]
    length = pieces.length[keep]

    # Intraday arrival pattern: mid-morning peak, smaller early-afternoon one.
    weekdays = (
        0.30 + _bump(hour, 10.25, 1.4) + 0.70 * _bump(hour, 14.0, 1.0) + 0.12 * _bump(hour, 18, 1.2)
    )
    saturday = 0.35 + 0.9 * _bump(hour, 11.0, 1.4) + 0.45 * _bump(hour, 15.0, 1.2)
    shape = np.where(weekday == 5, saturday, weekdays)
    by_weekday = np.array([1.30, 1.08, 1.0, 0.97, 0.92, 0.50, 0.40])[weekday]
    after_holiday = np.where(np.isin(day - 1, _holiday_days(calendar, month.year)), 1.25, 1.0)
    day_volume = _per_day(rng, day, 0.07)
    noise = np.exp(rng.normal(0.0, 0.05, len(hour)))
    rate = shape * by_weekday * after_holiday * day_volume * noise  # arrivals per second
    weight = rate * length

    # Staffing follows the forecast only partly: busier intervals are under
    # pressure; some days (sickness, outages) and intervals are worse.
    mean_rate = weight.sum() / max(length.sum(), 1)
    pressure = (rate / mean_rate) ** 0.45 * _per_day(rng, day, 0.16)
    pressure *= np.exp(rng.normal(0.0, 0.10, len(hour)))
    pressure /= np.sqrt((weight * pressure**2).sum() / weight.sum())
    counts = rng.multinomial(rows, weight / weight.sum())
    # Calibrated by simulation: the worst month (staffing 0) gives a voice
    # service level (20 s, short abandons excluded) near 75 % and 6 % abandons,
    # the best (1) near 87 % and 2.5 %; the target is 80 %.
    wait_probability = 0.44 - 0.18 * staffing
    wait_scale = 44.0 - 16.0 * staffing
    return _ContactPlan(
        month=month,
        start_us=pieces.start[keep] * US,
        length_us=length * US,
        counts=counts.astype(np.int64),
        pressure=pressure,
        wait_probability=wait_probability,
        wait_scale=wait_scale,
        csat_shift=0.04 * (1.0 - staffing),
        staffing=staffing,
    )


def _contact_chunk(
    plan: _ContactPlan, first_piece: int, end_piece: int, rng: np.random.Generator, first_id: int
) -> pa.RecordBatch:
    piece_slice = slice(first_piece, end_piece)
    offered, piece = _arrivals(
        rng, plan.start_us[piece_slice], plan.length_us[piece_slice], plan.counts[piece_slice]
    )
    n = len(offered)
    chat = rng.random(n) < _CHAT_SHARE
    queue = _choice(rng, _QUEUE_SHARES, n)

    # Time to an agent: most are answered at once, the rest queue with a
    # heavy right tail; both chance and length grow with the pressure.
    z = plan.pressure[piece_slice][piece] * _QUEUE_PRESSURE[queue]
    z = np.where(chat, z * 1.1, z)
    queued = rng.random(n) < np.minimum(plan.wait_probability * z * z, 0.97)
    gap = rng.standard_exponential(n)
    scale = np.where(chat, plan.wait_scale * 1.4, plan.wait_scale)
    to_agent = np.where(queued, scale * np.sqrt(z * gap) * z * gap, 1.5 * gap)
    # Patience (Rayleigh: few hang up in the first seconds), plus the impatient.
    patience = np.sqrt(rng.standard_exponential(n)) * np.where(chat, _PATIENCE[1], _PATIENCE[0])
    impatient = rng.random(n) < _IMPATIENT
    patience = np.where(impatient, patience * (5.0 / 400.0), patience)
    abandoned = patience < to_agent
    wait_ms = np.rint(np.where(abandoned, patience, to_agent) * 1000.0).astype(np.int64)
    answered = ~abandoned
    answered_at = offered + wait_ms * 1000

    # Lognormal handle time by channel and queue (mu per combination, mean as set).
    mu = np.log(np.outer(_MEAN_HANDLE, _QUEUE_HANDLE)).ravel() - _HANDLE_SIGMA**2 / 2
    mu_row = mu[chat.astype(np.int64) * len(QUEUES) + queue]
    handle = np.maximum(np.rint(np.exp(mu_row + _HANDLE_SIGMA * rng.standard_normal(n))), 20.0)
    transferred = answered & (rng.random(n) < _QUEUE_TRANSFER[queue])
    resolved = rng.random(n) < np.where(transferred, 0.40, 0.79)

    surveyed = answered & (rng.random(n) < _SURVEYED)
    (rows,) = np.nonzero(surveyed)
    csat = np.zeros(n, dtype=np.int64)
    if len(rows):
        table = _CSAT.copy()
        table[:, 4] -= plan.csat_shift
        table[:, 2] += plan.csat_shift / 2
        table[:, 1] += plan.csat_shift / 2
        cumulative = np.cumsum(table, axis=1)[:, :4]
        group = resolved[rows].astype(np.int64) * 2 + (wait_ms[rows] > 60_000)
        draw = rng.random(len(rows))
        csat[rows] = 1 + (draw[:, None] > cumulative[group]).sum(axis=1)

    columns = [
        _identifiers("CC-", first_id, n),
        _numbers(TIMESTAMP, offered),
        _labels(CHANNELS, chat.astype(np.int8)),
        _labels(QUEUES, queue),
        _numbers(TIMESTAMP, answered_at, abandoned),
        _bools(abandoned),
        _numbers(pa.float64(), wait_ms / 1000.0),
        _numbers(pa.float64(), handle, abandoned),
        _bools(transferred),
        _bools(resolved, abandoned),
        _numbers(pa.int64(), csat, ~surveyed),
    ]
    return pa.RecordBatch.from_arrays(columns, schema=CONTACT_CENTRE_SCHEMA)


def contact_centre_batches(
    month: Month, rows: int, seed: int, *, first_id: int = 1
) -> Iterator[pa.RecordBatch]:
    """One month of contact-centre interactions, in record batches of about a million rows.

    Interaction ids are ``CC-`` and nine digits, numbered from ``first_id`` in
    order of arrival.
    """
    _check_month(month)
    _check_rows(rows, first_id, "contact-centre")
    plan = _contact_plan(month, rows, seed)
    for k, (a, b, first_row) in enumerate(_chunks(plan.counts)):
        rng = _rng(seed, "contact-centre", month, k + 1)
        yield _contact_chunk(plan, a, b, rng, first_id + first_row)


def contact_centre_month(month: Month, rows: int, seed: int, *, first_id: int = 1) -> pa.Table:
    """One month of contact-centre interactions as a table (see :func:`contact_centre_batches`)."""
    batches = list(contact_centre_batches(month, rows, seed, first_id=first_id))
    return pa.Table.from_batches(batches, schema=CONTACT_CENTRE_SCHEMA)


# --------------------------------------------------------------------------- tickets

CATEGORIES: tuple[str, ...] = ("pay", "benefits", "access", "records", "hardware")
_CATEGORY_SHARES = (0.22, 0.14, 0.34, 0.12, 0.18)
_CATEGORY_EFFORT = np.array([0.9, 1.15, 0.8, 1.05, 1.3])
_P1_SHARE = 0.02
_PRIORITY_SHARES_AFTER_P1 = (0.10, 0.50, 0.38)  # P2, P3, P4
_OUTSIDE_SHARE = 0.10  # of P2-P4 tickets, opened outside office hours
# Per priority: target seconds, lognormal sigma, range of the month's share within target.
_RESOLUTION = {
    1: (4 * HOUR, 0.8, (0.90, 0.97)),  # elapsed
    2: (8 * HOUR, 0.9, (0.85, 0.95)),  # business
    3: (24 * HOUR, 1.0, (0.88, 0.96)),
    4: (40 * HOUR, 1.0, (0.90, 0.97)),
}
_RESPONSE = (1 * HOUR, 1.1, (0.90, 0.98))
_NORMAL = NormalDist()


@dataclass(frozen=True)
class _TicketPlan:
    month: Month
    start_us: I64
    length_us: I64
    counts: I64
    p1_share: F64  # per piece: chance that a ticket opened then is a P1
    month_start_us: int
    month_length_us: int
    response_mu: float
    resolution_mu: dict[int, float]
    performance: float


def _lognormal_mu(target: float, sigma: float, share: float) -> float:
    """mu of a lognormal(mu, sigma) with ``share`` of its mass below ``target``."""
    return float(np.log(target) - sigma * _NORMAL.inv_cdf(share))


def _ticket_plan(month: Month, rows: int, seed: int) -> _TicketPlan:
    calendar = office_calendar()
    rng = _rng(seed, "tickets", month, 0)
    pieces = _month_pieces(calendar, month, 900)
    hour, business, day, length = pieces.hour, pieces.business, pieces.day, pieces.length
    working_day = np.isin(day, np.unique(day[business]))

    inside = (1.0 + _bump(hour, 9.75, 1.1) + 0.55 * _bump(hour, 13.6, 1.0)) * business
    inside *= np.array([1.25, 1.05, 1.0, 0.95, 0.80, 0.0, 0.0])[pieces.weekday]
    inside *= np.where(np.isin(day - 1, _holiday_days(calendar, month.year)), 1.2, 1.0)
    inside *= _per_day(rng, day, 0.12)
    outside = (0.05 + 0.6 * _bump(hour, 18.0, 1.8) + 0.35 * _bump(hour, 7.5, 0.8)) * ~business
    outside *= np.where(working_day, 1.0, 0.35)
    anytime = 1.0 + 1.0 * business
    parts = []
    for density in (inside, outside, anytime):
        mass = density * length
        parts.append(mass / mass.sum())
    routine = (1 - _P1_SHARE) * ((1 - _OUTSIDE_SHARE) * parts[0] + _OUTSIDE_SHARE * parts[1])
    urgent = _P1_SHARE * parts[2]
    weight = routine + urgent
    performance = float(rng.beta(2.4, 1.8))
    jitter = rng.random(len(_RESOLUTION) + 1)
    counts = rng.multinomial(rows, weight / weight.sum())

    def share(bounds: tuple[float, float], u: float) -> float:
        lo, hi = bounds
        return lo + (hi - lo) * (0.7 * performance + 0.3 * u)

    resolution_mu = {
        p: _lognormal_mu(target, sigma, share(bounds, float(jitter[p])))
        for p, (target, sigma, bounds) in _RESOLUTION.items()
    }
    target, sigma, bounds = _RESPONSE
    return _TicketPlan(
        month=month,
        start_us=pieces.start * US,
        length_us=length * US,
        counts=counts.astype(np.int64),
        p1_share=urgent / np.maximum(weight, 1e-300),
        month_start_us=pieces.month_start * US,
        month_length_us=(pieces.month_end - pieces.month_start) * US,
        response_mu=_lognormal_mu(target, sigma, share(bounds, float(jitter[0]))),
        resolution_mu=resolution_mu,
        performance=performance,
    )


def _ticket_chunk(
    plan: _TicketPlan, first_piece: int, end_piece: int, rng: np.random.Generator, first_id: int
) -> pa.RecordBatch:
    piece_slice = slice(first_piece, end_piece)
    opened_us, piece = _arrivals(
        rng, plan.start_us[piece_slice], plan.length_us[piece_slice], plan.counts[piece_slice]
    )
    opened_us -= opened_us % US  # whole seconds, as service desks record them
    n = len(opened_us)
    p1 = rng.random(n) < plan.p1_share[piece_slice][piece]
    priority = np.where(p1, 1, 2 + _choice(rng, _PRIORITY_SHARES_AFTER_P1, n)).astype(np.int64)
    category = _choice(rng, _CATEGORY_SHARES, n)

    # Resolution in business seconds (elapsed for P1), lognormal per priority.
    mu = np.array([0.0, *(plan.resolution_mu[p] for p in (1, 2, 3, 4))])[priority]
    sigma = np.array([0.0, *(_RESOLUTION[p][1] for p in (1, 2, 3, 4))])[priority]
    effort = _CATEGORY_EFFORT[category]
    resolve = np.maximum(np.rint(np.exp(mu + sigma * rng.standard_normal(n)) * effort), 60)
    respond = np.exp(plan.response_mu + _RESPONSE[1] * rng.standard_normal(n))
    respond = np.where(p1, np.exp(np.log(300.0) + 0.8 * rng.standard_normal(n)), respond)
    respond = np.minimum(np.maximum(np.rint(respond), 30), resolve)
    resolve_s = resolve.astype(np.int64)
    respond_s = respond.astype(np.int64)

    opened_ns = opened_us * 1000
    calendar = office_calendar()
    responded_ns = np.where(
        p1, opened_ns + respond_s * NS, add_business_seconds(calendar, opened_ns, respond_s)
    )
    resolved_ns = np.where(
        p1, opened_ns + resolve_s * NS, add_business_seconds(calendar, opened_ns, resolve_s)
    )

    no_response = rng.random(n) < 0.005
    # Still open when the data was taken: more likely the later in the month.
    lateness = (opened_us - plan.month_start_us) / plan.month_length_us
    still_open = rng.random(n) < 0.02 * lateness
    # Reopened tickets are mostly the long ones (the first fix did not hold).
    target = np.array([0, *(_RESOLUTION[p][0] for p in (1, 2, 3, 4))])[priority]
    reopened = ~still_open & (rng.random(n) < np.where(resolve_s > target, 0.09, 0.024))

    columns = [
        _identifiers("INC", first_id, n),
        _numbers(pa.int64(), priority),
        _labels(CATEGORIES, category),
        _numbers(TIMESTAMP, opened_us),
        _numbers(TIMESTAMP, responded_ns // 1000, no_response),
        _numbers(TIMESTAMP, resolved_ns // 1000, still_open),
        _bools(reopened),
    ]
    return pa.RecordBatch.from_arrays(columns, schema=TICKETS_SCHEMA)


def tickets_batches(
    month: Month, rows: int, seed: int, *, first_id: int = 1
) -> Iterator[pa.RecordBatch]:
    """One month of service desk tickets, in record batches (ids ``INC`` + nine digits)."""
    _check_month(month)
    _check_rows(rows, first_id, "tickets")
    plan = _ticket_plan(month, rows, seed)
    for k, (a, b, first_row) in enumerate(_chunks(plan.counts)):
        rng = _rng(seed, "tickets", month, k + 1)
        yield _ticket_chunk(plan, a, b, rng, first_id + first_row)


def tickets_month(month: Month, rows: int, seed: int, *, first_id: int = 1) -> pa.Table:
    """One month of service desk tickets as a table (see :func:`tickets_batches`)."""
    batches = list(tickets_batches(month, rows, seed, first_id=first_id))
    return pa.Table.from_batches(batches, schema=TICKETS_SCHEMA)


# --------------------------------------------------------------------------- payroll

PAY_GROUPS: tuple[str, ...] = (
    "biweekly-regular",
    "biweekly-auxiliary",
    "monthly-executive",
    "off-cycle",
)
_GROUP_CODE = ("BR", "BA", "EX", "OC")
# A pay Friday: biweekly runs fall every 14 days from it.
_PAY_FRIDAY = dt.date(2026, 1, 9)
_DEADLINE_HOUR = 10
# Per group: median hours the file is ready before its deadline, and sigma.
_LEAD = ((20.0, 0.5), (16.0, 0.5), (30.0, 0.4), (3.0, 0.6))


def _local_to_utc(timezone: str, local: I64) -> I64:
    """UTC epoch seconds of local wall-clock times (epoch seconds of local time)."""
    lo, hi = int(local.min()) - 2 * DAY, int(local.max()) + 2 * DAY
    guess = local - _offsets_at(timezone, local, lo, hi)
    return local - _offsets_at(timezone, guess, lo, hi)


def payroll_month(month: Month, off_cycle_runs: int, seed: int) -> pa.Table:
    """The pay runs of ``month``, in deadline order.

    Scheduled runs come from the office calendar: the two biweekly groups for
    each pay Friday of the month (every second Friday from 9 January 2026; the
    deadline moves to the previous business day when that Friday is a holiday)
    and the executives on the month's last business day, each with a 10:00
    local deadline for the bank deposit file; ``off_cycle_runs`` more fall on
    random business days of the month, between 09:00 and 15:00. The month's
    draw sets its share of late runs (about one in thirty on average) and its
    payment error rate (0.02 % to 0.15 % of payments).
    """
    _check_month(month)
    if not 0 <= off_cycle_runs <= MAX_OFF_CYCLE_RUNS:
        raise DataError(
            f"payroll: off-cycle runs per month must be between 0 and {MAX_OFF_CYCLE_RUNS}, "
            f"got {off_cycle_runs}"
        )
    calendar = office_calendar()
    rng = _rng(seed, "payroll", month, 0)
    first = (month.first_day() - _EPOCH).days
    end = (month.shift(1).first_day() - _EPOCH).days
    days = np.arange(first - 7, end, dtype=np.int64)
    open_weekday = np.array([bool(windows) for windows in calendar.week])
    business = open_weekday[(days + 3) % 7] & ~np.isin(days, _holiday_days(calendar, month.year))
    in_month = days >= first

    # Biweekly: every second Friday, moved back to the previous business day.
    fridays = days[((days - (_PAY_FRIDAY - _EPOCH).days) % 14 == 0) & in_month]
    business_days = days[business]
    pay_days = business_days[np.searchsorted(business_days, fridays, side="right") - 1]
    executive_day = business_days[business_days < end][-1:]
    off_days = rng.choice(business_days[business_days >= first], size=off_cycle_runs)
    off_minutes = rng.integers(9 * 60, 15 * 60, size=off_cycle_runs) // 30 * 30

    group = np.concatenate(
        [
            np.zeros(len(pay_days), np.int8),
            np.ones(len(pay_days), np.int8),
            np.full(len(executive_day), 2, np.int8),
            np.full(off_cycle_runs, 3, np.int8),
        ]
    )
    day = np.concatenate([pay_days, pay_days, executive_day, off_days])
    minute = np.concatenate(
        [np.full(2 * len(pay_days) + len(executive_day), _DEADLINE_HOUR * 60), off_minutes]
    )
    local = day * DAY + minute * 60
    scheduled = _local_to_utc(calendar.timezone, local) if len(local) else local
    order = np.lexsort((group, scheduled))
    group, day, scheduled = group[order], day[order], scheduled[order]
    n = len(group)

    # The month's quality: share of late runs and payment error rate.
    late_rate = 0.004 + 0.06 * float(rng.beta(1.6, 2.6))
    error_rate = float(np.exp(rng.uniform(np.log(2e-4), np.log(1.5e-3))))
    lead_median = np.array([m for m, _ in _LEAD])[group]
    lead_sigma = np.array([s for _, s in _LEAD])[group]
    lead = lead_median * np.exp(lead_sigma * rng.standard_normal(n)) * HOUR
    late = rng.random(n) < np.where(group == 3, 1.5 * late_rate, late_rate)
    overrun = 40.0 * 60 * np.exp(0.9 * rng.standard_normal(n))
    completed = scheduled + np.rint(np.where(late, overrun, -lead)).astype(np.int64)

    summer = 1.25 if month.month in (6, 7, 8) else 1.0
    paid = np.select(
        [group == 0, group == 1, group == 2],
        [
            24_000 + 120 * rng.standard_normal(n),
            5_000 * summer + 150 * rng.standard_normal(n),
            400 + 4 * rng.standard_normal(n),
        ],
        np.clip(np.exp(np.log(40.0) + 0.9 * rng.standard_normal(n)), 5, 300),
    )
    paid = np.rint(paid).astype(np.int64)
    errors = rng.binomial(paid, np.minimum(error_rate * np.exp(0.35 * rng.standard_normal(n)), 1))
    adjustments = rng.binomial(paid, np.minimum(0.005 * np.exp(0.25 * rng.standard_normal(n)), 1))

    sequence = np.zeros(n, dtype=np.int64)
    sequence[group == 3] = np.arange(1, int((group == 3).sum()) + 1)
    run_ids = [
        f"PR-{_EPOCH + dt.timedelta(days=int(d)):%Y%m%d}-{_GROUP_CODE[g]}"
        + (f"{s:04d}" if g == 3 else "")
        for d, g, s in zip(day.tolist(), group.tolist(), sequence.tolist(), strict=True)
    ]
    columns = [
        pa.array(run_ids, pa.string()),
        _labels(PAY_GROUPS, group),
        _numbers(TIMESTAMP, scheduled * US),
        _numbers(TIMESTAMP, completed * US),
        _numbers(pa.int64(), paid),
        _numbers(pa.int64(), errors.astype(np.int64)),
        _numbers(pa.int64(), adjustments.astype(np.int64)),
    ]
    return pa.Table.from_arrays(columns, schema=PAYROLL_SCHEMA)


# --------------------------------------------------------------------------- files


def month_batches(
    kind: str, month: Month, rows_per_month: int, seed: int, *, first_id: int = 1
) -> Iterator[pa.RecordBatch]:
    """One month of ``kind`` in record batches (for payroll, rows are off-cycle runs)."""
    if kind == "contact-centre":
        yield from contact_centre_batches(month, rows_per_month, seed, first_id=first_id)
    elif kind == "tickets":
        yield from tickets_batches(month, rows_per_month, seed, first_id=first_id)
    elif kind == "payroll":
        yield from payroll_month(month, rows_per_month, seed).to_batches()
    else:
        raise DataError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")


def generate(
    kind: str, *, months: int, rows_per_month: int, seed: int, start: Month, output: Path
) -> int:
    """Write ``months`` months of ``kind`` from ``start`` to ``output``; return the rows written.

    ``output`` is Parquet (``.parquet``/``.pq``) or CSV (``.csv``). For payroll,
    ``rows_per_month`` is the number of off-cycle runs a month (the scheduled
    runs come from the calendar). Ids run on across the months.
    """
    if kind not in KINDS:
        raise DataError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    if months < 1:
        raise DataError(f"months must be at least 1, got {months}")
    if seed < 0:
        raise DataError(f"seed must be >= 0, got {seed}")
    least = 0 if kind == "payroll" else 1
    if rows_per_month < least:
        raise DataError(f"{kind}: rows per month must be at least {least}, got {rows_per_month}")
    _check_month(start)
    _check_month(start.shift(months - 1))
    if kind == "payroll" and rows_per_month > MAX_OFF_CYCLE_RUNS:
        raise DataError(
            f"payroll: off-cycle runs per month must be at most {MAX_OFF_CYCLE_RUNS}, "
            f"got {rows_per_month}"
        )
    if kind != "payroll":
        _check_rows(months * rows_per_month, 1, kind)
    file_format(output)
    if not output.parent.is_dir():
        raise DataError(f"{output}: the directory {output.parent} does not exist")
    metadata = {
        "accord.generator": kind,
        "accord.seed": str(seed),
        "accord.start": str(start),
        "accord.months": str(months),
        "accord.tz_database": tz_database_version(),
    }

    def batches() -> Iterator[pa.RecordBatch]:
        for i in range(months):
            first_id = 1 + i * rows_per_month
            yield from month_batches(kind, start.shift(i), rows_per_month, seed, first_id=first_id)

    written = 0
    with BatchWriter(output, SCHEMAS[kind], metadata) as writer:
        for batch in _ahead(batches()):
            writer.write(batch)
            written += batch.num_rows
    return written


def _ahead(batches: Iterator[pa.RecordBatch], depth: int = 2) -> Iterator[pa.RecordBatch]:
    """The same batches in the same order, made by a worker thread while the caller writes.

    NumPy and the Parquet writer both release the GIL, so generating the next
    chunk overlaps with encoding the last one. At most ``depth`` batches wait.
    """
    slots: queue.Queue[tuple[str, Any]] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    def work() -> None:
        try:
            for batch in batches:
                if not put(("batch", batch)):
                    return
        except BaseException as exc:  # handed to the caller's thread
            put(("error", exc))
            return
        put(("done", None))

    worker = threading.Thread(target=work, name="accord-generate", daemon=True)
    worker.start()
    try:
        while True:
            tag, item = slots.get()
            if tag == "batch":
                yield item
            elif tag == "error":
                raise item
            else:
                return
    finally:
        stop.set()
        worker.join()


# --------------------------------------------------------------------------- command line


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _month(text: str) -> Month:
    try:
        return parse_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``generate`` on the ``accord engine`` sub-commands."""
    parser = commands.add_parser(
        "generate",
        help="write realistic synthetic operational data (deterministic)",
        description=(
            "Write realistic, deterministic operational data to a Parquet or CSV file: "
            "contact-centre interactions (credit union member contact centre), service "
            "desk tickets (BC public service office hours) or payroll runs (a ministry "
            "of 30,000 employees). The same arguments always give the same rows; each "
            "month's performance varies with the seed."
        ),
    )
    parser.add_argument("kind", choices=KINDS, help="what to generate")
    parser.add_argument("--months", type=_positive_int, required=True, help="number of months")
    parser.add_argument(
        "--rows-per-month",
        type=_count,
        required=True,
        metavar="R",
        help=(
            "rows per month: contacts offered or tickets opened; for payroll the number "
            "of off-cycle runs per month (scheduled runs come from the calendar)"
        ),
    )
    parser.add_argument("--seed", type=_count, required=True, help="random seed (>= 0)")
    parser.add_argument(
        "--output", type=Path, required=True, help="output file: .parquet, .pq or .csv"
    )
    parser.add_argument(
        "--start",
        type=_month,
        default=Month(2026, 1),
        metavar="YYYY-MM",
        help="first month (default: 2026-01)",
    )
    parser.set_defaults(handler=_command)


def _command(args: argparse.Namespace) -> int:
    output: Path = args.output
    rows = generate(
        args.kind,
        months=args.months,
        rows_per_month=args.rows_per_month,
        seed=args.seed,
        start=args.start,
        output=output,
    )
    last: Month = args.start.shift(args.months - 1)
    span = f"{args.months} month{'s' if args.months != 1 else ''} ({args.start} to {last})"
    print(f"wrote {rows} {args.kind} rows, {span}, to {output}")
    return 0
