"""The provider's private cost-of-quality notes: what missing (or keeping) a level cost it.

Rework, overtime, penalties paid to subcontractors: the provider's own
figures, which the buyer never sees. Every note is ``provider`` visibility,
whatever is asked, and only the provider side writes them.
"""

from __future__ import annotations

import decimal
from typing import Any

from django.db import transaction

from accord.contracts.models import Contract
from accord.core.choices import Action, Side, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import ensure_still_permitted, get_for
from accord.core.services import apply_changes
from accord.core.visibility import can
from accord.engine.periods import parse_month
from accord.performance.models import CostOfQualityNote, ServiceLevel

COST_NOTE_FIELDS = ("month", "service_level", "title", "amount", "body")


def _clean_month(month: str) -> str:
    try:
        return str(parse_month(month or ""))
    except ValueError:
        raise ValidationError({"month": "Give the month as YYYY-MM, e.g. 2026-03."}) from None


def _clean_level(level: Any, contract: Contract, actor: Any) -> ServiceLevel | None:
    """The chosen level, if it is one of the contract's that the actor sees."""
    if level in (None, ""):
        return None
    found = (
        ServiceLevel.objects.restrict(actor)
        .filter(pk=getattr(level, "pk", level), contract=contract)
        .first()
    )
    if found is None:
        raise ValidationError({"service_level": "Choose a service level of this contract."})
    return found


def _clean_amount(amount: Any) -> decimal.Decimal | None:
    if amount in (None, ""):
        return None
    try:
        value = decimal.Decimal(str(amount))
    except decimal.InvalidOperation:
        raise ValidationError({"amount": "Give an amount, e.g. 1200.00."}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({"amount": "The cost cannot be negative."})
    return value


def cost_note_create(
    *,
    contract: Contract,
    month: str,
    title: str,
    actor: Any,
    service_level: ServiceLevel | None = None,
    amount: decimal.Decimal | None = None,
    body: str = "",
) -> CostOfQualityNote:
    """Record a cost of quality for the provider's eyes only."""
    contract = get_for(actor, Contract, pk=contract.pk)
    relationship = contract.relationship
    if relationship.side_of(actor) != Side.PROVIDER or not can(
        actor, Action.ADD, relationship, Visibility.PROVIDER
    ):
        raise PermissionDenied("Only the provider keeps cost-of-quality notes.")
    note = CostOfQualityNote(
        relationship=relationship,
        visibility=Visibility.PROVIDER,
        contract=contract,
        month=_clean_month(month),
        service_level=_clean_level(service_level, contract, actor),
        title=(title or "").strip(),
        amount=_clean_amount(amount),
        body=body or "",
        created_by=actor,
    )
    note.full_clean()
    with transaction.atomic(), acting_as(actor):
        note.save()
    return note


def cost_note_update(*, note: CostOfQualityNote, actor: Any, **changes: Any) -> CostOfQualityNote:
    """Change a note's month, level, title, amount or body (it stays the provider's)."""
    unknown = set(changes) - set(COST_NOTE_FIELDS)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic(), acting_as(actor):
        note = get_for(actor, CostOfQualityNote, Action.CHANGE, pk=note.pk)
        if "month" in changes:
            changes["month"] = _clean_month(changes["month"])
        if "service_level" in changes:
            changes["service_level"] = _clean_level(changes["service_level"], note.contract, actor)
        if "amount" in changes:
            changes["amount"] = _clean_amount(changes["amount"])
        if "title" in changes:
            changes["title"] = (changes["title"] or "").strip()
        changed = apply_changes(note, changes)
        if not changed:
            return note
        note.full_clean()
        note.save(update_fields=[*changed, "updated_at"])
        ensure_still_permitted(note, actor, Action.CHANGE)
    return note


def cost_note_delete(*, note: CostOfQualityNote, actor: Any) -> None:
    with transaction.atomic(), acting_as(actor):
        get_for(actor, CostOfQualityNote, Action.DELETE, pk=note.pk).delete()
