"""The pages of change requests and scope questions, as the people of both sides use them."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
from typing import Any

from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.contracts.changes import change_propose, change_sign
from accord.contracts.models import ChangeRequest, ChangeStatus, ScopeItem, ScopeQuestion
from accord.contracts.scope_questions import question_ask, question_resolve
from accord.contracts.services import scope_item_delete
from accord.core.testing.performance_factories import SMALL_SCHEDULE
from tests.changes.scenario import Scenario

SCOPE_FORM = {
    "title": "Year-end T4 reissue service",
    "kind": "scope",
    "rationale": "Amended slips are needed every February.",
    "impact_cost": "42000",
    "new_scope_status": "in_scope",
    "new_scope_title": "Year-end T4 reissue",
}


def client_for(scenario: Scenario, who: str) -> Client:
    client = Client()
    client.force_login(scenario[who])
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def propose(scenario: Scenario, who: str = "b_manager", **fields: Any) -> ChangeRequest:
    data: dict[str, Any] = {**SCOPE_FORM, "impact_cost": None, **fields}
    return change_propose(contract=scenario.contract, actor=scenario[who], **data)


def test_proposing_through_the_form_and_cosigning_on_the_page(scenario: Scenario) -> None:
    buyer = client_for(scenario, "b_manager")
    add_url = reverse("change_add", kwargs={"pk": scenario.relationship.pk})
    form = buyer.get(add_url)
    page = text(form)
    # Every kind's part of the form is there, each in its own labelled group.
    for legend in ("Scope: what approval changes", "Service levels: the schedule", "Price:"):
        assert legend in page
    assert 'data-kind="service_level"' in page
    assert "version 1" in page  # the schedule in force is copied in to edit

    response = buyer.post(add_url, SCOPE_FORM)
    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change.get_absolute_url()

    provider = client_for(scenario, "p_manager")
    detail = text(provider.get(change.get_absolute_url()))
    assert "What approval will do" in detail
    assert "Adds “Year-end T4 reissue” to the scope register as in scope" in detail
    assert "Approve (sign for the provider)" in detail
    assert "Decline…" in detail

    signed = provider.post(reverse("change_sign", kwargs={"pk": change.pk}), follow=True)
    page = text(signed)
    assert "is approved and applied" in page
    assert "What approval did" in page
    item = ScopeItem.objects.get(title="Year-end T4 reissue")
    assert item.get_absolute_url() in page
    # The scope item's page shows the change request that added it.
    item_page = text(provider.get(item.get_absolute_url()))
    assert change.get_absolute_url() in item_page
    assert "added this item" in item_page


def test_the_form_shows_the_schedule_problems_on_their_lines(scenario: Scenario) -> None:
    buyer = client_for(scenario, "b_manager")
    broken = SMALL_SCHEDULE.replace("expected: 95", "expected: lots")
    line = broken.splitlines().index("    expected: lots") + 1
    response = buyer.post(
        reverse("change_add", kwargs={"pk": scenario.relationship.pk}),
        {**SCOPE_FORM, "kind": "service_level", "schedule_document": broken},
    )
    assert response.status_code == 200
    assert f"line {line}: service_levels[0].expected" in text(response)
    assert not ChangeRequest.objects.exists()


def test_a_viewer_sees_but_cannot_propose_or_sign(scenario: Scenario) -> None:
    change = propose(scenario)
    viewer = client_for(scenario, "p_viewer")
    add_url = reverse("change_add", kwargs={"pk": scenario.relationship.pk})
    assert viewer.get(add_url).status_code == 403
    page = text(viewer.get(change.get_absolute_url()))
    assert "Only an executive or manager of either side signs" in page
    assert f"/changes/{change.pk}/sign/" not in page
    assert viewer.post(reverse("change_sign", kwargs={"pk": change.pk})).status_code == 403
    outsider = Client()
    outsider.force_login(scenario.outsider)
    assert outsider.get(change.get_absolute_url()).status_code == 404


def test_a_failure_while_applying_is_shown_and_nothing_changes(scenario: Scenario) -> None:
    retro = scenario.items["retro"]
    change = propose(
        scenario, scope_item=retro, new_scope_title="", new_scope_status="out_of_scope"
    )
    scope_item_delete(item=retro, actor=scenario["b_manager"])
    provider = client_for(scenario, "p_manager")
    response = provider.post(reverse("change_sign", kwargs={"pk": change.pk}))
    assert response.status_code == 200
    assert "no longer in the register" in text(response)
    change.refresh_from_db()
    assert change.status == ChangeStatus.PROPOSED


def test_declining_needs_a_note(scenario: Scenario) -> None:
    change = propose(scenario)
    provider = client_for(scenario, "p_exec")
    url = reverse("change_decline", kwargs={"pk": change.pk})
    response = provider.post(url, {"note": ""})
    assert response.status_code == 200
    assert "Say why the change is declined." in text(response)
    response = provider.post(url, {"note": "Not in the budget for 2027."}, follow=True)
    assert "CR-1 declined." in text(response)
    assert "Not in the budget for 2027." in text(response)


def test_an_edit_shows_the_voided_signatures(scenario: Scenario) -> None:
    change = propose(scenario)
    provider = client_for(scenario, "p_manager")
    edit_url = reverse("change_edit", kwargs={"pk": change.pk})
    form = text(provider.get(edit_url))
    assert "This is version 1" in form
    response = provider.post(edit_url, {**SCOPE_FORM, "title": "T4 reissue, from 2027"})
    assert response.status_code == 302
    page = text(provider.get(change.get_absolute_url()))
    assert "Signatures of version 2" in page
    assert "Version 1 (voided): buyer signed by b_manager" in page


def test_the_list_filters_by_whose_signature_is_awaited_and_exports_csv(
    scenario: Scenario,
) -> None:
    first = propose(scenario)  # signed by the buyer: awaits the provider
    second = propose(scenario, "p_manager", new_scope_title="Another")  # awaits the buyer
    change_sign(change=propose(scenario, new_scope_title="Third"), actor=scenario["p_exec"])
    client = client_for(scenario, "b_viewer")
    url = reverse("change_list", kwargs={"pk": scenario.relationship.pk})
    page = text(client.get(url))
    for change in ChangeRequest.objects.all():
        assert f'data-object="contracts.changerequest:{change.pk}"' in page
    awaiting_provider = text(client.get(url, {"awaiting": "provider"}))
    assert f"contracts.changerequest:{first.pk}" in awaiting_provider
    assert f"contracts.changerequest:{second.pk}" not in awaiting_provider
    approved = text(client.get(url, {"status": "approved"}))
    assert approved.count('data-object="contracts.changerequest:') == 1
    # Filtering in place (htmx) answers the rows alone, with the CSV link of the filter.
    rows = text(client.get(url, {"status": "approved"}, HTTP_HX_REQUEST="true"))
    assert rows.startswith('\n<div id="change-rows">')
    assert "status=approved&amp;format=csv" in rows
    assert "Download CSV" in page

    response = client.get(url, {"awaiting": "buyer", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["number"], row["buyer_signed"], row["provider_signed"]) for row in rows] == [
        ("CR-2", "no", "yes")
    ]
    empty = text(client.get(url, {"status": "declined"}))
    assert "No change request matches these filters." in empty


def test_the_relationship_card_takes_three_queries(scenario: Scenario) -> None:
    for n in range(4):
        propose(scenario, new_scope_title=f"Item {n}")
    change_sign(change=propose(scenario, new_scope_title="Done"), actor=scenario["p_exec"])
    for n in range(3):
        question_ask(
            relationship=scenario.relationship,
            question=f"Question {n}?",
            actor=scenario["p_manager"],
        )
    request = RequestFactory().get("/")
    request.user = scenario["p_manager"]
    template = Template("{% load changes %}{% changes_card relationship %}")
    context = Context({"request": request, "relationship": scenario.relationship})
    with CaptureQueriesContext(connection) as captured:
        html = template.render(context)
    assert len(captured) <= 3, [q["sql"] for q in captured]
    assert html.count("awaiting the provider — <strong>your side</strong>") == 4
    assert "Approved lately" in html
    assert "CR-5" in html
    assert html.count("Question ") == 3


# --------------------------------------------------------------------------- scope questions


def test_asking_answering_and_raising_a_change_from_the_pages(scenario: Scenario) -> None:
    provider = client_for(scenario, "p_contributor")
    response = provider.post(
        reverse("scope_question_add", kwargs={"pk": scenario.relationship.pk}),
        {"question": "Is the bulk retro-pay run a standard off-cycle run?"},
    )
    question = ScopeQuestion.objects.get()
    assert response["Location"] == question.get_absolute_url()

    buyer = client_for(scenario, "b_manager")
    resolve_url = reverse("scope_question_resolve", kwargs={"pk": question.pk})
    form = text(buyer.get(resolve_url))
    assert "Register entry it rests on" in form
    refused = buyer.post(resolve_url, {"resolution": "in_scope", "answer": "Yes."})
    assert "Name the in-scope item" in text(refused)
    buyer.post(resolve_url, {"resolution": "out_of_scope", "answer": "Not a standard run."})
    question.refresh_from_db()
    assert question.resolution == "out_of_scope"

    page = text(provider.get(question.get_absolute_url()))
    raise_url = reverse("change_add", kwargs={"pk": scenario.relationship.pk})
    assert f"{raise_url}?question={question.pk}" in page
    form = text(provider.get(raise_url, {"question": question.pk}))
    assert "Raised from the scope question" in form
    response = provider.post(
        raise_url, {**SCOPE_FORM, "question": str(question.pk), "title": "Retro pay project"}
    )
    change = ChangeRequest.objects.get()
    assert response["Location"] == change.get_absolute_url()
    question.refresh_from_db()
    assert question.change_request == change
    assert question.get_absolute_url() in text(provider.get(change.get_absolute_url()))


def test_the_question_list_filters_and_exports(scenario: Scenario) -> None:
    open_one = question_ask(
        relationship=scenario.relationship, question="Open one?", actor=scenario["b_manager"]
    )
    answered = question_ask(
        relationship=scenario.relationship, question="Answered one?", actor=scenario["b_manager"]
    )
    question_resolve(
        question=answered, resolution="in_scope", answer="Yes.",
        scope_item=scenario.items["payroll"], actor=scenario["p_manager"],
    )  # fmt: skip
    client = client_for(scenario, "p_viewer")
    url = reverse("scope_question_list", kwargs={"pk": scenario.relationship.pk})
    page = text(client.get(url, {"state": "open"}))
    assert f"contracts.scopequestion:{open_one.pk}" in page
    assert f"contracts.scopequestion:{answered.pk}" not in page
    response = client.get(url, {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {(row["question"], row["resolution"], row["scope_item"]) for row in rows} == {
        ("Open one?", "open", ""),
        ("Answered one?", "In scope", "Payroll processing"),
    }
    # Reopening, from the page.
    reopen = client_for(scenario, "b_manager").post(
        reverse("scope_question_reopen", kwargs={"pk": answered.pk})
    )
    assert reopen.status_code == 302
    answered.refresh_from_db()
    assert answered.is_open


def test_what_approval_will_do_for_each_kind(scenario: Scenario) -> None:
    client = client_for(scenario, "p_viewer")
    raised = SMALL_SCHEDULE.replace("expected: 95", "expected: 97")
    schedule = propose(scenario, kind="service_level", schedule_document=raised)
    page = text(client.get(schedule.get_absolute_url()))
    assert "The version in force is 1; the changes to it:" in page
    assert '<span class="removed">-    expected: 95</span>' in page
    assert '<span class="added">+    expected: 97</span>' in page

    price = propose(
        scenario, kind="price", new_monthly_fee=decimal.Decimal("104500"), new_fee_from="2027-01"
    )
    page = text(client.get(price.get_absolute_url()))
    assert "Sets the monthly fee to CAD 104,500.00 from 2027-01" in page
    assert "from 2026-01: CAD 100,000.00; from 2027-01: CAD 104,500.00" in page

    term = propose(scenario, kind="term", new_end_date=datetime.date(2030, 6, 30))
    page = text(client.get(term.get_absolute_url()))
    assert "Sets the contract&#x27;s end date to 2030-06-30." in page
    assert "<del>2028-12-31</del>" in page

    change_sign(change=schedule, actor=scenario["p_exec"])
    page = text(client.get(schedule.get_absolute_url()))
    assert "Put the schedule in force as version 2." in page
    schedule.refresh_from_db()
    assert schedule.applied_schedule_version is not None
    assert schedule.applied_schedule_version.get_absolute_url() in page
