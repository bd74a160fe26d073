"""Where the plan stands: linked figures of success measures, and the objectives in force.

An objective's success measure may read a figure by itself: a service
level's latest whole-level result in the scorecard in force (the newest
succeeded run), or the relationship's latest health index. The figure is
compared with the objective's ``target_value`` in the level's direction
(higher or lower is better; the index is higher-is-better). Figures are
read through the visibility rule: a person sees only what they may see.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accord.contracts.models import Contract
from accord.core import signing
from accord.core.choices import Action, Visibility
from accord.health.models import HealthIndex
from accord.parties.models import Relationship
from accord.performance.models import PeriodResult
from accord.performance.scorecards import latest_run
from accord.planning.models import LinkedFigure, Objective, ObjectiveStatus, PlanningCycle


@dataclass(frozen=True)
class Figure:
    """The latest figure of a linked success measure, against the objective's target."""

    source: str  # "PAY-ACC Payment accuracy" or "Health index"
    value: float
    period: str  # "2026-10"
    target: decimal.Decimal | None
    direction: str  # higher / lower
    unit: str
    url: str

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        target = float(self.target)
        return self.value <= target if self.direction == "lower" else self.value >= target

    @property
    def text(self) -> str:
        """The figure in words, e.g. "99.87 in 2026-10 against a target of 99.9 (not met)"."""
        value = f"{self.value:,.2f}".rstrip("0").rstrip(".")
        unit = f" {self.unit}" if self.unit and self.unit != "percent" else ""
        unit = " %" if self.unit == "percent" else unit
        found = f"{value}{unit} in {self.period}"
        if self.target is None:
            return found
        target = f"{self.target.normalize():f}"
        word = "at most" if self.direction == "lower" else "at least"
        verdict = "met" if self.met else "not met"
        return f"{found} against a target of {word} {target}{unit} ({verdict})"


def figures_for(objectives: Iterable[Objective], user: Any) -> dict[int, Figure | None]:
    """The linked figure of each objective (None where nothing is linked or found).

    At most three queries whatever the number of objectives: the scorecard in
    force per contract, the levels' results in it, the latest health index.
    """
    objectives = list(objectives)
    found: dict[int, Figure | None] = {objective.pk: None for objective in objectives}
    by_level = [
        o for o in objectives if o.linked_figure == LinkedFigure.SERVICE_LEVEL and o.service_level
    ]
    by_index = [o for o in objectives if o.linked_figure == LinkedFigure.HEALTH_INDEX]
    if by_level:
        _level_figures(by_level, user, found)
    if by_index:
        relationship_ids = {o.relationship_id for o in by_index}
        latest: dict[int, HealthIndex] = {}
        rows = (
            HealthIndex.objects.restrict(user, Action.VIEW)
            .filter(relationship_id__in=relationship_ids, score__isnull=False)
            .order_by("relationship_id", "-month")
        )
        for row in rows:
            latest.setdefault(row.relationship_id, row)
        for objective in by_index:
            index = latest.get(objective.relationship_id)
            if index is not None and index.score is not None:
                found[objective.pk] = Figure(
                    source="Health index",
                    value=float(index.score),
                    period=f"{index.month:%Y-%m}",
                    target=objective.target_value,
                    direction="higher",
                    unit="",
                    url=index.get_absolute_url(),
                )
    return found


def _level_figures(objectives: list[Objective], user: Any, found: dict[int, Figure | None]) -> None:
    levels = {o.service_level_id: o.service_level for o in objectives if o.service_level}
    contract_ids = {level.contract_id for level in levels.values() if level is not None}
    runs = []
    for contract in Contract.objects.restrict(user, Action.VIEW).filter(pk__in=contract_ids):
        run = latest_run(contract)
        if run is not None:
            runs.append(run.pk)
    latest: dict[int, PeriodResult] = {}
    rows = (
        PeriodResult.objects.restrict(user, Action.VIEW)
        .filter(run_id__in=runs, service_level_id__in=list(levels), breakdown={})
        .exclude(value__isnull=True)
        .order_by("service_level_id", "-period_start")
    )
    for row in rows:
        latest.setdefault(row.service_level_id, row)
    for objective in objectives:
        result = latest.get(objective.service_level_id or 0)
        level = objective.service_level
        if result is None or result.value is None or level is None:
            continue
        found[objective.pk] = Figure(
            source=f"{level.code} {level.name}",
            value=result.value,
            period=result.period,
            target=objective.target_value,
            direction=level.direction,
            unit=level.unit,
            url=result.get_absolute_url(),
        )


def figure_for(objective: Objective, user: Any) -> Figure | None:
    """The latest figure of one objective's linked measure, as ``user`` may see it."""
    return figures_for([objective], user)[objective.pk]


# --------------------------------------------------------------------------- in force


def objectives_in_force(relationship: Relationship | int, month: dt.date) -> QuerySet[Objective]:
    """The joint objectives in force for a relationship in ``month`` (no person: computed use).

    The plan of ``month``'s year governs the whole year once both sides'
    executives have signed its current version; its objectives count unless
    dropped. No plan, or a plan not co-signed, gives none. Three queries at
    most (the plan, its signatures, and the objectives when iterated).
    """
    relationship_id = getattr(relationship, "pk", relationship)
    cycle = (
        PlanningCycle.objects.filter(
            relationship_id=relationship_id, year=month.year, visibility=Visibility.JOINT
        )
        .select_related("relationship")
        .first()
    )
    if cycle is None or not signing.is_cosigned(cycle):
        return Objective.objects.none()
    return Objective.objects.filter(cycle=cycle, visibility=Visibility.JOINT).exclude(
        status=ObjectiveStatus.DROPPED
    )


def plans_awaiting_signature(user: Any) -> list[PlanningCycle]:
    """This year's and later plans that wait for ``user``'s side, where ``user`` is an
    executive who may sign them (for the "Needs my attention" inbox). Two queries."""
    from django.utils import timezone

    from accord.core.choices import RoleName
    from accord.core.models import Signature
    from accord.core.visibility import is_active_person
    from accord.parties.models import Role

    if not is_active_person(user):
        return []
    held = Role.objects.filter(person_id=user.pk, role=RoleName.EXECUTIVE)
    plans = list(
        PlanningCycle.objects.restrict(user, Action.VIEW)
        .filter(
            relationship_id__in=held.values("relationship_id"),
            year__gte=timezone.localdate().year,
            objectives__isnull=False,
        )
        .distinct()
        .select_related("relationship")
        .order_by("year", "pk")
    )
    if not plans:
        return []
    signed = set(
        Signature.objects.restrict(user, Action.VIEW)
        .filter(object_type="planning.planningcycle", object_id__in=[str(p.pk) for p in plans])
        .values_list("object_id", "version", "side")
    )
    return [
        plan
        for plan in plans
        if (str(plan.pk), plan.version, plan.relationship.side_of(user)) not in signed
    ]
