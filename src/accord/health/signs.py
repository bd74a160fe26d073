"""The eight warning signs: thresholds, states and the monthly readings.

For each sign and month, :func:`evaluate_signs` runs the sign's rule
(:mod:`accord.health.sign_rules`), compares the value with the relationship's
thresholds (defaults in ``DEFAULTS``, overridden by a ``SignThreshold`` row)
and upserts one ``SignReading``. Every rule is "higher is worse": a value at or
above ``trigger_at`` is triggered, at or above ``watch_at`` on watch, below it
clear; no value is no data, and a switched-off sign is no data too.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from django.utils import timezone

from accord.health.models import SignCode, SignReading, SignState, SignThreshold, sign_visibility
from accord.health.sign_rules import DEFAULTS, RULES, Outcome, RuleContext, num
from accord.parties.models import Relationship

__all__ = ["DEFAULTS", "Tuning", "evaluate_signs", "state_for", "tuning_for"]


@dataclass(frozen=True)
class Tuning:
    """The thresholds in force for one sign of one relationship."""

    enabled: bool
    watch_at: decimal.Decimal
    trigger_at: decimal.Decimal
    window_months: int
    custom: bool  # a SignThreshold row overrides the defaults


def tuning_for(sign: str, row: SignThreshold | None) -> Tuning:
    default = DEFAULTS[sign]
    if row is None:
        return Tuning(True, default.watch_at, default.trigger_at, default.window_months, False)
    return Tuning(row.enabled, row.watch_at, row.trigger_at, row.window_months, True)


def state_for(value: decimal.Decimal | None, tuning: Tuning) -> str:
    """Higher is worse: triggered at ``trigger_at``, watch at ``watch_at``, else clear."""
    if value is None or not tuning.enabled:
        return SignState.NO_DATA
    if value >= tuning.trigger_at:
        return SignState.TRIGGERED
    if value >= tuning.watch_at:
        return SignState.WATCH
    return SignState.CLEAR


def _thresholds(relationship: Relationship) -> dict[str, SignThreshold]:
    rows = SignThreshold.objects.filter(relationship=relationship)
    # A row whose visibility does not match its sign's is ignored, like the pages ignore it.
    return {row.sign: row for row in rows if row.visibility == sign_visibility(row.sign)}


def evaluate_signs(relationship: Relationship, months: list[dt.date]) -> None:
    """Write one SignReading per sign and month of ``months`` (updated in place if present).

    Readings are computed records (not audited one by one), so they are written in
    bulk: a refresh runs after every input change and must stay cheap.
    """
    context = RuleContext(relationship, months)
    thresholds = _thresholds(relationship)
    existing = {
        (reading.sign, reading.month): reading
        for reading in SignReading.objects.filter(relationship=relationship, month__in=months)
    }
    to_create: list[SignReading] = []
    to_update: list[SignReading] = []
    for sign in SignCode:
        tuning = tuning_for(sign, thresholds.get(sign))
        for month in months:
            if not tuning.enabled:
                outcome = Outcome(None, "Switched off for this relationship.", [])
            else:
                outcome = RULES[sign](context, month, tuning.window_months)
            summary = outcome.summary
            if tuning.enabled and outcome.value is not None:
                unit = DEFAULTS[sign].unit
                summary = (
                    f"{summary} (watch from {num(tuning.watch_at)} {unit}, "
                    f"triggered from {num(tuning.trigger_at)} {unit})"
                )
            values = {
                "visibility": sign_visibility(sign),
                "state": state_for(outcome.value, tuning),
                "value": outcome.value,
                "summary": summary,
                "evidence": outcome.evidence,
            }
            reading = existing.get((sign, month))
            if reading is None:
                to_create.append(
                    SignReading(relationship=relationship, sign=sign, month=month, **values)
                )
                continue
            if any(getattr(reading, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(reading, name, value)
                to_update.append(reading)
    now = timezone.now()
    for reading in to_update:
        reading.computed_at = now
    SignReading.objects.bulk_create(to_create)
    SignReading.objects.bulk_update(to_update, [*READING_FIELDS, "computed_at"])


READING_FIELDS = ["visibility", "state", "value", "summary", "evidence"]
