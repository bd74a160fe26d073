"""Import speed and memory: a contact centre's month, tickets as CSV, a real ServiceNow export.

Run: ``python benchmarks/bench_ingest.py [--interactions N] [--tickets N] [--workdir DIR]``.

Generates, untimed, one month (October 2026) of N contact-centre interactions
(default 10 million) as Parquet and M service-desk tickets (default 2
million) as CSV (pyarrow's CSV writer: quoted text, ISO timestamps with
``Z``), plus the same at a tenth of the rows. Each file is imported with
:func:`accord.engine.ingest.ingest` against its source in the credit union's
schedule, and the real ServiceNow export of ``examples/data`` against the IT
service desk schedule (``--format servicenow``, Sao Paulo time), each import
in a fresh child process so that its peak memory (VmHWM) is its own. Printed:
seconds, rows per second, input MB per second, CPU seconds, and the peak
memory of the full-size and the tenth-size import: streaming means the two
stay close however large the file.
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

from accord.engine.generate import generate
from accord.engine.periods import Month
from accord.engine.schedule import Schedule

ROOT = Path(__file__).resolve().parents[1]
CREDIT_UNION = ROOT / "examples" / "schedules" / "credit-union-contact-centre.yaml"
SERVICE_DESK = ROOT / "examples" / "schedules" / "it-service-desk-servicenow.yaml"
EXPORT = ROOT / "examples" / "data" / "servicenow-incident-log" / "incident_event_log.zip"
MONTH = Month(2026, 10)


def _peak_kib() -> int:
    """This process's peak resident memory in KiB (VmHWM; see bench_evaluate.py)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(schedule: str, source: str, fmt: str, timezone: str, path: str, out: str) -> None:
    """In a fresh process: import once, print the figures as JSON."""
    from accord.engine.ingest import ingest

    declared = Schedule.from_file(schedule).sources[source]
    cpu = time.process_time()
    began = time.perf_counter()
    report = ingest(
        declared,
        Path(path),
        Path(out),
        input_format=fmt,
        timezone=timezone or None,
    )
    figures = {
        "seconds": time.perf_counter() - began,
        "cpu_seconds": time.process_time() - cpu,
        "peak_mib": _peak_kib() / 1024,
        "rows_read": report.rows_read,
        "rows_written": report.rows_written,
        "errors": report.error_count,
    }
    print(json.dumps(figures))


def _import_in_child(
    schedule: Path, source: str, fmt: str, timezone: str, path: Path, out: Path
) -> dict[str, float]:
    done = subprocess.run(  # noqa: S603 - our interpreter and our script
        [sys.executable, __file__, "--child", str(schedule), source, fmt, timezone,
         str(path), str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["errors"]:
        raise SystemExit(f"{path}: the import found {figures['errors']} errors")
    return figures


def _generate(workdir: Path, kind: str, rows: int, suffix: str) -> Path:
    path = workdir / f"{kind}-{rows}.{suffix}"
    if not path.exists():
        began = time.perf_counter()
        generate(kind, months=1, rows_per_month=rows, seed=11, start=MONTH, output=path)
        size = path.stat().st_size / 1e6
        print(f"generated {path.name}: {rows:,} rows, {size:,.0f} MB in "
              f"{time.perf_counter() - began:.1f} s")  # fmt: skip
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=10_000_000)
    parser.add_argument("--tickets", type=int, default=2_000_000)
    parser.add_argument("--workdir", type=Path, help="keep generated data here (default: temp)")
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        cases = []
        for label, kind, source, rows, suffix in (
            (
                "contact centre, Parquet",
                "contact-centre",
                "interactions",
                args.interactions,
                "parquet",
            ),
            ("tickets, CSV", "tickets", "tickets", args.tickets, "csv"),
        ):
            full = _generate(workdir, kind, rows, suffix)
            tenth = _generate(workdir, kind, max(rows // 10, 1), suffix)
            cases.append((label, CREDIT_UNION, source, "auto", "", full, tenth))
        cases.append(
            ("servicenow export, zip", SERVICE_DESK, "incidents", "servicenow",
             "America/Sao_Paulo", EXPORT, None)
        )  # fmt: skip
        print("\nimports, each in a fresh process (peak memory: VmHWM)")
        print(
            f"{'input':<24}{'rows':>12}{'seconds':>9}{'rows/s':>12}{'MB/s':>8}{'cpu s':>8}"
            f"{'peak MiB':>10}{'at 1/10':>9}"
        )
        for label, schedule, source, fmt, zone, path, tenth in cases:
            out = workdir / f"{source}-imported.parquet"
            full = _import_in_child(schedule, source, fmt, zone, path, out)
            small = _import_in_child(schedule, source, fmt, zone, tenth, out) if tenth else None
            rows = full["rows_read"]
            at_tenth = f"{small['peak_mib']:.0f}" if small else "-"
            megabytes = path.stat().st_size / 1e6
            print(
                f"{label:<24}{rows:>12,.0f}{full['seconds']:>9.2f}"
                f"{rows / full['seconds']:>12,.0f}{megabytes / full['seconds']:>8.1f}"
                f"{full['cpu_seconds']:>8.2f}{full['peak_mib']:>10.0f}"
                f"{at_tenth:>9}"
            )
            if fmt == "servicenow":
                print(f"{'':<24}{full['rows_written']:>12,.0f} incidents written")


if __name__ == "__main__":
    main()
