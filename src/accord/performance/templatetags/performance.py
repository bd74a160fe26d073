"""The contract-and-performance card of a relationship's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Sum

from accord.contracts.models import Contract
from accord.core.choices import Action, Side
from accord.core.visibility import can
from accord.performance.models import CreditMonth, Excusal, ExcusalStatus, PeriodResult
from accord.performance.scorecards import latest_run
from accord.performance.selectors import STATUS_DISPLAY

register = template.Library()


@register.inclusion_tag("performance/relationship/card.html", takes_context=True)
def performance_card(context: dict[str, Any], relationship: Any) -> dict[str, Any]:
    """What a contract manager wants first: the latest scorecard's misses and the credits."""
    user = context["request"].user
    side = relationship.side_of(user)
    contract = Contract.objects.restrict(user).filter(relationship=relationship).first()
    card: dict[str, Any] = {
        "relationship": relationship,
        "contract": contract,
        "side": side,
        "is_buyer": side == Side.BUYER,
        "is_provider": side == Side.PROVIDER,
        "can_add": bool(side) and can(user, Action.ADD, relationship),
    }
    if contract is None:
        return card
    run = latest_run(contract)
    card["run"] = run
    card["open_excusals"] = (
        Excusal.objects.restrict(user)
        .filter(contract=contract, status=ExcusalStatus.REQUESTED)
        .count()
    )
    if run is not None:
        statuses = (
            PeriodResult.objects.restrict(user)
            .filter(run=run, breakdown={}, period=run.last_period)
            .values("status")
            .annotate(n=Count("pk"))
        )
        card["last_period"] = run.last_period
        card["statuses"] = {row["status"]: row["n"] for row in statuses}
        year = run.last_period[:4]
        card["year"] = year
        card["credits_ytd"] = (
            CreditMonth.objects.restrict(user)
            .filter(run=run, month__startswith=year)
            .aggregate(total=Sum("net"))["total"]
        )
    return card


@register.filter
def status_label(status: str) -> str:
    """A result status in words (colour is never the only signal)."""
    words, _icon = STATUS_DISPLAY.get(status, (status.replace("_", " "), ""))
    return words
