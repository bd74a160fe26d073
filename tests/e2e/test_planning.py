"""The joint plan in the browser: both executives sign it, then an edit voids the
signatures (real Chromium, two people in separate browser contexts)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accord.core import signing
from accord.planning.models import PlanningCycle
from tests.e2e.browsing import sign_in
from tests.planning.scenario import build_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_both_executives_sign_the_plan_and_an_edit_voids_it(
    live_server: Any, new_page: Any
) -> None:
    scenario = build_scenario()
    scenario.objective()
    plan = scenario.refresh()
    base = live_server.url

    buyer = new_page()
    sign_in(buyer, base, "b_exec")
    buyer.goto(f"{base}/relationships/{scenario.relationship.pk}/plans/")
    buyer.get_by_role("link", name="Joint plan 2026").click()
    buyer.wait_for_url(re.compile(r".*/plans/\d+/$"))
    assert "Waiting for the buyer and the provider" in buyer.locator("#plan-state").inner_text()
    buyer.get_by_role("button", name=f"Sign version {plan.version} for the buyer").click()
    buyer.wait_for_load_state()
    assert "Waiting for the provider" in buyer.locator("#plan-state").inner_text()

    provider = new_page()
    sign_in(provider, base, "p_exec")
    provider.goto(f"{base}{plan.get_absolute_url()}")
    provider.get_by_role("button", name=f"Sign version {plan.version} for the provider").click()
    provider.wait_for_load_state()
    assert "the plan is in force" in provider.locator(".messages").inner_text()
    assert provider.locator("#plan-state").inner_text().startswith("In force")
    assert signing.is_cosigned(PlanningCycle.objects.get(pk=plan.pk))

    # The buyer's executive changes what the provider committed to: both must sign again.
    buyer.goto(f"{base}{plan.get_absolute_url()}")
    buyer.get_by_role("link", name="Edit the plan").click()
    buyer.get_by_label("What changed in the past year").fill("The core banking system moved.")
    buyer.get_by_role("button", name="Save the new version").click()
    buyer.wait_for_url(re.compile(r".*/plans/\d+/$"))

    provider.reload()
    state = provider.locator("#plan-state").inner_text()
    assert "Waiting for the buyer and the provider" in state
    revisions = provider.get_by_role("region", name="What changed since it was signed")
    text = revisions.inner_text()
    assert f"Version {plan.version} → {plan.version + 1}" in text
    assert "signatures voided for the buyer and the provider" in text
    assert "The core banking system moved." in text
    assert provider.get_by_role(
        "button", name=f"Sign version {plan.version + 1} for the provider"
    ).is_visible()
