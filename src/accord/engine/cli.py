"""``accord engine`` command line: the engine on its own, without Django.

Commands:

* ``business-time`` adds a ``business_seconds`` column to a Parquet or CSV file;
* ``calendar-check`` validates a calendar file and lists its holidays;
* ``evaluate`` computes a contract schedule's service levels and credits on data;
* ``generate`` writes deterministic synthetic operational data;
* ``ingest`` validates a CSV, Parquet or ServiceNow export file against a
  schedule's source and writes it as typed Parquet (all or nothing);
* ``info`` prints the versions of the data the engine depends on (tz database,
  holidays).

Errors in the inputs print one clear message on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyarrow as pa

from accord.engine import generate
from accord.engine.calendars import WEEKDAYS, BusinessCalendar
from accord.engine.errors import DataError, SpecError
from accord.engine.evaluate import evaluate
from accord.engine.ingest import IngestReport, ingest
from accord.engine.output import as_csv, as_json, as_table
from accord.engine.periods import Month, parse_month
from accord.engine.schedule import Schedule
from accord.engine.tabular import BatchWriter, read_batches, timestamps
from accord.engine.tz import tz_database_version

EXIT_INPUT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accord engine",
        description="Accord's computation engine (no Django needed).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    bt = commands.add_parser(
        "business-time",
        help="add business seconds between two timestamp columns of a file",
        description=(
            "Read a Parquet or CSV file and write it back with a business-seconds column: "
            "the business time between the start and end instants of each row under the "
            "calendar (same rows, same order; null in, null out). Timestamps are UTC "
            "instants; text without a UTC offset is read as UTC."
        ),
    )
    bt.add_argument("--calendar", required=True, type=Path, help="calendar YAML file")
    bt.add_argument("--input", required=True, type=Path, help="input .parquet/.pq or .csv")
    bt.add_argument("--output", required=True, type=Path, help="output .parquet/.pq or .csv")
    bt.add_argument("--start-column", default="start", help="start instants (default: start)")
    bt.add_argument("--end-column", default="end", help="end instants (default: end)")
    bt.add_argument(
        "--output-column",
        default="business_seconds",
        help="name of the added column (default: business_seconds)",
    )
    bt.set_defaults(handler=_business_time)

    check = commands.add_parser(
        "calendar-check",
        help="validate a calendar file and list its holidays",
    )
    check.add_argument("calendar", type=Path, help="calendar YAML file")
    check.add_argument("--year", type=int, action="append", help="list holidays of this year")
    check.set_defaults(handler=_calendar_check)

    _add_evaluate_parser(commands)

    generate.add_parser(commands)

    _add_ingest_parser(commands)

    info = commands.add_parser("info", help="versions of the tz database and holiday rules")
    info.set_defaults(handler=_info)
    return parser


def _add_evaluate_parser(commands: Any) -> None:
    ev = commands.add_parser(
        "evaluate",
        help="evaluate a contract schedule's service levels and credits on data",
        description=(
            "Compute every service level of a contract schedule for each period, in one pass "
            "per data source on DuckDB, and the month's service credits when the schedule "
            "has credit terms."
        ),
    )
    ev.add_argument("--contract", required=True, type=Path, help="contract schedule YAML")
    ev.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="a source's data: .parquet (or a glob of them), .csv, or DB.duckdb[:TABLE]",
    )
    ev.add_argument("--period", help="one month, YYYY-MM")
    ev.add_argument("--from", dest="first", help="first month, YYYY-MM")
    ev.add_argument("--to", dest="last", help="last month, YYYY-MM")
    ev.add_argument(
        "--excuse",
        action="append",
        default=[],
        metavar="CODE:YYYY-MM",
        help="a co-signed excusal: that level's miss in that month earns no credit",
    )
    ev.add_argument("--format", choices=("table", "json", "csv"), default="table")
    ev.add_argument("--output", type=Path, help="write here instead of standard output")
    ev.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    ev.set_defaults(handler=_evaluate)


def _add_ingest_parser(commands: Any) -> None:
    ing = commands.add_parser(
        "ingest",
        help="validate a data file against a schedule's source and write it as typed Parquet",
        description=(
            "Read a CSV or Parquet file, or a ServiceNow incident export (CSV or a zip holding "
            "it), check every value of the source's declared columns and write exactly those "
            "columns, typed, to a Parquet file. Nothing is written when any value is wrong: the "
            "errors are listed with their row and column instead (exit status 2)."
        ),
    )
    ing.add_argument("input", type=Path, help="the data file")
    ing.add_argument("--contract", required=True, type=Path, help="contract schedule YAML")
    ing.add_argument("--source", required=True, help="the schedule's source the file holds")
    ing.add_argument("--output", required=True, type=Path, help="output .parquet file")
    ing.add_argument(
        "--format",
        choices=("auto", "csv", "parquet", "servicenow"),
        default="auto",
        help="input format (default: auto, by extension)",
    )
    ing.add_argument(
        "--timezone",
        help="time zone of timestamps without an offset, e.g. America/Vancouver "
        "(required for a ServiceNow export)",
    )
    ing.add_argument(
        "--show", type=int, default=20, metavar="N", help="errors to list (default: 20)"
    )
    ing.set_defaults(handler=_ingest)


def main(argv: list[str] | None = None) -> int:
    """Run ``accord engine`` with ``argv`` (without the program name); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args)
    except (SpecError, DataError) as exc:
        print(f"accord engine: error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    return status


def _business_time(args: argparse.Namespace) -> int:
    calendar = BusinessCalendar.from_file(args.calendar)
    source: Path = args.input
    target: Path = args.output
    if source.resolve() == target.resolve():
        raise DataError(f"{target}: the output would overwrite the input")
    schema, batches = read_batches(source)
    names = schema.names
    for option, column in (
        ("--start-column", args.start_column),
        ("--end-column", args.end_column),
    ):
        if column not in names:
            raise DataError(
                f"{source}: no column {column!r} (given by {option}); "
                f"the columns are: {', '.join(names)}"
            )
    if args.output_column in names:
        raise DataError(
            f"{source}: already has a column {args.output_column!r}; "
            "choose another name with --output-column"
        )
    out_schema = schema.append(pa.field(args.output_column, pa.float64()))
    metadata = {
        "accord.tz_database": tz_database_version(),
        "accord.calendar_timezone": calendar.timezone,
    }
    rows = 0
    with BatchWriter(target, out_schema, metadata) as writer:
        for batch in batches:
            starts = timestamps(batch.column(args.start_column), args.start_column, source, rows)
            ends = timestamps(batch.column(args.end_column), args.end_column, source, rows)
            seconds = calendar.business_seconds(starts, ends)
            writer.write(pa.RecordBatch.from_arrays([*batch.columns, seconds], schema=out_schema))
            rows += batch.num_rows
    print(
        f"wrote {rows} rows to {target} "
        f"(calendar {calendar.timezone}, tz database {tz_database_version()})"
    )
    return 0


def _calendar_check(args: argparse.Namespace) -> int:
    calendar = BusinessCalendar.from_file(args.calendar)
    print(f"{args.calendar}: valid")
    print(f"time zone  {calendar.timezone} (tz database {tz_database_version()})")
    for name, windows in zip(WEEKDAYS, calendar.week, strict=True):
        print(f"{name}        {', '.join(str(w) for w in windows) or 'closed'}")
    for year in args.year or []:
        dates = calendar.holiday_dates(year, year)
        print(f"holidays {year} ({calendar.holidays.label()}): {len(dates)}")
        for day in dates:
            print(f"  {day.isoformat()} {WEEKDAYS[day.weekday()]}")
    return 0


def _info(args: argparse.Namespace) -> int:
    facts = {
        "tz_database": tz_database_version(),
        "holidays": version("holidays"),
        "numpy": version("numpy"),
        "pyarrow": version("pyarrow"),
        "duckdb": version("duckdb"),
    }
    print(json.dumps(facts, indent=2))
    return 0


def _month_argument(text: str, option: str) -> Month:
    try:
        return parse_month(text)
    except ValueError:
        raise DataError(f"{option} {text!r}: expected a month like 2026-10") from None


def _evaluate(args: argparse.Namespace) -> int:
    schedule = Schedule.from_file(args.contract)
    if args.period and (args.first or args.last):
        raise DataError("give either --period or --from/--to, not both")
    first = last = None
    if args.period:
        first = last = _month_argument(args.period, "--period")
    if args.first:
        first = _month_argument(args.first, "--from")
    if args.last:
        last = _month_argument(args.last, "--to")
    data: dict[str, str] = {}
    for item in args.data:
        name, sep, path = item.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise DataError(f"--data {item!r}: expected NAME=PATH")
        if name.strip() in data:
            raise DataError(f"--data: source {name.strip()!r} is given twice")
        data[name.strip()] = path.strip()
    excused: list[tuple[str, Month]] = []
    for item in args.excuse:
        code, sep, month = item.rpartition(":")
        if not sep or not code:
            raise DataError(f"--excuse {item!r}: expected CODE:YYYY-MM")
        try:
            schedule.level(code)
        except KeyError:
            raise DataError(f"--excuse {item!r}: no service level {code!r}") from None
        excused.append((code, _month_argument(month, "--excuse")))
    evaluation = evaluate(
        schedule,
        data,
        first=first,
        last=last,
        excused=excused,
        threads=args.threads,
        progress=sys.stderr.isatty(),  # a bar on long evaluations, never in a pipe or log
    )
    formatters = {"table": as_table, "json": as_json, "csv": as_csv}
    text = formatters[args.format](evaluation)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {len(evaluation.results)} results to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def _ingest(args: argparse.Namespace) -> int:
    schedule = Schedule.from_file(args.contract)
    source = schedule.sources.get(args.source)
    if source is None:
        raise DataError(
            f"--source {args.source!r}: the schedule declares {', '.join(schedule.sources)}"
        )
    progress = _progress_line if sys.stderr.isatty() else None  # never in a pipe or log
    report = ingest(
        source,
        args.input,
        args.output,
        input_format=args.format,
        timezone=args.timezone,
        progress=progress,
    )
    if progress is not None:
        sys.stderr.write("\r\033[K")
    if report.ok:
        _print_imported(report, args.input, args.output)
        return 0
    _print_errors(report, args.input, max(args.show, 0))
    return EXIT_INPUT_ERROR


def _progress_line(done: int, total: int) -> None:
    share = 100 * done / total if total else 100.0
    sys.stderr.write(f"\rimporting... {share:3.0f}%")
    sys.stderr.flush()


def _print_imported(report: IngestReport, source: Path, target: Path) -> None:
    print(f"imported {report.rows_written:,} rows from {source} to {target}")
    if report.rows_read != report.rows_written:
        print(f"rows read  {report.rows_read:,}")
    if report.first_instant is not None and report.last_instant is not None:
        first = report.first_instant.isoformat().replace("+00:00", "Z")
        last = report.last_instant.isoformat().replace("+00:00", "Z")
        print(f"time span  {first} to {last}")
    print(f"sha256     {report.sha256}")


def _print_errors(report: IngestReport, source: Path, show: int) -> None:
    count = report.error_count
    print(
        f"{source}: {count:,} error{'s' if count != 1 else ''} in {report.rows_read:,} rows; "
        "nothing written",
        file=sys.stderr,
    )
    for error in report.errors[:show]:
        print(f"  {error}", file=sys.stderr)
    if count > min(show, len(report.errors)):
        print(f"  ... and {count - min(show, len(report.errors)):,} more", file=sys.stderr)
    by_column = ", ".join(f"{c or '(file)'}: {n:,}" for c, n in report.errors_by_column.items())
    print(f"errors by column: {by_column}", file=sys.stderr)
