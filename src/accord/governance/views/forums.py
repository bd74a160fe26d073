"""Pages of forums: the escalation ladder, a forum with its members and meetings."""

from __future__ import annotations

import decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accord.core.charts import Bar, bar_chart
from accord.core.choices import Action
from accord.core.selectors import permits
from accord.core.views import ConfirmDeleteView, ObjectAuditView, add_form_errors, person_of
from accord.core.visibility import side_of
from accord.governance import selectors, services
from accord.governance.forms import ForumForm, ForumMemberForm
from accord.governance.models import Forum, ForumMember, Meeting
from accord.governance.views.common import PAGE_SIZE, GovernanceView, default_resolve_days
from accord.issues.models import Severity
from accord.parties.models import Relationship

FORUM_INTRO = (
    "Forums form the relationship's escalation ladder: an issue not resolved in time at "
    "one tier escalates to the next tier up."
)


def meeting_load_chart(load: list[selectors.MonthLoad]) -> Any:
    """Person-hours of held meetings per month (warning sign 5 reads the same figures)."""
    bars = [
        Bar(
            key=f"{month.month:%Y-%m}",
            label=f"{month.month:%b %y}",
            amount=decimal.Decimal(str(round(month.person_hours, 1))),
            text=month.text,
        )
        for month in load
    ]
    return bar_chart(
        bars,
        title="Person-hours in held meetings, by month",
        description="Meeting time multiplied by the people present, month by month; the table "
        "below gives the same figures with the executives present.",
        chart_id="meeting-load",
    )


class ForumListView(GovernanceView):
    """The escalation ladder: forums by tier with their members and calendar."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        self.use_zone(relationship)
        user = person_of(request)
        load = selectors.meeting_load(user, relationship, self.zone)
        context = {
            "relationship": relationship,
            "rungs": selectors.ladder(user, relationship)[::-1],  # top tier first
            "load": load,
            "chart": meeting_load_chart(load) if any(m.meetings for m in load) else None,
            "can_add": self.may(Action.ADD, relationship),
            "csv_url": f"{reverse('api:forum-list')}?relationship={relationship.pk}&format=csv",
        }
        return render(request, "governance/forum_list.html", context)


class ForumAddView(GovernanceView):
    model = Relationship

    def permitted(self) -> Relationship:
        relationship = self.get_object()
        self.require(Action.ADD, relationship, "add forums")
        return relationship

    def form_page(self, form: ForumForm, relationship: Relationship) -> HttpResponse:
        return self.render_form(
            form,
            relationship,
            title="New forum",
            intro=FORUM_INTRO,
            submit_label="Add the forum",
            cancel_url=reverse("forum_list", kwargs={"pk": relationship.pk}),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.permitted()
        return self.form_page(ForumForm(), relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.permitted()
        form = ForumForm(request.POST)
        if form.is_valid():
            try:
                forum = services.forum_create(
                    relationship=relationship, actor=person_of(request), **form.cleaned_values()
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"Forum “{forum}” added.")
                return redirect(forum)
        return self.form_page(form, relationship)


def escalation_times(forum: Forum) -> list[tuple[str, int | None, bool]]:
    """(severity, days, whether it is the default) for each severity, most severe first."""
    defaults = default_resolve_days(forum.tier)
    own = forum.resolve_within_days or {}
    rows = []
    for severity, label in Severity.choices:
        if severity in own:
            rows.append((label, own[severity], False))
        else:
            rows.append((label, defaults.get(severity), True))
    return rows


class ForumDetailView(GovernanceView):
    """Terms of reference, members by side, escalation times, and the forum's meetings."""

    model = Forum

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        forum = self.get_object()
        relationship = forum.relationship
        self.use_zone(relationship)
        user = person_of(request)
        members = list(
            ForumMember.objects.restrict(user)
            .filter(forum=forum)
            .select_related("person__organisation")
        )
        roles = selectors.roles_by_person(user, relationship)
        member_rows = [
            {
                "member": member,
                "side": side_of(member.person, relationship),
                "role": roles.get(member.person_id),
            }
            for member in members
        ]
        meetings = Meeting.objects.restrict(user).filter(forum=forum).order_by("-starts_at", "-pk")
        page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "forum": forum,
            "relationship": relationship,
            "member_rows": member_rows,
            "escalation": escalation_times(forum),
            "page": page,
            "meetings": page.object_list,
            "can_change": permits(user, Action.CHANGE, forum),
            "can_delete": permits(user, Action.DELETE, forum),
            "can_add": self.may(Action.ADD, relationship),
            "can_remove_members": self.may(Action.DELETE, relationship),
            "csv_url": f"{reverse('api:meeting-list')}?forum={forum.pk}&format=csv",
        }
        return render(request, "governance/forum_detail.html", context)


class ForumEditView(GovernanceView):
    model = Forum
    action = Action.CHANGE

    def form_page(self, form: ForumForm, forum: Forum) -> HttpResponse:
        return self.render_form(
            form,
            forum.relationship,
            title=f"Edit “{forum}”",
            intro=FORUM_INTRO,
            cancel_url=forum.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        forum = self.get_object()
        form = ForumForm(initial=ForumForm.initial_for(forum))
        return self.form_page(form, forum)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        forum = self.get_object()
        form = ForumForm(request.POST)
        if form.is_valid():
            try:
                services.forum_update(
                    forum=forum, actor=person_of(request), **form.cleaned_values()
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Forum saved.")
                return redirect(forum)
        return self.form_page(form, forum)


class ForumDeleteView(ConfirmDeleteView):
    model = Forum
    back_route = "forum_list"
    deleted_message = "Forum “{object}” deleted with its members and meetings."

    def perform_delete(self, obj: Any, actor: Any) -> None:
        services.forum_delete(forum=obj, actor=actor)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            return super().post(request, pk)
        except ValidationError as error:
            forum = self.get_object()
            messages.error(request, " ".join(error.messages))
            return redirect(forum)


class ForumAuditView(ObjectAuditView):
    model = Forum


class ForumMemberAddView(GovernanceView):
    """Seat someone with a role on the relationship (either side) on the forum."""

    model = Forum

    def permitted(self) -> Forum:
        forum = self.get_object()
        self.require(Action.ADD, forum.relationship, "add forum members")
        return forum

    def form(self, forum: Forum, data: Any = None) -> ForumMemberForm:
        people, labels = self.people_choices(forum.relationship)
        seated = ForumMember.objects.restrict(person_of(self.request)).filter(forum=forum)
        people = people.exclude(pk__in=seated.values("person_id"))
        return ForumMemberForm(data, people=people, labels=labels)

    def form_page(self, form: ForumMemberForm, forum: Forum) -> HttpResponse:
        return self.render_form(
            form,
            forum.relationship,
            title=f"Add a member to {forum}",
            intro="Members come from both sides; they hear about the forum's meetings and "
            "the issues that reach it.",
            submit_label="Add the member",
            cancel_url=forum.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        forum = self.permitted()
        return self.form_page(self.form(forum), forum)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        forum = self.permitted()
        form = self.form(forum, request.POST)
        if form.is_valid():
            try:
                member = services.forum_member_add(
                    forum=forum, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"{member.person} now sits on {forum}.")
                return redirect(forum)
        return self.form_page(form, forum)


class ForumMemberRemoveView(ConfirmDeleteView):
    model = ForumMember
    template_name = "governance/member_remove.html"

    def perform_delete(self, obj: Any, actor: Any) -> None:
        services.forum_member_remove(member=obj, actor=actor)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self.get_object()
        forum = member.forum
        self.perform_delete(member, person_of(request))
        messages.success(request, f"{member.person} no longer sits on {forum}.")
        return redirect(forum)


class ForumMemberAuditView(ObjectAuditView):
    model = ForumMember
