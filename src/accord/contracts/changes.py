"""Change requests: either side proposes, both sides co-sign, approval applies the change.

A change request proposes a change of scope, service levels, price or term,
with the rationale (what changed in either side's world) and the impact. It
takes effect when one signatory (executive or manager) of each side has
signed the same version (:mod:`accord.core.signing`); the second signature
applies it, in the same transaction, through the services that own what it
changes, so the scope register, the schedule and the contract keep their
history in the audit log:

* scope: :func:`~accord.contracts.services.scope_item_create` (a new item,
  whose clause is the change request) or ``scope_item_update``;
* service levels: :func:`~accord.performance.services.schedule_version_create`
  (a new schedule version; the scorecards are recomputed with it);
* price and term: :func:`~accord.contracts.services.contract_update`.

If applying fails (the schedule no longer fits the contract, the item to
change was removed...), nothing is kept: not the signature, not the approval.

The rules, in one place:

* ``proposed`` -> ``approved`` (both sides signed the current version),
  ``declined`` (a signatory of the side that did not propose, with a note) or
  ``withdrawn`` (the proposing side). All three are final.
* Either side proposes (a role that adds joint records); a signatory's
  proposal also signs it for their side.
* While proposed, either side may edit it (a role that changes joint
  records). An edit of the content bumps ``version``: the signatures given so
  far stop counting (they stay as history) and a signatory editor signs the
  new version.
* What approval will apply is validated when it is proposed or edited, with
  the same checks as the change itself (a schedule gets the engine's checks,
  each problem on its line), and again when it is applied.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from accord.attention.models import NotificationKind
from accord.attention.notify import notify
from accord.contracts.models import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    Contract,
    ScopeAction,
    ScopeItem,
    ScopeStatus,
)
from accord.core import signing
from accord.core.choices import SIGNATORY_ROLES, Action, Side, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.models import Signature
from accord.core.selectors import get_for
from accord.core.visibility import can
from accord.engine.periods import parse_month

CHANGE_TYPE = "contracts.changerequest"
CENT = decimal.Decimal("0.01")

# The fields a person writes; any change to them is a new version.
TEXT_FIELDS = ("title", "rationale", "impact_service_levels", "impact_people")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    ChangeKind.SCOPE: (
        "scope_item",
        "new_scope_status",
        "new_scope_title",
        "new_scope_description",
    ),
    ChangeKind.SERVICE_LEVEL: ("schedule_document",),
    ChangeKind.PRICE: ("new_monthly_fee", "new_fee_from"),
    ChangeKind.TERM: ("new_end_date",),
}
# What "nothing" is for each field of what approval applies (fields of other kinds are cleared).
EMPTY: dict[str, Any] = {
    "scope_item": None,
    "scope_action": "",
    "new_scope_status": "",
    "new_scope_title": "",
    "new_scope_description": "",
    "schedule_document": "",
    "new_monthly_fee": None,
    "new_fee_from": "",
    "new_end_date": None,
}
CONTENT_FIELDS = ("title", "kind", "rationale", "impact_cost", *TEXT_FIELDS[2:], *EMPTY)
EDITABLE = frozenset(CONTENT_FIELDS) - {"scope_action"} | {"scope_items"}


# --------------------------------------------------------------------------- reading


def with_signed_sides(queryset: models.QuerySet[ChangeRequest]) -> models.QuerySet[ChangeRequest]:
    """Annotate ``buyer_signed`` / ``provider_signed``: that side signed the current version.

    One query for a whole list (the signatures are joint, like the change requests).
    """

    def signed(side: str) -> Exists:
        return Exists(
            Signature.objects.filter(
                object_type=CHANGE_TYPE,
                object_id=Cast(OuterRef("pk"), models.CharField()),
                version=OuterRef("version"),
                side=side,
            )
        )

    return queryset.annotate(buyer_signed=signed(Side.BUYER), provider_signed=signed(Side.PROVIDER))


def awaiting_q(side: str) -> Q:
    """Proposed change requests whose current version ``side`` has not signed (annotated)."""
    return Q(status=ChangeStatus.PROPOSED) & Q(**{f"{side}_signed": False})


def awaiting_sides(change: ChangeRequest) -> list[str]:
    """The sides whose signature the current version still needs (none once decided)."""
    if change.status != ChangeStatus.PROPOSED:
        return []
    signed = signing.signed_sides(change)
    return [side for side in (Side.BUYER, Side.PROVIDER) if side not in signed]


def scope_changes(change: ChangeRequest) -> dict[str, str]:
    """The scope item fields a scope change sets (empty new values keep the item's own)."""
    found = {
        "status": change.new_scope_status,
        "title": change.new_scope_title,
        "description": change.new_scope_description,
    }
    return {name: value for name, value in found.items() if value}


def adds_scope_item(change: ChangeRequest) -> bool:
    if change.scope_action:
        return change.scope_action == ScopeAction.ADD
    return change.scope_item_id is None


def price_terms(contract: Contract, fee: decimal.Decimal, fee_from: str = "") -> dict[str, Any]:
    """The contract's fee terms once a price change of ``fee`` (from ``fee_from``) applies.

    Without a month, the one monthly fee is replaced. With a month, the fee
    becomes a new step of the fee schedule from that month on (a contract
    with one monthly fee gets a schedule: its fee from the start, the new one
    from ``fee_from``); months before keep the fee they were billed at.
    """
    amount = str(fee.quantize(CENT))
    if not fee_from:
        return {"monthly_fee": fee.quantize(CENT), "fee_schedule": {}}
    if contract.fee_schedule:
        steps = {str(k): str(v) for k, v in contract.fee_schedule.items()}
    else:
        steps = {f"{contract.start_date:%Y-%m}": str(contract.monthly_fee)}
    steps[fee_from] = amount
    return {"monthly_fee": None, "fee_schedule": dict(sorted(steps.items()))}


@dataclass(frozen=True)
class Actions:
    """What a person may do to a change request now (for the buttons; the services decide)."""

    sign: bool = False
    decline: bool = False
    edit: bool = False
    withdraw: bool = False

    @property
    def any(self) -> bool:
        return self.sign or self.decline or self.edit or self.withdraw


def change_actions(change: ChangeRequest, user: Any, signed: set[str] | None = None) -> Actions:
    relationship = change.relationship
    side = relationship.side_of(user)
    if change.status != ChangeStatus.PROPOSED or side is None:
        return Actions()
    signatory = signing.is_signatory(user, relationship)
    changes = can(user, Action.CHANGE, relationship, Visibility.JOINT)
    signed = signing.signed_sides(change) if signed is None else signed
    return Actions(
        sign=signatory and side not in signed,
        decline=signatory and side != change.proposed_by_side,
        edit=changes,
        withdraw=changes and side == change.proposed_by_side,
    )


# --------------------------------------------------------------------------- validation


def _text(value: Any) -> str:
    return str(value or "").strip()


def _decimal(value: Any, field: str, errors: dict[str, Any]) -> decimal.Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        errors[field] = f"{value!r} is not an amount."
        return None
    if not number.is_finite():
        errors[field] = f"{value!r} is not an amount."
        return None
    return number


def _date(value: Any, field: str, errors: dict[str, Any]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = "Give the date as YYYY-MM-DD."
        return None


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _scope_items(
    values: Iterable[Any], relationship_id: int, actor: Any, errors: dict[str, Any]
) -> list[ScopeItem]:
    wanted = {_pk(value) for value in values if value not in (None, "")}
    if not wanted:
        return []
    try:
        found = list(
            ScopeItem.objects.restrict(actor).filter(relationship_id=relationship_id, pk__in=wanted)
        )
    except (TypeError, ValueError):
        found = []
    if len(found) != len(wanted):
        errors["scope_items"] = "Choose scope items of this relationship's register."
    return found


def _normalised_document(text: str) -> str:
    """The schedule as it is stored: plain newlines, ending with one (as the schedule page does)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if text.strip() and not text.endswith("\n"):
        text += "\n"
    return text


def _contract_after(contract: Contract, changes: dict[str, Any]) -> Contract:
    """An unsaved copy of ``contract`` with ``changes`` made, to check them before approval."""
    copy = Contract.objects.get(pk=contract.pk)
    for name, value in changes.items():
        setattr(copy, name, value)
    return copy


def _check_contract_terms(
    contract: Contract, changes: dict[str, Any], field: str, errors: dict[str, Any]
) -> None:
    """Would the contract accept ``changes``, and the schedule in force agree with them?"""
    from accord.performance import schedules
    from accord.performance.services import current_version

    after = _contract_after(contract, changes)
    try:
        after.full_clean()
    except ValidationError as error:
        errors[field] = [m for messages in error.message_dict.values() for m in messages]
        return
    version = current_version(contract)
    if version is None:
        return
    try:
        schedules.build_schedule(after, version.document)
    except schedules.ScheduleInvalid as invalid:
        errors[field] = [
            f"The schedule in force (version {version.number}) disagrees with this change: {p}"
            for p in invalid.problems
        ]


def _clean_scope(
    data: dict[str, Any], relationship_id: int, actor: Any, errors: dict[str, Any]
) -> None:
    item_pk = _pk(data.get("scope_item"))
    item = None
    if item_pk not in (None, ""):
        item = (
            ScopeItem.objects.restrict(actor)
            .filter(relationship_id=relationship_id, pk=item_pk)
            .first()
        )
        if item is None:
            errors["scope_item"] = "Choose an item of this relationship's scope register."
            return
    data["scope_item"] = item
    status = _text(data.get("new_scope_status"))
    if status and status not in ScopeStatus.values:
        errors["new_scope_status"] = f"{status!r} is not a scope status."
    data["new_scope_status"] = status
    data["new_scope_title"] = _text(data.get("new_scope_title"))
    data["new_scope_description"] = _text(data.get("new_scope_description"))
    if item is None:
        data["scope_action"] = ScopeAction.ADD
        if not status:
            errors.setdefault("new_scope_status", "Say whether the new item is in scope or not.")
        if not data["new_scope_title"]:
            errors["new_scope_title"] = "Name the service the change adds to the register."
        return
    data["scope_action"] = ScopeAction.CHANGE
    wanted = {
        "status": status,
        "title": data["new_scope_title"],
        "description": data["new_scope_description"],
    }
    if all(not value or getattr(item, name) == value for name, value in wanted.items()):
        errors["new_scope_status"] = (
            f"Say what changes in “{item}”: a new status, title or description."
        )


def _clean_schedule(data: dict[str, Any], contract: Contract, errors: dict[str, Any]) -> None:
    from accord.performance import schedules
    from accord.performance.services import current_version

    text = _normalised_document(data.get("schedule_document") or "")
    data["schedule_document"] = text
    if not text.strip():
        errors["schedule_document"] = "Write the schedule (YAML) that the change puts in force."
        return
    try:
        schedules.build_schedule(contract, text)
    except schedules.ScheduleInvalid as invalid:
        errors["schedule_document"] = [str(problem) for problem in invalid.problems]
        return
    version = current_version(contract)
    if version is not None and version.document == text:
        errors["schedule_document"] = (
            f"This is the schedule in force (version {version.number}): change something."
        )


def _clean_price(data: dict[str, Any], contract: Contract, errors: dict[str, Any]) -> None:
    fee = _decimal(data.get("new_monthly_fee"), "new_monthly_fee", errors)
    fee_from = _text(data.get("new_fee_from"))
    if fee_from:
        try:
            month = parse_month(fee_from)
        except ValueError:
            errors["new_fee_from"] = "Give the month as YYYY-MM, e.g. 2027-01."
        else:
            fee_from = str(month)
            first, last = contract.start_date, contract.end_date
            if (month.year, month.month) < (first.year, first.month) or (
                month.year,
                month.month,
            ) > (last.year, last.month):
                errors["new_fee_from"] = (
                    f"{fee_from} is outside the contract's term ({first:%Y-%m} to {last:%Y-%m})."
                )
    elif contract.fee_schedule:
        errors["new_fee_from"] = (
            "This contract's fees follow a schedule: say from which month the new fee applies."
        )
    data["new_fee_from"] = fee_from
    if fee is None:
        if "new_monthly_fee" not in errors:
            errors["new_monthly_fee"] = "Give the new monthly fee."
        return
    if fee < 0:
        errors["new_monthly_fee"] = "A fee cannot be negative."
        return
    data["new_monthly_fee"] = fee.quantize(CENT)
    if errors:
        return
    terms = price_terms(contract, fee, fee_from)
    same_fee = terms["monthly_fee"] == contract.monthly_fee and not contract.fee_schedule
    same_schedule = terms["fee_schedule"] and terms["fee_schedule"] == {
        str(k): str(v) for k, v in contract.fee_schedule.items()
    }
    if same_fee or same_schedule:
        errors["new_monthly_fee"] = "That is the fee already: the change would change nothing."
        return
    _check_contract_terms(contract, terms, "new_monthly_fee", errors)


def _clean_term(data: dict[str, Any], contract: Contract, errors: dict[str, Any]) -> None:
    end = _date(data.get("new_end_date"), "new_end_date", errors)
    data["new_end_date"] = end
    if end is None:
        errors.setdefault("new_end_date", "Give the contract's new end date.")
        return
    if end <= contract.start_date:
        errors["new_end_date"] = f"The contract starts on {contract.start_date}: end it after that."
        return
    if end == contract.end_date:
        errors["new_end_date"] = f"The contract already ends on {end}."
        return
    _check_contract_terms(contract, {"end_date": end}, "new_end_date", errors)


def _clean(contract: Contract, actor: Any, data: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Validate a whole proposal; return its fields and its scope items, or every error at once."""
    errors: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    fields["title"] = _text(data.get("title"))
    if not fields["title"]:
        errors["title"] = "Give the change a short title."
    elif len(fields["title"]) > 200:
        errors["title"] = "At most 200 characters."
    fields["rationale"] = _text(data.get("rationale"))
    if not fields["rationale"]:
        errors["rationale"] = "Say what changed in either side's world that calls for this change."
    for name in TEXT_FIELDS[2:]:
        fields[name] = _text(data.get(name))
    fields["impact_cost"] = _decimal(data.get("impact_cost"), "impact_cost", errors)
    kind = _text(data.get("kind"))
    if kind not in ChangeKind.values:
        errors["kind"] = "Choose what the change is about: scope, service levels, price or term."
    fields["kind"] = kind
    items = _scope_items(data.get("scope_items") or (), contract.relationship_id, actor, errors)
    specific = dict(EMPTY)
    for name in KIND_FIELDS.get(kind, ()):
        specific[name] = data.get(name, EMPTY[name])
    if kind == ChangeKind.SCOPE:
        _clean_scope(specific, contract.relationship_id, actor, errors)
    elif kind == ChangeKind.SERVICE_LEVEL:
        _clean_schedule(specific, contract, errors)
    elif kind == ChangeKind.PRICE:
        _clean_price(specific, contract, errors)
    elif kind == ChangeKind.TERM:
        _clean_term(specific, contract, errors)
    fields.update(specific)
    if errors:
        raise ValidationError(errors)
    item = fields.get("scope_item")
    if item is not None and item not in items:
        items.append(item)  # the item a scope change changes is one it touches
    return fields, items


# --------------------------------------------------------------------------- notifying


def signatories(relationship: Any, sides: Iterable[str]) -> list[Any]:
    """The active executives and managers of ``sides`` on the relationship."""
    from accord.parties.models import User

    organisations: dict[str, int] = {
        Side.BUYER: relationship.buyer_id,
        Side.PROVIDER: relationship.provider_id,
    }
    wanted = [organisations[side] for side in sides]
    if not wanted:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            organisation_id__in=wanted,
            roles__relationship_id=relationship.pk,
            roles__role__in=list(SIGNATORY_ROLES),
        ).distinct()
    )


def _ask_for_signatures(change: ChangeRequest, actor: Any) -> None:
    """Tell the signatories of each side that has not signed the current version."""
    waiting = awaiting_sides(change)
    if not waiting:
        return
    notify(
        signatories(change.relationship, waiting),
        about=change,
        kind=NotificationKind.SIGNATURE_REQUESTED,
        title=f"{change.code} “{change.title}” (version {change.version}) awaits your signature",
        body=change.rationale[:500],
        exclude=actor,
    )


def _tell_decided(change: ChangeRequest, actor: Any, what: str) -> None:
    people = signatories(change.relationship, (Side.BUYER, Side.PROVIDER))
    notify(
        [*people, change.created_by],
        about=change,
        kind=NotificationKind.CHANGE_DECIDED,
        title=f"{change.code} “{change.title}” {what}",
        body=change.decision_note,
        exclude=actor,
    )


# --------------------------------------------------------------------------- writing


def _locked(change: ChangeRequest) -> ChangeRequest:
    """The change request re-read under a row lock: signatures and decisions one at a time."""
    return (
        ChangeRequest.objects.select_for_update()
        .select_related("relationship", "contract")
        .get(pk=change.pk)
    )


def change_propose(*, contract: Contract, actor: Any, **data: Any) -> ChangeRequest:
    """Either side proposes a change of ``contract``; a signatory's proposal also signs it.

    ``data``: ``title``, ``kind``, ``rationale``, the impact (``impact_cost``,
    ``impact_service_levels``, ``impact_people``), ``scope_items`` it touches,
    and what approval applies for its kind (see the model). The number is the
    contract's next ``CR-n``.
    """
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValidationError(f"Unknown change request fields: {', '.join(sorted(unknown))}.")
    contract = get_for(actor, Contract, pk=_pk(contract))
    relationship = contract.relationship
    side = relationship.side_of(actor)
    if side is None or not can(actor, Action.ADD, relationship, Visibility.JOINT):
        raise PermissionDenied("Your role does not allow proposing a change request.")
    fields, items = _clean(contract, actor, data)
    with transaction.atomic(), acting_as(actor):
        # Lock the contract: two proposals at once get consecutive numbers.
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        last = ChangeRequest.objects.filter(contract=contract).aggregate(n=models.Max("number"))
        change = ChangeRequest(
            relationship=relationship,
            visibility=Visibility.JOINT,
            contract=contract,
            number=(last["n"] or 0) + 1,
            proposed_by_side=side,
            created_by=actor,
            **fields,
        )
        change.full_clean()
        change.save()
        change.scope_items.set(items)
        if signing.is_signatory(actor, relationship):
            signing.sign(change, actor=actor)
        _ask_for_signatures(change, actor)
    return change


def _current(change: ChangeRequest) -> dict[str, Any]:
    values = {name: getattr(change, name) for name in CONTENT_FIELDS if name != "scope_action"}
    values["scope_items"] = list(change.scope_items.all())
    return values


def change_update(*, change: ChangeRequest, actor: Any, **data: Any) -> ChangeRequest:
    """Edit a proposed change request (either side); a new version that both sides sign again.

    Fields left out keep their value. Any change of the content bumps the
    version: the signatures given so far stop counting, their signers are
    told, and a signatory editor signs the new version. The same content
    again changes nothing.
    """
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic(), acting_as(actor):
        found = get_for(actor, ChangeRequest, Action.CHANGE, pk=_pk(change))
        change = _locked(found)
        relationship = change.relationship
        if relationship.side_of(actor) is None:
            raise PermissionDenied("Only the two sides of the relationship edit its changes.")
        if change.status != ChangeStatus.PROPOSED:
            raise ValidationError(
                f"This change request is {change.get_status_display().lower()}: it is final."
            )
        current = _current(change)
        fields, items = _clean(change.contract, actor, {**current, **data})
        changed = [name for name, value in fields.items() if getattr(change, name) != value]
        items_changed = {i.pk for i in items} != {i.pk for i in current["scope_items"]}
        if not changed and not items_changed:
            return change
        voided = signing.signatures(change)
        for name in changed:
            setattr(change, name, fields[name])
        change.version += 1
        change.full_clean()
        change.save(update_fields=[*changed, "version", "updated_at"])
        if items_changed:
            change.scope_items.set(items)
        if voided:
            notify(
                [signature.signer for signature in voided],
                about=change,
                kind=NotificationKind.SIGNATURES_VOIDED,
                title=f"{change.code} was edited: your signature of version "
                f"{change.version - 1} no longer counts",
                exclude=actor,
            )
        if signing.is_signatory(actor, relationship):
            signing.sign(change, actor=actor)
        _ask_for_signatures(change, actor)
    return change


def _apply_scope(change: ChangeRequest, actor: Any) -> None:
    from accord.contracts.services import scope_item_create, scope_item_update

    if adds_scope_item(change):
        item = scope_item_create(
            relationship=change.relationship,
            actor=actor,
            status=change.new_scope_status,
            title=change.new_scope_title,
            description=change.new_scope_description,
            clause=change.code,
        )
    else:
        if change.scope_item is None:
            raise ValidationError(
                {
                    "scope_item": "The scope item this change was to change is no longer in the "
                    "register: edit the change request (a new version) and sign again."
                }
            )
        item = scope_item_update(item=change.scope_item, actor=actor, **scope_changes(change))
    change.applied_scope_item = item


def _apply_schedule(change: ChangeRequest, actor: Any) -> None:
    from accord.performance import schedules
    from accord.performance.services import schedule_version_create

    try:
        version = schedule_version_create(
            contract=change.contract,
            document=change.schedule_document,
            summary=f"{change.code}: {change.title}",
            actor=actor,
        )
    except schedules.ScheduleInvalid as invalid:
        raise ValidationError(
            {"schedule_document": [str(problem) for problem in invalid.problems]}
        ) from invalid
    change.applied_schedule_version = version


def _apply_contract(change: ChangeRequest, actor: Any) -> None:
    from accord.contracts.services import contract_update

    contract = Contract.objects.get(pk=change.contract_id)
    if change.kind == ChangeKind.PRICE:
        assert change.new_monthly_fee is not None
        terms = price_terms(contract, change.new_monthly_fee, change.new_fee_from)
    else:
        terms = {"end_date": change.new_end_date}
    try:
        contract_update(contract=contract, actor=actor, **terms)
    except ValidationError as error:
        messages = error.messages
        raise ValidationError(
            [f"The contract cannot take this change: {message}" for message in messages]
        ) from error


def _apply(change: ChangeRequest, actor: Any) -> None:
    """Put the approved change into effect (inside the signing transaction)."""
    if change.kind == ChangeKind.SCOPE:
        _apply_scope(change, actor)
    elif change.kind == ChangeKind.SERVICE_LEVEL:
        _apply_schedule(change, actor)
    else:
        _apply_contract(change, actor)


def change_sign(*, change: ChangeRequest, actor: Any) -> ChangeRequest:
    """Sign the current version for the actor's side; both sides signed = approved and applied.

    Applying happens in the same transaction: if it fails, the signature and
    the approval are rolled back and the error says why.
    """
    with transaction.atomic(), acting_as(actor):
        change = _locked(get_for(actor, ChangeRequest, pk=_pk(change)))
        if not signing.is_signatory(actor, change.relationship):
            raise PermissionDenied("Only an executive or manager of either side may sign.")
        if change.status != ChangeStatus.PROPOSED:
            raise ValidationError(
                f"This change request is {change.get_status_display().lower()}: "
                "there is nothing to sign."
            )
        signing.sign(change, actor=actor)
        if signing.is_cosigned(change):
            change.status = ChangeStatus.APPROVED
            change.decided_at = timezone.now()
            change.decided_by = actor
            _apply(change, actor)
            change.save(
                update_fields=[
                    "status", "decided_at", "decided_by", "applied_scope_item",
                    "applied_schedule_version", "updated_at",
                ]
            )  # fmt: skip
            _tell_decided(change, actor, "is approved and in effect")
    return change


def change_decline(*, change: ChangeRequest, note: str, actor: Any) -> ChangeRequest:
    """A signatory of the side that did not propose declines it, saying why."""
    note = _text(note)
    with transaction.atomic(), acting_as(actor):
        change = _locked(get_for(actor, ChangeRequest, pk=_pk(change)))
        relationship = change.relationship
        side = relationship.side_of(actor)
        if (
            side is None
            or side == change.proposed_by_side
            or not signing.is_signatory(actor, relationship)
        ):
            other = Side.PROVIDER if change.proposed_by_side == Side.BUYER else Side.BUYER
            raise PermissionDenied(
                f"Only an executive or manager of the {other} (the side that did not propose "
                "it) may decline."
            )
        if change.status != ChangeStatus.PROPOSED:
            raise ValidationError(
                f"This change request is {change.get_status_display().lower()}: "
                "it cannot be declined."
            )
        if not note:
            raise ValidationError({"note": "Say why the change is declined."})
        change.status = ChangeStatus.DECLINED
        change.decided_at = timezone.now()
        change.decided_by = actor
        change.decision_note = note
        change.save(
            update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"]
        )
        _tell_decided(change, actor, "was declined")
    return change


def change_withdraw(*, change: ChangeRequest, actor: Any) -> ChangeRequest:
    """The proposing side withdraws its proposal (before it is decided)."""
    with transaction.atomic(), acting_as(actor):
        found = get_for(actor, ChangeRequest, Action.CHANGE, pk=_pk(change))
        change = _locked(found)
        if change.relationship.side_of(actor) != change.proposed_by_side:
            raise PermissionDenied(
                f"Only the {change.proposed_by_side} (who proposed it) withdraws."
            )
        if change.status != ChangeStatus.PROPOSED:
            raise ValidationError(
                f"This change request is {change.get_status_display().lower()}: "
                "it cannot be withdrawn."
            )
        change.status = ChangeStatus.WITHDRAWN
        change.decided_at = timezone.now()
        change.decided_by = actor
        change.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        _tell_decided(change, actor, "was withdrawn")
    return change
