"""Issues worked by interest-based negotiation: every write, with its rules.

The rules, in one place:

* Either side raises an issue (a role that adds records of the chosen
  visibility): joint, or private to the raiser's side while it prepares.
  It starts at the relationship's lowest-tier forum with the clock running
  (:mod:`accord.issues.clock`); that forum's members are told.
* Each side writes its own position and the interests behind it: the buyer
  ``buyer_position``/``buyer_interests``, the provider the provider's.
  Either side writes the shared interests and whether the contract's letter
  was cited. A private issue may be shared (made joint) by its side; a joint
  issue never becomes private again (the other side's words are in it).
* Stages move forward by themselves: ``raised`` → ``exploring`` when a
  position or interest is written → ``options`` when an option exists.
* Resolving needs the agreed solution: its text, or a chosen option whose
  text becomes it. Anyone who may change the issue resolves or escalates
  it; only the raiser's side withdraws it; reopening a withdrawn issue is
  the raiser's side's too.
* Every step is an :class:`~accord.issues.models.IssueEvent`; options and
  events have the issue's visibility. Every write is atomic, validated and
  audited; ``at`` back-dates a step (imports and the demo), never past now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.attention.models import NotificationKind
from accord.attention.notify import notify
from accord.contracts.models import ScopeItem
from accord.core.choices import Action, Side, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import ensure_still_permitted, get_for
from accord.core.visibility import can
from accord.issues import clock
from accord.issues.models import (
    OPEN_STATUSES,
    EventKind,
    Issue,
    IssueEvent,
    IssueOption,
    IssueStatus,
)
from accord.parties.models import Relationship

# What each side writes in its own voice.
SIDE_FIELDS = {
    Side.BUYER: ("buyer_position", "buyer_interests"),
    Side.PROVIDER: ("provider_position", "provider_interests"),
}
# Writing any of these means the sides are exploring interests.
INTEREST_FIELDS = (
    "buyer_position", "buyer_interests", "provider_position", "provider_interests",
    "shared_interests",
)  # fmt: skip
TEXT_FIELDS = ("title", "description", *INTEREST_FIELDS)
EDITABLE = (
    "title", "description", "category", "severity", "services_affected", "visibility",
    *INTEREST_FIELDS, "contract_letter_cited",
)  # fmt: skip
FIELD_LABELS = {
    "title": "title", "description": "description", "category": "category",
    "severity": "severity", "services_affected": "services affected",
    "visibility": "visibility", "buyer_position": "the buyer's position",
    "buyer_interests": "the buyer's interests", "provider_position": "the provider's position",
    "provider_interests": "the provider's interests", "shared_interests": "shared interests",
    "contract_letter_cited": "contract's letter cited",
}  # fmt: skip


# --------------------------------------------------------------------------- helpers


def _when(at: dt.datetime | None) -> dt.datetime:
    """The moment of a step: now, or a past moment given by an import or the demo."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValidationError({"at": "Give the moment with its time zone."})
    if at > now + dt.timedelta(minutes=1):
        raise ValidationError({"at": "A step of an issue cannot be in the future."})
    return at


def _side(actor: Any, relationship: Relationship) -> str:
    side = relationship.side_of(actor)
    if side is None:
        raise PermissionDenied("You act for neither side of this relationship.")
    return side


def _locked(issue: Issue, actor: Any, action: str = Action.CHANGE) -> Issue:
    """The issue the actor may ``action``, re-read under a row lock (one step at a time)."""
    found = get_for(actor, Issue, action, pk=issue.pk)
    return (
        Issue.objects.select_for_update(of=("self",))
        .select_related("relationship", "forum")
        .get(pk=found.pk)
    )


def _require_open(issue: Issue, what: str) -> None:
    if issue.status not in OPEN_STATUSES:
        raise ValidationError(
            f"This issue is {issue.get_status_display().lower()}: reopen it to {what}."
        )


def _event(
    issue: Issue,
    kind: str,
    at: dt.datetime,
    actor: Any,
    note: str = "",
    *,
    from_forum: Any = None,
    to_forum: Any = None,
    automatic: bool = False,
) -> IssueEvent:
    """One step of the issue's history, at the issue's visibility."""
    return IssueEvent.objects.create(
        issue=issue,
        relationship_id=issue.relationship_id,
        visibility=issue.visibility,
        kind=kind,
        at=at,
        actor=actor,
        automatic=automatic,
        from_forum=from_forum,
        to_forum=to_forum,
        note=note,
    )


def _stage(issue: Issue, status: str, at: dt.datetime, actor: Any) -> None:
    """Move the issue forward to ``status`` (never back) and record the step."""
    order: list[str] = [IssueStatus.RAISED, IssueStatus.EXPLORING, IssueStatus.OPTIONS]
    if issue.status not in order or order.index(status) <= order.index(issue.status):
        return
    before = issue.get_status_display()
    issue.status = status
    issue.save(update_fields=["status", "updated_at"])
    _event(issue, EventKind.STAGE, at, actor, f"{before} → {issue.get_status_display()}")


def _scope_items(actor: Any, relationship: Relationship, items: Iterable[Any]) -> list[ScopeItem]:
    """The scope items named, each one of this relationship's that the actor may see."""
    wanted = {getattr(item, "pk", item) for item in items}
    found = list(ScopeItem.objects.restrict(actor).filter(relationship=relationship, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError(
            {"services_affected": "Choose services from this relationship's scope register."}
        )
    return found


def _clean_text(fields: dict[str, Any]) -> dict[str, Any]:
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    return fields


def _tell_forum(issue: Issue, kind: str, title: str, body: str, actor: Any) -> None:
    """Tell the members of the issue's forum (and its raiser), never the actor.

    :func:`notify` only tells people who may see the issue: a private issue
    reaches its own side only.
    """
    recipients = clock.forum_members(issue.forum) if issue.forum is not None else []
    if issue.created_by is not None:
        recipients.append(issue.created_by)
    notify(recipients, about=issue, kind=kind, title=title, body=body, exclude=actor)


# --------------------------------------------------------------------------- raise


def issue_raise(
    *,
    relationship: Relationship,
    title: str,
    description: str,
    category: str,
    severity: str,
    visibility: str = Visibility.JOINT,
    services_affected: Iterable[Any] = (),
    contract_letter_cited: bool = False,
    actor: Any,
    at: dt.datetime | None = None,
) -> Issue:
    """Raise an issue for the actor's side; it starts at the lowest-tier forum, clock running.

    ``visibility``: joint (worked with the other side) or the raiser's own
    side (prepared internally first, shared later with :func:`issue_update`).
    """
    relationship = get_for(actor, Relationship, pk=relationship.pk)
    side = _side(actor, relationship)
    if visibility not in (Visibility.JOINT, side):
        raise ValidationError(
            {"visibility": "Raise it jointly or keep it to your own side for now."}
        )
    if not can(actor, Action.ADD, relationship, visibility):
        raise PermissionDenied("Your role does not allow raising issues here.")
    raised_at = _when(at)
    fields = _clean_text({"title": title, "description": description})
    items = _scope_items(actor, relationship, services_affected)
    with transaction.atomic(), acting_as(actor):
        forum = clock.first_forum(relationship.pk)
        issue = Issue(
            relationship=relationship,
            visibility=visibility,
            category=category,
            severity=severity,
            raised_by_side=side,
            raised_at=raised_at,
            status=IssueStatus.RAISED,
            contract_letter_cited=bool(contract_letter_cited),
            forum=forum,
            created_by=actor,
            **fields,
        )
        issue.full_clean()
        if forum is not None:
            issue.due_at = clock.due_at(issue, forum, raised_at)
        issue.save()
        issue.services_affected.set(items)
        where = f"at {forum}" if forum else "with no forum yet (the clock starts with one)"
        _event(issue, EventKind.RAISED, raised_at, actor, f"Raised by the {side} {where}.",
               to_forum=forum)  # fmt: skip
        _tell_forum(
            issue,
            NotificationKind.ISSUE_RAISED,
            f"Issue raised ({issue.get_severity_display().lower()}): {issue.title}",
            f"The {side} raised “{issue.title}” at {forum or 'the relationship'}.",
            actor,
        )
    return issue


# --------------------------------------------------------------------------- update


def _check_side_fields(issue: Issue, side: str, changes: dict[str, Any]) -> None:
    other = Side.PROVIDER if side == Side.BUYER else Side.BUYER
    errors = {
        name: f"Only the {other} writes its own position and interests."
        for name in SIDE_FIELDS[other]
        if name in changes and changes[name] != getattr(issue, name)
    }
    if errors:
        raise ValidationError(errors)


def _check_visibility(issue: Issue, side: str, changes: dict[str, Any]) -> None:
    wanted = changes.get("visibility", issue.visibility)
    if wanted == issue.visibility:
        changes.pop("visibility", None)
        return
    if issue.visibility != side or wanted != Visibility.JOINT:
        raise ValidationError(
            {
                "visibility": "A private issue may be shared with the other side; "
                "a joint issue stays joint."
            }  # fmt: skip
        )


def issue_update(
    *, issue: Issue, actor: Any, at: dt.datetime | None = None, **changes: Any
) -> Issue:
    """Write to an open issue: the actor's side's position and interests, shared interests,
    whether the contract's letter was cited, the facts of the issue, or share a private one.

    A severity change restarts nothing but re-reads the clock from the current
    forum's start. Writing a position or interest moves a raised issue to
    ``exploring``. Nothing changed, nothing recorded.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    when = _when(at)
    changes = _clean_text(dict(changes))
    with transaction.atomic(), acting_as(actor):
        issue = _locked(issue, actor)
        side = _side(actor, issue.relationship)
        _require_open(issue, "change it")
        _check_side_fields(issue, side, changes)
        _check_visibility(issue, side, changes)
        items = changes.pop("services_affected", None)
        changed = []
        for name, value in changes.items():
            if getattr(issue, name) != value:
                setattr(issue, name, value)
                changed.append(name)
        if items is not None:
            chosen = _scope_items(actor, issue.relationship, items)
            if {i.pk for i in chosen} != set(issue.services_affected.values_list("pk", flat=True)):
                issue.services_affected.set(chosen)
                changed.append("services_affected")
        if not changed:
            return issue
        issue.full_clean()
        fields = [name for name in changed if name != "services_affected"]
        if "severity" in changed and issue.forum is not None:
            issue.due_at = clock.due_at(issue, issue.forum, clock.clock_start(issue))
            fields.append("due_at")
        if fields:
            issue.save(update_fields=[*fields, "updated_at"])
        if "visibility" in changed:
            # Its options and history follow it to the other side.
            IssueOption.objects.filter(issue=issue).update(visibility=issue.visibility)
            IssueEvent.objects.filter(issue=issue).update(visibility=issue.visibility)
        ensure_still_permitted(issue, actor, Action.CHANGE)
        words = ", ".join(FIELD_LABELS[name] for name in changed)
        note = f"The {side} updated {words}."
        if "visibility" in changed:
            note = f"The {side} shared the issue with the other side. " + note
        _event(issue, EventKind.UPDATED, when, actor, note)
        if any(getattr(issue, name) for name in INTEREST_FIELDS if name in changed):
            _stage(issue, IssueStatus.EXPLORING, when, actor)
    return issue


# --------------------------------------------------------------------------- options


def option_add(
    *, issue: Issue, text: str, actor: Any, at: dt.datetime | None = None
) -> IssueOption:
    """Add an option for an open issue (the proposer's side is recorded); the issue moves
    to ``options``."""
    text = (text or "").strip()
    when = _when(at)
    with transaction.atomic(), acting_as(actor):
        issue = _locked(issue, actor, Action.ADD)
        side = _side(actor, issue.relationship)
        _require_open(issue, "add options")
        if not text:
            raise ValidationError({"text": "Describe the option."})
        option = IssueOption(
            issue=issue,
            relationship_id=issue.relationship_id,
            visibility=issue.visibility,
            text=text,
            proposed_by_side=side,
            created_by=actor,
        )
        option.full_clean()
        option.save()
        _event(issue, EventKind.UPDATED, when, actor, f"The {side} proposed an option: {text}")
        _stage(issue, IssueStatus.OPTIONS, when, actor)
    return option


# --------------------------------------------------------------------------- resolve


def issue_resolve(
    *,
    issue: Issue,
    agreed_solution: str = "",
    chosen_option: IssueOption | int | None = None,
    actor: Any,
    at: dt.datetime | None = None,
) -> Issue:
    """Record the agreed shared-interest solution: its text, or a chosen option's.

    A chosen option is marked (and only it); with no text of its own, the
    option's text is the solution. The forum's members are told.
    """
    solution = (agreed_solution or "").strip()
    when = _when(at)
    with transaction.atomic(), acting_as(actor):
        issue = _locked(issue, actor)
        _require_open(issue, "resolve it again")
        option = None
        if chosen_option not in (None, ""):
            pk = getattr(chosen_option, "pk", chosen_option)
            option = IssueOption.objects.restrict(actor).filter(issue=issue, pk=pk).first()
            if option is None:
                raise ValidationError({"chosen_option": "Choose one of this issue's options."})
        if not solution and option is None:
            raise ValidationError(
                {"agreed_solution": "Write the agreed solution, or choose the option agreed."}
            )
        solution = solution or option.text  # type: ignore[union-attr]
        if option is not None:
            IssueOption.objects.filter(issue=issue, chosen=True).exclude(pk=option.pk).update(
                chosen=False
            )
            if not option.chosen:
                option.chosen = True
                option.save(update_fields=["chosen", "updated_at"])
        issue.agreed_solution = solution
        issue.status = IssueStatus.RESOLVED
        issue.resolved_at = when
        issue.full_clean()
        issue.save(update_fields=["agreed_solution", "status", "resolved_at", "updated_at"])
        chosen = f" (option chosen: {option.text})" if option is not None else ""
        _event(issue, EventKind.RESOLVED, when, actor, f"Agreed solution: {solution}{chosen}")
        _tell_forum(
            issue,
            NotificationKind.ISSUE_RESOLVED,
            f"Issue resolved: {issue.title}",
            f"Agreed solution: {solution}",
            actor,
        )
    return issue


# --------------------------------------------------------------------------- escalate


def issue_escalate(
    *, issue: Issue, reason: str, actor: Any, at: dt.datetime | None = None
) -> Issue:
    """Take an open issue to the next forum up now, saying why; its clock restarts there."""
    reason = (reason or "").strip()
    when = _when(at)
    with transaction.atomic(), acting_as(actor):
        issue = _locked(issue, actor)
        _require_open(issue, "escalate it")
        if not reason:
            raise ValidationError({"reason": "Say why the issue needs the next forum."})
        above = clock.next_in(clock.ladder(issue.relationship_id), issue.forum)
        if above is None:
            raise ValidationError(
                {"reason": "The issue is at the top of the escalation ladder already."}
            )
        before = issue.forum
        issue.forum = above
        issue.due_at = clock.due_at(issue, above, when)
        issue.save(update_fields=["forum", "due_at", "updated_at"])
        _event(issue, EventKind.ESCALATED, when, actor, reason, from_forum=before, to_forum=above)
        _tell_forum(
            issue,
            NotificationKind.ISSUE_ESCALATED,
            f"Issue escalated to {above}: {issue.title}",
            f"{actor} escalated “{issue.title}” to {above}: {reason}",
            actor,
        )
    return issue


# --------------------------------------------------------------------------- withdraw, reopen


def _require_raiser(issue: Issue, actor: Any, what: str) -> None:
    if issue.relationship.side_of(actor) != issue.raised_by_side:
        raise PermissionDenied(f"Only the side that raised the issue ({issue.raised_by_side}) "
                               f"may {what} it.")  # fmt: skip


def issue_withdraw(
    *, issue: Issue, reason: str = "", actor: Any, at: dt.datetime | None = None
) -> Issue:
    """The raiser's side withdraws an open issue; the clock stops."""
    reason = (reason or "").strip()
    when = _when(at)
    with transaction.atomic(), acting_as(actor):
        issue = _locked(issue, actor)
        _require_raiser(issue, actor, "withdraw")
        _require_open(issue, "withdraw it")
        issue.status = IssueStatus.WITHDRAWN
        issue.save(update_fields=["status", "updated_at"])
        _event(issue, EventKind.WITHDRAWN, when, actor, reason or "Withdrawn by the raiser.")
    return issue


def reopened_status(issue: Issue) -> str:
    """The stage an issue reopens at: where its content says the negotiation stands."""
    if issue.options.exists():
        return IssueStatus.OPTIONS
    if any(getattr(issue, name) for name in INTEREST_FIELDS):
        return IssueStatus.EXPLORING
    return IssueStatus.RAISED


def issue_reopen(*, issue: Issue, reason: str, actor: Any, at: dt.datetime | None = None) -> Issue:
    """Reopen a resolved or withdrawn issue at its forum, saying why; its clock restarts.

    The earlier solution stays in the history (the resolved event) and the
    chosen option is no longer chosen. A withdrawn issue is reopened by the
    side that raised (and withdrew) it.
    """
    reason = (reason or "").strip()
    when = _when(at)
    with transaction.atomic(), acting_as(actor):
        issue = _locked(issue, actor)
        if issue.status in OPEN_STATUSES:
            raise ValidationError("This issue is open already.")
        if issue.status == IssueStatus.WITHDRAWN:
            _require_raiser(issue, actor, "reopen")
        if not reason:
            raise ValidationError({"reason": "Say why the issue is open again."})
        IssueOption.objects.filter(issue=issue, chosen=True).update(chosen=False)
        issue.status = reopened_status(issue)
        issue.agreed_solution = ""
        issue.resolved_at = None
        if issue.forum is None:
            issue.forum = clock.first_forum(issue.relationship_id)
        issue.due_at = clock.due_at(issue, issue.forum, when) if issue.forum else None
        issue.save(
            update_fields=[
                "status",
                "agreed_solution",
                "resolved_at",
                "forum",
                "due_at",
                "updated_at",
            ]  # fmt: skip
        )
        _event(issue, EventKind.REOPENED, when, actor, reason, to_forum=issue.forum)
    return issue


# --------------------------------------------------------------------------- for the pages


def issue_actions(issue: Issue, user: Any, *, forums: list[Any] | None = None) -> dict[str, bool]:
    """What ``user`` may do to ``issue`` now, for the page's buttons (the services decide)."""
    relationship = issue.relationship
    side = relationship.side_of(user)
    changes = side is not None and can(user, Action.CHANGE, relationship, issue.visibility)
    adds = side is not None and can(user, Action.ADD, relationship, issue.visibility)
    is_open = issue.status in OPEN_STATUSES
    raiser = side == issue.raised_by_side
    ladder = forums if forums is not None else clock.ladder(issue.relationship_id)
    return {
        "edit": is_open and changes,
        "add_option": is_open and adds,
        "resolve": is_open and changes,
        "escalate": is_open and changes and clock.next_in(ladder, issue.forum) is not None,
        "withdraw": is_open and changes and raiser,
        "reopen": not is_open and changes and (issue.status != IssueStatus.WITHDRAWN or raiser),
    }
