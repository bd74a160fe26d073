"""Reading survey results: per-dimension scores, perception gaps, trends and counts.

Everything here reads through ``restrict(user, VIEW)``, except the number of
people who answered an open round per side: the model states that each side
sees that count (and nothing else) while a round is open.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from accord.core.choices import Side
from accord.health.models import (
    RoundStatus,
    Subject,
    SurveyComment,
    SurveyDimension,
    SurveyResponse,
    SurveyRound,
    SurveyScore,
)

TWO_PLACES = decimal.Decimal("0.01")
SIDES = (Side.BUYER, Side.PROVIDER)


def other_side(side: str) -> str:
    return Side.PROVIDER if side == Side.BUYER else Side.BUYER


def side_label(side: str) -> str:
    return str(Side(side).label)


@dataclass(frozen=True)
class Cell:
    """One published score: how many rated, the mean (None when suppressed)."""

    respondents: int
    mean: decimal.Decimal | None
    suppressed: bool


@dataclass
class DimensionResult:
    """One dimension of a closed round: each side's scores and each side's perception gap.

    ``cells[(side, subject)]``: what ``side`` rated about ``subject``.
    ``gaps[side]``: how ``side`` rates itself minus how the other side rates it.
    """

    dimension: SurveyDimension
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    gaps: dict[str, decimal.Decimal | None] = field(default_factory=dict)

    def cell(self, side: str, subject: str) -> Cell | None:
        return self.cells.get((side, subject))

    def self_view(self, side: str) -> Cell | None:
        """How ``side`` rates itself."""
        return self.cells.get((side, Subject.SELF))

    def seen_by_other(self, side: str) -> Cell | None:
        """How the other side rates ``side``."""
        return self.cells.get((other_side(side), Subject.OTHER))


def perception_gap(self_cell: Cell | None, other_cell: Cell | None) -> decimal.Decimal | None:
    """Self rating minus the other side's rating of that side; None when either is missing."""
    if self_cell is None or other_cell is None:
        return None
    if self_cell.mean is None or other_cell.mean is None:
        return None
    return self_cell.mean - other_cell.mean


@dataclass
class RoundResults:
    survey: SurveyRound
    dimensions: list[DimensionResult]

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows (dimension, side, subject...) for tables and CSV, gap on the self rows."""
        rows = []
        for result in self.dimensions:
            for (side, subject), cell in result.cells.items():
                gap = result.gaps.get(side) if subject == Subject.SELF else None
                rows.append(
                    {
                        "dimension": result.dimension,
                        "side": side,
                        "subject": subject,
                        "respondents": cell.respondents,
                        "mean": cell.mean,
                        "suppressed": cell.suppressed,
                        "gap": gap,
                    }
                )
        return rows


SUBJECT_ORDER: dict[str, int] = {Subject.RELATIONSHIP: 0, Subject.SELF: 1, Subject.OTHER: 2}


def round_results(survey: SurveyRound, user: Any) -> RoundResults:
    """The closed round's scores, dimension by dimension, with each side's gap."""
    scores = (
        SurveyScore.objects.restrict(user)
        .filter(round=survey)
        .select_related("dimension")
        .order_by("dimension__position", "dimension_id", "side", "subject")
    )
    by_dimension: dict[int, DimensionResult] = {}
    for score in scores:
        result = by_dimension.setdefault(
            score.dimension_id, DimensionResult(dimension=score.dimension)
        )
        result.cells[(score.side, score.subject)] = Cell(
            score.respondents, score.mean, score.suppressed
        )
    for result in by_dimension.values():
        result.cells = dict(
            sorted(result.cells.items(), key=lambda kv: (kv[0][0], SUBJECT_ORDER[kv[0][1]]))
        )
        for side in SIDES:
            result.gaps[side] = perception_gap(result.self_view(side), result.seen_by_other(side))
    return RoundResults(survey=survey, dimensions=list(by_dimension.values()))


def answered_counts(survey: SurveyRound) -> dict[str, int]:
    """How many people of each side have submitted answers (drafts excluded).

    Deliberately not restricted: the count per side is what each side may
    know of the other while a round is open (see ``SurveyRound``).
    """
    counts: dict[str, int] = {side: 0 for side in SIDES}
    rows = (
        SurveyResponse.objects.filter(round_id=survey.pk, submitted_at__isnull=False)
        .values("side")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        counts[row["side"]] = row["count"]
    return counts


def own_response(survey: SurveyRound, user: Any) -> SurveyResponse | None:
    return SurveyResponse.objects.restrict(user).filter(round=survey, respondent_id=user.pk).first()


def comments_by_dimension(survey: SurveyRound, user: Any) -> list[tuple[Any, list[SurveyComment]]]:
    """The published comments, grouped by dimension in the instrument's order."""
    grouped: dict[int, list[SurveyComment]] = defaultdict(list)
    dimensions: dict[int, Any] = {}
    for comment in (
        SurveyComment.objects.restrict(user)
        .filter(round=survey)
        .select_related("dimension")
        .order_by("dimension__position", "dimension_id", "side", "subject", "text")
    ):
        grouped[comment.dimension_id].append(comment)
        dimensions[comment.dimension_id] = comment.dimension
    return [(dimensions[pk], grouped[pk]) for pk in grouped]


@dataclass(frozen=True)
class TrendRow:
    """One closed round in the relationship's trend."""

    survey: SurveyRound
    relationship_mean: dict[str, decimal.Decimal | None]  # by side
    mean_abs_gap: decimal.Decimal | None


def _average(values: list[decimal.Decimal]) -> decimal.Decimal | None:
    if not values:
        return None
    total = sum(values, decimal.Decimal(0)) / decimal.Decimal(len(values))
    return total.quantize(TWO_PLACES, rounding=decimal.ROUND_HALF_UP)


def trend(relationship: Any, user: Any) -> list[TrendRow]:
    """The relationship's closed rounds, oldest first: each side's mean rating of the
    relationship (over the published dimensions) and the mean absolute perception gap."""
    rounds = (
        SurveyRound.objects.restrict(user)
        .filter(relationship=relationship, status=RoundStatus.CLOSED)
        .order_by("period_end", "pk")
    )
    rows = []
    for survey in rounds:
        results = round_results(survey, user)
        means: dict[str, decimal.Decimal | None] = {}
        for side in SIDES:
            values = [
                cell.mean
                for result in results.dimensions
                if (cell := result.cell(side, Subject.RELATIONSHIP)) and cell.mean is not None
            ]
            means[side] = _average(values)
        gaps = [
            abs(gap)
            for result in results.dimensions
            for gap in result.gaps.values()
            if gap is not None
        ]
        rows.append(TrendRow(survey=survey, relationship_mean=means, mean_abs_gap=_average(gaps)))
    return rows
