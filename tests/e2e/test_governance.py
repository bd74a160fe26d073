"""Governance in the browser: record who was at a meeting and an action by keyboard, then
the action waits in its owner's "Needs my attention" (real Chromium)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from accord.governance import services
from accord.governance.models import ActionItem, ActionStatus, Attendance
from tests.e2e.browsing import sign_in
from tests.governance.scenario import build_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_attendance_and_an_action_by_keyboard_reach_the_owner_s_inbox(
    live_server: Any, new_page: Any
) -> None:
    scenario = build_scenario()
    forum = scenario.forum(name="Service review")
    for person in ("bank_manager", "tide_lead"):
        services.forum_member_add(forum=forum, person=scenario[person], actor=scenario["bank_exec"])
    meeting = scenario.past_meeting(forum, minutes=60)
    base = live_server.url

    chair = new_page()
    sign_in(chair, base, "bank_manager")
    chair.goto(f"{base}{meeting.get_absolute_url()}")
    assert "Not recorded yet." in chair.locator("main").inner_text()
    chair.get_by_role("link", name="Record who was there").focus()
    chair.keyboard.press("Enter")
    chair.wait_for_url(re.compile(r".*/attendance/$"))
    # The forum's members start ticked; untick one and tick the provider's executive.
    chair.get_by_label("Tide Lead (provider, manager)").focus()
    chair.keyboard.press("Space")
    chair.get_by_label("Tide Exec (provider, executive)").focus()
    chair.keyboard.press("Space")
    chair.get_by_role("button", name="Save the attendance").focus()
    chair.keyboard.press("Enter")
    chair.wait_for_url(re.compile(rf".*/meetings/{meeting.pk}/$"))
    main = chair.locator("main").inner_text()
    assert "Attendance saved: 2 present." in main
    assert "Absent: Tide Lead (manager)" in main

    chair.get_by_role("link", name="Add an action").focus()
    chair.keyboard.press("Enter")
    chair.wait_for_url(re.compile(r".*/actions/add/\?meeting=\d+$"))
    chair.get_by_label("Action").focus()
    chair.keyboard.type("Send the evening staffing plan")
    chair.get_by_label("Owner").select_option(label="Tide Lead (provider, manager)")
    # Due in two weeks: not yet due, so only its notification counts in the menu.
    chair.get_by_label("Due").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    chair.get_by_label("Note").focus()
    chair.keyboard.type("Before the December review.")
    chair.keyboard.press("Tab")  # to the submit button
    chair.keyboard.press("Enter")
    chair.wait_for_url(re.compile(rf".*/meetings/{meeting.pk}/$"))
    assert "Action added for Tide Lead." in chair.locator("main").inner_text()

    attendance = {a.person.username: (a.side, a.level, a.present) for a in Attendance.objects.all()}
    assert attendance == {
        "bank_manager": ("buyer", "manager", True),
        "tide_exec": ("provider", "executive", True),
        "tide_lead": ("provider", "manager", False),
    }

    owner = new_page()
    sign_in(owner, base, "tide_lead")
    assert owner.locator(".nav-count").inner_text().startswith("1")
    owner.get_by_role("link", name=re.compile("Needs my attention")).focus()
    owner.keyboard.press("Enter")
    owner.wait_for_url(re.compile(r".*/attention/$"))
    actions = owner.locator("section", has=owner.get_by_role("heading", name=re.compile("My open")))
    assert "Send the evening staffing plan" in actions.inner_text()
    notes = owner.locator("section", has=owner.get_by_role("heading", name=re.compile("notific")))
    assert "Action for you: Send the evening staffing plan" in notes.inner_text()
    owner.get_by_role("button", name="Mark “Send the evening staffing plan” done").focus()
    with owner.expect_navigation():  # back to the same page, after the POST
        owner.keyboard.press("Enter")
    assert "is done." in owner.locator(".messages").inner_text()
    assert "No open actions assigned to you." in owner.locator("main").inner_text()
    assert ActionItem.objects.get().status == ActionStatus.DONE
