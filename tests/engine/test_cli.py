"""``accord engine`` from the command line: business-time, calendar-check, info."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from accord.engine.cli import main
from accord.engine.tz import tz_database_version
from tests.engine.test_calendar_files import ISSUE_EXAMPLE

HOUR = 3600.0


@pytest.fixture
def calendar_file(tmp_path: Path) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(ISSUE_EXAMPLE)
    return path


def _tickets() -> pa.Table:
    # Vancouver is UTC-7 in March 2026 (after 8 March) and from then on.
    starts = np.array(
        ["2026-03-10T15:30", "2026-03-13T23:00", "NaT", "2026-07-01T16:00", "2026-03-10T23:30"],
        dtype="datetime64[us]",
    )
    ends = np.array(
        ["2026-03-10T16:30", "2026-03-16T16:30", "2026-03-10T16:30", "2026-07-02T16:00", "NaT"],
        dtype="datetime64[us]",
    )
    return pa.table(
        {
            "ticket": ["INC1", "INC2", "INC3", "INC4", "INC5"],
            "priority": pa.array([1, 2, 3, 1, 2], pa.int8()),
            "opened": pa.array(starts).cast(pa.timestamp("us", tz="UTC")),
            "resolved": pa.array(ends),
        }
    )


EXPECTED = [HOUR, 1.5 * HOUR, None, 0.5 * HOUR, None]


def test_business_time_parquet_to_parquet(
    tmp_path: Path, calendar_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "tickets.parquet"
    pq.write_table(_tickets(), source)
    target = tmp_path / "out.parquet"
    status = main(
        [
            "business-time",
            "--calendar", str(calendar_file),
            "--input", str(source),
            "--start-column", "opened",
            "--end-column", "resolved",
            "--output", str(target),
        ]
    )  # fmt: skip
    assert status == 0
    assert "wrote 5 rows" in capsys.readouterr().out
    out = pq.read_table(target)
    assert out.column_names == ["ticket", "priority", "opened", "resolved", "business_seconds"]
    assert out.drop_columns(["business_seconds"]).equals(_tickets())
    assert out.column("business_seconds").to_pylist() == EXPECTED
    metadata = out.schema.metadata or {}
    assert metadata[b"accord.tz_database"] == tz_database_version().encode()


def test_business_time_csv_to_csv_keeps_the_text(tmp_path: Path, calendar_file: Path) -> None:
    source = tmp_path / "tickets.csv"
    source.write_text(
        "id,start,end,note\n"
        '1,2026-03-10T08:30:00-07:00,2026-03-10 23:30:00,"a, b"\n'
        "2,2026-03-10T23:30:00.5Z,2026-03-10T16:30:00Z,\n"
        "3,,2026-03-10T16:30:00Z,x\n"
    )
    target = tmp_path / "out.csv"
    args = ["business-time", "--calendar", str(calendar_file), "--input", str(source)]
    assert main([*args, "--output", str(target)]) == 0
    as_text = {"start": pa.string(), "end": pa.string(), "note": pa.string()}
    out = pa_csv.read_csv(
        target,
        convert_options=pa_csv.ConvertOptions(column_types=as_text, strings_can_be_null=True),
    )
    assert out.column("business_seconds").to_pylist() == [8 * HOUR, -7 * HOUR, None]
    assert out.column("start").to_pylist()[:2] == [
        "2026-03-10T08:30:00-07:00",
        "2026-03-10T23:30:00.5Z",
    ]
    assert out.column("note").to_pylist() == ["a, b", None, "x"]
    # CSV in, Parquet out (and the reverse) work the same way.
    parquet = tmp_path / "out.parquet"
    assert main([*args, "--output", str(parquet), "--output-column", "bt"]) == 0
    assert pq.read_table(parquet).column("bt").to_pylist() == [8 * HOUR, -7 * HOUR, None]
    back = tmp_path / "back.csv"
    assert main(
        ["business-time", "--calendar", str(calendar_file), "--input", str(parquet),
         "--output", str(back)]
    ) == 0  # fmt: skip
    assert "bt,business_seconds" in back.read_text().splitlines()[0].replace('"', "")


def test_runs_as_a_command(tmp_path: Path, calendar_file: Path) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(_tickets().rename_columns(["ticket", "priority", "start", "end"]), source)
    target = tmp_path / "out.csv"
    done = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-m", "accord.cli", "engine", "business-time",
         "--calendar", str(calendar_file), "--input", str(source), "--output", str(target)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = target.read_text().splitlines()
    assert len(rows) == 6
    assert rows[1].endswith(",3600")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--start-column", "begin"], "no column 'begin' (given by --start-column); the columns"),
        (["--end-column", "stop"], "no column 'stop' (given by --end-column)"),
        (["--output-column", "note"], "already has a column 'note'"),
    ],
)
def test_business_time_rejects_bad_columns(
    tmp_path: Path,
    calendar_file: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("start,end,note\n2026-03-10T08:30:00Z,2026-03-10T16:30:00Z,x\n")
    target = tmp_path / "out.parquet"
    status = main(
        ["business-time", "--calendar", str(calendar_file), "--input", str(source),
         "--output", str(target), *extra]
    )  # fmt: skip
    assert status == 2
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_business_time_names_the_bad_row(
    tmp_path: Path, calendar_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "start,end\n2026-03-10T08:30:00Z,2026-03-10T16:30:00Z\n2026-03-10T08:30:00Z,soon\n"
    )
    target = tmp_path / "out.csv"
    status = main(
        ["business-time", "--calendar", str(calendar_file), "--input", str(source),
         "--output", str(target)]
    )  # fmt: skip
    assert status == 2
    assert "row 2, column 'end': 'soon' is not a timestamp" in capsys.readouterr().err
    assert not target.exists()


def test_business_time_rejects_non_timestamp_columns(
    tmp_path: Path, calendar_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"start": [1, 2], "end": [3, 4]}), source)
    status = main(
        ["business-time", "--calendar", str(calendar_file), "--input", str(source),
         "--output", str(tmp_path / "out.parquet")]
    )  # fmt: skip
    assert status == 2
    assert "column 'start' holds int64, not timestamps" in capsys.readouterr().err


def test_business_time_reports_a_bad_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calendar = tmp_path / "cal.yaml"
    calendar.write_text('timezone: America/Vancouver\nhours:\n  mon: ["25:00-26:00"]\n')
    source = tmp_path / "in.csv"
    source.write_text("start,end\n")
    status = main(
        ["business-time", "--calendar", str(calendar), "--input", str(source),
         "--output", str(tmp_path / "out.csv")]
    )  # fmt: skip
    assert status == 2
    err = capsys.readouterr().err
    assert f'{calendar}: hours.mon[0]: "25:00-26:00" is not a valid window' in err


@pytest.mark.parametrize(
    ("make_input", "output", "message"),
    [
        (lambda d: d / "missing.csv", "out.csv", "missing.csv: no such file"),
        (lambda d: d / "data.json", "out.csv", "unknown file type '.json'"),
        (lambda d: d / "in.csv", "out.txt", "unknown file type '.txt'"),
        (lambda d: d / "in.csv", "in.csv", "the output would overwrite the input"),
        (lambda d: d / "empty.csv", "out.csv", "the file is empty"),
        (lambda d: d / "dup.csv", "out.csv", "the header repeats a column name"),
        (lambda d: d / "junk.parquet", "out.csv", "not a readable Parquet file"),
    ],
)
def test_business_time_reports_bad_files(
    tmp_path: Path,
    calendar_file: Path,
    capsys: pytest.CaptureFixture[str],
    make_input: object,
    output: str,
    message: str,
) -> None:
    (tmp_path / "in.csv").write_text("start,end\n")
    (tmp_path / "data.json").write_text("{}")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "dup.csv").write_text("start,start,end\n")
    (tmp_path / "junk.parquet").write_text("not parquet")
    assert callable(make_input)
    source = make_input(tmp_path)
    status = main(
        ["business-time", "--calendar", str(calendar_file), "--input", str(source),
         "--output", str(tmp_path / output)]
    )  # fmt: skip
    assert status == 2
    assert message in capsys.readouterr().err


def test_calendar_check_lists_holidays(
    calendar_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar-check", str(calendar_file), "--year", "2027"]) == 0
    out = capsys.readouterr().out
    assert "valid" in out
    assert "mon        08:30-16:30" in out
    assert "sat        closed" in out
    assert "2027-12-27 mon" in out  # Christmas observed


def test_info_reports_the_tz_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["tz_database"] == tz_database_version()
    assert set(facts) >= {"holidays", "duckdb"}


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["business-time"])
    assert caught.value.code == 2
    assert "--calendar" in capsys.readouterr().err
