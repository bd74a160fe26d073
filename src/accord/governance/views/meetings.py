"""Pages of meetings: schedule, read, edit, record (minutes), attendance, decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accord.core.choices import Action, Side
from accord.core.selectors import permits
from accord.core.views import ConfirmDeleteView, ObjectAuditView, add_form_errors, person_of
from accord.governance import selectors, services
from accord.governance.forms import (
    AttendanceForm,
    DecisionForm,
    MeetingEditForm,
    MeetingForm,
    MeetingRecordForm,
)
from accord.governance.models import (
    ActionItem,
    Attendance,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    MeetingStatus,
)
from accord.governance.views.common import GovernanceView


class MeetingAddView(GovernanceView):
    """Schedule a meeting of the forum (its members are told), or log one held before."""

    model = Forum

    def permitted(self) -> Forum:
        forum = self.get_object()
        self.require(Action.ADD, forum.relationship, "schedule meetings")
        self.use_zone(forum.relationship)
        return forum

    def form_page(self, form: MeetingForm, forum: Forum) -> HttpResponse:
        return self.render_form(
            form,
            forum.relationship,
            title=f"Schedule a meeting of {forum}",
            intro="The forum's members are told of a meeting still to come. A meeting "
            "already held can be logged here too, then recorded with its attendance.",
            submit_label="Schedule the meeting",
            cancel_url=forum.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        forum = self.permitted()
        initial = {"title": forum.name}
        return self.form_page(MeetingForm(initial=initial), forum)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        forum = self.permitted()
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(
                    forum=forum, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Meeting scheduled.")
                return redirect(meeting)
        return self.form_page(form, forum)


class MeetingDetailView(GovernanceView):
    """Agenda, attendance by side and level, minutes, decisions and actions."""

    model = Meeting

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_object()
        relationship = meeting.relationship
        self.use_zone(relationship)
        user = person_of(request)
        today = self.today()
        actions = list(
            ActionItem.objects.restrict(user).filter(meeting=meeting).select_related("owner")
        )
        attendance = selectors.attendance_by_side(user, meeting)
        present = sum(len(groups["present"]) for groups in attendance.values())
        can_change = permits(user, Action.CHANGE, meeting)
        context = {
            "meeting": meeting,
            "forum": meeting.forum,
            "relationship": relationship,
            "attendance": [
                (Side(side).label, groups) for side, groups in attendance.items() if side
            ],
            "present_count": present,
            "recorded": any(g["present"] or g["absent"] for g in attendance.values()),
            "person_hours": meeting.duration_minutes * present / 60,
            "decisions": Decision.objects.restrict(user).filter(meeting=meeting),
            "actions": [(a, selectors.is_overdue(a, today)) for a in actions],
            "can_change": can_change,
            "can_delete": permits(user, Action.DELETE, meeting),
            "can_add": self.may(Action.ADD, relationship),
            "can_attend": can_change
            and meeting.status != MeetingStatus.CANCELLED
            and meeting.starts_at <= timezone.now(),
            "started": meeting.starts_at <= timezone.now(),
        }
        return render(request, "governance/meeting_detail.html", context)


class MeetingEditView(GovernanceView):
    model = Meeting
    action = Action.CHANGE

    def form(self, meeting: Meeting, data: Any = None, initial: Any = None) -> MeetingEditForm:
        forums = selectors.forums_of(person_of(self.request), meeting.relationship)
        return MeetingEditForm(data, initial=initial, forums=forums)

    def form_page(self, form: MeetingForm, meeting: Meeting) -> HttpResponse:
        return self.render_form(
            form,
            meeting.relationship,
            title=f"Edit “{meeting.title}”",
            cancel_url=meeting.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_object()
        self.use_zone(meeting.relationship)
        initial = {
            "forum": meeting.forum_id,
            "title": meeting.title,
            "starts_at": timezone.localtime(meeting.starts_at),
            "duration_minutes": meeting.duration_minutes,
            "location": meeting.location,
            "agenda": meeting.agenda,
        }
        return self.form_page(self.form(meeting, initial=initial), meeting)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_object()
        self.use_zone(meeting.relationship)
        form = self.form(meeting, request.POST)
        if form.is_valid():
            try:
                services.meeting_update(
                    meeting=meeting, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Meeting saved.")
                return redirect(meeting)
        return self.form_page(form, meeting)


class MeetingRecordView(GovernanceView):
    """Record the meeting as held (with its minutes) or cancelled."""

    model = Meeting
    action = Action.CHANGE

    def form_page(self, form: MeetingRecordForm, meeting: Meeting) -> HttpResponse:
        return self.render_form(
            form,
            meeting.relationship,
            title=f"Record “{meeting.title}”",
            intro="Held meetings and their attendance feed the warning signs “too many "
            "meetings” and “missing executives”.",
            submit_label="Save the record",
            cancel_url=meeting.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_object()
        status = meeting.status if meeting.status in services.RECORDED_STATUSES else "held"
        initial = {"status": status, "minutes": meeting.minutes}
        return self.form_page(MeetingRecordForm(initial=initial), meeting)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_object()
        form = MeetingRecordForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_record(
                    meeting=meeting, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Meeting recorded.")
                return redirect(meeting)
        return self.form_page(form, meeting)


class MeetingAttendanceView(GovernanceView):
    """One form: tick who was there. Side and level come from each person's role."""

    model = Meeting
    action = Action.CHANGE

    def form(self, meeting: Meeting, data: Any = None) -> AttendanceForm:
        people, labels = self.people_choices(meeting.relationship)
        user = person_of(self.request)
        ticked = Attendance.objects.restrict(user).filter(meeting=meeting, present=True)
        initial = {"present": [row.person_id for row in ticked]}
        if not initial["present"] and data is None:
            # Nothing recorded yet: start from the forum's members.
            members = ForumMember.objects.restrict(user).filter(forum_id=meeting.forum_id)
            initial["present"] = [m.person_id for m in members]
        return AttendanceForm(data, initial=initial, people=people, labels=labels)

    def form_page(self, form: AttendanceForm, meeting: Meeting) -> HttpResponse:
        return self.render_form(
            form,
            meeting.relationship,
            title=f"Who was at “{meeting.title}”?",
            intro="Tick everyone who was there, from both sides. Forum members left unticked "
            "are recorded absent. Each person's side and level are taken from their role "
            "on the relationship today, and kept if roles change later.",
            submit_label="Save the attendance",
            cancel_url=meeting.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_object()
        return self.form_page(self.form(meeting), meeting)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_object()
        form = self.form(meeting, request.POST)
        if form.is_valid():
            try:
                rows = services.attendance_record(
                    meeting=meeting,
                    present=list(form.cleaned_data["present"]),
                    actor=person_of(request),
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                there = sum(1 for row in rows if row.present)
                messages.success(request, f"Attendance saved: {there} present.")
                return redirect(meeting)
        return self.form_page(form, meeting)


class MeetingDeleteView(ConfirmDeleteView):
    model = Meeting
    deleted_message = "Meeting “{object}” deleted."

    def perform_delete(self, obj: Any, actor: Any) -> None:
        services.meeting_delete(meeting=obj, actor=actor)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_object()
        forum = meeting.forum
        self.perform_delete(meeting, person_of(request))
        messages.success(request, self.deleted_message.format(object=meeting))
        return redirect(forum)


class MeetingAuditView(ObjectAuditView):
    model = Meeting


class AttendanceAuditView(ObjectAuditView):
    model = Attendance


class DecisionAddView(GovernanceView):
    model = Meeting

    def permitted(self) -> Meeting:
        meeting = self.get_object()
        self.require(Action.ADD, meeting.relationship, "record decisions")
        return meeting

    def form_page(self, form: DecisionForm, meeting: Meeting) -> HttpResponse:
        return self.render_form(
            form,
            meeting.relationship,
            title=f"A decision of “{meeting.title}”",
            submit_label="Record the decision",
            cancel_url=meeting.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.form_page(DecisionForm(), self.permitted())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.permitted()
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decision_add(
                    meeting=meeting, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Decision recorded.")
                return redirect(meeting)
        return self.form_page(form, meeting)


class DecisionEditView(GovernanceView):
    model = Decision
    action = Action.CHANGE

    def form_page(self, form: DecisionForm, decision: Decision) -> HttpResponse:
        return self.render_form(
            form,
            decision.relationship,
            title="Edit the decision",
            cancel_url=decision.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        decision = self.get_object()
        return self.form_page(DecisionForm(initial={"text": decision.text}), decision)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        decision = self.get_object()
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decision_update(
                    decision=decision, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Decision saved.")
                return redirect(decision)
        return self.form_page(form, decision)


class DecisionDeleteView(ConfirmDeleteView):
    model = Decision

    def perform_delete(self, obj: Any, actor: Any) -> None:
        services.decision_delete(decision=obj, actor=actor)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        decision = self.get_object()
        meeting_url = reverse("meeting_detail", kwargs={"pk": decision.meeting_id})
        self.perform_delete(decision, person_of(request))
        messages.success(request, "Decision deleted.")
        return redirect(meeting_url)


class DecisionAuditView(ObjectAuditView):
    model = Decision
