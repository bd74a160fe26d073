""" "Needs my attention": what each person should act on, computed live.

Four sections, each read through the visibility rule with the person:

* **actions** assigned to them that are still open, overdue first;
* **signatures** their side still owes on joint records they may sign: the
  current version of a joint plan (executives), a proposed change request
  and a requested excusal (executives and managers);
* **issues** still open that wait for them: at a forum they sit on, or on a
  relationship where they may write and their side's position is empty;
* their **notifications**.

A provider serving two buyers sees each buyer's records only through its
roles there, and an issue kept private to one side never reaches the other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone

from accord.attention.models import Notification
from accord.contracts.models import ChangeRequest, ChangeStatus, Contract
from accord.core.choices import EXECUTIVE_ROLES, SIGNATORY_ROLES, Action, Side
from accord.core.models import Signature
from accord.core.signing import object_key
from accord.core.visibility import relationship_ids, side_of
from accord.engine.tz import UnknownTimeZoneError, get_zone
from accord.governance.models import ActionItem, ActionStatus, ForumMember
from accord.issues.models import OPEN_STATUSES, Issue
from accord.parties.models import Role
from accord.performance.models import Excusal, ExcusalStatus
from accord.planning.models import PlanningCycle

SECTION_LIMIT = 50


def url_of(record: Any) -> str:
    """The record's page, or "" while its area has no page for it (nothing to link)."""
    try:
        return str(record.get_absolute_url())
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class ActionRow:
    action: ActionItem
    overdue: bool
    due_today: bool


@dataclass(frozen=True)
class SignatureRow:
    """A record of the person's relationship that waits for their side's signature."""

    kind: str  # "Joint plan", "Change request", "Excusal"
    record: Any
    version: int
    other_side_signed: bool

    @property
    def relationship(self) -> Any:
        return self.record.relationship

    @property
    def url(self) -> str:
        return url_of(self.record)


@dataclass(frozen=True)
class IssueRow:
    issue: Issue
    reasons: list[str]

    @property
    def url(self) -> str:
        return url_of(self.issue)


@dataclass
class Inbox:
    actions: list[ActionRow] = field(default_factory=list)
    more_actions: int = 0
    signatures: list[SignatureRow] = field(default_factory=list)
    issues: list[IssueRow] = field(default_factory=list)
    more_issues: int = 0

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.actions if row.overdue)


def _zones(user: Any, relationship_ids_: set[int]) -> dict[int, dt.tzinfo]:
    """Each relationship's time zone (its contract's), in one query."""
    default = timezone.get_default_timezone()
    found: dict[int, dt.tzinfo] = {pk: default for pk in relationship_ids_}
    rows = (
        Contract.objects.restrict(user)
        .filter(relationship_id__in=relationship_ids_)
        .values_list("relationship_id", "timezone")
    )
    for pk, name in rows:
        try:
            found[pk] = get_zone(name)
        except UnknownTimeZoneError:
            pass
    return found


def open_actions(user: Any) -> tuple[list[ActionRow], int]:
    """The person's open actions, overdue first then soonest due (at most SECTION_LIMIT)."""
    rows = (
        ActionItem.objects.restrict(user)
        .filter(owner_id=user.pk, status=ActionStatus.OPEN)
        .select_related("relationship", "meeting")
        .order_by("due_date", "pk")
    )
    total = rows.count()
    items = list(rows[:SECTION_LIMIT])
    zones = _zones(user, {a.relationship_id for a in items})
    now = timezone.now()
    result = []
    for item in items:
        today = timezone.localtime(now, zones[item.relationship_id]).date()
        result.append(ActionRow(item, item.due_date < today, item.due_date == today))
    return result, max(0, total - len(items))


def _relationships_where_signing(user: Any, roles: frozenset[str]) -> set[int]:
    return set(
        Role.objects.restrict(user)
        .filter(person_id=user.pk, role__in=list(roles))
        .values_list("relationship_id", flat=True)
    )


def signatures_requested(user: Any) -> list[SignatureRow]:
    """Joint records whose current version waits for the person's side, where they may sign."""
    if not getattr(user, "is_active", False):
        return []
    executives = _relationships_where_signing(user, EXECUTIVE_ROLES)
    signatories = _relationships_where_signing(user, SIGNATORY_ROLES)
    candidates: list[tuple[str, Any]] = []
    if executives:
        plans = (
            PlanningCycle.objects.restrict(user)
            .filter(relationship_id__in=executives, reviewed_at__isnull=True)
            .select_related("relationship")
        )
        candidates += [("Joint plan", plan) for plan in plans]
    if signatories:
        changes = (
            ChangeRequest.objects.restrict(user)
            .filter(relationship_id__in=signatories, status=ChangeStatus.PROPOSED)
            .select_related("relationship", "contract")
        )
        candidates += [("Change request", change) for change in changes]
        excusals = (
            Excusal.objects.restrict(user)
            .filter(relationship_id__in=signatories, status=ExcusalStatus.REQUESTED)
            .select_related("relationship", "service_level")
        )
        candidates += [("Excusal", excusal) for excusal in excusals]
    if not candidates:
        return []
    keys = {object_key(record): record for _kind, record in candidates}
    signed: dict[tuple[str, str], set[str]] = {}
    rows = Signature.objects.restrict(user).filter(
        object_type__in={key[0] for key in keys},
        object_id__in=[key[1] for key in keys],
    )
    for signature in rows.values("object_type", "object_id", "version", "side"):
        key = (signature["object_type"], signature["object_id"])
        record = keys.get(key)
        if record is not None and signature["version"] == record.version:
            signed.setdefault(key, set()).add(signature["side"])
    result = []
    for kind, record in candidates:
        side = side_of(user, record.relationship)
        sides = signed.get(object_key(record), set())
        if side is None or side in sides:
            continue
        other = Side.PROVIDER if side == Side.BUYER else Side.BUYER
        result.append(SignatureRow(kind, record, record.version, other in sides))
    return result


def issues_waiting(user: Any) -> tuple[list[IssueRow], int]:
    """Open issues at a forum the person sits on, or whose side's position they may write."""
    forums = ForumMember.objects.restrict(user).filter(person_id=user.pk).values("forum_id")
    buyer_side = relationship_ids(user, Action.CHANGE, Side.BUYER)
    provider_side = relationship_ids(user, Action.CHANGE, Side.PROVIDER)
    waiting = (
        Q(forum_id__in=forums)
        | Q(relationship_id__in=buyer_side, buyer_position="")
        | Q(relationship_id__in=provider_side, provider_position="")
    )
    rows = (
        Issue.objects.restrict(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(waiting)
        .select_related("relationship", "forum")
        .order_by("due_at", "-raised_at", "pk")
    )
    total = rows.count()
    items = list(rows[:SECTION_LIMIT])
    seated = set(
        ForumMember.objects.restrict(user)
        .filter(person_id=user.pk)
        .values_list("forum_id", flat=True)
    )
    result = []
    for issue in items:
        reasons = []
        if issue.forum_id in seated:
            reasons.append(f"at {issue.forum}, where you sit")
        side = side_of(user, issue.relationship)
        position = issue.buyer_position if side == Side.BUYER else issue.provider_position
        if side and not position:
            reasons.append(f"the {side}'s position is still empty")
        result.append(IssueRow(issue, reasons))
    return result, max(0, total - len(items))


def inbox_for(user: Any) -> Inbox:
    actions, more_actions = open_actions(user)
    issues, more_issues = issues_waiting(user)
    return Inbox(
        actions=actions,
        more_actions=more_actions,
        signatures=signatures_requested(user),
        issues=issues,
        more_issues=more_issues,
    )


def notifications_of(user: Any, unread_only: bool = False) -> Any:
    rows = Notification.objects.restrict(user).select_related("relationship")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def attention_count(user: Any) -> int:
    """Unread notifications plus open actions due today or before (one query, for the menu)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    unread = (
        Notification.objects.restrict(user)
        .filter(read_at__isnull=True)
        .order_by()
        .values_list("pk", flat=True)
    )
    due = (
        ActionItem.objects.restrict(user)
        .filter(owner_id=user.pk, status=ActionStatus.OPEN, due_date__lte=timezone.localdate())
        .order_by()
        .values_list("pk", flat=True)
    )
    return int(unread.union(due, all=True).count())
