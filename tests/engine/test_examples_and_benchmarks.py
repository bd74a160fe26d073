"""The example files parse, evaluate on generated data, and the benchmarks still run (small)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from accord.engine.calendars import BusinessCalendar
from accord.engine.evaluate import evaluate
from accord.engine.generate import generate
from accord.engine.periods import Month
from accord.engine.schedule import Schedule

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "examples" / "schedules"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "examples" / "calendars").glob("*.yaml")), ids=lambda p: p.name
)
def test_example_calendars_are_valid(path: Path) -> None:
    calendar = BusinessCalendar.from_file(path)
    assert calendar.name
    assert calendar.timezone == "America/Vancouver"


@pytest.mark.parametrize(
    ("schedule_name", "sources"),
    [
        (
            "credit-union-contact-centre.yaml",
            {"interactions": ("contact-centre", 40_000), "tickets": ("tickets", 3_000)},
        ),
        (
            "ministry-payroll.yaml",
            {"payroll_runs": ("payroll", 3), "tickets": ("tickets", 6_000)},
        ),
    ],
)
def test_example_schedules_evaluate_on_generated_data(
    schedule_name: str, sources: dict[str, tuple[str, int]], tmp_path: Path
) -> None:
    schedule = Schedule.from_file(SCHEDULES / schedule_name)
    data = {}
    for name, (kind, rows) in sources.items():
        path = tmp_path / f"{name}.parquet"
        generate(kind, months=3, rows_per_month=rows, seed=5, start=Month(2026, 1), output=path)
        data[name] = str(path)
    result = evaluate(schedule, data, first=Month(2026, 1), last=Month(2026, 3))
    codes = {level.code for level in schedule.service_levels}
    assert {r.code for r in result.results} == codes
    monthly = [r for r in result.results if r.period.startswith("2026-0") and not r.breakdown]
    # Every level measured something in every month of generated data.
    assert all(r.status != "no_data" for r in monthly if "Q" not in r.period)
    assert result.credits is not None
    assert [str(m.month) for m in result.credits.months] == ["2026-01", "2026-02", "2026-03"]


def _run(script: str, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_business_time_benchmark_runs() -> None:
    out = _run("bench_business_time.py", "--rows", "20000", "--sample", "20", "--runs", "1")
    assert "duckdb scan of both Parquet columns" in out
    assert "target >= 15 M intervals/s" in out


def test_evaluation_benchmark_runs(tmp_path: Path) -> None:
    out = _run(
        "bench_evaluate.py",
        "--interactions", "20000", "--tickets", "2000", "--runs", "1",
        "--workdir", str(tmp_path),
    )  # fmt: skip
    assert "credit union" in out
    assert "ministry" in out
    assert "the target of <= 3x" in out


def test_health_benchmark_runs() -> None:
    out = _run("bench_health.py", "--respondents", "3", "--repeats", "1")
    assert "Closing a round of 6 responses (162 ratings)" in out
    assert "Health refresh (8 signs and the index, 12 months)" in out
