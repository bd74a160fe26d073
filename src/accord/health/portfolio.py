"""Reading the health index: a relationship's months and the portfolio of relationships.

Every query goes through ``restrict(user)``: the index is joint, and the one
buyer-only fact shown next to it (a triggered financial-erosion sign) is
read through the sign readings a person may see, so the provider never
learns it exists.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from accord.core.choices import Action
from accord.health.models import (
    BUYER_ONLY_SIGNS,
    HealthIndex,
    SignCode,
    SignReading,
    SignState,
)
from accord.health.refresh import add_months
from accord.parties.models import Relationship

TREND_MONTHS = 12
SORTS = ("name", "index", "change", "triggered")


@dataclass
class PortfolioRow:
    """One relationship in the health portfolio."""

    relationship: Relationship
    latest: HealthIndex | None
    previous: HealthIndex | None
    history: list[HealthIndex] = field(default_factory=list)
    triggered: list[str] = field(default_factory=list)  # sign codes, joint first

    @property
    def score(self) -> decimal.Decimal | None:
        return self.latest.score if self.latest is not None else None

    @property
    def change(self) -> decimal.Decimal | None:
        """Points gained (or lost) since the month before the latest."""
        if self.latest is None or self.previous is None:
            return None
        if self.latest.score is None or self.previous.score is None:
            return None
        return self.latest.score - self.previous.score

    @property
    def triggered_count(self) -> int:
        return len(self.triggered)

    @property
    def triggered_labels(self) -> list[str]:
        return [SignCode(code).label for code in self.triggered if code in SignCode.values]


def visible_indices(user: Any, relationship: Relationship | None = None) -> Any:
    rows = HealthIndex.objects.restrict(user, Action.VIEW)
    if relationship is not None:
        rows = rows.filter(relationship=relationship)
    return rows


def latest_scored(history: list[HealthIndex]) -> HealthIndex | None:
    """The newest month with a score (an all-missing month says nothing)."""
    for index in reversed(history):
        if index.score is not None:
            return index
    return history[-1] if history else None


def previous_of(history: list[HealthIndex], latest: HealthIndex | None) -> HealthIndex | None:
    """The index of the month before ``latest``, if computed."""
    if latest is None:
        return None
    wanted = add_months(latest.month, -1)
    return next((index for index in history if index.month == wanted), None)


def trend(history: list[HealthIndex], latest: HealthIndex | None) -> list[HealthIndex]:
    """The twelve months ending with ``latest`` (oldest first)."""
    if latest is None:
        return []
    first = add_months(latest.month, 1 - TREND_MONTHS)
    return [index for index in history if first <= index.month <= latest.month]


def financial_triggers(user: Any, relationship_ids: list[int]) -> set[int]:
    """Relationships whose latest financial-erosion reading ``user`` may see is triggered.

    Only the buyer's people see those readings, so for anyone else this is empty.
    """
    latest: dict[int, tuple[dt.date, str]] = {}
    readings = (
        SignReading.objects.restrict(user, Action.VIEW)
        .filter(relationship_id__in=relationship_ids, sign__in=BUYER_ONLY_SIGNS)
        .values_list("relationship_id", "month", "state")
    )
    for rel_id, month, state in readings:
        if rel_id not in latest or month > latest[rel_id][0]:
            latest[rel_id] = (month, state)
    return {rel_id for rel_id, (_m, state) in latest.items() if state == SignState.TRIGGERED}


def portfolio_rows(user: Any, sort: str = "name") -> list[PortfolioRow]:
    """Every relationship ``user`` may see, with its index, change, trend and triggered signs."""
    relationships = list(
        Relationship.objects.restrict(user).select_related("buyer", "provider").order_by("name")
    )
    ids = [r.pk for r in relationships]
    histories: dict[int, list[HealthIndex]] = defaultdict(list)
    for index in visible_indices(user).filter(relationship_id__in=ids).order_by("month"):
        histories[index.relationship_id].append(index)
    financial = financial_triggers(user, ids)
    rows = []
    for relationship in relationships:
        history = histories.get(relationship.pk, [])
        latest = latest_scored(history)
        triggered = list(latest.triggered_signs) if latest is not None else []
        if relationship.pk in financial:
            triggered.append(SignCode.FINANCIAL_EROSION.value)
        rows.append(
            PortfolioRow(
                relationship=relationship,
                latest=latest,
                previous=previous_of(history, latest),
                history=trend(history, latest),
                triggered=triggered,
            )
        )
    return sort_rows(rows, sort)


def parse_sort(value: str) -> tuple[str, bool]:
    """(column, descending) from ``?sort=`` (``-index``: highest first); unknown: name."""
    descending = value.startswith("-")
    column = value.lstrip("-")
    if column not in SORTS:
        return "name", False
    return column, descending


def sort_rows(rows: list[PortfolioRow], sort: str) -> list[PortfolioRow]:
    """Rows sorted by ``sort``; relationships without a figure come last either way."""
    column, descending = parse_sort(sort)
    if column == "name":
        return sorted(rows, key=lambda r: r.relationship.name.lower(), reverse=descending)
    getters = {
        "index": lambda r: r.score,
        "change": lambda r: r.change,
        "triggered": lambda r: r.triggered_count,
    }
    get = getters[column]
    known = [r for r in rows if get(r) is not None]
    unknown = [r for r in rows if get(r) is None]
    known.sort(key=lambda r: (get(r), r.relationship.name.lower()), reverse=descending)
    return known + sorted(unknown, key=lambda r: r.relationship.name.lower())
