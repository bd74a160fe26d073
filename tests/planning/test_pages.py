"""The joint plan through its pages: start, add objectives, co-sign, edit, progress, review."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.planning import services
from accord.planning.models import Checkpoint, Objective, PlanningCycle, PlanRevision
from tests.planning.scenario import Scenario


def client_for(scenario: Scenario, who: str) -> Client:
    client = Client()
    client.force_login(scenario[who])
    return client


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def objective_form(scenario: Scenario, **extra: object) -> dict[str, object]:
    return {
        "statement": "Lift member satisfaction to 85 %",
        "success_measure": "CSAT at or above 85 %.",
        "focus": "customer",
        "linked_figure": "service_level",
        "service_level": scenario.level.pk,
        "target_value": "85",
        "buyer_owner": scenario["b_manager"].pk,
        "provider_owner": scenario["p_manager"].pk,
        "target_date": "2026-12-31",
        "checkpoints": "on",
        **extra,
    }


def test_start_a_plan_and_add_objectives_through_the_pages(scenario: Scenario) -> None:
    provider = client_for(scenario, "p_manager")
    relationship = scenario.relationship
    listing = text(provider.get(reverse("plan_list", kwargs={"pk": relationship.pk})))
    assert f'data-object="planning.planningcycle:{scenario.plan.pk}"' in listing
    assert "Waiting for the buyer and the provider" in listing
    assert "Download CSV" in listing

    form = text(provider.get(reverse("plan_add", kwargs={"pk": relationship.pk})))
    assert 'value="2027"' in form  # the first year without a plan (today is in 2026)
    response = provider.post(
        reverse("plan_add", kwargs={"pk": relationship.pk}),
        {"year": "2027", "is_launch": "", "provider_drivers": "Growth"},
    )
    plan = PlanningCycle.objects.get(year=2027)
    assert response["Location"] == plan.get_absolute_url()
    assert plan.title == "Joint plan 2027"
    again = provider.post(reverse("plan_add", kwargs={"pk": relationship.pk}), {"year": "2027"})
    assert "There is already a plan for 2027" in text(again)

    add_url = reverse("objective_add", kwargs={"pk": scenario.plan.pk})
    page = text(provider.get(add_url))
    assert "Owner on the buyer&#x27;s side" in page
    assert "b_manager" not in page or "Manager Buyer" in page
    assert "outsider" not in page  # only people with a role on the relationship
    wrong = provider.post(add_url, objective_form(scenario, buyer_owner=scenario["p_exec"].pk))
    assert wrong.status_code == 200
    assert 'class="error"' in text(wrong)
    response = provider.post(add_url, objective_form(scenario))
    assert response.status_code == 302
    objective = Objective.objects.get()
    assert objective.checkpoints.count() == 4

    detail = text(provider.get(scenario.plan.get_absolute_url()))
    assert f'data-object="planning.objective:{objective.pk}"' in detail
    assert "Typically five to seven. <strong>This plan has 1.</strong>" in detail
    assert 'class="chart plan-status"' in detail
    assert "Only an executive of either side signs the joint plan." in detail
    assert "Sign version" not in detail


def test_executives_sign_on_the_page_and_an_edit_voids_the_signatures(scenario: Scenario) -> None:
    scenario.objective()
    plan = scenario.refresh()
    buyer = client_for(scenario, "b_exec")
    page = text(buyer.get(plan.get_absolute_url()))
    assert f"Sign version {plan.version} for the buyer" in page

    response = buyer.post(reverse("plan_sign", kwargs={"pk": plan.pk}), follow=True)
    page = text(response)
    assert "takes effect when the other side" in page
    assert "Waiting for the provider" in page
    assert "✔ Signed</span> by Exec Buyer" in page

    manager = client_for(scenario, "b_manager")
    refused = manager.post(reverse("plan_sign", kwargs={"pk": plan.pk}))
    assert refused.status_code == 403

    provider = client_for(scenario, "p_exec")
    page = text(provider.post(reverse("plan_sign", kwargs={"pk": plan.pk}), follow=True))
    assert "the plan is in force" in page
    assert '<span class="badge in-force">In force</span>' in page
    again = text(provider.post(reverse("plan_sign", kwargs={"pk": plan.pk})))
    assert "already signed" in again

    card = text(manager.get(scenario.relationship.get_absolute_url()))
    assert "Joint plan 2026" in card
    assert "In force" in card

    edit = manager.post(
        reverse("plan_edit", kwargs={"pk": plan.pk}),
        {"title": "Joint plan 2026", "changes_past_year": "A new core banking system"},
    )
    assert edit.status_code == 302
    page = text(manager.get(plan.get_absolute_url()))
    assert "Waiting for the buyer and the provider" in page
    assert "What changed since it was signed" in page
    revision = PlanRevision.objects.get()
    assert f'data-object="planning.planrevision:{revision.pk}"' in page
    assert "signatures voided for the buyer and the provider" in page
    assert "<ins>A new core banking system</ins>" in page
    assert "Earlier versions" in page


def test_checkpoints_take_each_sides_commentary(scenario: Scenario) -> None:
    objective = scenario.objective()
    q1 = objective.checkpoints.order_by("due_date").first()
    assert q1 is not None
    url = reverse("checkpoint_edit", kwargs={"pk": q1.pk})
    buyer = client_for(scenario, "b_contributor")
    assert "The buyer&#x27;s commentary" in text(buyer.get(url))
    buyer.post(url, {"status": "at_risk", "commentary": "Slow start"})
    provider = client_for(scenario, "p_manager")
    page = text(provider.get(url))
    assert "Slow start" in page  # the other side's view, read-only
    assert "The provider&#x27;s commentary" in page
    provider.post(url, {"status": "at_risk", "commentary": "Hiring done in April"})
    q1 = Checkpoint.objects.get(pk=q1.pk)
    assert (q1.status, q1.buyer_commentary, q1.provider_commentary) == (
        "at_risk",
        "Slow start",
        "Hiring done in April",
    )
    detail = text(provider.get(objective.get_absolute_url()))
    assert "Slow start" in detail
    assert "Hiring done in April" in detail
    assert '<span class="badge status-at_risk">At risk</span>' in detail
    assert client_for(scenario, "b_viewer").get(url).status_code == 403

    status = provider.post(
        reverse("objective_status", kwargs={"pk": objective.pk}), {"status": "achieved"}
    )
    assert status.status_code == 302
    objective.refresh_from_db()
    assert objective.status == "achieved"


def test_year_end_review_page_requires_every_decision(scenario: Scenario) -> None:
    first = scenario.objective("First")
    second = scenario.objective("Second")
    manager = client_for(scenario, "b_manager")
    url = reverse("plan_review", kwargs={"pk": scenario.plan.pk})
    page = text(manager.get(url))
    assert "Carry it forward into 2027" in page
    missing = manager.post(url, {f"objective_{first.pk}": "carry"})
    assert missing.status_code == 200
    assert re.search(rf'id="id_objective_{second.pk}_error">Decide', text(missing))
    done = manager.post(
        url, {f"objective_{first.pk}": "carry", f"objective_{second.pk}": "close"}, follow=True
    )
    assert "The year-end review of 2026 is recorded." in text(done)
    assert PlanningCycle.objects.get(year=2027).objectives.get().carried_from == first
    assert manager.get(url).status_code == 302  # done once


def test_objective_pages_show_progress_and_remove_an_objective(scenario: Scenario) -> None:
    objective = scenario.objective(
        linked_figure="health_index", target_value=80, target_date=dt.date(2026, 6, 30)
    )
    manager = client_for(scenario, "b_manager")
    page = text(manager.get(objective.get_absolute_url()))
    assert "no health index has been computed" in page
    assert page.count('data-object="planning.checkpoint:') == 2

    edit_url = reverse("objective_edit", kwargs={"pk": objective.pk})
    assert "Cut repeat calls by a third" in text(manager.get(edit_url))
    manager.post(
        edit_url,
        objective_form(scenario, statement="Restated", linked_figure="", service_level=""),
    )
    objective.refresh_from_db()
    assert objective.statement == "Restated"

    contributor = client_for(scenario, "b_contributor")
    delete_url = reverse("objective_delete", kwargs={"pk": objective.pk})
    assert contributor.post(delete_url).status_code == 403
    response = manager.post(delete_url)
    assert response["Location"] == scenario.plan.get_absolute_url()
    assert not Objective.objects.exists()
    audit = text(manager.get(reverse("plan_audit", kwargs={"pk": scenario.plan.pk})))
    assert "planning.planningcycle" in audit


def test_plan_list_exports_csv(scenario: Scenario) -> None:
    scenario.objective()
    services.plan_sign(cycle=scenario.plan, actor=scenario["b_exec"])
    response = client_for(scenario, "p_manager").get(
        reverse("plan_list", kwargs={"pk": scenario.relationship.pk}), {"format": "csv"}
    )
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    lines = body.strip().splitlines()
    assert lines[0].startswith("Year,Title,Launch,Version,In force")
    assert lines[1].startswith("2026,Joint plan 2026,no,2,no,buyer: b_exec,1,0,")


def test_the_relationship_card_costs_at_most_three_queries(scenario: Scenario) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    scenario.objective()
    request = RequestFactory().get("/")
    request.user = scenario["p_manager"]
    template = Template("{% load planning %}{% plan_card relationship %}")
    with CaptureQueriesContext(connection) as captured:
        html = template.render(Context({"request": request, "relationship": scenario.relationship}))
    assert len(captured) <= 3
    assert "Awaiting signatures" in html
    assert "Not started" in html
