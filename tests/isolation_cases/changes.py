"""Isolation cases: change requests and scope questions, pages and API (see
tests/isolation_matrix.py).

Both records are joint: both sides see them (the default expectations), and
proposing, editing, asking and answering follow the joint default (a role
that adds or changes joint records, on either side). Who may act in the
co-signing workflow differs from that default, so it is written out here by
hand, from the rules (never computed from the code under test). The world's
change request of each relationship is proposed by the buyer and signed by
nobody yet:

* sign: a signatory (executive or manager) of either side;
* decline: a signatory of the side that did not propose it - the provider;
* withdraw: the side that proposed it - the buyer - with a role that changes
  joint records (executives, managers, contributors).

Reopening needs an answered question: the cases make one per relationship
(``answered_question``), labelled like the world's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from accord.contracts.models import ChangeRequest, ScopeQuestion
from accord.core.choices import Action
from accord.core.models import Signature
from accord.core.testing.expectations import NONE
from accord.core.testing.isolation import Case
from accord.core.testing.partnership_factories import ScopeQuestionFactory
from accord.core.testing.world import World

J1, J2 = frozenset({"R1.joint"}), frozenset({"R2.joint"})


def by_persona(table: dict[str, frozenset[str]]) -> Callable[[str], frozenset[str]]:
    return lambda persona: table.get(persona, NONE)


# Change requests the persona may sign: executives and managers of either side.
SIGNATORIES = by_persona({
    "a_exec": J1, "a_manager": J1, "p_exec": J1 | J2, "p_manager": J1, "p_r2_manager": J2,
    "b_manager": J2,
})  # fmt: skip
# ...may decline: signatories of the provider (the world's changes are the buyer's proposals).
PROVIDER_SIGNATORIES = by_persona({"p_exec": J1 | J2, "p_manager": J1, "p_r2_manager": J2})
# ...may withdraw: the buyer, with a role that changes joint records.
BUYER_CHANGERS = by_persona({"a_exec": J1, "a_manager": J1, "a_contributor": J1, "b_manager": J2})

ANSWERED = "Is the quarterly payroll audit support in scope?"


def _rel(world: World, label: str) -> Any:
    return world.relationships[label.split(".")[0]]


def answered_question(world: World, label: str) -> ScopeQuestion:
    """An answered question of the label's relationship (made once; joint like the label)."""
    relationship = _rel(world, label)
    found = ScopeQuestion.objects.filter(relationship=relationship, question=ANSWERED).first()
    if found is None:
        found = ScopeQuestionFactory(
            relationship=relationship,
            question=ANSWERED,
            resolution="tbd",
            answer="To be settled at the contract management committee.",
            resolved_at=timezone.now(),
        )
    return found


def answered_url(world: World, label: str) -> dict[str, Any]:
    return {"pk": answered_question(world, label).pk}


# --- bodies ---------------------------------------------------------------------------


def change_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "title": f"Proposed by {persona}",
        "kind": "scope",
        "rationale": "A new regulation asks for a monthly report.",
        "new_scope_status": "in_scope",
        "new_scope_title": "Monthly regulatory report",
    }


def change_edit_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {**change_form(world, label, persona), "title": f"Edited by {persona}"}


def change_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    contract = world.record("contract", label)
    return {"contract": contract.pk, **change_form(world, label, persona)}


def question_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"question": f"Asked by {persona}: is weekend cover in scope?"}


def question_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"relationship": _rel(world, label).pk, **question_form(world, label, persona)}


def resolve_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"resolution": "tbd", "answer": f"Answered by {persona}: costing first."}


def note_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"note": f"Declined by {persona}"}


# --- states ---------------------------------------------------------------------------


def change_count(world: World, label: str) -> int:
    return ChangeRequest.objects.count()


def change_state(world: World, label: str) -> Any:
    change = ChangeRequest.objects.get(pk=world.record("change_request", label).pk)
    signatures = Signature.objects.filter(
        object_type="contracts.changerequest", object_id=str(change.pk)
    ).count()
    return (change.title, change.version, change.status, change.decision_note, signatures)


def question_count(world: World, label: str) -> int:
    return ScopeQuestion.objects.count()


def question_state(world: World, label: str) -> Any:
    question = ScopeQuestion.objects.get(pk=world.record("scope_question", label).pk)
    return (question.resolution, question.answer)


def answered_state(world: World, label: str) -> Any:
    return (answered_question(world, label).resolution,)


def parent(world: World, label: str) -> dict[str, Any]:
    return {}


CASES: list[Case] = [
    # Change requests: pages.
    Case("change_list", kind="relationship", shows="change_request"),
    Case("change_add", kind="relationship", action=Action.ADD),
    Case("change_add", kind="relationship", action=Action.ADD, method="post", ok=302,
         data=change_form, state=change_count),
    Case("change_detail", kind="change_request"),
    Case("change_edit", kind="change_request", action=Action.CHANGE),
    Case("change_edit", kind="change_request", action=Action.CHANGE, method="post", ok=302,
         data=change_edit_form, state=change_state),
    Case("change_sign", kind="change_request", action=Action.CHANGE, method="post", ok=302,
         allowed=SIGNATORIES, state=change_state),
    Case("change_decline", kind="change_request", action=Action.CHANGE, method="post", ok=302,
         allowed=PROVIDER_SIGNATORIES, data=note_form, state=change_state),
    Case("change_withdraw", kind="change_request", action=Action.CHANGE, method="post", ok=302,
         allowed=BUYER_CHANGERS, state=change_state),
    Case("change_audit", kind="change_request", shows="audit:change_request"),
    # Scope questions: pages.
    Case("scope_question_list", kind="relationship", shows="scope_question"),
    Case("scope_question_add", kind="relationship", action=Action.ADD),
    Case("scope_question_add", kind="relationship", action=Action.ADD, method="post", ok=302,
         data=question_form, state=question_count),
    Case("scope_question_detail", kind="scope_question"),
    Case("scope_question_resolve", kind="scope_question", action=Action.CHANGE),
    Case("scope_question_resolve", kind="scope_question", action=Action.CHANGE, method="post",
         ok=302, data=resolve_form, state=question_state),
    Case("scope_question_reopen", kind="scope_question", action=Action.CHANGE, method="post",
         ok=302, url=answered_url, state=answered_state),
    Case("scope_question_audit", kind="scope_question", shows="audit:scope_question"),
    # The API.
    Case("api:change-request-list", api=True, shows="change_request"),
    Case("api:change-request-list", api=True, kind="change_request", action=Action.ADD,
         method="post", ok=201, data=change_api_body, state=change_count),
    Case("api:change-request-detail", api=True, kind="change_request"),
    Case("api:change-request-detail", api=True, kind="change_request", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"title": f"Patched by {persona}"},
         state=change_state),
    Case("api:change-request-sign", api=True, kind="change_request", method="post",
         allowed=SIGNATORIES, state=change_state),
    Case("api:change-request-decline", api=True, kind="change_request", method="post",
         allowed=PROVIDER_SIGNATORIES,
         url=lambda w, label: {"pk": w.record("change_request", label).pk},
         data=note_form, state=change_state),
    Case("api:change-request-withdraw", api=True, kind="change_request", method="post",
         allowed=BUYER_CHANGERS, state=change_state),
    Case("api:scope-question-list", api=True, shows="scope_question"),
    Case("api:scope-question-list", api=True, kind="scope_question", parent=True,
         action=Action.ADD, method="post", ok=201, url=parent, data=question_api_body,
         state=question_count),
    Case("api:scope-question-detail", api=True, kind="scope_question"),
    Case("api:scope-question-resolve", api=True, kind="scope_question", action=Action.CHANGE,
         method="post", url=lambda w, label: {"pk": w.record("scope_question", label).pk},
         data=resolve_form, state=question_state),
    Case("api:scope-question-reopen", api=True, kind="scope_question", action=Action.CHANGE,
         method="post", url=answered_url, state=answered_state),
]  # fmt: skip
