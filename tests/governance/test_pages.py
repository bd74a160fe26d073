"""Governance pages: the ladder, forms through the services, attendance, actions, the card."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.governance import services
from accord.governance.models import ActionItem, ActionStatus, Attendance, Forum, Meeting, Tier
from accord.governance.zones import relationship_zone
from tests.governance.scenario import Scenario

pytestmark = pytest.mark.django_db


def client_for(scenario: Scenario, username: str) -> Client:
    client = Client()
    client.force_login(scenario[username])
    return client


def text_of(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_ladder_shows_forums_top_tier_first_with_members_by_side(scenario: Scenario) -> None:
    client = client_for(scenario, "tide_lead")
    url = reverse("forum_list", kwargs={"pk": scenario.rel.pk})
    assert "No forums yet" in text_of(client.get(url))
    review = scenario.forum(tier=Tier.OPERATIONAL, name="Service review")
    steering = scenario.forum(tier=Tier.EXECUTIVE, name="Steering committee")
    services.forum_member_add(
        forum=steering, person=scenario["bank_exec"], is_chair=True, actor=scenario["bank_exec"]
    )
    services.forum_member_add(
        forum=steering, person=scenario["tide_exec"], actor=scenario["bank_exec"]
    )
    coming = services.meeting_schedule(
        forum=review,
        title="Next review",
        starts_at=timezone.now() + dt.timedelta(days=3),
        actor=scenario["bank_manager"],
    )
    page = client.get(url)
    html = page.content.decode()
    assert html.index("Steering committee") < html.index("Service review")
    assert "Bank Exec chair" in text_of(page)
    assert coming.get_absolute_url() in html
    assert f"/api/v1/forums/?relationship={scenario.rel.pk}&amp;format=csv" in html
    assert "Add a forum" in html
    assert "Add a forum" not in client_for(scenario, "tide_viewer").get(url).content.decode()


def test_adding_a_forum_names_the_field_in_error(scenario: Scenario) -> None:
    client = client_for(scenario, "bank_manager")
    url = reverse("forum_add", kwargs={"pk": scenario.rel.pk})
    assert client.get(url).status_code == 200
    data = {
        "name": "Contract committee",
        "tier": "2",
        "cadence": "monthly",
        "terms_of_reference": "**Monthly.**",
        "resolve_critical": "3",
        "resolve_low": "",
    }
    response = client.post(url, data)
    forum = Forum.objects.get()
    assert response.status_code == 302
    assert response["Location"] == forum.get_absolute_url()
    assert forum.resolve_within_days == {"critical": 3}
    again = client.post(url, data)
    assert again.status_code == 200
    assert "already has a forum of that name" in again.content.decode()
    assert Forum.objects.count() == 1


def test_forum_page_shows_escalation_times_members_and_meetings(scenario: Scenario) -> None:
    forum = scenario.forum(tier=Tier.MANAGEMENT, resolve_within_days={"critical": 1})
    services.forum_member_add(
        forum=forum, person=scenario["tide_lead"], actor=scenario["bank_exec"]
    )
    for days in range(1, 28):
        scenario.past_meeting(forum, days_ago=days)
    client = client_for(scenario, "bank_viewer")
    response = client.get(forum.get_absolute_url())
    text = text_of(response)
    assert "Critical 1 day" in text
    assert "High 7 days (default)" in text  # the issues clock's default for tier 2
    assert "Tide Lead" in text
    assert "Provider" in text
    assert "Manager" in text
    assert "Page 1 of 2" in text
    assert "Schedule a meeting" not in text  # a viewer adds nothing


def test_scheduling_reads_the_time_on_the_relationship_s_clock(scenario: Scenario) -> None:
    forum = scenario.forum()
    client = client_for(scenario, "tide_lead")
    url = reverse("meeting_add", kwargs={"pk": forum.pk})
    form = client.get(url).content.decode()
    assert 'type="datetime-local"' in form
    response = client.post(
        url,
        {
            "title": "Winter review",
            "starts_at": "2026-12-15T09:30",
            "duration_minutes": "60",
            "location": "",
            "agenda": "1. Peak",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    # British Columbia keeps UTC-7 all year from late 2026 (the pinned tz database).
    assert meeting.starts_at == dt.datetime(2026, 12, 15, 16, 30, tzinfo=dt.UTC)
    page = text_of(client.get(meeting.get_absolute_url()))
    assert "Tuesday 15 December 2026, 09:30" in page


def test_one_form_records_who_was_there(scenario: Scenario) -> None:
    forum = scenario.forum()
    for person in ("bank_manager", "tide_lead"):
        services.forum_member_add(forum=forum, person=scenario[person], actor=scenario["bank_exec"])
    meeting = scenario.past_meeting(forum, minutes=60)
    client = client_for(scenario, "bank_manager")
    url = reverse("meeting_attendance", kwargs={"pk": meeting.pk})
    form = client.get(url).content.decode()
    # Forum members start ticked; every person is labelled with side and level.
    assert re.search(rf'value="{scenario["tide_lead"].pk}"[^>]*checked', form)
    assert "Tide Exec (provider, executive)" in form
    response = client.post(
        url, {"present": [scenario["bank_manager"].pk, scenario["tide_exec"].pk]}
    )
    assert response.status_code == 302
    rows = {a.person.username: a.present for a in Attendance.objects.all()}
    assert rows == {"bank_manager": True, "tide_exec": True, "tide_lead": False}
    services.meeting_record(meeting=meeting, status="held", actor=scenario["bank_manager"])
    page = text_of(client.get(meeting.get_absolute_url()))
    assert "Person-hours 2.0 (2 present)" in page
    assert "Absent: Tide Lead (manager)" in page


def test_attendance_of_a_meeting_to_come_is_refused_with_a_message(scenario: Scenario) -> None:
    forum = scenario.forum()
    meeting = services.meeting_schedule(
        forum=forum,
        title="Soon",
        starts_at=timezone.now() + dt.timedelta(days=1),
        actor=scenario["bank_manager"],
    )
    client = client_for(scenario, "bank_manager")
    response = client.post(
        reverse("meeting_attendance", kwargs={"pk": meeting.pk}),
        {"present": [scenario["bank_manager"].pk]},
    )
    assert response.status_code == 200
    assert "once the meeting has started" in response.content.decode()
    assert not Attendance.objects.exists()


def test_action_list_filters_and_highlights_overdue(scenario: Scenario) -> None:
    today = timezone.localdate()
    late = services.action_add(
        relationship=scenario.rel,
        title="Late one",
        owner=scenario["tide_lead"],
        due_date=today - dt.timedelta(days=3),
        actor=scenario["bank_manager"],
    )
    services.action_add(
        relationship=scenario.rel,
        title="Soon one",
        owner=scenario["bank_manager"],
        due_date=today + dt.timedelta(days=3),
        actor=scenario["bank_manager"],
    )
    done = services.action_add(
        relationship=scenario.rel,
        title="Done one",
        owner=scenario["tide_lead"],
        due_date=today - dt.timedelta(days=30),
        actor=scenario["bank_manager"],
    )
    services.action_complete(action=done, actor=scenario["tide_lead"])
    client = client_for(scenario, "tide_lead")
    url = reverse("action_list", kwargs={"pk": scenario.rel.pk})
    html = client.get(url).content.decode()
    assert html.index("Late one") < html.index("Soon one") < html.index("Done one")
    assert re.search(rf'data-object="governance.actionitem:{late.pk}" class="overdue"', html)
    assert "Done one" not in client.get(url, {"status": "open"}).content.decode()
    overdue = client.get(url, {"status": "overdue"}).content.decode()
    assert "Late one" in overdue
    assert "Soon one" not in overdue
    mine = client.get(url, {"owner": "me"}).content.decode()
    assert "Late one" in mine
    assert "Soon one" not in mine
    theirs = client.get(url, {"owner": scenario["bank_manager"].pk}).content.decode()
    assert "Soon one" in theirs
    assert "Late one" not in theirs
    assert f"owner={scenario['tide_lead'].pk}&amp;format=csv" in mine


def test_the_owner_marks_an_action_done_and_goes_back(scenario: Scenario) -> None:
    action = services.action_add(
        relationship=scenario.rel,
        title="Read the pack",
        owner=scenario["tide_viewer"],
        due_date=timezone.localdate(),
        actor=scenario["bank_manager"],
    )
    client = client_for(scenario, "tide_viewer")
    detail = client.get(action.get_absolute_url()).content.decode()
    assert "Mark as done" in detail
    assert ">Edit<" not in detail
    url = reverse("action_complete", kwargs={"pk": action.pk})
    response = client.post(url, {"note": "", "next": "https://evil.example/"})
    assert response["Location"] == action.get_absolute_url()
    assert ActionItem.objects.get().status == ActionStatus.DONE
    again = client.post(url, {"next": "/attention/"})
    assert again.status_code == 302  # already done: a message, nothing changes
    other = client_for(scenario, "bank_viewer")
    assert other.post(url).status_code == 403


def test_adding_an_action_from_a_meeting(scenario: Scenario) -> None:
    meeting = scenario.past_meeting(scenario.forum())
    client = client_for(scenario, "bank_manager")
    url = reverse("action_add", kwargs={"pk": scenario.rel.pk})
    form = client.get(url, {"meeting": meeting.pk}).content.decode()
    assert re.search(rf'<option value="{meeting.pk}" selected>', form)
    response = client.post(
        url,
        {
            "title": "Cost weekend cover",
            "owner": scenario["tide_lead"].pk,
            "due_date": "2026-12-01",
            "meeting": meeting.pk,
            "note": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    refused = client.post(
        url,
        {"title": "X", "owner": scenario["ridge_manager"].pk, "due_date": "2026-12-01"},
    )
    assert refused.status_code == 200
    assert 'class="error' in refused.content.decode()
    assert ActionItem.objects.count() == 1


def test_the_relationship_card_in_three_queries(scenario: Scenario) -> None:
    review = scenario.forum(tier=Tier.OPERATIONAL, name="Service review")
    scenario.forum(tier=Tier.EXECUTIVE, name="Steering")
    services.meeting_schedule(
        forum=review,
        title="Next review",
        starts_at=timezone.now() + dt.timedelta(days=2),
        actor=scenario["bank_manager"],
    )
    for days in (-2, 5):
        services.action_add(
            relationship=scenario.rel,
            title=f"Action {days}",
            owner=scenario["tide_lead"],
            due_date=timezone.localdate() + dt.timedelta(days=days),
            actor=scenario["bank_manager"],
        )
    request = RequestFactory().get("/")
    request.user = scenario["tide_lead"]
    template = Template("{% load governance %}{% governance_card relationship %}")
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"request": request, "relationship": scenario.rel}))
    assert len(queries) <= 3
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Service review tier 1" in text
    assert "Steering tier 3" in text
    assert "Next review on" in text
    assert "Open actions 2 , 1 overdue" in text


def test_the_ladder_page_charts_the_meeting_load(scenario: Scenario) -> None:
    forum = scenario.forum(tier=Tier.EXECUTIVE, name="Steering")
    meeting = scenario.past_meeting(forum, days_ago=0, minutes=90)
    services.attendance_record(
        meeting=meeting,
        present=[scenario["bank_exec"], scenario["tide_lead"]],
        actor=scenario["bank_manager"],
    )
    client = client_for(scenario, "tide_viewer")
    url = reverse("forum_list", kwargs={"pk": scenario.rel.pk})
    assert 'id="meeting-load"' not in client.get(url).content.decode()  # nothing held yet
    services.meeting_record(meeting=meeting, status="held", actor=scenario["bank_manager"])
    html = client.get(url).content.decode()
    assert 'id="meeting-load"' in html
    month = timezone.localtime(meeting.starts_at, relationship_zone(scenario.rel))
    text = text_of(client.get(url))
    assert f"{month:%B %Y} 1 3.0 present —" in text
    assert f"{month:%B %Y}: 1 meeting, 3.0 person-hours, buyer executive present" in html


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(scenario: Scenario, tag: str) -> None:
    """One more forum with members, a held meeting with attendance, decisions and actions."""
    forum = scenario.forum(tier=Tier.MANAGEMENT, name=f"Committee {tag}")
    for person in ("bank_manager", "tide_lead", "tide_exec"):
        services.forum_member_add(forum=forum, person=scenario[person], actor=scenario["bank_exec"])
    meeting = scenario.past_meeting(forum)
    services.attendance_record(
        meeting=meeting,
        present=[scenario["bank_manager"], scenario["tide_exec"]],
        actor=scenario["bank_manager"],
    )
    services.meeting_record(meeting=meeting, status="held", actor=scenario["bank_manager"])
    services.decision_add(meeting=meeting, text=f"Decision {tag}", actor=scenario["bank_manager"])
    services.meeting_schedule(
        forum=forum,
        title=f"Next {tag}",
        starts_at=timezone.now() + dt.timedelta(days=5),
        actor=scenario["bank_manager"],
    )
    for owner in ("tide_lead", "tide_exec"):
        services.action_add(
            meeting=meeting,
            title=f"Action {tag} {owner}",
            owner=scenario[owner],
            due_date=timezone.localdate(),
            actor=scenario["bank_manager"],
        )


@pytest.mark.parametrize(
    "page", ["forum_list", "forum_detail", "meeting_detail", "action_list", "attention_inbox"]
)
def test_pages_cost_the_same_queries_whatever_the_data(scenario: Scenario, page: str) -> None:
    grow(scenario, "first")
    forum = Forum.objects.get()
    meeting = Meeting.objects.filter(status="held").get()
    urls = {
        "forum_list": reverse("forum_list", kwargs={"pk": scenario.rel.pk}),
        "forum_detail": forum.get_absolute_url(),
        "meeting_detail": meeting.get_absolute_url(),
        "action_list": reverse("action_list", kwargs={"pk": scenario.rel.pk}),
        "attention_inbox": reverse("attention_inbox"),
    }
    client = client_for(scenario, "tide_exec")
    queries_for(client, urls[page])  # warm the session
    small = queries_for(client, urls[page])
    for n in range(4):
        grow(scenario, f"more {n}")
    if page in ("forum_detail", "meeting_detail"):
        for days in range(2, 6):  # more meetings of the same forum, more rows on the same page
            other = scenario.past_meeting(forum, days_ago=days)
            services.attendance_record(
                meeting=other, present=[scenario["tide_lead"]], actor=scenario["bank_manager"]
            )
            services.action_add(
                meeting=meeting,
                title=f"More {days}",
                owner=scenario["bank_exec"],
                due_date=timezone.localdate(),
                actor=scenario["bank_manager"],
            )
        for viewer in ("bank_viewer", "tide_viewer"):
            services.attendance_set(
                meeting=meeting, person=scenario[viewer], actor=scenario["bank_manager"]
            )
    assert queries_for(client, urls[page]) == small
