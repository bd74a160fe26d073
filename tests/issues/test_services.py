"""The issue services: raising, each side's voice, stages, options, resolving, escalating,
withdrawing, reopening, sharing a private issue; atomic, validated and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from accord.attention.models import Notification, NotificationKind
from accord.core.choices import Visibility
from accord.core.models import AuditEntry
from accord.governance.models import Tier
from accord.issues import services
from accord.issues.models import EventKind, Issue, IssueEvent, IssueOption, IssueStatus
from tests.issues.scenario import Scenario, ago, build_scenario


def kinds(issue: Issue) -> list[str]:
    return list(
        IssueEvent.objects.filter(issue=issue).order_by("at", "pk").values_list("kind", flat=True)
    )


def test_raising_starts_at_the_bottom_forum_and_tells_its_members(scenario: Scenario) -> None:
    issue = scenario.raise_issue(who="p_manager", services_affected=scenario.scope[:1])
    assert issue.raised_by_side == "provider"
    assert issue.status == IssueStatus.RAISED
    assert issue.forum == scenario.forums[Tier.OPERATIONAL]
    assert list(issue.services_affected.all()) == scenario.scope[:1]
    event = IssueEvent.objects.get(issue=issue)
    assert (event.kind, event.actor, event.to_forum) == (
        EventKind.RAISED, scenario.people["p_manager"], issue.forum,
    )  # fmt: skip
    told = Notification.objects.filter(kind=NotificationKind.ISSUE_RAISED)
    # The operational review's members, the raiser excepted.
    assert sorted(n.recipient.username for n in told) == ["b_manager", "p_contributor"]
    assert AuditEntry.objects.filter(object_type="issues.issue", object_id=str(issue.pk)).exists()


def test_a_side_may_keep_an_issue_to_itself_but_not_to_the_other_side(scenario: Scenario) -> None:
    private = scenario.raise_issue(who="b_manager", visibility=Visibility.BUYER)
    assert private.visibility == Visibility.BUYER
    told = {n.recipient.username for n in Notification.objects.filter(object_id=str(private.pk))}
    assert told == set()  # the only buyer on the operational review is the raiser
    with pytest.raises(ValidationError) as error:
        scenario.raise_issue(who="b_manager", visibility=Visibility.PROVIDER)
    assert "visibility" in error.value.message_dict


def test_who_may_raise(scenario: Scenario) -> None:
    with pytest.raises(PermissionDenied):
        scenario.raise_issue(who="b_viewer")
    with pytest.raises(Http404):
        scenario.raise_issue(who="outsider")
    assert not Issue.objects.exists()


def test_services_affected_come_from_this_relationships_scope(scenario: Scenario) -> None:
    with pytest.raises(ValidationError) as error:
        scenario.raise_issue(services_affected=[scenario.other_scope])
    assert "services_affected" in error.value.message_dict
    assert not Issue.objects.exists()  # nothing half-written


def test_without_forums_the_issue_waits_with_no_clock(db: None) -> None:
    bare = build_scenario(forums=False)
    issue = bare.raise_issue()
    assert issue.forum is None
    assert issue.due_at is None


def test_each_side_writes_its_own_position_and_the_stage_moves(scenario: Scenario) -> None:
    issue = scenario.raise_issue(who="b_manager")
    buyer, provider = scenario.people["b_manager"], scenario.people["p_contributor"]

    with pytest.raises(ValidationError) as error:
        services.issue_update(issue=issue, actor=buyer, provider_position="Their view")
    assert "provider_position" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.issue_update(issue=issue, actor=provider, buyer_interests="Our guess")

    services.issue_update(issue=issue, actor=buyer, buyer_position="Files by the 25th",
                          buyer_interests="Month-end close")  # fmt: skip
    issue.refresh_from_db()
    assert issue.status == IssueStatus.EXPLORING
    services.issue_update(issue=issue, actor=provider, provider_position="By the 27th",
                          provider_interests="Our batch window", shared_interests="On-time pay",
                          contract_letter_cited=True)  # fmt: skip
    issue.refresh_from_db()
    assert issue.provider_interests == "Our batch window"
    assert issue.contract_letter_cited
    assert kinds(issue) == ["raised", "updated", "stage", "updated"]
    stage = IssueEvent.objects.get(issue=issue, kind=EventKind.STAGE)
    assert stage.note == "Raised → Exploring interests"

    option = services.option_add(issue=issue, text="Cut-off on the 26th", actor=provider)
    assert option.proposed_by_side == "provider"
    assert option.visibility == issue.visibility
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPTIONS
    # Writing more interests never moves it back.
    services.issue_update(issue=issue, actor=buyer, shared_interests="On-time pay, no overtime")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPTIONS


def test_nothing_changed_records_nothing(scenario: Scenario) -> None:
    issue = scenario.raise_issue()
    services.issue_update(issue=issue, actor=scenario.people["b_manager"], title=issue.title)
    assert kinds(issue) == ["raised"]


def test_a_viewer_may_not_write(scenario: Scenario) -> None:
    issue = scenario.raise_issue()
    with pytest.raises(PermissionDenied):
        services.issue_update(issue=issue, actor=scenario.people["b_viewer"], buyer_position="x")
    with pytest.raises(PermissionDenied):
        services.option_add(issue=issue, text="x", actor=scenario.people["b_viewer"])


def test_a_severity_change_rereads_the_clock_from_the_forums_start(scenario: Scenario) -> None:
    raised = ago(hours=2)
    issue = scenario.raise_issue(severity="low", at=raised)
    services.issue_update(issue=issue, actor=scenario.people["b_manager"], severity="critical")
    issue.refresh_from_db()
    assert issue.due_at == raised + dt.timedelta(days=2)


def test_resolving_needs_a_solution_or_a_chosen_option(scenario: Scenario) -> None:
    issue = scenario.raise_issue()
    actor = scenario.people["p_manager"]
    with pytest.raises(ValidationError) as error:
        services.issue_resolve(issue=issue, agreed_solution="  ", actor=actor)
    assert "agreed_solution" in error.value.message_dict
    first = services.option_add(issue=issue, text="Cut-off on the 26th", actor=actor)
    second = services.option_add(issue=issue, text="Two files", actor=scenario.people["b_manager"])
    other = scenario.raise_issue(title="Another")
    foreign = services.option_add(issue=other, text="Elsewhere", actor=actor)
    with pytest.raises(ValidationError) as error:
        services.issue_resolve(issue=issue, chosen_option=foreign, actor=actor)
    assert "chosen_option" in error.value.message_dict
    Notification.objects.all().delete()

    services.issue_resolve(issue=issue, chosen_option=second.pk, actor=actor)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RESOLVED
    assert issue.agreed_solution == "Two files"  # the chosen option's words
    assert issue.resolved_at is not None
    assert list(IssueOption.objects.filter(chosen=True)) == [second]
    assert not IssueOption.objects.get(pk=first.pk).chosen
    assert kinds(issue)[-1] == EventKind.RESOLVED
    told = {n.recipient.username for n in Notification.objects.filter(kind="issue_resolved")}
    assert told == {"b_manager", "p_contributor"}  # the forum and the raiser, not the actor

    with pytest.raises(ValidationError):
        services.issue_update(issue=issue, actor=actor, title="Changed after")


def test_manual_escalation_needs_a_reason_and_a_rung_above(scenario: Scenario) -> None:
    issue = scenario.raise_issue()
    actor = scenario.people["p_manager"]
    with pytest.raises(ValidationError) as error:
        services.issue_escalate(issue=issue, reason="", actor=actor)
    assert "reason" in error.value.message_dict
    services.issue_escalate(issue=issue, reason="Needs the committee", actor=actor)
    issue.refresh_from_db()
    assert issue.forum == scenario.forums[Tier.MANAGEMENT]
    event = IssueEvent.objects.get(issue=issue, kind=EventKind.ESCALATED)
    assert not event.automatic
    assert event.actor == actor
    assert event.note == "Needs the committee"
    services.issue_escalate(issue=issue, reason="Executives", actor=actor)
    with pytest.raises(ValidationError):
        services.issue_escalate(issue=issue, reason="Higher still", actor=actor)
    with pytest.raises(PermissionDenied):
        services.issue_escalate(issue=issue, reason="x", actor=scenario.people["b_viewer"])


def test_only_the_raisers_side_withdraws(scenario: Scenario) -> None:
    issue = scenario.raise_issue(who="b_manager")
    with pytest.raises(PermissionDenied):
        services.issue_withdraw(issue=issue, actor=scenario.people["p_manager"])
    services.issue_withdraw(issue=issue, reason="Our mistake", actor=scenario.people["b_exec"])
    issue.refresh_from_db()
    assert issue.status == IssueStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.issue_withdraw(issue=issue, actor=scenario.people["b_exec"])
    # Reopening a withdrawn issue is the raiser's side's too.
    with pytest.raises(PermissionDenied):
        services.issue_reopen(issue=issue, reason="x", actor=scenario.people["p_manager"])


def test_reopening_restarts_the_clock_where_the_negotiation_stood(scenario: Scenario) -> None:
    issue = scenario.raise_issue()
    actor = scenario.people["b_manager"]
    option = services.option_add(issue=issue, text="Option", actor=actor)
    services.issue_resolve(issue=issue, chosen_option=option, actor=actor)
    with pytest.raises(ValidationError) as error:
        services.issue_reopen(issue=issue, reason="", actor=actor)
    assert "reason" in error.value.message_dict
    services.issue_reopen(
        issue=issue, reason="It happened again", actor=scenario.people["p_manager"]
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPTIONS
    assert issue.agreed_solution == ""
    assert issue.resolved_at is None
    assert not IssueOption.objects.filter(chosen=True).exists()
    assert issue.due_at is not None
    resolved = IssueEvent.objects.get(issue=issue, kind=EventKind.RESOLVED)
    assert "Option" in resolved.note  # the earlier solution stays in the history
    with pytest.raises(ValidationError):
        services.issue_reopen(issue=issue, reason="again", actor=actor)


def test_sharing_a_private_issue_takes_its_options_and_history_along(scenario: Scenario) -> None:
    issue = scenario.raise_issue(who="p_manager", visibility=Visibility.PROVIDER)
    services.option_add(issue=issue, text="Internal idea", actor=scenario.people["p_manager"])
    with pytest.raises(Http404):  # the buyer cannot even find it
        services.issue_update(issue=issue, actor=scenario.people["b_manager"], title="x")
    services.issue_update(issue=issue, actor=scenario.people["p_exec"], visibility=Visibility.JOINT)
    issue.refresh_from_db()
    assert issue.visibility == Visibility.JOINT
    assert set(IssueOption.objects.values_list("visibility", flat=True)) == {"joint"}
    assert set(IssueEvent.objects.values_list("visibility", flat=True)) == {"joint"}
    # A joint issue never becomes private again.
    with pytest.raises(ValidationError) as error:
        services.issue_update(
            issue=issue, actor=scenario.people["p_exec"], visibility=Visibility.PROVIDER
        )
    assert "visibility" in error.value.message_dict


def test_a_step_cannot_be_dated_in_the_future(scenario: Scenario) -> None:
    with pytest.raises(ValidationError) as error:
        scenario.raise_issue(at=timezone.now() + dt.timedelta(days=1))
    assert "at" in error.value.message_dict


def test_actions_for_the_page(scenario: Scenario) -> None:
    issue = scenario.raise_issue(who="b_manager")
    buyer = services.issue_actions(issue, scenario.people["b_manager"])
    provider = services.issue_actions(issue, scenario.people["p_manager"])
    viewer = services.issue_actions(issue, scenario.people["b_viewer"])
    assert buyer == {"edit": True, "add_option": True, "resolve": True, "escalate": True,
                     "withdraw": True, "reopen": False}  # fmt: skip
    assert provider["withdraw"] is False
    assert provider["escalate"] is True
    assert not any(viewer.values())
