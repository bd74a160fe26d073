"""Telling people: notifications in their inbox, and e-mail as each person prefers.

Every app calls :func:`notify`. It only ever tells people who may see the
record the notification is about (the visibility rule decides, per person),
so a private issue never reaches the other side's inbox or mailbox. E-mail
goes out after the transaction commits: a failed request sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from accord.attention.models import DeliveryPreference, EmailMode, Notification
from accord.core import audit
from accord.core.choices import Action
from accord.core.selectors import permits


def email_mode(person: Any) -> str:
    preference = DeliveryPreference.objects.filter(person_id=person.pk).first()
    return preference.email if preference else EmailMode.IMMEDIATE


def absolute(url: str) -> str:
    return f"{settings.ACCORD_BASE_URL}{url}" if url.startswith("/") else url


def notify(
    recipients: Iterable[Any],
    *,
    about: models.Model,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    exclude: Any = None,
) -> list[Notification]:
    """Notify each recipient who may see ``about`` (never ``exclude``, usually the actor).

    Returns the notifications created. People who asked for immediate e-mail
    get one once the transaction commits; the daily digest picks up the rest.
    """
    relationship_id = getattr(about, "relationship_id", None)
    object_type = audit.object_type(about)
    url = url or (about.get_absolute_url() if hasattr(about, "get_absolute_url") else "")
    created: list[Notification] = []
    seen: set[int] = set()
    for person in recipients:
        if person is None or person.pk in seen or (exclude is not None and person.pk == exclude.pk):
            continue
        seen.add(person.pk)
        if not permits(person, Action.VIEW, about):
            continue
        created.append(
            Notification.objects.create(
                recipient=person,
                relationship_id=relationship_id,
                kind=kind,
                title=title[:300],
                body=body,
                url=url,
                object_type=object_type,
                object_id=str(about.pk),
            )
        )
    immediate = [n for n in created if n.recipient.email and email_mode(n.recipient) == "immediate"]
    if immediate:
        transaction.on_commit(lambda: send_immediately(immediate))
    return created


def send_immediately(notifications: list[Notification]) -> None:
    """E-mail each notification on its own and mark it sent."""
    for notification in notifications:
        send_mail(
            subject=f"[Accord] {notification.title}",
            message=f"{notification.body}\n\n{absolute(notification.url)}".strip(),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
