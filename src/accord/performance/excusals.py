"""The excusal workflow: the provider asks for relief, both sides co-sign it.

A provider (anyone of its side who may add joint records) requests relief
from a critical service level's miss in one month, with a reason, say the
buyer delivered data late. The excusal takes effect when one signatory
(executive or manager) of each side has signed the same version
(:mod:`accord.core.signing`); the buyer's signature is the approval. The
scorecards are then recomputed with the miss excused, so its credit goes.

The rules, in one place:

* ``requested`` -> ``approved`` (both sides signed the current version),
  ``declined`` (a buyer signatory, with a note) or ``withdrawn`` (the provider).
* A request or an edit by a provider signatory also signs it for the provider:
  asking for relief is the provider's statement.
* An edit of the reason bumps ``version``: every earlier signature, the
  buyer's included, stops counting and both sides sign again.
* The provider may also withdraw an approved excusal: that only gives the
  credit back to the buyer, so it needs nobody else's signature, and the
  scorecards are recomputed with the miss counting again. Declined and
  withdrawn excusals are final; a new request may follow.
* One open (requested or approved) excusal per level and month.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.contracts.models import Contract
from accord.core import signing
from accord.core.choices import Action, Side, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import get_for
from accord.core.visibility import can
from accord.engine.periods import parse_month
from accord.performance.models import Excusal, ExcusalStatus, LevelKind, ServiceLevel
from accord.performance.services import recompute_later

OPEN_STATUSES = (ExcusalStatus.REQUESTED, ExcusalStatus.APPROVED)


def _require_provider(actor: Any, relationship: Any, action: str, what: str) -> None:
    """Refuse anyone but the provider side with ``action`` on the relationship's joint records."""
    if relationship.side_of(actor) != Side.PROVIDER or not can(
        actor, action, relationship, Visibility.JOINT
    ):
        raise PermissionDenied(f"Only the provider may {what} an excusal.")


def _clean_month(month: str, contract: Contract) -> str:
    try:
        parsed = parse_month(month or "")
    except ValueError:
        raise ValidationError({"month": "Give the month as YYYY-MM, e.g. 2026-03."}) from None
    first, last = contract.start_date, contract.end_date
    if (parsed.year, parsed.month) < (first.year, first.month) or (parsed.year, parsed.month) > (
        last.year,
        last.month,
    ):
        raise ValidationError(
            {"month": f"{parsed} is outside the contract's term ({first:%Y-%m} to {last:%Y-%m})."}
        )
    return str(parsed)


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the miss should be excused."})
    return reason


def _locked(excusal: Excusal) -> Excusal:
    """The excusal re-read under a row lock: signatures and decisions happen one at a time."""
    return Excusal.objects.select_for_update().select_related("relationship").get(pk=excusal.pk)


def excusal_request(
    *, contract: Contract, service_level: ServiceLevel, month: str, reason: str, actor: Any
) -> Excusal:
    """The provider asks for relief from ``service_level``'s miss in ``month``.

    The level must be a critical level of the contract still in the schedule
    (only critical levels carry credits). A signatory's request also signs
    it for the provider.
    """
    contract = get_for(actor, Contract, pk=contract.pk)
    relationship = contract.relationship
    _require_provider(actor, relationship, Action.ADD, "request")
    level = (
        ServiceLevel.objects.restrict(actor)
        .filter(pk=getattr(service_level, "pk", service_level), contract=contract)
        .first()
    )
    if level is None:
        raise ValidationError({"service_level": "Choose a service level of this contract."})
    if level.retired:
        raise ValidationError({"service_level": "This service level is no longer in the schedule."})
    if level.kind != LevelKind.CRITICAL:
        raise ValidationError(
            {"service_level": "Only critical service levels carry credits to be excused."}
        )
    month = _clean_month(month, contract)
    reason = _clean_reason(reason)
    with transaction.atomic(), acting_as(actor):
        # Lock the level: two requests at once cannot both be the open one.
        ServiceLevel.objects.select_for_update().filter(pk=level.pk).first()
        if Excusal.objects.filter(
            service_level=level, month=month, status__in=OPEN_STATUSES
        ).exists():
            raise ValidationError(
                {"month": f"{level.code} already has an open excusal for {month}."}
            )
        excusal = Excusal(
            relationship=relationship,
            visibility=Visibility.JOINT,
            contract=contract,
            service_level=level,
            month=month,
            reason=reason,
            created_by=actor,
        )
        excusal.full_clean()
        excusal.save()
        if signing.is_signatory(actor, relationship):
            signing.sign(excusal, actor=actor)
    return excusal


def excusal_update(*, excusal: Excusal, reason: str, actor: Any) -> Excusal:
    """Restate the reason of a requested excusal: a new version that both sides sign again.

    A provider signatory's edit signs the new version for the provider.
    The same reason again changes nothing.
    """
    reason = _clean_reason(reason)
    with transaction.atomic(), acting_as(actor):
        found = get_for(actor, Excusal, Action.CHANGE, pk=excusal.pk)
        _require_provider(actor, found.relationship, Action.CHANGE, "edit")
        excusal = _locked(found)
        if excusal.status != ExcusalStatus.REQUESTED:
            raise ValidationError(f"A {excusal.get_status_display().lower()} excusal is final.")
        if excusal.reason == reason:
            return excusal
        excusal.reason = reason
        excusal.version += 1
        excusal.full_clean()
        excusal.save(update_fields=["reason", "version", "updated_at"])
        if signing.is_signatory(actor, excusal.relationship):
            signing.sign(excusal, actor=actor)
    return excusal


def excusal_sign(*, excusal: Excusal, actor: Any) -> Excusal:
    """Sign the current version for the actor's side; both sides signed = approved.

    On approval the scorecards are recomputed with the miss excused.
    ``decided_by`` is the buyer's signatory (their signature is the approval),
    ``decided_at`` the moment the second signature made it take effect.
    """
    with transaction.atomic(), acting_as(actor):
        excusal = _locked(get_for(actor, Excusal, pk=excusal.pk))
        if not signing.is_signatory(actor, excusal.relationship):
            raise PermissionDenied("Only an executive or manager of either side may sign.")
        if excusal.status != ExcusalStatus.REQUESTED:
            raise ValidationError(
                f"This excusal is {excusal.get_status_display().lower()}: there is nothing to sign."
            )
        signing.sign(excusal, actor=actor)
        approved = signing.is_cosigned(excusal)
        if approved:
            buyer_signature = next(s for s in signing.signatures(excusal) if s.side == Side.BUYER)
            excusal.status = ExcusalStatus.APPROVED
            excusal.decided_by = buyer_signature.signer
            excusal.decided_at = timezone.now()
            excusal.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if approved:
        recompute_later(excusal.contract_id, f"{excusal} approved (co-signed, v{excusal.version})")
    return excusal


def excusal_decline(*, excusal: Excusal, note: str, actor: Any) -> Excusal:
    """A buyer signatory declines a requested excusal, saying why."""
    note = (note or "").strip()
    with transaction.atomic(), acting_as(actor):
        excusal = _locked(get_for(actor, Excusal, pk=excusal.pk))
        relationship = excusal.relationship
        if relationship.side_of(actor) != Side.BUYER or not signing.is_signatory(
            actor, relationship
        ):
            raise PermissionDenied("Only an executive or manager of the buyer may decline.")
        if excusal.status != ExcusalStatus.REQUESTED:
            raise ValidationError(
                f"This excusal is {excusal.get_status_display().lower()}: it cannot be declined."
            )
        if not note:
            raise ValidationError({"note": "Say why the excusal is declined."})
        excusal.status = ExcusalStatus.DECLINED
        excusal.decided_by = actor
        excusal.decided_at = timezone.now()
        excusal.decision_note = note
        excusal.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
        )
    return excusal


def excusal_withdraw(*, excusal: Excusal, actor: Any) -> Excusal:
    """The provider withdraws its request, or gives up an approved excusal.

    Withdrawing an approved excusal recomputes the scorecards: the miss
    counts again and its credit returns to the buyer.
    """
    with transaction.atomic(), acting_as(actor):
        found = get_for(actor, Excusal, Action.CHANGE, pk=excusal.pk)
        _require_provider(actor, found.relationship, Action.CHANGE, "withdraw")
        excusal = _locked(found)
        if excusal.status not in OPEN_STATUSES:
            raise ValidationError(
                f"This excusal is {excusal.get_status_display().lower()}: it cannot be withdrawn."
            )
        was_approved = excusal.status == ExcusalStatus.APPROVED
        excusal.status = ExcusalStatus.WITHDRAWN
        excusal.save(update_fields=["status", "updated_at"])
    if was_approved:
        recompute_later(excusal.contract_id, f"{excusal} withdrawn after approval")
    return excusal


def excusal_actions(excusal: Excusal, user: Any) -> dict[str, bool]:
    """What ``user`` may do to ``excusal`` now, for the page's buttons (the services decide)."""
    relationship = excusal.relationship
    side = relationship.side_of(user)
    requested = excusal.status == ExcusalStatus.REQUESTED
    signatory = signing.is_signatory(user, relationship)
    provider_changes = side == Side.PROVIDER and can(
        user, Action.CHANGE, relationship, Visibility.JOINT
    )
    return {
        "sign": requested and signatory and side not in signing.signed_sides(excusal),
        "decline": requested and signatory and side == Side.BUYER,
        "edit": requested and provider_changes,
        "withdraw": excusal.status in OPEN_STATUSES and provider_changes,
    }
