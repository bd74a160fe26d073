"""Issues in the browser: a member escalates an issue by keyboard, and the clock escalates
an overdue one by itself (real Chromium)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from accord.governance.models import Tier
from accord.issues.models import EventKind, IssueEvent
from tests.e2e.browsing import sign_in
from tests.issues.scenario import ago, build_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_escalates_an_issue_from_its_page_by_keyboard(
    live_server: Any, new_page: Any
) -> None:
    scenario = build_scenario()
    issue = scenario.raise_issue(who="b_manager", severity="high")
    base = live_server.url
    page = new_page()
    sign_in(page, base, "p_manager")
    page.goto(f"{base}{issue.get_absolute_url()}")
    main = page.locator("main")
    assert "here now" in page.locator(".ladder li[aria-current='step']").inner_text()
    assert (
        "Operational service review" in page.locator(".ladder li[aria-current='step']").inner_text()
    )

    # Open the disclosure, write the reason and send it, all from the keyboard.
    summary = page.get_by_text("Escalate to Contract management committee…")
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "escalate-reason"
    page.keyboard.type("Two months of late files: this needs the committee.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == (
        "Escalate to Contract management committee"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/issues/{issue.pk}/$"))

    assert "Escalated to Contract management committee." in main.inner_text()
    current = page.locator(".ladder li[aria-current='step']").inner_text()
    assert "Contract management committee" in current
    assert "here now" in current
    history = page.get_by_role("table", name="Every step of the issue, oldest first")
    row = history.locator("tr", has_text="Escalated")
    assert "p_manager" in row.inner_text()
    assert "Operational service review → Contract management committee" in row.inner_text()
    assert "Two months of late files" in row.inner_text()
    issue.refresh_from_db()
    assert issue.forum == scenario.forums[Tier.MANAGEMENT]


def test_the_clock_escalates_an_overdue_issue_and_the_page_shows_it(
    live_server: Any, new_page: Any
) -> None:
    scenario = build_scenario()
    issue = scenario.raise_issue(who="p_manager", severity="high", at=ago(days=6))
    call_command("escalate_issues")
    assert IssueEvent.objects.filter(issue=issue, kind=EventKind.ESCALATED, automatic=True).exists()

    base = live_server.url
    page = new_page()
    sign_in(page, base, "b_exec")
    page.goto(f"{base}{issue.get_absolute_url()}")
    history = page.get_by_role("table", name="Every step of the issue, oldest first")
    row = history.locator("tr", has_text="automatic")
    text = row.inner_text()
    assert "Escalated" in text
    assert "The escalation clock" in text
    assert "Operational service review → Contract management committee" in text
    assert "Not resolved within 5 days" in text
    current = page.locator(".ladder li[aria-current='step']").inner_text()
    assert "Contract management committee" in current

    page.goto(f"{base}/relationships/{scenario.relationship.pk}/issues/")
    assert "Contract management committee" in page.locator("tr", has_text=issue.title).inner_text()
