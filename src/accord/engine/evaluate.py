"""Evaluating a contract schedule on operational data: one pass per source, on DuckDB.

For each data source the engine builds one query, as SQLGlot expression
objects (never SQL text glued together), that reads the source once and
computes every service level of every period:

* ``d``: the source's rows inside the evaluated range, with the columns the
  levels use and, per period kind in use, the index of the period holding the
  row (a binary search on the UTC boundaries computed with the pinned tz
  database, so DuckDB never converts time zones);
* grouped by ``GROUPING SETS``: (period) for each level as a whole, and
  (period, breakdown columns) for each breakdown;
* each level's numerator, denominator and volume as aggregates with a
  ``FILTER`` clause (the level's filter and measure conditions);
* business time through an equality join with the calendar's look-up table
  (:meth:`BusinessCalendar.business_time_table`) and integer arithmetic, the
  same exact method as the vectorised ``business_seconds``.

Only when a level uses business time is there a short scan first, for the
earliest and latest instants the table must cover.

The same query objects can be generated for another SQL engine SQLGlot targets
(Spark, a warehouse); DuckDB is the engine this module runs them on.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from importlib.metadata import version
from typing import Any

import duckdb
from sqlglot import exp

from accord.engine.calendars import BusinessCalendar
from accord.engine.credits import CreditReport, compute_credits
from accord.engine.errors import DataError
from accord.engine.expressions import Expression, ExpressionError
from accord.engine.periods import Month, Period, period_index_sql, periods_between
from accord.engine.results import LevelResult, Status
from accord.engine.schedule import SHARE_TYPES, Schedule, ServiceLevel, Source
from accord.engine.sources import DataLocation, SourceView, attach_source
from accord.engine.tz import get_zone, tz_database_version

__all__ = ["Evaluation", "engine_versions", "evaluate", "prepare_query"]

_NS_PER_US = 1000


# --------------------------------------------------------------------------- SQL helpers


def _num(value: int | float) -> exp.Expr:
    return exp.Literal.number(repr(value) if isinstance(value, float) else str(value))


def _and(*conditions: exp.Expr | None) -> exp.Expr:
    present = [c for c in conditions if c is not None]
    if not present:
        return exp.true()  # a fresh node: a SQLGlot node belongs to one parent
    result = present[0]
    for condition in present[1:]:
        result = exp.And(this=result, expression=condition)
    return result


def _holds(condition: exp.Expr) -> exp.Expr:
    """True only when the condition is true (null counts as false)."""
    return exp.Coalesce(this=exp.Paren(this=condition), expressions=[exp.false()])


def _filtered(aggregate: exp.Expr, condition: exp.Expr) -> exp.Expr:
    return exp.Filter(this=aggregate, expression=exp.Where(this=condition))


def _count(condition: exp.Expr) -> exp.Expr:
    return _filtered(exp.Count(this=exp.Star()), condition)


def _exact_sum(value: exp.Expr, condition: exp.Expr) -> exp.Expr:
    """SUM over fixed-point decimals (9 places): exact, so the same in any order or engine.

    A float sum depends on the order rows arrive in, which threads change; a
    figure both parties reconcile must not move between two runs.
    """
    fixed = exp.Cast(this=value, to=exp.DataType.build("decimal(38, 9)"))
    return _filtered(exp.Sum(this=fixed), condition)


def _instant_ns(value: exp.Expr) -> exp.Expr:
    """UTC nanoseconds of a timestamp (DuckDB timestamps are microsecond-exact)."""
    return exp.Mul(this=exp.UnixMicros(this=value), expression=_num(_NS_PER_US))


def _timestamp_literal(ns: int, column_type: str) -> exp.Expr:
    """An instant as a literal of the column's own type, so Parquet statistics prune."""
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=ns // _NS_PER_US)
    text = moment.replace(tzinfo=None).isoformat(sep=" ")
    if column_type == "TIMESTAMP WITH TIME ZONE":
        return exp.Cast(this=exp.Literal.string(text + "+00"), to=exp.DataType.build("timestamptz"))
    return exp.Cast(this=exp.Literal.string(text), to=exp.DataType.build("timestamp"))


# --------------------------------------------------------------------------- business time


@dataclass
class _Join:
    """One LEFT JOIN with a calendar's business-time table, for one instant expression."""

    alias: str
    calendar: str
    instant: exp.Expr  # UTC ns of the instant, over ``d``


@dataclass(frozen=True)
class _TableShape:
    origin: int
    shift: int
    slots: int


class _Scope:
    """Compiles a level's expressions over ``d``; business time becomes table joins."""

    def __init__(
        self,
        source: Source,
        calendar_name: str | None,
        calendar: BusinessCalendar | None,
        joins: dict[tuple[str, str], _Join],
    ) -> None:
        self.source = source
        self.calendar_name = calendar_name
        self.calendar = calendar
        self.joins = joins

    def column_type(self, name: str) -> str | None:
        return self.source.columns.get(name)

    def column(self, name: str) -> exp.Expr:
        return exp.column(name, table="d", quoted=True)

    def business_day_seconds(self) -> float:
        if self.calendar is None:
            raise ExpressionError("business durations need the service level's calendar")
        return float(self.calendar.business_day_seconds)

    def business_seconds(self, start: exp.Expr, end: exp.Expr) -> exp.Expr:
        if self.calendar_name is None:
            raise ExpressionError("business_seconds() needs the service level's calendar")
        until_end = self._business_ns(end)
        until_start = self._business_ns(start)
        difference = exp.Sub(this=until_end, expression=until_start)
        return exp.Paren(
            this=exp.Div(
                this=exp.Cast(this=difference, to=exp.DataType.build("double")),
                expression=_num(1_000_000_000),
            )
        )

    def _business_ns(self, instant: exp.Expr) -> exp.Expr:
        """Business ns up to ``instant``: a column of ``d``, computed once per instant."""
        assert self.calendar_name is not None
        key = (self.calendar_name, instant.sql(dialect="duckdb"))
        join = self.joins.get(key)
        if join is None:
            join = _Join(f"bt_{len(self.joins)}", self.calendar_name, _instant_ns(instant))
            self.joins[key] = join
        return exp.column(f"__{join.alias}", table="d", quoted=True)


def _business_ns_sql(join: _Join, shape: _TableShape) -> exp.Expr:
    """Business ns up to the join's instant: base + sum of clipped segment parts.

    See :class:`accord.engine.calendars.BusinessTimeTable`.
    """
    offset = exp.BitwiseAnd(
        this=exp.Paren(this=exp.Sub(this=join.instant, expression=_num(shape.origin))),
        expression=_num((1 << shape.shift) - 1),
    )
    total: exp.Expr = exp.column("base", table=join.alias)
    for k in range(shape.slots):
        # The table's columns are never null where ``base`` is not (an unmatched
        # instant nulls ``base`` and so the sum), so DuckDB's null-skipping
        # GREATEST/LEAST are right here and need no null guards.
        clipped = exp.Least(
            this=exp.Greatest(
                this=offset,
                expressions=[exp.column(f"low_{k}", table=join.alias)],
                ignore_nulls=True,
            ),
            expressions=[exp.column(f"high_{k}", table=join.alias)],
            ignore_nulls=True,
        )
        total = exp.Add(this=total, expression=clipped)
    return total


def _join_condition(join: _Join, shape: _TableShape) -> exp.Expr:
    bucket = exp.BitwiseRightShift(
        this=exp.Paren(this=exp.Sub(this=join.instant, expression=_num(shape.origin))),
        expression=_num(shape.shift),
    )
    return exp.EQ(this=exp.column("bucket", table=join.alias), expression=bucket)


# --------------------------------------------------------------------------- measures

_COUNT = "bigint"
_EXACT = "decimal(38, 9)"
_DOUBLE = "double"


@dataclass(frozen=True)
class _Part:
    """One aggregate of a level and the SQL type of its result."""

    sql: exp.Expr
    type: str


@dataclass(frozen=True)
class _Aggregates:
    """The SQL aggregates of one level and how to read its value from them.

    Additive parts (counts, exact sums) are computed once per finest group and
    added up in Python; a ``value`` part (a percentile) is holistic and is
    computed directly over the level's own grouping.
    """

    numerator: _Part | None
    denominator: _Part
    volume: _Part | None  # rows measured; None when that is the denominator
    value: _Part | None
    rule: str

    @property
    def holistic(self) -> bool:
        return self.value is not None

    def parts(self) -> dict[str, _Part]:
        found = {"num": self.numerator, "den": self.denominator, "vol": self.volume}
        found["val"] = self.value
        return {role: part for role, part in found.items() if part is not None}


def _compile(expression: Expression | None, scope: _Scope) -> exp.Expr | None:
    if expression is None:
        return None
    sql, _ = expression.compile(scope)
    return sql


def _not(condition: exp.Expr | None) -> exp.Expr | None:
    """True when the condition is false or null (so a null never hides a row)."""
    return None if condition is None else exp.Not(this=_holds(condition))


def _present(value: exp.Expr) -> exp.Expr:
    return exp.Not(this=exp.Is(this=value, expression=exp.Null()))


def _measure_aggregates(level: ServiceLevel, scope: _Scope) -> _Aggregates:
    """Numerator, denominator and volume of a level, as filtered aggregates.

    A ``FILTER`` clause counts a row only where its condition is true, so a
    null condition excludes the row; negations are guarded so that a null
    there does not exclude it too.
    """
    m = level.measure
    rows = _compile(level.filter, scope)
    where = f" (rows where {level.filter.text})" if level.filter is not None else ""

    def count(condition: exp.Expr) -> _Part:
        return _Part(_count(condition), _COUNT)

    def exact_sum(value: exp.Expr, condition: exp.Expr) -> _Part:
        return _Part(_exact_sum(value, condition), _EXACT)

    if m.type in ("share", "within"):
        counted = _and(rows, _not(_compile(m.exclude, scope)))
        excluding = f", excluding rows where {m.exclude.text}" if m.exclude is not None else ""
        if m.type == "share":
            assert m.condition is not None
            met = _and(counted, _compile(m.condition, scope))
            rule = f"% of rows{where} where {m.condition.text}{excluding}"
            return _Aggregates(count(met), count(counted), None, None, rule)
        assert m.start is not None
        assert m.end is not None
        assert m.limit is not None
        start = _compile(m.start, scope)
        end = _compile(m.end, scope)
        assert start is not None
        assert end is not None
        limit_sql, limit_type = m.limit.compile(scope)
        if limit_type.time == "business":
            duration = scope.business_seconds(start, end)
            clock = "business time"
        else:
            micros = exp.Sub(this=exp.UnixMicros(this=end), expression=exp.UnixMicros(this=start))
            duration = exp.Paren(
                this=exp.Div(
                    this=exp.Cast(this=micros, to=exp.DataType.build("double")),
                    expression=_num(1_000_000),
                )
            )
            clock = "elapsed time"
        counted = _and(counted, _present(start))
        if m.unresolved == "excluded":
            counted = _and(counted, _present(end))
        met = _and(counted, _present(end), exp.LTE(this=duration, expression=limit_sql))
        unresolved = (
            "rows without an end count as missed"
            if m.unresolved == "missed"
            else "rows without an end are not counted"
        )
        rule = (
            f"% of rows{where} whose {clock} from {m.start.text} to {m.end.text} is at most "
            f"{m.limit.text}{excluding}; {unresolved}"
        )
        return _Aggregates(count(met), count(counted), None, None, rule)
    if m.type == "top_box":
        assert m.expression is not None
        answer = _compile(m.expression, scope)
        assert answer is not None
        answered = _and(rows, _present(answer))
        # Literals only, whatever the schedule says.
        items = [exp.Literal.string(v) if isinstance(v, str) else _num(v) for v in m.top]
        top = _and(answered, exp.In(this=answer, expressions=items))
        shown = ", ".join(str(v) for v in m.top)
        rule = f"% of answered rows{where} whose {m.expression.text} is one of {shown}"
        return _Aggregates(count(top), count(answered), None, None, rule)
    if m.type == "count":
        every = _and(rows)
        met = _and(rows, _compile(m.condition, scope))
        what = f" where {m.condition.text}" if m.condition is not None else ""
        return _Aggregates(count(met), count(every), None, None, f"rows{where}{what}")
    if m.type == "ratio":
        assert m.numerator is not None
        assert m.denominator is not None
        top_sql = _compile(m.numerator, scope)
        bottom_sql = _compile(m.denominator, scope)
        assert top_sql is not None
        assert bottom_sql is not None
        both = _and(rows, _present(top_sql), _present(bottom_sql))
        rule = f"sum of {m.numerator.text} ÷ sum of {m.denominator.text}, over rows{where}"
        return _Aggregates(
            exact_sum(top_sql, both), exact_sum(bottom_sql, both), count(both), None, rule
        )
    assert m.expression is not None
    value_sql = _compile(m.expression, scope)
    assert value_sql is not None
    present = _and(rows, _present(value_sql))
    if m.type in ("mean", "sum"):
        rule = f"{m.type} of {m.expression.text} over rows{where}"
        return _Aggregates(exact_sum(value_sql, present), count(present), None, None, rule)
    assert m.type == "percentile"
    assert m.percentile is not None
    quantile = exp.PercentileCont(this=value_sql, expression=_num(m.percentile / 100))
    rule = f"{m.percentile:g}th percentile (interpolated) of {m.expression.text} over rows{where}"
    return _Aggregates(
        None, count(present), None, _Part(_filtered(quantile, present), _DOUBLE), rule
    )


# --------------------------------------------------------------------------- the query


@dataclass
class _SourcePlan:
    """Everything needed to evaluate the levels of one source."""

    source: Source
    view: SourceView
    levels: list[ServiceLevel]
    periods: dict[str, list[Period]]  # period kind -> periods
    breakdown_columns: list[str] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int]:
        """UTC ns from the start of the first period to the end of the last, of any kind."""
        first = min(p.start for periods in self.periods.values() for p in periods)
        last = max(p.end for periods in self.periods.values() for p in periods)
        return first, last

    @property
    def grain(self) -> list[str]:
        """The finest grouping: every period kind in use and every breakdown column."""
        return [_period_column(kind) for kind in self.periods] + self.breakdown_columns

    def grouping(self, level: ServiceLevel, *, breakdown: bool) -> tuple[str, ...]:
        return (_period_column(level.period), *(level.breakdown if breakdown else ()))


def _period_column(kind: str) -> str:
    return f"__period_{kind}"


def _base_relation(plan: _SourcePlan) -> exp.Select:
    """``d``: the rows in range, the used columns and each row's period index per kind."""
    used: set[str] = set().union(*(level.columns() for level in plan.levels))
    time_column = plan.source.time_column
    instant = exp.column(time_column, quoted=True)
    projections: list[exp.Expr] = [exp.column(c, quoted=True) for c in sorted(used)]
    for kind, periods in plan.periods.items():
        index = exp.Cast(
            this=period_index_sql(_instant_ns(instant), periods), to=exp.DataType.build("bigint")
        )
        projections.append(exp.alias_(index, _period_column(kind)))
    first, last = plan.span
    column_type = plan.view.column_types[time_column]
    in_range = _and(
        exp.GTE(this=instant, expression=_timestamp_literal(first, column_type)),
        exp.LT(this=instant, expression=_timestamp_literal(last, column_type)),
    )
    return exp.select(*projections).from_(plan.view.view).where(in_range)


@dataclass
class _Query:
    """A source's query and where each level's parts land in its result rows.

    Branch 0 groups by the finest grain and holds every additive part; each
    further branch groups by one grouping that holistic parts need. ``columns``
    maps (level index, role, branch) to the result column holding that part.
    """

    sql: exp.Query
    aggregates: list[_Aggregates]
    columns: dict[tuple[int, str, int], str]
    branches: dict[tuple[str, ...], int]  # holistic grouping -> branch number
    joins: dict[tuple[str, str], _Join]


def _null(sql_type: str) -> exp.Expr:
    return exp.Cast(this=exp.Null(), to=exp.DataType.build(sql_type, dialect="duckdb"))


def _build_query(
    plan: _SourcePlan, schedule: Schedule, shapes: Mapping[str, _TableShape]
) -> _Query:
    joins: dict[tuple[str, str], _Join] = {}
    aggregates: list[_Aggregates] = []
    for level in plan.levels:
        calendar = schedule.calendars.get(level.calendar) if level.calendar else None
        scope = _Scope(plan.source, level.calendar, calendar, joins)
        aggregates.append(_measure_aggregates(level, scope))

    # Every distinct aggregate once, in the branch that computes it.
    branch_of_grouping: dict[tuple[str, ...], int] = {}
    outputs: list[tuple[str, _Part, int]] = []  # (alias, part, branch)
    seen: dict[tuple[str, int], str] = {}
    columns: dict[tuple[int, str, int], str] = {}
    for i, (level, parts) in enumerate(zip(plan.levels, aggregates, strict=True)):
        groupings = [plan.grouping(level, breakdown=False)]
        if level.breakdown:
            groupings.append(plan.grouping(level, breakdown=True))
        branches = [0]
        if parts.holistic:
            branches = []
            for grouping in groupings:
                if grouping not in branch_of_grouping:
                    branch_of_grouping[grouping] = len(branch_of_grouping) + 1
                branches.append(branch_of_grouping[grouping])
        for branch in branches:
            for role, part in parts.parts().items():
                key = (part.sql.sql(dialect="duckdb"), branch)
                if key not in seen:
                    seen[key] = f"a{len(outputs)}"
                    outputs.append((seen[key], part, branch))
                columns[(i, role, branch)] = seen[key]

    grain = plan.grain
    grain_types = {_period_column(kind): "bigint" for kind in plan.periods}
    for column in plan.breakdown_columns:
        grain_types[column] = plan.view.column_types[column]

    def branch_select(branch: int, grouping: Sequence[str]) -> exp.Select:
        projections: list[exp.Expr] = [exp.alias_(_num(branch), "__branch")]
        for column in grain:
            grouped = exp.column(column, table="d", quoted=True)
            projections.append(
                exp.alias_(grouped if column in grouping else _null(grain_types[column]), column)
            )
        rows = exp.Count(this=exp.Star()) if branch == 0 else _null(_COUNT)
        projections.append(exp.alias_(rows, "__rows"))
        for alias, part, part_branch in outputs:
            value = part.sql if part_branch == branch else _null(part.type)
            projections.append(exp.alias_(value, alias))
        select = exp.select(*projections).from_(exp.table_("d"))
        return select.group_by(*(exp.column(c, table="d", quoted=True) for c in grouping))

    query: exp.Query = branch_select(0, grain)
    for grouping, branch in branch_of_grouping.items():
        query = exp.union(query, branch_select(branch, grouping), distinct=False)
    # One scan of the source feeds every branch (DuckDB streams the CTE to them).
    query = query.with_("d", as_=_with_business_time(_base_relation(plan), joins, shapes))
    return _Query(query, aggregates, columns, branch_of_grouping, joins)


def _with_business_time(
    base: exp.Select, joins: Mapping[tuple[str, str], _Join], shapes: Mapping[str, _TableShape]
) -> exp.Select:
    """``d`` plus, per instant that business time needs, its business ns (one join each)."""
    if not joins:
        return base
    query = exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier("d"))).from_(
        exp.alias_(exp.Subquery(this=base), "d")
    )
    for join in joins.values():
        shape = shapes.get(join.calendar, _TableShape(0, 40, 0))
        query = query.select(exp.alias_(_business_ns_sql(join, shape), f"__{join.alias}"))
        query = query.join(
            exp.table_(f"bt_table_{join.calendar}", alias=join.alias),
            on=_join_condition(join, shape),
            join_type="left",
        )
    return query


def _business_time_bounds(
    con: duckdb.DuckDBPyConnection, plan: _SourcePlan, joins: Iterable[_Join]
) -> dict[str, tuple[int, int]]:
    """Per calendar, the earliest and latest instant (UTC ns) its table must cover."""
    joins = list(joins)
    if not joins:
        return {}
    projections: list[exp.Expr] = []
    for join in joins:
        projections.append(exp.Min(this=join.instant))
        projections.append(exp.Max(this=join.instant))
    query = exp.select(*projections).from_(exp.alias_(exp.Subquery(this=_base_relation(plan)), "d"))
    row = con.execute(query.sql(dialect="duckdb")).fetchall()[0]
    first, last = plan.span
    bounds: dict[str, tuple[int, int]] = {}
    for i, join in enumerate(joins):
        lo = row[2 * i] if row[2 * i] is not None else first
        hi = row[2 * i + 1] if row[2 * i + 1] is not None else last
        old = bounds.get(join.calendar, (lo, hi))
        bounds[join.calendar] = (min(old[0], lo, first), max(old[1], hi, last))
    return bounds


def prepare_query(con: duckdb.DuckDBPyConnection, schedule: Schedule, plan: _SourcePlan) -> _Query:
    """The one query of a source, with business-time tables registered on ``con``.

    When levels use business time, a first compilation finds the instants
    involved, a short scan finds their span, and each calendar's look-up table
    is registered on ``con`` before the query is compiled again with the
    tables' origin, bucket size and slots.
    """
    query = _build_query(plan, schedule, {})
    if not query.joins:
        return query
    shapes: dict[str, _TableShape] = {}
    for name, (lo, hi) in _business_time_bounds(con, plan, query.joins.values()).items():
        table = schedule.calendars[name].business_time_table(lo, hi)
        con.register(f"bt_table_{name}", table.table)
        shapes[name] = _TableShape(table.origin, table.shift, table.slots)
    return _build_query(plan, schedule, shapes)


# --------------------------------------------------------------------------- statuses


def _status(level: ServiceLevel, value: Fraction | None, volume: int) -> Status:
    if volume == 0 or value is None:
        return "no_data"
    if volume < level.minimum_volume:
        return "below_volume"
    expected = Fraction(level.expected)
    minimum = None if level.minimum is None else Fraction(level.minimum)
    if level.direction == "higher":
        if value >= expected:
            return "met"
        return "missed_minimum" if minimum is not None and value < minimum else "missed_expected"
    if value <= expected:
        return "met"
    return "missed_minimum" if minimum is not None and value > minimum else "missed_expected"


def _exact(value: Any) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, decimal.Decimal | int):
        return Fraction(value)
    return Fraction(float(value))


def _level_value(
    level: ServiceLevel, parts: Mapping[str, Any]
) -> tuple[Fraction | None, float | None, float | None, int]:
    """(exact value, numerator, denominator, volume) of a level from its parts."""
    numerator = _exact(parts.get("num"))
    denominator = _exact(parts.get("den"))
    volume = int(parts.get("vol", parts.get("den")) or 0)
    m = level.measure
    if volume == 0:
        value = None
    elif m.type == "percentile":
        value = _exact(parts.get("val"))
    elif m.type in SHARE_TYPES:
        assert numerator is not None
        assert denominator
        value = 100 * numerator / denominator
    elif m.type in ("count", "sum"):
        value = numerator if numerator is not None else Fraction(0)
    else:  # mean, ratio
        value = None if not denominator or numerator is None else numerator / denominator
    return value, _float(numerator), _float(denominator), volume


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


# --------------------------------------------------------------------------- public


@dataclass(frozen=True)
class Evaluation:
    """The outcome of evaluating a schedule over a range of months."""

    contract: str
    first: Month
    last: Month
    results: tuple[LevelResult, ...]
    credits: CreditReport | None
    rows_in_range: Mapping[str, int]
    inputs: Mapping[str, str]
    history: tuple[LevelResult, ...] = ()

    def result(self, code: str, period: str, **breakdown: Any) -> LevelResult:
        """The result of level ``code`` in ``period`` (for a breakdown group if given)."""
        for item in self.results:
            if item.code == code and item.period == period and item.breakdown == breakdown:
                return item
        raise KeyError((code, period, breakdown))

    def to_dict(self) -> dict[str, Any]:
        return {
            "contract": self.contract,
            "from": str(self.first),
            "to": str(self.last),
            "engine": engine_versions(),
            "inputs": dict(self.inputs),
            "rows_in_range": dict(self.rows_in_range),
            "results": [r.to_dict() for r in self.results],
            "credits": None if self.credits is None else self.credits.to_dict(),
        }


def engine_versions() -> dict[str, str]:
    """The versions that decide the numbers: tz database, holiday rules, DuckDB."""
    return {
        "tz_database": tz_database_version(),
        "holidays": version("holidays"),
        "duckdb": version("duckdb"),
    }


def evaluate(
    schedule: Schedule,
    data: Mapping[str, DataLocation | str],
    *,
    first: Month | None = None,
    last: Month | None = None,
    excused: Collection[tuple[str, Month]] = (),
    threads: int | None = None,
    progress: bool = False,
) -> Evaluation:
    """Every service level of ``schedule`` for each period from ``first`` to ``last``.

    ``data`` maps each source named by the schedule's levels to its location.
    Without ``first``/``last`` the range is the months the data spans. Credits
    (when the schedule has credit terms) are computed per month, with the
    months before ``first`` that the rolling-miss rule looks back on evaluated
    too (as ``history``), and ``excused`` (level code, month) pairs honoured.
    ``threads`` caps DuckDB's threads; ``progress`` shows its progress bar on
    the terminal for long evaluations.
    """
    locations = {
        name: value if isinstance(value, DataLocation) else DataLocation.parse(str(value))
        for name, value in data.items()
    }
    needed = {level.source for level in schedule.service_levels}
    unknown = sorted(set(locations) - set(schedule.sources))
    if unknown:
        raise DataError(
            f"data given for {', '.join(map(repr, unknown))}, which the schedule does not "
            f"declare (sources: {', '.join(schedule.sources)})"
        )
    missing = sorted(needed - set(locations))
    if missing:
        raise DataError(
            "no data given for source "
            + ", ".join(f"{name!r} (use --data {name}=PATH)" for name in missing)
        )
    con = duckdb.connect(":memory:")
    try:
        # Instants compare in UTC; the engine never asks DuckDB for local time.
        con.execute("SET TimeZone = 'UTC'")
        # DuckDB's progress bar writes to the terminal; only a command line asks for it.
        con.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
        if threads is not None:
            con.execute(f"SET threads = {int(threads)}")
        views = {
            name: attach_source(con, i, name, locations[name], schedule.sources[name].columns)
            for i, name in enumerate(sorted(needed))
        }
        if first is None or last is None:
            span = _data_span(con, schedule, views)
            first = first or span[0]
            last = last or span[1]
        if last < first:
            raise DataError(f"the range ends ({last}) before it starts ({first})")
        lookback = _credit_lookback(schedule)
        history_first = first.shift(-lookback)
        results: list[LevelResult] = []
        rows_in_range: dict[str, int] = {}
        for name in sorted(needed):
            source = schedule.sources[name]
            levels = [level for level in schedule.service_levels if level.source == name]
            found, rows = _evaluate_source(
                con, schedule, source, views[name], levels, history_first, last
            )
            results.extend(found)
            rows_in_range[name] = rows
    finally:
        con.close()
    order = {level.code: i for i, level in enumerate(schedule.service_levels)}
    # Groups sort by the text of their values, so a null group sorts among the rest.
    results.sort(
        key=lambda r: (
            order[r.code],
            r.period_start,
            [(k, repr(v)) for k, v in r.breakdown.items()],
        )
    )
    reported = tuple(r for r in results if r.period_start >= first.first_day().isoformat())
    history = tuple(r for r in results if r.period_start < first.first_day().isoformat())
    credits = None
    if schedule.credits is not None:
        statuses: dict[str, dict[Month, Status]] = {}
        for result in results:
            level = schedule.level(result.code)
            if level.period == "month" and not result.breakdown:
                month = Month(int(result.period[:4]), int(result.period[5:7]))
                statuses.setdefault(result.code, {})[month] = result.status
        months = [Month.from_index(i) for i in range(first.index, last.index + 1)]
        credits = compute_credits(schedule.credits, statuses, months=months, excused=excused)
    return Evaluation(
        contract=schedule.contract,
        first=first,
        last=last,
        results=reported,
        credits=credits,
        rows_in_range=rows_in_range,
        inputs={name: str(location) for name, location in locations.items()},
        history=history,
    )


def _credit_lookback(schedule: Schedule) -> int:
    """Months before the range that credits depend on.

    The rolling rule looks back ``window - 1`` months; with earnback, whether a
    credit is chronic depends on the credits of the ``window - 1`` months
    before it, which depend on their own window: twice as far.
    """
    terms = schedule.credits
    if terms is None:
        return 0
    window = terms.expected_miss_rule.months - 1
    return 2 * window if terms.earnback is not None else window


def _data_span(
    con: duckdb.DuckDBPyConnection, schedule: Schedule, views: Mapping[str, SourceView]
) -> tuple[Month, Month]:
    """The first and last month (contract time zone) in which the sources have rows."""
    zone = get_zone(schedule.timezone)
    lows: list[int] = []
    highs: list[int] = []
    for name, view in views.items():
        instant = exp.column(schedule.sources[name].time_column, quoted=True)
        query = exp.select(
            exp.Min(this=exp.UnixMicros(this=instant)), exp.Max(this=exp.UnixMicros(this=instant))
        ).from_(view.view)
        row = con.execute(query.sql(dialect="duckdb")).fetchall()[0]
        if row is not None and row[0] is not None:
            lows.append(int(row[0]))
            highs.append(int(row[1]))
    if not lows:
        raise DataError("the data has no rows; give the months with --period or --from/--to")

    def month_of(us: int) -> Month:
        local = dt.datetime.fromtimestamp(us / 1_000_000, tz=zone)
        return Month(local.year, local.month)

    return month_of(min(lows)), month_of(max(highs))


def _evaluate_source(
    con: duckdb.DuckDBPyConnection,
    schedule: Schedule,
    source: Source,
    view: SourceView,
    levels: list[ServiceLevel],
    first: Month,
    last: Month,
) -> tuple[list[LevelResult], int]:
    periods: dict[str, list[Period]] = {}
    for level in levels:
        if level.period not in periods:
            periods[level.period] = periods_between(level.period, first, last, schedule.timezone)
    breakdown_columns: list[str] = []
    for level in levels:
        for column in level.breakdown:
            if column not in breakdown_columns:
                breakdown_columns.append(column)
    plan = _SourcePlan(source, view, levels, periods, breakdown_columns)
    query = prepare_query(con, schedule, plan)
    try:
        cursor = con.execute(query.sql.sql(dialect="duckdb"))
        names = [d[0] for d in cursor.description or ()]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    except duckdb.Error as exc:
        raise DataError(f"source {source.name!r}: evaluation failed ({exc})") from exc
    by_branch: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_branch.setdefault(int(row["__branch"]), []).append(row)

    results: list[LevelResult] = []
    for i, level in enumerate(levels):
        level_periods = periods[level.period]
        rule = query.aggregates[i].rule
        for with_breakdown in (False, True) if level.breakdown else (False,):
            grouping = plan.grouping(level, breakdown=with_breakdown)
            branch = query.branches[grouping] if query.aggregates[i].holistic else 0
            groups = _parts_by_group(by_branch.get(branch, []), grouping, query, i, branch)
            if not with_breakdown:
                # Every period gets a result: one without rows is ``no_data``.
                for index, period in enumerate(level_periods):
                    parts = groups.get((index,), {})
                    results.append(_result(level, period, parts, rule, {}))
                continue
            for key, parts in groups.items():  # evaluate() orders the results
                breakdown = dict(zip(level.breakdown, key[1:], strict=True))
                results.append(_result(level, level_periods[key[0]], parts, rule, breakdown))
    rows_in_range = sum(int(row["__rows"]) for row in by_branch.get(0, []))
    return results, rows_in_range


def _parts_by_group(
    rows: Iterable[Mapping[str, Any]],
    grouping: tuple[str, ...],
    query: _Query,
    level: int,
    branch: int,
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """A level's parts per group of ``grouping``, adding up finer groups (exact sums)."""
    roles = {
        role: column
        for (i, role, part_branch), column in query.columns.items()
        if i == level and part_branch == branch
    }
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        if row[grouping[0]] is None:
            continue  # outside the periods of this level's kind
        key = (int(row[grouping[0]]), *(row[column] for column in grouping[1:]))
        parts = groups.setdefault(key, {})
        for role, column in roles.items():
            value = row[column]
            if value is None:
                parts.setdefault(role, None)
            elif role == "val":
                parts[role] = value  # holistic: one row per group
            else:
                parts[role] = value + (parts.get(role) or 0)
    return groups


def _result(
    level: ServiceLevel,
    period: Period,
    parts: Mapping[str, Any],
    rule: str,
    breakdown: dict[str, Any],
) -> LevelResult:
    value, numerator, denominator, volume = _level_value(level, parts)
    return LevelResult(
        code=level.code,
        period=period.label,
        period_start=period.first_day.isoformat(),
        period_end=period.end_day.isoformat(),
        value=None if value is None else float(value),
        numerator=numerator,
        denominator=denominator,
        volume=volume,
        expected=level.expected,
        minimum=level.minimum,
        status=_status(level, value, volume),
        rule=rule,
        breakdown=breakdown,
    )
