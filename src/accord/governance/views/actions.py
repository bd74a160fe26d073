"""Pages of action items: the relationship's list (filters, overdue first), add, edit, done."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accord.core.choices import Action
from accord.core.selectors import permits
from accord.core.views import ConfirmDeleteView, ObjectAuditView, add_form_errors, person_of
from accord.governance import selectors, services
from accord.governance.forms import ActionCompleteForm, ActionEditForm, ActionForm
from accord.governance.models import ActionItem, ActionStatus, Meeting
from accord.governance.views.common import PAGE_SIZE, GovernanceView
from accord.parties.models import Relationship

OPEN_FIRST = Case(
    When(status=ActionStatus.OPEN, then=Value(0)),
    When(status=ActionStatus.DONE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class ActionListView(GovernanceView):
    """A relationship's actions, open ones first by due date; overdue ones highlighted."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        self.use_zone(relationship)
        user = person_of(request)
        today = self.today()
        rows = (
            ActionItem.objects.restrict(user)
            .filter(relationship=relationship)
            .select_related("owner", "meeting")
        )
        status = request.GET.get("status", "")
        if status in ActionStatus.values:
            rows = rows.filter(status=status)
        elif status == "overdue":
            rows = rows.filter(status=ActionStatus.OPEN, due_date__lt=today)
        owner = request.GET.get("owner", "")
        if owner == "me":
            rows = rows.filter(owner=user)
        elif owner.isdigit():
            rows = rows.filter(owner_id=int(owner))
        rows = rows.order_by(OPEN_FIRST, "due_date", "pk")
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        people, labels = self.people_choices(relationship)
        api_filters = f"relationship={relationship.pk}"
        if status in ActionStatus.values:
            api_filters += f"&status={status}"
        if owner.isdigit():
            api_filters += f"&owner={owner}"
        elif owner == "me":
            api_filters += f"&owner={user.pk}"
        context = {
            "relationship": relationship,
            "page": page,
            "rows": [(a, selectors.is_overdue(a, today)) for a in page.object_list],
            "status": status,
            "statuses": [*ActionStatus.choices, ("overdue", "Overdue")],
            "owner": owner,
            "owners": [(person.pk, labels.get(person.pk, str(person))) for person in people],
            "can_add": self.may(Action.ADD, relationship),
            "csv_url": f"{reverse('api:action-list')}?{api_filters}&format=csv",
            "today": today,
        }
        return render(request, "governance/action_list.html", context)


class _ActionFormMixin(GovernanceView):
    def action_form(
        self, relationship: Relationship, data: Any = None, initial: Any = None, edit: bool = False
    ) -> ActionForm:
        people, labels = self.people_choices(relationship)
        meetings = (
            Meeting.objects.restrict(person_of(self.request))
            .filter(relationship=relationship)
            .select_related("forum")
        )
        form_class = ActionEditForm if edit else ActionForm
        return form_class(data, initial=initial, people=people, labels=labels, meetings=meetings)


class ActionAddView(_ActionFormMixin):
    """An action on the relationship, from a meeting when ``?meeting=<pk>`` names one."""

    model = Relationship

    def permitted(self) -> Relationship:
        relationship = self.get_object()
        self.require(Action.ADD, relationship, "add actions")
        self.use_zone(relationship)
        return relationship

    def form_page(self, form: ActionForm, relationship: Relationship) -> HttpResponse:
        meeting = self.request.GET.get("meeting", "")
        cancel = (
            reverse("meeting_detail", kwargs={"pk": int(meeting)})
            if meeting.isdigit()
            else reverse("action_list", kwargs={"pk": relationship.pk})
        )
        return self.render_form(
            form,
            relationship,
            title="New action",
            intro="The owner is told, and sees it under “Needs my attention” until it is done.",
            submit_label="Add the action",
            cancel_url=cancel,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.permitted()
        initial: dict[str, Any] = {}
        meeting = request.GET.get("meeting", "")
        if meeting.isdigit():
            initial["meeting"] = int(meeting)
        return self.form_page(self.action_form(relationship, initial=initial), relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.permitted()
        form = self.action_form(relationship, request.POST)
        if form.is_valid():
            try:
                action = services.action_add(
                    relationship=relationship, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"Action added for {action.owner}.")
                return redirect(action.meeting or action)
        return self.form_page(form, relationship)


class ActionDetailView(GovernanceView):
    model = ActionItem

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_object()
        self.use_zone(action.relationship)
        user = person_of(request)
        context = {
            "action": action,
            "relationship": action.relationship,
            "overdue": selectors.is_overdue(action, self.today()),
            "can_change": permits(user, Action.CHANGE, action),
            "can_delete": permits(user, Action.DELETE, action),
            "can_complete": services.may_complete(user, action),
            "complete_form": ActionCompleteForm(),
        }
        return render(request, "governance/action_detail.html", context)


class ActionEditView(_ActionFormMixin):
    model = ActionItem
    action = Action.CHANGE

    def form_page(self, form: ActionForm, item: ActionItem) -> HttpResponse:
        return self.render_form(
            form, item.relationship, title=f"Edit “{item}”", cancel_url=item.get_absolute_url()
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        self.use_zone(item.relationship)
        initial = {
            "title": item.title,
            "owner": item.owner_id,
            "due_date": item.due_date,
            "meeting": item.meeting_id,
            "note": item.note,
            "status": item.status,
        }
        return self.form_page(self.action_form(item.relationship, None, initial, True), item)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        self.use_zone(item.relationship)
        form = self.action_form(item.relationship, request.POST, edit=True)
        if form.is_valid():
            try:
                services.action_update(action=item, actor=person_of(request), **form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Action saved.")
                return redirect(item)
        return self.form_page(form, item)


class ActionCompleteView(GovernanceView):
    """Mark the action done (POST): its owner, or anyone who may change actions."""

    model = ActionItem

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        user = person_of(request)
        if item.owner_id != user.pk and not permits(user, Action.CHANGE, item):
            raise PermissionDenied("Only the owner, or someone who may change actions, may.")
        form = ActionCompleteForm(request.POST)
        form.is_valid()
        try:
            services.action_complete(
                action=item, actor=user, note=form.cleaned_data.get("note") or None
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(item)
        messages.success(request, f"“{item}” is done.")
        back = request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return redirect(back)
        return redirect(item)


class ActionDeleteView(ConfirmDeleteView):
    model = ActionItem
    back_route = "action_list"
    deleted_message = "Action “{object}” deleted."

    def perform_delete(self, obj: Any, actor: Any) -> None:
        services.action_delete(action=obj, actor=actor)


class ActionAuditView(ObjectAuditView):
    model = ActionItem
