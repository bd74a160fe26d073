"""What an evaluation hands back: one result per service level, period and breakdown.

These plain, frozen records are the engine's answer to "did the provider meet
its service levels?": the app stores them, the credit rules read their
``status``, and the command line prints them. ``to_dict`` gives their JSON form.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["STATUSES", "LevelResult", "Status"]

Status = Literal["met", "missed_expected", "missed_minimum", "no_data", "below_volume"]
STATUSES: tuple[Status, ...] = (
    "met",
    "missed_expected",
    "missed_minimum",
    "no_data",
    "below_volume",
)
# Statuses that count as a miss of the expected level (a minimum miss is one too).
MISSES: frozenset[Status] = frozenset({"missed_expected", "missed_minimum"})


@dataclass(frozen=True)
class LevelResult:
    """The value of one service level over one period (and one breakdown group).

    ``numerator`` and ``denominator`` are the inputs of the value as the measure
    defines them (rows meeting the condition and rows counted, sum and count,
    ...); ``volume`` is the number of rows measured, compared with the level's
    minimum volume. ``value`` is None when nothing was measured. ``breakdown``
    is empty for the level as a whole, else ``{column: value}`` of the group.
    """

    code: str
    period: str
    period_start: str  # ISO local date of the first day
    period_end: str  # ISO local date after the last day
    value: float | None
    numerator: float | None
    denominator: float | None
    volume: int
    expected: decimal.Decimal
    minimum: decimal.Decimal | None
    status: Status
    rule: str  # how the value was computed, in words
    breakdown: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (decimals as text, so no precision is lost)."""
        return {
            "code": self.code,
            "period": self.period,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "breakdown": self.breakdown,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "volume": self.volume,
            "expected": str(self.expected),
            "minimum": None if self.minimum is None else str(self.minimum),
            "status": self.status,
            "rule": self.rule,
        }
