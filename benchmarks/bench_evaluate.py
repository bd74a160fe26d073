"""Evaluation speed and memory: both demo schedules on a large contact centre's month.

Run: ``python benchmarks/bench_evaluate.py [--interactions N] [--tickets N] [--runs N]``.

Generates one month (October 2026) of N contact-centre interactions (default
10 million) and M tickets (default 1 million) plus the month's pay runs as
Parquet, then evaluates every service level of both example schedules
(``examples/schedules/``) on one DuckDB thread, each evaluation in a fresh
child process so that its peak memory (max RSS) is its own. The floor is a
DuckDB scan (one thread) that reads every column the schedules use from the
same files. Targets: evaluation within 3x of that scan; peak memory bounded
(streaming: it must not grow with the number of rows the way loading the
columns would).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from sqlglot import exp

from accord.engine.generate import generate
from accord.engine.periods import Month
from accord.engine.schedule import Schedule

ROOT = Path(__file__).resolve().parents[1]
SCHEDULES = {
    "credit union": ROOT / "examples" / "schedules" / "credit-union-contact-centre.yaml",
    "ministry": ROOT / "examples" / "schedules" / "ministry-payroll.yaml",
}
MONTH = Month(2026, 10)
TARGET_RATIO = 3.0


def _data(workdir: Path, interactions: int, tickets: int) -> dict[str, dict[str, Path]]:
    """Generate (once per size) the month's files; return the --data of each schedule."""
    files = {
        "interactions": (
            workdir / f"interactions-{interactions}.parquet",
            "contact-centre",
            interactions,
        ),
        "tickets": (workdir / f"tickets-{tickets}.parquet", "tickets", tickets),
        "payroll_runs": (workdir / "payroll.parquet", "payroll", 4),
    }
    for path, kind, rows in files.values():
        if not path.exists():
            began = time.perf_counter()
            generate(kind, months=1, rows_per_month=rows, seed=11, start=MONTH, output=path)
            print(f"generated {path.name}: {rows:,} rows in {time.perf_counter() - began:.1f} s")
    return {
        "credit union": {"interactions": files["interactions"][0], "tickets": files["tickets"][0]},
        "ministry": {"payroll_runs": files["payroll_runs"][0], "tickets": files["tickets"][0]},
    }


def _peak_kib() -> int:
    """This process's peak resident memory, in KiB.

    Linux's VmHWM belongs to the memory of the program now running, so it
    starts afresh at exec; ru_maxrss can carry over the parent's peak when the
    child was spawned with vfork (as subprocess does), so it is the fallback.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(schedule: str, data: str, threads: int) -> None:
    """In a fresh process: evaluate once, print seconds and peak RSS as JSON."""
    import pandas  # noqa: F401 - pyarrow imports it on first use: start-up, not evaluation

    from accord.engine.evaluate import evaluate

    parsed = Schedule.from_file(schedule)
    began = time.perf_counter()
    evaluation = evaluate(parsed, json.loads(data), first=MONTH, last=MONTH, threads=threads)
    seconds = time.perf_counter() - began
    print(
        json.dumps(
            {"seconds": seconds, "peak_mib": _peak_kib() / 1024, "results": len(evaluation.results)}
        )
    )


def _evaluate_in_child(schedule: Path, data: dict[str, Path], threads: int) -> dict[str, float]:
    done = subprocess.run(  # noqa: S603 - our interpreter and our script
        [sys.executable, __file__, "--child", str(schedule),
         json.dumps({k: str(v) for k, v in data.items()}), str(threads)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _scan_floor(schedule: Path, data: dict[str, Path], threads: int) -> float:
    """Seconds for DuckDB to read every column the schedule uses from the same files."""
    parsed = Schedule.from_file(schedule)
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    total = 0.0
    for name, path in data.items():
        used: set[str] = {parsed.sources[name].time_column}
        for level in parsed.service_levels:
            if level.source == name:
                used |= level.columns()
        # hash() makes DuckDB read and decode every value (a count could use metadata).
        query = exp.select(
            *(
                exp.Sum(this=exp.Anonymous(this="hash", expressions=[exp.column(c, quoted=True)]))
                for c in sorted(used)
            )
        ).from_(exp.Anonymous(this="read_parquet", expressions=[exp.Literal.string(str(path))]))
        began = time.perf_counter()
        con.execute(query.sql(dialect="duckdb")).fetchall()
        total += time.perf_counter() - began
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=10_000_000)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep generated data here (default: temp)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        inputs = _data(workdir, args.interactions, args.tickets)
        print(
            f"\nevaluation of {MONTH}: {args.interactions:,} interactions, {args.tickets:,} "
            f"tickets; DuckDB threads={args.threads}; best of {args.runs}"
        )
        print(
            f"{'schedule':<14}{'evaluate s':>12}{'scan s':>10}{'ratio':>8}{'peak MiB':>10}  results"
        )
        total_eval = total_scan = 0.0
        for label, schedule in SCHEDULES.items():
            runs = [
                _evaluate_in_child(schedule, inputs[label], args.threads) for _ in range(args.runs)
            ]
            best = min(runs, key=lambda r: r["seconds"])
            peak = max(r["peak_mib"] for r in runs)
            scan = min(_scan_floor(schedule, inputs[label], args.threads) for _ in range(args.runs))
            total_eval += best["seconds"]
            total_scan += scan
            print(
                f"{label:<14}{best['seconds']:>12.2f}{scan:>10.2f}{best['seconds'] / scan:>8.2f}"
                f"{peak:>10.0f}  {int(best['results'])}"
            )
        ratio = total_eval / total_scan
        verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
        print(
            f"both schedules: {total_eval:.2f} s against a scan of {total_scan:.2f} s: "
            f"{ratio:.2f}x ({verdict} the target of <= {TARGET_RATIO:g}x)"
        )


if __name__ == "__main__":
    main()
