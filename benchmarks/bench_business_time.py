"""Business time throughput: Accord's engine against the alternatives and the floor.

Run: ``python benchmarks/bench_business_time.py [--rows N] [--sample N]``.

Writes N random ticket intervals (default 10 million, one year of 2026, from
seconds to weeks long, some reversed, 0.1 % null ends) as two timestamp
columns to a Parquet file, then times on one core, best of three:

* ``accord business_seconds`` on NumPy ``datetime64[ns]`` arrays and on the
  Arrow arrays read from the file (microsecond timestamps, with nulls);
* the same end to end: read the Parquet file with pyarrow, then compute;
* ``numpy end - start``: the elapsed seconds, the least any method can do in
  memory;
* ``duckdb scan``: DuckDB (one thread) reading both columns of the Parquet
  file and summing their difference, the physical floor for a file;
* ``businesstimedelta`` and ``business-duration`` on a random sample (they
  are pure Python, one interval at a time).

The calendar is the issue's: Vancouver office hours with BC holidays.
Target: at least 15 million intervals per second on one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import business_duration
import businesstimedelta
import duckdb
import holidays
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytz

from accord.engine.calendars import BusinessCalendar
from accord.engine.tz import tz_database_version

CALENDAR = {
    "timezone": "America/Vancouver",
    "hours": {day: ["08:30-16:30"] for day in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": {"country": "CA", "subdivision": "BC", "add": ["2026-12-24"]},
}
TARGET = 15e6
NS = 10**9


def make_intervals(rows: int, seed: int = 42) -> pa.Table:
    rng = np.random.default_rng(seed)
    year = 365 * 86_400 * NS
    starts = np.datetime64("2026-01-01", "ns") + rng.integers(0, year, rows).astype("m8[ns]")
    # Log-uniform lengths from a second to four weeks; 10 % reversed.
    lengths = np.exp(rng.uniform(np.log(1.0), np.log(28 * 86_400.0), rows)) * NS
    lengths *= np.where(rng.random(rows) < 0.1, -1, 1)
    ends = starts + lengths.astype("m8[ns]")
    utc_us = pa.timestamp("us", tz="UTC")
    end_array = pa.array(ends.astype("datetime64[us]"), mask=rng.random(rows) < 0.001)
    return pa.table(
        {
            "start": pa.array(starts.astype("datetime64[us]")).cast(utc_us),
            "end": end_array.cast(utc_us),
        }
    )


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - began)
    return best


def pure_python_rates(table: pa.Table, sample: int) -> tuple[float, float]:
    """Intervals per second of businesstimedelta and business-duration on a sample."""
    zone = pytz.timezone("America/Vancouver")
    off = set(holidays.country_holidays("CA", subdiv="BC", years=range(2025, 2033)).keys())
    off.add(dt.date(2026, 12, 24))
    rules = businesstimedelta.Rules(
        [
            businesstimedelta.WorkDayRule(
                start_time=dt.time(8, 30), end_time=dt.time(16, 30), tz=zone
            ),
            businesstimedelta.HolidayRule(off, tz=zone),
        ]
    )
    head = table.slice(0, sample)
    starts = head.column("start").to_pylist()
    ends = [
        e if e is not None else s
        for s, e in zip(starts, head.column("end").to_pylist(), strict=True)
    ]
    began = time.perf_counter()
    for s, e in zip(starts, ends, strict=True):
        rules.difference(s, e)
    btd_rate = sample / (time.perf_counter() - began)

    # business-duration knows no time zones: give it local wall-clock times.
    local_starts = [s.astimezone(zone).replace(tzinfo=None) for s in starts]
    local_ends = [e.astimezone(zone).replace(tzinfo=None) for e in ends]
    holiday_list = sorted(off)
    began = time.perf_counter()
    for s, e in zip(local_starts, local_ends, strict=True):
        business_duration.businessDuration(
            pd.Timestamp(min(s, e)),
            pd.Timestamp(max(s, e)),
            starttime=dt.time(8, 30),
            endtime=dt.time(16, 30),
            holidaylist=holiday_list,
            unit="sec",
        )
    bd_rate = sample / (time.perf_counter() - began)
    return btd_rate, bd_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--sample", type=int, default=2_000, help="rows for the pure-Python libs")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows: int = args.rows
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)

    print(f"business time, {rows:,} intervals, one core (tz database {tz_database_version()})")
    table = make_intervals(rows)
    calendar = BusinessCalendar.from_dict(CALENDAR)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "intervals.parquet"
        pq.write_table(table, path, row_group_size=1 << 20)
        size_mb = os.path.getsize(path) / 1e6

        arrow_starts = table.column("start")
        arrow_ends = table.column("end")
        np_starts = arrow_starts.to_numpy().astype("datetime64[ns]")
        np_ends = arrow_ends.to_numpy().astype("datetime64[ns]")

        began = time.perf_counter()
        calendar.business_seconds(np_starts[:1], np_ends[:1])  # builds the year's table
        build = time.perf_counter() - began

        def end_to_end() -> None:
            read = pq.read_table(path, columns=["start", "end"], use_threads=False)
            calendar.business_seconds(read.column("start"), read.column("end"))

        con = duckdb.connect()
        con.execute("SET threads = 1")
        scan = 'SELECT sum(epoch_us("end") - epoch_us(start)) FROM read_parquet(?)'
        timings = {
            "accord business_seconds (NumPy ns)": best_of(
                args.runs, lambda: calendar.business_seconds(np_starts, np_ends)
            ),
            "accord business_seconds (Arrow us, nulls)": best_of(
                args.runs, lambda: calendar.business_seconds(arrow_starts, arrow_ends)
            ),
            "accord read Parquet + business_seconds": best_of(args.runs, end_to_end),
            "numpy end - start (elapsed seconds)": best_of(
                args.runs, lambda: (np_ends - np_starts).astype(np.int64) / 1e9
            ),
            "duckdb scan of both Parquet columns": best_of(
                args.runs, lambda: con.execute(scan, [str(path)]).fetchall()
            ),
        }
    btd_rate, bd_rate = pure_python_rates(table, args.sample)

    floor = timings["duckdb scan of both Parquet columns"]
    print(f"Parquet file {size_mb:.0f} MB; calendar table built in {build * 1e3:.1f} ms\n")
    print(f"{'method':46} {'seconds':>9} {'rows/s':>14} {'vs scan':>8}")
    for name, seconds in timings.items():
        print(f"{name:46} {seconds:9.3f} {rows / seconds:14,.0f} {seconds / floor:7.2f}x")
    for name, rate in (
        (f"businesstimedelta (sample of {args.sample:,})", btd_rate),
        (f"business-duration (sample of {args.sample:,})", bd_rate),
    ):
        seconds = rows / rate
        print(f"{name:46} {seconds:9.1f} {rate:14,.0f} {seconds / floor:7.0f}x  (extrapolated)")
    rate = rows / timings["accord business_seconds (NumPy ns)"]
    verdict = "met" if rate >= TARGET else "NOT met"
    print(f"\ntarget >= {TARGET / 1e6:.0f} M intervals/s on one core: {verdict}", end=" ")
    print(f"({rate / 1e6:.1f} M/s)")


if __name__ == "__main__":
    main()
