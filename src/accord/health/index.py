"""The monthly health index: one number both sides share, and how it was made.

Three components, each scored 0-100 from joint inputs only:

* service levels: the critical levels' results that month in the scorecard in
  force (met 100, missed the expected level but met the minimum 50, missed
  the minimum 0; levels not measured that month are left out);
* survey: the latest closed survey round by the month's end: how both sides
  rate the relationship, less a penalty for how far each side's view of
  itself is from the other side's view of it;
* warning signs: 100, less 25 per joint sign triggered and 10 per sign to
  watch that month.

A missing component drops out and the others' weights are rescaled to 100.
Buyer-only inputs (the provider's finances, warning sign 8) never enter it:
both sides must be able to see every number the index is made of.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from accord.contracts.models import Contract
from accord.core.choices import Side, Visibility
from accord.health.models import (
    BUYER_ONLY_SIGNS,
    HealthIndex,
    RoundStatus,
    SignReading,
    SignState,
    Subject,
    SurveyRound,
    SurveyScore,
)
from accord.health.refresh import month_end
from accord.parties.models import Relationship
from accord.performance.models import LevelKind, PeriodResult, ScorecardRun
from accord.performance.scorecards import latest_run

D = decimal.Decimal
CENT = D("0.01")

SERVICE_LEVELS, SURVEY, SIGNS = "service_levels", "survey", "signs"
# (key, label, default weight): the weights add up to 100 and are shown on the pages.
COMPONENTS: list[tuple[str, str, int]] = [
    (SERVICE_LEVELS, "Service levels", 40),
    (SURVEY, "Survey: perception and gaps", 30),
    (SIGNS, "Warning signs", 30),
]
WEIGHTS = {key: weight for key, _label, weight in COMPONENTS}

# Points per critical level's status; other statuses (no data, below volume) are left out.
STATUS_POINTS = {"met": D(100), "missed_expected": D(50), "missed_minimum": D(0)}
GAP_PENALTY_PER_POINT = D(10)
TRIGGERED_PENALTY = D(25)
WATCH_PENALTY = D(10)


@dataclass
class Component:
    """One component's score in one month (``score`` None: missing) and why."""

    key: str
    label: str
    weight: int
    score: D | None
    explanation: str
    source: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def _q(value: D) -> D:
    return value.quantize(CENT, rounding=decimal.ROUND_HALF_UP)


def _num(value: D | None) -> float | None:
    return None if value is None else float(_q(value))


# --------------------------------------------------------------------------- components


def service_level_component(
    relationship: Relationship, run: ScorecardRun | None, month: dt.date
) -> Component:
    """The month's critical levels in ``run``, the scorecard in force (None: none yet)."""
    key, label = SERVICE_LEVELS, "Service levels"
    if run is None:
        return Component(key, label, WEIGHTS[key], None, "No scorecard has been computed yet.")
    period = f"{month:%Y-%m}"
    results = PeriodResult.objects.filter(
        run=run,
        breakdown={},
        period=period,
        service_level__kind=LevelKind.CRITICAL,
        visibility=Visibility.JOINT,
    ).values_list("service_level__code", "status")
    counted = [(code, status) for code, status in results if status in STATUS_POINTS]
    source = {"route": "scorecard", "pk": relationship.pk}
    if not counted:
        return Component(
            key, label, WEIGHTS[key], None,
            f"No critical service level was measured in {period} in the scorecard in force.",
            source=source,
        )  # fmt: skip
    met = sum(1 for _c, s in counted if s == "met")
    partial = sum(1 for _c, s in counted if s == "missed_expected")
    missed = len(counted) - met - partial
    score = sum((STATUS_POINTS[s] for _c, s in counted), D(0)) / len(counted)
    explanation = (
        f"{len(counted)} critical service levels measured in {period}: {met} met "
        f"(100 points each), {partial} missed the expected level but met the minimum "
        f"(50), {missed} missed the minimum (0); the mean is {_q(score)}."
    )
    details = {"met": met, "missed_expected": partial, "missed_minimum": missed,
               "run": run.pk, "period": period}  # fmt: skip
    return Component(key, label, WEIGHTS[key], score, explanation, source, details)


def _perception_to_100(mean: D) -> D:
    """A 1-5 mean on the 0-100 scale (1 is 0, 3 is 50, 5 is 100)."""
    return (mean - 1) * 25


def survey_component(relationship: Relationship, month: dt.date) -> Component:
    key, label = SURVEY, "Survey: perception and gaps"
    survey = (
        SurveyRound.objects.filter(
            relationship=relationship,
            visibility=Visibility.JOINT,
            status=RoundStatus.CLOSED,
            period_end__lte=month_end(month),
        )
        .order_by("-period_end", "-pk")
        .first()
    )
    if survey is None:
        return Component(
            key, label, WEIGHTS[key], None, "No survey round had closed by the end of the month."
        )
    source = {"route": "survey_round_detail", "pk": survey.pk, "title": survey.title}
    scores = list(
        SurveyScore.objects.filter(
            round=survey, visibility=Visibility.JOINT, suppressed=False, mean__isnull=False
        ).values_list("dimension_id", "side", "subject", "mean")
    )
    perception = [mean for _d, _s, subject, mean in scores if subject == Subject.RELATIONSHIP]
    if not perception:
        return Component(
            key, label, WEIGHTS[key], None,
            f"“{survey.title}” has no published rating of the relationship "
            "(too few answered to show one).",
            source=source,
        )  # fmt: skip
    perception_mean = sum(perception, D(0)) / len(perception)
    perception_score = _perception_to_100(perception_mean)
    means = {(dim, side, subject): mean for dim, side, subject, mean in scores}
    gaps: list[D] = []
    for (dim, side, subject), own in means.items():
        if subject != Subject.SELF:
            continue
        other_side = Side.PROVIDER if side == Side.BUYER else Side.BUYER
        theirs = means.get((dim, other_side, Subject.OTHER))
        if theirs is not None:
            gaps.append(abs(own - theirs))
    gap = sum(gaps, D(0)) / len(gaps) if gaps else D(0)
    penalty = gap * GAP_PENALTY_PER_POINT
    score = max(D(0), perception_score - penalty)
    gap_words = (
        f"the mean perception gap over {len(gaps)} side-and-dimension pairs is {_q(gap)} "
        f"points, a penalty of {_q(penalty)}"
        if gaps
        else "no perception gap could be measured (no pair of views published), no penalty"
    )
    explanation = (
        f"“{survey.title}”: both sides rate the relationship {_q(perception_mean)} of 5 "
        f"on average, {_q(perception_score)} on the 0-100 scale; {gap_words} "
        f"({GAP_PENALTY_PER_POINT} per point); score {_q(score)}."
    )
    details = {
        "round": survey.pk,
        "perception_mean": _num(perception_mean),
        "perception": _num(perception_score),
        "gap": _num(gap),
        "penalty": _num(penalty),
    }
    return Component(key, label, WEIGHTS[key], score, explanation, source, details)


def joint_readings(relationship: Relationship, month: dt.date) -> list[SignReading]:
    """The month's readings of the signs both sides see (never the financial sign)."""
    return list(
        SignReading.objects.filter(
            relationship=relationship, month=month, visibility=Visibility.JOINT
        )
        .exclude(sign__in=BUYER_ONLY_SIGNS)
        .order_by("sign")
    )


def signs_component(relationship: Relationship, month: dt.date) -> tuple[Component, list[str]]:
    key, label = SIGNS, "Warning signs"
    readings = [r for r in joint_readings(relationship, month) if r.state != SignState.NO_DATA]
    source = {"route": "sign_board", "pk": relationship.pk}
    if not readings:
        return Component(
            key, label, WEIGHTS[key], None,
            "No warning sign had data to read this month.", source=source,
        ), []  # fmt: skip
    triggered = [r.sign for r in readings if r.state == SignState.TRIGGERED]
    watch = [r.sign for r in readings if r.state == SignState.WATCH]
    score = max(D(0), D(100) - TRIGGERED_PENALTY * len(triggered) - WATCH_PENALTY * len(watch))
    clear = len(readings) - len(triggered) - len(watch)
    explanation = (
        f"{len(readings)} warning signs read: {len(triggered)} triggered "
        f"({TRIGGERED_PENALTY} points off each), {len(watch)} to watch ({WATCH_PENALTY} off "
        f"each), {clear} clear; score {_q(score)}."
    )
    details = {"triggered": triggered, "watch": watch, "clear": clear}
    return Component(key, label, WEIGHTS[key], score, explanation, source, details), triggered


# --------------------------------------------------------------------------- combining


def _split_cents(exact: list[D], total: D) -> list[D]:
    """Round ``exact`` to cents so that they add up to ``total`` (largest remainder)."""
    floors = [value.quantize(CENT, rounding=decimal.ROUND_FLOOR) for value in exact]
    cents = int(((total - sum(floors, D(0))) / CENT).to_integral_value())
    order = sorted(range(len(exact)), key=lambda i: (exact[i] - floors[i], -i), reverse=True)
    for i in order[: max(cents, 0)]:
        floors[i] += CENT
    return floors


def combine(components: list[Component]) -> tuple[D | None, list[dict[str, Any]]]:
    """The index and the JSON rows of its components.

    Missing components drop out and the others' weights are rescaled to add
    up to 100. Each contribution is ``score × effective weight / 100``, in
    cents that add up exactly to the index.
    """
    present = [c for c in components if c.score is not None]
    present_weight = sum(c.weight for c in present)
    rescaled = bool(present) and present_weight != sum(c.weight for c in components)
    exact: dict[str, D] = {}
    if present_weight:
        for c in present:
            assert c.score is not None
            exact[c.key] = _q(c.score) * c.weight / present_weight
    score = _q(sum(exact.values(), D(0))) if present else None
    cents: dict[str, D] = {}
    if score is not None:
        cents = dict(zip(exact, _split_cents(list(exact.values()), score), strict=True))
    rows = []
    for c in components:
        effective = D(c.weight) * 100 / present_weight if c.score is not None else D(0)
        explanation = c.explanation
        if c.score is None:
            explanation += " Left out: the other components' weights are rescaled to 100."
        elif rescaled:
            explanation += (
                f" Weight {c.weight} rescaled to {_q(effective)} because "
                f"{'a component is' if len(components) - len(present) == 1 else 'components are'}"
                " missing."
            )
        rows.append(
            {
                "key": c.key,
                "label": c.label,
                "weight": c.weight,
                "effective_weight": _num(effective),
                "score": _num(c.score),
                "contribution": _num(cents.get(c.key)) if c.score is not None else None,
                "explanation": explanation,
                "source": c.source,
                "details": c.details,
            }
        )
    return score, rows


def index_for_month(
    relationship: Relationship, run: ScorecardRun | None, month: dt.date
) -> tuple[D | None, list[dict[str, Any]], list[str]]:
    """(score, components, triggered joint signs) of one month; ``run``: the scorecard in force."""
    signs, triggered = signs_component(relationship, month)
    components = [
        service_level_component(relationship, run, month),
        survey_component(relationship, month),
        signs,
    ]
    score, rows = combine(components)
    return score, rows, triggered


@transaction.atomic
def compute_index(relationship: Relationship, months: list[dt.date]) -> None:
    """Write one HealthIndex per month of ``months`` from the joint inputs (upsert)."""
    contract = Contract.objects.filter(
        relationship=relationship, visibility=Visibility.JOINT
    ).first()
    run = latest_run(contract) if contract is not None else None  # one scorecard for all months
    for month in months:
        score, rows, triggered = index_for_month(relationship, run, month)
        HealthIndex.objects.update_or_create(
            relationship=relationship,
            month=month,
            defaults={
                "visibility": Visibility.JOINT,
                "score": score,
                "components": rows,
                "triggered_signs": triggered,
            },
        )
