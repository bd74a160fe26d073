"""Writes to relationship notes."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accord.core.choices import Action
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import ensure_still_permitted, get_for
from accord.core.services import apply_changes
from accord.core.visibility import can
from accord.notes.models import Note
from accord.parties.models import Relationship


def note_create(
    *,
    relationship: Relationship,
    title: str,
    body: str = "",
    visibility: str,
    contractual_dispute: bool = False,
    actor: Any,
) -> Note:
    """Add a note to a relationship the actor may see, joint or private to their side."""
    relationship = get_for(actor, Relationship, pk=relationship.pk)
    if not can(actor, Action.ADD, relationship, visibility):
        raise PermissionDenied("You may not add notes with that visibility here.")
    note = Note(
        relationship=relationship,
        title=title,
        body=body,
        visibility=visibility,
        contractual_dispute=contractual_dispute,
        created_by=actor,
    )
    note.full_clean()
    with transaction.atomic(), acting_as(actor):
        note.save()
    return note


NOTE_EDITABLE = ("title", "body", "visibility", "contractual_dispute", "relationship")


def note_update(*, note: Note, actor: Any, **changes: Any) -> Note:
    """Edit a note; a change that would take it out of the actor's reach is refused."""
    unknown = set(changes) - set(NOTE_EDITABLE)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic(), acting_as(actor):
        note = get_for(actor, Note, Action.CHANGE, pk=note.pk)
        changed = apply_changes(note, changes)
        if not changed:
            return note
        note.full_clean()
        note.save(update_fields=[*changed, "updated_at"])
        ensure_still_permitted(note, actor, Action.CHANGE)
    return note


def note_delete(*, note: Note, actor: Any) -> None:
    with transaction.atomic(), acting_as(actor):
        note = get_for(actor, Note, Action.DELETE, pk=note.pk)
        note.delete()
