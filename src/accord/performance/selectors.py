"""Reading scorecards and credits for the pages, through the visibility rule.

Every query here starts from ``Model.objects.restrict(user)``. The scorecard
grid of a run and a year costs a fixed number of queries, whatever the number
of service levels and periods (the results come in one query with their
levels). Values and targets are formatted here, with the level's unit, so the
templates and the CSV exports say the same thing.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from accord.contracts.models import Contract
from accord.engine.periods import Month, parse_month
from accord.engine.results import MISSES
from accord.performance.models import (
    CreditLine,
    CreditMonth,
    LevelKind,
    PeriodResult,
    RunStatus,
    ScheduleVersion,
    ScorecardRun,
    ServiceLevel,
)

# Status -> (words, icon). The icon is decoration (aria-hidden): the words always show,
# so colour is never the only signal.
STATUS_DISPLAY: dict[str, tuple[str, str]] = {
    "met": ("Met", "✓"),
    "missed_expected": ("Missed expected", "!"),
    "missed_minimum": ("Missed minimum", "✗"),
    "no_data": ("No data", "∅"),
    "below_volume": ("Below volume", "↓"),
}
MISSED_STATUSES = frozenset(MISSES)
PERIOD_KIND_TITLES = {"month": "Monthly", "quarter": "Quarterly", "week": "Weekly"}
_UNIT_SUFFIX = {"percent": " %", "seconds": " s", "minutes": " min", "hours": " h", "count": ""}
_MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


# --------------------------------------------------------------------------- formatting


def _number(value: float | decimal.Decimal, places: int) -> str:
    """``value`` with thousands separators and at most ``places`` decimals (no trailing 0s)."""
    text = f"{value:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_value(value: float | None, unit: str) -> str:
    """A measured value as people read it: ``93.4 %``, ``42 s``, ``1,234``; ``—`` when none."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:,.1f} %"
    suffix = _UNIT_SUFFIX.get(unit, f" {unit}" if unit else "")
    return _number(value, 2) + suffix


def format_target(target: decimal.Decimal | None, unit: str) -> str:
    """A target as the schedule states it, with the unit: ``95 %``; ``—`` when none."""
    if target is None:
        return "—"
    suffix = _UNIT_SUFFIX.get(unit, f" {unit}" if unit else "")
    return _number(decimal.Decimal(target), 3) + suffix


def format_number(value: float | decimal.Decimal | None, places: int = 4) -> str:
    """A plain number (a numerator, a count): ``1,187``, ``12.5``; ``—`` when none."""
    return "—" if value is None else _number(value, places)


def format_percent(value: decimal.Decimal | None) -> str:
    """A percentage of money (an allocation): ``37.5 %``."""
    return "—" if value is None else _number(decimal.Decimal(value), 6) + " %"


def status_sentence(result: PeriodResult, level: ServiceLevel) -> str:
    """Why the result has its status, in words with its own numbers."""
    value = format_value(result.value, level.unit)
    expected = format_target(result.expected, level.unit)
    minimum = format_target(result.minimum, level.unit)
    need = comparison_words(level.direction)
    if result.status == "met":
        return f"{value} meets the expected level ({need} {expected})."
    if result.status == "missed_expected":
        floor = f", but meets the minimum ({need} {minimum})" if result.minimum is not None else ""
        return f"{value} misses the expected level ({need} {expected}){floor}."
    if result.status == "missed_minimum":
        return f"{value} misses the minimum ({need} {minimum}) and so the expected level too."
    if result.status == "below_volume":
        return (
            f"Only {result.volume:,} rows were measured, fewer than the level's minimum volume "
            f"({level.minimum_volume:,}): the period is reported but not judged."
        )
    if result.status == "no_data":
        return "Nothing was measured in this period: there is no value to judge."
    return status_words(result.status)


def comparison_words(direction: str) -> str:
    """How a value is compared with its targets: ``at least`` or ``at most``."""
    return "at most" if direction == "lower" else "at least"


def status_words(status: str) -> str:
    return STATUS_DISPLAY.get(status, (status.replace("_", " "), "?"))[0]


def status_icon(status: str) -> str:
    return STATUS_DISPLAY.get(status, ("", "?"))[1]


def period_heading(period: str) -> str:
    """Short column heading of a period: ``Mar`` for ``2026-03``; others as they are."""
    try:
        return _MONTH_NAMES[parse_month(period).month - 1]
    except ValueError:
        return period.split("-", 1)[-1] if "-" in period else period


def period_short(period: str) -> str:
    """A compact label with the year: ``Mar 26`` for ``2026-03``, ``Q1 26`` for ``2026-Q1``."""
    year, _, rest = period.partition("-")
    if not rest or len(year) != 4:
        return period
    return f"{period_heading(period)} {year[2:]}"


def period_words(period: str) -> str:
    """A period in words: ``March 2026`` for ``2026-03``; ``2026-Q1`` as it is."""
    try:
        month = parse_month(period)
    except ValueError:
        return period
    return dt.date(month.year, month.month, 1).strftime("%B %Y")


def money(amount: decimal.Decimal | None) -> str:
    """An amount to the cent with thousands separators: ``12,345.60``."""
    if amount is None:
        return "—"
    return f"{decimal.Decimal(amount):,.2f}"


# --------------------------------------------------------------------------- the run


def contract_for(user: Any, relationship: Any) -> Contract | None:
    """The relationship's contract, if ``user`` may see it."""
    return Contract.objects.restrict(user).filter(relationship=relationship).first()


def has_schedule(user: Any, contract: Contract) -> bool:
    return ScheduleVersion.objects.restrict(user).filter(contract=contract).exists()


def latest_run_for(user: Any, contract: Contract) -> ScorecardRun | None:
    """The scorecard in force (the newest succeeded run, as ``scorecards.latest_run``).

    Comes with its schedule version and ``import_count`` (how many imports it used).
    """
    return (
        ScorecardRun.objects.restrict(user)
        .filter(contract=contract, status=RunStatus.SUCCEEDED)
        .select_related("schedule_version")
        .annotate(import_count=Count("imports"))
        .order_by("-pk")
        .first()
    )


def runs_for(user: Any, relationship: Any) -> QuerySet[ScorecardRun]:
    """The recomputation history of a relationship, newest first."""
    return (
        ScorecardRun.objects.restrict(user)
        .filter(relationship=relationship)
        .select_related("schedule_version")
        .annotate(import_count=Count("imports"))
        .order_by("-pk")
    )


def result_years(user: Any, run: ScorecardRun) -> list[int]:
    """The years in which ``run`` has results, oldest first."""
    dates = PeriodResult.objects.restrict(user).filter(run=run).dates("period_start", "year")
    return [day.year for day in dates]


def credit_years(user: Any, run: ScorecardRun) -> list[int]:
    dates = CreditMonth.objects.restrict(user).filter(run=run).dates("month_start", "year")
    return [day.year for day in dates]


def chosen_year(requested: str | None, years: list[int]) -> int | None:
    """The ``?year=`` asked for when it is a year, else the latest year with figures."""
    if requested and requested.isdigit() and 1900 <= int(requested) <= 2999:
        return int(requested)
    return years[-1] if years else None


# --------------------------------------------------------------------------- the grid


@dataclass(frozen=True)
class Cell:
    """One period of one level in the grid; ``result`` is None when it was not evaluated."""

    period: str
    result: PeriodResult | None
    unit: str

    @property
    def status(self) -> str:
        return self.result.status if self.result else ""

    @property
    def display(self) -> str:
        return format_value(self.result.value if self.result else None, self.unit)

    @property
    def status_words(self) -> str:
        return status_words(self.result.status) if self.result else "Not evaluated"

    @property
    def icon(self) -> str:
        return status_icon(self.result.status) if self.result else ""

    @property
    def words(self) -> str:
        return period_words(self.period)

    @property
    def is_miss(self) -> bool:
        return self.status in MISSED_STATUSES


@dataclass
class GridRow:
    level: ServiceLevel
    cells: list[Cell]

    @property
    def expected(self) -> str:
        return format_target(self.level.expected, self.level.unit)

    @property
    def minimum(self) -> str:
        return format_target(self.level.minimum, self.level.unit)

    @property
    def comparison(self) -> str:
        return comparison_words(self.level.direction)


@dataclass
class GridColumn:
    period: str
    heading: str
    words: str


@dataclass
class GridSection:
    """The levels of one period kind (monthly, quarterly...) × that kind's periods."""

    kind: str
    title: str
    columns: list[GridColumn]
    critical: list[GridRow] = field(default_factory=list)
    key: list[GridRow] = field(default_factory=list)

    @property
    def rows(self) -> list[GridRow]:
        return self.critical + self.key


@dataclass
class ScorecardGrid:
    year: int
    sections: list[GridSection]
    status_counts: dict[str, int]

    @property
    def is_empty(self) -> bool:
        return not any(section.rows for section in self.sections)


def _run_months(run: ScorecardRun, year: int) -> list[str]:
    """The months of ``year`` the run covers (its first to last period)."""
    try:
        first, last = parse_month(run.first_period), parse_month(run.last_period)
    except ValueError:
        return []
    first = max(first, Month(year, 1))
    last = min(last, Month(year, 12))
    return [str(Month.from_index(i)) for i in range(first.index, last.index + 1)]


def _kind_order(kind: str) -> int:
    kinds = list(PERIOD_KIND_TITLES)
    return kinds.index(kind) if kind in kinds else len(kinds)


def scorecard_grid(user: Any, run: ScorecardRun, year: int) -> ScorecardGrid:
    """The run's results of ``year`` as grids of levels × periods, one per period kind.

    One query: the level-wide results (breakdown groups are on the level's
    page) of the year with their levels. Critical levels come first, then key
    measurements, each in schedule order.
    """
    results = list(
        PeriodResult.objects.restrict(user)
        .filter(run=run, breakdown_label="", period_start__year=year)
        .select_related("service_level")
        .order_by("period_start", "pk")
    )
    by_level: dict[int, dict[str, PeriodResult]] = defaultdict(dict)
    levels: dict[int, ServiceLevel] = {}
    periods: dict[str, dict[str, dt.date]] = defaultdict(dict)
    counts: dict[str, int] = dict.fromkeys(STATUS_DISPLAY, 0)
    for result in results:
        level = result.service_level
        levels[level.pk] = level
        by_level[level.pk][result.period] = result
        periods[level.period][result.period] = result.period_start
        counts[result.status] = counts.get(result.status, 0) + 1
    for month in _run_months(run, year):
        periods["month"].setdefault(month, parse_month(month).first_day())
    ordered = sorted(
        levels.values(), key=lambda lv: (lv.kind != LevelKind.CRITICAL, lv.position, lv.code)
    )
    sections = []
    for kind in sorted(periods, key=_kind_order):
        labels = sorted(periods[kind], key=lambda label: (periods[kind][label], label))
        section = GridSection(
            kind=kind,
            title=PERIOD_KIND_TITLES.get(kind, kind.title()),
            columns=[GridColumn(p, period_heading(p), period_words(p)) for p in labels],
        )
        for level in ordered:
            if level.period != kind:
                continue
            cells = [Cell(p, by_level[level.pk].get(p), level.unit) for p in labels]
            row = GridRow(level, cells)
            (section.critical if level.kind == LevelKind.CRITICAL else section.key).append(row)
        if section.rows:
            sections.append(section)
    return ScorecardGrid(year=year, sections=sections, status_counts=counts)


# --------------------------------------------------------------------------- one level


@dataclass
class BreakdownTable:
    """A level's breakdown groups × periods; rows ordered by the chosen dimension."""

    dimensions: list[str]
    dimension: str
    columns: list[GridColumn]
    rows: list[tuple[str, str, list[Cell]]]  # (chosen dimension's value, the rest, cells)


def level_results(user: Any, run: ScorecardRun, level: ServiceLevel) -> list[PeriodResult]:
    """Every result of ``level`` in ``run`` (level-wide and breakdown groups), by period."""
    return list(
        PeriodResult.objects.restrict(user)
        .filter(run=run, service_level=level)
        .order_by("period_start", "breakdown_label", "pk")
    )


def _group_value(value: Any) -> str:
    return "(none)" if value is None else str(value)


def breakdown_table(
    level: ServiceLevel, results: list[PeriodResult], dimension: str | None
) -> BreakdownTable | None:
    """The breakdown groups of ``results`` as a table, or None when the level has none."""
    groups = [r for r in results if r.breakdown_label]
    if not groups:
        return None
    dimensions = [str(d) for d in level.breakdown] or sorted(
        {k for r in groups for k in r.breakdown}
    )
    chosen = dimension if dimension is not None and dimension in dimensions else dimensions[0]
    periods: dict[str, dt.date] = {}
    cells: dict[tuple[str, ...], dict[str, PeriodResult]] = defaultdict(dict)
    keys: dict[tuple[str, ...], tuple[str, str]] = {}
    for result in groups:
        periods[result.period] = result.period_start
        others = ", ".join(
            f"{k} = {_group_value(v)}" for k, v in result.breakdown.items() if k != chosen
        )
        head = _group_value(result.breakdown.get(chosen))
        key = (head, others)
        keys[key] = key
        cells[key][result.period] = result
    labels = sorted(periods, key=lambda p: (periods[p], p))
    rows = [
        (head, others, [Cell(p, cells[(head, others)].get(p), level.unit) for p in labels])
        for head, others in sorted(keys)
    ]
    return BreakdownTable(
        dimensions=dimensions,
        dimension=chosen,
        columns=[GridColumn(p, period_short(p), period_words(p)) for p in labels],
        rows=rows,
    )


# --------------------------------------------------------------------------- credits


@dataclass
class StatementMonth:
    month: CreditMonth
    lines: list[CreditLine]
    earnbacks: list[dict[str, Any]]


@dataclass
class CreditStatement:
    year: int
    months: list[StatementMonth]
    totals: dict[str, decimal.Decimal]
    pending_earnbacks: list[dict[str, Any]]

    @property
    def cap_months(self) -> int:
        return sum(1 for entry in self.months if entry.month.cap_applied)


TOTAL_FIELDS = (
    "fee",
    "at_risk_amount",
    "total_before_cap",
    "total_after_cap",
    "earned_back",
    "net",
)


def credit_statement(user: Any, run: ScorecardRun, year: int) -> CreditStatement:
    """The run's credit months of ``year``, their lines, and the year's totals.

    The totals are the sums of the months as shown (each already rounded to
    the cent), so the statement always adds up.
    """
    lines = CreditLine.objects.restrict(user).select_related("service_level")
    months = list(
        CreditMonth.objects.restrict(user)
        .filter(run=run, month_start__year=year)
        .order_by("month_start", "pk")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )
    totals = {
        name: sum((getattr(m, name) for m in months), decimal.Decimal("0.00"))
        for name in TOTAL_FIELDS
    }
    pending = [
        entry
        for entry in run.pending_earnbacks or []
        if str(entry.get("credit_month", "")).startswith(f"{year}-")
        or str(entry.get("returns_in", "")).startswith(f"{year}-")
    ]
    return CreditStatement(
        year=year,
        months=[
            StatementMonth(m, list(m.lines.all()), list((m.detail or {}).get("earnbacks", [])))
            for m in months
        ],
        totals=totals,
        pending_earnbacks=pending,
    )
