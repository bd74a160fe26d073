"""The inbox page, reading notifications, e-mail preferences, the menu's count, and the API."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accord.attention.models import DeliveryPreference, EmailMode, Notification
from accord.core.testing import partnership_factories as xf
from accord.governance import services
from tests.governance.scenario import Scenario

pytestmark = pytest.mark.django_db


def client_for(scenario: Scenario, username: str) -> Client:
    client = Client()
    client.force_login(scenario[username])
    return client


def api(scenario: Scenario, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(scenario[username])
    return client


def give(scenario: Scenario, owner: str, title: str, days: int = 0) -> Any:
    return services.action_add(
        relationship=scenario.rel,
        title=title,
        owner=scenario[owner],
        due_date=timezone.localdate() + dt.timedelta(days=days),
        actor=scenario["bank_manager"],
    )


def test_the_inbox_page_and_the_menu_count(scenario: Scenario) -> None:
    client = client_for(scenario, "tide_lead")
    empty = client.get(reverse("attention_inbox")).content.decode()
    assert "No open actions assigned to you." in empty
    assert "Nothing yet" in empty
    assert 'class="nav-count"' not in empty
    give(scenario, "tide_lead", "Late action", days=-1)
    give(scenario, "tide_lead", "Later action", days=5)
    xf.IssueFactory(relationship=scenario.rel, title="Weekend cover")
    html = client.get(reverse("attention_inbox")).content.decode()
    assert "Late action" in html
    assert "overdue" in html
    assert "Weekend cover" in html
    assert "Action for you: Later action" in html
    # Menu: two unread notifications and one action due.
    assert re.search(r'class="nav-count"[^>]*>3<', html)
    assert "Mark “Late action” done" in html


def test_marking_read_one_and_all_touches_only_my_own(scenario: Scenario) -> None:
    give(scenario, "tide_lead", "One")
    give(scenario, "tide_lead", "Two")
    give(scenario, "tide_exec", "Theirs")
    mine = Notification.objects.filter(recipient=scenario["tide_lead"]).order_by("pk")
    theirs = Notification.objects.get(recipient=scenario["tide_exec"])
    client = client_for(scenario, "tide_lead")
    # Someone else's notification does not exist for me.
    assert client.post(reverse("notification_read", kwargs={"pk": theirs.pk})).status_code == 404
    first = mine[0]
    response = client.post(
        reverse("notification_read", kwargs={"pk": first.pk}), {"next": first.url}
    )
    assert response["Location"] == first.url
    first.refresh_from_db()
    assert first.read_at is not None
    evil = client.post(
        reverse("notification_read", kwargs={"pk": mine[1].pk}), {"next": "https://evil.example"}
    )
    assert evil["Location"] == reverse("attention_inbox")
    Notification.objects.filter(recipient=scenario["tide_lead"]).update(read_at=None)
    client.post(reverse("notification_read_all"))
    assert not Notification.objects.filter(recipient=scenario["tide_lead"], read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    unread = client.get(reverse("attention_inbox"), {"show": "unread"}).content.decode()
    assert "No unread notifications." in unread


def test_preferences_page(scenario: Scenario) -> None:
    client = client_for(scenario, "bank_viewer")
    url = reverse("attention_preferences")
    form = client.get(url).content.decode()
    assert 'value="immediate"' in form
    assert "checked" in form
    assert client.post(url, {"email": "sometimes"}).status_code == 200
    assert client.post(url, {"email": "daily"}).status_code == 302
    assert DeliveryPreference.objects.get().email == EmailMode.DAILY
    assert "one daily digest" in client.get(reverse("attention_inbox")).content.decode()
    assert DeliveryPreference.objects.get().person == scenario["bank_viewer"]


def test_notifications_api_is_one_s_own(scenario: Scenario) -> None:
    give(scenario, "tide_lead", "One")
    give(scenario, "tide_exec", "Theirs")
    client = api(scenario, "tide_lead")
    listed = client.get("/api/v1/notifications/").json()["results"]
    assert [row["title"] for row in listed] == ["Action for you: One"]
    assert listed[0]["about_type"] == "governance.actionitem"
    pk = listed[0]["id"]
    theirs = Notification.objects.get(recipient=scenario["tide_exec"]).pk
    assert client.get(f"/api/v1/notifications/{theirs}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs}/read/").status_code == 404
    read = client.patch(f"/api/v1/notifications/{pk}/", {"read_at": "2020-01-01T00:00:00Z"})
    assert read.status_code == 200
    stamped = read.json()["read_at"]
    assert stamped
    assert not stamped.startswith("2020")
    unread = client.patch(f"/api/v1/notifications/{pk}/", {"read_at": None}, format="json")
    assert unread.json()["read_at"] is None
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 1
    assert client.post(f"/api/v1/notifications/{pk}/read/").json()["read_at"]
    Notification.objects.update(read_at=None)
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked_read": 1}
    assert Notification.objects.get(pk=theirs).read_at is None
    export = client.get("/api/v1/notifications/", {"format": "csv"})
    assert export.content.decode().splitlines()[0].startswith("id,kind,title")


def test_delivery_preferences_api(scenario: Scenario) -> None:
    client = api(scenario, "tide_lead")
    assert client.get("/api/v1/delivery-preferences/").json()["results"] == []
    created = client.post("/api/v1/delivery-preferences/", {"email": "daily"}, format="json")
    assert created.status_code == 201
    assert created.json()["person"] == "tide_lead"
    again = client.post("/api/v1/delivery-preferences/", {"email": "off"}, format="json")
    assert again.json()["id"] == created.json()["id"]
    assert DeliveryPreference.objects.get().email == EmailMode.OFF
    pk = created.json()["id"]
    assert (
        api(scenario, "tide_exec")
        .patch(f"/api/v1/delivery-preferences/{pk}/", {"email": "daily"}, format="json")
        .status_code
        == 404
    )
    bad = client.patch(f"/api/v1/delivery-preferences/{pk}/", {"email": "x"}, format="json")
    assert bad.status_code == 400
    assert "email" in bad.json()["error"]["fields"]
