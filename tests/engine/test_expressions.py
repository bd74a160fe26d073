"""The schedule expression language: parsed by hand, compiled to SQLGlot, run on DuckDB.

Every accepted expression here is compiled against a small scope and its SQL
run over an in-memory table, so the tests pin what a condition *selects*, not
only what SQL text it makes. Every rejection names its message and position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from sqlglot import exp

from accord.engine.expressions import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_HEIGHT,
    MAX_LENGTH,
    Expression,
    ExpressionError,
    Type,
)

COLUMNS: dict[str, str] = {
    "id": "integer",
    "wait": "integer",
    "handle": "float",
    "channel": "string",
    "odd name": "string",
    "flag": "boolean",
    "opened": "timestamp",
    "closed": "timestamp",
}
DAY = dt.datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - naive UTC, as a DuckDB TIMESTAMP
US = dt.timedelta(microseconds=1)

# id, wait, handle, channel, odd name, flag, opened, closed
ROWS: list[tuple[Any, ...]] = [
    (1, 10, 100.5, "voice", "it's", True, DAY, DAY + dt.timedelta(seconds=20)),
    (
        2,
        20,
        200.0,
        "chat",
        "x'); DROP TABLE t; --",
        False,
        DAY,
        DAY + dt.timedelta(seconds=20, microseconds=123457),
    ),
    (3, 30, None, "email", None, None, DAY, None),
    (4, None, 50.25, " Voice ", "b", True, DAY, DAY + dt.timedelta(hours=4)),
    (5, 25, 0.0, None, "a", False, DAY + dt.timedelta(seconds=1), DAY - 999_999 * US),
]


class Scope:
    """A scope over the test table: declared columns, an optional business day.

    Business seconds are a stand-in (half the elapsed seconds), enough to see
    that the compiler puts the scope's SQL where business_seconds() is called.
    """

    def __init__(
        self, columns: Mapping[str, str] = COLUMNS, day_seconds: float | None = 28800.0
    ) -> None:
        self.columns = dict(columns)
        self.day_seconds = day_seconds
        self.business_calls: list[tuple[exp.Expr, exp.Expr]] = []

    def column_type(self, name: str) -> str | None:
        return self.columns.get(name)

    def column(self, name: str) -> exp.Expr:
        return exp.column(name, quoted=True)

    def business_seconds(self, start: exp.Expr, end: exp.Expr) -> exp.Expr:
        if self.day_seconds is None:
            raise ExpressionError("no calendar here")
        self.business_calls.append((start, end))
        return exp.Div(
            this=exp.Cast(
                this=exp.Anonymous(
                    this="date_diff", expressions=[exp.Literal.string("microsecond"), start, end]
                ),
                to=exp.DataType.build("double"),
            ),
            expression=exp.Literal.number(2_000_000),
        )

    def business_day_seconds(self) -> float:
        if self.day_seconds is None:
            raise ExpressionError("no calendar here")
        return self.day_seconds


SCOPE = Scope()


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    names = list(COLUMNS)
    columns = list(zip(*ROWS, strict=True))
    types = [
        pa.int64(),
        pa.int64(),
        pa.float64(),
        pa.string(),
        pa.string(),
        pa.bool_(),
        pa.timestamp("us"),
        pa.timestamp("us"),
    ]
    table = pa.table(
        {
            name: pa.array(values, type=kind)
            for name, values, kind in zip(names, columns, types, strict=True)
        }
    )
    connection.register("rows_arrow", table)
    connection.execute("CREATE TABLE t AS SELECT * FROM rows_arrow")
    connection.unregister("rows_arrow")
    yield connection
    connection.close()


def sql(text: str, scope: Scope = SCOPE) -> str:
    compiled, _ = Expression.parse(text).compile(scope)
    return compiled.sql(dialect="duckdb")


def ids(con: duckdb.DuckDBPyConnection, condition: str, scope: Scope = SCOPE) -> list[int]:
    """The ids of the rows where ``condition`` is true."""
    compiled = Expression.parse(condition).compile_condition(scope)
    # Generated SQL is what the engine runs; that it is safe is what these tests show.
    query = f"SELECT id FROM t WHERE {compiled.sql(dialect='duckdb')} ORDER BY id"  # noqa: S608
    return [row[0] for row in con.execute(query).fetchall()]


def values(con: duckdb.DuckDBPyConnection, text: str, scope: Scope = SCOPE) -> list[Any]:
    """The value of ``text`` on each row, by id."""
    query = f"SELECT {sql(text, scope)} FROM t ORDER BY id"  # noqa: S608
    return [row[0] for row in con.execute(query).fetchall()]


def scalar(text: str, scope: Scope = SCOPE) -> Any:
    """The value of an expression that names no column."""
    with duckdb.connect() as connection:
        return connection.execute(f"SELECT {sql(text, scope)}").fetchall()[0][0]


def rejected(text: str, scope: Scope = SCOPE) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        Expression.parse(text).compile(scope)
    return caught.value


# --------------------------------------------------------------------------- precedence


def test_and_binds_tighter_than_or(con: duckdb.DuckDBPyConnection) -> None:
    # chat, plus voice rows waiting over 5
    assert ids(con, "channel = 'chat' OR channel = 'voice' AND wait > 5") == [1, 2]
    assert ids(con, "(channel = 'chat' OR channel = 'voice') AND wait > 15") == [2]
    assert ids(con, "channel = 'chat' OR channel = 'voice' AND wait > 15") == [2]
    assert ids(con, "wait > 15 AND flag OR id = 1") == [1]


def test_not_binds_looser_than_comparison_and_tighter_than_and(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert ids(con, "NOT wait > 15 AND flag") == [1]
    assert ids(con, "NOT (wait > 15 AND flag)") == [1, 2, 5]  # 3 and 4: unknown
    assert ids(con, "NOT NOT flag") == [1, 4]
    assert ids(con, "NOT flag OR id = 1") == [1, 2, 5]


def test_keywords_are_case_insensitive_and_operators_have_spellings(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert ids(con, "wait > 15 and Not flag oR id = 1") == [1, 2, 5]
    assert ids(con, "wait == 20") == [2]
    assert ids(con, "wait <> 20") == [1, 3, 5]
    assert ids(con, "wait != 20") == [1, 3, 5]
    assert ids(con, "wait >= 25") == [3, 5]
    assert ids(con, "wait < 20") == [1]
    assert ids(con, "wait <= 20") == [1, 2]
    assert ids(con, "flag = TRUE") == [1, 4]
    assert ids(con, "flag != true") == [2, 5]
    assert ids(con, "flag") == [1, 4]


def test_arithmetic_precedence_and_associativity(con: duckdb.DuckDBPyConnection) -> None:
    assert values(con, "wait + 2 * 3") == [16, 26, 36, None, 31]
    assert values(con, "(wait + 2) * 3") == [36, 66, 96, None, 81]
    assert values(con, "wait - 10 - 5") == [-5, 5, 15, None, 10]
    assert values(con, "-wait + 1") == [-9, -19, -29, None, -24]
    assert values(con, "- -wait") == [10, 20, 30, None, 25]
    assert values(con, "+wait") == [10, 20, 30, None, 25]
    assert values(con, "2 * 3 % 4") == [2] * 5  # left to right: (2 * 3) % 4
    assert values(con, "wait > 2 + 3 * 5") == [False, True, True, None, True]


def test_division_is_true_division_and_by_zero_is_null(con: duckdb.DuckDBPyConnection) -> None:
    assert values(con, "wait / 4") == [2.5, 5.0, 7.5, None, 6.25]
    assert values(con, "wait % 7") == [3, 6, 2, None, 4]
    assert values(con, "wait / 0") == [None] * 5
    assert values(con, "wait / (wait - wait)") == [None] * 5
    assert values(con, "wait % (wait - wait)") == [None] * 5
    assert values(con, "handle / handle") == [1.0, 1.0, None, 1.0, None]
    assert "NULLIF" not in sql("wait % 7")  # a non-zero literal divisor needs no guard


# --------------------------------------------------------------------------- predicates


def test_in_and_not_in(con: duckdb.DuckDBPyConnection) -> None:
    assert ids(con, "channel IN ('voice', 'chat')") == [1, 2]
    assert ids(con, "channel NOT IN ('voice', 'chat')") == [3, 4]  # null channel: unknown
    assert ids(con, "wait IN (10, 30, -1)") == [1, 3]
    assert ids(con, "wait NOT IN (10)") == [2, 3, 5]
    assert ids(con, "wait * 2 IN (20s, 40)") == [1, 2]
    assert ids(con, "NOT channel IN ('voice')") == [2, 3, 4]


def test_is_null_and_is_not_null(con: duckdb.DuckDBPyConnection) -> None:
    assert ids(con, "wait IS NULL") == [4]
    assert ids(con, "closed IS NULL") == [3]
    assert ids(con, "channel is not null") == [1, 2, 3, 4]
    assert ids(con, "wait + handle IS NULL") == [3, 4]
    assert ids(con, "flag IS NULL OR flag") == [1, 3, 4]


def test_between_is_inclusive(con: duckdb.DuckDBPyConnection) -> None:
    assert ids(con, "wait BETWEEN 20 AND 30") == [2, 3, 5]
    assert ids(con, "wait NOT BETWEEN 20 AND 25") == [1, 3]
    assert ids(con, "wait BETWEEN 10 AND 20 AND flag") == [1]
    assert ids(con, "handle BETWEEN 0 AND 100.5 OR id = 3") == [1, 3, 4, 5]
    assert ids(con, "channel BETWEEN 'a' AND 'd'") == [2]


def test_string_literals_with_embedded_quotes(con: duckdb.DuckDBPyConnection) -> None:
    assert ids(con, "\"odd name\" = 'it''s'") == [1]
    assert values(con, "'it''s'")[0] == "it's"
    assert scalar("''") == ""
    assert scalar("'a \"quoted\" word'") == 'a "quoted" word'


def test_quoted_column_names(con: duckdb.DuckDBPyConnection) -> None:
    assert ids(con, "\"odd name\" IN ('a', 'b')") == [4, 5]
    assert ids(con, '"wait" = 10') == [1]  # quoting an ordinary name is allowed
    assert Expression.parse("\"odd name\" = 'a'").columns() == {"odd name"}


def test_a_column_name_holding_quotes_and_sql_is_an_identifier() -> None:
    name = 'say "hi"; DROP TABLE x'
    scope = Scope({name: "integer"})
    connection = duckdb.connect()
    connection.execute('CREATE TABLE x ("say ""hi""; DROP TABLE x" INTEGER)')
    connection.execute("INSERT INTO x VALUES (1), (2)")
    condition = Expression.parse('"say ""hi""; DROP TABLE x" = 2').compile_condition(scope)
    rows = connection.execute(f"SELECT * FROM x WHERE {condition.sql(dialect='duckdb')}")  # noqa: S608
    assert rows.fetchall() == [(2,)]
    assert connection.execute("SELECT count(*) FROM x").fetchall() == [(2,)]


def test_a_string_holding_sql_reaches_duckdb_as_a_literal(
    con: duckdb.DuckDBPyConnection,
) -> None:
    text = "\"odd name\" = 'x''); DROP TABLE t; --'"
    generated = sql(text)
    assert generated == "\"odd name\" = 'x''); DROP TABLE t; --'"
    assert ids(con, text) == [2]
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(len(ROWS),)]


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "seconds", "time"),
    [
        ("20s", 20, "elapsed"),
        ("20 sec", 20, "elapsed"),
        ("1 second", 1, "elapsed"),
        ("4h", 14400, "elapsed"),
        ("4 HOURS", 14400, "elapsed"),
        ("1.5 hours", 5400, "elapsed"),
        ("90 minutes", 5400, "elapsed"),
        ("5m", 300, "elapsed"),
        ("2 days", 172800, "elapsed"),
        ("1d", 86400, "elapsed"),
        ("1 week", 604800, "elapsed"),
        ("4 business hours", 14400, "business"),
        ("30 business minutes", 1800, "business"),
        ("2 business days", 2 * 28800, "business"),
        ("0.5 business days", 14400, "business"),
        ("1 business week", 5 * 28800, "business"),
        ("1e2s", 100, "elapsed"),
    ],
)
def test_durations_are_seconds(text: str, seconds: float, time: str) -> None:
    _, kind = Expression.parse(text).compile(SCOPE)
    assert kind == Type("number", time)  # type: ignore[arg-type]
    assert str(kind) == f"{time} time"
    assert float(scalar(text)) == seconds


def test_business_days_use_the_scopes_business_day() -> None:
    assert float(scalar("2 business days", Scope(day_seconds=30600.0))) == 61200
    assert float(scalar("2 business days", Scope(day_seconds=86400.0))) == 172800
    assert float(scalar("4 business hours", Scope(day_seconds=30600.0))) == 14400


def test_durations_compare_and_combine(con: duckdb.DuckDBPyConnection) -> None:
    assert ids(con, "wait <= 20s") == [1, 2]
    assert ids(con, "wait < 1m - 35s") == [1, 2]
    assert values(con, "2 * 1h") == [7200] * 5
    assert Expression.parse("1h + 30 minutes").compile(SCOPE)[1] == Type("number", "elapsed")
    assert Expression.parse("4h * 2").compile(SCOPE)[1] == Type("number", "elapsed")
    assert Expression.parse("4h / 2").compile(SCOPE)[1] == Type("number", "elapsed")
    assert Expression.parse("4h / 2h").compile(SCOPE)[1] == Type("number")  # a ratio
    assert Expression.parse("-4h").compile(SCOPE)[1] == Type("number", "elapsed")
    business = Expression.parse("2 business days + 1 business hours").compile(SCOPE)[1]
    assert business == Type("number", "business")


# --------------------------------------------------------------------------- functions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("coalesce(wait, 0)", [10, 20, 30, 0, 25]),
        ("coalesce(null, wait, -1)", [10, 20, 30, -1, 25]),
        ("abs(10 - wait)", [0, 10, 20, None, 15]),
        ("round(handle)", [101.0, 200.0, None, 50.0, 0.0]),  # half away from zero
        ("round(handle, 1)", [100.5, 200.0, None, 50.3, 0.0]),
        ("round(wait, -1)", [10, 20, 30, None, 30]),
        ("least(wait, 15)", [10, 15, 15, None, 15]),
        ("greatest(wait, 15, 22)", [22, 22, 30, None, 25]),
        ("lower(channel)", ["voice", "chat", "email", " voice ", None]),
        ("upper(channel)", ["VOICE", "CHAT", "EMAIL", " VOICE ", None]),
        ("trim(channel)", ["voice", "chat", "email", "Voice", None]),
        ("coalesce(trim(lower(channel)), 'none')", ["voice", "chat", "email", "voice", "none"]),
    ],
)
def test_functions(con: duckdb.DuckDBPyConnection, text: str, expected: list[Any]) -> None:
    assert values(con, text) == expected


def test_function_names_are_case_insensitive(con: duckdb.DuckDBPyConnection) -> None:
    assert values(con, "COALESCE(wait, 0)") == [10, 20, 30, 0, 25]


def test_the_function_list() -> None:
    assert set(FUNCTIONS) == {
        "abs",
        "business_seconds",
        "coalesce",
        "elapsed_seconds",
        "greatest",
        "least",
        "lower",
        "round",
        "trim",
        "upper",
    }


def test_elapsed_seconds_is_exact_to_the_microsecond(con: duckdb.DuckDBPyConnection) -> None:
    assert values(con, "elapsed_seconds(opened, closed)") == [
        20.0,
        20.123457,
        None,
        14400.0,
        -1.999999,
    ]
    assert values(con, "elapsed_seconds(closed, opened)") == [
        -20.0,
        -20.123457,
        None,
        -14400.0,
        1.999999,
    ]
    assert values(con, "elapsed_seconds(null, closed)") == [None] * 5
    assert ids(con, "elapsed_seconds(opened, closed) <= 20s") == [1, 5]
    assert ids(con, "elapsed_seconds(opened, closed) > 20s") == [2, 4]
    _, kind = Expression.parse("elapsed_seconds(opened, closed)").compile(SCOPE)
    assert kind == Type("number", "elapsed")


def test_elapsed_seconds_generates_for_other_engines() -> None:
    compiled, _ = Expression.parse("elapsed_seconds(opened, closed)").compile(SCOPE)
    assert "UNIX_MICROS(`closed`)" in compiled.sql(dialect="spark")


def test_business_seconds_is_the_scopes_sql(con: duckdb.DuckDBPyConnection) -> None:
    scope = Scope()
    assert values(con, "business_seconds(opened, closed)", scope) == [
        10.0,
        10.0617285,
        None,
        7200.0,
        -0.9999995,
    ]
    assert len(scope.business_calls) == 1
    _, kind = Expression.parse("business_seconds(opened, closed)").compile(scope)
    assert kind == Type("number", "business")
    assert ids(con, "business_seconds(opened, closed) <= 1 business hours", scope) == [1, 2, 5]


def test_a_function_result_measures_time_when_an_argument_does() -> None:
    for text in ("coalesce(wait, 20s)", "coalesce(20s, wait)", "least(wait, 4h)", "abs(-4h)"):
        assert Expression.parse(text).compile(SCOPE)[1] == Type("number", "elapsed"), text
    assert Expression.parse("round(2 business days, 1)").compile(SCOPE)[1] == Type(
        "number", "business"
    )


# --------------------------------------------------------------------------- nulls


def test_three_valued_logic(con: duckdb.DuckDBPyConnection) -> None:
    # Row 4 has no wait, row 3 no flag.
    assert values(con, "wait > 15") == [False, True, True, None, True]
    assert values(con, "wait > 15 OR flag") == [True, True, True, True, True]
    assert values(con, "wait > 15 AND flag") == [False, False, None, None, False]
    assert values(con, "NOT (wait > 15)") == [True, False, False, None, False]
    assert values(con, "wait > 15 AND false") == [False] * 5
    assert values(con, "flag OR null") == [True, None, None, True, None]
    # A row where the condition is unknown is selected neither by it nor by its negation.
    assert ids(con, "wait > 15") == [2, 3, 5]
    assert ids(con, "NOT wait > 15") == [1]
    assert ids(con, "wait IN (10, 20)") == [1, 2]
    assert ids(con, "wait NOT IN (10, 20)") == [3, 5]


def test_null_literal() -> None:
    compiled, kind = Expression.parse("null").compile(SCOPE)
    assert kind == Type("null")
    assert scalar("null") is None
    assert Expression.parse("null").compile_condition(SCOPE).sql() == "NULL"
    assert Expression.parse("null").compile_number(SCOPE)[1] == Type("null")


# --------------------------------------------------------------------------- the API


def test_parse_keeps_the_text_and_columns_lists_every_name() -> None:
    text = "coalesce(wait, 0) > 20s AND channel IN ('a') OR \"odd name\" IS NULL"
    parsed = Expression.parse(text)
    assert parsed.text == text
    assert parsed.columns() == {"wait", "channel", "odd name"}
    assert Expression.parse("elapsed_seconds(opened, closed) BETWEEN 1 AND id").columns() == {
        "opened",
        "closed",
        "id",
    }
    assert Expression.parse("1 + 2").columns() == set()


def test_parsing_needs_no_scope() -> None:
    # Unknown columns are a compile-time matter: parse only checks the grammar.
    assert Expression.parse("anything > 1").columns() == {"anything"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wait", Type("number")),
        ("handle * 2", Type("number")),
        ("channel", Type("string")),
        ("flag", Type("boolean")),
        ("opened", Type("timestamp")),
        ("wait > 1", Type("boolean")),
        ("lower(channel)", Type("string")),
        ("20s", Type("number", "elapsed")),
        ("null", Type("null")),
    ],
)
def test_compile_reports_the_type(text: str, expected: Type) -> None:
    assert Expression.parse(text).compile(SCOPE)[1] == expected


def test_compile_condition_and_compile_number() -> None:
    assert Expression.parse("wait > 1").compile_condition(SCOPE).sql() == '"wait" > 1'
    compiled, kind = Expression.parse("wait * 2").compile_number(SCOPE)
    assert compiled.sql() == '("wait" * 2)'
    assert kind == Type("number")
    with pytest.raises(ExpressionError) as caught:
        Expression.parse("wait * 2").compile_condition(SCOPE)
    assert (caught.value.message, caught.value.position) == (
        "expected a condition (true/false), not number",
        0,
    )
    with pytest.raises(ExpressionError) as caught:
        Expression.parse("channel").compile_number(SCOPE)
    assert (caught.value.message, caught.value.position) == ("expected a number, not text", 0)
    with pytest.raises(ExpressionError) as caught:
        Expression.parse("4h").compile_condition(SCOPE)
    assert caught.value.message == "expected a condition (true/false), not elapsed time"


def test_the_error_names_the_character_counting_from_one() -> None:
    error = rejected("wait = nope")
    assert error.message == "unknown column 'nope'"
    assert error.position == 7
    assert str(error) == "unknown column 'nope' (at character 8)"
    assert isinstance(error, ValueError)
    assert str(ExpressionError("no place")) == "no place"


# --------------------------------------------------------------------------- rejections

KNOWN = (
    "abs, business_seconds, coalesce, elapsed_seconds, greatest, least, lower, round, trim, upper"
)
HINT = " (use elapsed_seconds(start, end) or business_seconds(start, end))"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        # names
        ("nope = 1", "unknown column 'nope'", 0),
        ("wait > 1 AND Channel = 'a'", "unknown column 'Channel'", 13),
        ('"odd  name" = 1', "unknown column 'odd  name'", 0),
        ("read_csv('x')", f"unknown function 'read_csv' (known: {KNOWN})", 0),
        ("wait > sleep(10)", f"unknown function 'sleep' (known: {KNOWN})", 7),
        # SQL that is not the language
        ("1; DROP TABLE t", "unexpected character ';'", 1),
        ("wait = 1; DROP TABLE t", "unexpected character ';'", 8),
        ("wait = 1 -- comment", "comments ('--') are not allowed", 9),
        ("wait > 1 --", "comments ('--') are not allowed", 9),
        ("wait = 1 /* comment */", "expected a value, found '*'", 10),
        ("'a' || 'b'", "unexpected character '|'", 4),
        ("(SELECT 1)", "expected ')', found '1'", 8),
        ("wait IN (SELECT wait FROM t)", "expected ',' or ')' in the IN list, found 'wait'", 16),
        ("channel LIKE '%a'", "expected an operator or the end, found 'LIKE'", 8),
        ("channel NOT LIKE '%a'", "expected IN or BETWEEN after NOT, found 'LIKE'", 12),
        ("wait = `id`", "unexpected character '`'", 7),
        ("wait = 1 wait", "expected an operator or the end, found 'wait'", 9),
        ("wait = 1 = 2", "expected an operator or the end, found '='", 9),
        ("t.wait = 1", "unexpected character '.'", 1),
        ("wait = ?", "unexpected character '?'", 7),
        ("wait = $1", "unexpected character '$'", 7),
        ("wait[1]", "unexpected character '['", 4),
        ("channel = e'a'", "expected an operator or the end, found \"'a'\"", 11),
        # types
        ("channel = 1", "cannot compare text with number", 8),
        ("wait < 'ten'", "cannot compare number with text", 5),
        ("opened > 1", "cannot compare timestamp with number", 7),
        ("opened > '2026-01-01'", "cannot compare timestamp with text", 7),
        ("wait AND flag", "AND joins conditions, not number", 0),
        ("flag OR 1 + 1", "OR joins conditions, not number", 10),  # at the operator
        ("NOT wait", "NOT needs a condition, not number", 4),
        ("-channel", "'-' needs a number, not text", 1),
        ("flag < true", "true/false can only be compared with = or !=", 5),
        ("wait + channel", "'+' needs numbers, not text", 7),
        ("4h > 2 business hours", "cannot compare elapsed time with business time", 3),
        ("4h + 2 business hours", "cannot combine elapsed time with business time", 3),
        ("4h * 2 business hours", "cannot combine elapsed time with business time", 3),
        ("4h IN (2 business hours)", "cannot compare elapsed time with business time", 7),
        (
            "wait BETWEEN 1h AND 1 business hours",
            "cannot compare elapsed time with business time",
            20,
        ),
        (
            "elapsed_seconds(opened, closed) < 4 business hours",
            "cannot compare elapsed time with business time",
            32,
        ),
        ("closed - opened", f"'-' needs numbers, not timestamp{HINT}", 0),
        ("opened + 1h", f"'+' needs numbers, not timestamp{HINT}", 0),
        ("2 * closed", f"'*' needs numbers, not timestamp{HINT}", 4),
        ("wait BETWEEN 'a' AND 3", "cannot compare number with text", 13),
        ("coalesce(wait, channel)", "coalesce() mixes number and text", 15),
        ("least(4h, 1 business hours)", "least() mixes elapsed time and business time", 10),
        # nulls
        ("wait = null", "a comparison with null is never true: use IS NULL or IS NOT NULL", 7),
        ("null != channel", "a comparison with null is never true: use IS NULL or IS NOT NULL", 0),
        ("wait IN (1, null)", "use IS NULL, not IN (null)", 12),
        ("wait IS 1", "expected NULL after IS, found '1'", 8),
        ("wait IS NOT", "expected NULL after IS, found the end", 11),
        # IN lists hold values
        ("wait IN (id)", "IN lists hold literal values", 9),
        ("wait IN (-id)", "IN lists hold literal values", 9),
        ("wait IN (1 + 1)", "IN lists hold literal values", 11),
        ("wait IN ()", "expected a value, found ')'", 9),
        ("wait IN 1", "expected '(' after IN, found '1'", 8),
        ("wait IN (1, 2", "expected ',' or ')' in the IN list, found the end", 13),
        ("channel IN (1)", "cannot compare text with number", 12),
        # functions
        ("abs(channel)", "abs() needs a number, not text", 4),
        ("lower(wait)", "lower() needs text, not number", 6),
        ("round(handle, wait)", "round() takes a literal whole number of decimals", 14),
        ("round(handle, 1.5)", "round() takes a literal whole number of decimals", 14),
        ("round(handle, 'x')", "round() takes a literal whole number of decimals", 14),
        ("round(1, 2, 3)", "round() takes 1-2 arguments", 0),
        ("abs()", "abs() takes 1 arguments", 0),
        ("coalesce(1)", "coalesce() takes 2+ arguments", 0),
        ("elapsed_seconds(opened)", "elapsed_seconds() takes 2 arguments", 0),
        ("elapsed_seconds(wait, closed)", "elapsed_seconds() needs two timestamps, not number", 16),
        ("business_seconds(opened, 'x')", "business_seconds() needs two timestamps, not text", 25),
        ("abs(1,", "expected a value, found the end", 6),
        ("abs(1 2)", "expected ',' or ')' after the arguments, found '2'", 6),
        # durations and numbers
        ("4 business", "expected a unit after 'business' (hours, days...), found the end", 10),
        (
            "4 business years",
            "expected a unit after 'business' (hours, days...), found 'years'",
            11,
        ),
        ("business", "expected a value, found 'business'", 0),
        ("1e999", "the number is too large", 0),
        ("wait < 1e305 weeks", "the duration is too long", 7),
        # text
        ("channel = 'abc", "unterminated quote", 10),
        ("'abc", "unterminated quote", 0),
        ("'it''s", "unterminated quote", 4),  # 'it' then 's
        ('"odd name = 1', "unterminated quote", 0),
        ('"" = 1', "a quoted column name cannot be empty", 0),
        ("", "the expression is empty", 0),
        ("   \n\t", "the expression is empty", 0),
        ("wait >", "expected a value, found the end", 6),
        ("(wait > 1", "expected ')', found the end", 9),
        ("wait > 1)", "expected an operator or the end, found ')'", 8),
        ("AND", "expected a value, found 'AND'", 0),
        ("wait BETWEEN 1 OR 2", "expected AND in BETWEEN, found 'OR'", 15),
        ("wait ! 1", "unexpected character '!'", 5),
        ("wait ≥ 1", "unexpected character '≥'", 5),
    ],
)
def test_rejections_name_their_message_and_position(text: str, message: str, position: int) -> None:
    error = rejected(text)
    assert (error.message, error.position) == (message, position)


def test_over_long_input_is_rejected_before_parsing() -> None:
    with pytest.raises(ExpressionError) as caught:
        Expression.parse("wait > 1 OR " * 200 + "wait > 2")
    assert caught.value.message == f"the expression is longer than {MAX_LENGTH} characters"
    assert caught.value.position is None
    longest = "wait" + " " * (MAX_LENGTH - 8) + "> 1"
    assert len(longest) == MAX_LENGTH - 1
    assert Expression.parse(longest).columns() == {"wait"}


def test_over_nested_input_is_rejected() -> None:
    ok = "(" * MAX_DEPTH + "wait" + ")" * MAX_DEPTH
    assert Expression.parse(ok).compile(SCOPE)[1] == Type("number")
    # The position is what follows the opening that goes one level too deep.
    error = rejected("(" * (MAX_DEPTH + 1) + "wait" + ")" * (MAX_DEPTH + 1))
    assert (error.message, error.position) == (
        "the expression is nested too deeply",
        MAX_DEPTH + 1,
    )
    error = rejected("abs(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1))
    assert (error.message, error.position) == (
        "the expression is nested too deeply",
        4 * (MAX_DEPTH + 1),
    )
    error = rejected("NOT " * (MAX_DEPTH + 1) + "flag")
    assert (error.message, error.position) == (
        "the expression is nested too deeply",
        4 * (MAX_DEPTH + 1),
    )
    error = rejected("- " * (MAX_DEPTH + 1) + "1")
    assert (error.message, error.position) == (
        "the expression is nested too deeply",
        2 * (MAX_DEPTH + 1),
    )


def test_long_operator_chains_are_rejected_not_a_recursion_error(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # The longest chain allowed compiles, generates SQL and runs.
    chain = " + ".join(["wait"] * MAX_HEIGHT)
    assert values(con, chain) == [10 * MAX_HEIGHT, 20 * MAX_HEIGHT, 30 * MAX_HEIGHT, None, 2500]
    alternatives = " OR ".join(f"wait = {n}" for n in range(MAX_HEIGHT - 1))
    assert ids(con, alternatives) == [1, 2, 3, 5]
    # One more operator is refused, at the operator that goes over.
    message = (
        f"the expression has too many operators in a row (at most {MAX_HEIGHT}; "
        "use IN (...) for a list of values)"
    )
    error = rejected("1+" * MAX_HEIGHT + "1")
    assert (error.message, error.position) == (message, 2 * MAX_HEIGHT - 1)
    error = rejected("1+" * 999 + "1")  # would exhaust the stack of SQL generators
    assert (error.message, error.position) == (message, 2 * MAX_HEIGHT - 1)
    error = rejected(" AND ".join(["flag"] * 200))
    assert error.message == message


def test_business_time_needs_a_calendar() -> None:
    no_calendar = Scope(day_seconds=None)
    for text, position in (
        ("wait < 2 business days", 7),
        ("wait < 4 business hours", 7),
        ("business_seconds(opened, closed) > 0", 0),
        ("wait > 1 AND business_seconds(opened, closed) > 0", 13),
    ):
        error = rejected(text, no_calendar)
        assert (error.message, error.position) == ("no calendar here", position), text
    # Elapsed time needs none.
    assert Expression.parse("wait < 2 days").compile(no_calendar)[1] == Type("boolean")


def test_a_scope_error_with_its_own_position_keeps_it() -> None:
    class Placed(Scope):
        def business_day_seconds(self) -> float:
            raise ExpressionError("placed", 99)

    error = rejected("wait < 2 business days", Placed())
    assert (error.message, error.position) == ("placed", 99)


def test_large_integers_are_exact() -> None:
    assert scalar("12345678901234567891") == 12345678901234567891
    assert scalar("2.5e3") == 2500.0
