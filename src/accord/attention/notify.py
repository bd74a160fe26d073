"""Telling people: notifications in their inbox, and e-mail as each person prefers.

Every app calls :func:`notify`. It only ever tells people who may see the
record the notification is about (the visibility rule decides, per person),
so a private issue never reaches the other side's inbox or mailbox. E-mail
goes out after the transaction commits: a failed request sends nothing.

Each person chooses (:class:`~accord.attention.models.DeliveryPreference`):
one e-mail per notification (the default), one daily digest
(:mod:`accord.attention.digest`), or no e-mail at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accord.attention.models import DeliveryPreference, EmailMode, Notification
from accord.core import audit
from accord.core.choices import Action
from accord.core.selectors import permits

logger = logging.getLogger(__name__)

# Bulk loaders (the demo) may keep quiet: "off" creates no notification, "inbox"
# creates notifications but sends no e-mail.
_quiet: ContextVar[str] = ContextVar("attention_quiet", default="")


@contextmanager
def quiet(level: str = "off") -> Iterator[None]:
    """Inside the block, :func:`notify` tells nobody (``off``) or sends no e-mail (``inbox``)."""
    if level not in ("off", "inbox"):
        raise ValueError(f"quiet level must be off or inbox, not {level!r}")
    token = _quiet.set(level)
    try:
        yield
    finally:
        _quiet.reset(token)


def email_mode(person: Any) -> str:
    """How ``person`` wants notifications e-mailed (immediately unless they chose otherwise)."""
    preference = DeliveryPreference.objects.filter(person_id=person.pk).first()
    return preference.email if preference else EmailMode.IMMEDIATE


def email_modes(people: Iterable[Any]) -> dict[int, str]:
    """Each person's e-mail mode, in one query."""
    ids = [person.pk for person in people]
    chosen = dict(
        DeliveryPreference.objects.filter(person_id__in=ids).values_list("person_id", "email")
    )
    return {pk: chosen.get(pk, EmailMode.IMMEDIATE) for pk in ids}


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
    quiet_level = _quiet.get()
    if quiet_level == "off":
        return []
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
    if not created or quiet_level == "inbox":
        return created
    modes = email_modes(n.recipient for n in created)
    immediate = [
        n for n in created if n.recipient.email and modes[n.recipient_id] == EmailMode.IMMEDIATE
    ]
    if immediate:
        ids = [n.pk for n in immediate]
        transaction.on_commit(lambda: send_immediately(ids))
    return created


def send_immediately(notification_ids: list[int]) -> int:
    """E-mail each notification on its own and mark it sent; return how many were sent.

    A notification already e-mailed (or gone) is skipped, so a repeat sends
    nothing twice. A failing mail server is logged, never raised: the
    request that notified has already succeeded, and the notification stays
    in the inbox, not e-mailed.
    """
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for notification in pending.select_related("recipient"):
        context = {"notification": notification, "link": absolute(notification.url)}
        try:
            send_mail(
                subject=f"[Accord] {notification.title}",
                message=render_to_string("attention/email/notification.txt", context),
                from_email=None,
                recipient_list=[notification.recipient.email],
            )
        except Exception:
            logger.exception("Could not e-mail notification %s", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
