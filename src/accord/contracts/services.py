"""Writes to contracts and the scope register."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accord.contracts.models import Contract, ScopeItem
from accord.core.choices import Action, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import ensure_still_permitted, get_for
from accord.core.services import apply_changes
from accord.core.visibility import can
from accord.parties.models import Relationship

CONTRACT_FIELDS = (
    "reference",
    "title",
    "start_date",
    "end_date",
    "currency",
    "timezone",
    "monthly_fee",
    "fee_schedule",
    "at_risk_percent",
    "pool_percent",
)


def contract_create(*, relationship: Relationship, actor: Any, **fields: Any) -> Contract:
    """Record the contract of a relationship (one per relationship; joint)."""
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown contract fields: {', '.join(sorted(unknown))}.")
    relationship = get_for(actor, Relationship, pk=relationship.pk)
    if not can(actor, Action.ADD, relationship, Visibility.JOINT):
        raise PermissionDenied("Your role does not allow recording the contract.")
    if Contract.objects.filter(relationship=relationship).exists():
        raise ValidationError("This relationship already has a contract; edit it instead.")
    contract = Contract(
        relationship=relationship, visibility=Visibility.JOINT, created_by=actor, **fields
    )
    contract.full_clean()
    with transaction.atomic(), acting_as(actor):
        contract.save()
    return contract


def contract_update(*, contract: Contract, actor: Any, **changes: Any) -> Contract:
    """Change the contract's terms; the scorecards and credits are recomputed with them."""
    from accord.performance import schedules
    from accord.performance.services import current_version, recompute_later

    unknown = set(changes) - set(CONTRACT_FIELDS)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic(), acting_as(actor):
        contract = get_for(actor, Contract, Action.CHANGE, pk=contract.pk)
        changed = apply_changes(contract, changes)
        if not changed:
            return contract
        contract.full_clean()
        version = current_version(contract)
        if version is not None:
            # The schedule in force must still agree with the new terms.
            try:
                schedules.build_schedule(contract, version.document)
            except schedules.ScheduleInvalid as exc:
                raise ValidationError(
                    "The schedule in force disagrees with these terms: "
                    + "; ".join(str(p) for p in exc.problems)
                ) from exc
        contract.save(update_fields=[*changed, "updated_at"])
        ensure_still_permitted(contract, actor, Action.CHANGE)
        if version is not None:
            recompute_later(contract.pk, "contract terms changed")
    return contract


SCOPE_FIELDS = ("status", "title", "description", "clause")


def scope_item_create(*, relationship: Relationship, actor: Any, **fields: Any) -> ScopeItem:
    """Add a service to the scope register: in scope, out of scope or to be determined."""
    unknown = set(fields) - set(SCOPE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown scope fields: {', '.join(sorted(unknown))}.")
    relationship = get_for(actor, Relationship, pk=relationship.pk)
    if not can(actor, Action.ADD, relationship, Visibility.JOINT):
        raise PermissionDenied("Your role does not allow changing the scope register.")
    item = ScopeItem(
        relationship=relationship, visibility=Visibility.JOINT, created_by=actor, **fields
    )
    item.full_clean()
    with transaction.atomic(), acting_as(actor):
        item.save()
    return item


def scope_item_update(*, item: ScopeItem, actor: Any, **changes: Any) -> ScopeItem:
    unknown = set(changes) - set(SCOPE_FIELDS)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic(), acting_as(actor):
        item = get_for(actor, ScopeItem, Action.CHANGE, pk=item.pk)
        changed = apply_changes(item, changes)
        if changed:
            item.full_clean()
            item.save(update_fields=[*changed, "updated_at"])
    return item


def scope_item_delete(*, item: ScopeItem, actor: Any) -> None:
    with transaction.atomic(), acting_as(actor):
        get_for(actor, ScopeItem, Action.DELETE, pk=item.pk).delete()
