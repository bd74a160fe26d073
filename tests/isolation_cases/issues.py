"""Isolation matrix cases of issues (see tests/isolation_matrix.py).

The world has an issue, an option and an event at every visibility of both
relationships (``R1.joint``, ``R1.buyer``, ``R1.provider``...), all open at
the relationship's one (operational) forum. Issues and options follow the
note rules (your side's and the joint ones; viewers only read); events are
computed history, read-only. Who may act differs from that default in two
places, written out here by hand:

* withdraw: only the side that raised the issue. The world's joint and
  buyer issues were raised by the buyer, its provider issues by the provider;
* reopen needs a closed issue and escalate a forum above: the cases' data
  functions first resolve the issue, or add a management committee to the
  relationship, so that the step is possible and only the person decides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.core.choices import Action
from accord.core.testing.expectations import NONE, SCOPED
from accord.core.testing.isolation import Case
from accord.core.testing.world import World
from accord.governance.models import Forum, Tier
from accord.issues.models import Issue, IssueEvent, IssueOption, IssueStatus

RAISED_BY = {"joint": "buyer", "buyer": "buyer", "provider": "provider"}
SIDE_OF_PERSONA = {"a": "buyer", "b": "buyer", "p": "provider"}


def raisers_side(persona: str) -> frozenset[str]:
    """Issues the persona may withdraw: those it may change, raised by its own side."""
    side = SIDE_OF_PERSONA.get(persona.split("_")[0])
    return frozenset(
        label
        for label in SCOPED[Action.CHANGE].get(persona, NONE)
        if RAISED_BY[label.split(".")[1]] == side
    )


def issue_of(world: World, label: str) -> Issue:
    return Issue.objects.get(pk=world.record("issue", label).pk)


def issue_count(world: World, label: str) -> int:
    return Issue.objects.count()


def option_count(world: World, label: str) -> int:
    return IssueOption.objects.count()


def issue_state(world: World, label: str) -> Any:
    issue = issue_of(world, label)
    return (
        issue.title, issue.status, issue.forum_id, issue.agreed_solution,
        IssueOption.objects.filter(issue=issue).count(),
        IssueEvent.objects.filter(issue=issue).count(),
    )  # fmt: skip


def raise_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "title": f"Raised by {persona}", "description": "Late files.", "category": "data",
        "severity": "medium", "visibility": label.split(".")[1],
    }  # fmt: skip


def raise_body(world: World, label: str, persona: str) -> dict[str, Any]:
    rel = world.relationships[label.split(".")[0]]
    return {"relationship": rel.pk, **raise_form(world, label, persona)}


def edit_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"title": f"Edited by {persona}", "description": "Late files.", "category": "data",
            "severity": "medium"}  # fmt: skip


def with_committee(make: Callable[[str], dict[str, Any]]) -> Any:
    """Data for an escalation: the relationship gets a management committee to go to."""

    def data(world: World, label: str, persona: str) -> dict[str, Any]:
        relationship = world.relationships[label.split(".")[0]]
        Forum.objects.get_or_create(
            relationship=relationship,
            name=f"{label.split('.')[0]} committee",
            defaults={"tier": Tier.MANAGEMENT},
        )
        return make(persona)

    return data


def resolved_first(make: Callable[[str], dict[str, Any]]) -> Any:
    """Data for a reopening: the issue is resolved first."""

    def data(world: World, label: str, persona: str) -> dict[str, Any]:
        Issue.objects.filter(pk=world.record("issue", label).pk).update(
            status=IssueStatus.RESOLVED, agreed_solution="Agreed."
        )
        return make(persona)

    return data


def pk_of(world: World, label: str) -> dict[str, Any]:
    return {"pk": world.record("issue", label).pk}


def option_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"issue": world.record("issue", label).pk, "text": f"Option by {persona}"}


CHANGE = Action.CHANGE

PAGES: list[Case] = [
    Case("issue_list", kind="relationship", shows="issue"),
    Case("issue_add", kind="relationship", action=Action.ADD),
    Case("issue_add", kind="issue", parent=True, action=Action.ADD, method="post", ok=302,
         data=raise_form, state=issue_count),
    Case("issue_detail", kind="issue", shows="issue_option"),
    Case("issue_detail", kind="issue", shows="issue_event"),
    Case("issue_edit", kind="issue", action=CHANGE),
    Case("issue_edit", kind="issue", action=CHANGE, method="post", ok=302, data=edit_form,
         state=issue_state),
    Case("issue_option_add", kind="issue", action=Action.ADD),
    Case("issue_option_add", kind="issue", action=Action.ADD, method="post", ok=302,
         data=lambda w, label, persona: {"text": f"Option by {persona}"}, state=issue_state),
    Case("issue_resolve", kind="issue", action=CHANGE),
    Case("issue_resolve", kind="issue", action=CHANGE, method="post", ok=302,
         data=lambda w, label, persona: {"agreed_solution": f"Agreed by {persona}"},
         state=issue_state),
    Case("issue_escalate", kind="issue", action=CHANGE),
    Case("issue_escalate", kind="issue", action=CHANGE, method="post", ok=302,
         data=with_committee(lambda persona: {"escalate-reason": f"Asked by {persona}"}),
         state=issue_state),
    Case("issue_withdraw", kind="issue", action=CHANGE, allowed=raisers_side),
    Case("issue_withdraw", kind="issue", action=CHANGE, method="post", ok=302,
         allowed=raisers_side, data=lambda w, label, persona: {"withdraw-reason": persona},
         state=issue_state),
    Case("issue_reopen", kind="issue", action=CHANGE,
         data=resolved_first(lambda persona: {})),
    Case("issue_reopen", kind="issue", action=CHANGE, method="post", ok=302,
         data=resolved_first(lambda persona: {"reopen-reason": f"Reopened by {persona}"}),
         state=issue_state),
    Case("issue_audit", kind="issue", shows="audit:issue"),
]  # fmt: skip

API: list[Case] = [
    Case("api:issue-list", api=True, shows="issue"),
    Case("api:issue-list", api=True, kind="issue", parent=True, action=Action.ADD,
         method="post", ok=201, url=lambda w, label: {}, data=raise_body, state=issue_count),
    Case("api:issue-detail", api=True, kind="issue"),
    Case("api:issue-detail", api=True, kind="issue", action=CHANGE, method="patch",
         data=lambda w, label, persona: {"title": f"Patched by {persona}"}, state=issue_state),
    Case("api:issue-escalate", api=True, kind="issue", action=CHANGE, method="post", url=pk_of,
         data=with_committee(lambda persona: {"reason": f"Asked by {persona}"}),
         state=issue_state),
    Case("api:issue-resolve", api=True, kind="issue", action=CHANGE, method="post", url=pk_of,
         data=lambda w, label, persona: {"agreed_solution": f"Agreed by {persona}"},
         state=issue_state),
    Case("api:issue-withdraw", api=True, kind="issue", action=CHANGE, method="post", url=pk_of,
         allowed=raisers_side, data=lambda w, label, persona: {"reason": persona},
         state=issue_state),
    Case("api:issue-reopen", api=True, kind="issue", action=CHANGE, method="post", url=pk_of,
         data=resolved_first(lambda persona: {"reason": f"Reopened by {persona}"}),
         state=issue_state),
    Case("api:issue-option-list", api=True, shows="issue_option"),
    Case("api:issue-option-list", api=True, kind="issue", action=Action.ADD, method="post",
         ok=201, url=lambda w, label: {}, data=option_body, state=option_count),
    Case("api:issue-option-detail", api=True, kind="issue_option"),
    Case("api:issue-event-list", api=True, shows="issue_event"),
    Case("api:issue-event-detail", api=True, kind="issue_event"),
]  # fmt: skip

CASES: list[Case] = [*PAGES, *API]
