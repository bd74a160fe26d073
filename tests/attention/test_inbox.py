""" "Needs my attention" under the visibility rule: actions, signatures, issues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accord.attention.inbox import attention_count, inbox_for, issues_waiting, signatures_requested
from accord.core import signing
from accord.core.choices import EXECUTIVE_ROLES
from accord.core.testing import partnership_factories as xf
from accord.core.testing import performance_factories as pf
from accord.governance import services
from accord.issues.models import IssueStatus
from tests.governance.scenario import Scenario

pytestmark = pytest.mark.django_db


def titles(rows: list[object], attr: str = "record") -> set[str]:
    return {str(getattr(row, attr)) for row in rows}


def test_my_open_actions_overdue_first_and_never_anyone_else_s(scenario: Scenario) -> None:
    today = timezone.localdate()
    for title, owner, days in (
        ("Soon", "tide_exec", 4),
        ("Late", "tide_exec", -2),
        ("Today", "tide_exec", 0),
        ("Someone else's", "tide_lead", -5),
    ):
        services.action_add(
            relationship=scenario.rel,
            title=title,
            owner=scenario[owner],
            due_date=today + dt.timedelta(days=days),
            actor=scenario["bank_manager"],
        )
    # The provider serves another buyer too: its action there is in the same inbox.
    services.action_add(
        relationship=scenario.other,
        title="Ridge report",
        owner=scenario["tide_exec"],
        due_date=today + dt.timedelta(days=1),
        actor=scenario["ridge_manager"],
    )
    done = services.action_add(
        relationship=scenario.rel,
        title="Finished",
        owner=scenario["tide_exec"],
        due_date=today - dt.timedelta(days=9),
        actor=scenario["bank_manager"],
    )
    services.action_complete(action=done, actor=scenario["tide_exec"])
    inbox = inbox_for(scenario["tide_exec"])
    assert [row.action.title for row in inbox.actions] == [
        "Late", "Today", "Ridge report", "Soon",
    ]  # fmt: skip
    assert [row.overdue for row in inbox.actions] == [True, False, False, False]
    assert inbox.actions[1].due_today
    assert inbox.overdue == 1
    # The menu's count: five unread notifications (five actions given to them) and two
    # actions due today or before.
    assert attention_count(scenario["tide_exec"]) == 5 + 2
    # The other buyer's manager sees nothing of the first relationship.
    assert [row.action.title for row in inbox_for(scenario["ridge_manager"]).actions] == []


def test_signatures_my_side_owes_where_i_may_sign(scenario: Scenario) -> None:
    plan = xf.PlanningCycleFactory(relationship=scenario.rel, title="Joint plan 2027", year=2027)
    change = xf.ChangeRequestFactory(contract=scenario.contract, title="Weekend cover")
    excusal = pf.ExcusalFactory(contract=scenario.contract)
    reviewed = xf.PlanningCycleFactory(
        relationship=scenario.rel, title="Joint plan 2025", year=2025, reviewed_at=timezone.now()
    )
    declined = xf.ChangeRequestFactory(contract=scenario.contract, status="declined")
    everything = {str(plan), str(change), str(excusal)}
    assert titles(signatures_requested(scenario["bank_exec"])) == everything
    assert titles(signatures_requested(scenario["tide_exec"])) == everything
    # Managers sign change requests and excusals, not the executives' plan.
    assert titles(signatures_requested(scenario["bank_manager"])) == {str(change), str(excusal)}
    assert signatures_requested(scenario["bank_viewer"]) == []
    assert signatures_requested(scenario["ridge_manager"]) == []
    assert str(reviewed) not in everything
    assert str(declined) not in everything

    signing.sign(plan, actor=scenario["bank_exec"], roles=EXECUTIVE_ROLES)
    signing.sign(change, actor=scenario["tide_lead"])
    assert titles(signatures_requested(scenario["bank_exec"])) == {str(change), str(excusal)}
    provider = {str(r.record): r for r in signatures_requested(scenario["tide_exec"])}
    assert set(provider) == {str(plan), str(excusal)}
    assert provider[str(plan)].other_side_signed
    # An edit bumps the version: the buyer's signature no longer counts.
    plan.version += 1
    plan.save()
    assert str(plan) in titles(signatures_requested(scenario["bank_exec"]))


def test_issues_waiting_for_me_follow_the_visibility_rule(scenario: Scenario) -> None:
    forum = scenario.forum()
    services.forum_member_add(
        forum=forum, person=scenario["tide_viewer"], actor=scenario["bank_exec"]
    )
    joint = xf.IssueFactory(relationship=scenario.rel, title="Late files", forum=forum)
    buyer_only = xf.IssueFactory(
        relationship=scenario.rel, title="Our concern", visibility="buyer", forum=forum
    )
    answered = xf.IssueFactory(
        relationship=scenario.rel, title="Provider answered", provider_position="We need X."
    )
    xf.IssueFactory(
        relationship=scenario.rel, title="Settled", status=IssueStatus.RESOLVED, forum=forum
    )
    xf.IssueFactory(relationship=scenario.other, title="Ridge's issue")

    def waiting(username: str) -> set[str]:
        return {row.issue.title for row in issues_waiting(scenario[username])[0]}

    # A viewer who sits on the forum: what reaches the forum and they may see.
    assert waiting("tide_viewer") == {"Late files"}
    # The provider's manager: issues where the provider's position is empty.
    assert waiting("tide_lead") == {"Late files"}
    # The buyer's manager: the private buyer issue too, and the one the provider answered.
    assert waiting("bank_manager") == {"Late files", "Our concern", "Provider answered"}
    assert waiting("bank_viewer") == set()
    # Serving two buyers: each relationship's issues reach only its own people.
    assert waiting("tide_exec") == {"Late files", "Ridge's issue"}
    assert waiting("ridge_manager") == {"Ridge's issue"}
    [row] = issues_waiting(scenario["tide_viewer"])[0]
    assert row.reasons == [f"at {forum}, where you sit", "the provider's position is still empty"]
    assert buyer_only.pk
    assert answered.pk
    assert joint.pk
