"""Services for what the warning signs read: workforce months, meetings, improvement
proposals, the provider's finances (the buyer's alone), sign thresholds, level focus,
and the "cites the contract's letter" tag of a note.

Every write checks the actor's permission through the visibility rule, validates,
saves with an audit entry, and asks for a health refresh of the relationship once
the transaction commits (:func:`accord.health.refresh.refresh_later`).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import transaction

from accord.core.choices import Action, Side, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.selectors import ensure_still_permitted, get_for
from accord.core.services import apply_changes, save_validated
from accord.core.visibility import can
from accord.engine import periods
from accord.health import refresh
from accord.health.models import (
    FinancialIndicator,
    ImprovementProposal,
    MeetingLog,
    ProposalStatus,
    SignCode,
    SignThreshold,
    WorkforceMonth,
    sign_visibility,
)
from accord.parties.models import Relationship
from accord.performance.focus import LevelFocus
from accord.performance.models import ServiceLevel

# --------------------------------------------------------------------------- helpers


def parse_month(value: Any, field: str = "month") -> dt.date:
    """``YYYY-MM`` (or a date) as the first day of that month."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    try:
        month = periods.parse_month(str(value or ""))
    except ValueError:
        raise ValidationError({field: "Give the month as YYYY-MM, e.g. 2026-03."}) from None
    return dt.date(month.year, month.month, 1)


def _relationship_for(actor: Any, relationship: Relationship | int) -> Relationship:
    pk = relationship.pk if isinstance(relationship, Relationship) else relationship
    return get_for(actor, Relationship, pk=pk)


def _require(actor: Any, action: str, relationship: Relationship, visibility: str) -> None:
    if not can(actor, action, relationship, visibility):
        raise PermissionDenied("Your role does not allow this here.")


def _update(
    model: type[Any], obj: Any, actor: Any, editable: tuple[str, ...], **changes: Any
) -> Any:
    """Apply ``changes`` (only ``editable`` fields) to ``obj`` as ``actor``; refresh after."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic(), acting_as(actor):
        obj = get_for(actor, model, Action.CHANGE, pk=obj.pk)
        changed = apply_changes(obj, changes)
        if changed:
            obj.full_clean()
            obj.save(update_fields=[*changed, "updated_at"])
            ensure_still_permitted(obj, actor, Action.CHANGE)
        refresh.refresh_later(obj.relationship_id)
    return obj


def _delete(model: type[Any], obj: Any, actor: Any) -> None:
    with transaction.atomic(), acting_as(actor):
        obj = get_for(actor, model, Action.DELETE, pk=obj.pk)
        relationship_id = obj.relationship_id
        obj.delete()
        refresh.refresh_later(relationship_id)


# --------------------------------------------------------------------------- workforce

WORKFORCE_EDITABLE = ("month", "headcount", "joiners", "leavers", "moved_out", "note")


def _provider_writes(actor: Any, relationship: Relationship, action: str) -> None:
    if relationship.side_of(actor) != Side.PROVIDER or not can(
        actor, action, relationship, Visibility.JOINT
    ):
        raise PermissionDenied("Only the provider, who reports them, records workforce figures.")


def _clean_workforce(fields: dict[str, Any]) -> dict[str, Any]:
    if "month" in fields:
        fields["month"] = parse_month(fields["month"])
    if "note" in fields:
        fields["note"] = (fields["note"] or "").strip()
    return fields


@transaction.atomic
def workforce_month_create(
    *, relationship: Relationship | int, actor: Any, **fields: Any
) -> WorkforceMonth:
    """Record the provider's workforce for one month (provider only; one row a month)."""
    relationship = _relationship_for(actor, relationship)
    _provider_writes(actor, relationship, Action.ADD)
    fields = _clean_workforce(fields)
    unknown = set(fields) - set(WORKFORCE_EDITABLE)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if WorkforceMonth._base_manager.filter(
        relationship=relationship, month=fields["month"]
    ).exists():
        raise ValidationError({"month": "That month is already recorded: edit it instead."})
    row = WorkforceMonth(
        relationship=relationship, visibility=Visibility.JOINT, created_by=actor, **fields
    )
    save_validated(row, actor=actor)
    refresh.refresh_later(relationship.pk)
    return row


def workforce_month_update(*, row: WorkforceMonth, actor: Any, **changes: Any) -> WorkforceMonth:
    changes = _clean_workforce(changes)
    if "month" in changes and (
        WorkforceMonth._base_manager.filter(
            relationship_id=row.relationship_id, month=changes["month"]
        )
        .exclude(pk=row.pk)
        .exists()
    ):
        raise ValidationError({"month": "That month is already recorded."})
    result: WorkforceMonth = _update(WorkforceMonth, row, actor, WORKFORCE_EDITABLE, **changes)
    return result


def workforce_month_delete(*, row: WorkforceMonth, actor: Any) -> None:
    _delete(WorkforceMonth, row, actor)


# --------------------------------------------------------------------------- meetings

MEETING_EDITABLE = (
    "held_on", "title", "tier", "duration_minutes", "attendees",
    "buyer_executive_present", "provider_executive_present", "note",
)  # fmt: skip


@transaction.atomic
def meeting_log_create(
    *, relationship: Relationship | int, actor: Any, **fields: Any
) -> MeetingLog:
    """Log a governance meeting or executive contact (either side)."""
    relationship = _relationship_for(actor, relationship)
    _require(actor, Action.ADD, relationship, Visibility.JOINT)
    unknown = set(fields) - set(MEETING_EDITABLE)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    meeting = MeetingLog(
        relationship=relationship, visibility=Visibility.JOINT, created_by=actor, **fields
    )
    save_validated(meeting, actor=actor)
    refresh.refresh_later(relationship.pk)
    return meeting


def meeting_log_update(*, meeting: MeetingLog, actor: Any, **changes: Any) -> MeetingLog:
    result: MeetingLog = _update(MeetingLog, meeting, actor, MEETING_EDITABLE, **changes)
    return result


def meeting_log_delete(*, meeting: MeetingLog, actor: Any) -> None:
    _delete(MeetingLog, meeting, actor)


# --------------------------------------------------------------------------- proposals

PROPOSAL_EDITABLE = ("title", "description", "proposed_on", "status", "expected_benefit")


@transaction.atomic
def proposal_create(
    *, relationship: Relationship | int, actor: Any, **fields: Any
) -> ImprovementProposal:
    """Put forward an improvement; ``originated_by`` is the actor's side."""
    relationship = _relationship_for(actor, relationship)
    _require(actor, Action.ADD, relationship, Visibility.JOINT)
    unknown = set(fields) - set(PROPOSAL_EDITABLE)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    fields.setdefault("status", ProposalStatus.PROPOSED)
    proposal = ImprovementProposal(
        relationship=relationship,
        visibility=Visibility.JOINT,
        originated_by=relationship.side_of(actor) or "",
        created_by=actor,
        **fields,
    )
    save_validated(proposal, actor=actor)
    refresh.refresh_later(relationship.pk)
    return proposal


def proposal_update(
    *, proposal: ImprovementProposal, actor: Any, **changes: Any
) -> ImprovementProposal:
    result: ImprovementProposal = _update(
        ImprovementProposal, proposal, actor, PROPOSAL_EDITABLE, **changes
    )
    return result


def proposal_delete(*, proposal: ImprovementProposal, actor: Any) -> None:
    _delete(ImprovementProposal, proposal, actor)


# --------------------------------------------------------------------------- finances

FINANCIAL_EDITABLE = (
    "period_end",
    "revenue",
    "operating_margin",
    "credit_rating",
    "source",
    "note",
)


def _buyer_area(actor: Any, relationship: Relationship, action: str) -> None:
    """The provider's finances exist for the buyer only: anyone else is told nothing."""
    if not can(actor, Action.VIEW, relationship, Visibility.BUYER):
        raise NotFound("No financial indicators here.")
    _require(actor, action, relationship, Visibility.BUYER)


@transaction.atomic
def financial_indicator_create(
    *, relationship: Relationship | int, actor: Any, **fields: Any
) -> FinancialIndicator:
    """Record the provider's published figures for a period (buyer only, never shown to it)."""
    relationship = _relationship_for(actor, relationship)
    _buyer_area(actor, relationship, Action.ADD)
    unknown = set(fields) - set(FINANCIAL_EDITABLE)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if FinancialIndicator._base_manager.filter(
        relationship=relationship, period_end=fields["period_end"]
    ).exists():
        raise ValidationError({"period_end": "Figures to that date are already recorded."})
    indicator = FinancialIndicator(
        relationship=relationship, visibility=Visibility.BUYER, created_by=actor, **fields
    )
    save_validated(indicator, actor=actor)
    refresh.refresh_later(relationship.pk)
    return indicator


def financial_indicator_update(
    *, indicator: FinancialIndicator, actor: Any, **changes: Any
) -> FinancialIndicator:
    if "period_end" in changes and (
        FinancialIndicator._base_manager.filter(
            relationship_id=indicator.relationship_id, period_end=changes["period_end"]
        )
        .exclude(pk=indicator.pk)
        .exists()
    ):
        raise ValidationError({"period_end": "Figures to that date are already recorded."})
    result: FinancialIndicator = _update(
        FinancialIndicator, indicator, actor, FINANCIAL_EDITABLE, **changes
    )
    return result


def financial_indicator_delete(*, indicator: FinancialIndicator, actor: Any) -> None:
    _delete(FinancialIndicator, indicator, actor)


# --------------------------------------------------------------------------- thresholds


def _sign(sign: str) -> SignCode:
    try:
        return SignCode(sign)
    except ValueError:
        raise NotFound("No such warning sign.") from None


@transaction.atomic
def sign_threshold_set(
    *,
    relationship: Relationship | int,
    sign: str,
    actor: Any,
    enabled: bool = True,
    watch_at: Any,
    trigger_at: Any,
    window_months: int,
) -> SignThreshold:
    """Tune one warning sign for a relationship (the financial sign: the buyer only)."""
    relationship = _relationship_for(actor, relationship)
    code = _sign(sign)
    visibility = sign_visibility(code)
    if not can(actor, Action.VIEW, relationship, visibility):
        raise NotFound("No such warning sign.")
    try:
        watch = decimal.Decimal(str(watch_at))
        trigger = decimal.Decimal(str(trigger_at))
    except decimal.InvalidOperation:
        raise ValidationError({"watch_at": "Give numbers."}) from None
    if trigger < watch:
        raise ValidationError({"trigger_at": "The trigger level cannot be below the watch level."})
    existing = SignThreshold.objects.restrict(actor).filter(relationship=relationship, sign=code)
    row = existing.first()
    values = {
        "enabled": bool(enabled),
        "watch_at": watch,
        "trigger_at": trigger,
        "window_months": window_months,
    }
    if row is None:
        _require(actor, Action.CHANGE, relationship, visibility)
        row = SignThreshold(
            relationship=relationship, sign=code, visibility=visibility, created_by=actor, **values
        )
        save_validated(row, actor=actor)
    else:
        row = get_for(actor, SignThreshold, Action.CHANGE, pk=row.pk)
        changed = apply_changes(row, values)
        if changed:
            save_validated(row, actor=actor, update_fields=[*changed, "updated_at"])
    refresh.refresh_later(relationship.pk)
    return row


def sign_threshold_update(*, threshold: SignThreshold, actor: Any, **changes: Any) -> SignThreshold:
    values: dict[str, Any] = {
        "enabled": threshold.enabled,
        "watch_at": threshold.watch_at,
        "trigger_at": threshold.trigger_at,
        "window_months": threshold.window_months,
    }
    unknown = set(changes) - set(values)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    values.update(changes)
    return sign_threshold_set(
        relationship=threshold.relationship_id, sign=threshold.sign, actor=actor, **values
    )


def sign_threshold_reset(*, threshold: SignThreshold, actor: Any) -> None:
    """Back to the defaults: the relationship's tuning is removed."""
    _delete(SignThreshold, threshold, actor)


# --------------------------------------------------------------------------- level focus


@transaction.atomic
def level_focus_set(*, level: ServiceLevel, focus: str, actor: Any) -> ServiceLevel:
    """Correct what a service level is about (either side; later schedules keep it)."""
    level = get_for(actor, ServiceLevel, Action.CHANGE, pk=level.pk)
    if focus not in LevelFocus.values:
        raise ValidationError({"focus": "Choose one of the listed focuses."})
    if level.focus != focus:
        level.focus = focus
        save_validated(level, actor=actor, update_fields=["focus", "updated_at"])
    refresh.refresh_later(level.relationship_id)
    return level
