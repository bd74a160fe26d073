"""Where an evaluation's operational data comes from, and checking it against the schedule.

A data location is a Parquet file (or a glob of them, e.g. a month-partitioned
store), a CSV file, or a table of a DuckDB database. Each becomes a DuckDB view
``src_<n>`` whose declared columns have the declared types; a column that is
missing or of another type is a :class:`DataError` naming the source and the
column, and a CSV value that does not convert names its row and column, before
any service level is computed.

Paths reach SQL only as string literals built by SQLGlot (quoted and escaped),
never pasted into the SQL text.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
from sqlglot import exp

from accord.engine.errors import DataError

__all__ = ["DataLocation", "SourceView", "attach_source"]

DataFormat = Literal["parquet", "csv", "duckdb"]
_SUFFIXES: dict[str, DataFormat] = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".duckdb": "duckdb",
    ".db": "duckdb",
}
_INTEGERS = {
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
    "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
}  # fmt: skip
_ACCEPTED: dict[str, frozenset[str]] = {
    "string": frozenset({"VARCHAR"}),
    "integer": frozenset(_INTEGERS),
    "float": frozenset(_INTEGERS | {"FLOAT", "DOUBLE", "DECIMAL"}),
    "boolean": frozenset({"BOOLEAN"}),
    "timestamp": frozenset(
        {
            "TIMESTAMP",
            "TIMESTAMP WITH TIME ZONE",
            "TIMESTAMP_NS",
            "TIMESTAMP_MS",
            "TIMESTAMP_S",
        }
    ),
}
# The SQL type a declared column is read as from text (CSV).
_SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "float": "DOUBLE",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMPTZ",
}
_DESCRIBED = {
    "string": "text",
    "integer": "whole numbers",
    "float": "numbers",
    "boolean": "true/false",
    "timestamp": "timestamps",
}


@dataclass(frozen=True)
class DataLocation:
    """A data file, glob or list of Parquet files, or DuckDB table holding one source's rows."""

    path: str
    format: DataFormat
    table: str | None = None
    parquet_files: tuple[str, ...] = ()

    @classmethod
    def of_parquet_files(cls, paths: Sequence[str]) -> DataLocation:
        """Exactly these Parquet files (an app's imports), read as one source."""
        if not paths:
            raise DataError("no data files given")
        return cls(paths[0], "parquet", parquet_files=tuple(paths))

    def __str__(self) -> str:
        if len(self.parquet_files) > 1:
            return f"{self.path} and {len(self.parquet_files) - 1} more"
        return f"{self.path}:{self.table}" if self.table else self.path

    @classmethod
    def parse(cls, text: str) -> DataLocation:
        """``rows.parquet``, ``store/*.parquet``, ``rows.csv``, ``ops.duckdb[:TABLE]``."""
        text = text.strip()
        if not text:
            raise DataError("an empty data path")
        base, _, table = text.partition("::")
        if not table:
            # ``ops.duckdb:tickets``; a Windows drive letter is not a table.
            head, sep, tail = text.rpartition(":")
            if sep and Path(head).suffix.lower() in (".duckdb", ".db") and tail:
                base, table = head, tail
            else:
                base = text
        data_format = _SUFFIXES.get(Path(base).suffix.lower())
        if data_format is None:
            raise DataError(
                f"{base}: unknown data format {Path(base).suffix or '(no extension)'!r}; "
                "use .parquet, .pq, .csv, or a DuckDB database (.duckdb, .db) with :TABLE"
            )
        if table and data_format != "duckdb":
            raise DataError(f"{text}: only a DuckDB database has tables")
        return cls(base, data_format, table or None)

    def files(self) -> list[str]:
        """The files this location names (a glob may name several); none is an error."""
        if self.parquet_files:
            missing = [path for path in self.parquet_files if not Path(path).is_file()]
            if missing:
                raise DataError(f"{missing[0]}: no such file")
            return list(self.parquet_files)
        if any(ch in self.path for ch in "*?["):
            if self.format != "parquet":
                raise DataError(f"{self.path}: only Parquet data may be given as a glob")
            found = sorted(glob.glob(self.path))  # noqa: PTH207 - a user's pattern, as given
            if not found:
                raise DataError(f"{self.path}: no file matches")
            return found
        if not Path(self.path).is_file():
            raise DataError(f"{self.path}: no such file")
        return [self.path]


@dataclass(frozen=True)
class SourceView:
    """A source's data attached to a connection as a view with checked column types."""

    name: str
    view: str
    location: DataLocation
    column_types: Mapping[str, str]  # DuckDB type of each declared column


def _run(con: duckdb.DuckDBPyConnection, statement: exp.Expr) -> list[tuple[Any, ...]]:
    """Execute a statement built from SQLGlot expressions; return its rows."""
    return con.execute(statement.sql(dialect="duckdb")).fetchall()


def _create_view(con: duckdb.DuckDBPyConnection, view: str, select: exp.Query) -> None:
    _run(con, exp.Create(this=exp.to_table(view), kind="VIEW", expression=select))


def _describe(con: duckdb.DuckDBPyConnection, view: str) -> dict[str, str]:
    """Column name -> DuckDB type of a view."""
    select = exp.select("*").from_(view)
    rows = con.execute("DESCRIBE " + select.sql(dialect="duckdb")).fetchall()
    return {str(row[0]): str(row[1]) for row in rows}


def _reader(function: str, *args: exp.Expr) -> exp.Select:
    return exp.select("*").from_(exp.Anonymous(this=function, expressions=list(args)))


def _option(name: str, value: bool) -> exp.Expr:
    return exp.EQ(this=exp.var(name), expression=exp.Boolean(this=value))


def attach_source(
    con: duckdb.DuckDBPyConnection,
    index: int,
    name: str,
    location: DataLocation,
    declared: Mapping[str, str],
) -> SourceView:
    """Make ``location`` available as view ``src_<index>``; check the declared columns."""
    view = f"src_{index}"
    files = location.files()
    try:
        if location.format == "parquet":
            paths = exp.Array(expressions=[exp.Literal.string(f) for f in files])
            _create_view(con, view, _reader("read_parquet", paths))
        elif location.format == "duckdb":
            database = f"in_{index}"
            attach = exp.Attach(
                this=exp.alias_(exp.Literal.string(files[0]), database),
                expressions=[exp.AttachOption(this=exp.var("READ_ONLY"))],
            )
            _run(con, attach)
            table = location.table or name
            tables = {
                str(row[0])
                for row in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [database]
                ).fetchall()
            }
            if table not in tables:
                known = ", ".join(sorted(tables)) or "none"
                raise DataError(f"{location.path}: no table {table!r} (tables: {known})")
            source = exp.Table(
                this=exp.to_identifier(table, quoted=True), db=exp.to_identifier(database)
            )
            _create_view(con, view, exp.select("*").from_(source))
        else:
            _attach_csv(con, view, files[0], declared)
    except duckdb.Error as exc:
        raise DataError(f"{location}: cannot be read ({_first_line(exc)})") from exc
    described = _describe(con, view)
    for column, column_type in declared.items():
        found = described.get(column)
        if found is None:
            raise DataError(
                f"source {name!r} ({location}): no column {column!r}; "
                f"the data has: {', '.join(described)}"
            )
        base_type = found.split("(")[0]
        if base_type not in _ACCEPTED[column_type]:
            raise DataError(
                f"source {name!r} ({location}): column {column!r} holds {found}, "
                f"but the schedule declares {column_type} ({_DESCRIBED[column_type]})"
            )
    return SourceView(name, view, location, {c: described[c] for c in declared})


def _attach_csv(
    con: duckdb.DuckDBPyConnection, view: str, path: str, declared: Mapping[str, str]
) -> None:
    """A typed view over a CSV read as text, after finding the first value that won't convert."""
    raw = f"{view}_text"
    reader = _reader(
        "read_csv",
        exp.Literal.string(path),
        _option("header", True),
        _option("all_varchar", True),
    )
    _create_view(con, raw, reader)
    present = set(_describe(con, raw))
    checks: list[exp.Select] = []
    for column, column_type in declared.items():
        if column in present and column_type != "string":
            value = exp.column(column, quoted=True)
            converted = exp.TryCast(this=value, to=exp.DataType.build(_SQL_TYPES[column_type]))
            checks.append(
                exp.select(
                    exp.alias_(exp.Literal.string(column), "col"),
                    exp.column("row"),
                    exp.alias_(value, "value"),
                )
                .from_("numbered")
                .where(
                    exp.and_(
                        exp.Not(this=exp.Is(this=value, expression=exp.Null())),
                        exp.Is(this=converted, expression=exp.Null()),
                    )
                )
            )
    if checks:
        # The first row (1-based, header excluded) holding a value that won't convert.
        numbered = exp.select(
            exp.alias_(exp.Window(this=exp.RowNumber()), "row"), exp.Star()
        ).from_(raw)
        union: exp.Query = checks[0]
        for check in checks[1:]:
            union = exp.union(union, check, distinct=False)
        query = exp.select("*").from_(union.subquery("bad")).order_by("row").limit(1)
        bad = _run(con, query.with_("numbered", as_=numbered))
        if bad:
            column, row, value = bad[0]
            raise DataError(
                f"{path}: row {row}, column {column!r}: {value!r} is not "
                f"{_DESCRIBED[declared[column]]}"
            )
    # A declared column missing from the file is left out here and reported by the caller.
    columns = [
        exp.alias_(
            exp.Cast(this=exp.column(c, quoted=True), to=exp.DataType.build(_SQL_TYPES[t])),
            c,
            quoted=True,
        )
        for c, t in declared.items()
        if c in present
    ]
    _create_view(con, view, exp.select(*(columns or [exp.Star()])).from_(raw))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
