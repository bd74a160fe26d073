"""Scope questions through their services: ask, answer on the register, raise a change, reopen."""

from __future__ import annotations

import pytest

from accord.contracts.changes import change_propose
from accord.contracts.models import ChangeRequest, ScopeQuestion
from accord.contracts.scope_questions import (
    question_ask,
    question_raise_change,
    question_reopen,
    question_resolve,
)
from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.models import AuditEntry
from accord.core.testing.partnership_factories import ChangeRequestFactory
from tests.changes.scenario import Scenario


def ask(scenario: Scenario, who: str = "p_contributor") -> ScopeQuestion:
    return question_ask(
        relationship=scenario.relationship,
        question="Is the bulk retro-pay calculation a standard off-cycle run?",
        actor=scenario[who],
    )


def test_either_side_asks_but_not_a_viewer(scenario: Scenario) -> None:
    assert ask(scenario, "p_contributor").asked_by_side == "provider"
    assert ask(scenario, "b_contributor").asked_by_side == "buyer"
    with pytest.raises(PermissionDenied):
        ask(scenario, "b_viewer")
    with pytest.raises(NotFound):
        question_ask(relationship=scenario.relationship, question="?", actor=scenario.outsider)
    with pytest.raises(ValidationError) as error:
        question_ask(relationship=scenario.relationship, question=" ", actor=scenario["b_exec"])
    assert "question" in error.value.message_dict


def test_in_scope_rests_on_an_in_scope_item(scenario: Scenario) -> None:
    question = ask(scenario)
    with pytest.raises(ValidationError) as error:
        question_resolve(
            question=question, resolution="in_scope", answer="Yes.", actor=scenario["b_manager"]
        )
    assert "scope_item" in error.value.message_dict
    with pytest.raises(ValidationError, match="to be determined"):
        question_resolve(
            question=question, resolution="in_scope", answer="Yes.",
            scope_item=scenario.items["retro"], actor=scenario["b_manager"],
        )  # fmt: skip

    question = question_resolve(
        question=question, resolution="in_scope", answer="Yes: a regular pay run (Sch. A 2.1).",
        scope_item=scenario.items["payroll"], actor=scenario["b_manager"],
    )  # fmt: skip

    assert (question.resolution, question.scope_item) == ("in_scope", scenario.items["payroll"])
    assert question.resolved_by == scenario["b_manager"]
    assert question.resolved_at is not None
    with pytest.raises(ValidationError, match="answered already"):
        question_resolve(
            question=question, resolution="tbd", answer="Hmm.", actor=scenario["p_manager"]
        )


def test_viewers_do_not_answer(scenario: Scenario) -> None:
    question = ask(scenario)
    with pytest.raises(PermissionDenied):
        question_resolve(
            question=question, resolution="tbd", answer="Later.", actor=scenario["p_viewer"]
        )


def test_out_of_scope_links_the_change_request_that_follows(scenario: Scenario) -> None:
    question = ask(scenario)
    change = change_propose(
        contract=scenario.contract, actor=scenario["p_manager"], title="Retro pay project",
        kind="scope", rationale="The new agreement's retro pay is a project.",
        scope_item=scenario.items["retro"], new_scope_status="in_scope",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        question_resolve(
            question=question, resolution="tbd", answer="Open.", change_request=change,
            actor=scenario["b_manager"],
        )  # fmt: skip
    assert "change_request" in error.value.message_dict
    other = ChangeRequestFactory()  # another relationship's
    with pytest.raises(ValidationError) as error:
        question_resolve(
            question=question, resolution="out_of_scope", answer="No.", change_request=other,
            actor=scenario["b_manager"],
        )  # fmt: skip
    assert "change_request" in error.value.message_dict

    question = question_resolve(
        question=question, resolution="out_of_scope", answer="Not a standard run.",
        change_request=change, actor=scenario["b_manager"],
    )  # fmt: skip
    assert question.change_request == change


def test_a_change_request_is_raised_from_an_out_of_scope_answer(scenario: Scenario) -> None:
    question = ask(scenario)
    with pytest.raises(ValidationError, match="out-of-scope"):
        question_raise_change(question=question, actor=scenario["p_manager"])
    question_resolve(
        question=question, resolution="out_of_scope", answer="Not in Sch. A.",
        actor=scenario["b_manager"],
    )  # fmt: skip
    fields = {
        "title": "Retro pay project", "kind": "scope", "rationale": "See the question.",
        "scope_item": scenario.items["retro"], "new_scope_status": "in_scope",
    }  # fmt: skip
    # A change request that fails validation leaves the question as it was.
    with pytest.raises(ValidationError):
        question_raise_change(
            question=question, actor=scenario["p_manager"], **{**fields, "title": ""}
        )
    question.refresh_from_db()
    assert question.change_request is None
    assert not ChangeRequest.objects.exists()

    change = question_raise_change(question=question, actor=scenario["p_manager"], **fields)

    question.refresh_from_db()
    assert question.change_request == change
    assert change.proposed_by_side == "provider"
    with pytest.raises(ValidationError, match="already"):
        question_raise_change(question=question, actor=scenario["p_manager"], **fields)


def test_reopening_keeps_the_answer_in_the_audit_trail(scenario: Scenario) -> None:
    question = ask(scenario)
    with pytest.raises(ValidationError, match="open already"):
        question_reopen(question=question, actor=scenario["b_manager"])
    question_resolve(
        question=question, resolution="tbd", answer="After the costing.",
        actor=scenario["b_manager"],
    )  # fmt: skip
    question = question_reopen(question=question, actor=scenario["p_contributor"])
    assert (question.resolution, question.answer, question.resolved_at) == ("", "", None)
    updates = AuditEntry.objects.filter(
        object_type="contracts.scopequestion", object_id=str(question.pk), action="update"
    ).order_by("seq")
    assert [e.after["answer"] for e in updates] == ["After the costing.", ""]
    assert updates.last().actor_name == "p_contributor"  # type: ignore[union-attr]
