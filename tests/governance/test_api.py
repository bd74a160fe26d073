"""The governance API: writes through the services, CSV on every list, hidden ids refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accord.core.choices import RoleName, Side
from accord.governance import services
from accord.governance.models import ActionItem, ActionStatus, Attendance, Forum, Meeting
from tests.governance.scenario import Scenario

pytestmark = pytest.mark.django_db


def api(scenario: Scenario, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(scenario[username])
    return client


def fields(response: Any) -> dict[str, list[str]]:
    return dict(response.json()["error"]["fields"])


def test_forums_over_the_api(scenario: Scenario) -> None:
    client = api(scenario, "tide_lead")
    created = client.post(
        "/api/v1/forums/",
        {
            "relationship": scenario.rel.pk,
            "name": "Steering",
            "tier": 3,
            "cadence": "quarterly",
            "resolve_within_days": {"critical": 4},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["resolve_within_days"] == {"critical": 4}
    assert body["created_by"] == "tide_lead"
    bad = client.post(
        "/api/v1/forums/",
        {"relationship": scenario.rel.pk, "name": "X", "tier": 1,
         "resolve_within_days": {"urgent": 2}},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert "resolve_within_days" in fields(bad)
    hidden = api(scenario, "ridge_manager").post(
        "/api/v1/forums/",
        {"relationship": scenario.rel.pk, "name": "Y", "tier": 1},
        format="json",
    )
    assert hidden.status_code == 400
    assert "relationship" in fields(hidden)
    patched = client.patch(f"/api/v1/forums/{body['id']}/", {"tier": 2}, format="json")
    assert patched.status_code == 200
    assert patched.json()["tier"] == 2
    assert api(scenario, "ridge_manager").get(f"/api/v1/forums/{body['id']}/").status_code == 404
    assert api(scenario, "tide_viewer").delete(f"/api/v1/forums/{body['id']}/").status_code == 403
    assert client.delete(f"/api/v1/forums/{body['id']}/").status_code == 204
    assert not Forum.objects.exists()


def test_people_outside_the_relationship_answer_like_nobody(scenario: Scenario) -> None:
    forum = scenario.forum()
    client = api(scenario, "bank_manager")
    answers = []
    for person in (scenario["ridge_manager"].pk, 987654321):
        response = client.post(
            "/api/v1/forum-members/", {"forum": forum.pk, "person": person}, format="json"
        )
        assert response.status_code == 400
        answers.append(fields(response))
    assert answers[0] == answers[1] == {"person": [services.PERSON_MESSAGE]}
    ok = client.post(
        "/api/v1/forum-members/",
        {"forum": forum.pk, "person": scenario["tide_exec"].pk, "is_chair": True},
        format="json",
    )
    assert ok.status_code == 201
    assert ok.json()["side"] == Side.PROVIDER
    assert ok.json()["is_chair"] is True
    member = ok.json()["id"]
    # The person and forum stay; only the chair changes.
    patched = client.patch(
        f"/api/v1/forum-members/{member}/",
        {"is_chair": False, "person": scenario["bank_exec"].pk},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.json()["person"] == scenario["tide_exec"].pk
    assert not patched.json()["is_chair"]


def test_meetings_attendance_and_decisions_over_the_api(scenario: Scenario) -> None:
    forum = scenario.forum()
    client = api(scenario, "bank_manager")
    past = (timezone.now() - dt.timedelta(days=2)).isoformat()
    created = client.post(
        "/api/v1/meetings/",
        {"forum": forum.pk, "title": "Review", "starts_at": past, "duration_minutes": 30},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["status"] == "scheduled"
    meeting = created.json()["id"]
    refused = client.post(
        "/api/v1/meetings/",
        {"forum": forum.pk, "title": "R", "starts_at": past, "status": "held"},
        format="json",
    )
    assert refused.status_code == 400
    assert "status" in fields(refused)
    attendance = client.post(
        "/api/v1/attendance/",
        {"meeting": meeting, "person": scenario["tide_exec"].pk, "side": "buyer"},
        format="json",
    )
    assert attendance.status_code == 201
    row = attendance.json()
    assert (row["side"], row["level"], row["present"]) == (
        Side.PROVIDER,
        RoleName.EXECUTIVE,
        True,
    )
    recorded = client.patch(
        f"/api/v1/meetings/{meeting}/",
        {"status": "held", "minutes": "Agreed."},
        format="json",
    )
    assert recorded.status_code == 200
    assert (recorded.json()["status"], recorded.json()["minutes"]) == ("held", "Agreed.")
    decision = client.post(
        "/api/v1/decisions/", {"meeting": meeting, "text": "Keep it."}, format="json"
    )
    assert decision.status_code == 201
    listed = client.get("/api/v1/attendance/", {"meeting": meeting, "present": True}).json()
    assert [r["person"] for r in listed["results"]] == [scenario["tide_exec"].pk]
    assert api(scenario, "ridge_manager").get("/api/v1/meetings/").json()["results"] == []
    assert Meeting.objects.get().minutes == "Agreed."
    assert Attendance.objects.count() == 1


def test_actions_over_the_api_with_csv(scenario: Scenario) -> None:
    client = api(scenario, "bank_manager")
    today = timezone.localdate()
    created = client.post(
        "/api/v1/actions/",
        {"relationship": scenario.rel.pk, "title": "Late", "owner": scenario["tide_lead"].pk,
         "due_date": str(today - dt.timedelta(days=1))},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    assert created.json()["overdue"] is True
    client.post(
        "/api/v1/actions/",
        {"relationship": scenario.rel.pk, "title": "Later", "owner": scenario["tide_lead"].pk,
         "due_date": str(today + dt.timedelta(days=9))},
        format="json",
    )  # fmt: skip
    action = created.json()["id"]
    owner = api(scenario, "tide_lead")
    overdue = owner.get("/api/v1/actions/", {"overdue": "true"}).json()["results"]
    assert [a["title"] for a in overdue] == ["Late"]
    assert (
        api(scenario, "bank_viewer").post(f"/api/v1/actions/{action}/complete/").status_code == 403
    )
    done = owner.post(f"/api/v1/actions/{action}/complete/", {"note": "Sent."}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["note"]) == ("done", "Sent.")
    again = owner.post(f"/api/v1/actions/{action}/complete/")
    assert again.status_code == 400
    export = client.get("/api/v1/actions/", {"format": "csv", "status": "open"})
    assert export.status_code == 200
    assert export["Content-Disposition"] == 'attachment; filename="actions.csv"'
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [row["title"] for row in rows] == ["Later"]
    assert ActionItem.objects.filter(status=ActionStatus.DONE).count() == 1


@pytest.mark.parametrize(
    "prefix", ["forums", "forum-members", "meetings", "attendance", "decisions", "actions"]
)
def test_every_list_exports_csv_with_a_header(scenario: Scenario, prefix: str) -> None:
    response = api(scenario, "bank_viewer").get(f"/api/v1/{prefix}/", {"format": "csv"})
    assert response.status_code == 200
    assert response.content.decode().startswith("id,relationship,")
