"""Pages of the buyer's introspection (step one of the reset plan) and its actions.

The provider gets 404 on every one of these pages, the list included: the
relationship is visible to both sides, but its introspection does not exist
for the provider (the same pattern as the performance app's private areas).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from accord.core.choices import Action, Visibility
from accord.core.exports import csv_response
from accord.core.models import AuditEntry
from accord.core.selectors import permits
from accord.core.views import (
    ConfirmDeleteView,
    RestrictedObjectMixin,
    add_form_errors,
    audit_page,
    person_of,
)
from accord.core.visibility import can
from accord.health import introspection as services
from accord.health.forms.index import IntrospectionActionForm, IntrospectionForm
from accord.health.models import Introspection, IntrospectionAction
from accord.parties.models import Relationship
from accord.performance.views.private import PrivateAreaMixin

PAGE_SIZE = 25
STEP_ONE = (
    "Step 1 of the reset plan: before asking the provider to change, look at our own part. "
    "Only your side ever sees this: the provider never does, in any page, export, API or "
    "audit entry."
)


class IntrospectionAreaMixin(PrivateAreaMixin):
    side = Visibility.BUYER
    what = "introspection"


class IntrospectionListView(IntrospectionAreaMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, _contract = self.area()
        user = person_of(request)
        rows = Introspection.objects.restrict(user).filter(relationship=relationship)
        page = Paginator(rows.select_related("created_by"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "relationship": relationship,
            "introspections": page.object_list,
            "page": page,
            "step_one": STEP_ONE,
            "can_add": can(user, Action.ADD, relationship, Visibility.BUYER),
        }
        return render(request, "health/index/introspection_list.html", context)


class IntrospectionCsvView(IntrospectionAreaMixin, View):
    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        relationship, _contract = self.area()
        rows = Introspection.objects.restrict(person_of(request)).filter(relationship=relationship)
        keys = [key for key, _q in Introspection.QUESTIONS]
        header = ["id", "title", "assessed_on", "mean_score"]
        for key in keys:
            header += [f"{key}_score", f"{key}_note"]
        header.append("open_actions")

        def line(item: Introspection) -> list[Any]:
            row: list[Any] = [item.pk, item.title, item.assessed_on, item.score]
            for key in keys:
                row += [getattr(item, f"{key}_score"), getattr(item, f"{key}_note")]
            row.append(item.actions.filter(done=False).count())
            return row

        return csv_response(
            header, (line(item) for item in rows), f"introspection-{relationship.pk}.csv"
        )


class IntrospectionFormMixin:
    request: HttpRequest

    def render_form(
        self, form: Any, relationship: Relationship, title: str, cancel_url: str
    ) -> HttpResponse:
        context = {
            "form": form,
            "relationship": relationship,
            "title": title,
            "intro": STEP_ONE,
            "submit_label": "Save",
            "cancel_url": cancel_url,
        }
        return render(self.request, "health/index/form.html", context)


class IntrospectionAddView(IntrospectionFormMixin, IntrospectionAreaMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, _contract = self.area(Action.ADD)
        form = IntrospectionForm(initial={"assessed_on": timezone.localdate()})
        return self.render_form(form, relationship, "New introspection", self.list_url(pk))

    def list_url(self, pk: int) -> str:
        return reverse("introspection_list", kwargs={"pk": pk})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, _contract = self.area(Action.ADD)
        form = IntrospectionForm(request.POST)
        if form.is_valid():
            try:
                introspection = services.introspection_create(
                    relationship=relationship, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Introspection recorded.")
                return redirect(introspection)
        return self.render_form(form, relationship, "New introspection", self.list_url(pk))


class IntrospectionDetailView(RestrictedObjectMixin, View):
    model = Introspection

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        introspection = self.get_object()
        user = person_of(request)
        actions = (
            IntrospectionAction.objects.restrict(user)
            .filter(introspection=introspection)
            .select_related("owner")
        )
        answers = [
            {"key": key, "question": q, "score": score, "note": note, "percent": score * 20}
            for key, q, score, note in introspection.answers()
        ]
        context = {
            "introspection": introspection,
            "relationship": introspection.relationship,
            "answers": answers,
            "actions": actions,
            "step_one": STEP_ONE,
            "can_change": permits(user, Action.CHANGE, introspection),
            "can_delete": permits(user, Action.DELETE, introspection),
            "can_add_action": can(user, Action.ADD, introspection.relationship, Visibility.BUYER),
        }
        return render(request, "health/index/introspection_detail.html", context)


def _initial(introspection: Introspection) -> dict[str, Any]:
    return {name: getattr(introspection, name) for name in services.INTROSPECTION_FIELDS}


class IntrospectionEditView(IntrospectionFormMixin, RestrictedObjectMixin, View):
    model = Introspection
    action = Action.CHANGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        form = IntrospectionForm(initial=_initial(item))
        return self.render_form(form, item.relationship, f"Edit “{item}”", item.get_absolute_url())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        form = IntrospectionForm(request.POST)
        if form.is_valid():
            try:
                services.introspection_update(
                    introspection=item, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Introspection saved.")
                return redirect(item)
        return self.render_form(form, item.relationship, f"Edit “{item}”", item.get_absolute_url())


class IntrospectionDeleteView(ConfirmDeleteView):
    model = Introspection
    back_route = "introspection_list"
    deleted_message = "Introspection deleted."

    def perform_delete(self, obj: Introspection, actor: Any) -> None:
        services.introspection_delete(introspection=obj, actor=actor)


class IntrospectionAuditView(RestrictedObjectMixin, View):
    """The introspection's audit trail, with its actions' entries."""

    model = Introspection

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        user = person_of(request)
        action_ids = [
            str(pk)
            for pk in IntrospectionAction.objects.restrict(user)
            .filter(introspection=item)
            .values_list("pk", flat=True)
        ]
        entries = AuditEntry.objects.restrict(user).filter(
            object_type="health.introspection", object_id=str(item.pk)
        ) | AuditEntry.objects.restrict(user).filter(
            object_type="health.introspectionaction", object_id__in=action_ids
        )
        page = audit_page(request, entries)
        context = {"subject": item, "entries": page.object_list, "entries_page": page}
        return render(request, "core/audit_list.html", context)


# --------------------------------------------------------------------------- actions


class ActionFormMixin:
    request: HttpRequest

    def render_form(self, form: Any, introspection: Introspection, title: str) -> HttpResponse:
        context = {
            "form": form,
            "relationship": introspection.relationship,
            "title": title,
            "intro": f"An action on ourselves after “{introspection}”. Only your side sees it.",
            "submit_label": "Save",
            "cancel_url": introspection.get_absolute_url(),
        }
        return render(self.request, "health/index/form.html", context)


class IntrospectionActionAddView(ActionFormMixin, RestrictedObjectMixin, View):
    model = Introspection

    def area(self) -> Introspection:
        item = self.get_object()
        services.buyer_area(person_of(self.request), item.relationship, Action.ADD)
        return item

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.area()
        owners = services.owner_choices(item.relationship)
        return self.render_form(IntrospectionActionForm(owners=owners), item, "New action")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.area()
        form = IntrospectionActionForm(
            request.POST, owners=services.owner_choices(item.relationship)
        )
        if form.is_valid():
            try:
                services.introspection_action_create(
                    introspection=item, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Action added.")
                return redirect(item)
        return self.render_form(form, item, "New action")


class IntrospectionActionEditView(ActionFormMixin, RestrictedObjectMixin, View):
    model = IntrospectionAction
    action = Action.CHANGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_object()
        initial = {
            "description": action.description,
            "owner": action.owner_id,
            "due_on": action.due_on,
            "done": action.done,
        }
        form = IntrospectionActionForm(
            initial=initial, owners=services.owner_choices(action.relationship)
        )
        return self.render_form(form, action.introspection, "Edit the action")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_object()
        form = IntrospectionActionForm(
            request.POST, owners=services.owner_choices(action.relationship)
        )
        if form.is_valid():
            try:
                services.introspection_action_update(
                    action=action, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Action saved.")
                return redirect(action.introspection)
        return self.render_form(form, action.introspection, "Edit the action")


class IntrospectionActionDoneView(RestrictedObjectMixin, View):
    """Toggle an action between done and not done (a button on the introspection page)."""

    model = IntrospectionAction
    action = Action.CHANGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_object()
        action = services.introspection_action_toggle(action=action, actor=person_of(request))
        messages.success(request, "Marked done." if action.done else "Marked not done.")
        return redirect(action.introspection)


class IntrospectionActionDeleteView(ConfirmDeleteView):
    model = IntrospectionAction
    deleted_message = "Action deleted."

    def perform_delete(self, obj: IntrospectionAction, actor: Any) -> None:
        services.introspection_action_delete(action=obj, actor=actor)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_object()
        introspection = action.introspection
        self.perform_delete(action, person_of(request))
        messages.success(request, self.deleted_message)
        return redirect(introspection)
