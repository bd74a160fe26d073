"""Notifications by e-mail: immediately, in the daily digest, or not at all."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from accord.attention import digest
from accord.attention.models import DeliveryPreference, EmailMode, Notification
from accord.attention.notify import notify, quiet
from accord.attention.services import delivery_preference_set
from accord.core import ticker
from accord.core.testing import partnership_factories as xf
from accord.governance import services
from tests.governance.scenario import Scenario

pytestmark = pytest.mark.django_db


def give_action(scenario: Scenario, owner: str, title: str = "Send the plan") -> Any:
    return services.action_add(
        relationship=scenario.rel,
        title=title,
        owner=scenario[owner],
        due_date=timezone.localdate(),
        actor=scenario["bank_manager"],
    )


def test_immediate_mail_goes_after_commit_and_only_once(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        give_action(scenario, "tide_lead")
    [message] = mail.outbox
    assert message.to == ["tide_lead@example.org"]
    assert message.subject == "[Accord] Action for you: Send the plan"
    assert "http://127.0.0.1:8000/actions/" in message.body
    assert Notification.objects.get().emailed_at is not None
    # Sending the same notifications again sends nothing more.
    from accord.attention.notify import send_immediately

    assert send_immediately([n.pk for n in Notification.objects.all()]) == 0
    assert len(mail.outbox) == 1


def test_a_failed_request_sends_nothing(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        give_action(scenario, "tide_lead")
    assert callbacks
    assert not mail.outbox


def test_daily_and_off_send_nothing_now(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    delivery_preference_set(email=EmailMode.DAILY, actor=scenario["tide_lead"])
    delivery_preference_set(email=EmailMode.OFF, actor=scenario["tide_exec"])
    with django_capture_on_commit_callbacks(execute=True):
        give_action(scenario, "tide_lead")
        give_action(scenario, "tide_exec")
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2


def test_the_daily_digest_lists_pending_notifications_once(scenario: Scenario) -> None:
    delivery_preference_set(email=EmailMode.DAILY, actor=scenario["tide_lead"])
    delivery_preference_set(email=EmailMode.OFF, actor=scenario["tide_exec"])
    give_action(scenario, "tide_lead", "First")
    give_action(scenario, "tide_lead", "Second")
    read = give_action(scenario, "tide_lead", "Already read")
    Notification.objects.filter(object_id=str(read.pk)).update(read_at=timezone.now())
    give_action(scenario, "tide_exec", "Never mailed")

    report = digest.send_digests()
    assert (report.sent, report.notifications, report.people) == (1, 2, ["tide_lead"])
    [message] = mail.outbox
    assert message.to == ["tide_lead@example.org"]
    assert message.subject == "[Accord] Your daily digest: 2 notifications"
    assert "Action for you: First" in message.body
    assert "Action for you: Second" in message.body
    assert "Already read" not in message.body
    assert "http://127.0.0.1:8000/attention/" in message.body
    # Idempotent: nothing pending, nothing sent.
    assert digest.send_digests().sent == 0
    assert len(mail.outbox) == 1
    assert DeliveryPreference.objects.get(person=scenario["tide_lead"]).last_digest_at


def test_the_digest_leaves_out_what_the_person_may_no_longer_see(scenario: Scenario) -> None:
    delivery_preference_set(email=EmailMode.DAILY, actor=scenario["tide_lead"])
    give_action(scenario, "tide_lead")
    scenario["tide_lead"].roles.all().delete()  # lost their role: the notification is hidden
    assert digest.send_digests().sent == 0
    assert mail.outbox == []


def test_the_hourly_job_sends_once_a_day_after_the_digest_hour(
    scenario: Scenario, settings: Any
) -> None:
    settings.TIME_ZONE = "UTC"
    settings.ACCORD_DIGEST_HOUR = 7
    delivery_preference_set(email=EmailMode.DAILY, actor=scenario["tide_lead"])
    give_action(scenario, "tide_lead")
    day = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    assert digest.digest_job(day.replace(hour=6, minute=59)).sent == 0
    assert digest.digest_job(day.replace(hour=7, minute=5)).sent == 1
    give_action(scenario, "tide_lead", "Another")
    assert digest.digest_job(day.replace(hour=8)).sent == 0  # today's went already
    assert digest.digest_job(day.replace(hour=23)).sent == 0
    assert digest.digest_job(day + dt.timedelta(days=1, hours=7)).sent == 1
    assert len(mail.outbox) == 2


def test_the_digest_job_is_registered_with_the_ticker() -> None:
    job = next(job for job in ticker.jobs() if job.name == "attention.daily_digest")
    assert job.every == dt.timedelta(hours=1)
    assert job.run is digest.digest_job


class UnreachableMailServer(BaseEmailBackend):
    """A mail server that refuses every connection (as SMTP does when it is down)."""

    def send_messages(self, email_messages: Any) -> int:
        raise OSError("connection refused")


def test_a_failing_mail_server_is_logged_and_retried(
    scenario: Scenario, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    delivery_preference_set(email=EmailMode.DAILY, actor=scenario["tide_lead"])
    give_action(scenario, "tide_lead")
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableMailServer"
    with caplog.at_level(logging.ERROR):
        assert digest.send_digests().sent == 0
    assert "Could not send the daily digest" in caplog.text
    assert DeliveryPreference.objects.get().last_digest_at is None
    assert Notification.objects.get().emailed_at is None
    settings.EMAIL_BACKEND = backend
    assert digest.send_digests().sent == 1


def test_the_command(scenario: Scenario, capsys: pytest.CaptureFixture[str]) -> None:
    delivery_preference_set(email=EmailMode.DAILY, actor=scenario["tide_lead"])
    give_action(scenario, "tide_lead")
    call_command("send_digest")
    assert "1 e-mail sent, 1 notification listed" in capsys.readouterr().out
    call_command("send_digest")
    assert "0 e-mails sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_only_people_who_may_see_the_record_are_told(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    private = xf.IssueFactory(relationship=scenario.rel, visibility="buyer", title="Ours")
    people = [scenario["bank_manager"], scenario["tide_lead"], scenario["ridge_manager"]]
    with django_capture_on_commit_callbacks(execute=True):
        told = notify(people, about=private, kind="issue_raised", title="Raised: Ours")
    assert [n.recipient.username for n in told] == ["bank_manager"]
    assert [m.to for m in mail.outbox] == [["bank_manager@example.org"]]


def test_quiet_blocks(scenario: Scenario, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), quiet("inbox"):
        give_action(scenario, "tide_lead", "Inbox only")
    with quiet():
        give_action(scenario, "tide_lead", "Nobody told")
    assert [n.title for n in Notification.objects.all()] == ["Action for you: Inbox only"]
    assert mail.outbox == []
    with pytest.raises(ValueError, match="quiet level"):
        with quiet("loud"):
            pass
