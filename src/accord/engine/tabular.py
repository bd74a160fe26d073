"""Reading and writing tabular files for the command line: Parquet and CSV, streamed.

Files are processed in record batches so that a file larger than memory can go
through ``accord engine business-time``. CSV columns are read as text, so a
CSV written back carries every input column exactly as it came in; only the
columns the engine computes on are parsed (see :func:`timestamps`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from accord.engine.errors import DataError

__all__ = ["BatchWriter", "file_format", "read_batches", "timestamps"]

BATCH_ROWS = 1 << 20
_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}


def file_format(path: Path) -> str:
    """``"parquet"`` or ``"csv"``, from the file name's extension."""
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        raise DataError(
            f"{path}: unknown file type {path.suffix or '(no extension)'!r}; "
            "use .parquet, .pq or .csv"
        ) from None


def _csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        try:
            return next(csv.reader(handle))
        except StopIteration:
            raise DataError(f"{path}: the file is empty (no header row)") from None


def read_batches(path: Path) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """The file's schema and its rows in record batches, in file order."""
    kind = file_format(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    if kind == "parquet":
        try:
            parquet = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"{path}: not a readable Parquet file ({exc})") from exc
        schema = parquet.schema_arrow
        return schema, parquet.iter_batches(batch_size=BATCH_ROWS, use_threads=False)
    names = _csv_header(path)
    if len(set(names)) != len(names):
        raise DataError(f"{path}: the header repeats a column name")
    try:
        reader = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(block_size=64 << 20, use_threads=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True
            ),
        )
    except pa.ArrowInvalid as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})") from exc

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            yield from reader
        except pa.ArrowInvalid as exc:
            raise DataError(f"{path}: not a readable CSV file ({exc})") from exc

    return reader.schema, batches()


def timestamps(column: pa.Array, name: str, path: Path, first_row: int) -> pa.Array:
    """A column as timestamps (UTC instants; text without an offset means UTC).

    Accepts timestamp columns as they are and parses text (ISO 8601, with or
    without a UTC offset). A value that is not a timestamp raises a
    :class:`DataError` naming the file, the row (1-based, header excluded) and
    the column. ``first_row`` is the index of the batch's first row in the file.
    """
    kind = column.type
    if pa.types.is_timestamp(kind):
        return column
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise DataError(f"{path}: column {name!r} holds {kind}, not timestamps")
    try:
        return _parse_text(column)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    # Some value is not a timestamp: find the first one, to name it.
    for i, value in enumerate(column.to_pylist()):
        if value is not None and not _parses(value):
            raise DataError(
                f"{path}: row {first_row + i + 1}, column {name!r}: {value!r} is not a "
                "timestamp (expected ISO 8601, e.g. 2026-03-09T08:30:00Z)"
            )
    raise DataError(f"{path}: column {name!r} cannot be read as timestamps")  # pragma: no cover


_UTC = pa.timestamp("ns", tz="UTC")
# A time of day followed by a UTC offset (Z, +01, -08:00, +0530).
_OFFSET = r"\d:\d{2}(?::\d{2}(?:\.\d*)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)\s*$"


def _parse_text(column: pa.Array) -> pa.Array:
    """Parse ISO 8601 text; values with an offset are converted, those without are UTC."""
    has_offset = pc.match_substring_regex(column, _OFFSET)
    aware = pc.cast(pc.if_else(has_offset, column, None), _UTC)
    naive = pc.cast(pc.cast(pc.if_else(has_offset, None, column), pa.timestamp("ns")), _UTC)
    return pc.if_else(has_offset, aware, naive)


def _parses(value: str) -> bool:
    try:
        _parse_text(pa.array([value], pa.string()))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


class BatchWriter:
    """Writes record batches to Parquet or CSV (by extension), creating the file lazily."""

    def __init__(
        self, path: Path, schema: pa.Schema, metadata: Mapping[str, str] | None = None
    ) -> None:
        self.path = path
        self.kind = file_format(path)
        if metadata and self.kind == "parquet":
            merged = dict(schema.metadata or {})
            merged.update({k.encode(): v.encode() for k, v in metadata.items()})
            schema = schema.with_metadata(merged)
        self.schema = schema
        self._writer: Any = None

    def __enter__(self) -> BatchWriter:
        if self.kind == "parquet":
            self._writer = pq.ParquetWriter(self.path, self.schema)
        else:
            self._writer = pa_csv.CSVWriter(
                self.path, self.schema, write_options=pa_csv.WriteOptions(quoting_style="needed")
            )
        return self

    def write(self, batch: pa.RecordBatch) -> None:
        """Append one batch (its schema must match, metadata aside)."""
        self._writer.write_batch(batch.replace_schema_metadata(self.schema.metadata))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._writer is not None:
            self._writer.close()
        if exc_type is not None:
            # Never leave a half-written output that looks complete.
            self.path.unlink(missing_ok=True)
