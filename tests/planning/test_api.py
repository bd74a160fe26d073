"""The joint plan over the API: plans, signing, objectives, checkpoints, revisions, CSV."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from accord.planning.models import Checkpoint, Objective, PlanningCycle
from tests.planning.scenario import Scenario


def api(scenario: Scenario, who: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(scenario[who])
    return client


def url(name: str, pk: Any = None) -> str:
    return reverse(f"api:{name}", kwargs=None if pk is None else {"pk": pk})


def objective_body(scenario: Scenario, **extra: Any) -> dict[str, Any]:
    return {
        "cycle": scenario.plan.pk,
        "statement": "Lift member satisfaction",
        "success_measure": "CSAT at 85 %",
        "focus": "customer",
        "linked_figure": "service_level",
        "service_level": scenario.level.pk,
        "target_value": "85",
        "buyer_owner": scenario["b_manager"].pk,
        "provider_owner": scenario["p_manager"].pk,
        "target_date": "2026-12-31",
        **extra,
    }


def test_plan_objectives_signing_and_voiding_over_the_api(scenario: Scenario) -> None:
    manager = api(scenario, "p_manager")
    created = manager.post(
        url("plan-list"),
        {"relationship": scenario.relationship.pk, "year": 2027, "title": ""},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["title"], created.json()["in_force"]) == ("Joint plan 2027", False)
    duplicate = manager.post(
        url("plan-list"), {"relationship": scenario.relationship.pk, "year": 2027}, format="json"
    )
    assert duplicate.status_code == 400
    assert "year" in duplicate.json()["error"]["fields"]

    added = manager.post(url("objective-list"), objective_body(scenario), format="json")
    assert added.status_code == 201, added.json()
    objective = added.json()
    assert (objective["service_level_code"], objective["status"], objective["year"]) == (
        "CSAT",
        "not_started",
        2026,
    )
    wrong_side = manager.post(
        url("objective-list"),
        objective_body(scenario, buyer_owner=scenario["p_exec"].pk),
        format="json",
    )
    assert wrong_side.status_code == 400
    assert "buyer_owner" in wrong_side.json()["error"]["fields"]

    plan_pk = scenario.plan.pk
    assert api(scenario, "b_manager").post(url("plan-sign", plan_pk)).status_code == 403
    signed = api(scenario, "b_exec").post(url("plan-sign", plan_pk))
    assert signed.status_code == 200
    assert [s["side"] for s in signed.json()["signatures"]] == ["buyer"]
    both = api(scenario, "p_exec").post(url("plan-sign", plan_pk)).json()
    assert both["in_force"] is True
    version = both["version"]

    # Progress: no new version.
    status = manager.patch(url("objective-detail", objective["id"]), {"status": "on_track"})
    assert status.status_code == 200
    assert api(scenario, "b_viewer").get(url("plan-detail", plan_pk)).json()["in_force"] is True

    # Content: a new version, signatures voided, a revision to read.
    restated = manager.patch(
        url("objective-detail", objective["id"]), {"statement": "Lift satisfaction to 86 %"}
    )
    assert restated.status_code == 200
    plan = api(scenario, "b_viewer").get(url("plan-detail", plan_pk)).json()
    assert (plan["version"], plan["in_force"], plan["signatures"]) == (version + 1, False, [])
    revisions = api(scenario, "b_viewer").get(url("plan-revision-list"), {"cycle": plan_pk})
    [revision] = revisions.json()["results"]
    assert revision["voided_sides"] == ["buyer", "provider"]
    assert revision["changes"][0]["after"] == "Lift satisfaction to 86 %"
    listed = api(scenario, "b_viewer").get(
        url("plan-list"), {"relationship": scenario.relationship.pk}
    )
    assert [row["year"] for row in listed.json()["results"]] == [2027, 2026]


def test_checkpoints_take_progress_and_only_your_sides_commentary(scenario: Scenario) -> None:
    objective = scenario.objective()
    checkpoint = objective.checkpoints.order_by("due_date").first()
    assert checkpoint is not None
    provider = api(scenario, "p_manager")
    theirs = provider.patch(
        url("checkpoint-detail", checkpoint.pk), {"buyer_commentary": "Written for them"}
    )
    assert theirs.status_code == 400
    assert "buyer_commentary" in theirs.json()["error"]["fields"]
    ok = provider.patch(
        url("checkpoint-detail", checkpoint.pk),
        {"status": "at_risk", "provider_commentary": "Hiring late"},
    )
    assert ok.status_code == 200, ok.json()
    assert (ok.json()["status"], ok.json()["provider_commentary"]) == ("at_risk", "Hiring late")
    assert Objective.objects.get(pk=objective.pk).status == "at_risk"
    assert (
        api(scenario, "b_viewer")
        .patch(url("checkpoint-detail", checkpoint.pk), {"status": "on_track"})
        .status_code
        == 403
    )
    assert Checkpoint.objects.get(pk=checkpoint.pk).status == "at_risk"
    assert APIClient().get(url("checkpoint-list")).status_code in (401, 403)
    api_outsider = APIClient()
    api_outsider.force_authenticate(scenario.outsider)
    assert api_outsider.get(url("checkpoint-detail", checkpoint.pk)).status_code == 404


def test_year_end_review_over_the_api(scenario: Scenario) -> None:
    objective = scenario.objective()
    manager = api(scenario, "b_manager")
    missing = manager.post(url("plan-review", scenario.plan.pk), {"decisions": {}}, format="json")
    assert missing.status_code == 400
    assert f"objective_{objective.pk}" in missing.json()["error"]["fields"]
    done = manager.post(
        url("plan-review", scenario.plan.pk),
        {"decisions": {str(objective.pk): "carry"}, "notes": {str(objective.pk): "Next year"}},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert done.json()["reviewed_by"] == "b_manager"
    carried = Objective.objects.get(cycle__year=2027)
    assert carried.carried_from_id == objective.pk
    assert PlanningCycle.objects.get(year=2027).version == 2


def test_every_list_exports_csv(scenario: Scenario) -> None:
    scenario.objective()
    client = api(scenario, "b_viewer")
    for name, header in (
        ("plan-list", "id,relationship,year,title"),
        ("objective-list", "id,relationship,cycle,year"),
        ("checkpoint-list", "id,relationship,objective,label"),
        ("plan-revision-list", "id,relationship,cycle,from_version"),
    ):
        response = client.get(url(name), {"format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response.content.decode().startswith(header), name
