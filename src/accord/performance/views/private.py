"""Pages of each side's private records: the buyer's credit forecasts, the provider's cost notes.

The other side gets 404 on every one of these pages, the list pages
included: a relationship is visible to both sides, but its private area for
one side does not exist for the other.
"""

from __future__ import annotations

import decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from accord.contracts.models import Contract
from accord.core.choices import Action, Visibility
from accord.core.exceptions import NotFound
from accord.core.selectors import get_for, permits
from accord.core.views import (
    ConfirmDeleteView,
    ObjectAuditView,
    RestrictedObjectMixin,
    add_form_errors,
    person_of,
)
from accord.core.visibility import can
from accord.parties.models import Relationship
from accord.performance import cost_notes, forecasts
from accord.performance.forms.private import CostNoteForm, ForecastForm
from accord.performance.models import CostOfQualityNote, CreditForecast, ServiceLevel
from accord.performance.scorecards import latest_run

PAGE_SIZE = 25


class PrivateAreaMixin(RestrictedObjectMixin):
    """A relationship's private area for one side: 404 for anyone else."""

    model = Relationship
    side: str = ""
    what: str = ""

    def area(self, action: str = Action.VIEW) -> tuple[Relationship, Contract | None]:
        relationship = get_for(self.request.user, Relationship, pk=self.kwargs["pk"])
        user = person_of(self.request)
        if not can(user, Action.VIEW, relationship, self.side):
            raise NotFound(f"No {self.what} here.")
        if action != Action.VIEW and not can(user, action, relationship, self.side):
            raise PermissionDenied("Your role does not allow this.")
        contract = Contract.objects.restrict(user).filter(relationship=relationship).first()
        return relationship, contract

    def contract_or_404(self, contract: Contract | None) -> Contract:
        if contract is None:
            raise NotFound("This relationship has no contract yet.")
        return contract


def _default_year(contract: Contract | None) -> int:
    """The year of the latest reported month, else this year."""
    run = latest_run(contract) if contract else None
    if run is not None and run.last_period[:4].isdigit():
        return int(run.last_period[:4])
    return timezone.localdate().year


# --------------------------------------------------------------------------- forecasts


class ForecastListView(PrivateAreaMixin, View):
    side = Visibility.BUYER
    what = "credit forecasts"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, contract = self.area()
        user = person_of(request)
        rows = CreditForecast.objects.restrict(user).filter(relationship=relationship)
        page = Paginator(rows.select_related("created_by", "based_on"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "relationship": relationship,
            "contract": contract,
            "forecasts": page.object_list,
            "page": page,
            "can_add": contract is not None
            and can(user, Action.ADD, relationship, Visibility.BUYER),
            "form": ForecastForm(initial={"year": _default_year(contract)}),
        }
        return render(request, "performance/private/forecast_list.html", context)


class ForecastAddView(PrivateAreaMixin, View):
    side = Visibility.BUYER
    what = "credit forecasts"

    def render_form(self, form: ForecastForm, relationship: Relationship) -> HttpResponse:
        context = {
            "form": form,
            "relationship": relationship,
            "title": "Forecast this year's credits",
            "intro": (
                "A private record of the buyer: the provider never sees it. Months already "
                "reported count with their actual credits; the rest are projected from each "
                "critical level's last three months, and the forecast states how."
            ),
            "submit_label": "Make the forecast",
            "cancel_url": reverse("forecast_list", kwargs={"pk": relationship.pk}),
        }
        return render(self.request, "performance/private/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, contract = self.area(Action.ADD)
        contract = self.contract_or_404(contract)
        form = ForecastForm(initial={"year": _default_year(contract)})
        return self.render_form(form, relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, contract = self.area(Action.ADD)
        contract = self.contract_or_404(contract)
        form = ForecastForm(request.POST)
        if form.is_valid():
            try:
                forecast = forecasts.credit_forecast_create(
                    contract=contract, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Forecast made.")
                return redirect(forecast)
        return self.render_form(form, relationship)


class ForecastDetailView(RestrictedObjectMixin, View):
    model = CreditForecast

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        forecast = self.get_object()
        user = person_of(request)
        actual = sum(
            (
                decimal.Decimal(line["amount"])
                for line in forecast.lines
                if line.get("kind") == "actual"
            ),
            decimal.Decimal(0),
        )
        context = {
            "forecast": forecast,
            "relationship": forecast.relationship,
            "actual_total": actual,
            "projected_total": forecast.total - actual,
            "can_delete": CreditForecast.objects.restrict(user, Action.DELETE)
            .filter(pk=forecast.pk)
            .exists(),
        }
        return render(request, "performance/private/forecast_detail.html", context)


class ForecastDeleteView(ConfirmDeleteView):
    model = CreditForecast
    back_route = "forecast_list"
    deleted_message = "Forecast deleted."

    def perform_delete(self, obj: CreditForecast, actor: Any) -> None:
        forecasts.credit_forecast_delete(forecast=obj, actor=actor)


class ForecastAuditView(ObjectAuditView):
    model = CreditForecast


# --------------------------------------------------------------------------- cost notes


def _levels(user: Any, contract: Contract) -> Any:
    return ServiceLevel.objects.restrict(user).filter(contract=contract)


class CostNoteListView(PrivateAreaMixin, View):
    side = Visibility.PROVIDER
    what = "cost-of-quality notes"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, contract = self.area()
        user = person_of(request)
        rows = CostOfQualityNote.objects.restrict(user).filter(relationship=relationship)
        page = Paginator(rows.select_related("service_level", "created_by"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "relationship": relationship,
            "contract": contract,
            "notes": page.object_list,
            "page": page,
            "can_add": contract is not None
            and can(user, Action.ADD, relationship, Visibility.PROVIDER),
        }
        return render(request, "performance/private/cost_note_list.html", context)


class CostNoteAddView(PrivateAreaMixin, View):
    side = Visibility.PROVIDER
    what = "cost-of-quality notes"

    def render_form(self, form: CostNoteForm, relationship: Relationship) -> HttpResponse:
        context = {
            "form": form,
            "relationship": relationship,
            "title": "New cost-of-quality note",
            "intro": "Private to the provider: the buyer never sees these notes.",
            "submit_label": "Add the note",
            "cancel_url": reverse("cost_note_list", kwargs={"pk": relationship.pk}),
        }
        return render(self.request, "performance/private/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, contract = self.area(Action.ADD)
        contract = self.contract_or_404(contract)
        user = person_of(request)
        initial: dict[str, Any] = {"month": request.GET.get("month", "")[:7]}
        level = request.GET.get("level", "")
        if level.isdigit() and _levels(user, contract).filter(pk=level).exists():
            initial["service_level"] = int(level)
        form = CostNoteForm(initial=initial, levels=_levels(user, contract))
        return self.render_form(form, relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, contract = self.area(Action.ADD)
        contract = self.contract_or_404(contract)
        user = person_of(request)
        form = CostNoteForm(request.POST, levels=_levels(user, contract))
        if form.is_valid():
            try:
                note = cost_notes.cost_note_create(
                    contract=contract, actor=user, **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Note added.")
                return redirect(note)
        return self.render_form(form, relationship)


class CostNoteDetailView(RestrictedObjectMixin, View):
    model = CostOfQualityNote

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        note = self.get_object()
        user = person_of(request)
        context = {
            "note": note,
            "relationship": note.relationship,
            "can_change": permits(user, Action.CHANGE, note),
            "can_delete": permits(user, Action.DELETE, note),
        }
        return render(request, "performance/private/cost_note_detail.html", context)


class CostNoteEditView(RestrictedObjectMixin, View):
    model = CostOfQualityNote
    action = Action.CHANGE

    def render_form(self, form: CostNoteForm, note: CostOfQualityNote) -> HttpResponse:
        context = {
            "form": form,
            "relationship": note.relationship,
            "title": f"Edit “{note}”",
            "submit_label": "Save",
            "cancel_url": note.get_absolute_url(),
        }
        return render(self.request, "performance/private/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        note = self.get_object()
        initial = {
            "month": note.month,
            "service_level": note.service_level_id,
            "title": note.title,
            "amount": note.amount,
            "body": note.body,
        }
        levels = _levels(person_of(request), note.contract)
        return self.render_form(CostNoteForm(initial=initial, levels=levels), note)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        note = self.get_object()
        form = CostNoteForm(request.POST, levels=_levels(person_of(request), note.contract))
        if form.is_valid():
            try:
                cost_notes.cost_note_update(
                    note=note, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Note saved.")
                return redirect(note)
        return self.render_form(form, note)


class CostNoteDeleteView(ConfirmDeleteView):
    model = CostOfQualityNote
    back_route = "cost_note_list"
    deleted_message = "Note deleted."

    def perform_delete(self, obj: CostOfQualityNote, actor: Any) -> None:
        cost_notes.cost_note_delete(note=obj, actor=actor)


class CostNoteAuditView(ObjectAuditView):
    model = CostOfQualityNote
