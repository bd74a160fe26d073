"""``accord engine ingest`` from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from accord.engine.cli import main

ROOT = Path(__file__).resolve().parents[2]
CREDIT_UNION = ROOT / "examples" / "schedules" / "credit-union-contact-centre.yaml"
SERVICENOW = ROOT / "examples" / "schedules" / "it-service-desk-servicenow.yaml"
EXPORT = ROOT / "examples" / "data" / "servicenow-incident-log" / "incident_event_log.zip"
TICKETS = "ticket_id,priority,category,opened_at,responded_at,resolved_at,reopened\n"


def _args(path: Path, target: Path, *extra: str) -> list[str]:
    return [
        "ingest", "--contract", str(CREDIT_UNION), "--source", "tickets",
        str(path), "--output", str(target), *extra,
    ]  # fmt: skip


def test_a_good_file_is_imported_with_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(
        TICKETS
        + "T1,2,pay,2026-03-02 09:00,2026-03-02T17:10:00Z,,false\n"
        + "T2,3,pay,2026-03-03T09:00:00-08:00,,,true\n"
    )
    target = tmp_path / "tickets.parquet"
    assert main(_args(path, target, "--timezone", "America/Vancouver")) == 0
    out = capsys.readouterr().out
    assert f"imported 2 rows from {path} to {target}" in out
    assert "time span  2026-03-02T17:00:00Z to 2026-03-03T17:00:00Z" in out
    assert "sha256     " in out
    assert pq.read_table(target).column("ticket_id").to_pylist() == ["T1", "T2"]


def test_errors_are_listed_with_row_and_column_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tickets.csv"
    rows = [f"T{i},{'x' if i % 2 else 1},pay,2026-03-02T09:00:00Z,,,maybe\n" for i in range(30)]
    path.write_text(TICKETS + "".join(rows))
    target = tmp_path / "tickets.parquet"
    assert main([*_args(path, target), "--show", "3"]) == 2
    err = capsys.readouterr().err
    assert f"{path}: 45 errors in 30 rows; nothing written" in err
    assert "  row 2, column reopened: not true or false (value 'maybe')" in err
    assert "  row 3, column priority: not an integer (value 'x')" in err
    assert "  ... and 42 more" in err
    assert "errors by column: priority: 15, reopened: 30" in err
    assert not target.exists()


def test_an_unknown_source_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(TICKETS)
    args = ["ingest", "--contract", str(CREDIT_UNION), "--source", "calls", str(path),
            "--output", str(tmp_path / "out.parquet")]  # fmt: skip
    assert main(args) == 2
    assert (
        "--source 'calls': the schedule declares interactions, tickets" in capsys.readouterr().err
    )


def test_the_servicenow_export_imports_and_evaluates_as_commands(tmp_path: Path) -> None:
    target = tmp_path / "incidents.parquet"
    command = [sys.executable, "-m", "accord.cli", "engine"]
    done = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
        [*command, "ingest", "--contract", str(SERVICENOW), "--source", "incidents",
         "--format", "servicenow", "--timezone", "America/Sao_Paulo", str(EXPORT),
         "--output", str(target)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "imported 20,769 rows" in done.stdout
    assert "rows read  119,998" in done.stdout
    assert "importing" not in done.stderr  # no progress outside a terminal
    done = subprocess.run(  # noqa: S603
        [*command, "evaluate", "--contract", str(SERVICENOW), "--data", f"incidents={target}",
         "--from", "2016-03", "--to", "2016-05", "--format", "csv"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("SD-SLA,2016-04") for line in lines)
    no_zone = subprocess.run(  # noqa: S603
        [*command, "ingest", "--contract", str(SERVICENOW), "--source", "incidents",
         "--format", "servicenow", str(EXPORT), "--output", str(target)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert no_zone.returncode == 2
    assert "carry no time zone" in no_zone.stderr
