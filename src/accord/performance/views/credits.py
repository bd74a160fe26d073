"""Credit pages: the year's statement, one month in full, one credit explained, the CSV.

Amounts are the run's, already rounded to the cent by the engine with the
contract's rounding rule; the year's totals are sums of the months shown.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views import View

from accord.contracts.models import Contract
from accord.core import charts
from accord.core.exports import csv_response
from accord.core.views import RestrictedObjectMixin, person_of
from accord.engine.periods import parse_month
from accord.engine.results import MISSES
from accord.parties.models import Relationship
from accord.performance import selectors
from accord.performance.models import (
    CreditLine,
    CreditMonth,
    PeriodResult,
    ScorecardRun,
    ServiceLevel,
)
from accord.performance.views.scorecards import (
    export_name,
    run_schedule,
    standing_of,
    year_links,
)

DEFAULT_MISS_WINDOW = 12
TRIGGER_WORDS = {
    "minimum": "missed its minimum",
    "nth_expected_miss": "missed its expected level again within the rolling window",
}


def trigger_words(trigger: str) -> str:
    return TRIGGER_WORDS.get(trigger, trigger.replace("_", " "))


def _run_of(user: Any, run_id: int) -> ScorecardRun:
    """The run of a visible credit record (seen exactly like it: both are joint)."""
    run = (
        ScorecardRun.objects.restrict(user)
        .select_related("contract", "schedule_version")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise Http404("No scorecard run matches the given query.")
    return run


class CreditStatementView(RestrictedObjectMixin, View):
    """The year's credits month by month, with the totals and pending earnbacks."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        standing = standing_of(user, relationship)
        context: dict[str, Any] = {"relationship": relationship, "standing": standing}
        run = standing.run
        if run is not None:
            years = selectors.credit_years(user, run)
            year = selectors.chosen_year(request.GET.get("year"), years)
            statement = selectors.credit_statement(user, run, year) if year else None
            context.update(years=years, year=year, nav=year_links(years, year))
            context["statement"] = statement
            if statement and statement.months:
                currency = standing.contract.currency if standing.contract else ""
                context["chart"] = charts.bar_chart(
                    [
                        charts.Bar(
                            key=entry.month.month,
                            label=selectors.period_heading(entry.month.month),
                            amount=entry.month.net,
                            text=(
                                f"{selectors.period_words(entry.month.month)}: net "
                                f"{currency} {selectors.money(entry.month.net)}"
                            ),
                        )
                        for entry in statement.months
                    ],
                    title=f"Net service credits per month, {year} ({currency})",
                    description=(
                        f"{len(statement.months)} months; net credits for the year "
                        f"{currency} {selectors.money(statement.totals['net'])}. Bars above "
                        "the zero line are credits owed to the buyer, below it amounts "
                        "returned to the provider. The table lists the same figures."
                    ),
                    chart_id=f"credits-{year}",
                )
        return render(request, "performance/scorecards/credit_statement.html", context)


CREDIT_COLUMNS = [
    "relationship", "contract", "currency", "run", "month", "row", "level_code", "level_name",
    "status", "trigger", "allocation_percent", "amount", "charged", "credit_month", "fee",
    "at_risk_amount", "total_before_cap", "cap_applied", "total_after_cap", "earned_back",
    "net", "explanation",
]  # fmt: skip


class CreditCsvView(RestrictedObjectMixin, View):
    """One row per credit line and earnback line, a total row per month and for the year."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        standing = standing_of(user, relationship)
        rows: list[list[Any]] = []
        year = None
        if standing.run is not None and standing.contract is not None:
            year = selectors.chosen_year(
                request.GET.get("year"), selectors.credit_years(user, standing.run)
            )
            if year is not None:
                statement = selectors.credit_statement(user, standing.run, year)
                rows = list(self.rows(relationship, standing.contract, standing.run, statement))
        return csv_response(CREDIT_COLUMNS, rows, export_name(relationship, "credits", year))

    def rows(
        self,
        relationship: Relationship,
        contract: Contract,
        run: ScorecardRun,
        statement: selectors.CreditStatement,
    ) -> Iterator[list[Any]]:
        head = [relationship.name, contract.reference, contract.currency, run.pk]
        blank_totals: list[Any] = [None] * 7
        names = {line.service_level.code: line.service_level.name
                 for entry in statement.months for line in entry.lines}  # fmt: skip
        for entry in statement.months:
            month = entry.month
            for line in entry.lines:
                text = line.explanation + (f" Earnback: {line.earnback}" if line.earnback else "")
                yield [
                    *head, month.month, "credit", line.service_level.code,
                    line.service_level.name, line.status, line.trigger,
                    f"{line.allocation_percent.normalize():f}", line.amount, line.charged, None,
                    *blank_totals, text,
                ]  # fmt: skip
            for earnback in entry.earnbacks:
                amount = decimal.Decimal(str(earnback.get("amount", "0")))
                yield [
                    *head, month.month, "earnback", earnback.get("code"),
                    names.get(str(earnback.get("code")), ""), None, None, None, amount, amount,
                    earnback.get("credit_month"), *blank_totals, earnback.get("explanation"),
                ]  # fmt: skip
            yield [
                *head, month.month, "month total", None, None, None, None, None, None, None,
                None, month.fee, month.at_risk_amount, month.total_before_cap,
                month.cap_applied, month.total_after_cap, month.earned_back, month.net,
                (month.detail or {}).get("net_explanation", ""),
            ]  # fmt: skip
        totals = statement.totals
        yield [
            *head, str(statement.year), "year total", None, None, None, None, None, None, None,
            None, totals["fee"], totals["at_risk_amount"], totals["total_before_cap"],
            statement.cap_months > 0, totals["total_after_cap"], totals["earned_back"],
            totals["net"], run.rounding_rule,
        ]  # fmt: skip


class CreditMonthDetailView(RestrictedObjectMixin, View):
    """One month's statement in full, from the engine's own account of it."""

    model = CreditMonth

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        month = self.get_object()
        user = person_of(request)
        run = _run_of(user, month.run_id)
        contract = run.contract
        latest = selectors.latest_run_for(user, contract)
        lines = (
            CreditLine.objects.restrict(user)
            .filter(credit_month=month)
            .select_related("service_level")
            .order_by("service_level__position", "pk")
        )
        levels = {
            level.code: level
            for level in ServiceLevel.objects.restrict(user).filter(contract=contract)
        }
        results = {
            result.service_level.code: result
            for result in PeriodResult.objects.restrict(user)
            .filter(run=run, period=month.month, breakdown_label="")
            .select_related("service_level")
        }
        detail = month.detail or {}

        def linked(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [
                {
                    **entry,
                    "level": levels.get(entry.get("code", "")),
                    "result": results.get(entry.get("code", "")),
                }
                for entry in entries
            ]

        context = {
            "month": month,
            "run": run,
            "contract": contract,
            "relationship": contract.relationship,
            "latest": latest,
            "is_latest": latest is not None and latest.pk == run.pk,
            "lines": [
                {"line": line, "result": results.get(line.service_level.code)} for line in lines
            ],
            "detail": detail,
            "excused": linked(detail.get("excused", [])),
            "misses": linked(detail.get("misses_not_credited", [])),
            "earnbacks": linked(detail.get("earnbacks", [])),
            "month_words": selectors.period_words(month.month),
            "trigger_words": TRIGGER_WORDS,
        }
        return render(request, "performance/scorecards/credit_month_detail.html", context)


class CreditLineDetailView(RestrictedObjectMixin, View):
    """One credit explained: the results that triggered it, the arithmetic, its earnback."""

    model = CreditLine

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        line = self.get_object()
        user = person_of(request)
        month = line.credit_month
        run = _run_of(user, month.run_id)
        contract = run.contract
        level = line.service_level
        schedule = run_schedule(contract, run)
        terms = schedule.credits if schedule is not None else None
        window = terms.expected_miss_rule.months if terms else DEFAULT_MISS_WINDOW
        need = terms.earnback.months if terms and terms.earnback else 0
        credited = parse_month(month.month)
        window_months = [str(credited.shift(-back)) for back in range(window - 1, -1, -1)]
        after = [str(credited.shift(step)) for step in range(1, need + 1)]
        results = list(
            PeriodResult.objects.restrict(user)
            .filter(
                run=run,
                service_level=level,
                breakdown_label="",
                period__in=window_months + after,
            )
            .order_by("period_start")
        )
        excused = {tuple(pair) for pair in run.excused or []}
        if line.trigger == "minimum":
            triggering = [r for r in results if r.period == month.month]
        else:
            triggering = [
                r
                for r in results
                if r.period in window_months
                and r.status in MISSES
                and (level.code, r.period) not in excused
            ]
        pending = [
            entry
            for entry in run.pending_earnbacks or []
            if entry.get("code") == level.code and entry.get("credit_month") == month.month
        ]
        returned_in = None
        for later in (
            CreditMonth.objects.restrict(user)
            .filter(run=run, month_start__gt=month.month_start)
            .order_by("month_start")
        ):
            for earnback in (later.detail or {}).get("earnbacks", []):
                if (
                    earnback.get("code") == level.code
                    and earnback.get("credit_month") == month.month
                ):
                    returned_in = (later, earnback)
            if returned_in:
                break
        context = {
            "line": line,
            "month": month,
            "run": run,
            "level": level,
            "contract": contract,
            "relationship": contract.relationship,
            "triggering": [self.row(r, level) for r in triggering],
            "following": [self.row(r, level) for r in results if r.period in after],
            "window": window,
            "window_first": window_months[0],
            "misses_needed": terms.expected_miss_rule.misses if terms else None,
            "earnback_months": need,
            "pending": pending,
            "returned_in": returned_in,
            "trigger_words": trigger_words(line.trigger),
            "at_risk_explanation": (month.detail or {}).get("at_risk_explanation", ""),
            "month_words": selectors.period_words(month.month),
            "capped": line.charged != line.amount,
        }
        return render(request, "performance/scorecards/credit_line_detail.html", context)

    @staticmethod
    def row(result: PeriodResult, level: ServiceLevel) -> dict[str, Any]:
        return {
            "result": result,
            "cell": selectors.Cell(result.period, result, level.unit),
            "words": selectors.period_words(result.period),
            "expected": selectors.format_target(result.expected, level.unit),
            "minimum": selectors.format_target(result.minimum, level.unit),
        }
