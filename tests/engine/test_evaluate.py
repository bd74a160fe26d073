"""Evaluating a schedule on DuckDB agrees with a plain row-by-row reference.

The reference below is written independently of the engine: each service
level of the test schedule is restated as a Python predicate, rows are
assigned to local months with ``zoneinfo`` (the pinned tzdata), business time
comes from :meth:`BusinessCalendar.business_seconds_between` (itself checked
against businesstimedelta) and percentiles from NumPy's linear
interpolation. The data are random, span both daylight-saving changes and
have nulls where real exports have them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from accord.engine.cli import main
from accord.engine.errors import DataError
from accord.engine.evaluate import evaluate
from accord.engine.periods import Month
from accord.engine.schedule import Schedule
from accord.engine.tz import get_zone

ZONE = "America/Vancouver"
UTC = pa.timestamp("us", tz="UTC")

OFFICE = {
    "timezone": ZONE,
    "hours": {day: ["08:30-16:30"] for day in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": {"country": "CA", "subdivision": "BC", "add": ["2026-12-24"]},
}

SCHEDULE: dict[str, Any] = {
    "contract": "Test contract",
    "timezone": ZONE,
    "calendars": {"office": OFFICE},
    "sources": {
        "calls": {
            "time_column": "offered_at",
            "columns": {
                "offered_at": "timestamp",
                "channel": "string",
                "queue": "string",
                "abandoned": "boolean",
                "wait_seconds": "float",
                "handle_seconds": "float",
                "csat": "integer",
            },
        },
        "tickets": {
            "time_column": "opened_at",
            "columns": {
                "opened_at": "timestamp",
                "resolved_at": "timestamp",
                "priority": "integer",
            },
        },
    },
    "service_levels": [
        {
            "code": "SL",
            "name": "Voice answered within 20 s",
            "kind": "critical",
            "source": "calls",
            "filter": "channel = 'voice'",
            "measure": {
                "type": "share",
                "condition": "NOT abandoned AND wait_seconds <= 20s",
                "exclude": "abandoned AND wait_seconds < 5s",
            },
            "expected": 80,
            "minimum": 70,
            "minimum_volume": 5,
            "breakdown": ["queue"],
        },
        {
            "code": "ASA",
            "name": "Mean wait of answered calls",
            "kind": "key",
            "source": "calls",
            "filter": "NOT abandoned",
            "unit": "seconds",
            "direction": "lower",
            "measure": {"type": "mean", "expression": "wait_seconds"},
            "expected": 15,
        },
        {
            "code": "W90",
            "name": "90th percentile wait",
            "kind": "key",
            "source": "calls",
            "unit": "seconds",
            "direction": "lower",
            "measure": {"type": "percentile", "expression": "wait_seconds", "percentile": 90},
            "expected": 40,
        },
        {
            "code": "AHT",
            "name": "Handle time per answered call",
            "kind": "key",
            "source": "calls",
            "unit": "seconds",
            "direction": "lower",
            "measure": {"type": "ratio", "numerator": "handle_seconds", "denominator": "1"},
            "expected": 300,
        },
        {
            "code": "HANDLED",
            "name": "Total handle time",
            "kind": "key",
            "source": "calls",
            "unit": "seconds",
            "measure": {"type": "sum", "expression": "handle_seconds / 60"},
            "expected": 0,
        },
        {
            "code": "CSAT",
            "name": "Top box",
            "kind": "critical",
            "source": "calls",
            "measure": {"type": "top_box", "expression": "csat", "top": [4, 5]},
            "expected": 85,
        },
        {
            "code": "CHATQ",
            "name": "Chats answered within 60 s, quarterly",
            "kind": "key",
            "source": "calls",
            "period": "quarter",
            "filter": "channel = 'chat'",
            "measure": {"type": "share", "condition": "NOT abandoned AND wait_seconds <= 1 minute"},
            "expected": 85,
        },
        {
            "code": "P2",
            "name": "P2 within 8 business hours",
            "kind": "critical",
            "source": "tickets",
            "calendar": "office",
            "filter": "priority = 2",
            "measure": {
                "type": "within",
                "start": "opened_at",
                "end": "resolved_at",
                "limit": "8 business hours",
            },
            "expected": 90,
            "minimum": 80,
        },
        {
            "code": "P3",
            "name": "P3 within 3 business days, unresolved left out",
            "kind": "critical",
            "source": "tickets",
            "calendar": "office",
            "filter": "priority = 3",
            "measure": {
                "type": "within",
                "start": "opened_at",
                "end": "resolved_at",
                "limit": "3 business days",
                "unresolved": "excluded",
            },
            "expected": 90,
        },
        {
            "code": "P1",
            "name": "P1 within 4 hours",
            "kind": "critical",
            "source": "tickets",
            "filter": "priority = 1",
            "measure": {
                "type": "within",
                "start": "opened_at",
                "end": "resolved_at",
                "limit": "4h",
            },
            "expected": 95,
        },
        {
            "code": "URGENT",
            "name": "Urgent tickets",
            "kind": "key",
            "source": "tickets",
            "unit": "count",
            "direction": "lower",
            "measure": {"type": "count", "condition": "priority <= 2"},
            "expected": 30,
        },
        {
            "code": "WEEKLY",
            "name": "P2 business hours mean, weekly",
            "kind": "key",
            "source": "tickets",
            "calendar": "office",
            "period": "week",
            "unit": "seconds",
            "direction": "lower",
            "measure": {"type": "mean", "expression": "business_seconds(opened_at, resolved_at)"},
            "expected": 20000,
        },
    ],
}

FIRST, LAST = Month(2026, 2), Month(2026, 12)


def _instants(rng: np.random.Generator, n: int) -> np.ndarray:
    start = np.datetime64("2026-02-01T00:00", "us")
    span = (np.datetime64("2027-01-10T00:00", "us") - start).astype(np.int64)
    return start + rng.integers(0, span, n).astype("m8[us]")


def make_calls(seed: int = 3, n: int = 6000) -> pa.Table:
    rng = np.random.default_rng(seed)
    offered = _instants(rng, n)
    abandoned = rng.random(n) < 0.08
    # Whole and fractional waits, some exactly on the 20 s and 5 s edges.
    wait = np.round(rng.exponential(14, n), 1)
    wait[rng.random(n) < 0.03] = 20.0
    wait[rng.random(n) < 0.01] = 5.0
    handle = np.where(abandoned, np.nan, np.round(rng.lognormal(5.6, 0.4, n), 3))
    csat = rng.integers(1, 6, n).astype(object)
    csat[rng.random(n) < 0.8] = None
    return pa.table(
        {
            "offered_at": pa.array(offered).cast(UTC),
            "channel": rng.choice(["voice", "chat"], n, p=[0.75, 0.25]),
            "queue": rng.choice(["members", "cards", "fraud"], n),
            "abandoned": abandoned,
            "wait_seconds": wait,
            "handle_seconds": pa.array(handle, from_pandas=True),
            "csat": pa.array(list(csat), pa.int64()),
        }
    )


def make_tickets(seed: int = 4, n: int = 3000) -> pa.Table:
    rng = np.random.default_rng(seed)
    opened = _instants(rng, n)
    hours = rng.exponential(14, n) * 3600
    resolved = opened + (hours * 1e6).astype("m8[us]")
    resolved[rng.random(n) < 0.03] = np.datetime64("NaT")
    return pa.table(
        {
            "opened_at": pa.array(opened).cast(UTC),
            "resolved_at": pa.array(resolved).cast(UTC),
            "priority": rng.integers(1, 5, n),
        }
    )


# --------------------------------------------------------------------------- the reference


@dataclass(frozen=True)
class Ref:
    """A level restated in Python: which rows count, which of those meet it."""

    value: Callable[[list[dict[str, Any]]], tuple[float | None, int]]


def _local(ts: dt.datetime) -> dt.datetime:
    return ts.astimezone(get_zone(ZONE))


def _month_label(row_time: dt.datetime) -> str:
    local = _local(row_time)
    return f"{local.year:04d}-{local.month:02d}"


def _quarter_label(row_time: dt.datetime) -> str:
    local = _local(row_time)
    return f"{local.year:04d}-Q{(local.month - 1) // 3 + 1}"


def _week_label(row_time: dt.datetime) -> str:
    year, week, _ = _local(row_time).date().isocalendar()
    return f"{year:04d}-W{week:02d}"


def _share(rows: list[dict[str, Any]], counted: Callable[..., bool], met: Callable[..., bool]):
    den = [r for r in rows if counted(r)]
    if not den:
        return None, 0
    return 100 * sum(1 for r in den if met(r)) / len(den), len(den)


def _mean(values: list[float]) -> tuple[float | None, int]:
    return (sum(values) / len(values), len(values)) if values else (None, 0)


def reference_levels(schedule: Schedule) -> dict[str, Ref]:
    office = schedule.calendars["office"]

    def business(r: dict[str, Any]) -> float:
        return office.business_seconds_between(r["opened_at"], r["resolved_at"])

    def elapsed(r: dict[str, Any]) -> float:
        return (r["resolved_at"] - r["opened_at"]).total_seconds()

    def voice_sl(rows):
        return _share(
            rows,
            lambda r: r["channel"] == "voice" and not (r["abandoned"] and r["wait_seconds"] < 5),
            lambda r: not r["abandoned"] and r["wait_seconds"] <= 20,
        )

    def percentile(rows):
        values = [r["wait_seconds"] for r in rows]
        return (float(np.percentile(values, 90)), len(values)) if values else (None, 0)

    def aht(rows):
        values = [r["handle_seconds"] for r in rows if r["handle_seconds"] is not None]
        return _mean(values)

    def handled(rows):
        values = [r["handle_seconds"] / 60 for r in rows if r["handle_seconds"] is not None]
        return (sum(values), len(values)) if values else (None, 0)

    def top_box(rows):
        return _share(rows, lambda r: r["csat"] is not None, lambda r: r["csat"] in (4, 5))

    def within(priority: int, limit: float, clock, unresolved_counts: bool):
        def value(rows):
            return _share(
                rows,
                lambda r: (
                    r["priority"] == priority
                    and (unresolved_counts or r["resolved_at"] is not None)
                ),
                lambda r: r["resolved_at"] is not None and clock(r) <= limit,
            )

        return value

    return {
        "SL": Ref(voice_sl),
        "ASA": Ref(lambda rows: _mean([r["wait_seconds"] for r in rows if not r["abandoned"]])),
        "W90": Ref(percentile),
        "AHT": Ref(aht),
        "HANDLED": Ref(handled),
        "CSAT": Ref(top_box),
        "CHATQ": Ref(
            lambda rows: _share(
                rows,
                lambda r: r["channel"] == "chat",
                lambda r: not r["abandoned"] and r["wait_seconds"] <= 60,
            )
        ),
        "P2": Ref(within(2, 8 * 3600, business, True)),
        "P3": Ref(within(3, 3 * 8 * 3600, business, False)),
        "P1": Ref(within(1, 4 * 3600, elapsed, True)),
        "URGENT": Ref(
            lambda rows: (
                (sum(1 for r in rows if r["priority"] <= 2), len(rows)) if rows else (None, 0)
            )
        ),
        "WEEKLY": Ref(
            lambda rows: _mean([business(r) for r in rows if r["resolved_at"] is not None])
        ),
    }


def _status(value: float | None, volume: int, level: Any) -> str:
    if volume == 0 or value is None:
        return "no_data"
    if volume < level.minimum_volume:
        return "below_volume"
    expected = float(level.expected)
    minimum = None if level.minimum is None else float(level.minimum)
    better = (lambda a, b: a >= b) if level.direction == "higher" else (lambda a, b: a <= b)
    if better(value, expected):
        return "met"
    if minimum is not None and not better(value, minimum):
        return "missed_minimum"
    return "missed_expected"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("evaluate")
    pq.write_table(make_calls(), path / "calls.parquet")
    pq.write_table(make_tickets(), path / "tickets.parquet")
    return path


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return Schedule.from_dict(SCHEDULE)


@pytest.fixture(scope="module")
def evaluation(schedule: Schedule, data_dir: Path):
    return evaluate(
        schedule,
        {"calls": str(data_dir / "calls.parquet"), "tickets": str(data_dir / "tickets.parquet")},
        first=FIRST,
        last=LAST,
    )


def test_every_level_agrees_with_the_row_by_row_reference(
    schedule: Schedule, evaluation: Any
) -> None:
    refs = reference_levels(schedule)
    rows = {"calls": make_calls().to_pylist(), "tickets": make_tickets().to_pylist()}
    labels = {"month": _month_label, "quarter": _quarter_label, "week": _week_label}
    engine = {(r.code, r.period, tuple(sorted(r.breakdown.items()))): r for r in evaluation.results}
    checked = 0
    for level in schedule.service_levels:
        time_column = schedule.sources[level.source].time_column
        label_of = labels[level.period]
        groups: dict[tuple[str, tuple[tuple[str, Any], ...]], list[dict[str, Any]]] = {}
        for row in rows[level.source]:
            label = label_of(row[time_column])
            groups.setdefault((label, ()), []).append(row)
            for column in level.breakdown:
                groups.setdefault((label, ((column, row[column]),)), []).append(row)
        assert any(key[0] == level.code for key in engine), level.code
        for (code, period, breakdown), result in engine.items():
            if code != level.code:
                continue
            expected_value, volume = refs[code].value(groups.get((period, breakdown), []))
            assert result.volume == volume, (code, period, breakdown)
            if expected_value is None:
                assert result.value is None
            elif level.measure.type in ("share", "within", "top_box", "count"):
                assert result.value == expected_value, (code, period, breakdown)
            else:
                # Sums are exact over values taken to 9 decimal places, so each
                # row may differ from the float reference by half a nano-unit.
                tolerance = volume * 5e-10 if level.measure.type == "sum" else 1e-9
                assert result.value == pytest.approx(expected_value, rel=1e-12, abs=tolerance), (
                    code,
                    period,
                )
            assert result.status == _status(expected_value, volume, level), (code, period)
            checked += 1
    # 11 months x (7 monthly levels + 3 queues) + 4 quarters + ~48 weeks, at least.
    assert checked > 150


def test_periods_follow_local_time_and_cover_the_range(evaluation: Any) -> None:
    months = [r.period for r in evaluation.results if r.code == "P2"]
    assert months == [str(Month(2026, m)) for m in range(2, 13)]
    assert [r.period for r in evaluation.results if r.code == "CHATQ"] == [
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]  # a quarter belongs to the range when it starts in it
    october = evaluation.result("P2", "2026-10")
    assert (october.period_start, october.period_end) == ("2026-10-01", "2026-11-01")
    assert evaluation.rows_in_range["tickets"] > 0


def test_breakdown_groups_add_up_to_the_whole(evaluation: Any) -> None:
    whole = evaluation.result("SL", "2026-05")
    parts = [
        r for r in evaluation.results if r.code == "SL" and r.period == "2026-05" and r.breakdown
    ]
    assert {r.breakdown["queue"] for r in parts} == {"members", "cards", "fraud"}
    assert sum(r.volume for r in parts) == whole.volume
    assert sum(r.numerator for r in parts) == whole.numerator


def _one_level_schedule(**level: Any) -> Schedule:
    document = {
        **SCHEDULE,
        "service_levels": [
            {
                "code": "X",
                "name": "x",
                "kind": "critical",
                "source": "tickets",
                "measure": {"type": "share", "condition": "priority = 1"},
                "expected": 50,
                "minimum": 25,
                **level,
            }
        ],
    }
    return Schedule.from_dict(document)


def _tickets_file(tmp_path: Path, opened: list[str], priorities: list[int]) -> Path:
    path = tmp_path / "t.parquet"
    table = pa.table(
        {
            "opened_at": pa.array(np.array(opened, dtype="datetime64[us]")).cast(UTC),
            "resolved_at": pa.array(np.array(opened, dtype="datetime64[us]")).cast(UTC),
            "priority": pa.array(priorities, pa.int64()),
        }
    )
    pq.write_table(table, path)
    return path


def test_a_row_late_on_the_last_local_day_belongs_to_that_month(tmp_path: Path) -> None:
    # 2026-11-01T06:30Z is 23:30 on 31 October in Vancouver (PDT, UTC-7).
    path = _tickets_file(tmp_path, ["2026-11-01T06:30", "2026-11-01T08:30"], [1, 2])
    result = evaluate(
        _one_level_schedule(), {"tickets": str(path)}, first=Month(2026, 10), last=Month(2026, 11)
    )
    october, november = result.results
    assert (october.period, october.volume, october.value) == ("2026-10", 1, 100.0)
    assert (november.period, november.volume, november.value) == ("2026-11", 1, 0.0)


def test_statuses_at_the_edges_are_exact(tmp_path: Path) -> None:
    # 1 of 2 is exactly the expected 50 %: met, not a float-rounding miss.
    months = {
        "2026-01-15T20:00": [1, 2],  # 50 %: met
        "2026-02-15T20:00": [1, 2, 2, 2],  # 25 %: exactly the minimum, missed expected only
        "2026-03-15T20:00": [1, 2, 2, 2, 2],  # 20 %: under the minimum
    }
    opened = [day for day, ps in months.items() for _ in ps]
    priorities = [p for ps in months.values() for p in ps]
    path = _tickets_file(tmp_path, opened, priorities)
    result = evaluate(
        _one_level_schedule(minimum_volume=3),
        {"tickets": str(path)},
        first=Month(2026, 1),
        last=Month(2026, 4),
    )
    assert [(r.period, r.status) for r in result.results] == [
        ("2026-01", "below_volume"),  # 2 rows, 3 needed
        ("2026-02", "missed_expected"),
        ("2026-03", "missed_minimum"),
        ("2026-04", "no_data"),  # never silently 100 %
    ]
    assert result.results[-1].value is None
    february = result.results[1]
    assert (february.numerator, february.denominator, february.value) == (1.0, 4.0, 25.0)
    assert "% of rows where priority = 1" in february.rule


def test_lower_is_better_statuses(tmp_path: Path) -> None:
    path = _tickets_file(tmp_path, ["2026-01-15T20:00"] * 4, [1, 1, 2, 2])
    level = {
        "direction": "lower",
        "measure": {"type": "share", "condition": "priority = 1"},
        "expected": 40,
        "minimum": 45,
    }
    result = evaluate(
        _one_level_schedule(**level),
        {"tickets": str(path)},
        first=Month(2026, 1),
        last=Month(2026, 1),
    )
    assert result.results[0].status == "missed_minimum"  # 50 % > 45 %


def test_range_defaults_to_the_months_of_the_data(tmp_path: Path) -> None:
    path = _tickets_file(tmp_path, ["2026-03-02T20:00", "2026-05-01T05:00"], [1, 1])
    result = evaluate(_one_level_schedule(), {"tickets": str(path)})
    # 2026-05-01T05:00Z is still 30 April in Vancouver.
    assert (str(result.first), str(result.last)) == ("2026-03", "2026-04")


def test_csv_and_duckdb_inputs_give_the_same_results_as_parquet(
    schedule: Schedule, data_dir: Path, evaluation: Any, tmp_path: Path
) -> None:
    calls_csv = tmp_path / "calls.csv"
    pa_csv.write_csv(make_calls(), calls_csv)
    database = tmp_path / "ops.duckdb"
    con = duckdb.connect(str(database))
    tickets = make_tickets()  # noqa: F841 - read by DuckDB's replacement scan
    con.execute("CREATE TABLE tickets AS SELECT * FROM tickets")
    con.close()
    again = evaluate(
        schedule,
        {"calls": str(calls_csv), "tickets": f"{database}:tickets"},
        first=FIRST,
        last=LAST,
    )
    assert [r.to_dict() for r in again.results] == [r.to_dict() for r in evaluation.results]


def test_a_bad_csv_value_names_its_row_and_column(schedule: Schedule, tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(
        "opened_at,resolved_at,priority\n"
        "2026-03-02T17:00:00Z,2026-03-02T18:00:00Z,1\n"
        "2026-03-02T17:00:00Z,,high\n"
    )
    calls = tmp_path / "calls.parquet"
    pq.write_table(make_calls(n=10), calls)
    with pytest.raises(DataError, match=r"row 2, column 'priority': 'high' is not whole numbers"):
        evaluate(schedule, {"calls": str(calls), "tickets": str(path)})


def test_data_problems_are_clear_errors(schedule: Schedule, data_dir: Path, tmp_path: Path) -> None:
    calls = str(data_dir / "calls.parquet")
    tickets = str(data_dir / "tickets.parquet")
    with pytest.raises(DataError, match=r"no data given for source 'tickets'"):
        evaluate(schedule, {"calls": calls})
    with pytest.raises(DataError, match=r"data given for 'other'"):
        evaluate(schedule, {"calls": calls, "tickets": tickets, "other": tickets})
    with pytest.raises(DataError, match=r"no such file"):
        evaluate(schedule, {"calls": calls, "tickets": str(tmp_path / "nope.parquet")})
    wrong = tmp_path / "wrong.parquet"
    pq.write_table(make_tickets().drop_columns(["priority"]), wrong)
    with pytest.raises(DataError, match=r"source 'tickets' .*: no column 'priority'"):
        evaluate(schedule, {"calls": calls, "tickets": str(wrong)})
    typed = tmp_path / "typed.parquet"
    table = make_tickets()
    table = table.set_column(2, "priority", table.column("priority").cast(pa.string()))
    pq.write_table(table, typed)
    with pytest.raises(DataError, match=r"column 'priority' holds VARCHAR, but the schedule"):
        evaluate(schedule, {"calls": calls, "tickets": str(typed)})
    with pytest.raises(DataError, match=r"unknown data format '.txt'"):
        evaluate(schedule, {"calls": calls, "tickets": "tickets.txt"})


def test_credits_are_computed_from_the_monthly_statuses(tmp_path: Path) -> None:
    document = {
        **SCHEDULE,
        "service_levels": [SCHEDULE["service_levels"][-5]],  # P2, critical, minimum 80
        "credits": {
            "monthly_fees": 100000,
            "at_risk_percent": 10,
            "pool_percent": 200,
            "allocations": {"P2": 40},
            "expected_miss_rule": {"misses": 4, "months": 12},
        },
    }
    schedule = Schedule.from_dict(document)
    # Every P2 ticket of March takes two business days: 0 % within 8 hours.
    opened = ["2026-03-03T17:00", "2026-03-04T17:00"]
    path = tmp_path / "t.parquet"
    pq.write_table(
        pa.table(
            {
                "opened_at": pa.array(np.array(opened, "datetime64[us]")).cast(UTC),
                "resolved_at": pa.array(
                    np.array(["2026-03-05T17:00", "2026-03-06T17:00"], "datetime64[us]")
                ).cast(UTC),
                "priority": [2, 2],
            }
        ),
        path,
    )
    result = evaluate(schedule, {"tickets": str(path)}, first=Month(2026, 3), last=Month(2026, 3))
    assert result.results[0].status == "missed_minimum"
    assert result.credits is not None
    march = result.credits.month(Month(2026, 3))
    assert march.net == decimal.Decimal("4000")  # 40 % x 10 % x 100,000
    excused = evaluate(
        schedule,
        {"tickets": str(path)},
        first=Month(2026, 3),
        last=Month(2026, 3),
        excused=[("P2", Month(2026, 3))],
    )
    assert excused.credits is not None
    assert excused.credits.month(Month(2026, 3)).net == 0
    assert excused.credits.month(Month(2026, 3)).excused[0].code == "P2"


# --------------------------------------------------------------------------- command line


def test_cli_evaluate_prints_json_table_and_csv(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule_file = tmp_path / "schedule.json.yaml"
    schedule_file.write_text(json.dumps(SCHEDULE))  # JSON is YAML
    common = [
        "evaluate",
        "--contract", str(schedule_file),
        "--data", f"calls={data_dir / 'calls.parquet'}",
        "--data", f"tickets={data_dir / 'tickets.parquet'}",
        "--period", "2026-06",
    ]  # fmt: skip
    assert main([*common, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["from"] == document["to"] == "2026-06"
    assert {r["code"] for r in document["results"]} >= {"SL", "P2", "URGENT"}
    assert document["engine"]["tz_database"]
    assert main([*common, "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert "Test contract: 2026-06 to 2026-06" in table
    assert "queue=members" in table
    out = tmp_path / "out.csv"
    assert main([*common, "--format", "csv", "--output", str(out)]) == 0
    header = out.read_text().splitlines()[0]
    assert header.startswith("code,period,period_start,period_end,breakdown,value")


def test_cli_evaluate_reports_bad_input_with_status_2(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule_file = tmp_path / "schedule.yaml"
    schedule_file.write_text(json.dumps(SCHEDULE))
    base = ["evaluate", "--contract", str(schedule_file)]
    assert main([*base, "--data", "calls"]) == 2
    assert "expected NAME=PATH" in capsys.readouterr().err
    assert (
        main([*base, "--data", f"calls={data_dir / 'calls.parquet'}", "--period", "2026-13"]) == 2
    )
    assert "expected a month like 2026-10" in capsys.readouterr().err
    args = [
        *base,
        "--data", f"calls={data_dir / 'calls.parquet'}",
        "--data", f"tickets={data_dir / 'tickets.parquet'}",
        "--excuse", "NOPE:2026-03",
    ]  # fmt: skip
    assert main(args) == 2
    assert "no service level 'NOPE'" in capsys.readouterr().err
