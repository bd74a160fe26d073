"""Pages of the warning signs' inputs: workforce months (the provider writes), meetings and
improvement proposals (either side), and the provider's finances (the buyer's alone:
404 for anyone else, list included).

The four kinds share one set of views, configured by an :class:`InputKind`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accord.core.choices import Action, Side, Visibility
from accord.core.exceptions import NotFound
from accord.core.exports import csv_response
from accord.core.selectors import get_for, permits
from accord.core.views import (
    ConfirmDeleteView,
    ObjectAuditView,
    RestrictedObjectMixin,
    add_form_errors,
    person_of,
)
from accord.core.visibility import can
from accord.health import inputs
from accord.health.forms.signs import (
    FinancialIndicatorForm,
    MeetingLogForm,
    ProposalForm,
    WorkforceImportForm,
    WorkforceMonthForm,
)
from accord.health.models import (
    FinancialIndicator,
    ImprovementProposal,
    MeetingLog,
    WorkforceMonth,
)
from accord.health.workforce_import import workforce_import
from accord.parties.models import Relationship

PAGE_SIZE = 25

Column = tuple[str, Callable[[Any], Any]]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


@dataclass(frozen=True)
class InputKind:
    """One kind of sign input and how its pages show and write it."""

    route: str  # URL name prefix: workforce, meeting_log, proposal, financial_indicator
    model: type[models.Model]
    title: str  # plural, for the list's heading
    noun: str  # singular
    form: type[forms.Form]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    object_kwarg: str
    columns: list[Column]
    initial: Callable[[Any], dict[str, Any]]
    intro: str
    visibility: str = Visibility.JOINT
    provider_writes: bool = False
    extra_links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def private(self) -> bool:
        return self.visibility != Visibility.JOINT


WORKFORCE = InputKind(
    route="workforce",
    model=WorkforceMonth,
    title="Workforce figures",
    noun="workforce month",
    form=WorkforceMonthForm,
    create=inputs.workforce_month_create,
    update=inputs.workforce_month_update,
    delete=inputs.workforce_month_delete,
    object_kwarg="row",
    columns=[
        ("Month", lambda o: f"{o.month:%Y-%m}"),
        ("Headcount", lambda o: o.headcount),
        ("Joiners", lambda o: o.joiners),
        ("Leavers", lambda o: o.leavers),
        ("Moved out", lambda o: o.moved_out),
        ("Note", lambda o: o.note),
    ],
    initial=lambda o: {
        "month": f"{o.month:%Y-%m}",
        "headcount": o.headcount,
        "joiners": o.joiners,
        "leavers": o.leavers,
        "moved_out": o.moved_out,
        "note": o.note,
    },  # fmt: skip
    intro=(
        "The provider's people on the account, month by month (warning sign 2: attrition "
        "and rotation). Both sides see them; the provider, who reports them, records them."
    ),
    provider_writes=True,
    extra_links=[("workforce_import", "Import a CSV")],
)

MEETINGS = InputKind(
    route="meeting_log",
    model=MeetingLog,
    title="Meetings",
    noun="meeting",
    form=MeetingLogForm,
    create=inputs.meeting_log_create,
    update=inputs.meeting_log_update,
    delete=inputs.meeting_log_delete,
    object_kwarg="meeting",
    columns=[
        ("Held on", lambda o: o.held_on),
        ("Title", lambda o: o.title),
        ("Tier", lambda o: o.get_tier_display()),
        ("Minutes", lambda o: o.duration_minutes),
        ("Attendees", lambda o: o.attendees),
        ("Person-hours", lambda o: f"{o.person_hours:.1f}"),
        ("Buyer executive", lambda o: _yes(o.buyer_executive_present)),
        ("Provider executive", lambda o: _yes(o.provider_executive_present)),
    ],
    initial=lambda o: {name: getattr(o, name) for name in inputs.MEETING_EDITABLE},
    intro=(
        "Governance meetings and executive contacts, logged by either side (warning signs 5, "
        "too many meetings, and 7, missing executives)."
    ),
)

PROPOSALS = InputKind(
    route="proposal",
    model=ImprovementProposal,
    title="Improvement proposals",
    noun="improvement proposal",
    form=ProposalForm,
    create=inputs.proposal_create,
    update=inputs.proposal_update,
    delete=inputs.proposal_delete,
    object_kwarg="proposal",
    columns=[
        ("Proposed on", lambda o: o.proposed_on),
        ("Title", lambda o: o.title),
        ("From", lambda o: o.get_originated_by_display()),
        ("Status", lambda o: o.get_status_display()),
    ],
    initial=lambda o: {name: getattr(o, name) for name in inputs.PROPOSAL_EDITABLE},
    intro=(
        "Improvements and growth initiatives put forward by either side; the side is the "
        "proposer's own. Warning sign 4 watches the provider's."
    ),
)

FINANCES = InputKind(
    route="financial_indicator",
    model=FinancialIndicator,
    title="The provider's finances",
    noun="financial indicator",
    form=FinancialIndicatorForm,
    create=inputs.financial_indicator_create,
    update=inputs.financial_indicator_update,
    delete=inputs.financial_indicator_delete,
    object_kwarg="indicator",
    columns=[
        ("Period end", lambda o: o.period_end),
        ("Revenue", lambda o: o.revenue),
        ("Operating margin (%)", lambda o: o.operating_margin),
        ("Credit rating", lambda o: o.credit_rating),
        ("Source", lambda o: o.source),
    ],
    initial=lambda o: {name: getattr(o, name) for name in inputs.FINANCIAL_EDITABLE},
    intro=(
        "Your side's private record of the provider's published figures (warning sign 8). "
        "The provider never sees it, nor that its finances are watched."
    ),
    visibility=Visibility.BUYER,
)

KINDS = {kind.route: kind for kind in (WORKFORCE, MEETINGS, PROPOSALS, FINANCES)}


def _area(request: HttpRequest, kind: InputKind, pk: int, action: str) -> Relationship:
    """The relationship of a list or add page; the buyer's area is 404 for anyone else."""
    user = person_of(request)
    relationship = get_for(user, Relationship, pk=pk)
    if kind.private and not can(user, Action.VIEW, relationship, kind.visibility):
        raise NotFound(f"No {kind.title.lower()} here.")
    if action != Action.VIEW:
        if not can(user, action, relationship, kind.visibility):
            raise PermissionDenied("Your role does not allow this.")
        if kind.provider_writes and relationship.side_of(user) != Side.PROVIDER:
            raise PermissionDenied("Only the provider records these figures.")
    return relationship


def _may_add(request: HttpRequest, kind: InputKind, relationship: Relationship) -> bool:
    user = person_of(request)
    if kind.provider_writes and relationship.side_of(user) != Side.PROVIDER:
        return False
    return can(user, Action.ADD, relationship, kind.visibility)


class InputListView(LoginRequiredMixin, View):
    kind: InputKind

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        relationship = _area(request, self.kind, pk, Action.VIEW)
        rows = self.kind.model.objects.restrict(request.user).filter(  # type: ignore[attr-defined]
            relationship=relationship
        )
        header = [name for name, _get in self.kind.columns]
        if request.GET.get("format") == "csv":
            data = ([get(obj) for _name, get in self.kind.columns] for obj in rows.iterator())
            filename = f"{self.kind.route}-{relationship.pk}.csv"
            return csv_response(header, data, filename)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        table = [(obj, [get(obj) for _n, get in self.kind.columns]) for obj in page.object_list]
        links = []
        if _may_add(request, self.kind, relationship):
            links = [
                (reverse(name, kwargs={"pk": relationship.pk}), label)
                for name, label in self.kind.extra_links
            ]
        context = {
            "kind": self.kind,
            "relationship": relationship,
            "header": header,
            "table": table,
            "page": page,
            "can_add": _may_add(request, self.kind, relationship),
            "add_url": reverse(f"{self.kind.route}_add", kwargs={"pk": relationship.pk}),
            "links": links,
        }
        return render(request, "health/signs/input_list.html", context)


class InputAddView(LoginRequiredMixin, View):
    kind: InputKind

    def render_form(self, form: forms.Form, relationship: Relationship) -> HttpResponse:
        context = {
            "form": form,
            "relationship": relationship,
            "title": f"New {self.kind.noun}",
            "intro": self.kind.intro,
            "submit_label": "Add",
            "cancel_url": reverse(f"{self.kind.route}_list", kwargs={"pk": relationship.pk}),
        }
        return render(self.request, "health/signs/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = _area(request, self.kind, pk, Action.ADD)
        return self.render_form(self.kind.form(), relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = _area(request, self.kind, pk, Action.ADD)
        form = self.kind.form(request.POST)
        if form.is_valid():
            try:
                obj = self.kind.create(
                    relationship=relationship, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"{self.kind.noun.capitalize()} added.")
                return redirect(obj)
        return self.render_form(form, relationship)


class InputDetailView(RestrictedObjectMixin, View):
    kind: InputKind

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        user = person_of(request)
        facts = [
            (
                f.verbose_name,
                getattr(obj, f"get_{f.name}_display")() if f.choices else getattr(obj, f.name),
            )
            for f in self.kind.model._meta.concrete_fields
            if f.name not in ("id", "relationship", "visibility", "created_by")
        ]
        context = {
            "kind": self.kind,
            "object": obj,
            "relationship": obj.relationship,
            "facts": facts,
            "can_change": permits(user, Action.CHANGE, obj),
            "can_delete": permits(user, Action.DELETE, obj),
        }
        return render(request, "health/signs/input_detail.html", context)


class InputEditView(RestrictedObjectMixin, View):
    kind: InputKind
    action = Action.CHANGE

    def render_form(self, form: forms.Form, obj: Any) -> HttpResponse:
        context = {
            "form": form,
            "relationship": obj.relationship,
            "title": f"Edit “{obj}”",
            "submit_label": "Save",
            "cancel_url": obj.get_absolute_url(),
        }
        return render(self.request, "health/signs/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        return self.render_form(self.kind.form(initial=self.kind.initial(obj)), obj)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        form = self.kind.form(request.POST)
        if form.is_valid():
            try:
                self.kind.update(
                    actor=person_of(request), **{self.kind.object_kwarg: obj}, **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Saved.")
                return redirect(obj)
        return self.render_form(form, obj)


class InputDeleteView(ConfirmDeleteView):
    kind: InputKind
    deleted_message = "Deleted."

    def perform_delete(self, obj: Any, actor: Any) -> None:
        self.kind.delete(actor=actor, **{self.kind.object_kwarg: obj})


def _view(name: str, base: type[View], attrs: dict[str, Any]) -> Any:
    view_class: Any = type(name, (base,), attrs)
    return view_class.as_view()


def views_for(kind: InputKind) -> dict[str, Any]:
    """The six views of one kind: list, add, detail, edit, delete, audit."""
    attrs = {"kind": kind, "model": kind.model}
    name = kind.model.__name__
    return {
        "list": _view(f"{name}ListView", InputListView, {"kind": kind}),
        "add": _view(f"{name}AddView", InputAddView, {"kind": kind}),
        "detail": _view(f"{name}DetailView", InputDetailView, attrs),
        "edit": _view(f"{name}EditView", InputEditView, attrs),
        "delete": _view(
            f"{name}DeleteView", InputDeleteView, {**attrs, "back_route": f"{kind.route}_list"}
        ),
        "audit": _view(f"{name}AuditView", ObjectAuditView, {"model": kind.model}),
    }


class WorkforceImportView(LoginRequiredMixin, View):
    """Import workforce months from CSV: all or nothing, idempotent (provider only)."""

    def render_form(self, form: WorkforceImportForm, relationship: Relationship) -> HttpResponse:
        context = {
            "form": form,
            "relationship": relationship,
            "title": "Import workforce figures",
            "intro": (
                "A CSV with a header row: month,headcount,joiners,leavers,moved_out and "
                "optionally note; one row per month (YYYY-MM). Nothing is saved if any row "
                "is wrong; a month already recorded is updated to the file's figures."
            ),
            "submit_label": "Import",
            "cancel_url": reverse("workforce_list", kwargs={"pk": relationship.pk}),
            "multipart": True,
        }
        return render(self.request, "health/signs/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = _area(request, WORKFORCE, pk, Action.ADD)
        return self.render_form(WorkforceImportForm(), relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = _area(request, WORKFORCE, pk, Action.ADD)
        form = WorkforceImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = workforce_import(
                    relationship=relationship,
                    text=form.cleaned_data["text"],
                    actor=person_of(request),
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"Imported: {report.message}")
                return redirect("workforce_list", pk=relationship.pk)
        return self.render_form(form, relationship)
