"""Issues over the API: raise, write your side, the steps, options, the history, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from accord.core.choices import Visibility
from accord.issues import clock
from accord.issues.models import Issue, IssueStatus
from tests.issues.scenario import Scenario, ago


def api(scenario: Scenario, who: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(scenario.person(who))
    return client


def url(name: str, pk: Any = None) -> str:
    return reverse(f"api:{name}", kwargs=None if pk is None else {"pk": pk})


def rows(response: Any) -> list[dict[str, Any]]:
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def raise_body(scenario: Scenario, **extra: Any) -> dict[str, Any]:
    return {
        "relationship": scenario.relationship.pk, "title": "Late files",
        "description": "Three late files.", "category": "data", "severity": "high",
        "services_affected": [scenario.scope[0].pk], **extra,
    }  # fmt: skip


def test_raise_write_and_resolve_through_the_api(scenario: Scenario) -> None:
    buyer, provider = api(scenario, "b_manager"), api(scenario, "p_manager")
    created = buyer.post(url("issue-list"), raise_body(scenario), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["raised_by_side"], body["forum_name"]) == (
        "raised", "buyer", "Operational service review",
    )  # fmt: skip
    assert body["services_affected"] == [scenario.scope[0].pk]
    pk = body["id"]

    refused = buyer.patch(url("issue-detail", pk), {"provider_position": "x"}, format="json")
    assert refused.status_code == 400
    assert "provider_position" in refused.json()["error"]["fields"]
    patched = provider.patch(
        url("issue-detail", pk),
        {"provider_position": "By the 27th", "contract_letter_cited": True},
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["status"] == "exploring"
    assert patched.json()["contract_letter_cited"] is True

    option = provider.post(url("issue-option-list"), {"issue": pk, "text": "Cut-off 26th"},
                           format="json")  # fmt: skip
    assert option.status_code == 201, option.json()
    assert option.json()["proposed_by_side"] == "provider"

    missing = buyer.post(url("issue-resolve", pk), {}, format="json")
    assert missing.status_code == 400
    assert "agreed_solution" in missing.json()["error"]["fields"]
    resolved = buyer.post(url("issue-resolve", pk), {"chosen_option": option.json()["id"]},
                          format="json")  # fmt: skip
    assert resolved.status_code == 200, resolved.json()
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["agreed_solution"] == "Cut-off 26th"

    reopened = provider.post(url("issue-reopen", pk), {"reason": "Again"}, format="json")
    assert reopened.json()["status"] == "options"
    refused = provider.post(url("issue-withdraw", pk), {}, format="json")
    assert refused.status_code == 403
    withdrawn = buyer.post(url("issue-withdraw", pk), {}, format="json")
    assert withdrawn.json()["status"] == "withdrawn"

    events = rows(buyer.get(url("issue-event-list"), {"issue": pk}))
    assert [e["kind"] for e in events] == [
        "raised", "updated", "stage", "updated", "stage", "resolved", "reopened", "withdrawn",
    ]  # fmt: skip


def test_escalate_through_the_api(scenario: Scenario) -> None:
    issue = scenario.raise_issue()
    client = api(scenario, "p_exec")
    no_reason = client.post(url("issue-escalate", issue.pk), {}, format="json")
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["error"]["fields"]
    done = client.post(url("issue-escalate", issue.pk), {"reason": "Committee"}, format="json")
    assert done.status_code == 200
    assert done.json()["forum_name"] == "Contract management committee"
    viewer = api(scenario, "b_viewer").post(url("issue-escalate", issue.pk), {"reason": "x"})
    assert viewer.status_code == 403


def test_the_clocks_steps_are_marked_automatic(scenario: Scenario) -> None:
    issue = scenario.raise_issue(severity="high", at=ago(days=6))
    clock.escalate_due()
    events = rows(api(scenario, "b_manager").get(url("issue-event-list"), {"kind": "escalated"}))
    assert [(e["issue"], e["automatic"], e["actor"], e["to_forum_name"]) for e in events] == [
        (issue.pk, True, None, "Contract management committee")
    ]


def test_events_are_read_only(scenario: Scenario) -> None:
    issue = scenario.raise_issue()
    event = issue.events.get()
    client = api(scenario, "b_manager")
    assert client.post(url("issue-event-list"), {"issue": issue.pk}).status_code == 405
    assert client.delete(url("issue-event-detail", event.pk)).status_code == 405


def test_private_issues_stay_with_their_side(scenario: Scenario) -> None:
    private = scenario.raise_issue(who="b_manager", visibility=Visibility.BUYER)
    provider = api(scenario, "p_manager")
    assert rows(provider.get(url("issue-list"))) == []
    assert provider.get(url("issue-detail", private.pk)).status_code == 404
    assert rows(provider.get(url("issue-event-list"))) == []
    hidden = provider.post(url("issue-option-list"), {"issue": private.pk, "text": "x"})
    ghost = provider.post(url("issue-option-list"), {"issue": 987654, "text": "x"})
    assert hidden.status_code == ghost.status_code == 400
    refused = provider.post(url("issue-list"), raise_body(scenario, visibility="buyer"),
                            format="json")  # fmt: skip
    assert refused.status_code == 400
    assert "visibility" in refused.json()["error"]["fields"]
    assert Issue.objects.count() == 1


def test_every_list_answers_csv(scenario: Scenario) -> None:
    issue = scenario.raise_issue()
    client = api(scenario, "b_manager")
    for name in ("issue-list", "issue-option-list", "issue-event-list"):
        response = client.get(url(name), {"format": "csv"})
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv")
        header = next(csv.reader(io.StringIO(response.content.decode())))
        assert "id" in header
    listed = client.get(url("issue-list"), {"format": "csv", "status": IssueStatus.RAISED})
    assert issue.title in listed.content.decode()
