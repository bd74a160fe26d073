"""Contract schedules as code: the YAML document that declares service levels.

A schedule declares its data sources (columns and types), calendars, service
levels (what is measured, how, against which targets) and the credit terms.
It is validated completely before any data is read: every problem is reported
with its place (``service_levels[2].expected: must be between 0 and 100``),
every expression is parsed and type-checked against the declared columns.

See ``examples/`` for complete schedules, and :mod:`accord.engine.expressions`
for the language of conditions.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlglot import exp

from accord.engine._spec import at, kind, parse_decimal, parse_yaml, read_text, unknown_keys
from accord.engine.calendars import BusinessCalendar
from accord.engine.credits import CreditTerms, parse_credit_terms
from accord.engine.errors import Problem, SpecError
from accord.engine.expressions import (
    COLUMN_TYPES,
    Expression,
    ExpressionError,
)
from accord.engine.periods import PERIOD_KINDS, PeriodKind
from accord.engine.tz import available_time_zones

__all__ = ["Measure", "Schedule", "ServiceLevel", "Source"]

MeasureType = Literal["share", "within", "mean", "percentile", "ratio", "count", "sum", "top_box"]
MEASURE_TYPES: tuple[str, ...] = (
    "share",
    "within",
    "mean",
    "percentile",
    "ratio",
    "count",
    "sum",
    "top_box",
)
# Measures whose value is a percentage of rows (0-100).
SHARE_TYPES = frozenset({"share", "within", "top_box"})
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# What the ``top`` answers of a top_box measure must be, by the expression's type.
_TOP_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "number": ((int, float), "numbers"),
    "string": (str, "text"),
}
_MEASURE_KEYS: dict[str, set[str]] = {
    "share": {"condition", "exclude"},
    "within": {"start", "end", "limit", "unresolved", "exclude"},
    "mean": {"expression"},
    "percentile": {"expression", "percentile"},
    "ratio": {"numerator", "denominator"},
    "count": {"condition"},
    "sum": {"expression"},
    "top_box": {"expression", "top"},
}


@dataclass(frozen=True)
class Source:
    """A declared data source: its columns and types, and the column that dates a row."""

    name: str
    columns: Mapping[str, str]
    time_column: str


@dataclass(frozen=True)
class Measure:
    """How a service level's value is computed from the rows of one period.

    * ``share``: % of rows meeting ``condition``, of rows not ``exclude``\\ d;
    * ``within``: % of rows whose time from ``start`` to ``end`` is at most
      ``limit`` (business time when the limit is ``N business hours``);
      rows without an end are missed, or excluded with ``unresolved: excluded``;
    * ``mean``, ``sum``, ``percentile`` (0-100) of ``expression``;
    * ``ratio``: sum of ``numerator`` / sum of ``denominator``;
    * ``count``: rows (meeting ``condition`` if given);
    * ``top_box``: % of answered rows (``expression`` not null) in ``top``.
    """

    type: MeasureType
    condition: Expression | None = None
    exclude: Expression | None = None
    expression: Expression | None = None
    numerator: Expression | None = None
    denominator: Expression | None = None
    percentile: float | None = None
    top: tuple[Any, ...] = ()
    start: Expression | None = None
    end: Expression | None = None
    limit: Expression | None = None
    unresolved: Literal["missed", "excluded"] = "missed"


@dataclass(frozen=True)
class ServiceLevel:
    """A critical service level (credits) or key measurement (reported only)."""

    code: str
    name: str
    kind: Literal["critical", "key"]
    source: str
    measure: Measure
    unit: str
    direction: Literal["higher", "lower"]
    expected: decimal.Decimal
    minimum: decimal.Decimal | None
    minimum_volume: int
    period: PeriodKind
    filter: Expression | None = None
    breakdown: tuple[str, ...] = ()
    calendar: str | None = None
    place: str = ""

    @property
    def is_share(self) -> bool:
        return self.measure.type in SHARE_TYPES

    def columns(self) -> set[str]:
        """Every source column the level reads: its expressions' and its breakdown's."""
        m = self.measure
        found = set(self.breakdown)
        for expression in (
            self.filter,
            m.condition,
            m.exclude,
            m.expression,
            m.numerator,
            m.denominator,
            m.start,
            m.end,
            m.limit,
        ):
            if expression is not None:
                found |= expression.columns()
        return found


@dataclass(frozen=True)
class Schedule:
    """A validated contract schedule."""

    contract: str
    timezone: str
    currency: str
    calendars: Mapping[str, BusinessCalendar]
    sources: Mapping[str, Source]
    service_levels: tuple[ServiceLevel, ...]
    credits: CreditTerms | None = None
    path: Path | None = field(default=None, compare=False)

    def level(self, code: str) -> ServiceLevel:
        for level in self.service_levels:
            if level.code == code:
                return level
        raise KeyError(code)

    # ------------------------------------------------------------------ reading

    @classmethod
    def from_file(cls, path: str | Path) -> Schedule:
        """Read and validate a schedule file; calendar files are relative to it."""
        path = Path(path)
        try:
            data = parse_yaml(read_text(path))
        except SpecError as exc:
            raise exc.with_source(str(path)) from None
        try:
            return cls.from_dict(data, base=path.parent, path=path)
        except SpecError as exc:
            raise exc.with_source(str(path)) from None

    @classmethod
    def from_dict(
        cls, data: object, *, base: Path | None = None, path: Path | None = None
    ) -> Schedule:
        """Validate a schedule document (parsed YAML); ``base`` resolves calendar files."""
        problems: list[Problem] = []
        if not isinstance(data, Mapping):
            raise SpecError([Problem("", f"expected a mapping, got {kind(data)}")])
        unknown_keys(
            data,
            {
                "contract",
                "buyer",
                "provider",
                "description",
                "timezone",
                "currency",
                "calendars",
                "sources",
                "service_levels",
                "credits",
            },
            "",
            problems,
        )
        contract = _text(data, "contract", "", problems, required=True) or ""
        currency = _text(data, "currency", "", problems) or "USD"
        timezone = _text(data, "timezone", "", problems, required=True)
        if timezone is not None and timezone not in available_time_zones():
            problems.append(Problem("timezone", f"{timezone!r} is not a time zone"))
            timezone = None
        # Calendars and sources declared with problems are reported where they
        # are declared, not again by every service level that names them.
        invalid_calendars: set[str] = set()
        invalid_sources: set[str] = set()
        calendars = _parse_calendars(data.get("calendars"), base, problems, invalid_calendars)
        sources = _parse_sources(data.get("sources"), problems, invalid_sources)
        levels = _parse_levels(
            data.get("service_levels"),
            sources,
            calendars,
            problems,
            invalid_sources=invalid_sources,
            invalid_calendars=invalid_calendars,
        )
        credits = None
        if data.get("credits") is not None:
            credits = parse_credit_terms(data["credits"], "credits", levels, problems)
        if problems:
            raise SpecError(problems)
        assert timezone is not None
        return cls(
            contract=contract,
            timezone=timezone,
            currency=currency,
            calendars=calendars,
            sources=sources,
            service_levels=tuple(levels),
            credits=credits,
            path=path,
        )


# --------------------------------------------------------------------------- parsing


def _text(
    data: Mapping[str, Any],
    key: str,
    place: str,
    problems: list[Problem],
    *,
    required: bool = False,
) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            problems.append(Problem(at(place, key), "is required"))
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(at(place, key), f"must be text, got {kind(value)}"))
        return None
    return value.strip()


def _parse_calendars(
    value: object, base: Path | None, problems: list[Problem], invalid: set[str]
) -> dict[str, BusinessCalendar]:
    calendars: dict[str, BusinessCalendar] = {}
    if value is None:
        return calendars
    if not isinstance(value, Mapping):
        problems.append(Problem("calendars", f"expected a mapping of names, got {kind(value)}"))
        return calendars
    for name, spec in value.items():
        place = at("calendars", str(name))
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append(Problem(place, "a calendar name is letters, digits and _"))
            invalid.add(str(name))
            continue
        before = len(problems)
        try:
            if isinstance(spec, str):
                file = Path(spec) if base is None else base / spec
                try:
                    calendars[name] = BusinessCalendar.from_file(file)
                except SpecError as exc:
                    problems.extend(
                        Problem(place, f"in {spec}: {problem}") for problem in exc.problems
                    )
            else:
                calendars[name] = BusinessCalendar.from_dict(spec, place=place)
        except SpecError as exc:
            problems.extend(exc.problems)
        if len(problems) > before:
            invalid.add(name)
    return calendars


def _parse_sources(value: object, problems: list[Problem], invalid: set[str]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    if not isinstance(value, Mapping) or not value:
        problems.append(Problem("sources", "is required: a mapping of source names to columns"))
        return sources
    for name, spec in value.items():
        place = at("sources", str(name))
        source = _parse_source(name, spec, place, problems)
        if source is None:
            invalid.add(str(name))
        else:
            sources[str(name)] = source
    return sources


def _parse_source(name: object, spec: object, place: str, problems: list[Problem]) -> Source | None:
    """One declared source; None (with the problems reported) when its columns are invalid."""
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append(Problem(place, "a source name is letters, digits and _"))
        return None
    if not isinstance(spec, Mapping):
        problems.append(Problem(place, f"expected a mapping, got {kind(spec)}"))
        return None
    unknown_keys(spec, {"columns", "time_column", "description"}, place, problems)
    columns: dict[str, str] = {}
    raw = spec.get("columns")
    before = len(problems)
    if not isinstance(raw, Mapping) or not raw:
        problems.append(Problem(at(place, "columns"), "is required: column names and types"))
    else:
        for column, column_type in raw.items():
            where = at(at(place, "columns"), str(column))
            if column_type not in COLUMN_TYPES:
                problems.append(
                    Problem(
                        where,
                        f"unknown type {kind(column_type)} (use one of: {', '.join(COLUMN_TYPES)})",
                    )
                )
                continue
            columns[str(column)] = str(column_type)
    time_column = spec.get("time_column")
    if not isinstance(time_column, str):
        problems.append(
            Problem(at(place, "time_column"), "is required: the timestamp that dates a row")
        )
        return None
    if columns and columns.get(time_column) != "timestamp":
        problems.append(
            Problem(
                at(place, "time_column"),
                f"{time_column!r} is not a declared timestamp column",
            )
        )
        return None
    if len(problems) > before:
        return None  # a column is missing or of no known type
    return Source(name, columns, time_column)


class _CheckScope:
    """Type-checks expressions against a source's declared columns (no SQL is run).

    ``calendar_named``: the service level names a calendar that is unknown or
    invalid. That is reported already, so business time is not refused again.
    """

    def __init__(
        self, source: Source, calendar: BusinessCalendar | None, *, calendar_named: bool = False
    ) -> None:
        self.source = source
        self.calendar = calendar
        self.calendar_named = calendar_named

    def column_type(self, name: str) -> str | None:
        return self.source.columns.get(name)

    def column(self, name: str) -> exp.Expr:
        return exp.column(name, quoted=True)

    def business_seconds(self, start: exp.Expr, end: exp.Expr) -> exp.Expr:
        if self.calendar is None and not self.calendar_named:
            raise ExpressionError(
                "business_seconds() needs the service level's calendar (add calendar: NAME)"
            )
        return exp.Literal.number(0)

    def business_day_seconds(self) -> float:
        if self.calendar is None:
            if self.calendar_named:
                return 0.0  # any value: the service level is invalid already
            raise ExpressionError(
                "business durations need the service level's calendar (add calendar: NAME)"
            )
        return float(self.calendar.business_day_seconds)


def _expression(
    value: object,
    place: str,
    scope: _CheckScope | None,
    problems: list[Problem],
    *,
    want: Literal["condition", "number", "timestamp", "any"],
) -> Expression | None:
    """Parse and type-check one expression; report problems at ``place``."""
    if isinstance(value, bool | int | float) and not isinstance(value, bool):
        value = repr(value)
    if not isinstance(value, str):
        problems.append(Problem(place, f"expected an expression, got {kind(value)}"))
        return None
    try:
        parsed = Expression.parse(value)
        if scope is not None:
            _, found = parsed.compile(scope)
            if want == "condition" and found.base not in ("boolean", "null"):
                raise ExpressionError(f"expected a condition (true/false), not {found}")
            if want == "number" and found.base not in ("number", "null"):
                raise ExpressionError(f"expected a number, not {found}")
            if want == "timestamp" and found.base != "timestamp":
                raise ExpressionError(f"expected a timestamp, not {found}")
    except ExpressionError as exc:
        problems.append(Problem(place, f"{exc} in {value!r}"))
        return None
    return parsed


def _number(
    data: Mapping[str, Any], key: str, place: str, problems: list[Problem]
) -> decimal.Decimal | None:
    value = data.get(key)
    if value is None:
        return None
    number = parse_decimal(value)
    if number is None:
        problems.append(Problem(at(place, key), f"must be a number, got {kind(value)}"))
    return number


def _parse_measure(
    value: object, place: str, scope: _CheckScope | None, problems: list[Problem]
) -> Measure | None:
    if not isinstance(value, Mapping):
        problems.append(
            Problem(place, f"expected a mapping with a type ({', '.join(MEASURE_TYPES)})")
        )
        return None
    measure_type = value.get("type")
    if measure_type not in MEASURE_TYPES:
        problems.append(
            Problem(
                at(place, "type"),
                f"{kind(measure_type)} is not a measure (use one of: {', '.join(MEASURE_TYPES)})",
            )
        )
        return None
    before = len(problems)
    unknown_keys(value, {"type", *_MEASURE_KEYS[measure_type]}, place, problems)

    def expr(
        key: str, want: Literal["condition", "number", "timestamp", "any"]
    ) -> Expression | None:
        if value.get(key) is None:
            return None
        return _expression(value[key], at(place, key), scope, problems, want=want)

    def required(key: str) -> None:
        if value.get(key) is None:
            problems.append(Problem(at(place, key), f"is required for a {measure_type} measure"))

    fields: dict[str, Any] = {}
    if measure_type == "share":
        required("condition")
        fields["condition"] = expr("condition", "condition")
        fields["exclude"] = expr("exclude", "condition")
    elif measure_type == "count":
        fields["condition"] = expr("condition", "condition")
    elif measure_type in ("mean", "sum", "percentile"):
        required("expression")
        fields["expression"] = expr("expression", "number")
        if measure_type == "percentile":
            required("percentile")
            pct = _number(value, "percentile", place, problems)
            if pct is not None and not 0 <= pct <= 100:
                problems.append(Problem(at(place, "percentile"), "must be between 0 and 100"))
            elif pct is not None:
                fields["percentile"] = float(pct)
    elif measure_type == "ratio":
        required("numerator")
        required("denominator")
        fields["numerator"] = expr("numerator", "number")
        fields["denominator"] = expr("denominator", "number")
    elif measure_type == "top_box":
        required("expression")
        fields["expression"] = expr("expression", "any")
        top = value.get("top")
        if not isinstance(top, list) or not top:
            problems.append(Problem(at(place, "top"), "is required: the list of top answers"))
        elif not all(isinstance(item, int | float | str) for item in top):
            problems.append(Problem(at(place, "top"), "holds numbers or text"))
        else:
            answer = fields["expression"]
            if answer is not None and scope is not None:
                # The answers are compared with the expression: same type, or the
                # comparison fails on the data (or silently never matches).
                _, found = answer.compile(scope)
                wanted = _TOP_TYPES.get(found.base)
                if wanted is not None and not all(
                    isinstance(item, wanted[0]) and not isinstance(item, bool) for item in top
                ):
                    problems.append(
                        Problem(at(place, "top"), f"must hold {wanted[1]}, as the expression is")
                    )
            fields["top"] = tuple(top)
    else:  # within
        for key in ("start", "end", "limit"):
            required(key)
        fields["start"] = expr("start", "timestamp")
        fields["end"] = expr("end", "timestamp")
        fields["limit"] = expr("limit", "number")
        fields["exclude"] = expr("exclude", "condition")
        unresolved = value.get("unresolved", "missed")
        if unresolved not in ("missed", "excluded"):
            problems.append(Problem(at(place, "unresolved"), "must be missed or excluded"))
        else:
            fields["unresolved"] = unresolved
        limit = fields["limit"]
        if limit is not None and scope is not None:
            _, limit_type = limit.compile(scope)
            if limit_type.time is None:
                problems.append(
                    Problem(
                        at(place, "limit"),
                        "must be a duration such as 4h or 4 business hours",
                    )
                )
    if len(problems) > before:
        return None
    return Measure(type=measure_type, **fields)


def _parse_levels(
    value: object,
    sources: Mapping[str, Source],
    calendars: Mapping[str, BusinessCalendar],
    problems: list[Problem],
    *,
    invalid_sources: Collection[str] = (),
    invalid_calendars: Collection[str] = (),
) -> list[ServiceLevel]:
    levels: list[ServiceLevel] = []
    if not isinstance(value, list) or not value:
        problems.append(Problem("service_levels", "is required: a list of service levels"))
        return levels
    seen: dict[str, str] = {}
    for i, spec in enumerate(value):
        place = at("service_levels", i)
        if not isinstance(spec, Mapping):
            problems.append(Problem(place, f"expected a mapping, got {kind(spec)}"))
            continue
        level = _parse_level(
            spec,
            place,
            sources,
            calendars,
            problems,
            invalid_sources=invalid_sources,
            invalid_calendars=invalid_calendars,
        )
        if level is None:
            continue
        if level.code in seen:
            problems.append(
                Problem(at(place, "code"), f"{level.code!r} is already used by {seen[level.code]}")
            )
            continue
        seen[level.code] = place
        levels.append(level)
    return levels


def _parse_level(
    spec: Mapping[str, Any],
    place: str,
    sources: Mapping[str, Source],
    calendars: Mapping[str, BusinessCalendar],
    problems: list[Problem],
    *,
    invalid_sources: Collection[str] = (),
    invalid_calendars: Collection[str] = (),
) -> ServiceLevel | None:
    before = len(problems)
    # Set when the level names a source or calendar declared with problems:
    # those are reported at the declaration, and the level is invalid too.
    invalid = False
    unknown_keys(
        spec,
        {
            "code",
            "name",
            "description",
            "kind",
            "source",
            "unit",
            "direction",
            "expected",
            "minimum",
            "minimum_volume",
            "filter",
            "measure",
            "period",
            "breakdown",
            "calendar",
        },
        place,
        problems,
    )
    code = spec.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        problems.append(
            Problem(at(place, "code"), "is required: up to 40 letters, digits, '.', '_' or '-'")
        )
    name = _text(spec, "name", place, problems, required=True)
    level_kind = spec.get("kind")
    if level_kind not in ("critical", "key"):
        problems.append(Problem(at(place, "kind"), "must be critical or key"))
    direction = spec.get("direction", "higher")
    if direction not in ("higher", "lower"):
        problems.append(Problem(at(place, "direction"), "must be higher or lower (is better)"))
    period = spec.get("period", "month")
    if period not in PERIOD_KINDS:
        problems.append(Problem(at(place, "period"), f"must be one of: {', '.join(PERIOD_KINDS)}"))

    source_name = spec.get("source")
    source = sources.get(source_name) if isinstance(source_name, str) else None
    if source is None:
        if isinstance(source_name, str) and source_name in invalid_sources:
            invalid = True
        else:
            known = ", ".join(sources) or "none declared"
            problems.append(
                Problem(
                    at(place, "source"), f"{kind(source_name)} is not a declared source ({known})"
                )
            )
    calendar_name = spec.get("calendar")
    calendar = None
    if calendar_name is not None:
        calendar = calendars.get(calendar_name) if isinstance(calendar_name, str) else None
        if calendar is None:
            if isinstance(calendar_name, str) and calendar_name in invalid_calendars:
                invalid = True
            else:
                known = ", ".join(calendars) or "none declared"
                problems.append(
                    Problem(
                        at(place, "calendar"),
                        f"{kind(calendar_name)} is not a declared calendar ({known})",
                    )
                )
    scope = (
        _CheckScope(source, calendar, calendar_named=calendar_name is not None)
        if source is not None
        else None
    )

    measure = _parse_measure(spec.get("measure"), at(place, "measure"), scope, problems)
    level_filter = None
    if spec.get("filter") is not None:
        level_filter = _expression(
            spec["filter"], at(place, "filter"), scope, problems, want="condition"
        )

    breakdown: tuple[str, ...] = ()
    raw_breakdown = spec.get("breakdown")
    if raw_breakdown is not None:
        if isinstance(raw_breakdown, str):
            raw_breakdown = [raw_breakdown]
        if not isinstance(raw_breakdown, list):
            problems.append(Problem(at(place, "breakdown"), "expected a list of columns"))
        else:
            for j, column in enumerate(raw_breakdown):
                if source is not None and column not in source.columns:
                    problems.append(
                        Problem(
                            at(at(place, "breakdown"), j),
                            f"{kind(column)} is not a column of source {source.name!r}",
                        )
                    )
            breakdown = tuple(str(column) for column in raw_breakdown)

    unit = spec.get("unit")
    raw_measure = spec.get("measure")
    # The declared type decides the unit, even when the rest of the measure is invalid.
    measure_type = raw_measure.get("type") if isinstance(raw_measure, Mapping) else None
    known_type = measure_type in MEASURE_TYPES  # if not, that is reported, the unit unknown
    if known_type and measure_type in SHARE_TYPES:
        unit = unit or "percent"
        if unit != "percent":
            problems.append(Problem(at(place, "unit"), f"a {measure_type} measure is in percent"))
    elif known_type and (not isinstance(unit, str) or not unit.strip()):
        problems.append(
            Problem(at(place, "unit"), "is required (e.g. seconds, minutes, count, percent)")
        )

    expected = _number(spec, "expected", place, problems)
    minimum = _number(spec, "minimum", place, problems)
    if spec.get("expected") is None:
        problems.append(Problem(at(place, "expected"), "is required: the expected level"))
    if unit == "percent":
        for key, target in (("expected", expected), ("minimum", minimum)):
            if target is not None and not 0 <= target <= 100:
                problems.append(Problem(at(place, key), "must be between 0 and 100"))
    if expected is not None and minimum is not None and direction in ("higher", "lower"):
        if direction == "higher" and minimum > expected:
            problems.append(
                Problem(
                    at(place, "minimum"),
                    f"must not be above expected ({expected}) when higher is better",
                )
            )
        if direction == "lower" and minimum < expected:
            problems.append(
                Problem(
                    at(place, "minimum"),
                    f"must not be below expected ({expected}) when lower is better",
                )
            )
    minimum_volume = spec.get("minimum_volume", 0)
    if (
        isinstance(minimum_volume, bool)
        or not isinstance(minimum_volume, int)
        or minimum_volume < 0
    ):
        problems.append(Problem(at(place, "minimum_volume"), "must be a whole number, 0 or more"))
        minimum_volume = 0

    if len(problems) > before or invalid:
        return None
    assert isinstance(code, str)
    assert name is not None
    assert source is not None
    assert measure is not None
    assert expected is not None
    return ServiceLevel(
        code=code,
        name=name,
        kind="critical" if level_kind == "critical" else "key",
        source=source.name,
        measure=measure,
        unit=str(unit),
        direction=direction,
        expected=expected,
        minimum=minimum,
        minimum_volume=minimum_volume,
        period=period,
        filter=level_filter,
        breakdown=breakdown,
        calendar=calendar_name,
        place=place,
    )
