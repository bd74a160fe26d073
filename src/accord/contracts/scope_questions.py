"""Scope questions: "is this in scope?", asked by either side and answered on the record.

Scope disputes are the classic buyer-provider conflict. A question is asked
by either side (a role that adds joint records) and resolved by either side
(a role that changes joint records) to:

* in scope: the answer rests on an in-scope item of the register, named;
* out of scope: then a change request is the way to get it, so the question
  links one (an existing change request of the contract, or one raised from
  the question: :func:`question_raise_change`);
* to be determined: the answer says what is still open.

A resolved question may be reopened (a new fact came up); the earlier answer
stays in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.contracts.changes import change_propose
from accord.contracts.models import ChangeRequest, Contract, ScopeItem, ScopeQuestion, ScopeStatus
from accord.core.choices import Action, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.selectors import get_for
from accord.core.visibility import can
from accord.parties.models import Relationship


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _locked(question: ScopeQuestion) -> ScopeQuestion:
    return (
        ScopeQuestion.objects.select_for_update().select_related("relationship").get(pk=question.pk)
    )


def question_ask(*, relationship: Relationship, question: str, actor: Any) -> ScopeQuestion:
    """Either side asks whether something is in scope."""
    relationship = get_for(actor, Relationship, pk=_pk(relationship))
    side = relationship.side_of(actor)
    if side is None or not can(actor, Action.ADD, relationship, Visibility.JOINT):
        raise PermissionDenied("Your role does not allow asking scope questions here.")
    text = (question or "").strip()
    if not text:
        raise ValidationError({"question": "Ask the question: what is, or is not, in scope?"})
    record = ScopeQuestion(
        relationship=relationship,
        visibility=Visibility.JOINT,
        question=text,
        asked_by_side=side,
        created_by=actor,
    )
    record.full_clean()
    with transaction.atomic(), acting_as(actor):
        record.save()
    return record


def _scope_item(value: Any, question: ScopeQuestion, actor: Any) -> ScopeItem | None:
    if value in (None, ""):
        return None
    item = (
        ScopeItem.objects.restrict(actor)
        .filter(relationship_id=question.relationship_id, pk=_pk(value))
        .first()
    )
    if item is None:
        raise ValidationError({"scope_item": "Choose an item of this relationship's register."})
    return item


def _change_request(value: Any, question: ScopeQuestion, actor: Any) -> ChangeRequest | None:
    if value in (None, ""):
        return None
    change = (
        ChangeRequest.objects.restrict(actor)
        .filter(relationship_id=question.relationship_id, pk=_pk(value))
        .first()
    )
    if change is None:
        raise ValidationError({"change_request": "Choose a change request of this relationship."})
    return change


def question_resolve(
    *,
    question: ScopeQuestion,
    resolution: str,
    answer: str,
    actor: Any,
    scope_item: ScopeItem | int | None = None,
    change_request: ChangeRequest | int | None = None,
) -> ScopeQuestion:
    """Answer an open question: in scope, out of scope or to be determined.

    ``scope_item``: the register entry the answer rests on (required for "in
    scope", and it must be an in-scope item). ``change_request``: for "out of
    scope", the change request that would bring it in (optional here; one can
    be linked or raised later).
    """
    answer = (answer or "").strip()
    with transaction.atomic(), acting_as(actor):
        question = _locked(get_for(actor, ScopeQuestion, Action.CHANGE, pk=_pk(question)))
        if question.relationship.side_of(actor) is None:
            raise PermissionDenied("Only the two sides of the relationship answer its questions.")
        if not question.is_open:
            raise ValidationError(
                f"This question is answered already ({question.get_resolution_display()}): "
                "reopen it first."
            )
        errors: dict[str, str] = {}
        if resolution not in ScopeStatus.values:
            errors["resolution"] = "Choose in scope, out of scope or to be determined."
        if not answer:
            errors["answer"] = "Give the answer, and what it rests on."
        item = change = None
        try:
            item = _scope_item(scope_item, question, actor)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
        try:
            change = _change_request(change_request, question, actor)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
        if resolution == ScopeStatus.IN_SCOPE and "scope_item" not in errors:
            if item is None:
                errors["scope_item"] = "Name the in-scope item of the register the answer rests on."
            elif item.status != ScopeStatus.IN_SCOPE:
                errors["scope_item"] = (
                    f"“{item}” is {item.get_status_display().lower()} in the register: "
                    "an in-scope answer rests on an in-scope item."
                )
        if change is not None and resolution != ScopeStatus.OUT_OF_SCOPE:
            errors["change_request"] = "Only an out-of-scope answer leads to a change request."
        if errors:
            raise ValidationError(errors)
        question.resolution = resolution
        question.answer = answer
        question.scope_item = item
        if change is not None:
            question.change_request = change
        question.resolved_at = timezone.now()
        question.resolved_by = actor
        question.full_clean()
        question.save(
            update_fields=[
                "resolution", "answer", "scope_item", "change_request", "resolved_at",
                "resolved_by", "updated_at",
            ]
        )  # fmt: skip
    return question


def question_link_change(
    *, question: ScopeQuestion, change_request: ChangeRequest | int, actor: Any
) -> ScopeQuestion:
    """Link the change request that follows from an out-of-scope answer."""
    with transaction.atomic(), acting_as(actor):
        question = _locked(get_for(actor, ScopeQuestion, Action.CHANGE, pk=_pk(question)))
        if question.resolution != ScopeStatus.OUT_OF_SCOPE:
            raise ValidationError(
                {"change_request": "Only an out-of-scope answer leads to a change request."}
            )
        change = _change_request(change_request, question, actor)
        if change is None:
            raise ValidationError({"change_request": "Choose a change request."})
        if question.change_request_id != change.pk:
            question.change_request = change
            question.save(update_fields=["change_request", "updated_at"])
    return question


def question_raise_change(*, question: ScopeQuestion, actor: Any, **data: Any) -> ChangeRequest:
    """Propose a change request from an out-of-scope answer, and link it to the question.

    ``data`` are :func:`~accord.contracts.changes.change_propose`'s fields.
    Both happen or neither does.
    """
    question = get_for(actor, ScopeQuestion, Action.CHANGE, pk=_pk(question))
    if question.resolution != ScopeStatus.OUT_OF_SCOPE:
        raise ValidationError("Only an out-of-scope answer leads to a change request.")
    if question.change_request_id is not None:
        raise ValidationError("This question has its change request already.")
    contract = Contract.objects.restrict(actor).filter(relationship=question.relationship).first()
    if contract is None:
        raise NotFound("This relationship has no contract yet.")
    with transaction.atomic():
        change = change_propose(contract=contract, actor=actor, **data)
        question_link_change(question=question, change_request=change, actor=actor)
    return change


def question_reopen(*, question: ScopeQuestion, actor: Any) -> ScopeQuestion:
    """Open an answered question again; its answer stays in the audit trail.

    A change request raised from it stays linked: it exists either way.
    """
    with transaction.atomic(), acting_as(actor):
        question = _locked(get_for(actor, ScopeQuestion, Action.CHANGE, pk=_pk(question)))
        if question.relationship.side_of(actor) is None:
            raise PermissionDenied("Only the two sides of the relationship reopen its questions.")
        if question.is_open:
            raise ValidationError("This question is open already.")
        question.resolution = ""
        question.answer = ""
        question.scope_item = None
        question.resolved_at = None
        question.resolved_by = None
        question.save(
            update_fields=[
                "resolution", "answer", "scope_item", "resolved_at", "resolved_by", "updated_at",
            ]
        )  # fmt: skip
    return question
