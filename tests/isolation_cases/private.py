"""Isolation cases: each side's private records (see tests/isolation_matrix.py).

The buyer's credit forecasts and the provider's cost-of-quality notes exist
for one side only. Their pages answer 404 to the other side, list pages
included: the list URL names the relationship, but the cases are written on
the private record's labels (``R1.buyer``...) with the URL naming its
relationship, so the expectation is the record's own (the default tables
for ``forecast`` and ``cost_note``, written by hand): hidden = 404.
"""

from __future__ import annotations

from typing import Any

from accord.core.choices import Action
from accord.core.testing.isolation import Case
from accord.core.testing.world import World
from accord.performance.models import CostOfQualityNote, CreditForecast


def relationship_of(kind: str) -> Any:
    """URL kwargs naming the relationship of the labelled private record."""
    return lambda world, label: {"pk": world.record(kind, label).relationship_id}


def forecast_count(world: World, label: str) -> int:
    return CreditForecast.objects.count()


def forecast_state(world: World, label: str) -> Any:
    return CreditForecast.objects.filter(pk=world.record("forecast", label).pk).exists()


def cost_note_count(world: World, label: str) -> int:
    return CostOfQualityNote.objects.count()


def cost_note_state(world: World, label: str) -> Any:
    note = CostOfQualityNote.objects.filter(pk=world.record("cost_note", label).pk).first()
    if note is None:
        return None
    return (note.month, note.service_level_id, note.title, note.amount, note.body)


def cost_note_form(world: World, label: str, persona: str) -> dict[str, Any]:
    level = world.record("service_level", label.replace(".provider", ".joint"))
    return {
        "month": "2026-03",
        "service_level": level.pk,
        "title": f"Overtime noted by {persona}",
        "amount": "850.00",
        "body": "Weekend shift to clear the backlog.",
    }


FORECASTS = relationship_of("forecast")
COST_NOTES = relationship_of("cost_note")

CASES: list[Case] = [
    Case("forecast_list", kind="forecast", url=FORECASTS, shows="forecast"),
    Case("forecast_add", kind="forecast", url=FORECASTS, action=Action.ADD),
    Case("forecast_add", kind="forecast", url=FORECASTS, action=Action.ADD, method="post",
         ok=302, state=forecast_count,
         data=lambda w, label, persona: {"year": 2026, "note": f"By {persona}"}),
    Case("forecast_detail", kind="forecast"),
    Case("forecast_delete", kind="forecast", action=Action.DELETE),
    Case("forecast_delete", kind="forecast", action=Action.DELETE, method="post", ok=302,
         state=forecast_state),
    Case("forecast_audit", kind="forecast", shows="audit:forecast"),
    Case("cost_note_list", kind="cost_note", url=COST_NOTES, shows="cost_note"),
    Case("cost_note_add", kind="cost_note", url=COST_NOTES, action=Action.ADD),
    Case("cost_note_add", kind="cost_note", url=COST_NOTES, action=Action.ADD, method="post",
         ok=302, data=cost_note_form, state=cost_note_count),
    Case("cost_note_detail", kind="cost_note"),
    Case("cost_note_edit", kind="cost_note", action=Action.CHANGE),
    Case("cost_note_edit", kind="cost_note", action=Action.CHANGE, method="post", ok=302,
         data=cost_note_form, state=cost_note_state),
    Case("cost_note_delete", kind="cost_note", action=Action.DELETE),
    Case("cost_note_delete", kind="cost_note", action=Action.DELETE, method="post", ok=302,
         state=cost_note_state),
    Case("cost_note_audit", kind="cost_note", shows="audit:cost_note"),
]  # fmt: skip
