"""Scorecard pages: the grid, a service level, one result's explanation, the runs, the CSV.

Every page shows the scorecard in force: the newest succeeded run of the
relationship's contract. Reads go through ``restrict`` (see
:mod:`accord.performance.selectors`); these views parse and render only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views import View

from accord.contracts.models import Contract
from accord.core import charts
from accord.core.choices import Action, Side
from accord.core.exports import csv_response
from accord.core.views import RestrictedObjectMixin, person_of
from accord.core.visibility import can
from accord.engine.schedule import Schedule
from accord.parties.models import Relationship
from accord.performance import schedules, selectors
from accord.performance.models import (
    DataImport,
    Excusal,
    ExcusalStatus,
    PeriodResult,
    RunStatus,
    ScorecardRun,
    ServiceLevel,
)

RUN_PAGE_SIZE = 25


# --------------------------------------------------------------------------- shared


@dataclass
class Standing:
    """Where a relationship stands: its contract, whether it has a schedule, the run in force."""

    relationship: Relationship
    contract: Contract | None
    has_schedule: bool
    run: ScorecardRun | None

    @property
    def empty_reason(self) -> str:
        """``no_contract``, ``no_schedule``, ``no_data`` or empty when there is a run."""
        if self.contract is None:
            return "no_contract"
        if not self.has_schedule:
            return "no_schedule"
        return "" if self.run else "no_data"


def standing_of(user: Any, relationship: Relationship) -> Standing:
    contract = selectors.contract_for(user, relationship)
    run = selectors.latest_run_for(user, contract) if contract else None
    has_schedule = run is not None or (
        contract is not None and selectors.has_schedule(user, contract)
    )
    return Standing(relationship, contract, has_schedule, run)


def run_schedule(contract: Contract, run: ScorecardRun) -> Schedule | None:
    """The engine schedule the run used, or None if it no longer builds for the contract."""
    try:
        return schedules.build_schedule(contract, run.schedule_version.document)
    except schedules.ScheduleInvalid:
        return None


def can_request_excusal(user: Any, relationship: Relationship) -> bool:
    """Only the provider side, with the right to add, requests relief."""
    return relationship.side_of(user) == Side.PROVIDER and can(user, Action.ADD, relationship)


def export_name(relationship: Relationship, what: str, year: int | None) -> str:
    slug = slugify(relationship.name) or f"relationship-{relationship.pk}"
    return f"{slug}-{what}-{year or 'all'}.csv"


def year_links(years: list[int], year: int | None) -> dict[str, int | None]:
    """The previous and next years with figures around ``year``."""
    earlier = [y for y in years if year is not None and y < year]
    later = [y for y in years if year is not None and y > year]
    return {"previous": earlier[-1] if earlier else None, "next": later[0] if later else None}


# --------------------------------------------------------------------------- the scorecard


class ScorecardView(RestrictedObjectMixin, View):
    """Service levels × periods of a year, status by colour and words, each cell explained."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        standing = standing_of(user, relationship)
        context: dict[str, Any] = {"relationship": relationship, "standing": standing}
        if standing.run is not None:
            years = selectors.result_years(user, standing.run)
            year = selectors.chosen_year(request.GET.get("year"), years)
            grid = selectors.scorecard_grid(user, standing.run, year) if year else None
            counts = grid.status_counts if grid else {}
            context.update(
                years=years,
                year=year,
                nav=year_links(years, year),
                grid=grid,
                statuses=[
                    (status, words, icon, counts.get(status, 0))
                    for status, (words, icon) in selectors.STATUS_DISPLAY.items()
                ],
            )
        return render(request, "performance/scorecards/scorecard.html", context)


SCORECARD_COLUMNS = [
    "relationship", "contract", "run", "schedule_version", "level_code", "level_name", "kind",
    "period", "period_start", "period_end", "breakdown", "value", "unit", "value_shown",
    "numerator", "denominator", "volume", "expected", "minimum", "status", "rule",
]  # fmt: skip


class ScorecardCsvView(RestrictedObjectMixin, View):
    """The year's results, one row per level × period (breakdown groups included)."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        standing = standing_of(user, relationship)
        run = standing.run
        year = None
        rows: Iterable[list[Any]] = []
        if run is not None and standing.contract is not None:
            year = selectors.chosen_year(request.GET.get("year"), selectors.result_years(user, run))
            rows = self.rows(user, relationship, standing.contract, run, year)
        return csv_response(SCORECARD_COLUMNS, rows, export_name(relationship, "scorecard", year))

    def rows(
        self,
        user: Any,
        relationship: Relationship,
        contract: Contract,
        run: ScorecardRun,
        year: int | None,
    ) -> Iterator[list[Any]]:
        results = (
            PeriodResult.objects.restrict(user)
            .filter(run=run, period_start__year=year)
            .select_related("service_level")
            .order_by(
                "service_level__position",
                "service_level__code",
                "period_start",
                "breakdown_label",
                "pk",
            )  # fmt: skip
        )
        for result in results.iterator(chunk_size=2000):
            level = result.service_level
            yield [
                relationship.name, contract.reference, run.pk, run.schedule_version.number,
                level.code, level.name, level.kind, result.period, result.period_start,
                result.period_end, result.breakdown_label, result.value, level.unit,
                selectors.format_value(result.value, level.unit), result.numerator,
                result.denominator, result.volume, result.expected, result.minimum,
                result.status, result.rule,
            ]  # fmt: skip


# --------------------------------------------------------------------------- one level


def _trend_points(results: list[PeriodResult], level: ServiceLevel) -> list[charts.TrendPoint]:
    points = []
    for result in results:
        words = selectors.period_words(result.period)
        shown = selectors.format_value(result.value, level.unit)
        status = selectors.status_words(result.status).lower()
        points.append(
            charts.TrendPoint(
                period=result.period,
                label=selectors.period_short(result.period),
                value=result.value,
                expected=float(result.expected),
                minimum=None if result.minimum is None else float(result.minimum),
                status=result.status,
                text=f"{words}: {shown} ({status})",
            )
        )
    return points


class ServiceLevelDetailView(RestrictedObjectMixin, View):
    """A level's definition, its trend, its periods and its breakdown groups."""

    model = ServiceLevel

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        level = self.get_object()
        user = person_of(request)
        contract = level.contract
        relationship = contract.relationship
        run = selectors.latest_run_for(user, contract)
        results = selectors.level_results(user, run, level) if run else []
        overall = [r for r in results if not r.breakdown_label]
        excusals: dict[str, list[Excusal]] = {}
        for excusal in Excusal.objects.restrict(user).filter(service_level=level):
            excusals.setdefault(excusal.month, []).append(excusal)
        may_request = (
            level.is_critical
            and level.period == "month"
            and can_request_excusal(user, relationship)
        )
        rows = [
            {
                "result": result,
                "cell": selectors.Cell(result.period, result, level.unit),
                "expected": selectors.format_target(result.expected, level.unit),
                "minimum": selectors.format_target(result.minimum, level.unit),
                "words": selectors.period_words(result.period),
                "excusals": excusals.get(result.period, []),
                "may_request": may_request and result.status in selectors.MISSED_STATUSES,
            }
            for result in overall
        ]
        chart = None
        if overall:
            misses = sum(1 for r in overall if r.status in selectors.MISSED_STATUSES)
            chart = charts.trend_chart(
                _trend_points(overall, level),
                title=f"{level.code} {level.name}: value per period",
                description=(
                    f"{len(overall)} periods from {selectors.period_words(overall[0].period)} "
                    f"to {selectors.period_words(overall[-1].period)}; {misses} missed. "
                    f"Expected {selectors.comparison_words(level.direction)} "
                    f"{selectors.format_target(level.expected, level.unit)}"
                    + (
                        f", minimum {selectors.format_target(level.minimum, level.unit)}"
                        if level.minimum is not None
                        else ""
                    )
                    + ". The table below lists the same figures."
                ),
                chart_id=f"trend-{level.pk}",
                percent=level.unit == "percent",
            )
        context = {
            "level": level,
            "contract": contract,
            "relationship": relationship,
            "run": run,
            "rule": overall[-1].rule if overall else (results[-1].rule if results else ""),
            "expected": selectors.format_target(level.expected, level.unit),
            "minimum": selectors.format_target(level.minimum, level.unit),
            "comparison": selectors.comparison_words(level.direction),
            "rows": rows,
            "chart": chart,
            "breakdown": selectors.breakdown_table(level, results, request.GET.get("dimension")),
            "may_request": may_request,
            "can_edit": ServiceLevel.objects.restrict(user, Action.CHANGE)
            .filter(pk=level.pk)
            .exists(),
        }
        return render(request, "performance/scorecards/service_level_detail.html", context)


# --------------------------------------------------------------------------- one result


def calendar_facts(
    schedule: Schedule | None, code: str, result: PeriodResult, fallback: str = ""
) -> dict[str, Any]:
    """The calendar the level used in the run: name, zone, hours, holidays in the period.

    The run's own schedule says which calendar the level used (``fallback``,
    the level's calendar now, serves when that schedule does not name the
    level). Empty when the level counts elapsed time (no calendar).
    """
    if schedule is None:
        return {}
    spec = next((lv for lv in schedule.service_levels if lv.code == code), None)
    key = spec.calendar if spec is not None else fallback
    if not key:
        return {}
    calendar = schedule.calendars.get(key)
    if calendar is None:
        return {"key": key, "missing": True}
    document = calendar.to_dict()
    hours = document.get("hours")
    if isinstance(hours, dict):
        hours_text = "; ".join(f"{day} {', '.join(windows)}" for day, windows in hours.items())
    else:
        hours_text = "24 hours a day, 7 days a week" if hours == "24x7" else str(hours or "")
    first, end = result.period_start, result.period_end
    years = range(first.year, end.year + 1)
    names: Any = calendar.holidays.country_holidays(years) or {}
    in_period = [
        (day, names.get(day, "added by the contract"))
        for day in calendar.holiday_dates(first.year, end.year)
        if first <= day < end
    ]
    rules = calendar.holidays
    return {
        "key": key,
        "name": calendar.name or key,
        "timezone": calendar.timezone,
        "hours": hours_text,
        "holiday_rules": rules.label(),
        "added": sorted(rules.add),
        "removed": sorted(rules.remove),
        "holidays": in_period,
    }


class ResultDetailView(RestrictedObjectMixin, View):
    """One figure explained: inputs, rule, targets, calendar, schedule version, imports."""

    model = PeriodResult

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        result = self.get_object()
        user = person_of(request)
        run = (
            ScorecardRun.objects.restrict(user)
            .select_related("schedule_version", "contract")
            .filter(pk=result.run_id)
            .first()
        )
        if run is None:  # a result is seen exactly like its run; never expected here
            raise Http404("No scorecard run matches the given query.")
        level = result.service_level
        contract = run.contract
        latest = selectors.latest_run_for(user, contract)
        imports = (
            DataImport.objects.restrict(user)
            .filter(runs=run, source__name=level.source)
            .select_related("source")
            .order_by("pk")
        )
        siblings = (
            PeriodResult.objects.restrict(user)
            .filter(run=run, service_level=level, period=result.period)
            .exclude(pk=result.pk)
            .order_by("breakdown_label")
        )
        excusals = Excusal.objects.restrict(user).filter(service_level=level, month=result.period)
        excused_in_run = [level.code, result.period] in (run.excused or [])
        context = {
            "result": result,
            "level": level,
            "run": run,
            "contract": contract,
            "relationship": contract.relationship,
            "latest": latest,
            "is_latest": latest is not None and latest.pk == run.pk,
            "imports": imports,
            "siblings": [selectors.Cell(other.period, other, level.unit) for other in siblings],
            "excusals": excusals,
            "approved_excusals": [e for e in excusals if e.status == ExcusalStatus.APPROVED],
            "excused_in_run": excused_in_run,
            "cell": selectors.Cell(result.period, result, level.unit),
            "value": selectors.format_value(result.value, level.unit),
            "numerator": selectors.format_number(result.numerator),
            "denominator": selectors.format_number(result.denominator),
            "sentence": selectors.status_sentence(result, level),
            "expected": selectors.format_target(result.expected, level.unit),
            "minimum": selectors.format_target(result.minimum, level.unit),
            "comparison": selectors.comparison_words(level.direction),
            "period_words": selectors.period_words(result.period),
            "calendar": calendar_facts(
                run_schedule(contract, run), level.code, result, level.calendar
            ),
            "engine_versions": sorted((run.engine_versions or {}).items()),
        }
        return render(request, "performance/scorecards/result_detail.html", context)


# --------------------------------------------------------------------------- the runs


class RunListView(RestrictedObjectMixin, View):
    """Every recomputation of the relationship's scorecards, newest first."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        runs = selectors.runs_for(user, relationship)
        in_force = (
            ScorecardRun.objects.restrict(user)
            .filter(relationship=relationship, status=RunStatus.SUCCEEDED)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        page = Paginator(runs, RUN_PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "relationship": relationship,
            "runs": page.object_list,
            "page": page,
            "in_force": in_force,
        }
        return render(request, "performance/scorecards/run_list.html", context)
