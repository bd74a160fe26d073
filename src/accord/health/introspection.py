"""The buyer's introspection: step one of the reset plan, and its actions.

Before asking the provider to change, the buyer asks itself five questions
(:attr:`Introspection.QUESTIONS`), scores each 1-5 with a note and decides
actions on itself. All of it is the buyer's alone: every record is ``buyer``
visibility whatever is asked, only the buyer's people write it, and for the
provider the relationship simply has no introspection (hidden answers like
nonexistent, here too).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from accord.core.choices import Action, Side, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.selectors import ensure_still_permitted, get_for
from accord.core.services import apply_changes, save_validated
from accord.core.visibility import can
from accord.health.models import Introspection, IntrospectionAction
from accord.parties.models import Relationship, User

QUESTION_KEYS = [key for key, _question in Introspection.QUESTIONS]
INTROSPECTION_FIELDS = (
    "title",
    "assessed_on",
    *[f"{key}_{part}" for key in QUESTION_KEYS for part in ("score", "note")],
)
ACTION_FIELDS = ("description", "owner", "due_on", "done")


def buyer_area(actor: Any, relationship: Relationship, action: str) -> Relationship:
    """The relationship, if ``actor`` acts for its buyer and may ``action`` there.

    The provider's people get :class:`NotFound`, as if no introspection could
    exist; a buyer's person whose role does not allow it gets PermissionDenied.
    """
    relationship = get_for(actor, Relationship, pk=relationship.pk)
    if relationship.side_of(actor) != Side.BUYER or not can(
        actor, Action.VIEW, relationship, Visibility.BUYER
    ):
        raise NotFound("No introspection here.")
    if not can(actor, action, relationship, Visibility.BUYER):
        raise PermissionDenied("Your role does not allow this.")
    return relationship


def owner_choices(relationship: Relationship) -> Any:
    """The buyer's people who hold a role on the relationship: who may own an action."""
    return (
        User.objects.filter(
            organisation_id=relationship.buyer_id,
            is_active=True,
            roles__relationship=relationship,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _clean_owner(owner: Any, relationship: Relationship) -> User | None:
    if owner in (None, ""):
        return None
    found = owner_choices(relationship).filter(pk=getattr(owner, "pk", owner)).first()
    if found is None:
        raise ValidationError(
            {"owner": "Choose one of your side's people with a role on this relationship."}
        )
    return found


def _clean_text(changes: dict[str, Any], *names: str) -> None:
    for name in names:
        if name in changes:
            changes[name] = (changes[name] or "").strip()


def _clean_scores(changes: dict[str, Any]) -> None:
    """Scores must be whole numbers from 1 to 5 (the model validates the range too)."""
    errors = {}
    for key in QUESTION_KEYS:
        name = f"{key}_score"
        if name not in changes:
            continue
        try:
            value = int(changes[name])
        except (TypeError, ValueError):
            errors[name] = "Score from 1 (not at all) to 5 (fully)."
            continue
        if not 1 <= value <= 5:
            errors[name] = "Score from 1 (not at all) to 5 (fully)."
        changes[name] = value
    if errors:
        raise ValidationError(errors)


# --------------------------------------------------------------------------- introspection


@transaction.atomic
def introspection_create(
    *, relationship: Relationship, title: str, assessed_on: dt.date, actor: Any, **answers: Any
) -> Introspection:
    """Record the buyer's self-assessment (``<key>_score`` 1-5 and ``<key>_note`` per question)."""
    relationship = buyer_area(actor, relationship, Action.ADD)
    unknown = set(answers) - set(INTROSPECTION_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    fields: dict[str, Any] = {"title": title, **answers}
    _clean_text(fields, "title")
    _clean_scores(fields)
    introspection = Introspection(
        relationship=relationship,
        visibility=Visibility.BUYER,
        assessed_on=assessed_on,
        created_by=actor,
        **fields,
    )
    return save_validated(introspection, actor=actor)


def introspection_update(
    *, introspection: Introspection, actor: Any, **changes: Any
) -> Introspection:
    """Change the title, date, scores or notes (it stays the buyer's)."""
    unknown = set(changes) - set(INTROSPECTION_FIELDS)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic(), acting_as(actor):
        introspection = get_for(actor, Introspection, Action.CHANGE, pk=introspection.pk)
        _clean_text(changes, "title")
        _clean_scores(changes)
        changed = apply_changes(introspection, changes)
        if not changed:
            return introspection
        introspection.full_clean()
        introspection.save(update_fields=[*changed, "updated_at"])
        ensure_still_permitted(introspection, actor, Action.CHANGE)
    return introspection


def introspection_delete(*, introspection: Introspection, actor: Any) -> None:
    """Delete the introspection and its actions."""
    with transaction.atomic(), acting_as(actor):
        found = get_for(actor, Introspection, Action.DELETE, pk=introspection.pk)
        for action in IntrospectionAction.objects.filter(introspection=found):
            action.delete()  # one audit entry each, like any deletion
        found.delete()


# --------------------------------------------------------------------------- actions


@transaction.atomic
def introspection_action_create(
    *,
    introspection: Introspection,
    description: str,
    actor: Any,
    owner: Any = None,
    due_on: dt.date | None = None,
    done: bool = False,
) -> IntrospectionAction:
    """Add an action the buyer takes on itself after an introspection."""
    introspection = get_for(actor, Introspection, pk=introspection.pk)
    relationship = buyer_area(actor, introspection.relationship, Action.ADD)
    action = IntrospectionAction(
        introspection=introspection,
        relationship=relationship,
        visibility=Visibility.BUYER,
        description=(description or "").strip(),
        owner=_clean_owner(owner, relationship),
        due_on=due_on,
        done=bool(done),
        created_by=actor,
    )
    return save_validated(action, actor=actor)


def introspection_action_update(
    *, action: IntrospectionAction, actor: Any, **changes: Any
) -> IntrospectionAction:
    """Change an action's description, owner, due date or whether it is done."""
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic(), acting_as(actor):
        action = get_for(actor, IntrospectionAction, Action.CHANGE, pk=action.pk)
        _clean_text(changes, "description")
        if "owner" in changes:
            changes["owner"] = _clean_owner(changes["owner"], action.relationship)
        if "done" in changes:
            changes["done"] = bool(changes["done"])
        changed = apply_changes(action, changes)
        if not changed:
            return action
        action.full_clean()
        action.save(update_fields=[*changed, "updated_at"])
        ensure_still_permitted(action, actor, Action.CHANGE)
    return action


def introspection_action_toggle(*, action: IntrospectionAction, actor: Any) -> IntrospectionAction:
    """Mark the action done, or not done again."""
    current = get_for(actor, IntrospectionAction, Action.CHANGE, pk=action.pk)
    return introspection_action_update(action=current, actor=actor, done=not current.done)


def introspection_action_delete(*, action: IntrospectionAction, actor: Any) -> None:
    with transaction.atomic(), acting_as(actor):
        get_for(actor, IntrospectionAction, Action.DELETE, pk=action.pk).delete()
