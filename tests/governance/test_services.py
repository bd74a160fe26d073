"""Governance services: forums, members, meetings, attendance, decisions, actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accord.attention.models import Notification, NotificationKind
from accord.core.choices import RoleName, Side
from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.models import AuditEntry
from accord.core.testing import partnership_factories as xf
from accord.governance import services
from accord.governance.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Forum,
    ForumMember,
    MeetingStatus,
    Tier,
)
from accord.parties.models import Role
from tests.governance.scenario import Scenario

pytestmark = pytest.mark.django_db


def notified(person: object, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person, kind=kind))


# --------------------------------------------------------------------------- forums


def test_forum_create_cleans_days_and_is_audited(scenario: Scenario) -> None:
    forum = scenario.forum(
        tier=Tier.MANAGEMENT,
        name="  Contract committee ",
        terms_of_reference=" Monthly. ",
        resolve_within_days={"low": "30", "critical": 3, "high": None},
    )
    assert forum.name == "Contract committee"
    assert forum.terms_of_reference == "Monthly."
    assert forum.resolve_within_days == {"critical": 3, "low": 30}
    entry = AuditEntry.objects.get(object_type="governance.forum", object_id=str(forum.pk))
    assert entry.actor_name == "bank_manager"
    assert entry.relationship_id == scenario.rel.pk


@pytest.mark.parametrize(
    "days",
    [{"urgent": 2}, {"critical": 0}, {"critical": 400}, {"critical": "two"}, {"high": True}, [2]],
)
def test_forum_days_must_be_whole_days_per_severity(scenario: Scenario, days: object) -> None:
    with pytest.raises(ValidationError) as error:
        scenario.forum(resolve_within_days=days)  # type: ignore[arg-type]
    assert "resolve_within_days" in error.value.message_dict
    assert not Forum.objects.exists()


def test_forum_name_is_unique_per_relationship(scenario: Scenario) -> None:
    scenario.forum(name="Service review")
    with pytest.raises(ValidationError) as error:
        scenario.forum(name="Service review")
    assert "name" in error.value.message_dict
    # Another relationship may use the same name.
    services.forum_create(
        relationship=scenario.other, name="Service review", tier=1, actor=scenario["tide_exec"]
    )


def test_who_may_write_forums(scenario: Scenario) -> None:
    with pytest.raises(PermissionDenied):
        services.forum_create(
            relationship=scenario.rel, name="X", tier=1, actor=scenario["bank_viewer"]
        )
    with pytest.raises(NotFound):  # not on the relationship: it does not exist for them
        services.forum_create(
            relationship=scenario.rel, name="X", tier=1, actor=scenario["ridge_manager"]
        )
    forum = services.forum_create(
        relationship=scenario.rel, name="X", tier=1, actor=scenario["tide_lead"]
    )
    updated = services.forum_update(
        forum=forum, cadence="weekly", tier="2", actor=scenario["bank_exec"]
    )
    assert (updated.cadence, updated.tier) == ("weekly", 2)
    with pytest.raises(PermissionDenied):
        services.forum_update(forum=forum, name="Y", actor=scenario["tide_viewer"])
    with pytest.raises(ValidationError):
        services.forum_update(forum=forum, relationship=scenario.other, actor=scenario["bank_exec"])


def test_a_forum_with_issues_cannot_be_deleted(scenario: Scenario) -> None:
    forum = scenario.forum()
    issue = xf.IssueFactory(relationship=scenario.rel, forum=forum)
    with pytest.raises(ValidationError, match="Issues sit at this forum"):
        services.forum_delete(forum=forum, actor=scenario["bank_manager"])
    issue.delete()
    services.forum_delete(forum=forum, actor=scenario["bank_manager"])
    assert not Forum.objects.exists()


# --------------------------------------------------------------------------- members


def test_members_must_hold_a_role_on_the_relationship(scenario: Scenario) -> None:
    forum = scenario.forum()
    member = services.forum_member_add(
        forum=forum, person=scenario["tide_lead"], is_chair=True, actor=scenario["bank_manager"]
    )
    assert member.is_chair
    assert member.relationship_id == scenario.rel.pk
    for outsider in (scenario["ridge_manager"], 987654):
        with pytest.raises(ValidationError) as error:
            services.forum_member_add(forum=forum, person=outsider, actor=scenario["bank_manager"])
        assert error.value.message_dict["person"] == [services.PERSON_MESSAGE]
    with pytest.raises(ValidationError, match="already sits"):
        services.forum_member_add(
            forum=forum, person=scenario["tide_lead"], actor=scenario["bank_manager"]
        )
    with pytest.raises(PermissionDenied):
        services.forum_member_add(
            forum=forum, person=scenario["bank_exec"], actor=scenario["bank_viewer"]
        )
    services.forum_member_remove(member=member, actor=scenario["tide_exec"])
    assert not ForumMember.objects.exists()


# --------------------------------------------------------------------------- meetings


def test_scheduling_a_coming_meeting_tells_the_members_but_not_the_actor(
    scenario: Scenario,
) -> None:
    forum = scenario.forum()
    for person in ("bank_manager", "tide_lead", "tide_exec"):
        services.forum_member_add(forum=forum, person=scenario[person], actor=scenario["bank_exec"])
    starts = timezone.now() + dt.timedelta(days=10)
    meeting = services.meeting_schedule(
        forum=forum,
        title="December review",
        starts_at=starts,
        agenda="1. Scorecard",
        location="Room 4",
        actor=scenario["bank_manager"],
    )
    assert meeting.status == MeetingStatus.SCHEDULED
    told = Notification.objects.filter(kind=NotificationKind.MEETING_SCHEDULED)
    assert sorted(n.recipient.username for n in told) == ["tide_exec", "tide_lead"]
    note = told.first()
    assert note is not None
    assert "1. Scorecard" in note.body
    assert "Room 4" in note.body
    assert note.url == meeting.get_absolute_url()


def test_logging_a_past_meeting_tells_nobody(scenario: Scenario) -> None:
    forum = scenario.forum()
    services.forum_member_add(
        forum=forum, person=scenario["tide_lead"], actor=scenario["bank_exec"]
    )
    scenario.past_meeting(forum)
    assert not Notification.objects.exists()


def test_naive_start_times_are_the_relationship_s_local_time(scenario: Scenario) -> None:
    forum = scenario.forum()
    meeting = services.meeting_schedule(
        forum=forum,
        title="Local",
        starts_at=dt.datetime(2026, 7, 1, 10, 0),  # noqa: DTZ001  (naive on purpose)
        actor=scenario["bank_manager"],
    )
    # Vancouver is UTC-7 in July.
    assert meeting.starts_at == dt.datetime(2026, 7, 1, 17, 0, tzinfo=dt.UTC)


def test_meeting_record_held_only_once_started(scenario: Scenario) -> None:
    forum = scenario.forum()
    coming = services.meeting_schedule(
        forum=forum,
        title="Next",
        starts_at=timezone.now() + dt.timedelta(days=1),
        actor=scenario["bank_manager"],
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_record(meeting=coming, status="held", actor=scenario["bank_manager"])
    assert "status" in error.value.message_dict
    cancelled = services.meeting_record(
        meeting=coming, status="cancelled", actor=scenario["tide_lead"]
    )
    assert cancelled.status == MeetingStatus.CANCELLED
    past = scenario.past_meeting(forum)
    held = services.meeting_record(
        meeting=past, status="held", minutes=" Went well. ", actor=scenario["tide_lead"]
    )
    assert (held.status, held.minutes) == (MeetingStatus.HELD, "Went well.")
    with pytest.raises(ValidationError):
        services.meeting_record(meeting=past, status="scheduled", actor=scenario["tide_lead"])
    with pytest.raises(ValidationError):
        services.meeting_update(
            meeting=held,
            starts_at=timezone.now() + dt.timedelta(days=2),
            actor=scenario["tide_lead"],
        )
    with pytest.raises(PermissionDenied):
        services.meeting_record(meeting=past, status="held", actor=scenario["tide_viewer"])


def test_moving_a_meeting_to_another_relationship_s_forum_is_refused(scenario: Scenario) -> None:
    forum = scenario.forum()
    elsewhere = services.forum_create(
        relationship=scenario.other, name="Ridge review", tier=1, actor=scenario["tide_exec"]
    )
    meeting = scenario.past_meeting(forum)
    with pytest.raises(ValidationError) as error:
        services.meeting_update(meeting=meeting, forum=elsewhere, actor=scenario["tide_exec"])
    assert "forum" in error.value.message_dict


# --------------------------------------------------------------------------- attendance


def test_attendance_copies_side_and_level_and_keeps_them(scenario: Scenario) -> None:
    forum = scenario.forum()
    for person in ("bank_manager", "tide_lead", "bank_exec"):
        services.forum_member_add(forum=forum, person=scenario[person], actor=scenario["bank_exec"])
    meeting = scenario.past_meeting(forum)
    rows = services.attendance_record(
        meeting=meeting,
        present=[scenario["bank_manager"], scenario["tide_lead"], scenario["tide_exec"]],
        actor=scenario["tide_lead"],
    )
    found = {row.person.username: (row.side, row.level, row.present) for row in rows}
    assert found == {
        "bank_manager": (Side.BUYER, RoleName.MANAGER, True),
        "tide_lead": (Side.PROVIDER, RoleName.MANAGER, True),
        "tide_exec": (Side.PROVIDER, RoleName.EXECUTIVE, True),
        # A member who was not ticked is recorded absent.
        "bank_exec": (Side.BUYER, RoleName.EXECUTIVE, False),
    }
    # Roles change later: the record still says who was in the room, at which level.
    Role.objects.filter(person=scenario["tide_lead"]).update(role=RoleName.EXECUTIVE)
    services.attendance_record(
        meeting=meeting,
        present=[scenario["bank_manager"], scenario["tide_lead"], scenario["bank_exec"]],
        actor=scenario["bank_manager"],
    )
    again = {a.person.username: (a.level, a.present) for a in Attendance.objects.all()}
    assert again == {
        "bank_manager": (RoleName.MANAGER, True),
        "tide_lead": (RoleName.MANAGER, True),
        "tide_exec": (RoleName.EXECUTIVE, False),  # recorded before, not ticked now
        "bank_exec": (RoleName.EXECUTIVE, True),
    }


def test_attendance_refuses_outsiders_future_and_cancelled_meetings(scenario: Scenario) -> None:
    forum = scenario.forum()
    meeting = scenario.past_meeting(forum)
    with pytest.raises(ValidationError) as error:
        services.attendance_record(
            meeting=meeting, present=[scenario["ridge_manager"]], actor=scenario["bank_manager"]
        )
    assert "present" in error.value.message_dict
    assert not Attendance.objects.exists()
    coming = services.meeting_schedule(
        forum=forum,
        title="Later",
        starts_at=timezone.now() + dt.timedelta(hours=3),
        actor=scenario["bank_manager"],
    )
    with pytest.raises(ValidationError, match="once the meeting has started"):
        services.attendance_record(
            meeting=coming, present=[scenario["bank_manager"]], actor=scenario["bank_manager"]
        )
    services.meeting_record(meeting=meeting, status="cancelled", actor=scenario["bank_manager"])
    with pytest.raises(ValidationError, match="cancelled"):
        services.attendance_set(
            meeting=meeting, person=scenario["bank_manager"], actor=scenario["bank_manager"]
        )
    with pytest.raises(NotFound):
        services.attendance_record(meeting=meeting, present=[], actor=scenario["ridge_manager"])


def test_attendance_one_by_one(scenario: Scenario) -> None:
    meeting = scenario.past_meeting(scenario.forum())
    row = services.attendance_set(
        meeting=meeting, person=scenario["tide_exec"].pk, actor=scenario["bank_manager"]
    )
    assert (row.side, row.level, row.present) == (Side.PROVIDER, RoleName.EXECUTIVE, True)
    with pytest.raises(ValidationError, match="already recorded"):
        services.attendance_set(
            meeting=meeting, person=scenario["tide_exec"], actor=scenario["bank_manager"]
        )
    row = services.attendance_update(attendance=row, present=False, actor=scenario["tide_lead"])
    assert not row.present
    services.attendance_remove(attendance=row, actor=scenario["tide_lead"])
    assert not Attendance.objects.exists()


# --------------------------------------------------------------------------- decisions


def test_decisions(scenario: Scenario) -> None:
    meeting = scenario.past_meeting(scenario.forum())
    decision = services.decision_add(
        meeting=meeting, text=" Keep the callback. ", actor=scenario["tide_lead"]
    )
    assert decision.text == "Keep the callback."
    with pytest.raises(ValidationError):
        services.decision_add(meeting=meeting, text="  ", actor=scenario["tide_lead"])
    decision = services.decision_update(
        decision=decision, text="Keep it.", actor=scenario["bank_exec"]
    )
    assert decision.text == "Keep it."
    with pytest.raises(PermissionDenied):
        services.decision_delete(decision=decision, actor=scenario["bank_viewer"])


# --------------------------------------------------------------------------- actions


def test_an_action_tells_its_owner_who_must_hold_a_role(scenario: Scenario) -> None:
    meeting = scenario.past_meeting(scenario.forum())
    due = timezone.localdate() + dt.timedelta(days=5)
    action = services.action_add(
        meeting=meeting,
        title="Send the staffing plan",
        owner=scenario["tide_lead"],
        due_date=due,
        note="For the evening shift.",
        actor=scenario["bank_manager"],
    )
    assert action.relationship_id == scenario.rel.pk
    assert action.status == ActionStatus.OPEN
    [told] = notified(scenario["tide_lead"], NotificationKind.ACTION_ASSIGNED)
    assert told.title == "Action for you: Send the staffing plan"
    assert "For the evening shift." in told.body
    # Assigning oneself tells nobody.
    services.action_add(
        relationship=scenario.rel,
        title="Mine",
        owner=scenario["bank_manager"],
        due_date=due,
        actor=scenario["bank_manager"],
    )
    assert not notified(scenario["bank_manager"], NotificationKind.ACTION_ASSIGNED)
    with pytest.raises(ValidationError) as error:
        services.action_add(
            relationship=scenario.rel,
            title="No",
            owner=scenario["ridge_manager"],
            due_date=due,
            actor=scenario["bank_manager"],
        )
    assert error.value.message_dict["owner"] == [services.PERSON_MESSAGE]
    with pytest.raises(ValidationError):
        services.action_add(title="Nowhere", owner=1, due_date=due, actor=scenario["bank_manager"])


def test_a_new_owner_is_told_and_status_stamps_done_at(scenario: Scenario) -> None:
    action = services.action_add(
        relationship=scenario.rel,
        title="Review the forecast",
        owner=scenario["tide_lead"],
        due_date=timezone.localdate(),
        actor=scenario["bank_manager"],
    )
    action = services.action_update(
        action=action, owner=scenario["tide_exec"], actor=scenario["bank_manager"]
    )
    assert notified(scenario["tide_exec"], NotificationKind.ACTION_ASSIGNED)
    action = services.action_update(action=action, status="done", actor=scenario["bank_manager"])
    assert action.done_at is not None
    action = services.action_update(action=action, status="open", actor=scenario["bank_manager"])
    assert action.done_at is None
    with pytest.raises(ValidationError):
        services.action_update(action=action, status="lost", actor=scenario["bank_manager"])


def test_the_owner_completes_their_own_action_whatever_their_role(scenario: Scenario) -> None:
    action = services.action_add(
        relationship=scenario.rel,
        title="Read the minutes",
        owner=scenario["tide_viewer"],
        due_date=timezone.localdate(),
        actor=scenario["bank_manager"],
    )
    with pytest.raises(PermissionDenied):  # a viewer who is not the owner
        services.action_complete(action=action, actor=scenario["bank_viewer"])
    done = services.action_complete(action=action, note="Read.", actor=scenario["tide_viewer"])
    assert (done.status, done.note) == (ActionStatus.DONE, "Read.")
    assert done.done_at is not None
    with pytest.raises(ValidationError, match="already done"):
        services.action_complete(action=done, actor=scenario["tide_viewer"])
    with pytest.raises(NotFound):
        services.action_complete(action=done, actor=scenario["ridge_manager"])
    assert ActionItem.objects.get().status == ActionStatus.DONE
