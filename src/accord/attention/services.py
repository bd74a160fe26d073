"""Writes of the attention app: reading notifications, choosing how to be e-mailed.

A notification is its recipient's alone: every service looks it up through
the visibility rule with the actor, so anyone else's answers "not found".
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.attention.models import DeliveryPreference, EmailMode, Notification
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import get_for
from accord.core.visibility import is_active_person


def notification_mark_read(*, notification: Notification, actor: Any) -> Notification:
    """Mark one of the actor's notifications read (once: the first reading is kept)."""
    found = get_for(actor, Notification, pk=notification.pk)
    if found.read_at is None:
        found.read_at = timezone.now()
        Notification.objects.filter(pk=found.pk).update(read_at=found.read_at)
    return found


def notification_mark_unread(*, notification: Notification, actor: Any) -> Notification:
    found = get_for(actor, Notification, pk=notification.pk)
    if found.read_at is not None:
        found.read_at = None
        Notification.objects.filter(pk=found.pk).update(read_at=None)
    return found


def notification_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; return how many."""
    return int(
        Notification.objects.restrict(actor)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )


def delivery_preference_of(person: Any) -> DeliveryPreference | None:
    return DeliveryPreference.objects.restrict(person).filter(person_id=person.pk).first()


@transaction.atomic
def delivery_preference_set(*, email: str, actor: Any) -> DeliveryPreference:
    """Choose how one's own notifications are e-mailed: immediately, daily digest, or off."""
    if not is_active_person(actor):
        raise PermissionDenied("Only people of an organisation receive notifications.")
    if email not in EmailMode.values:
        raise ValidationError({"email": "Choose immediately, a daily digest, or no e-mail."})
    preference = (
        DeliveryPreference.objects.restrict(actor)
        .select_for_update()
        .filter(person_id=actor.pk)
        .first()
    )
    if preference is None:
        preference = DeliveryPreference(person=actor, email=email)
    elif preference.email == email:
        return preference
    else:
        preference.email = email
    preference.full_clean()
    with acting_as(actor):
        preference.save()
    return preference
