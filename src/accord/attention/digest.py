"""The daily digest: one e-mail a day to each person who chose it, listing what they were told.

A digest lists the person's notifications not yet e-mailed and not yet read
(that they may still see), then marks them e-mailed: running it again sends
nothing twice. The ticker runs :func:`digest_job` every hour; it sends a
person's digest once a day, at the first run after ``ACCORD_DIGEST_HOUR``
(local time, default 7). ``accord send_digest`` sends every pending digest
now (for deployments that schedule it with cron instead).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from accord.attention.models import DeliveryPreference, EmailMode, Notification
from accord.attention.notify import absolute
from accord.core.visibility import is_active_person

logger = logging.getLogger(__name__)

DIGEST_EVERY = dt.timedelta(hours=1)


def digest_hour() -> int:
    """The local hour after which the day's digest goes out (``ACCORD_DIGEST_HOUR``, 7)."""
    return int(getattr(settings, "ACCORD_DIGEST_HOUR", 7))


@dataclass
class DigestReport:
    sent: int = 0  # e-mails sent
    notifications: int = 0  # notifications they listed
    people: list[str] = field(default_factory=list)


def is_due(preference: DeliveryPreference, now: dt.datetime) -> bool:
    """Whether today's digest is due: past the digest hour and none sent yet today."""
    local = timezone.localtime(now)
    if local.hour < digest_hour():
        return False
    last = preference.last_digest_at
    return last is None or timezone.localtime(last).date() < local.date()


def send_digests(now: dt.datetime | None = None, *, only_due: bool = False) -> DigestReport:
    """Send each daily-digest person their pending notifications in one e-mail.

    ``only_due``: only people whose digest is due today (the hourly job);
    otherwise everyone with something pending (the command).
    """
    now = now or timezone.now()
    report = DigestReport()
    preferences = DeliveryPreference.objects.filter(email=EmailMode.DAILY).select_related("person")
    for preference in preferences.order_by("pk"):
        if only_due and not is_due(preference, now):
            continue
        person = preference.person
        if is_active_person(person) and person.email:
            listed = _send_one(person, now)
            if listed is None:
                continue  # the mail server failed: try again at the next run
            if listed:
                report.sent += 1
                report.notifications += listed
                report.people.append(person.get_username())
        # Bookkeeping only (not audited): today's digest has been dealt with.
        DeliveryPreference.objects.filter(pk=preference.pk).update(last_digest_at=now)
    return report


def _send_one(person: object, now: dt.datetime) -> int | None:
    """E-mail ``person`` their pending notifications; return how many were listed
    (None when the e-mail could not be sent)."""
    pending = list(
        Notification.objects.restrict(person)
        .filter(emailed_at__isnull=True, read_at__isnull=True)
        .select_related("relationship")
        .order_by("created_at", "pk")
    )
    if not pending:
        return 0
    context = {
        "person": person,
        "rows": [(n, absolute(n.url)) for n in pending],
        "inbox_url": absolute("/attention/"),
        "preferences_url": absolute("/attention/preferences/"),
    }
    count = len(pending)
    subject = f"[Accord] Your daily digest: {count} notification{'s' if count != 1 else ''}"
    try:
        send_mail(
            subject=subject,
            message=render_to_string("attention/email/digest.txt", context),
            from_email=None,
            recipient_list=[person.email],  # type: ignore[attr-defined]
        )
    except Exception:
        logger.exception("Could not send the daily digest to %s", person)
        return None
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
    return count


def digest_job(now: dt.datetime) -> DigestReport:
    """The ticker's hourly job: today's digests that are due."""
    return send_digests(now, only_due=True)
