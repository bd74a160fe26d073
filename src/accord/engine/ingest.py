"""Importing operational data: a CSV or Parquet file in, a validated, typed Parquet file out.

:func:`ingest` reads a file in record batches (memory stays constant whatever
the file's size), checks every value of the columns a source declares, and
writes exactly those columns, in declared order, with the types the evaluator
reads (:mod:`accord.engine.sources`):

=========  ===============================
declared   written as
=========  ===============================
string     ``string``
integer    ``int64``
float      ``float64``
boolean    ``bool``
timestamp  ``timestamp[us, tz=UTC]``
=========  ===============================

Other columns of the file are ignored. Text (every CSV value; a string column
of a Parquet file) is converted the same way for every format:

* an empty value is null; spaces around a value of a non-text column are ignored;
* integer: an optional sign and digits, within 64 bits;
* float: a decimal number, optionally with an exponent (``1.5``, ``-2``,
  ``.5``, ``1e3``); not ``nan`` nor ``inf``;
* boolean: ``true``/``false``, ``1``/``0``, ``yes``/``no``, in any case;
* timestamp: ISO 8601, ``2026-03-01``, ``2026-03-01T09:30``, ``...T09:30:15``,
  ``...T09:30:15.25`` (``T`` or a space; digits beyond microseconds are
  dropped). With ``Z`` or an offset (``+01:00``, ``+0100``, ``+01``) it is
  that instant; without one it is wall-clock time in the source's time zone.

Parquet columns of a compatible type are taken as they are: integers of any
width, floats (also integers and decimals for a float column), booleans,
timestamps of any unit (sub-microsecond digits dropped); a timestamp column
without a time zone is wall-clock time like naive text.

**Wall-clock time** becomes UTC with the pinned tz database
(:mod:`accord.engine.tz`), by Python's ``fold=0`` rule: a time that happens
twice (the hour repeated when the clocks go back) is its first, earlier
occurrence; a time that never happens (the hour skipped when they go forward)
takes the offset in force before the change, so 02:30 on a spring-forward
night in Vancouver (UTC-8 until then) is 10:30 UTC, which is 03:30 local. The
conversion uses the database for the years 1900 to 2199; a wall-clock time
outside them takes the offset at the nearer end. Without a time zone, a naive
timestamp is an error, never silently UTC.

**Errors**: every problem is counted, per column too; the first
``max_errors`` are kept, in file order, each with its row as a spreadsheet
shows it (the header is row 1, so row 2 is the first record, for Parquet as
well) and its column. A missing or incompatible column is one error at row 1.
The time column must have a value in every row.

**All or nothing**: the output is written to a temporary file next to
``output_path`` and renamed onto it only when no error was found; otherwise
(or on an exception) the temporary file is removed and an existing
``output_path`` is left untouched.

:mod:`accord.engine.servicenow` imports a ServiceNow incident export through
the same checks (``input_format="servicenow"``).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import secrets
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from accord.engine.errors import DataError
from accord.engine.schedule import Source
from accord.engine.tz import UnknownTimeZoneError, get_zone, offset_pieces, tz_database_version

__all__ = [
    "IngestReport",
    "InputFormat",
    "RowError",
    "file_sha256",
    "ingest",
]

InputFormat = Literal["auto", "csv", "parquet", "servicenow"]
Progress = Callable[[int, int], None]
Mask = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]
# Row numbers of a batch's records: the first one's (they follow on), or one per record.
RowNumbers = int | I64

# Rows per Parquet batch and bytes per CSV block: memory per batch, not per file.
BATCH_ROWS: int = 1 << 18
CSV_BLOCK_BYTES: int = 4 << 20
MAX_SHOWN: Final = 100  # characters of an offending value kept in an error
FIRST_RECORD_ROW: Final = 2  # the header is row 1

TIMESTAMP: Final = pa.timestamp("us", tz="UTC")
ARROW_TYPES: Final[Mapping[str, pa.DataType]] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "timestamp": TIMESTAMP,
}
_FORMATS: Final = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
_US: Final = 1_000_000
_DAY_US: Final = 86_400 * _US
_EPOCH: Final = date(1970, 1, 1)
# The years the tz database is consulted for (wall-clock times outside use the nearer end).
_FIRST_YEAR, _LAST_YEAR = 1900, 2199

NOT_INTEGER: Final = "not an integer"
NOT_TIMESTAMP: Final = "not a timestamp; expected ISO 8601 like 2026-03-01T09:30:00Z"
NO_TIME_ZONE: Final = "has no time zone; set the data source's time zone"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RowError:
    """One value that cannot be imported, or a problem with the whole file (row 1)."""

    row: int  # as a spreadsheet shows it: header row 1, first record row 2
    column: str  # the file's column name ("" for the file as a whole)
    value: str | None  # the offending text (at most 100 characters); None when missing
    message: str

    def __str__(self) -> str:
        place = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{place}: {self.message}{shown}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class IngestReport:
    """What an import read, wrote and found wrong.

    ``rows_read`` counts the file's records (for a ServiceNow export, its
    event rows); ``rows_written`` the rows of the output (0 when there were
    errors, since nothing is written then). ``errors`` holds the first
    ``max_errors`` in file order, ``error_count`` and ``errors_by_column``
    count them all. ``first_instant``/``last_instant`` span the time column's
    valid values (UTC), None without any.
    """

    rows_read: int
    rows_written: int
    errors: tuple[RowError, ...]
    error_count: int
    errors_by_column: Mapping[str, int]
    first_instant: datetime | None
    last_instant: datetime | None
    sha256: str

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def to_dict(self) -> dict[str, Any]:
        def instant(value: datetime | None) -> str | None:
            return None if value is None else value.isoformat().replace("+00:00", "Z")

        return {
            "ok": self.ok,
            "rows_read": self.rows_read,
            "rows_written": self.rows_written,
            "error_count": self.error_count,
            "errors_by_column": dict(self.errors_by_column),
            "errors": [error.to_dict() for error in self.errors],
            "first_instant": instant(self.first_instant),
            "last_instant": instant(self.last_instant),
            "sha256": self.sha256,
        }


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks (hex digest)."""
    try:
        with Path(path).open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


# --------------------------------------------------------------------------- conversion


@dataclass(frozen=True)
class Converted:
    """A column converted to its declared type: null where missing or wrong.

    ``problems`` pairs a mask of the rows whose value was wrong with the
    message saying why (the rows of different problems do not overlap).
    """

    values: pa.Array
    problems: tuple[tuple[Mask, str], ...] = ()

    def bad(self) -> Mask:
        found = np.zeros(len(self.values), dtype=np.bool_)
        for mask, _ in self.problems:
            found |= mask
        return found


# Converts text (a ``string`` array) to a declared type, given the source's time zone.
TextParser = Callable[[pa.Array, str | None], Converted]


def _mask(condition: pa.Array | pa.ChunkedArray) -> Mask:
    """A boolean array as a NumPy mask, null counting as false."""
    filled = pc.fill_null(condition, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=np.bool_)


def _null_if_empty(text: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _trimmed(text: pa.Array) -> pa.Array:
    """Text with spaces around removed; empty (after trimming) is null."""
    return _null_if_empty(pc.utf8_trim_whitespace(text))


def _only(text: pa.Array, keep: Mask) -> pa.Array:
    """``text`` where ``keep``, null elsewhere."""
    return pc.if_else(pa.array(keep), text, pa.scalar(None, text.type))


def parse_strings(text: pa.Array, timezone: str | None = None) -> Converted:
    """Text stays text (an empty CSV value is null already)."""
    return Converted(text)


def parse_integers(text: pa.Array, timezone: str | None = None) -> Converted:
    """Optional sign and digits, within a signed 64-bit integer."""
    value = _trimmed(text)
    present = _mask(pc.is_valid(value))
    ok = _mask(pc.match_substring_regex(value, r"^[+-]?[0-9]+$"))
    digits = pc.replace_substring_regex(value, r"^\+", "")
    too_large = np.zeros(len(value), dtype=np.bool_)
    # 19 digits or more may not fit; there are few such values, so check them one by one.
    for i in np.flatnonzero(ok & _mask(pc.greater_equal(pc.utf8_length(digits), 19))):
        if not -(2**63) <= int(digits[i].as_py()) < 2**63:
            too_large[i] = True
    ok &= ~too_large
    values = pc.cast(_only(digits, ok), pa.int64())
    return Converted(
        values,
        ((present & ~ok & ~too_large, NOT_INTEGER), (too_large, "too large for a 64-bit integer")),
    )


_DECIMAL = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"


def parse_floats(text: pa.Array, timezone: str | None = None) -> Converted:
    """A decimal number (``1.5``, ``-2``, ``.5``, ``1e3``); not nan or infinite."""
    value = _trimmed(text)
    present = _mask(pc.is_valid(value))
    ok = _mask(pc.match_substring_regex(value, _DECIMAL))
    number = pc.replace_substring_regex(value, r"^\+", "")
    values = pc.cast(_only(number, ok), pa.float64())
    infinite = _mask(pc.is_inf(values))
    return Converted(
        pc.if_else(pa.array(infinite), pa.scalar(None, pa.float64()), values),
        ((present & ~ok, "not a number"), (infinite, "too large for a float")),
    )


_TRUE = pa.array(["true", "1", "yes"])
_FALSE = pa.array(["false", "0", "no"])


def parse_booleans(text: pa.Array, timezone: str | None = None) -> Converted:
    """true/false, 1/0, yes/no in any case."""
    value = pc.utf8_lower(_trimmed(text))
    present = _mask(pc.is_valid(value))
    true = _mask(pc.is_in(value, value_set=_TRUE))
    false = _mask(pc.is_in(value, value_set=_FALSE))
    values = pa.array(true, pa.bool_(), mask=~(true | false))
    return Converted(values, ((present & ~(true | false), "not true or false"),))


# ISO 8601 as Accord accepts it: a date, then optionally a time, then optionally a zone.
_ISO = (
    r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"(?:[T ](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?)?"
    r"(?P<zone>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$"
)
# The same without captures (checking a shape is ten times faster than extracting its parts).
_ISO_SHAPE = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$"
)
# A zone after a time (a date alone ends in "-01", which is not an offset).
_ISO_ZONED = r":[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)$"
_ZONE = r"^(?P<sign>[+-])(?P<hours>[0-9]{2}):?(?P<minutes>[0-9]{2})?$"


def parse_timestamps(text: pa.Array, timezone: str | None = None) -> Converted:
    """ISO 8601 text to UTC instants (see the module's notes on wall-clock time).

    Values of the right shape go through Arrow's own ISO 8601 parser. When it
    refuses one (31 February, 24:00, more than six digits of a second), the
    batch is parsed again part by part, which finds the culprits and keeps the
    rest (sub-microsecond digits dropped).
    """
    value = _trimmed(text)
    present = _mask(pc.is_valid(value))
    shaped = _mask(pc.match_substring_regex(value, _ISO_SHAPE))
    zoned = shaped & _mask(pc.match_substring_regex(value, _ISO_ZONED))
    try:
        return _cast_iso(value, present, shaped, zoned, timezone)
    except pa.ArrowInvalid:
        parts = pc.extract_regex(value, _ISO)
        return timestamps_from_parts(parts, present, timezone, NOT_TIMESTAMP)


def _cast_iso(
    value: pa.Array, present: Mask, shaped: Mask, zoned: Mask, timezone: str | None
) -> Converted:
    """ISO 8601 text of a checked shape, by Arrow's parser (raises ArrowInvalid on a bad one)."""
    naive = shaped & ~zoned
    instants = pc.cast(_only(value, zoned), TIMESTAMP).cast(pa.int64())
    utc = np.array(instants.fill_null(0).to_numpy(), dtype=np.int64)  # a copy: written below
    unplaced = naive if timezone is None else np.zeros(len(value), dtype=np.bool_)
    if timezone is not None and naive.any():
        wall = pc.cast(_only(value, naive), pa.timestamp("us")).cast(pa.int64())
        utc[naive] = wall_to_utc(np.asarray(wall.fill_null(0).to_numpy())[naive], timezone)
    valid = shaped & ~unplaced
    values = pa.array(np.where(valid, utc, 0), TIMESTAMP, mask=~valid)
    return Converted(values, ((present & ~shaped, NOT_TIMESTAMP), (unplaced, NO_TIME_ZONE)))


def _field_ints(parts: pa.StructArray, name: str) -> I64:
    """A matched group of digits as integers (0 where the group is absent or empty)."""
    if parts.type.get_field_index(name) < 0:
        return np.zeros(len(parts), dtype=np.int64)
    digits = pc.struct_field(parts, name)
    digits = pc.if_else(pc.equal(digits, ""), "0", digits)
    return np.asarray(pc.cast(digits, pa.int64()).fill_null(0).to_numpy(), dtype=np.int64)


def _fraction_us(parts: pa.StructArray) -> I64:
    """The fraction of a second, as microseconds (further digits are dropped)."""
    if parts.type.get_field_index("fraction") < 0:
        return np.zeros(len(parts), dtype=np.int64)
    digits = pc.utf8_slice_codeunits(
        pc.utf8_rpad(pc.struct_field(parts, "fraction"), width=6, padding="0"), 0, 6
    )
    return np.asarray(pc.cast(digits, pa.int64()).fill_null(0).to_numpy(), dtype=np.int64)


def _offset_seconds(parts: pa.StructArray) -> tuple[Mask, I64, Mask]:
    """Which values carry a zone (Z or an offset), its offset in seconds, and if it is valid."""
    size = len(parts)
    if parts.type.get_field_index("zone") < 0:
        return np.zeros(size, dtype=np.bool_), np.zeros(size, dtype=np.int64), np.ones(size, bool)
    zone = pc.struct_field(parts, "zone")
    aware = _mask(pc.not_equal(zone, ""))
    pieces = pc.extract_regex(zone, _ZONE)  # "Z" does not match: offset 0
    hours, minutes = _field_ints(pieces, "hours"), _field_ints(pieces, "minutes")
    sign = np.where(_mask(pc.equal(pc.struct_field(pieces, "sign"), "-")), -1, 1)
    valid = (hours <= 23) & (minutes <= 59)
    return aware, sign * (hours * 3600 + minutes * 60), valid


def _days_from_civil(year: I64, month: I64, day: I64) -> I64:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return np.asarray(era * 146_097 + doe - 719_468, dtype=np.int64)


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _valid_date(year: I64, month: I64, day: I64) -> Mask:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    in_month = (month >= 1) & (month <= 12)
    longest = _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    return np.asarray(in_month & (day >= 1) & (day <= longest), dtype=np.bool_)


def timestamps_from_parts(
    parts: pa.StructArray, present: Mask, timezone: str | None, not_matched: str
) -> Converted:
    """Timestamps from the groups a pattern matched (``pc.extract_regex``), checked for range.

    Groups used: ``year``, ``month``, ``day`` and optionally ``hour``,
    ``minute``, ``second``, ``fraction`` (digits of a second) and ``zone``
    (``Z`` or an offset). A ``present`` value the pattern did not match, or
    whose parts are out of range (31 February, 24:00), is reported with
    ``not_matched``; one without a zone is wall-clock time in ``timezone`` (an
    error without one).
    """
    matched = _mask(pc.is_valid(parts))
    year, month, day = (_field_ints(parts, n) for n in ("year", "month", "day"))
    hour, minute, second = (_field_ints(parts, n) for n in ("hour", "minute", "second"))
    aware, offset, offset_ok = _offset_seconds(parts)
    ok = (
        matched
        & _valid_date(year, month, day)
        & (hour <= 23)
        & (minute <= 59)
        & (second <= 59)
        & offset_ok
    )
    wall = (
        _days_from_civil(year, month, day) * _DAY_US
        + (hour * 3600 + minute * 60 + second) * _US
        + _fraction_us(parts)
    )
    naive = ok & ~aware
    unplaced = naive if timezone is None else np.zeros(len(parts), dtype=np.bool_)
    utc = np.where(aware, wall - offset * _US, wall)
    if timezone is not None and naive.any():
        utc[naive] = wall_to_utc(wall[naive], timezone)
    valid = ok & ~unplaced
    values = pa.array(np.where(valid, utc, 0), TIMESTAMP, mask=~valid)
    return Converted(values, ((present & ~ok, not_matched), (unplaced, NO_TIME_ZONE)))


# --------------------------------------------------------------------------- wall-clock time


@functools.lru_cache(maxsize=64)
def _wall_table(timezone: str, first_year: int, last_year: int) -> tuple[I64, I64]:
    """Where each UTC offset of ``timezone`` starts in wall-clock time, and the offsets.

    A change of offset at UTC instant T from ``before`` to ``after`` seconds
    starts, in wall-clock time, at ``T + max(before, after)``: the repeated
    wall-clock hour (clocks back) keeps the offset before the change, and so
    does the skipped one (clocks forward) — Python's ``fold=0``. Returns
    (wall-clock starts of the offsets after the first, in µs; every offset, s).
    """
    # Two days either side: a wall-clock time is at most a day from its UTC instant.
    lo = (date(first_year, 1, 1) - _EPOCH).days * 86_400 - 2 * 86_400
    hi = (date(last_year + 1, 1, 1) - _EPOCH).days * 86_400 + 2 * 86_400
    bounds, offsets = offset_pieces(get_zone(timezone), lo, hi)
    changes = bounds[1:-1]
    starts = (changes + np.maximum(offsets[:-1], offsets[1:])) * _US
    return np.asarray(starts, dtype=np.int64), offsets


def _year_of(wall_us: I64) -> I64:
    days = wall_us // _DAY_US
    return np.asarray(days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970)


def wall_to_utc(wall_us: I64, timezone: str) -> I64:
    """UTC microseconds of wall-clock times (µs since 1970-01-01 on the wall clock)."""
    if len(wall_us) == 0:
        return wall_us
    years = _year_of(np.array([wall_us.min(), wall_us.max()]))
    first = int(np.clip(years[0], _FIRST_YEAR, _LAST_YEAR))
    last = int(np.clip(years[1], _FIRST_YEAR, _LAST_YEAR))
    starts, offsets = _wall_table(timezone, first, last)
    index = np.searchsorted(starts, wall_us, side="right")
    return np.asarray(wall_us - offsets[index] * _US, dtype=np.int64)


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class ColumnSpec:
    """How one declared column is read from a batch.

    ``field``: the batch's column holding it; ``label``: the column name
    errors give (the file's; for a ServiceNow export, the export's);
    ``parser``: how text becomes the declared type.
    """

    name: str
    type: str
    field: str
    label: str
    parser: TextParser


TEXT_PARSERS: Final[Mapping[str, TextParser]] = {
    "string": parse_strings,
    "integer": parse_integers,
    "float": parse_floats,
    "boolean": parse_booleans,
    "timestamp": parse_timestamps,
}


def default_columns(source: Source) -> list[ColumnSpec]:
    """The source's columns, read from the file's columns of the same names."""
    return [
        ColumnSpec(name, kind, name, name, TEXT_PARSERS[kind])
        for name, kind in source.columns.items()
    ]


def _is_text(kind: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)
    )


def compatible(kind: pa.DataType, declared: str) -> bool:
    """Whether a Parquet column of ``kind`` can hold a column declared ``declared``."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if _is_text(kind) or pa.types.is_null(kind):
        return True  # text is parsed like CSV; an all-null column fits anything
    checks: dict[str, Callable[[pa.DataType], bool]] = {
        "string": lambda _: False,
        "integer": pa.types.is_integer,
        "float": lambda k: bool(
            pa.types.is_integer(k) or pa.types.is_floating(k) or pa.types.is_decimal(k)
        ),
        "boolean": pa.types.is_boolean,
        "timestamp": pa.types.is_timestamp,
    }
    return bool(checks[declared](kind))


def _typed(array: pa.Array, declared: str, timezone: str | None) -> Converted:
    """A column of a compatible non-text type, as the declared type."""
    target = ARROW_TYPES[declared]
    if pa.types.is_null(array.type):
        return Converted(pa.nulls(len(array), target))
    if declared == "timestamp":
        if array.type.tz is not None:
            return Converted(pc.cast(array, TIMESTAMP, safe=False))  # drops sub-µs digits
        wall = pc.cast(array, pa.timestamp("us"), safe=False).cast(pa.int64())
        valid = _mask(pc.is_valid(wall))
        if timezone is None:
            return Converted(pa.nulls(len(array), TIMESTAMP), ((valid, NO_TIME_ZONE),))
        values = np.asarray(wall.fill_null(0).to_numpy(), dtype=np.int64)
        utc = wall_to_utc(values, timezone)
        return Converted(pa.array(utc, TIMESTAMP, mask=~valid))
    if declared == "integer" and pa.types.is_uint64(array.type):
        too_large = _mask(pc.greater(array, 2**63 - 1))
        kept = pc.if_else(pa.array(too_large), pa.scalar(None, array.type), array)
        return Converted(pc.cast(kept, target), ((too_large, "too large for a 64-bit integer"),))
    return Converted(pc.cast(array, target))


def convert(array: pa.Array, column: ColumnSpec, timezone: str | None) -> Converted:
    """A batch's column as the declared type: text parsed, typed values cast."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if _is_text(array.type):
        text = pc.cast(array, pa.string())
        if column.type == "string":
            return Converted(text)
        return column.parser(text, timezone)
    return _typed(array, column.type, timezone)


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return text[:MAX_SHOWN]


# --------------------------------------------------------------------------- errors


@dataclass
class ErrorLog:
    """Counts every error and keeps the first ``limit`` in file order."""

    limit: int
    count: int = 0
    by_column: Counter[str] = field(default_factory=Counter)
    kept: list[tuple[int, int, RowError]] = field(default_factory=list)  # (row, order, error)

    def file_error(self, column: str, message: str) -> None:
        """A problem with the file as a whole (a missing or unusable column): row 1."""
        self._add([(1, -1, RowError(1, column, None, message))], 1, column)

    def add(
        self, rows: RowNumbers, order: int, label: str, mask: Mask, values: pa.Array, message: str
    ) -> None:
        """The rows of a batch flagged by ``mask`` (row numbers ascending in the batch)."""
        where = np.flatnonzero(mask)
        if not len(where):
            return
        found: list[tuple[int, int, RowError]] = []
        for i in where[: self.limit]:
            row = rows + int(i) if isinstance(rows, int) else int(rows[i])
            if self.full and (row, order) > self.kept[-1][:2]:
                break  # later than everything kept: only counted
            shown = _shown(values[int(i)].as_py())
            found.append((row, order, RowError(row, label, shown, message)))
        self._add(found, len(where), label)

    @property
    def full(self) -> bool:
        return len(self.kept) >= self.limit

    def _add(self, found: list[tuple[int, int, RowError]], count: int, column: str) -> None:
        self.count += count
        self.by_column[column] += count
        if found:
            self.kept.extend(found)
            self.kept.sort(key=lambda item: item[:2])
            del self.kept[self.limit :]

    def errors(self) -> tuple[RowError, ...]:
        return tuple(error for _, _, error in self.kept)


def check_batch(
    batch: pa.RecordBatch,
    columns: Sequence[ColumnSpec],
    rows: RowNumbers,
    log: ErrorLog,
    timezone: str | None,
    *,
    required: Collection[str] = (),
    required_message: Callable[[ColumnSpec], str] | None = None,
) -> dict[str, pa.Array]:
    """Convert ``columns`` of a batch, logging every bad value; the converted columns by name.

    A column named in ``required`` must have a value in every row: a null
    (that is not already an error) is logged with ``required_message``.
    """
    converted: dict[str, pa.Array] = {}
    for order, column in enumerate(columns):
        raw = batch.column(column.field)
        result = convert(raw, column, timezone)
        for mask, message in result.problems:
            log.add(rows, order, column.label, mask, raw, message)
        if column.name in required and required_message is not None:
            missing = _mask(pc.is_null(result.values)) & ~result.bad()
            log.add(rows, order, column.label, missing, raw, required_message(column))
        converted[column.name] = result.values
    return converted


# --------------------------------------------------------------------------- output


class AtomicParquet:
    """A Parquet file written under a temporary name and renamed into place only on commit.

    Batches are gathered into row groups of about ``BATCH_ROWS`` rows (CSV
    blocks give small batches; many small row groups slow every later read).
    """

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.schema = schema
        # A hidden name next to the target (same file system, so the rename is atomic);
        # not mkstemp, whose files are private (0600) where a data file follows the umask.
        self.temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.partial")
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(self.temporary, schema)
        self._pending: list[pa.RecordBatch] = []
        self.rows = 0

    def write(self, columns: Mapping[str, pa.Array]) -> None:
        if self._writer is None:
            return
        arrays = [columns[name] for name in self.schema.names]
        batch = pa.RecordBatch.from_arrays(arrays, schema=self.schema)
        self._pending.append(batch)
        self.rows += batch.num_rows
        if sum(b.num_rows for b in self._pending) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._writer is not None and self._pending:
            table = pa.Table.from_batches(self._pending, schema=self.schema)
            self._writer.write_table(table, row_group_size=table.num_rows)
        self._pending = []

    def abandon(self) -> None:
        """Stop writing and remove the temporary file (the target is left as it was)."""
        self._pending = []
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self.temporary.unlink(missing_ok=True)

    def commit(self) -> None:
        """Finish the file and put it in place of the target."""
        self._flush()
        assert self._writer is not None
        self._writer.close()
        self._writer = None
        self.temporary.replace(self.path)

    @property
    def writing(self) -> bool:
        return self._writer is not None


def output_schema(source: Source, metadata: Mapping[str, str]) -> pa.Schema:
    fields = [pa.field(name, ARROW_TYPES[kind]) for name, kind in source.columns.items()]
    return pa.schema(fields, metadata={k.encode(): v.encode() for k, v in metadata.items()})


@dataclass
class Totals:
    """What an import counted: rows, and the span of the time column's valid values (µs)."""

    rows_read: int = 0
    rows_written: int = 0
    first_us: int | None = None
    last_us: int | None = None

    def span(self, instants: pa.Array) -> None:
        """Widen the span to a batch's instants (nulls ignored)."""
        low, high = (v.as_py() for v in pc.min_max(instants.cast(pa.int64())).values())
        if low is None:
            return
        self.first_us = low if self.first_us is None else min(low, self.first_us)
        self.last_us = high if self.last_us is None else max(high, self.last_us)

    @staticmethod
    def instant(us: int | None) -> datetime | None:
        if us is None:
            return None
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


def write_checked(
    source: Source,
    columns: Sequence[ColumnSpec],
    batches: Iterable[tuple[pa.RecordBatch, RowNumbers, int, int]],
    output: AtomicParquet,
    log: ErrorLog,
    timezone: str | None,
    progress: Progress | None,
    *,
    count_rows: bool = True,
) -> Totals:
    """Check every batch and write it while no error has been found; stop writing at the first.

    ``batches`` yields (batch, its row numbers, work done, total work). When
    every declared column is present, the output gets each batch; otherwise
    only the errors are gathered. Commits or abandons ``output``.
    """
    totals = Totals()
    time_column = source.time_column

    def required_message(column: ColumnSpec) -> str:
        return f"missing; every row needs its {time_column} to be placed in a period"

    complete = {c.name for c in columns} == set(source.columns)
    try:
        for batch, rows, done, total in batches:
            converted = check_batch(
                batch,
                columns,
                rows,
                log,
                timezone,
                required={time_column},
                required_message=required_message,
            )
            if count_rows:
                totals.rows_read += batch.num_rows
            if time_column in converted:
                totals.span(converted[time_column])
            if log.count and output.writing:
                output.abandon()
            if complete and output.writing:
                output.write(converted)
            if progress is not None:
                progress(done, total)
        if log.count:
            output.abandon()
        else:
            output.commit()
            totals.rows_written = output.rows
    except BaseException:
        output.abandon()
        raise
    return totals


# --------------------------------------------------------------------------- reading

Batches = Iterator[tuple[pa.RecordBatch, RowNumbers, int, int]]


def read_header(handle: IO[bytes], name: Path | str) -> list[str]:
    """The column names of a CSV's header (a UTF-8 byte-order mark is dropped, as pyarrow does)."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        return next(csv.reader(text))
    except StopIteration:
        raise DataError(f"{name}: the file is empty (no header row)") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{name}: not a readable CSV file ({exc})") from exc
    finally:
        text.detach()


def open_csv_text(
    source: Path | pa.NativeFile | IO[bytes],
    include: Sequence[str],
    null_values: Sequence[str] = ("",),
) -> pa_csv.CSVStreamingReader:
    """A streaming reader of these CSV columns, all as text (``null_values`` become null)."""
    return pa_csv.open_csv(
        source,
        # One block at a time: with threads the reader runs ahead through the whole file.
        read_options=pa_csv.ReadOptions(block_size=CSV_BLOCK_BYTES, use_threads=False),
        convert_options=pa_csv.ConvertOptions(
            include_columns=list(include),
            column_types=dict.fromkeys(include, pa.string()),
            null_values=list(null_values),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def csv_batches(
    open_reader: Callable[[], pa_csv.CSVStreamingReader],
    name: Path | str,
    position: Callable[[], int],
    total: int,
) -> Batches:
    """Batches with their first row number and the bytes read so far; bad CSV is a DataError."""
    row = FIRST_RECORD_ROW
    try:
        for batch in open_reader():
            yield batch, row, min(position(), total), total
            row += batch.num_rows
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DataError(f"{name}: not a readable CSV file ({_first_line(exc)})") from exc


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _repeated(names: Sequence[str]) -> set[str]:
    counts = Counter(names)
    return {name for name, count in counts.items() if count > 1}


def present_columns(
    columns: Sequence[ColumnSpec], names: Sequence[str], log: ErrorLog
) -> list[ColumnSpec]:
    """The columns the file has; one error for each it lacks or names twice."""
    usable = []
    repeated = _repeated(names)
    for column in columns:
        if column.field in repeated:
            log.file_error(column.label, "appears more than once in the header")
        elif column.field not in names:
            listed = ", ".join(names) or "none"
            log.file_error(column.label, f"missing from the file; the file's columns: {listed}")
        else:
            usable.append(column)
    return usable


def _open_csv(
    path: Path, columns: list[ColumnSpec], log: ErrorLog
) -> tuple[list[ColumnSpec], Batches]:
    with path.open("rb") as handle:
        names = read_header(handle, path)
    usable = present_columns(columns, names, log)
    include = [c.field for c in usable] or names[:1]  # one column at least, to count the rows

    def batches() -> Batches:
        with pa.OSFile(str(path), "rb") as handle:
            yield from csv_batches(
                lambda: open_csv_text(handle, include), path, handle.tell, path.stat().st_size
            )

    return usable, batches()


def _open_parquet(
    path: Path, columns: list[ColumnSpec], log: ErrorLog
) -> tuple[list[ColumnSpec], Batches]:
    try:
        # pre_buffer keeps every column chunk read so far: memory would grow with the file.
        parquet = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataError(f"{path}: not a readable Parquet file ({_first_line(exc)})") from exc
    schema = parquet.schema_arrow
    usable = []
    for column in present_columns(columns, schema.names, log):
        kind = schema.field(column.field).type
        if compatible(kind, column.type):
            usable.append(column)
        else:
            log.file_error(
                column.label,
                f"holds {kind}, which cannot be read as {column.type} ({ARROW_TYPES[column.type]})",
            )
    include = [c.field for c in usable] or schema.names[:1]
    total = parquet.metadata.num_rows

    def batches() -> Batches:
        done = 0
        try:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=include):
                yield batch, FIRST_RECORD_ROW + done, done + batch.num_rows, total
                done += batch.num_rows
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"{path}: not a readable Parquet file ({_first_line(exc)})") from exc

    return usable, batches()


def resolve_format(path: Path, requested: str) -> str:
    """The format to read ``path`` as: the requested one, or by extension for ``auto``."""
    if requested not in ("auto", "csv", "parquet", "servicenow"):
        raise DataError(f"unknown input format {requested!r}; use auto, csv, parquet or servicenow")
    if requested != "auto":
        return requested
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        raise DataError(
            f"{path}: unknown file type {path.suffix or '(no extension)'!r}; use .csv, "
            ".parquet or .pq, or name the format (a ServiceNow export: servicenow)"
        ) from None


def check_paths(input_path: Path, output_path: Path, timezone: str | None) -> None:
    """Refuse what cannot work before anything is read."""
    if not input_path.is_file():
        raise DataError(f"{input_path}: no such file")
    if not output_path.parent.is_dir():
        raise DataError(f"{output_path}: the directory {output_path.parent} does not exist")
    if output_path.exists() and output_path.resolve() == input_path.resolve():
        raise DataError(f"{output_path}: the output would overwrite the input")
    if timezone is not None:
        try:
            get_zone(timezone)
        except UnknownTimeZoneError as exc:
            raise DataError(str(exc)) from None


def metadata(source: Source, fmt: str, digest: str, timezone: str | None) -> dict[str, str]:
    """What the output Parquet file records about its making."""
    return {
        "accord.source": source.name,
        "accord.input_format": fmt,
        "accord.input_sha256": digest,
        "accord.timezone": timezone or "",
        "accord.tz_database": tz_database_version(),
    }


def report(log: ErrorLog, totals: Totals, digest: str) -> IngestReport:
    return IngestReport(
        rows_read=totals.rows_read,
        rows_written=totals.rows_written,
        errors=log.errors(),
        error_count=log.count,
        errors_by_column=dict(log.by_column),
        first_instant=totals.instant(totals.first_us),
        last_instant=totals.instant(totals.last_us),
        sha256=digest,
    )


def ingest(
    source: Source,
    input_path: Path,
    output_path: Path,
    *,
    input_format: InputFormat = "auto",
    timezone: str | None = None,
    progress: Progress | None = None,
    max_errors: int = 100,
    sha256: str | None = None,
) -> IngestReport:
    """Validate ``input_path`` against ``source`` and write it as typed Parquet to ``output_path``.

    ``input_format``: ``csv``, ``parquet``, ``servicenow`` (an incident export,
    see :mod:`accord.engine.servicenow`) or ``auto`` (by extension: ``.csv``,
    ``.parquet``, ``.pq``). ``timezone`` is the zone of timestamps written
    without an offset. ``progress(done, total)`` is called after each batch
    (bytes of a CSV, rows of a Parquet file). Data problems are returned in the
    report, not raised; a :class:`DataError` means the file cannot be read at
    all (or the arguments are wrong). See the module's notes for every rule.
    ``sha256``: the input's digest when the caller already has it (an upload
    hashed as it arrived), so the file is not read an extra time to hash it.
    """
    input_path, output_path = Path(input_path), Path(output_path)
    fmt = resolve_format(input_path, input_format)
    check_paths(input_path, output_path, timezone)
    if max_errors < 1:
        raise DataError(f"max_errors must be at least 1, got {max_errors}")
    if fmt == "servicenow":
        # Imported here: the ServiceNow reader builds on this module's checks.
        from accord.engine.servicenow import ingest_export

        return ingest_export(
            source, input_path, output_path, timezone=timezone, progress=progress,
            max_errors=max_errors, sha256=sha256,
        )  # fmt: skip
    digest = sha256 or file_sha256(input_path)
    log = ErrorLog(max_errors)
    columns = default_columns(source)
    opened = _open_csv if fmt == "csv" else _open_parquet
    columns, batches = opened(input_path, columns, log)
    output = AtomicParquet(
        output_path, output_schema(source, metadata(source, fmt, digest, timezone))
    )
    totals = write_checked(source, columns, batches, output, log, timezone, progress)
    return report(log, totals, digest)
