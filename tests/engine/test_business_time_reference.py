"""Business time agrees exactly with independent references on random intervals.

What is compared to what:

* ``test_agrees_with_businesstimedelta_on_random_intervals``: 110,000 random
  whole-second intervals per calendar against ``businesstimedelta`` (aware
  pytz datetimes). The reference is computed once per calendar along a sorted
  chain of 16,000 random instants plus instants at and next to every window
  boundary: businesstimedelta gives the business time between neighbours and
  business time from the first instant to any other is the running sum
  (business time is additive), so an interval between any two instants of
  the chain has a reference value without one slow call per interval. The
  engine computes every interval directly.
* ``test_agrees_with_businesstimedelta_directly``: 400 random intervals (up to
  45 days long) with one plain businesstimedelta call each, which does not
  rely on additivity.
* ``test_agrees_with_brute_force``: 100,000 random nanosecond-precision
  intervals per calendar (seven calendars, including windows in the DST gap
  and overlap, windows ending at 24:00, 30-minute DST, midnight transitions
  and a +05:45 zone) against the minute-by-minute wall-clock reference.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
import pytz

from tests.engine._reference import (
    NS,
    brute_force_seconds,
    btd_rules,
    btd_seconds,
    minute_table,
)
from tests.engine.cases import BRUTE_FORCE_CASES, BTD_CASES, VANCOUVER_24X7, Case

DAY_NS = 86_400 * NS


def _span(case: Case) -> tuple[np.datetime64, np.datetime64]:
    return (
        np.datetime64(f"{case.first_year}-01-01", "ns"),
        np.datetime64(f"{case.last_year + 1}-01-01", "ns"),
    )


def _boundaries(case: Case) -> npt.NDArray[np.datetime64]:
    """Instants where business time starts or stops, or the clocks change.

    Found from the brute-force reference (pandas and pytz), not the engine.
    """
    first, last = _span(case)
    table = minute_table(
        case.document["timezone"], case.calendar().week, case.holidays(), str(first), str(last)
    )
    changes = np.flatnonzero(np.diff(table.business.astype(np.int8))) + 1
    utc = pd.date_range(str(first), str(last), freq="min", tz="UTC", unit="ns")
    wall = np.asarray(utc.tz_convert(pytz.timezone(case.document["timezone"])).tz_localize(None))
    jumps = np.flatnonzero(np.diff(wall.astype(np.int64)) != 60 * NS) + 1
    minutes = np.union1d(changes, jumps).astype(np.int64)
    return (table.origin_ns + minutes * 60 * NS).astype("datetime64[ns]")


def _random_intervals(
    rng: np.random.Generator,
    n: int,
    case: Case,
    boundaries: npt.NDArray[np.datetime64],
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.datetime64]]:
    """Nanosecond intervals of every length, many starting or ending at a boundary."""
    first, last = _span(case)
    lo, hi = int(first.astype(np.int64)), int(last.astype(np.int64))
    starts = rng.integers(lo, hi, n)
    near = rng.random(n) < 0.3
    jitter = rng.choice(np.array([0, 0, 1, -1, NS, -NS, 60 * NS]), near.sum())
    starts[near] = (
        boundaries[rng.integers(0, len(boundaries), near.sum())].astype(np.int64) + jitter
    )
    kind = rng.random(n)
    lengths = np.where(
        kind < 0.05,
        0,
        np.where(
            kind < 0.35,
            rng.integers(0, 3 * 3600 * NS, n),
            np.where(
                kind < 0.7,
                (rng.exponential(2.0, n) * DAY_NS).astype(np.int64),
                np.where(
                    kind < 0.9,
                    rng.integers(0, 60 * DAY_NS, n),
                    rng.integers(0, hi - lo, n),
                ),
            ),
        ),
    )
    ends = starts + np.where(rng.random(n) < 0.15, -lengths, lengths)
    snap = rng.random(n) < 0.2  # some ends exactly at a boundary too
    ends[snap] = boundaries[rng.integers(0, len(boundaries), snap.sum())].astype(np.int64)
    starts = np.clip(starts, lo, hi - 1)
    ends = np.clip(ends, lo, hi - 1)
    return starts.astype("datetime64[ns]"), ends.astype("datetime64[ns]")


@pytest.mark.parametrize("case", BRUTE_FORCE_CASES, ids=lambda c: c.name)
def test_agrees_with_brute_force(case: Case) -> None:
    rng = np.random.default_rng(20260308)
    boundaries = _boundaries(case)
    starts, ends = _random_intervals(rng, 100_000, case, boundaries)
    first, last = _span(case)
    table = minute_table(
        case.document["timezone"], case.calendar().week, case.holidays(), str(first), str(last)
    )
    expected = brute_force_seconds(table, starts, ends)
    got = case.calendar().business_seconds(starts, ends)
    mismatch = np.flatnonzero(got != expected)
    assert len(mismatch) == 0, [
        (str(starts[i]), str(ends[i]), got[i], expected[i]) for i in mismatch[:5]
    ]


def test_24x7_is_elapsed_time_on_random_intervals() -> None:
    rng = np.random.default_rng(7)
    starts, ends = _random_intervals(rng, 100_000, VANCOUVER_24X7, _boundaries(VANCOUVER_24X7))
    elapsed = (ends - starts).astype(np.int64) / NS
    assert np.array_equal(VANCOUVER_24X7.calendar().business_seconds(starts, ends), elapsed)


def _utc(value: np.datetime64) -> dt.datetime:
    seconds = int(value.astype("datetime64[s]").astype(np.int64))
    return dt.datetime.fromtimestamp(seconds, tz=pytz.utc)


@pytest.mark.parametrize("case", BTD_CASES, ids=lambda c: c.name)
def test_agrees_with_businesstimedelta_on_random_intervals(case: Case) -> None:
    rng = np.random.default_rng(1)
    first, last = _span(case)
    lo, hi = (
        int(first.astype("datetime64[s]").astype(np.int64)),
        int(last.astype("datetime64[s]").astype(np.int64)),
    )
    boundaries = _boundaries(case).astype("datetime64[s]").astype(np.int64)
    points = np.unique(
        np.concatenate(
            [
                rng.integers(lo, hi, 16_000),
                boundaries,
                boundaries[rng.random(len(boundaries)) < 0.25] + 1,
                boundaries[rng.random(len(boundaries)) < 0.25] - 1,
            ]
        )
    )
    points = points[(points >= lo) & (points < hi)]
    rules = btd_rules(case.calendar(), case.holidays())
    as_datetimes = [_utc(np.datetime64(int(p), "s")) for p in points]
    steps = [btd_seconds(rules, a, b) for a, b in zip(as_datetimes, as_datetimes[1:], strict=False)]
    reference = np.concatenate([[0], np.cumsum(np.asarray(steps, dtype=np.int64))])

    n = 110_000
    i = rng.integers(0, len(points), n)
    j = np.where(
        rng.random(n) < 0.5,
        np.clip(i + rng.integers(-40, 41, n), 0, len(points) - 1),
        rng.integers(0, len(points), n),
    )
    starts = points[i].astype("datetime64[s]")
    ends = points[j].astype("datetime64[s]")
    expected = (reference[j] - reference[i]).astype(np.float64)
    got = case.calendar().business_seconds(starts, ends)
    mismatch = np.flatnonzero(got != expected)
    assert len(mismatch) == 0, [
        (str(starts[k]), str(ends[k]), got[k], expected[k]) for k in mismatch[:5]
    ]
    assert len(points) > 16_000
    assert np.count_nonzero(starts != ends) > 100_000


@pytest.mark.parametrize("case", BTD_CASES, ids=lambda c: c.name)
def test_agrees_with_businesstimedelta_directly(case: Case) -> None:
    rng = np.random.default_rng(2)
    first, last = _span(case)
    lo = int(first.astype("datetime64[s]").astype(np.int64))
    hi = int(last.astype("datetime64[s]").astype(np.int64)) - 61 * 86_400
    starts = rng.integers(lo, hi, 200)
    ends = starts + rng.integers(-3 * 86_400, 45 * 86_400, 200)
    rules = btd_rules(case.calendar(), case.holidays())
    expected = np.array(
        [
            btd_seconds(rules, _utc(np.datetime64(int(a), "s")), _utc(np.datetime64(int(b), "s")))
            for a, b in zip(starts, ends, strict=True)
        ],
        dtype=np.float64,
    )
    got = case.calendar().business_seconds(
        starts.astype("datetime64[s]"), ends.astype("datetime64[s]")
    )
    assert np.array_equal(got, expected)
