"""Browser test: the buyer proposes a scope change, the provider signs it, the register shows it
(real Chromium)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accord.contracts.models import ChangeRequest, ChangeStatus, ScopeItem
from tests.changes.scenario import build_scenario
from tests.e2e.browsing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_scope_change_proposed_by_one_side_and_signed_by_the_other_updates_the_register(
    live_server: Any, new_page: Any
) -> None:
    scenario = build_scenario()
    base = live_server.url
    relationship = scenario.relationship

    buyer = new_page()
    sign_in(buyer, base, "b_manager")
    buyer.goto(f"{base}/relationships/{relationship.pk}/changes/")
    assert "No change requests yet" in buyer.locator("main").inner_text()
    buyer.get_by_role("link", name="Propose a change", exact=True).click()
    buyer.wait_for_url(re.compile(r".*/changes/add/$"))

    buyer.get_by_label(re.compile(r"^Title:?$")).fill("Year-end T4 reissue service")
    # The kind is chosen by keyboard; only its part of the form stays in view.
    buyer.get_by_label("Scope", exact=True).focus()
    buyer.keyboard.press("Space")
    assert buyer.get_by_label("Title once approved").is_visible()
    assert not buyer.get_by_label("Schedule once approved (YAML)").is_visible()
    buyer.get_by_label("Rationale").fill("Amended T4 slips are needed every February.")
    buyer.get_by_label("Status once approved").select_option("in_scope")
    buyer.get_by_label("Title once approved").fill("Year-end T4 reissue")
    buyer.get_by_label("Title once approved").press("Enter")  # the keyboard submits
    buyer.wait_for_url(re.compile(r".*/changes/\d+/$"))
    main = buyer.locator("main").inner_text()
    assert "CR-1 proposed." in main
    assert "awaiting the provider's signature" in main
    change_url = buyer.url

    provider = new_page()
    sign_in(provider, base, "p_manager")
    provider.goto(change_url)
    provider.get_by_role("button", name="Approve (sign for the provider)").click()
    provider.wait_for_load_state()
    assert "is approved and applied" in provider.locator("main").inner_text()
    change = ChangeRequest.objects.get()
    assert change.status == ChangeStatus.APPROVED

    provider.get_by_role("link", name="Scope item “Year-end T4 reissue”").click()
    provider.wait_for_url(re.compile(r".*/scope/\d+/$"))
    assert "CR-1" in provider.locator("main").inner_text()  # the clause it rests on
    provider.goto(f"{base}/relationships/{relationship.pk}/scope/")
    assert "Year-end T4 reissue" in provider.locator("main").inner_text()
    assert ScopeItem.objects.get(title="Year-end T4 reissue").status == "in_scope"
