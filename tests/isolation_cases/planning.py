"""Isolation cases: the joint plan, its objectives, checkpoints and revisions
(see tests/isolation_matrix.py).

Plans, objectives and checkpoints are joint: both sides see them, and the
joint default says who adds, changes and deletes them. Revisions are
computed (read-only). Signing differs from the default, so it is written out
by hand: only executives sign the annual plan (``a_exec`` on R1, ``p_exec``
on R1 and R2); managers, contributors and viewers who see the plan are
refused (403), and so is ``b_manager``, R2's only buyer person, a manager.
"""

from __future__ import annotations

from typing import Any

from accord.core.choices import Action
from accord.core.models import Signature
from accord.core.testing.expectations import NONE
from accord.core.testing.isolation import Case
from accord.core.testing.world import OWNERS, World
from accord.planning.models import Checkpoint, Objective, PlanningCycle

J1, J2 = frozenset({"R1.joint"}), frozenset({"R2.joint"})
# Plans the persona may sign: executives only.
EXECUTIVES = {"a_exec": J1, "p_exec": J1 | J2}


def executives(persona: str) -> frozenset[str]:
    return EXECUTIVES.get(persona, NONE)


def _rel(label: str) -> str:
    return label.split(".")[0]


def _owners(world: World, label: str) -> tuple[int, int]:
    buyer, provider = OWNERS[_rel(label)]
    return world.people[buyer].pk, world.people[provider].pk


def plan_form(world: World, label: str, persona: str) -> dict[str, Any]:
    # The world's plans are 2026's: one plan a year.
    return {"year": 2027, "title": f"Plan by {persona}", "buyer_drivers": "Budget"}


def plan_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"relationship": world.relationships[_rel(label)].pk, **plan_form(world, label, persona)}


def objective_form(world: World, label: str, persona: str) -> dict[str, Any]:
    buyer, provider = _owners(world, label)
    return {
        "statement": f"Objective by {persona}",
        "success_measure": "Both sides agree at the review.",
        "focus": "quality",
        "linked_figure": "",
        "buyer_owner": buyer,
        "provider_owner": provider,
        "target_date": "2026-09-30",
        "checkpoints": "on",
    }


def objective_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    body = objective_form(world, label, persona)
    body.pop("checkpoints")
    return {"cycle": world.record("plan", label).pk, **body}


def review_form(world: World, label: str, persona: str) -> dict[str, Any]:
    objective = world.record("objective", label)
    return {f"objective_{objective.pk}": "close", f"note_{objective.pk}": f"By {persona}"}


def review_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    objective = world.record("objective", label)
    return {"decisions": {str(objective.pk): "close"}}


def checkpoint_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"status": "on_track", "commentary": f"Seen by {persona}"}


def plan_state(world: World, label: str) -> Any:
    plans = PlanningCycle.objects.values_list("pk", "title", "version", "reviewed_at")
    signatures = Signature.objects.filter(object_type="planning.planningcycle")
    return sorted(plans), sorted(signatures.values_list("object_id", "version", "side"))


def objective_state(world: World, label: str) -> Any:
    rows = Objective.objects.values_list("pk", "statement", "status", "year_end_decision")
    return sorted(rows), sorted(PlanningCycle.objects.values_list("pk", "version"))


def checkpoint_state(world: World, label: str) -> Any:
    rows = Checkpoint.objects.values_list("pk", "status", "buyer_commentary", "provider_commentary")
    return sorted(rows), sorted(Objective.objects.values_list("pk", "status"))


def _pk(kind: str) -> Any:
    return lambda world, label: {"pk": world.record(kind, label).pk}


NO_KWARGS = lambda w, label: {}  # noqa: E731 - the record is named in the body

CASES: list[Case] = [
    # Pages: plans.
    Case("plan_list", kind="relationship", shows="plan"),
    Case("plan_add", kind="relationship", action=Action.ADD),
    Case("plan_add", kind="relationship", action=Action.ADD, method="post", ok=302,
         data=plan_form, state=plan_state),
    Case("plan_detail", kind="plan", shows="objective"),
    Case("plan_detail", kind="plan", shows="plan_revision"),
    Case("plan_edit", kind="plan", action=Action.CHANGE),
    Case("plan_edit", kind="plan", action=Action.CHANGE, method="post", ok=302,
         data=plan_form, state=plan_state),
    Case("plan_sign", kind="plan", action=Action.CHANGE, method="post", ok=302,
         allowed=executives, state=plan_state),
    Case("plan_review", kind="plan", action=Action.CHANGE),
    Case("plan_review", kind="plan", action=Action.CHANGE, method="post", ok=302,
         data=review_form, state=objective_state),
    Case("plan_audit", kind="plan", shows="audit:plan"),
    # Pages: objectives and checkpoints.
    Case("objective_add", kind="plan", action=Action.ADD),
    Case("objective_add", kind="plan", action=Action.ADD, method="post", ok=302,
         data=objective_form, state=objective_state),
    Case("objective_detail", kind="objective", shows="checkpoint"),
    Case("objective_edit", kind="objective", action=Action.CHANGE),
    Case("objective_edit", kind="objective", action=Action.CHANGE, method="post", ok=302,
         data=objective_form, state=objective_state),
    Case("objective_delete", kind="objective", action=Action.DELETE),
    Case("objective_delete", kind="objective", action=Action.DELETE, method="post", ok=302,
         state=objective_state),
    Case("objective_status", kind="objective", action=Action.CHANGE, method="post", ok=302,
         data=lambda w, label, persona: {"status": "at_risk"}, state=objective_state),
    Case("objective_audit", kind="objective", shows="audit:objective"),
    Case("checkpoint_edit", kind="checkpoint", action=Action.CHANGE),
    Case("checkpoint_edit", kind="checkpoint", action=Action.CHANGE, method="post", ok=302,
         data=checkpoint_form, state=checkpoint_state),
    # API: plans.
    Case("api:plan-list", api=True, shows="plan"),
    Case("api:plan-list", api=True, kind="plan", parent=True, action=Action.ADD,
         method="post", ok=201, url=NO_KWARGS, data=plan_api_body, state=plan_state),
    Case("api:plan-detail", api=True, kind="plan"),
    Case("api:plan-detail", api=True, kind="plan", action=Action.CHANGE, method="patch",
         data=lambda w, label, persona: {"title": f"Patched by {persona}"}, state=plan_state),
    Case("api:plan-sign", api=True, kind="plan", method="post", allowed=executives,
         state=plan_state),
    Case("api:plan-review", api=True, kind="plan", action=Action.CHANGE, method="post",
         url=_pk("plan"), data=review_api_body, state=objective_state),
    # API: objectives, checkpoints, revisions.
    Case("api:objective-list", api=True, shows="objective"),
    Case("api:objective-list", api=True, kind="objective", parent=True, action=Action.ADD,
         method="post", ok=201, url=NO_KWARGS, data=objective_api_body, state=objective_state),
    Case("api:objective-detail", api=True, kind="objective"),
    Case("api:objective-detail", api=True, kind="objective", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"statement": f"By {persona}"},
         state=objective_state),
    Case("api:objective-detail", api=True, kind="objective", action=Action.DELETE,
         method="delete", ok=204, state=objective_state),
    Case("api:checkpoint-list", api=True, shows="checkpoint"),
    Case("api:checkpoint-detail", api=True, kind="checkpoint"),
    Case("api:checkpoint-detail", api=True, kind="checkpoint", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"status": "at_risk"},
         state=checkpoint_state),
    Case("api:plan-revision-list", api=True, shows="plan_revision"),
    Case("api:plan-revision-detail", api=True, kind="plan_revision"),
]  # fmt: skip
