"""Generic views: restricted detail, create, edit, delete, audit, and error pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from accord.core.choices import Action
from accord.core.models import AuditAction, AuditEntry
from accord.core.selectors import get_for

if TYPE_CHECKING:
    from accord.parties.models import User

AUDIT_PAGE_SIZE = 50


class RestrictedObjectMixin(LoginRequiredMixin):
    """Look the object up through ``restrict(user, action)``: hidden is 404."""

    model: type[models.Model]
    action: str = Action.VIEW
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_object(self) -> Any:
        return get_for(self.request.user, self.model, self.action, pk=self.kwargs["pk"])


class ConfirmDeleteView(RestrictedObjectMixin, View):
    """Ask to confirm, then delete one relationship record through its service.

    Subclasses name the ``model``, the service call (:meth:`perform_delete`),
    the message and the route (taking the relationship's pk) to go back to.
    """

    action = Action.DELETE
    template_name = "core/confirm_delete.html"
    back_route = "relationship_detail"
    deleted_message = "Deleted."  # may name the record: "“{object}” deleted."

    def perform_delete(self, obj: Any, actor: Any) -> None:
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        context = {
            "object": obj,
            "relationship": obj.relationship,
            "cancel_url": obj.get_absolute_url(),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        relationship_id = obj.relationship_id
        self.perform_delete(obj, person_of(request))
        messages.success(request, self.deleted_message.format(object=obj))
        return redirect(self.back_route, pk=relationship_id)


def add_form_errors(form: Any, error: ValidationError) -> None:
    """Show a service's validation error next to the fields it names."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def audit_page(request: HttpRequest, entries: Any) -> Any:
    """One page of ``entries``, optionally filtered by ``?action=``."""
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    return Paginator(entries.order_by("-seq"), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))


class ObjectAuditView(RestrictedObjectMixin, View):
    """The audit trail of one record, limited to entries the person may see."""

    template_name = "core/audit_list.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        meta = obj._meta
        entries = AuditEntry.objects.restrict(request.user).filter(
            object_type=f"{meta.app_label}.{meta.model_name}", object_id=str(obj.pk)
        )
        page = audit_page(request, entries)
        context = {"subject": obj, "entries": page.object_list, "entries_page": page}
        return render(request, self.template_name, context)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the request id to quote to an administrator."""
    context = {"request_id": getattr(request, "request_id", "")}
    return render(request, "500.html", context, status=500)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def forbid_unless(condition: bool, message: str = "Not allowed.") -> None:
    if not condition:
        raise PermissionDenied(message)


def person_of(request: HttpRequest) -> User:
    """The signed-in person (views behind ``login_required`` always have one)."""
    return cast("User", request.user)
