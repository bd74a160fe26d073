"""Change requests and scope questions through the API."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from accord.contracts.models import ScopeItem
from accord.core.testing.performance_factories import SMALL_SCHEDULE, ScopeItemFactory
from accord.parties.models import User
from tests.changes.scenario import Scenario


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(name: str, pk: Any = None) -> str:
    return reverse(f"api:{name}", kwargs=None if pk is None else {"pk": pk})


def signed(body: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(s["side"], s["signer"], s["version"]) for s in body["signatures"]]


def test_propose_edit_and_cosign_a_scope_change(scenario: Scenario) -> None:
    provider = client_for(scenario["p_manager"])
    proposed = provider.post(
        url("change-request-list"),
        {
            "contract": scenario.contract.pk,
            "title": "Retro pay as a project",
            "kind": "scope",
            "rationale": "Fourteen months for 30,000 employees.",
            "impact_cost": "126000.00",
            "scope_item": scenario.items["retro"].pk,
            "new_scope_status": "in_scope",
            "scope_items": [scenario.items["payroll"].pk],
        },
        format="json",
    )
    assert proposed.status_code == 201, proposed.json()
    body = proposed.json()
    assert (body["code"], body["status"], body["version"]) == ("CR-1", "proposed", 1)
    assert body["scope_action"] == "change"
    assert sorted(body["scope_items"]) == sorted(
        [scenario.items["retro"].pk, scenario.items["payroll"].pk]
    )
    assert signed(body) == [("provider", "p_manager", 1)]
    assert body["awaiting"] == ["buyer"]

    buyer = client_for(scenario["b_manager"])
    patched = buyer.patch(
        url("change-request-detail", body["id"]), {"impact_cost": "120000.00"}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["version"], signed(patched.json())) == (2, [("buyer", "b_manager", 2)])
    assert patched.json()["awaiting"] == ["provider"]

    done = provider.post(url("change-request-sign", body["id"]))
    assert done.status_code == 200, done.json()
    approved = done.json()
    assert approved["status"] == "approved"
    assert approved["decided_by"] == "p_manager"
    assert approved["applied_scope_item"] == scenario.items["retro"].pk
    assert approved["awaiting"] == []
    assert ScopeItem.objects.get(pk=scenario.items["retro"].pk).status == "in_scope"


def test_a_service_level_change_answers_its_problems_by_field_and_line(
    scenario: Scenario,
) -> None:
    buyer = client_for(scenario["b_exec"])
    broken = SMALL_SCHEDULE.replace("limit: 4h", "limit: soon")
    response = buyer.post(
        url("change-request-list"),
        {
            "contract": scenario.contract.pk,
            "title": "P1 limit",
            "kind": "service_level",
            "rationale": "New target.",
            "schedule_document": broken,
        },
        format="json",
    )
    assert response.status_code == 400
    messages = response.json()["error"]["fields"]["schedule_document"]
    line = broken.splitlines().index("      limit: soon") + 1
    assert any(m.startswith(f"line {line}:") for m in messages), messages

    ok = buyer.post(
        url("change-request-list"),
        {
            "contract": scenario.contract.pk,
            "title": "P1 limit",
            "kind": "service_level",
            "rationale": "New target.",
            "schedule_document": SMALL_SCHEDULE.replace("limit: 4h", "limit: 3h"),
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    signed_off = client_for(scenario["p_exec"]).post(url("change-request-sign", ok.json()["id"]))
    assert signed_off.json()["applied_schedule_version"] is not None


def test_decline_needs_a_note_and_the_right_side(scenario: Scenario) -> None:
    buyer = client_for(scenario["b_manager"])
    created = buyer.post(
        url("change-request-list"),
        {
            "contract": scenario.contract.pk,
            "title": "End in 2030",
            "kind": "term",
            "rationale": "A longer term for the new platform.",
            "new_end_date": "2030-12-31",
        },
        format="json",
    ).json()
    pk = created["id"]
    assert buyer.post(url("change-request-decline", pk), {"note": "x"}).status_code == 403
    provider = client_for(scenario["p_exec"])
    missing = provider.post(url("change-request-decline", pk), {"note": ""}, format="json")
    assert missing.status_code == 400
    assert "note" in missing.json()["error"]["fields"]
    declined = provider.post(url("change-request-decline", pk), {"note": "Too long."})
    assert declined.json()["status"] == "declined"
    again = buyer.post(url("change-request-withdraw", pk))
    assert again.status_code == 400


def test_hidden_scope_items_answer_like_missing_ones(scenario: Scenario) -> None:
    hidden = ScopeItemFactory()  # another relationship's register
    buyer = client_for(scenario["b_manager"])
    body = {
        "contract": scenario.contract.pk,
        "title": "x",
        "kind": "scope",
        "rationale": "x",
        "new_scope_status": "in_scope",
        "new_scope_title": "x",
    }
    answers = []
    for pk in (hidden.pk, 987654321):
        response = buyer.post(url("change-request-list"), {**body, "scope_item": pk}, format="json")
        assert response.status_code == 400
        answers.append(response.json()["error"]["fields"]["scope_item"][0].replace(str(pk), "#"))
    assert answers[0] == answers[1]


def test_lists_filter_by_awaiting_and_answer_csv(scenario: Scenario) -> None:
    buyer = client_for(scenario["b_manager"])
    for title in ("First", "Second"):
        buyer.post(
            url("change-request-list"),
            {
                "contract": scenario.contract.pk, "title": title, "kind": "scope",
                "rationale": "x", "new_scope_status": "in_scope", "new_scope_title": title,
            },
            format="json",
        )  # fmt: skip
    viewer = client_for(scenario["p_viewer"])
    rows = viewer.get(url("change-request-list"), {"awaiting": "provider"}).json()["results"]
    assert sorted(row["title"] for row in rows) == ["First", "Second"]
    assert viewer.get(url("change-request-list"), {"awaiting": "buyer"}).json()["results"] == []
    response = viewer.get(url("change-request-list"), {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="change-requests.csv"'
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(row["code"] for row in table) == ["CR-1", "CR-2"]
    outsider = client_for(scenario.outsider)
    assert outsider.get(url("change-request-list")).json()["results"] == []


def test_scope_questions_are_asked_answered_and_reopened(scenario: Scenario) -> None:
    provider = client_for(scenario["p_contributor"])
    asked = provider.post(
        url("scope-question-list"),
        {"relationship": scenario.relationship.pk, "question": "Is retro pay in scope?"},
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    pk = asked.json()["id"]
    assert asked.json()["asked_by_side"] == "provider"
    buyer = client_for(scenario["b_manager"])
    refused = buyer.post(
        url("scope-question-resolve", pk),
        {"resolution": "in_scope", "answer": "Yes", "scope_item": scenario.items["retro"].pk},
        format="json",
    )
    assert refused.status_code == 400
    assert "scope_item" in refused.json()["error"]["fields"]
    answered = buyer.post(
        url("scope-question-resolve", pk),
        {"resolution": "in_scope", "answer": "Yes", "scope_item": scenario.items["payroll"].pk},
        format="json",
    )
    assert answered.status_code == 200, answered.json()
    assert (answered.json()["resolution"], answered.json()["resolved_by"]) == (
        "in_scope", "b_manager",
    )  # fmt: skip
    assert buyer.get(url("scope-question-list"), {"open": "true"}).json()["results"] == []
    reopened = provider.post(url("scope-question-reopen", pk))
    assert reopened.json()["resolution"] == ""
    csv_answer = buyer.get(url("scope-question-list"), {"format": "csv"})
    assert "Is retro pay in scope?" in csv_answer.content.decode()
