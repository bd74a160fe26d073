"""Writes to organisations, people, relationships, roles and tokens."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.core.choices import Action
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import get_for
from accord.core.services import apply_changes, save_validated
from accord.parties.models import ApiToken, Organisation, Relationship, Role, User, hash_token


def _require_org_admin(actor: Any, organisation_id: int | None) -> None:
    if actor is None:  # the system itself: demo loader, management commands
        return
    if not (actor.is_active and actor.is_org_admin and actor.organisation_id == organisation_id):
        raise PermissionDenied("Only an admin of that organisation may do this.")


def organisation_create(*, name: str, kind: str, sector: str = "", actor: Any) -> Organisation:
    """Register an organisation (platform operators and the demo loader only)."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied("Only a platform operator registers organisations.")
    return save_validated(Organisation(name=name, kind=kind, sector=sector), actor=actor)


def person_create(
    *,
    organisation: Organisation,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    is_org_admin: bool = False,
    actor: Any,
) -> User:
    """Add a person to ``organisation``; only that organisation's admin may."""
    _require_org_admin(actor, organisation.pk)
    person = User(
        organisation=organisation,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        is_org_admin=is_org_admin,
    )
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    return save_validated(person, actor=actor)


PERSON_EDITABLE = ("first_name", "last_name", "email", "job_title", "is_org_admin", "is_active")


def person_update(*, person: User, actor: Any, **changes: Any) -> User:
    """Change a colleague's details; an admin cannot remove their own admin rights."""
    _require_org_admin(actor, person.organisation_id)
    unknown = set(changes) - set(PERSON_EDITABLE)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    if (
        actor is not None
        and person.pk == actor.pk
        and (changes.get("is_org_admin") is False or changes.get("is_active") is False)
    ):
        raise ValidationError("You cannot remove your own admin rights or deactivate yourself.")
    changed = apply_changes(person, changes)
    if changed:
        save_validated(person, actor=actor, update_fields=changed)
    return person


def relationship_create(
    *,
    buyer: Organisation,
    provider: Organisation,
    name: str,
    services: str = "",
    status: str = "proposed",
    start_date: Any = None,
    end_date: Any = None,
    actor: Any,
) -> Relationship:
    """Open a relationship between a buyer and a provider."""
    if actor is not None and not actor.is_superuser:
        _require_org_admin(actor, actor.organisation_id)
        if actor.organisation_id not in (buyer.pk, provider.pk):
            raise PermissionDenied("You can only open relationships of your own organisation.")
    if buyer.kind == "provider" or provider.kind == "buyer":
        raise ValidationError("The buyer must buy and the provider must provide.")
    relationship = Relationship(
        buyer=buyer,
        provider=provider,
        name=name,
        services=services,
        status=status,
        start_date=start_date,
        end_date=end_date,
    )
    return save_validated(relationship, actor=actor)


def role_assign(*, relationship: Relationship, person: User, role: str, actor: Any) -> Role:
    """Give ``person`` a role on ``relationship`` (or change it).

    Only an admin of the person's own organisation may, and only when that
    organisation is a party to the relationship.
    """
    _require_org_admin(actor, person.organisation_id)
    if person.organisation_id not in (relationship.buyer_id, relationship.provider_id):
        raise ValidationError({"person": "This person's organisation is not a party to it."})
    if not person.is_active:
        raise ValidationError({"person": "This person is deactivated."})
    with transaction.atomic(), acting_as(actor):
        existing = Role.objects.filter(relationship=relationship, person=person).first()
        if existing is not None:
            if existing.role != role:
                existing.role = role
                save_validated(existing, actor=actor, update_fields=["role"])
            return existing
        return save_validated(
            Role(relationship=relationship, person=person, role=role), actor=actor
        )


def role_remove(*, role: Role, actor: Any) -> None:
    _require_org_admin(actor, role.person.organisation_id)
    with transaction.atomic(), acting_as(actor):
        role.delete()


def token_create(*, user: User, name: str, actor: Any) -> tuple[ApiToken, str]:
    """Create a personal API token; the key is returned once and never stored."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied("People create their own tokens.")
    key = ApiToken.generate_key()
    token = ApiToken(
        user=user, name=name, prefix=key[: ApiToken.PREFIX_LENGTH], key_hash=hash_token(key)
    )
    save_validated(token, actor=actor or user)
    return token, key


def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    token = get_for(actor, ApiToken, Action.CHANGE, pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        save_validated(token, actor=actor, update_fields=["revoked_at"])
    return token


def token_authenticate(key: str) -> User | None:
    """The active owner of an active token with this key, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Not audited: a timestamp of use, not a change of the token.
    ApiToken._base_manager.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
