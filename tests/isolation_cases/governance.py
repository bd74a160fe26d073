"""Isolation matrix cases of governance (see tests/isolation_matrix.py).

Forums, members, meetings, attendance, decisions and actions are joint: both
sides see them and the joint default decides who writes (the default
expectations). People named in a body (members, attendees, owners) are ones
who hold a role on the label's relationship.

An action's owner may also complete it whatever their role; the world's
owners (``p_manager``, ``p_r2_manager``) may change actions anyway, so the
joint default still holds (tests/governance tests the owner's own right).

The world's issues sit at the world's forums, and a forum with issues cannot
be deleted: deleting goes to a spare forum of the same relationship (joint,
no issues), made once per test on first use.
"""

from __future__ import annotations

from typing import Any

from accord.core.choices import Action
from accord.core.testing import partnership_factories as xf
from accord.core.testing.isolation import Case
from accord.core.testing.world import OWNERS, World
from accord.governance.models import (
    ActionItem,
    Attendance,
    Decision,
    Forum,
    ForumMember,
    Meeting,
)


def _rel(world: World, label: str) -> Any:
    return world.relationships[label.split(".")[0]]


def _provider_owner(world: World, label: str) -> Any:
    """Someone with a role on the label's relationship who sits on no forum there yet."""
    return world.people[OWNERS[label.split(".")[0]][1]]


def spare_forum(world: World, label: str) -> Forum:
    """A forum of the label's relationship that no issue sits at (made once per test)."""
    relationship = _rel(world, label)
    found = Forum.objects.filter(relationship=relationship, name="Spare forum").first()
    return found or xf.ForumFactory(relationship=relationship, name="Spare forum")


def spare(world: World, label: str) -> dict[str, Any]:
    return {"pk": spare_forum(world, label).pk}


# --------------------------------------------------------------------------- states


def forum_count(world: World, label: str) -> int:
    return Forum.objects.count()


def forum_state(world: World, label: str) -> Any:
    forum = Forum.objects.filter(pk=world.record("forum", label).pk).first()
    if forum is None:
        return None
    return (forum.name, forum.tier, forum.cadence, forum.terms_of_reference)


def spare_state(world: World, label: str) -> Any:
    return sorted(Forum.objects.filter(name="Spare forum").values_list("pk", flat=True))


def member_state(world: World, label: str) -> Any:
    return sorted(ForumMember.objects.values_list("pk", "person_id", "is_chair"))


def meeting_count(world: World, label: str) -> int:
    return Meeting.objects.count()


def meeting_state(world: World, label: str) -> Any:
    meeting = Meeting.objects.filter(pk=world.record("forum_meeting", label).pk).first()
    if meeting is None:
        return None
    return (meeting.title, meeting.duration_minutes, meeting.status, meeting.minutes)


def attendance_state(world: World, label: str) -> Any:
    return sorted(Attendance.objects.values_list("pk", "person_id", "present"))


def decision_state(world: World, label: str) -> Any:
    return sorted(Decision.objects.values_list("pk", "text"))


def action_count(world: World, label: str) -> int:
    return ActionItem.objects.count()


def action_state(world: World, label: str) -> Any:
    item = ActionItem.objects.filter(pk=world.record("action", label).pk).first()
    return None if item is None else (item.title, item.status, item.owner_id, item.due_date)


# --------------------------------------------------------------------------- bodies


def forum_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"name": f"Forum of {persona}", "tier": 2, "cadence": "monthly",
            "terms_of_reference": "", "resolve_critical": 3}  # fmt: skip


def forum_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"relationship": _rel(world, label).pk, "name": f"Forum of {persona}", "tier": 2,
            "resolve_within_days": {"critical": 3}}  # fmt: skip


def member_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"person": _provider_owner(world, label).pk, "is_chair": "on"}


def member_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"forum": world.record("forum", label).pk, **member_form(world, label, persona),
            "is_chair": True}  # fmt: skip


def meeting_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"title": f"Meeting by {persona}", "starts_at": "2026-03-10T10:00",
            "duration_minutes": 45, "location": "", "agenda": "1. Service"}  # fmt: skip


def meeting_edit_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {**meeting_form(world, label, persona), "forum": world.record("forum", label).pk}


def meeting_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"forum": world.record("forum", label).pk, "title": f"Meeting by {persona}",
            "starts_at": "2026-03-10T10:00:00Z", "duration_minutes": 45}  # fmt: skip


def record_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"status": "held", "minutes": f"Minutes by {persona}"}


def attendance_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"present": [_provider_owner(world, label).pk]}


def attendance_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"meeting": world.record("forum_meeting", label).pk,
            "person": _provider_owner(world, label).pk, "present": True}  # fmt: skip


def decision_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"text": f"Decided by {persona}"}


def decision_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "meeting": world.record("forum_meeting", label).pk,
        **decision_form(world, label, persona),
    }


def action_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"title": f"Action by {persona}", "owner": _provider_owner(world, label).pk,
            "due_date": "2026-12-01", "meeting": "", "note": ""}  # fmt: skip


def action_edit_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {**action_form(world, label, persona), "status": "open"}


def action_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"relationship": _rel(world, label).pk, "title": f"Action by {persona}",
            "owner": _provider_owner(world, label).pk, "due_date": "2026-12-01"}  # fmt: skip


def _api_pk(kind: str) -> Any:
    return lambda world, label: {"pk": world.record(kind, label).pk}


NO_URL = lambda world, label: {}  # noqa: E731  (API creates name the record in the body)

PAGES = [
    Case("forum_list", kind="relationship", shows="forum"),
    Case("forum_list", kind="relationship", shows="forum_member"),
    Case("forum_add", kind="relationship", action=Action.ADD),
    Case("forum_add", kind="forum", parent=True, action=Action.ADD, method="post", ok=302,
         data=forum_form, state=forum_count),
    Case("forum_detail", kind="forum", shows="forum_meeting"),
    Case("forum_detail", kind="forum", shows="forum_member"),
    Case("forum_edit", kind="forum", action=Action.CHANGE),
    Case("forum_edit", kind="forum", action=Action.CHANGE, method="post", ok=302,
         data=forum_form, state=forum_state),
    Case("forum_delete", kind="forum", action=Action.DELETE, url=spare),
    Case("forum_delete", kind="forum", action=Action.DELETE, method="post", ok=302, url=spare,
         state=spare_state),
    Case("forum_audit", kind="forum", shows="audit:forum"),
    Case("forum_member_add", kind="forum", action=Action.ADD),
    Case("forum_member_add", kind="forum", action=Action.ADD, method="post", ok=302,
         data=member_form, state=member_state),
    Case("forum_member_remove", kind="forum_member", action=Action.DELETE),
    Case("forum_member_remove", kind="forum_member", action=Action.DELETE, method="post",
         ok=302, state=member_state),
    Case("forum_member_audit", kind="forum_member", shows="audit:forum_member"),
    Case("meeting_add", kind="forum", action=Action.ADD),
    Case("meeting_add", kind="forum", action=Action.ADD, method="post", ok=302,
         data=meeting_form, state=meeting_count),
    Case("meeting_detail", kind="forum_meeting", shows="decision"),
    Case("meeting_detail", kind="forum_meeting", shows="attendance"),
    Case("meeting_detail", kind="forum_meeting", shows="action"),
    Case("meeting_edit", kind="forum_meeting", action=Action.CHANGE),
    Case("meeting_edit", kind="forum_meeting", action=Action.CHANGE, method="post", ok=302,
         data=meeting_edit_form, state=meeting_state),
    Case("meeting_record", kind="forum_meeting", action=Action.CHANGE),
    Case("meeting_record", kind="forum_meeting", action=Action.CHANGE, method="post", ok=302,
         data=record_form, state=meeting_state),
    Case("meeting_attendance", kind="forum_meeting", action=Action.CHANGE),
    Case("meeting_attendance", kind="forum_meeting", action=Action.CHANGE, method="post",
         ok=302, data=attendance_form, state=attendance_state),
    Case("meeting_delete", kind="forum_meeting", action=Action.DELETE),
    Case("meeting_delete", kind="forum_meeting", action=Action.DELETE, method="post", ok=302,
         state=meeting_state),
    Case("meeting_audit", kind="forum_meeting", shows="audit:forum_meeting"),
    Case("attendance_audit", kind="attendance", shows="audit:attendance"),
    Case("decision_add", kind="forum_meeting", action=Action.ADD),
    Case("decision_add", kind="forum_meeting", action=Action.ADD, method="post", ok=302,
         data=decision_form, state=decision_state),
    Case("decision_edit", kind="decision", action=Action.CHANGE),
    Case("decision_edit", kind="decision", action=Action.CHANGE, method="post", ok=302,
         data=decision_form, state=decision_state),
    Case("decision_delete", kind="decision", action=Action.DELETE),
    Case("decision_delete", kind="decision", action=Action.DELETE, method="post", ok=302,
         state=decision_state),
    Case("decision_audit", kind="decision", shows="audit:decision"),
    Case("action_list", kind="relationship", shows="action"),
    Case("action_add", kind="relationship", action=Action.ADD),
    Case("action_add", kind="action", parent=True, action=Action.ADD, method="post", ok=302,
         data=action_form, state=action_count),
    Case("action_detail", kind="action"),
    Case("action_edit", kind="action", action=Action.CHANGE),
    Case("action_edit", kind="action", action=Action.CHANGE, method="post", ok=302,
         data=action_edit_form, state=action_state),
    Case("action_complete", kind="action", action=Action.CHANGE, method="post", ok=302,
         state=action_state),
    Case("action_delete", kind="action", action=Action.DELETE),
    Case("action_delete", kind="action", action=Action.DELETE, method="post", ok=302,
         state=action_state),
    Case("action_audit", kind="action", shows="audit:action"),
]  # fmt: skip

API = [
    Case("api:forum-list", api=True, shows="forum"),
    Case("api:forum-list", api=True, kind="forum", parent=True, action=Action.ADD,
         method="post", ok=201, url=NO_URL, data=forum_api_body, state=forum_count),
    Case("api:forum-detail", api=True, kind="forum"),
    Case("api:forum-detail", api=True, kind="forum", action=Action.CHANGE, method="patch",
         data=lambda w, label, persona: {"name": f"Renamed by {persona}"}, state=forum_state),
    Case("api:forum-detail", api=True, kind="forum", action=Action.DELETE, method="delete",
         ok=204, url=spare, state=spare_state),
    Case("api:forum-member-list", api=True, shows="forum_member"),
    Case("api:forum-member-list", api=True, kind="forum_member", parent=True,
         action=Action.ADD, method="post", ok=201, url=NO_URL, data=member_api_body,
         state=member_state),
    Case("api:forum-member-detail", api=True, kind="forum_member"),
    Case("api:forum-member-detail", api=True, kind="forum_member", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"is_chair": True}, state=member_state),
    Case("api:forum-member-detail", api=True, kind="forum_member", action=Action.DELETE,
         method="delete", ok=204, state=member_state),
    Case("api:meeting-list", api=True, shows="forum_meeting"),
    Case("api:meeting-list", api=True, kind="forum_meeting", parent=True, action=Action.ADD,
         method="post", ok=201, url=NO_URL, data=meeting_api_body, state=meeting_count),
    Case("api:meeting-detail", api=True, kind="forum_meeting"),
    Case("api:meeting-detail", api=True, kind="forum_meeting", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"minutes": f"By {persona}"},
         state=meeting_state),
    Case("api:meeting-detail", api=True, kind="forum_meeting", action=Action.DELETE,
         method="delete", ok=204, state=meeting_state),
    Case("api:attendance-list", api=True, shows="attendance"),
    Case("api:attendance-list", api=True, kind="attendance", parent=True, action=Action.ADD,
         method="post", ok=201, url=NO_URL, data=attendance_api_body, state=attendance_state),
    Case("api:attendance-detail", api=True, kind="attendance"),
    Case("api:attendance-detail", api=True, kind="attendance", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"present": False},
         state=attendance_state),
    Case("api:attendance-detail", api=True, kind="attendance", action=Action.DELETE,
         method="delete", ok=204, state=attendance_state),
    Case("api:decision-list", api=True, shows="decision"),
    Case("api:decision-list", api=True, kind="decision", parent=True, action=Action.ADD,
         method="post", ok=201, url=NO_URL, data=decision_api_body, state=decision_state),
    Case("api:decision-detail", api=True, kind="decision"),
    Case("api:decision-detail", api=True, kind="decision", action=Action.CHANGE,
         method="patch", data=decision_form, state=decision_state),
    Case("api:decision-detail", api=True, kind="decision", action=Action.DELETE,
         method="delete", ok=204, state=decision_state),
    Case("api:action-list", api=True, shows="action"),
    Case("api:action-list", api=True, kind="action", parent=True, action=Action.ADD,
         method="post", ok=201, url=NO_URL, data=action_api_body, state=action_count),
    Case("api:action-detail", api=True, kind="action"),
    Case("api:action-detail", api=True, kind="action", action=Action.CHANGE, method="patch",
         data=lambda w, label, persona: {"title": f"Retitled by {persona}"},
         state=action_state),
    Case("api:action-detail", api=True, kind="action", action=Action.DELETE, method="delete",
         ok=204, state=action_state),
    Case("api:action-complete", api=True, kind="action", action=Action.CHANGE, method="post",
         url=_api_pk("action"), state=action_state),
]  # fmt: skip

CASES: list[Case] = PAGES + API
