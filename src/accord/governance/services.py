"""Writes to governance: forums and their members, meetings, attendance, decisions, actions.

Every governance record is joint: both sides sit in the same forums. The
joint rule decides who writes (a role that adds, changes or deletes joint
records on the relationship), with two additions:

* people named on a record (forum members, attendees, action owners) must
  hold a role on the relationship: a forum is made of the partnership's people;
* an action's owner may complete their own action, whatever their role.

Each service is atomic, validated, audited (the actor is bound with
:func:`~accord.core.context.acting_as`) and tells the people concerned
through :func:`accord.attention.notify.notify` once the work is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from accord.attention.models import NotificationKind
from accord.attention.notify import notify
from accord.core.choices import Action, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import ensure_still_permitted, get_for, permits
from accord.core.services import apply_changes
from accord.core.visibility import can, side_of
from accord.governance.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Cadence,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    MeetingStatus,
)
from accord.governance.zones import relationship_zone
from accord.parties.models import Relationship, Role, User

PERSON_MESSAGE = "Choose a person who holds a role on this relationship."
MAX_RESOLVE_DAYS = 365

# --------------------------------------------------------------------------- helpers


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _relationship_for(actor: Any, relationship: Relationship | int) -> Relationship:
    return get_for(actor, Relationship, pk=_pk(relationship))


def _require(actor: Any, action: str, relationship: Relationship, what: str) -> None:
    if not can(actor, action, relationship, Visibility.JOINT):
        raise PermissionDenied(f"Your role does not allow you to {what} here.")


def role_of(actor: Any, relationship: Relationship | int, person: Any) -> Role | None:
    """The role ``person`` holds on the relationship, as ``actor`` may see it (or None)."""
    if person is None:
        return None
    return (
        Role.objects.restrict(actor)
        .filter(relationship_id=_pk(relationship), person_id=_pk(person))
        .select_related("person", "relationship")
        .first()
    )


def _person_with_role(
    actor: Any, relationship: Relationship, person: Any, field: str = "person"
) -> tuple[User, Role]:
    """The person behind ``person`` (a user or an id) with their role, or a field error.

    A person outside the relationship fails exactly like one that does not exist.
    """
    role = role_of(actor, relationship, person)
    if role is None:
        raise ValidationError({field: PERSON_MESSAGE})
    return role.person, role


def _save(instance: Any, actor: Any, update_fields: list[str] | None = None) -> Any:
    instance.full_clean()
    with acting_as(actor):
        instance.save(update_fields=update_fields)
    return instance


def _update(
    model: type[Any], obj: Any, actor: Any, editable: tuple[str, ...], changes: dict[str, Any]
) -> tuple[Any, list[str]]:
    """Apply ``changes`` (only ``editable`` fields) to ``obj``; return it and what changed."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    obj = get_for(actor, model, Action.CHANGE, pk=obj.pk)
    changed = apply_changes(obj, changes)
    if changed:
        _save(obj, actor, [*changed, "updated_at"])
        ensure_still_permitted(obj, actor, Action.CHANGE)
    return obj, changed


def _delete(model: type[Any], obj: Any, actor: Any) -> None:
    with transaction.atomic(), acting_as(actor):
        found = get_for(actor, model, Action.DELETE, pk=obj.pk)
        found.delete()


def _text(value: Any) -> str:
    return (value or "").strip()


# --------------------------------------------------------------------------- forums

FORUM_EDITABLE = ("name", "tier", "cadence", "terms_of_reference", "resolve_within_days")


def _whole_days(days: Any) -> int | None:
    """A whole number of days from 1 to :data:`MAX_RESOLVE_DAYS`, or None."""
    if isinstance(days, bool):
        return None
    if isinstance(days, int):
        number = days
    elif isinstance(days, str) and days.strip().isdigit():
        number = int(days.strip())
    else:
        return None
    return number if 1 <= number <= MAX_RESOLVE_DAYS else None


def clean_resolve_days(value: Any) -> dict[str, int]:
    """``{"critical": 2, "high": 5}``: days an issue of each severity may sit at the forum.

    Severities left out use the issues clock's defaults.
    """
    from accord.issues.models import Severity

    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError(
            {"resolve_within_days": 'Give days per severity, e.g. {"critical": 2}.'}
        )
    cleaned: dict[str, int] = {}
    for severity, days in value.items():
        if severity not in Severity.values:
            choices = ", ".join(Severity.values)
            raise ValidationError(
                {"resolve_within_days": f"{severity!r} is not a severity ({choices})."}
            )
        if days in (None, ""):
            continue
        number = _whole_days(days)
        if number is None:
            raise ValidationError(
                {
                    "resolve_within_days": f"{Severity(severity).label}: give a whole number "
                    f"of days from 1 to {MAX_RESOLVE_DAYS}."
                }
            )
        cleaned[severity] = number
    # In the order of severity, for a stable record.
    return {s: cleaned[s] for s in Severity.values if s in cleaned}


def _clean_forum(fields: dict[str, Any], relationship_id: int, pk: Any = None) -> dict[str, Any]:
    if "name" in fields:
        fields["name"] = _text(fields["name"])
        clash = Forum._base_manager.filter(relationship_id=relationship_id, name=fields["name"])
        if fields["name"] and clash.exclude(pk=pk).exists():
            raise ValidationError({"name": "This relationship already has a forum of that name."})
    if "terms_of_reference" in fields:
        fields["terms_of_reference"] = _text(fields["terms_of_reference"])
    if "resolve_within_days" in fields:
        fields["resolve_within_days"] = clean_resolve_days(fields["resolve_within_days"])
    if "tier" in fields and fields["tier"] not in (None, ""):
        try:
            fields["tier"] = int(fields["tier"])
        except (TypeError, ValueError):
            raise ValidationError({"tier": "Choose a tier."}) from None
    return fields


def forum_create(
    *,
    relationship: Relationship | int,
    name: str,
    tier: int,
    cadence: str = Cadence.MONTHLY,
    terms_of_reference: str = "",
    resolve_within_days: dict[str, Any] | None = None,
    actor: Any,
) -> Forum:
    """Add a forum to the relationship's escalation ladder."""
    relationship = _relationship_for(actor, relationship)
    _require(actor, Action.ADD, relationship, "add forums")
    fields = _clean_forum(
        {
            "name": name,
            "tier": tier,
            "cadence": cadence,
            "terms_of_reference": terms_of_reference,
            "resolve_within_days": resolve_within_days,
        },
        relationship.pk,
    )
    forum = Forum(
        relationship=relationship, visibility=Visibility.JOINT, created_by=actor, **fields
    )
    with transaction.atomic():
        return _save(forum, actor)


def forum_update(*, forum: Forum, actor: Any, **changes: Any) -> Forum:
    with transaction.atomic():
        found = get_for(actor, Forum, Action.CHANGE, pk=forum.pk)
        changes = _clean_forum(changes, found.relationship_id, found.pk)
        result, _changed = _update(Forum, found, actor, FORUM_EDITABLE, changes)
    return result


def forum_delete(*, forum: Forum, actor: Any) -> None:
    """Delete a forum with its members and meetings; refused while issues sit at it."""
    try:
        _delete(Forum, forum, actor)
    except ProtectedError:
        raise ValidationError(
            "Issues sit at this forum or passed through it: move them to another forum first."
        ) from None


# --------------------------------------------------------------------------- members


def forum_member_add(
    *, forum: Forum, person: Any, is_chair: bool = False, actor: Any
) -> ForumMember:
    """Seat a person who holds a role on the relationship (either side) on the forum."""
    with transaction.atomic():
        forum = get_for(actor, Forum, pk=_pk(forum))
        _require(actor, Action.ADD, forum.relationship, "add forum members")
        member_person, _role = _person_with_role(actor, forum.relationship, person)
        if ForumMember._base_manager.filter(forum=forum, person=member_person).exists():
            raise ValidationError({"person": f"{member_person} already sits on this forum."})
        member = ForumMember(
            relationship_id=forum.relationship_id,
            visibility=Visibility.JOINT,
            forum=forum,
            person=member_person,
            is_chair=bool(is_chair),
            created_by=actor,
        )
        try:
            with transaction.atomic():
                _save(member, actor)
        except IntegrityError:
            raise ValidationError(
                {"person": f"{member_person} already sits on this forum."}
            ) from None
    return member


def forum_member_update(*, member: ForumMember, is_chair: bool, actor: Any) -> ForumMember:
    with transaction.atomic():
        result, _changed = _update(
            ForumMember, member, actor, ("is_chair",), {"is_chair": bool(is_chair)}
        )
    return result


def forum_member_remove(*, member: ForumMember, actor: Any) -> None:
    _delete(ForumMember, member, actor)


def forum_members(forum: Forum) -> list[User]:
    """The people seated on the forum (computed: the forum is joint, so are its members)."""
    return [
        m.person
        for m in ForumMember.objects.filter(forum=forum, visibility=Visibility.JOINT)
        .select_related("person")
        .order_by("pk")
    ]


# --------------------------------------------------------------------------- meetings

MEETING_EDITABLE = ("forum", "title", "starts_at", "duration_minutes", "location", "agenda")


def _clean_meeting(fields: dict[str, Any], actor: Any, relationship_id: int) -> dict[str, Any]:
    for name in ("title", "location", "agenda"):
        if name in fields:
            fields[name] = _text(fields[name])
    if "starts_at" in fields:
        starts_at = fields["starts_at"]
        if not isinstance(starts_at, dt.datetime):
            raise ValidationError({"starts_at": "Give the date and time the meeting starts."})
        if timezone.is_naive(starts_at):
            zone = relationship_zone(relationship_id)
            fields["starts_at"] = timezone.make_aware(starts_at, zone)
    if "forum" in fields:
        forum = Forum.objects.restrict(actor).filter(pk=_pk(fields["forum"])).first()
        if forum is None or forum.relationship_id != relationship_id:
            raise ValidationError({"forum": "Choose a forum of this relationship."})
        fields["forum"] = forum
    return fields


def _tell_members(meeting: Meeting, actor: Any, title: str) -> None:
    """Tell the forum's members about a meeting still to come (not one logged afterwards)."""
    if meeting.starts_at <= timezone.now() or meeting.status != MeetingStatus.SCHEDULED:
        return
    when = timezone.localtime(meeting.starts_at, relationship_zone(meeting.relationship_id))
    body = f"{meeting.forum}: {when:%A %d %B %Y, %H:%M} ({meeting.duration_minutes} minutes)"
    if meeting.location:
        body += f", {meeting.location}"
    if meeting.agenda:
        body += f"\n\nAgenda:\n{meeting.agenda}"
    notify(
        forum_members(meeting.forum),
        about=meeting,
        kind=NotificationKind.MEETING_SCHEDULED,
        title=title,
        body=body,
        exclude=actor,
    )


def meeting_schedule(
    *,
    forum: Forum,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int = 60,
    location: str = "",
    agenda: str = "",
    actor: Any,
) -> Meeting:
    """Put a meeting of the forum in the calendar, with its agenda; tell the forum's members.

    A meeting in the past may be scheduled too (to log it afterwards); only
    meetings still to come are announced.
    """
    with transaction.atomic():
        forum = get_for(actor, Forum, pk=_pk(forum))
        _require(actor, Action.ADD, forum.relationship, "schedule meetings")
        fields = _clean_meeting(
            {
                "title": title,
                "starts_at": starts_at,
                "location": location,
                "agenda": agenda,
            },
            actor,
            forum.relationship_id,
        )
        meeting = Meeting(
            relationship_id=forum.relationship_id,
            visibility=Visibility.JOINT,
            forum=forum,
            duration_minutes=duration_minutes,
            status=MeetingStatus.SCHEDULED,
            created_by=actor,
            **fields,
        )
        _save(meeting, actor)
        _tell_members(meeting, actor, f"Meeting scheduled: {meeting.title}")
    return meeting


def meeting_update(*, meeting: Meeting, actor: Any, **changes: Any) -> Meeting:
    """Change a meeting's details; members are told when a coming meeting moves."""
    with transaction.atomic():
        found = get_for(actor, Meeting, Action.CHANGE, pk=meeting.pk)
        changes = _clean_meeting(changes, actor, found.relationship_id)
        starts_at = changes.get("starts_at")
        if found.status == MeetingStatus.HELD and starts_at and starts_at > timezone.now():
            raise ValidationError(
                {"starts_at": "This meeting was held: it cannot start in the future."}
            )
        result, changed = _update(Meeting, found, actor, MEETING_EDITABLE, changes)
        if {"starts_at", "forum"} & set(changed):
            _tell_members(result, actor, f"Meeting moved: {result.title}")
    return result


RECORDED_STATUSES = (MeetingStatus.HELD, MeetingStatus.CANCELLED)


def meeting_record(
    *, meeting: Meeting, status: str, minutes: str | None = None, actor: Any
) -> Meeting:
    """Record that the meeting was held (with its minutes) or cancelled.

    A meeting is held once it has started: one in the future can only be cancelled.
    """
    if status not in RECORDED_STATUSES:
        raise ValidationError({"status": "Record the meeting as held or cancelled."})
    with transaction.atomic():
        found = get_for(actor, Meeting, Action.CHANGE, pk=meeting.pk)
        if status == MeetingStatus.HELD and found.starts_at > timezone.now():
            raise ValidationError(
                {"status": "This meeting has not started yet: it cannot have been held."}
            )
        changes: dict[str, Any] = {"status": status}
        if minutes is not None:
            changes["minutes"] = _text(minutes)
        result, _changed = _update(Meeting, found, actor, ("status", "minutes"), changes)
    return result


def meeting_delete(*, meeting: Meeting, actor: Any) -> None:
    _delete(Meeting, meeting, actor)


# --------------------------------------------------------------------------- attendance


def _attendable(actor: Any, meeting: Meeting) -> Meeting:
    found = get_for(actor, Meeting, Action.CHANGE, pk=_pk(meeting))
    if found.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled: nobody attended it.")
    if found.starts_at > timezone.now():
        raise ValidationError("Attendance is recorded once the meeting has started.")
    return found


def _attendance_row(
    meeting: Meeting, person: User, role: Role, present: bool, actor: Any
) -> Attendance:
    """A new attendance with the side and level the person holds today."""
    return Attendance(
        relationship_id=meeting.relationship_id,
        visibility=Visibility.JOINT,
        meeting=meeting,
        person=person,
        side=side_of(person, role.relationship) or "",
        level=role.role,
        present=present,
        created_by=actor,
    )


def attendance_record(
    *,
    meeting: Meeting,
    present: Iterable[Any],
    actor: Any,
    absent: Iterable[Any] | None = None,
) -> list[Attendance]:
    """Record who was at the meeting: ``present`` were there, everyone else expected was not.

    Each person must hold a role on the relationship; their side and level
    are copied from it (and kept if roles change later). Unless ``absent``
    is given, the forum's members and anyone recorded before who are not in
    ``present`` are recorded absent. Returns the meeting's attendance.
    """
    with transaction.atomic():
        meeting = _attendable(actor, meeting)
        relationship = meeting.relationship
        there: dict[int, tuple[User, Role]] = {}
        for person in present:
            found, role = _person_with_role(actor, relationship, person, field="present")
            there[found.pk] = (found, role)
        existing = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
        if absent is None:
            away_ids = {m.pk for m in forum_members(meeting.forum)} | set(existing)
        else:
            away_ids = {int(_pk(person)) for person in absent}
        away: dict[int, tuple[User, Role]] = {}
        for pk in away_ids - set(there):
            if pk in existing:
                continue
            held = role_of(actor, relationship, pk)
            if held is None:
                if absent is not None:
                    raise ValidationError({"absent": PERSON_MESSAGE})
                continue  # a former member without a role today: nothing to record
            away[pk] = (held.person, held)
        with acting_as(actor):
            for pk, row in existing.items():
                should = pk in there
                if pk not in there and pk not in away_ids:
                    continue
                if row.present != should:
                    row.present = should
                    _save(row, actor, ["present", "updated_at"])
            for pk, (person, role) in {**there, **away}.items():
                if pk not in existing:
                    _save(_attendance_row(meeting, person, role, pk in there, actor), actor)
    return list(Attendance.objects.restrict(actor).filter(meeting=meeting).select_related("person"))


def attendance_set(
    *, meeting: Meeting, person: Any, present: bool = True, actor: Any
) -> Attendance:
    """Record one person's attendance (present or absent) at the meeting."""
    with transaction.atomic():
        meeting = _attendable(actor, meeting)
        found, role = _person_with_role(actor, meeting.relationship, person)
        if Attendance._base_manager.filter(meeting=meeting, person=found).exists():
            raise ValidationError({"person": f"{found}'s attendance is already recorded."})
        row = _attendance_row(meeting, found, role, bool(present), actor)
        return _save(row, actor)


def attendance_update(*, attendance: Attendance, present: bool, actor: Any) -> Attendance:
    with transaction.atomic():
        found = get_for(actor, Attendance, Action.CHANGE, pk=attendance.pk)
        _attendable(actor, found.meeting)
        result, _changed = _update(
            Attendance, found, actor, ("present",), {"present": bool(present)}
        )
    return result


def attendance_remove(*, attendance: Attendance, actor: Any) -> None:
    _delete(Attendance, attendance, actor)


# --------------------------------------------------------------------------- decisions


def decision_add(*, meeting: Meeting, text: str, actor: Any) -> Decision:
    """Record a decision the meeting took, in the words of its minutes."""
    with transaction.atomic():
        meeting = get_for(actor, Meeting, pk=_pk(meeting))
        _require(actor, Action.ADD, meeting.relationship, "record decisions")
        decision = Decision(
            relationship_id=meeting.relationship_id,
            visibility=Visibility.JOINT,
            meeting=meeting,
            text=_text(text),
            created_by=actor,
        )
        return _save(decision, actor)


def decision_update(*, decision: Decision, text: str, actor: Any) -> Decision:
    with transaction.atomic():
        result, _changed = _update(Decision, decision, actor, ("text",), {"text": _text(text)})
    return result


def decision_delete(*, decision: Decision, actor: Any) -> None:
    _delete(Decision, decision, actor)


# --------------------------------------------------------------------------- actions

ACTION_EDITABLE = ("title", "owner", "due_date", "note", "status", "meeting")


def _tell_owner(action: ActionItem, actor: Any) -> None:
    body = f"Due {action.due_date:%A %d %B %Y}."
    if action.meeting_id:
        body += f" From {action.meeting}."
    if action.note:
        body += f"\n\n{action.note}"
    notify(
        [action.owner],
        about=action,
        kind=NotificationKind.ACTION_ASSIGNED,
        title=f"Action for you: {action.title}",
        body=body,
        exclude=actor,
    )


def _clean_action(fields: dict[str, Any], actor: Any, relationship: Relationship) -> dict[str, Any]:
    for name in ("title", "note"):
        if name in fields:
            fields[name] = _text(fields[name])
    if "owner" in fields:
        fields["owner"], _role = _person_with_role(actor, relationship, fields["owner"], "owner")
    if fields.get("meeting") is not None:
        meeting = Meeting.objects.restrict(actor).filter(pk=_pk(fields["meeting"])).first()
        if meeting is None or meeting.relationship_id != relationship.pk:
            raise ValidationError({"meeting": "Choose a meeting of this relationship."})
        fields["meeting"] = meeting
    if "due_date" in fields and not isinstance(fields["due_date"], dt.date):
        raise ValidationError({"due_date": "Give the date the action is due."})
    if "status" in fields:
        if fields["status"] not in ActionStatus.values:
            raise ValidationError({"status": "Choose open, done or cancelled."})
    return fields


def action_add(
    *,
    title: str,
    owner: Any,
    due_date: dt.date,
    actor: Any,
    relationship: Relationship | int | None = None,
    meeting: Meeting | int | None = None,
    note: str = "",
) -> ActionItem:
    """Give an action to a person who holds a role on the relationship; tell them.

    Name the ``meeting`` it came from, or only the ``relationship`` for an
    action agreed outside a meeting.
    """
    with transaction.atomic():
        if meeting is not None:
            found_meeting = get_for(actor, Meeting, pk=_pk(meeting))
            rel = found_meeting.relationship
            if relationship is not None and _pk(relationship) != rel.pk:
                raise ValidationError({"meeting": "Choose a meeting of this relationship."})
        elif relationship is not None:
            found_meeting = None
            rel = _relationship_for(actor, relationship)
        else:
            raise ValidationError({"relationship": "Name the relationship or the meeting."})
        _require(actor, Action.ADD, rel, "add actions")
        fields = _clean_action(
            {"title": title, "owner": owner, "due_date": due_date, "note": note}, actor, rel
        )
        action = ActionItem(
            relationship=rel,
            visibility=Visibility.JOINT,
            meeting=found_meeting,
            status=ActionStatus.OPEN,
            created_by=actor,
            **fields,
        )
        _save(action, actor)
        _tell_owner(action, actor)
    return action


def action_update(*, action: ActionItem, actor: Any, **changes: Any) -> ActionItem:
    """Change an action; a new owner is told. Status done stamps ``done_at``; open clears it."""
    with transaction.atomic():
        found = get_for(actor, ActionItem, Action.CHANGE, pk=action.pk)
        changes = _clean_action(changes, actor, found.relationship)
        if "status" in changes:
            if changes["status"] == ActionStatus.DONE and found.status != ActionStatus.DONE:
                changes["done_at"] = timezone.now()
            elif changes["status"] != ActionStatus.DONE:
                changes["done_at"] = None
        result, changed = _update(ActionItem, found, actor, (*ACTION_EDITABLE, "done_at"), changes)
        if "owner" in changed and result.status == ActionStatus.OPEN:
            _tell_owner(result, actor)
    return result


def may_complete(user: Any, action: ActionItem) -> bool:
    """The owner, or anyone who may change the relationship's joint records."""
    if action.status != ActionStatus.OPEN:
        return False
    return action.owner_id == getattr(user, "pk", None) or permits(user, Action.CHANGE, action)


def action_complete(*, action: ActionItem, actor: Any, note: str | None = None) -> ActionItem:
    """Mark an open action done (its owner, or anyone who may change joint records)."""
    with transaction.atomic():
        found = get_for(actor, ActionItem, pk=action.pk)
        locked = ActionItem.objects.select_for_update().get(pk=found.pk)
        if locked.owner_id != actor.pk and not permits(actor, Action.CHANGE, locked):
            raise PermissionDenied("Only the owner, or someone who may change actions, may.")
        if locked.status != ActionStatus.OPEN:
            raise ValidationError(f"This action is already {locked.get_status_display().lower()}.")
        locked.status = ActionStatus.DONE
        locked.done_at = timezone.now()
        fields = ["status", "done_at", "updated_at"]
        if note is not None and _text(note):
            locked.note = _text(note)
            fields.append("note")
        _save(locked, actor, fields)
    return locked


def action_delete(*, action: ActionItem, actor: Any) -> None:
    _delete(ActionItem, action, actor)


__all__ = [
    "action_add",
    "action_complete",
    "action_delete",
    "action_update",
    "attendance_record",
    "attendance_remove",
    "attendance_set",
    "attendance_update",
    "clean_resolve_days",
    "decision_add",
    "decision_delete",
    "decision_update",
    "forum_create",
    "forum_delete",
    "forum_member_add",
    "forum_member_remove",
    "forum_member_update",
    "forum_update",
    "meeting_delete",
    "meeting_record",
    "meeting_schedule",
    "meeting_update",
]
