"""The issue pages: the list with its clock and chart, raising, the negotiation guide,
each step through its form, the card on the relationship page."""

from __future__ import annotations

import csv
import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.core.choices import Visibility
from accord.governance.models import Tier
from accord.issues import clock, services
from accord.issues.models import EventKind, Issue, IssueEvent, IssueStatus
from tests.issues.scenario import Scenario, ago


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def list_url(scenario: Scenario) -> str:
    return reverse("issue_list", kwargs={"pk": scenario.relationship.pk})


def test_raise_an_issue_through_the_page(scenario: Scenario) -> None:
    client = scenario.client("p_manager")
    add = reverse("issue_add", kwargs={"pk": scenario.relationship.pk})
    form = text(client.get(add))
    assert "Raise an issue" in form
    assert "It starts at Operational service review" in form
    assert "Provider side only" in form
    assert "Buyer side only" not in form
    assert "Payroll processing" in form
    assert "Not ours" not in form

    response = client.post(add, {"title": "", "description": "x", "category": "data",
                                 "severity": "high", "visibility": "joint"})  # fmt: skip
    assert response.status_code == 200
    assert 'class="error' in text(response)

    response = client.post(add, {
        "title": "Callbacks are not in the statement of work", "description": "Section 2.4.",
        "category": "scope", "severity": "medium", "visibility": "provider",
        "services_affected": [scenario.scope[1].pk], "contract_letter_cited": "on",
    })  # fmt: skip
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == issue.get_absolute_url()
    assert issue.visibility == Visibility.PROVIDER
    assert issue.contract_letter_cited
    assert list(issue.services_affected.all()) == [scenario.scope[1]]
    # A viewer may not raise.
    assert scenario.client("b_viewer").get(add).status_code == 403


def test_the_detail_page_is_the_negotiation_guide(scenario: Scenario) -> None:
    issue = scenario.raise_issue(who="b_manager", services_affected=scenario.scope[:1])
    services.issue_update(
        issue=issue,
        actor=scenario.people["b_manager"],
        buyer_position="Files by the 25th",
        buyer_interests="Month-end close",
    )
    services.option_add(issue=issue, text="Cut-off on the 26th", actor=scenario.people["p_manager"])
    page = text(scenario.client("p_manager").get(issue.get_absolute_url()))
    assert "Positions and the interests behind them" in page
    assert "Files by the 25th" in page
    assert "Month-end close" in page
    # The provider has not said its interests: the page prompts for them.
    assert "Help us understand what the challenges are for you." in page
    assert "Write the provider's position and interests" in page
    assert "Cut-off on the 26th" in page
    assert 'aria-current="step">Generating options' in page
    assert "Payroll processing" in page
    assert re.search(
        r'aria-current="step">\s*Operational: (<a [^>]*>)?Operational service review', page
    )
    assert "escalates in 4 days" in page
    assert "Escalate to Contract management committee" in page
    assert "Withdraw" not in page  # the buyer raised it
    assert page.count('data-object="issues.issueevent:') == 5
    assert page.count('data-object="issues.issueoption:') == 1
    assert reverse("issue_audit", kwargs={"pk": issue.pk}) in page


def test_edit_offers_only_your_sides_voice(scenario: Scenario) -> None:
    issue = scenario.raise_issue(who="b_manager")
    client = scenario.client("p_manager")
    edit = reverse("issue_edit", kwargs={"pk": issue.pk})
    form = text(client.get(edit))
    assert 'name="provider_position"' in form
    assert 'name="buyer_position"' not in form
    assert 'name="share"' not in form  # joint already
    response = client.post(edit, {
        "title": issue.title, "description": issue.description, "category": issue.category,
        "severity": issue.severity, "provider_position": "By the 27th",
        "provider_interests": "Our batch window", "buyer_position": "sneaked in",
    })  # fmt: skip
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.provider_position == "By the 27th"
    assert issue.buyer_position == ""  # not a field of the provider's form
    assert issue.status == IssueStatus.EXPLORING


def test_sharing_a_private_issue_from_the_edit_page(scenario: Scenario) -> None:
    issue = scenario.raise_issue(who="b_manager", visibility=Visibility.BUYER)
    assert scenario.client("p_manager").get(issue.get_absolute_url()).status_code == 404
    client = scenario.client("b_manager")
    edit = reverse("issue_edit", kwargs={"pk": issue.pk})
    assert 'name="share"' in text(client.get(edit))
    facts = {
        name: getattr(issue, name) for name in ("title", "description", "category", "severity")
    }
    client.post(edit, {**facts, "share": "on"})
    assert scenario.client("p_manager").get(issue.get_absolute_url()).status_code == 200


def test_steps_through_their_pages(scenario: Scenario) -> None:
    issue = scenario.raise_issue(who="b_manager")
    client = scenario.client("p_manager")
    url = lambda name: reverse(name, kwargs={"pk": issue.pk})  # noqa: E731

    response = client.post(url("issue_option_add"), {"text": ""})
    assert response.status_code == 200
    assert 'class="error' in text(response)
    client.post(url("issue_option_add"), {"text": "Cut-off on the 26th"})
    option = issue.options.get()

    response = client.post(url("issue_escalate"), {"escalate-reason": ""})
    assert response.status_code == 200
    assert 'class="error' in text(response)
    response = client.post(
        url("issue_escalate"), {"escalate-reason": "Needs the committee"}, follow=True
    )
    assert "Escalated to Contract management committee." in text(response)

    # Only the raiser's side withdraws.
    assert client.get(url("issue_withdraw")).status_code == 403
    assert client.post(url("issue_withdraw"), {}).status_code == 403

    response = client.post(
        url("issue_resolve"), {"chosen_option": option.pk, "agreed_solution": ""}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED
    assert issue.agreed_solution == option.text
    page = text(client.get(issue.get_absolute_url()))
    assert "✔ Chosen" in page
    assert "Reopen…" in page
    # A closed issue's step pages send you back to it.
    assert client.get(url("issue_escalate")).status_code == 302

    response = client.post(url("issue_reopen"), {"reopen-reason": "It happened again"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPTIONS

    buyer = scenario.client("b_manager")
    response = buyer.post(url("issue_withdraw"), {"withdraw-reason": ""})
    assert response.status_code == 302
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.WITHDRAWN


def test_an_automatic_escalation_shows_in_the_history(scenario: Scenario) -> None:
    issue = scenario.raise_issue(severity="high", at=ago(days=6))
    clock.escalate_due()
    page = text(scenario.client("b_exec").get(issue.get_absolute_url()))
    assert "The escalation clock" in page
    assert '<span class="automatic">automatic</span>' in page
    assert "Operational service review → Contract management committee" in page


def test_the_list_filters_shows_the_clock_and_exports(scenario: Scenario) -> None:
    first = scenario.raise_issue(title="Late files", severity="high")
    second = scenario.raise_issue(title="Old one", severity="critical", at=ago(days=40))
    clock.escalate_due()  # the old one climbs to the top and is overdue
    third = scenario.raise_issue(title="Done", severity="low")
    services.issue_resolve(
        issue=third, agreed_solution="Agreed", actor=scenario.people["b_manager"]
    )
    scenario.raise_issue(title="Ours only", visibility=Visibility.BUYER, who="b_manager")

    client = scenario.client("p_manager")
    page = text(client.get(list_url(scenario)))
    assert page.count('data-object="issues.issue:') == 3  # not the buyer's private one
    assert "Escalates in 4 days" in page
    assert "Overdue by" in page
    assert "(top of the ladder)" in page
    assert 'id="issues-by-stage"' in page  # the chart
    assert "Download CSV" in page

    open_only = text(client.get(list_url(scenario), {"status": "open"}))
    assert open_only.count('data-object="issues.issue:') == 2
    critical = text(client.get(list_url(scenario), {"severity": "critical"}))
    assert f'data-object="issues.issue:{second.pk}"' in critical
    assert f'data-object="issues.issue:{first.pk}"' not in critical
    top = scenario.forums[Tier.EXECUTIVE].pk
    at_top = text(client.get(list_url(scenario), {"forum": top}))
    assert at_top.count('data-object="issues.issue:') == 1
    none = text(client.get(list_url(scenario), {"status": "withdrawn"}))
    assert "No issues match these filters." in none

    export = client.get(list_url(scenario), {"status": "open", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:3] == ["id", "title", "stage"]
    assert sorted(r[1] for r in rows[1:]) == ["Late files", "Old one"]


def test_empty_list_says_what_to_do(scenario: Scenario) -> None:
    page = text(scenario.client("b_manager").get(list_url(scenario)))
    assert "No issues yet." in page
    assert "raise it" in page
    assert "Raise an issue" in page


def test_the_card_on_the_relationship_page(scenario: Scenario) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    scenario.raise_issue(title="Late files", severity="high")
    scenario.raise_issue(title="Old one", severity="medium", at=ago(days=12))
    clock.escalate_due()
    request = RequestFactory().get("/")
    request.user = scenario.people["b_manager"]
    template = Template("{% load issues %}{% issues_card relationship %}")
    with CaptureQueriesContext(connection) as captured:
        html = template.render(Context({"request": request, "relationship": scenario.relationship}))
    assert len(captured) <= 3, [q["sql"] for q in captured]
    assert "Raised</dt><dd>2 open" in html
    assert "Next escalation" in html
    assert "Late files" in html
    assert "escalates in 4 days" in html

    page = text(scenario.client("b_manager").get(scenario.relationship.get_absolute_url()))
    assert 'id="issues-h"' in page
    assert "All issues" in page


def test_pages_need_the_right_person(scenario: Scenario) -> None:
    private = scenario.raise_issue(who="b_manager", visibility=Visibility.BUYER)
    assert scenario.client("outsider").get(list_url(scenario)).status_code == 404
    assert scenario.client("p_manager").get(private.get_absolute_url()).status_code == 404
    assert scenario.client("b_viewer").get(private.get_absolute_url()).status_code == 200
    edit = reverse("issue_edit", kwargs={"pk": private.pk})
    assert scenario.client("b_viewer").get(edit).status_code == 403
    audit = text(scenario.client("b_exec").get(reverse("issue_audit", kwargs={"pk": private.pk})))
    assert f'data-subject="issues.issue:{private.pk}"' in audit
    assert IssueEvent.objects.filter(issue=private, kind=EventKind.RAISED).exists()


def test_list_and_detail_cost_the_same_queries_with_more_data(scenario: Scenario) -> None:
    issue = scenario.raise_issue(title="Watched")
    client = scenario.client("p_manager")
    urls = [list_url(scenario), issue.get_absolute_url()]

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for url in urls:
        cost(url)  # warm the session
    small = [cost(url) for url in urls]
    for n in range(6):
        other = scenario.raise_issue(title=f"More {n}", severity="critical", at=ago(days=3))
        services.option_add(issue=issue, text=f"Option {n}", actor=scenario.people["b_manager"])
        services.issue_update(issue=other, actor=scenario.people["p_manager"],
                              provider_position=f"Position {n}")  # fmt: skip
    clock.escalate_due()
    assert [cost(url) for url in urls] == small
