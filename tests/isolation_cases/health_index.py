"""Isolation cases: the health index, the portfolio and the buyer's introspection.

The index is joint and computed: whoever sees the relationship's joint
records sees it; recomputing it needs a role that changes joint records.
The introspection and its actions are the buyer's alone: their pages answer
404 to the provider, list pages included (the list URL names the
relationship, but the cases are written on the introspection's labels,
``R1.buyer``..., so the expectation is the record's own).
"""

from __future__ import annotations

import datetime
from typing import Any

from accord.core.choices import Action
from accord.core.testing.isolation import Case
from accord.core.testing.world import World
from accord.health.models import HealthIndex, Introspection, IntrospectionAction


def relationship_of(kind: str) -> Any:
    """URL kwargs naming the relationship of the labelled record."""
    return lambda world, label: {"pk": world.record(kind, label).relationship_id}


def introspection_of(world: World, label: str) -> dict[str, Any]:
    return {"pk": world.record("introspection", label).pk}


def index_state(world: World, label: str) -> Any:
    return sorted(HealthIndex.objects.values_list("relationship_id", "month", "score"))


def introspection_count(world: World, label: str) -> int:
    return Introspection.objects.count()


def introspection_state(world: World, label: str) -> Any:
    item = Introspection.objects.filter(pk=world.record("introspection", label).pk).first()
    if item is None:
        return None
    return (item.title, item.assessed_on, item.vision_score, item.commercial_note)


def action_count(world: World, label: str) -> int:
    return IntrospectionAction.objects.count()


def action_state(world: World, label: str) -> Any:
    action = IntrospectionAction.objects.filter(
        pk=world.record("introspection_action", label).pk
    ).first()
    if action is None:
        return None
    return (action.description, action.owner_id, action.due_on, action.done)


def introspection_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "title": f"Our part, by {persona}",
        "assessed_on": "2026-10-15",
        "vision_score": 4,
        "vision_note": "Stated at kick-off.",
        "innovation_score": 2,
        "innovation_note": "",
        "commercial_score": 1,
        "commercial_note": f"Lowest bidder ({persona}).",
        "culture_score": 3,
        "culture_note": "",
        "stakeholders_score": 3,
        "stakeholders_note": "",
    }


def action_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"description": f"Share the roadmap ({persona})", "due_on": "2026-12-01"}


def introspection_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"relationship": world.relationships[label.split(".")[0]].pk,
            **introspection_form(world, label, persona)}  # fmt: skip


def action_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "introspection": world.record("introspection", label).pk,
        "description": f"Reward the provider's ideas ({persona})",
        "due_on": "2026-12-15",
    }


def _patch_title(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"title": f"Patched by {persona}"}


def _patch_action(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"done": True, "due_on": str(datetime.date(2027, 1, 31))}


INTROSPECTIONS = relationship_of("introspection")

CASES: list[Case] = [
    # The index: joint, computed.
    Case("health_index_list", kind="relationship", shows="health_index"),
    Case("health_index_csv", kind="relationship"),
    Case("health_index_detail", kind="health_index"),
    Case("health_refresh", kind="relationship", action=Action.CHANGE, method="post", ok=302,
         state=index_state),
    Case("health_portfolio", shows="relationship"),
    Case("health_portfolio", shows="health_index"),
    Case("health_portfolio_csv"),
    Case("api:health-index-list", api=True, shows="health_index"),
    Case("api:health-index-detail", api=True, kind="health_index"),
    # The buyer's introspection: 404 for the provider everywhere.
    Case("introspection_list", kind="introspection", url=INTROSPECTIONS, shows="introspection"),
    Case("introspection_csv", kind="introspection", url=INTROSPECTIONS),
    Case("introspection_add", kind="introspection", url=INTROSPECTIONS, action=Action.ADD),
    Case("introspection_add", kind="introspection", url=INTROSPECTIONS, action=Action.ADD,
         method="post", ok=302, data=introspection_form, state=introspection_count),
    Case("introspection_detail", kind="introspection", shows="introspection_action"),
    Case("introspection_edit", kind="introspection", action=Action.CHANGE),
    Case("introspection_edit", kind="introspection", action=Action.CHANGE, method="post",
         ok=302, data=introspection_form, state=introspection_state),
    Case("introspection_delete", kind="introspection", action=Action.DELETE),
    Case("introspection_delete", kind="introspection", action=Action.DELETE, method="post",
         ok=302, state=introspection_state),
    Case("introspection_audit", kind="introspection", shows="audit:introspection"),
    Case("introspection_action_add", kind="introspection", url=introspection_of,
         action=Action.ADD),
    Case("introspection_action_add", kind="introspection", url=introspection_of,
         action=Action.ADD, method="post", ok=302, data=action_form, state=action_count),
    Case("introspection_action_edit", kind="introspection_action", action=Action.CHANGE),
    Case("introspection_action_edit", kind="introspection_action", action=Action.CHANGE,
         method="post", ok=302, data=action_form, state=action_state),
    Case("introspection_action_done", kind="introspection_action", action=Action.CHANGE,
         method="post", ok=302, state=action_state),
    Case("introspection_action_delete", kind="introspection_action", action=Action.DELETE),
    Case("introspection_action_delete", kind="introspection_action", action=Action.DELETE,
         method="post", ok=302, state=action_state),
    Case("api:introspection-list", api=True, shows="introspection"),
    Case("api:introspection-list", api=True, kind="introspection", action=Action.ADD,
         method="post", ok=201, data=introspection_body, state=introspection_count),
    Case("api:introspection-detail", api=True, kind="introspection"),
    Case("api:introspection-detail", api=True, kind="introspection", action=Action.CHANGE,
         method="patch", data=_patch_title, state=introspection_state),
    Case("api:introspection-detail", api=True, kind="introspection", action=Action.DELETE,
         method="delete", ok=204, state=introspection_state),
    Case("api:introspection-action-list", api=True, shows="introspection_action"),
    Case("api:introspection-action-list", api=True, kind="introspection_action",
         action=Action.ADD, method="post", ok=201, data=action_body, state=action_count),
    Case("api:introspection-action-detail", api=True, kind="introspection_action"),
    Case("api:introspection-action-detail", api=True, kind="introspection_action",
         action=Action.CHANGE, method="patch", data=_patch_action, state=action_state),
    Case("api:introspection-action-detail", api=True, kind="introspection_action",
         action=Action.DELETE, method="delete", ok=204, state=action_state),
]  # fmt: skip
