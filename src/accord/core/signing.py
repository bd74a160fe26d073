"""Co-signing joint records: one signatory of each side approves the same version.

Objectives, change requests, excusals and reset plans take effect when a
signatory (an executive or manager on the relationship) of the buyer and one
of the provider have signed the same *version* of the record. A record that
can be co-signed keeps a ``version`` counter; an edit bumps it, and the
signatures of earlier versions stop counting (they stay in the table and the
audit log as history).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.core.choices import SIGNATORY_ROLES, RoleName, Side
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError

if TYPE_CHECKING:
    from accord.core.models import Signature


class Signable(Protocol):
    """A relationship record that both sides sign."""

    pk: Any
    relationship: Any
    relationship_id: int
    version: int


def object_key(obj: Any) -> tuple[str, str]:
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk)


def is_signatory(user: Any, relationship: Any, roles: Collection[str] = SIGNATORY_ROLES) -> bool:
    """Whether ``user`` may sign joint records of ``relationship`` for their side.

    ``roles``: the roles that may sign this kind of record (executives and
    managers by default; the annual plan asks for executives only).
    """
    from accord.core.visibility import is_active_person
    from accord.parties.models import Role

    # A deactivated person keeps their roles (for the record) but signs nothing.
    if not is_active_person(user) or relationship.side_of(user) is None:
        return False
    return Role.objects.filter(
        relationship_id=relationship.pk, person_id=user.pk, role__in=list(roles)
    ).exists()


def signatures(obj: Signable) -> list[Signature]:
    """The signatures of the record's current version, buyer's first."""
    from accord.core.models import Signature

    object_type, object_id = object_key(obj)
    found = Signature.objects.filter(
        object_type=object_type, object_id=object_id, version=obj.version
    ).select_related("signer")
    return sorted(found, key=lambda s: (s.side != Side.BUYER, s.signed_at))


def signed_sides(obj: Signable) -> set[str]:
    return {signature.side for signature in signatures(obj)}


def is_cosigned(obj: Signable) -> bool:
    """Both sides signed the current version."""
    return signed_sides(obj) == {Side.BUYER, Side.PROVIDER}


def sign(obj: Signable, *, actor: Any, roles: Collection[str] = SIGNATORY_ROLES) -> Signature:
    """Sign the current version of ``obj`` for the actor's side (once per side and version).

    ``roles``: who may sign this kind of record (see :func:`is_signatory`).
    """
    from accord.core.models import Signature

    relationship = obj.relationship
    side = relationship.side_of(actor)
    if side is None or not is_signatory(actor, relationship, roles):
        names = " or ".join(RoleName(r).label.lower() for r in RoleName.values if r in roles)
        article = "an" if names[:1] in ("a", "e", "i", "o", "u") else "a"
        raise PermissionDenied(f"Only {article} {names} of either side may sign.")
    if side in signed_sides(obj):
        raise ValidationError(f"The {side} side has already signed version {obj.version}.")
    object_type, object_id = object_key(obj)
    signature = Signature(
        relationship_id=relationship.pk,
        object_type=object_type,
        object_id=object_id,
        version=obj.version,
        side=side,
        signer=actor,
        signed_at=timezone.now(),
        created_by=actor,
    )
    try:
        with transaction.atomic(), acting_as(actor):
            signature.save()
    except IntegrityError:
        # Someone of the same side signed this version a moment earlier.
        raise ValidationError(
            f"The {side} side has already signed version {obj.version}."
        ) from None
    return signature


def current_signatures(records: Iterable[Signable], user: Any) -> dict[int, list[Signature]]:
    """The signatures ``user`` may see of each record's current version, in one query.

    For list pages and API pages of one kind of co-signed record: every record's
    pk maps to its signatures, buyer's first (an empty list when unsigned).
    """
    from accord.core.choices import Action
    from accord.core.models import Signature

    records = list(records)
    wanted = {record.pk: record.version for record in records}
    found: dict[int, list[Signature]] = {pk: [] for pk in wanted}
    if not records:
        return found
    object_type = object_key(records[0])[0]
    rows = (
        Signature.objects.restrict(user, Action.VIEW)
        .filter(object_type=object_type, object_id__in=[str(pk) for pk in wanted])
        .select_related("signer")
    )
    for signature in rows:
        pk = int(signature.object_id)
        if signature.version == wanted.get(pk):
            found[pk].append(signature)
    for signed in found.values():
        signed.sort(key=lambda s: (s.side != Side.BUYER, s.signed_at))
    return found
