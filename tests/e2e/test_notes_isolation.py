"""A buyer's private note never reaches the provider; a joint note does."""

from __future__ import annotations

from typing import Any

import pytest

from accord.parties.demo import DEMO_PASSWORD, load_demo
from accord.parties.models import Relationship
from tests.e2e.browsing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINISTRY_RELATIONSHIP = "Ministry payroll and HR services"
JOINT_NOTE = "Year-end payroll freeze dates"


def test_buyer_only_note_is_invisible_to_the_provider(live_server: Any, new_page: Any) -> None:
    load_demo()
    base = live_server.url
    title = "Buyer-only: our negotiating position"

    buyer = new_page()
    sign_in(buyer, base, "ministry.manager", DEMO_PASSWORD)
    buyer.get_by_role("link", name=MINISTRY_RELATIONSHIP).click()
    buyer.get_by_role("link", name="Add a note").first.click()
    buyer.get_by_label("Title").fill(title)
    buyer.get_by_label("Body").fill("We will ask for **earnback** on retro-pay accuracy.")
    buyer.get_by_label("Visibility").select_option("buyer")
    buyer.get_by_role("button", name="Add note").click()
    buyer.wait_for_selector("text=Note added.")
    assert buyer.locator("h1").inner_text().startswith(title)
    assert buyer.locator("article strong").inner_text() == "earnback"
    private_url = buyer.url

    provider = new_page()
    sign_in(provider, base, "northwind.lead", DEMO_PASSWORD)
    provider.get_by_role("link", name=MINISTRY_RELATIONSHIP).click()
    notes = provider.locator("#note-rows")
    assert JOINT_NOTE in notes.inner_text()
    assert title not in provider.content()

    # Going straight to the private note's address answers "not found".
    response = provider.goto(private_url)
    assert response is not None
    assert response.status == 404
    assert "Not found" in provider.locator("h1").inner_text()


def test_provider_of_two_buyers_sees_both_but_never_across(live_server: Any, new_page: Any) -> None:
    load_demo()
    base = live_server.url
    page = new_page()
    sign_in(page, base, "harbour.lead", DEMO_PASSWORD)
    portfolio = page.locator("table").inner_text()
    assert "Credit union contact centre (Harbour)" in portfolio
    assert "Northwind" not in portfolio
    other = Relationship.objects.get(name="Credit union contact centre (Northwind)")
    response = page.goto(f"{base}/relationships/{other.pk}/")
    assert response is not None
    assert response.status == 404
