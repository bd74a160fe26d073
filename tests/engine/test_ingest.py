"""Importing CSV and Parquet files: typed output, errors with row and column, all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from accord.engine import ingest as ingest_module
from accord.engine.errors import DataError
from accord.engine.evaluate import evaluate
from accord.engine.generate import contact_centre_month, tickets_month
from accord.engine.ingest import IngestReport, RowError, file_sha256, ingest
from accord.engine.periods import Month
from accord.engine.schedule import Schedule, Source
from accord.engine.tz import get_zone

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.UTC
TS = pa.timestamp("us", tz="UTC")
VANCOUVER = "America/Vancouver"

SOURCE = Source(
    "tickets",
    {
        "ticket_id": "string",
        "priority": "integer",
        "effort": "float",
        "reopened": "boolean",
        "opened_at": "timestamp",
        "resolved_at": "timestamp",
    },
    "opened_at",
)
HEADER = "ticket_id,priority,effort,reopened,opened_at,resolved_at"


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def _wall(*args: int) -> dt.datetime:
    """A naive datetime: wall-clock time."""
    return _utc(*args).replace(tzinfo=None)


def _csv(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(tmp_path: Path, path: Path, source: Source = SOURCE, **options: object) -> IngestReport:
    return ingest(source, path, tmp_path / "out.parquet", **options)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- round trips


def test_csv_round_trip_gives_exact_typed_values(tmp_path: Path) -> None:
    # Columns in another order than declared, one extra; every accepted spelling.
    text = (
        "resolved_at,note,reopened,effort,priority,opened_at,ticket_id\n"
        "2026-03-01T10:00:00Z,x,true,1.5,1,2026-03-01T09:30:00Z,T1\n"
        '2026-03-01 11:00:00+01:00,"a, b",FALSE,-2,+2,2026-03-01T09:30:15.25-08:00,T2\n'
        ",,Yes,.5,-3,2026-03-01T09:30:00+0530,T3\n"
        ", ,0,1e3, 4 ,2026-03-01T09:30:00.1234567Z,\n"
        "2026-03-02,,no,7,0,2026-03-01T09:30,T5\n"
    )
    report = _run(tmp_path, _csv(tmp_path, text), timezone=VANCOUVER)
    assert report.ok, report.errors
    assert (report.rows_read, report.rows_written) == (5, 5)
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema.names == list(SOURCE.columns)
    assert [f.type for f in table.schema] == [
        pa.string(), pa.int64(), pa.float64(), pa.bool_(), TS, TS,
    ]  # fmt: skip
    assert table.to_pydict() == {
        "ticket_id": ["T1", "T2", "T3", None, "T5"],
        "priority": [1, 2, -3, 4, 0],
        "effort": [1.5, -2.0, 0.5, 1000.0, 7.0],
        "reopened": [True, False, True, False, False],
        "opened_at": [
            _utc(2026, 3, 1, 9, 30),
            _utc(2026, 3, 1, 17, 30, 15, 250000),
            _utc(2026, 3, 1, 4, 0),
            _utc(2026, 3, 1, 9, 30, 0, 123456),  # digits beyond microseconds dropped
            _utc(2026, 3, 1, 17, 30),  # wall-clock time in Vancouver (UTC-8 on 1 March)
        ],
        "resolved_at": [
            _utc(2026, 3, 1, 10, 0),
            _utc(2026, 3, 1, 10, 0),
            None,
            None,
            _utc(2026, 3, 2, 8, 0),  # a date alone: local midnight
        ],
    }
    assert report.first_instant == _utc(2026, 3, 1, 4, 0)
    assert report.last_instant == _utc(2026, 3, 1, 17, 30, 15, 250000)
    metadata = table.schema.metadata
    assert metadata[b"accord.source"] == b"tickets"
    assert metadata[b"accord.input_sha256"] == report.sha256.encode()


def test_a_header_alone_gives_an_empty_typed_file(tmp_path: Path) -> None:
    # A byte-order mark and Windows line ends, as spreadsheets save CSV.
    path = tmp_path / "in.csv"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")
    report = _run(tmp_path, path)
    assert report.ok
    assert (report.rows_read, report.rows_written) == (0, 0)
    assert report.first_instant is None
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.num_rows == 0
    assert out.schema.names == list(SOURCE.columns)
    path.write_bytes(
        b"\xef\xbb\xbf" + HEADER.encode() + b"\r\nT1,1,1,true,2026-03-01T09:30:00Z,\r\n"
    )
    report = _run(tmp_path, path)
    assert report.ok
    assert pq.read_table(tmp_path / "out.parquet").column("ticket_id").to_pylist() == ["T1"]


def test_parquet_compatible_types_are_converted(tmp_path: Path) -> None:
    naive = pa.array([_wall(2026, 7, 1, 9, 0), None], pa.timestamp("ns"))
    table = pa.table(
        {
            "ticket_id": pa.array(["A", "B"], pa.large_string()),
            "priority": pa.array([1, 2], pa.int8()),
            "effort": pa.array([1.5, 2], pa.float32()),
            "reopened": pa.array([True, None]),
            "opened_at": pa.array(
                [_utc(2026, 7, 1, 9), _utc(2026, 7, 2)], pa.timestamp("s", "UTC")
            ),
            "resolved_at": naive,
            "extra": pa.array([{"a": 1}, None]),  # not declared: any type
        }
    )
    path = tmp_path / "in.parquet"
    pq.write_table(table, path)
    report = _run(tmp_path, path, timezone=VANCOUVER)
    assert report.ok, report.errors
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.to_pydict() == {
        "ticket_id": ["A", "B"],
        "priority": [1, 2],
        "effort": [1.5, 2.0],
        "reopened": [True, None],
        "opened_at": [_utc(2026, 7, 1, 9), _utc(2026, 7, 2)],
        "resolved_at": [_utc(2026, 7, 1, 16), None],  # Vancouver is UTC-7 in July
    }
    assert out.schema.field("priority").type == pa.int64()


def test_parquet_text_columns_are_parsed_like_csv(tmp_path: Path) -> None:
    table = pa.table(
        {
            "ticket_id": pa.array(["A", "B"]).dictionary_encode(),
            "priority": ["1", "x"],
            "effort": ["2.5", ""],
            "reopened": ["yes", "no"],
            "opened_at": ["2026-03-01T09:30:00Z", "2026-03-01T09:30:00+01:00"],
            "resolved_at": pa.array([None, None], pa.string()),
        }
    )
    path = tmp_path / "in.parquet"
    pq.write_table(table, path)
    report = _run(tmp_path, path)
    assert report.errors == (RowError(3, "priority", "x", "not an integer"),)
    good = table.slice(0, 1)
    pq.write_table(good, path)
    assert _run(tmp_path, path).ok
    out = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert out == [
        {
            "ticket_id": "A",
            "priority": 1,
            "effort": 2.5,
            "reopened": True,
            "opened_at": _utc(2026, 3, 1, 9, 30),
            "resolved_at": None,
        }
    ]


def test_incompatible_parquet_column_is_one_error(tmp_path: Path) -> None:
    table = pa.table(
        {
            "ticket_id": [1, 2],  # numbers, declared string
            "priority": [1.0, 2.0],  # floats, declared integer
            "effort": [1.0, 2.0],
            "reopened": [True, False],
            "opened_at": pa.array([_utc(2026, 1, 1), _utc(2026, 1, 2)], TS),
            "resolved_at": pa.array([dt.date(2026, 1, 1), None]),  # dates, not timestamps
        }
    )
    path = tmp_path / "in.parquet"
    pq.write_table(table, path)
    report = _run(tmp_path, path)
    assert [(e.row, e.column) for e in report.errors] == [
        (1, "ticket_id"),
        (1, "priority"),
        (1, "resolved_at"),
    ]
    assert report.errors[1].message == "holds double, which cannot be read as integer (int64)"
    assert report.error_count == 3
    assert report.rows_read == 2
    assert not (tmp_path / "out.parquet").exists()


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("priority", "1.0", "not an integer"),
        ("priority", "two", "not an integer"),
        ("priority", "9223372036854775808", "too large for a 64-bit integer"),
        ("effort", "1,5", "not a number"),
        ("effort", "nan", "not a number"),
        ("effort", "1e400", "too large for a float"),
        ("reopened", "maybe", "not true or false"),
        ("reopened", "2", "not true or false"),
        ("opened_at", "01/03/2026 09:30", ingest_module.NOT_TIMESTAMP),
        ("opened_at", "2026-02-29T09:30:00Z", ingest_module.NOT_TIMESTAMP),  # not a leap year
        ("opened_at", "2026-03-01T24:00:00Z", ingest_module.NOT_TIMESTAMP),
        ("opened_at", "2026-03-01T09:30:00+25:00", ingest_module.NOT_TIMESTAMP),
        ("resolved_at", "2026-03-01T09Z", ingest_module.NOT_TIMESTAMP),
    ],
)
def test_a_bad_value_names_its_row_and_column(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    good = {
        "ticket_id": "T",
        "priority": "1",
        "effort": "1",
        "reopened": "true",
        "opened_at": "2026-03-01T09:30:00Z",
        "resolved_at": "",
    }
    rows = [dict(good), dict(good, **{column: value}), dict(good)]
    text = HEADER + "\n" + "".join(",".join(f'"{v}"' for v in r.values()) + "\n" for r in rows)
    report = _run(tmp_path, _csv(tmp_path, text))
    assert report.errors == (RowError(3, column, value, message),)
    assert report.errors_by_column == {column: 1}
    assert (report.rows_read, report.rows_written) == (3, 0)
    assert not (tmp_path / "out.parquet").exists()


def test_every_error_is_counted_while_the_list_stops_at_max_errors(tmp_path: Path) -> None:
    lines = [HEADER]
    for i in range(300):
        priority = "x" if i % 2 else "1"  # 150 bad priorities
        effort = "e" if i % 3 == 0 else "1"  # 100 bad efforts
        lines.append(f"T{i},{priority},{effort},true,2026-03-01T09:30:00Z,")
    report = _run(tmp_path, _csv(tmp_path, "\n".join(lines) + "\n"))
    assert report.error_count == 250
    assert report.errors_by_column == {"priority": 150, "effort": 100}
    assert len(report.errors) == 100
    # File order: row by row, and within a row in declared column order.
    expected = []
    for i in range(300):
        if i % 2:
            expected.append((i + 2, "priority"))
        if i % 3 == 0:
            expected.append((i + 2, "effort"))
    assert [(e.row, e.column) for e in report.errors] == expected[:100]
    assert len(_run(tmp_path, tmp_path / "in.csv", max_errors=7).errors) == 7


def test_a_missing_column_is_one_error_listing_the_files_columns(tmp_path: Path) -> None:
    text = "ticket_id,effort,reopened,opened_at,resolved_at,other\nT1,x,true,2026-03-01,,\n"
    report = _run(tmp_path, _csv(tmp_path, text), timezone=VANCOUVER)
    assert report.errors[0] == RowError(
        1,
        "priority",
        None,
        "missing from the file; the file's columns: "
        "ticket_id, effort, reopened, opened_at, resolved_at, other",
    )
    # The rest of the file is still checked.
    assert report.errors[1] == RowError(2, "effort", "x", "not a number")
    assert report.error_count == 2


def test_naive_timestamps_take_the_time_zone_with_fold_0(tmp_path: Path) -> None:
    text = (
        HEADER + "\n"
        "T1,1,1,true,2025-11-02T01:30:00,\n"  # happens twice: the first (PDT, UTC-7)
        "T2,1,1,true,2025-11-02T02:00:00,\n"  # after the change: PST
        "T3,1,1,true,2026-03-08T02:30:00,\n"  # skipped: the offset before (PST, UTC-8)
        "T4,1,1,true,2026-03-08T03:00:00,\n"  # after the change: PDT
        "T5,1,1,true,2026-11-01T01:30:00,\n"  # BC keeps UTC-7 from March 2026 (tzdata 2026)
    )
    report = _run(tmp_path, _csv(tmp_path, text), timezone=VANCOUVER)
    assert report.ok, report.errors
    opened = pq.read_table(tmp_path / "out.parquet").column("opened_at").to_pylist()
    assert opened == [
        _utc(2025, 11, 2, 8, 30),
        _utc(2025, 11, 2, 10, 0),
        _utc(2026, 3, 8, 10, 30),
        _utc(2026, 3, 8, 10, 0),
        _utc(2026, 11, 1, 8, 30),
    ]


@pytest.mark.parametrize(
    "zone", ["America/Vancouver", "Europe/Lisbon", "Australia/Lord_Howe", "America/Sao_Paulo"]
)
def test_wall_clock_conversion_agrees_with_zoneinfo_fold_0(zone: str) -> None:
    """Random wall-clock times, many near changes of the clocks, against Python's zoneinfo."""
    rng = random.Random(zone)
    tz = get_zone(zone)
    walls = []
    for _ in range(3000):
        year = rng.choice([1950, 1999, 2016, 2025, 2026, 2031])
        start = _wall(year, 1, 1)
        walls.append(start + dt.timedelta(seconds=rng.randrange(366 * 86400)))
    # Every quarter hour of the days the clocks change in 2025 and 2026.
    for year in (2025, 2026):
        day = _wall(year, 1, 1)
        while day.year == year:
            noon = day.replace(hour=12, tzinfo=tz)
            if noon.utcoffset() != (noon - dt.timedelta(days=1)).utcoffset():
                walls.extend(
                    day - dt.timedelta(days=1) + dt.timedelta(minutes=15 * k) for k in range(192)
                )
            day += dt.timedelta(days=1)
    text = pa.array([w.isoformat() for w in walls])
    converted = ingest_module.parse_timestamps(text, zone)
    assert not converted.bad().any()
    expected = [w.replace(tzinfo=tz).astimezone(UTC) for w in walls]
    assert converted.values.to_pylist() == expected


def test_naive_timestamps_without_a_time_zone_are_errors(tmp_path: Path) -> None:
    text = HEADER + "\nT1,1,1,true,2026-03-01T09:30:00Z,2026-03-01 10:00\n"
    report = _run(tmp_path, _csv(tmp_path, text))
    assert report.errors == (
        RowError(2, "resolved_at", "2026-03-01 10:00", ingest_module.NO_TIME_ZONE),
    )
    table = pa.table(
        {
            "ticket_id": ["A"],
            "priority": [1],
            "effort": [1.0],
            "reopened": [True],
            "opened_at": pa.array([_wall(2026, 3, 1, 9, 30)], pa.timestamp("ms")),
            "resolved_at": pa.array([None], TS),
        }
    )
    pq.write_table(table, tmp_path / "in.parquet")
    report = _run(tmp_path, tmp_path / "in.parquet")
    assert report.errors == (
        RowError(2, "opened_at", "2026-03-01T09:30:00", ingest_module.NO_TIME_ZONE),
    )


def test_the_time_column_must_have_a_value(tmp_path: Path) -> None:
    text = HEADER + "\nT1,1,1,true,,\nT2,1,1,true,  ,\nT3,1,1,true,2026-03-01T09:30:00Z,\n"
    report = _run(tmp_path, _csv(tmp_path, text))
    message = "missing; every row needs its opened_at to be placed in a period"
    assert report.errors == (
        RowError(2, "opened_at", None, message),
        RowError(3, "opened_at", "  ", message),
    )
    assert report.first_instant == report.last_instant == _utc(2026, 3, 1, 9, 30)


# --------------------------------------------------------------------------- all or nothing


def test_nothing_is_written_after_an_error_and_an_existing_output_stays(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    target.write_bytes(b"the previous import")
    text = HEADER + "\nT1,1,1,true,2026-03-01T09:30:00Z,\nT2,x,1,true,2026-03-01T09:30:00Z,\n"
    report = _run(tmp_path, _csv(tmp_path, text))
    assert not report.ok
    assert report.rows_written == 0
    assert target.read_bytes() == b"the previous import"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.parquet"]


def test_an_exception_leaves_no_output(tmp_path: Path) -> None:
    text = HEADER + "\nT1,1,1,true,2026-03-01T09:30:00Z,\n"
    path = _csv(tmp_path, text)

    def interrupted(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run(tmp_path, path, progress=interrupted)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_good_import_replaces_the_output(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    target.write_bytes(b"old")
    text = HEADER + "\nT1,1,1,true,2026-03-01T09:30:00Z,\n"
    assert _run(tmp_path, _csv(tmp_path, text)).ok
    assert pq.read_table(target).num_rows == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.parquet"]


def test_unreadable_inputs_raise(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        _run(tmp_path, tmp_path / "absent.csv")
    with pytest.raises(DataError, match="unknown file type '.txt'"):
        _run(tmp_path, _csv(tmp_path, "a\n", "in.txt"))
    with pytest.raises(DataError, match="not a readable Parquet file"):
        _run(tmp_path, _csv(tmp_path, "not parquet", "in.parquet"))
    with pytest.raises(DataError, match="empty"):
        _run(tmp_path, _csv(tmp_path, ""))
    ragged = _csv(tmp_path, HEADER + "\nT1,1,1,true,2026-03-01T09:30:00Z,,extra\n")
    with pytest.raises(DataError, match="not a readable CSV file"):
        _run(tmp_path, ragged)
    with pytest.raises(DataError, match="not a time zone"):
        _run(tmp_path, ragged, timezone="Mars/Olympus")
    assert not (tmp_path / "out.parquet").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_sha256_is_of_the_input_bytes(tmp_path: Path) -> None:
    text = HEADER + "\nT1,1,1,true,2026-03-01T09:30:00Z,\n"
    path = _csv(tmp_path, text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    assert file_sha256(path) == digest
    report = _run(tmp_path, path)
    assert report.sha256 == digest
    as_dict = report.to_dict()
    assert as_dict["sha256"] == digest
    assert as_dict["first_instant"] == "2026-03-01T09:30:00Z"
    assert json.loads(json.dumps(as_dict)) == as_dict


def test_a_digest_the_caller_already_has_is_not_recomputed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app hashes an upload as it arrives; ingest must not read the file again for it."""
    text = HEADER + "\nT1,1,1,true,2026-03-01T09:30:00Z,\n"
    path = _csv(tmp_path, text)
    digest = hashlib.sha256(text.encode()).hexdigest()

    def must_not_hash(_path: Path) -> str:
        raise AssertionError("the input was hashed again")

    monkeypatch.setattr(ingest_module, "file_sha256", must_not_hash)
    report = ingest(SOURCE, path, tmp_path / "given.parquet", sha256=digest)
    assert report.ok
    assert report.sha256 == digest
    stored = pq.read_schema(tmp_path / "given.parquet").metadata
    assert stored[b"accord.input_sha256"] == digest.encode()


# --------------------------------------------------------------------------- batches


def test_row_numbers_run_on_across_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "CSV_BLOCK_BYTES", 1 << 10)
    monkeypatch.setattr(ingest_module, "BATCH_ROWS", 16)
    lines = [HEADER]
    bad = {5, 40, 41, 333, 998}
    for i in range(1000):
        lines.append(f"T{i},{'x' if i in bad else i},1,true,2026-03-01T09:30:00Z,")
    path = _csv(tmp_path, "\n".join(lines) + "\n")
    calls: list[tuple[int, int]] = []
    report = _run(tmp_path, path, progress=lambda done, total: calls.append((done, total)))
    assert [e.row for e in report.errors] == [i + 2 for i in sorted(bad)]
    assert [e.value for e in report.errors] == ["x"] * 5
    assert len(calls) > 10  # several batches
    assert calls[-1] == (path.stat().st_size, path.stat().st_size)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    # The same file without errors comes out whole, in order, in several row groups.
    path.write_text("\n".join(line.replace(",x,", ",7,") for line in lines) + "\n")
    assert _run(tmp_path, path).ok
    out = pq.ParquetFile(tmp_path / "out.parquet")
    assert out.metadata.num_row_groups > 1
    assert out.read().column("ticket_id").to_pylist() == [f"T{i}" for i in range(1000)]
    # Parquet input in batches of 16 rows.
    table = pq.read_table(tmp_path / "out.parquet")
    priority = table.column("priority").to_pylist()
    priority[700] = None
    broken = table.set_column(1, "priority", pa.array([str(p) if p else "y" for p in priority]))
    pq.write_table(broken, tmp_path / "in.parquet")
    report = _run(tmp_path, tmp_path / "in.parquet")
    # Row 2 holds priority 0, which is "y" too: both are reported with their rows.
    assert [(e.row, e.value) for e in report.errors] == [(2, "y"), (702, "y")]


# --------------------------------------------------------------------------- with the evaluator


def test_an_imported_csv_evaluates_like_the_original_parquet(tmp_path: Path) -> None:
    schedule = Schedule.from_file(
        ROOT / "examples" / "schedules" / "credit-union-contact-centre.yaml"
    )
    month = Month(2026, 3)
    originals = {
        "interactions": contact_centre_month(month, 6000, seed=3),
        "tickets": tickets_month(month, 1500, seed=3),
    }
    parquet: dict[str, str] = {}
    imported: dict[str, str] = {}
    for name, table in originals.items():
        parquet[name] = str(tmp_path / f"{name}.parquet")
        pq.write_table(table, parquet[name])
        csv_path = tmp_path / f"{name}.csv"
        pa_csv.write_csv(table, csv_path)
        report = ingest(schedule.sources[name], csv_path, tmp_path / f"{name}-in.parquet")
        assert report.ok, report.errors
        assert report.rows_written == table.num_rows
        imported[name] = str(tmp_path / f"{name}-in.parquet")
        # Same rows, same values, same types: CSV text turned back into the originals.
        assert pq.read_table(imported[name]).equals(
            table.select(list(schedule.sources[name].columns))
        )
    expected = evaluate(schedule, parquet, first=month, last=month)
    got = evaluate(schedule, imported, first=month, last=month)
    assert [r.to_dict() for r in got.results] == [r.to_dict() for r in expected.results]
    assert any(r.volume > 0 for r in got.results)


def test_benchmark_runs_small(tmp_path: Path) -> None:
    done = subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, str(ROOT / "benchmarks" / "bench_ingest.py"),
         "--interactions", "20000", "--tickets", "5000", "--workdir", str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "rows/s" in done.stdout
    assert "servicenow" in done.stdout
