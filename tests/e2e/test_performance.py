"""Performance in the browser: upload data and see the scorecard change, co-sign an
excusal, and open a credit's explanation (real Chromium, real engine)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from accord.performance.models import CreditMonth, Excusal, ExcusalStatus
from accord.performance.scorecards import latest_run
from tests.e2e.browsing import sign_in
from tests.performance_excusals.scenario import Scenario, build_scenario, tickets_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def february_cell(page: Any) -> str:
    """The text of P1's February cell on the scorecard."""
    return str(page.locator("td.cell a", has_text="P1, February").first.inner_text())


def test_uploading_a_file_updates_the_scorecard(
    live_server: Any, new_page: Any, tmp_path: Path
) -> None:
    scenario = build_scenario(with_data=False)
    base = live_server.url
    page = new_page()
    sign_in(page, base, "p_contributor")

    page.goto(f"{base}/relationships/{scenario.relationship.pk}/scorecard/")
    assert page.get_by_role("heading", name="No data yet").is_visible()

    upload = tmp_path / "tickets-2026-q1.csv"
    upload.write_bytes(tickets_csv())
    page.goto(f"{base}/relationships/{scenario.relationship.pk}/data/")
    page.get_by_label("Upload a file for tickets").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url(re.compile(r".*/imports/\d+/$"))
    page.get_by_role("link", name="Open the scorecard").click()

    # February resolved half its priority-1 tickets late: 50 % against a 90 % minimum.
    cell = february_cell(page)
    assert "50.0" in cell
    assert "Missed minimum" in cell
    assert "Met" in page.locator("td.cell a", has_text="P1, January").first.inner_text()


def test_provider_requests_and_both_sides_cosign_an_excusal(
    live_server: Any, new_page: Any
) -> None:
    scenario = build_scenario()
    base = live_server.url
    level = scenario.level("P1")
    assert credit_net(scenario, "2026-02") == "5000.00"

    provider = new_page()
    sign_in(provider, base, "p_manager")
    provider.goto(f"{base}/service-levels/{level.pk}/")
    provider.get_by_role("link", name=re.compile("Request an excusal for .*February")).click()
    provider.get_by_label("Reason").fill("The buyer sent the February master data a week late.")
    provider.get_by_role("button", name="Request the excusal").click()
    provider.wait_for_url(re.compile(r".*/excusals/\d+/$"))
    assert "Requested" in provider.locator("main").inner_text()
    excusal_url = provider.url

    buyer = new_page()
    sign_in(buyer, base, "b_manager")
    buyer.goto(excusal_url)
    buyer.get_by_role("button", name="Approve (sign for the buyer)").click()
    buyer.wait_for_load_state()
    assert "Approved" in buyer.locator("main").inner_text()

    excusal = Excusal.objects.get()
    assert excusal.status == ExcusalStatus.APPROVED
    # Approval recomputed the credits: February's miss is excused, nothing is owed.
    assert credit_net(scenario, "2026-02") == "0.00"
    buyer.goto(f"{base}/relationships/{scenario.relationship.pk}/credits/?year=2026")
    assert "P1" not in buyer.locator("tr", has_text="2026-02").first.inner_text()


def test_a_credit_opens_to_its_explanation(live_server: Any, new_page: Any) -> None:
    scenario = build_scenario()
    base = live_server.url
    page = new_page()
    sign_in(page, base, "b_manager")
    page.goto(f"{base}/relationships/{scenario.relationship.pk}/credits/?year=2026")
    page.locator("tr", has_text="2026-02").get_by_role("link", name="P1").click()
    page.wait_for_url(re.compile(r".*/credit-lines/\d+/$"))
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Credit: P1")
    text = page.locator("main").inner_text()
    # The arithmetic: 50 % allocation of the 10,000.00 at-risk amount (10 % of 100,000.00).
    assert "10,000.00" in text
    assert "5,000.00" in text
    assert "minimum" in text
    # ...and down to the result that triggered it.
    triggering = page.get_by_role("table", name="Results that triggered the credit")
    triggering.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/results/\d+/$"))
    assert "50.0" in page.locator("main").inner_text()


def credit_net(scenario: Scenario, month: str) -> str:
    run = latest_run(scenario.contract)
    assert run is not None
    return str(CreditMonth.objects.get(run=run, month=month).net)
