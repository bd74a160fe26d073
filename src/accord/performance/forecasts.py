"""The buyer's private forecast of service credits for the rest of a contract year.

A forecast is a record the buyer keeps for itself (visibility ``buyer``,
whatever is asked; the provider never sees it). It is made from the
scorecard in force (the newest succeeded run): months already reported
count with their actual net credits; each month still to come is projected
from each critical level's recent record, by a rule simple enough to state
in one paragraph, which the forecast keeps as its ``method``.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accord.contracts.models import Contract
from accord.core.choices import Action, Side, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import get_for
from accord.core.visibility import can
from accord.engine.credits import CreditTerms
from accord.engine.periods import Month
from accord.performance.models import CreditForecast, CreditLine, CreditMonth, ScorecardRun

# How many of the latest reported months a level's record is read over.
WINDOW = 3
_ROUNDING = {"half_up": decimal.ROUND_HALF_UP, "half_even": decimal.ROUND_HALF_EVEN}
_CENT = decimal.Decimal("0.01")
_HUNDRED = decimal.Decimal(100)


@dataclass(frozen=True)
class Projection:
    """What a forecast stores: its method in words, its lines and their total."""

    method: str
    lines: list[dict[str, str]]
    total: decimal.Decimal


def _month_of(day: Any) -> Month:
    return Month(day.year, day.month)


def _months_of_year(contract: Contract, year: int) -> list[Month]:
    """The months of ``year`` inside the contract's term."""
    first = max(Month(year, 1), _month_of(contract.start_date))
    last = min(Month(year, 12), _month_of(contract.end_date))
    return [Month.from_index(i) for i in range(first.index, last.index + 1)]


def _money(amount: decimal.Decimal) -> str:
    return f"{amount:,.2f}"


def project(
    contract: Contract, year: int, run: ScorecardRun, terms: CreditTerms | None
) -> Projection:
    """The forecast of ``year``'s credits from ``run``, with the schedule's credit ``terms``.

    Pure arithmetic over stored rows; no permission check (the service does that).
    """
    rounding = _ROUNDING.get(terms.rounding if terms else "half_up", decimal.ROUND_HALF_UP)

    def cents(amount: decimal.Decimal) -> decimal.Decimal:
        return amount.quantize(_CENT, rounding=rounding)

    reported = list(CreditMonth.objects.filter(run=run).order_by("month_start"))
    by_month = {entry.month: entry for entry in reported}
    window = reported[-WINDOW:]
    charged: dict[str, set[str]] = {}  # level code -> months of the window it was credited in
    for code, month in CreditLine.objects.filter(credit_month__in=window).values_list(
        "service_level__code", "credit_month__month"
    ):
        charged.setdefault(code, set()).add(month)
    last_reported = _month_of(reported[-1].month_start) if reported else None

    lines: list[dict[str, str]] = []
    for month in _months_of_year(contract, year):
        entry = by_month.get(str(month))
        if entry is not None:
            codes = sorted(
                CreditLine.objects.filter(credit_month=entry).values_list(
                    "service_level__code", flat=True
                )
            )
            lines.append(
                {
                    "month": str(month),
                    "kind": "actual",
                    "code": "",
                    "amount": str(entry.net),
                    "basis": (
                        f"Reported: net credits of the scorecard (run #{run.pk}): "
                        f"{_money(entry.total_after_cap)} after the cap"
                        + (f" ({', '.join(codes)})" if codes else "")
                        + f", earnbacks {_money(entry.earned_back)}."
                    ),
                }
            )
            continue
        if last_reported is None or month <= last_reported or terms is None or not window:
            continue  # nothing reported to project from, or a month before the data
        lines.extend(_projected_month(month, terms, window, charged, cents))

    total = sum((decimal.Decimal(line["amount"]) for line in lines), decimal.Decimal(0))
    return Projection(_method(run, year, terms, window), lines, cents(total))


def _projected_month(
    month: Month,
    terms: CreditTerms,
    window: list[CreditMonth],
    charged: dict[str, set[str]],
    cents: Any,
) -> list[dict[str, str]]:
    try:
        fee = terms.fee_for(month)
    except ValueError:
        return []  # the fee schedule has not started: nothing is at risk
    at_risk = fee * terms.at_risk_percent / _HUNDRED
    span = len(window)
    lines = []
    month_total = decimal.Decimal(0)
    for allocation in terms.allocations:
        hits = len(charged.get(allocation.code, ()))
        if not hits:
            continue
        amount = cents(
            decimal.Decimal(hits) / span * allocation.effective_percent / _HUNDRED * at_risk
        )
        month_total += amount
        lines.append(
            {
                "month": str(month),
                "kind": "projected",
                "code": allocation.code,
                "amount": str(amount),
                "basis": (
                    f"Credited in {hits} of the last {span} reported months: "
                    f"{hits}/{span} × {allocation.effective_percent.normalize():f}% × "
                    f"{_money(at_risk)} at risk = {_money(amount)}."
                ),
            }
        )
    at_risk_cents = cents(at_risk)
    if month_total > at_risk_cents:
        lines.append(
            {
                "month": str(month),
                "kind": "cap",
                "code": "",
                "amount": str(at_risk_cents - month_total),
                "basis": (
                    f"Monthly cap: credits may not exceed the at-risk amount "
                    f"{_money(at_risk_cents)}."
                ),
            }
        )
    return lines


def _method(
    run: ScorecardRun, year: int, terms: CreditTerms | None, window: list[CreditMonth]
) -> str:
    months = ", ".join(entry.month for entry in window)
    parts = [
        f"Made from the scorecard in force (run #{run.pk}). Months of {year} already reported "
        "count with their actual net credits (after the cap, less earnbacks)."
    ]
    if terms is None:
        parts.append("The schedule has no credit terms, so nothing is projected.")
    elif not window:
        parts.append("No month is reported yet, so there is no record to project from.")
    else:
        parts.append(
            f"Each remaining month is projected per critical service level from its record over "
            f"the last {len(window)} reported months ({months}): a level credited in k of those "
            f"{len(window)} months is projected at k/{len(window)} × its allocation × that "
            "month's at-risk amount (the at-risk % of the month's fee). This is an expected "
            "value, not a guess at which month will miss; a level with no recent credit is "
            "projected at nothing."
        )
        parts.append(
            "The monthly cap (the at-risk amount) is applied. Earnbacks, future excusals and "
            "changes to the schedule or the fees are not projected. Each line is rounded to the "
            f"cent ({terms.rounding.replace('_', ' ')}); the total is the sum of the lines."
        )
    return " ".join(parts)


def _schedule_terms(contract: Contract) -> CreditTerms | None:
    """The credit terms of the schedule in force (they govern the months to come)."""
    from accord.performance import schedules
    from accord.performance.services import current_version

    version = current_version(contract)
    if version is None:
        return None
    return schedules.build_schedule(contract, version.document).credits


def credit_forecast_create(
    *, contract: Contract, year: int, actor: Any, note: str = ""
) -> CreditForecast:
    """Forecast ``year``'s credits for the buyer, from the scorecard in force (buyer only)."""
    from accord.performance.scorecards import latest_run

    contract = get_for(actor, Contract, pk=contract.pk)
    relationship = contract.relationship
    if relationship.side_of(actor) != Side.BUYER or not can(
        actor, Action.ADD, relationship, Visibility.BUYER
    ):
        raise PermissionDenied("Only the buyer makes credit forecasts.")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "Give a year, e.g. 2026."}) from None
    if not _months_of_year(contract, year):
        raise ValidationError(
            {
                "year": f"{year} is outside the contract's term "
                f"({contract.start_date.year} to {contract.end_date.year})."
            }
        )
    run = latest_run(contract)
    if run is None:
        raise ValidationError("There is no scorecard yet to forecast from: import data first.")
    projection = project(contract, year, run, _schedule_terms(contract))
    forecast = CreditForecast(
        relationship=relationship,
        visibility=Visibility.BUYER,
        contract=contract,
        year=year,
        based_on=run,
        method=projection.method,
        lines=projection.lines,
        total=projection.total,
        note=(note or "").strip(),
        created_by=actor,
    )
    forecast.full_clean()
    with transaction.atomic(), acting_as(actor):
        forecast.save()
    return forecast


def credit_forecast_delete(*, forecast: CreditForecast, actor: Any) -> None:
    with transaction.atomic(), acting_as(actor):
        get_for(actor, CreditForecast, Action.DELETE, pk=forecast.pk).delete()
