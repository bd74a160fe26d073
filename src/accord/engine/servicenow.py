"""Importing a ServiceNow incident export as it comes: one row per incident, typed.

A ServiceNow incident export (the audit log of the ``incident`` table, as in
the UCI "Incident management process enriched event log") has one row per
*update* of an incident: ``number`` repeats, ``sys_mod_count`` counts the
updates, ``?`` marks a missing value, timestamps are ``d/m/Y H:M`` wall-clock
time without a zone (``29/2/2016 01:16``), and priority, impact and urgency
are labels (``3 - Moderate``). The file may be the CSV itself or a ``.zip``
holding just that CSV, as the export is usually passed around.

The import:

1. streams the export (pyarrow, in record batches), checks the columns that
   decide an incident's latest state in every event row (``number``,
   ``sys_mod_count``, ``sys_updated_at``) and stages the needed columns, with
   each event row's number in the file, in a temporary Parquet file;
2. keeps one row per incident with DuckDB (sorting and windows spill to disk,
   so an export larger than memory goes through): its latest state, the row
   with the highest ``sys_mod_count``, then the latest ``sys_updated_at``,
   then the later row in the file; and counts the incident's event rows;
3. converts those rows to the columns of :data:`FIELDS` and checks them like
   any import (:func:`accord.engine.ingest.ingest`) against the declared
   source, which may declare any subset of them with the types given there.

Errors name the export's row (header row 1, first event row 2) and the
export's column, e.g. ``row 10234, column opened_at: not a d/m/Y H:M
timestamp``. The export's timestamps carry no zone, so the source's time zone
is required; they become UTC by the rules of :mod:`accord.engine.ingest`
(an ambiguous wall-clock time is its first occurrence, a skipped one takes the
offset before the change). ``docs/servicenow-import.md`` has the mapping.
"""

from __future__ import annotations

import contextlib
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from accord.engine.errors import DataError
from accord.engine.ingest import (
    BATCH_ROWS,
    TIMESTAMP,
    AtomicParquet,
    Batches,
    ColumnSpec,
    Converted,
    ErrorLog,
    IngestReport,
    Progress,
    RowNumbers,
    TextParser,
    check_batch,
    csv_batches,
    file_sha256,
    metadata,
    open_csv_text,
    output_schema,
    parse_booleans,
    parse_integers,
    parse_strings,
    present_columns,
    read_header,
    report,
    timestamps_from_parts,
    write_checked,
)
from accord.engine.schedule import Source

__all__ = ["FIELDS", "Field", "ingest_export", "parse_export_timestamps", "parse_labels"]

MISSING: Final = "?"  # how the export writes a missing value
NOT_EXPORT_TIMESTAMP: Final = "not a d/m/Y H:M timestamp"
_EXPORT_TIMESTAMP = (
    r"^(?P<day>[0-9]{1,2})/(?P<month>[0-9]{1,2})/(?P<year>[0-9]{4}) "
    r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?$"
)
_LABEL = r"^(?P<number>[0-9]+)(?: - .*)?$"


def parse_export_timestamps(text: pa.Array, timezone: str | None = None) -> Converted:
    """``d/m/Y H:M`` (seconds optional) wall-clock text to UTC instants in ``timezone``."""
    value = pc.utf8_trim_whitespace(text)
    present = np.asarray(pc.is_valid(value).to_numpy(zero_copy_only=False), dtype=np.bool_)
    parts = pc.extract_regex(value, _EXPORT_TIMESTAMP)
    return timestamps_from_parts(parts, present, timezone, NOT_EXPORT_TIMESTAMP)


def parse_labels(text: pa.Array, timezone: str | None = None) -> Converted:
    """The number of a label like ``3 - Moderate`` (a bare number is accepted too)."""
    number = pc.struct_field(pc.extract_regex(pc.utf8_trim_whitespace(text), _LABEL), "number")
    parsed = parse_integers(number)
    # A label that does not match leaves a null number: report it against the label text.
    unmatched = np.asarray(
        pc.and_(pc.is_valid(text), pc.is_null(number)).to_numpy(zero_copy_only=False),
        dtype=np.bool_,
    )
    return Converted(parsed.values, ((unmatched, "not a label like '3 - Moderate'"),))


@dataclass(frozen=True)
class Field:
    """One column an incident export is imported as."""

    column: str  # the Accord column a schedule declares
    export: str  # the export's column ("" when computed)
    type: str
    conversion: str  # how the export's text becomes the value (for the docs)
    parser: TextParser


_TS = "d/m/Y H:M (29/2/2016 01:16), wall-clock time in the source's time zone, to UTC"
FIELDS: Final[tuple[Field, ...]] = (
    Field("incident_id", "number", "string", "as is (INC0000045)", parse_strings),
    Field("state", "incident_state", "string", "as is (New, Active, Closed, ...)", parse_strings),
    Field("active", "active", "boolean", "true/false", parse_booleans),
    Field(
        "priority", "priority", "integer", "the number of the label: 1 - Critical → 1", parse_labels
    ),
    Field("impact", "impact", "integer", "the number of the label: 2 - Medium → 2", parse_labels),
    Field("urgency", "urgency", "integer", "the number of the label: 3 - Low → 3", parse_labels),
    Field("category", "category", "string", "as is", parse_strings),
    Field("subcategory", "subcategory", "string", "as is", parse_strings),
    Field("symptom", "u_symptom", "string", "as is", parse_strings),
    Field("contact_type", "contact_type", "string", "as is (Phone, Email, ...)", parse_strings),
    Field("location", "location", "string", "as is", parse_strings),
    Field("assignment_group", "assignment_group", "string", "as is", parse_strings),
    Field("assigned_to", "assigned_to", "string", "as is", parse_strings),
    Field("knowledge", "knowledge", "boolean", "true/false", parse_booleans),
    Field("closed_code", "closed_code", "string", "as is", parse_strings),
    Field("resolved_by", "resolved_by", "string", "as is", parse_strings),
    Field("opened_at", "opened_at", "timestamp", _TS, parse_export_timestamps),
    Field("resolved_at", "resolved_at", "timestamp", _TS, parse_export_timestamps),
    Field("closed_at", "closed_at", "timestamp", _TS, parse_export_timestamps),
    Field("updated_at", "sys_updated_at", "timestamp", _TS, parse_export_timestamps),
    Field("reassignment_count", "reassignment_count", "integer", "a whole number", parse_integers),
    Field("reopen_count", "reopen_count", "integer", "a whole number", parse_integers),
    Field("updates", "sys_mod_count", "integer", "a whole number: updates so far", parse_integers),
    Field("made_sla", "made_sla", "boolean", "true/false", parse_booleans),
    Field("events", "", "integer", "event rows of the incident in the export", parse_integers),
)
_BY_COLUMN: Final[Mapping[str, Field]] = {f.column: f for f in FIELDS}

# What decides an incident's latest state; checked in every event row.
_KEYS: Final = (
    ColumnSpec("number", "string", "number", "number", parse_strings),
    ColumnSpec("sys_mod_count", "integer", "sys_mod_count", "sys_mod_count", parse_integers),
    ColumnSpec(
        "sys_updated_at", "timestamp", "sys_updated_at", "sys_updated_at", parse_export_timestamps
    ),
)
_KEY_MESSAGES: Final = {
    "number": "missing; every event row needs its incident's number",
    "sys_mod_count": "missing; needed to find the incident's latest state",
    "sys_updated_at": "missing; needed to find the incident's latest state",
}
# Staged columns computed from the keys: the row in the export, the typed keys.
_ROW, _MODS, _UPDATED = "_row", "_mods", "_updated"
# In the reduced rows, computed columns stand for these fields.
_COMPUTED: Final = {"updates": _MODS, "updated_at": _UPDATED, "events": "events"}

# One row per incident: its latest state, and how many event rows it had.
# Constant SQL (no value is pasted in); the staged file is attached as the view ``events``.
_REDUCE: Final = """
SELECT * EXCLUDE (_rank) FROM (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY "number"
            ORDER BY _mods DESC NULLS LAST, _updated DESC NULLS LAST, _row DESC
        ) AS _rank,
        count(*) OVER (PARTITION BY "number") AS events
    FROM events
    WHERE "number" IS NOT NULL
)
WHERE _rank = 1
ORDER BY _row
"""


def _declared(source: Source, log: ErrorLog) -> list[Field]:
    """The fields the source declares; an error for a column the import does not give."""
    fields = []
    for name, kind in source.columns.items():
        found = _BY_COLUMN.get(name)
        if found is None:
            log.file_error(
                name,
                "is not a column of a ServiceNow incident import; it gives: "
                + ", ".join(f.column for f in FIELDS),
            )
        elif found.type != kind:
            log.file_error(
                found.export or name,
                f"is imported as {found.type} ({name}), but the schedule declares {kind}",
            )
        else:
            fields.append(found)
    return fields


@contextlib.contextmanager
def _export_stream(path: Path) -> Iterator[tuple[Callable[[], IO[bytes]], int]]:
    """Opens the export's CSV (inside a .zip or not) and its size in bytes."""
    if not zipfile.is_zipfile(path):
        yield (lambda: path.open("rb")), path.stat().st_size
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"{path}: not a readable zip file ({exc})") from exc
    with archive:
        members = [
            m
            for m in archive.infolist()
            if not m.is_dir() and not m.filename.startswith("__MACOSX/")
        ]
        if len(members) != 1 or not members[0].filename.lower().endswith(".csv"):
            names = ", ".join(m.filename for m in members) or "nothing"
            raise DataError(f"{path}: a zip must hold exactly one .csv file; it holds {names}")
        yield (lambda: archive.open(members[0])), members[0].file_size


def _stage(
    path: Path,
    fields: Sequence[Field],
    staged: Path,
    log: ErrorLog,
    timezone: str,
    progress: Progress | None,
) -> tuple[int, bool, list[Field]]:
    """Stream the export into ``staged`` with typed keys.

    Returns the event rows read, whether the rows can be reduced (no key
    column is missing from the export) and the fields the export has.
    """
    key_names = {k.field for k in _KEYS}
    wanted = [f.export for f in fields if f.export and f.export not in key_names]
    with _export_stream(path) as (open_stream, total):
        with open_stream() as handle:
            names = read_header(handle, path)
        keys = present_columns(_KEYS, names, log)
        wanted_specs = [ColumnSpec(e, "string", e, e, parse_strings) for e in wanted]
        found = {c.field for c in present_columns(wanted_specs, names, log)}
        found |= {k.field for k in keys}
        usable = [f for f in fields if f.column in _COMPUTED or f.export in found]
        text = [e for e in dict.fromkeys(["number", *wanted]) if e in names]
        schema = pa.schema(
            [pa.field(e, pa.string()) for e in text]
            + [(_ROW, pa.int64()), (_MODS, pa.int64()), (_UPDATED, TIMESTAMP)]
        )
        rows = 0
        with open_stream() as stream, pq.ParquetWriter(staged, schema) as writer:
            include = list(dict.fromkeys([*text, *(k.field for k in keys)])) or names[:1]
            batches = csv_batches(
                lambda: open_csv_text(stream, include, null_values=("", MISSING)),
                path,
                stream.tell,
                total,
            )
            for batch, first, done, whole in batches:
                assert isinstance(first, int)  # CSV batches number their rows from the first
                typed = check_batch(
                    batch,
                    keys,
                    first,
                    log,
                    timezone,
                    required=set(_KEY_MESSAGES),
                    required_message=lambda c: _KEY_MESSAGES[c.name],
                )
                size = batch.num_rows
                columns = [batch.column(e) for e in text]
                columns.append(pa.array(np.arange(first, first + size, dtype=np.int64)))
                columns.append(typed.get("sys_mod_count", pa.nulls(size, pa.int64())))
                columns.append(typed.get("sys_updated_at", pa.nulls(size, TIMESTAMP)))
                writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))
                rows += size
                if progress is not None:
                    progress(done, whole)
    return rows, len(keys) == len(_KEYS), usable


def _reduced(staged: Path, workdir: Path) -> Iterator[pa.RecordBatch]:
    """The latest state of each incident, in the order of those rows in the export."""
    # A bounded memory makes DuckDB spill its sort and windows to the work directory
    # rather than take most of the machine for an export larger than memory.
    config: dict[str, str | bool | int | float | list[str]] = {
        "temp_directory": str(workdir),
        "memory_limit": "1GB",
    }
    con = duckdb.connect(":memory:", config=config)
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.read_parquet(str(staged)).create_view("events")
        yield from con.sql(_REDUCE).to_arrow_reader(BATCH_ROWS)
    except duckdb.Error as exc:
        raise DataError(f"the incidents cannot be reduced to their latest state ({exc})") from exc
    finally:
        con.close()


def _reduced_batches(staged: Path, workdir: Path) -> Batches:
    for batch in _reduced(staged, workdir):
        rows: RowNumbers = np.asarray(batch.column(_ROW).to_numpy(), dtype=np.int64)
        yield batch, rows, 0, 0


def _specs(fields: Sequence[Field]) -> list[ColumnSpec]:
    """How each declared field is read from the reduced rows (errors name the export column)."""
    specs = []
    for f in fields:
        column = _COMPUTED.get(f.column, f.export)
        specs.append(ColumnSpec(f.column, f.type, column, f.export or f.column, f.parser))
    return specs


def ingest_export(
    source: Source,
    input_path: Path,
    output_path: Path,
    *,
    timezone: str | None,
    progress: Progress | None = None,
    max_errors: int = 100,
    sha256: str | None = None,
) -> IngestReport:
    """Import a ServiceNow incident export (CSV, or a zip holding it) as one row per incident.

    Called by :func:`accord.engine.ingest.ingest` with ``input_format="servicenow"``,
    which checks the paths first. ``rows_read`` counts the export's event
    rows, ``rows_written`` the incidents.
    """
    if timezone is None:
        raise DataError(
            "a ServiceNow export's timestamps carry no time zone; set the data source's time zone"
        )
    digest = sha256 or file_sha256(input_path)
    log = ErrorLog(max_errors)
    fields = _declared(source, log)
    schema = output_schema(source, metadata(source, "servicenow", digest, timezone))
    output = AtomicParquet(output_path, schema)
    try:
        with tempfile.TemporaryDirectory(prefix=".servicenow-", dir=output_path.parent) as work:
            workdir = Path(work)
            staged = workdir / "events.parquet"
            read, reducible, usable = _stage(input_path, fields, staged, log, timezone, progress)
            batches: Batches = iter(())
            if reducible:
                batches = _reduced_batches(staged, workdir)
            totals = write_checked(
                source, _specs(usable), batches, output, log, timezone, None, count_rows=False
            )
    finally:
        output.abandon()  # nothing to do after a commit; removes the file after a failure
    totals.rows_read = read
    return report(log, totals, digest)
