"""Pages of the excusal workflow: list, request, read and sign, edit, decline, withdraw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views import View

from accord.contracts.models import Contract
from accord.core import signing
from accord.core.choices import Action, Side, Visibility
from accord.core.exceptions import NotFound
from accord.core.models import Signature
from accord.core.signing import current_signatures
from accord.core.views import ObjectAuditView, RestrictedObjectMixin, add_form_errors, person_of
from accord.core.visibility import can
from accord.parties.models import Relationship
from accord.performance import excusals as services
from accord.performance.forms.excusals import (
    ExcusalDeclineForm,
    ExcusalEditForm,
    ExcusalRequestForm,
)
from accord.performance.models import (
    CreditLine,
    CreditMonth,
    Excusal,
    ExcusalStatus,
    LevelKind,
    ServiceLevel,
)

PAGE_SIZE = 25
EXCUSAL_TYPE = "performance.excusal"


def optional_url(name: str, **kwargs: Any) -> str | None:
    """The URL of another area's page, or None while that page does not exist."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def contract_of(relationship: Relationship, user: Any) -> Contract | None:
    return Contract.objects.restrict(user).filter(relationship=relationship).first()


def may_request(user: Any, relationship: Relationship) -> bool:
    """The provider side, with a role that adds joint records (the service decides too)."""
    return relationship.side_of(user) == Side.PROVIDER and can(
        user, Action.ADD, relationship, Visibility.JOINT
    )


@dataclass(frozen=True)
class ExcusalRow:
    """An excusal of the list with the sides that signed its current version."""

    excusal: Excusal
    sides: set[str]

    @property
    def buyer_signed(self) -> bool:
        return Side.BUYER in self.sides

    @property
    def provider_signed(self) -> bool:
        return Side.PROVIDER in self.sides


class ExcusalListView(RestrictedObjectMixin, View):
    """A relationship's excusals with their status and signatures, filterable by status."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        rows = (
            Excusal.objects.restrict(user)
            .filter(relationship=relationship)
            .select_related("service_level", "created_by")
        )
        chosen = request.GET.get("status", "")
        if chosen in ExcusalStatus.values:
            rows = rows.filter(status=chosen)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        excusals = list(page.object_list)
        signed = current_signatures(excusals, user)
        rows_shown = [
            ExcusalRow(excusal, {s.side for s in signed.get(excusal.pk, [])})
            for excusal in excusals
        ]
        contract = contract_of(relationship, user)
        context = {
            "relationship": relationship,
            "contract": contract,
            "rows": rows_shown,
            "page": page,
            "chosen": chosen,
            "statuses": ExcusalStatus.choices,
            "can_request": contract is not None and may_request(user, relationship),
        }
        template = (
            "performance/excusals/excusal_rows.html"
            if request.htmx  # type: ignore[attr-defined]
            else "performance/excusals/excusal_list.html"
        )
        return render(request, template, context)


class ExcusalAddView(RestrictedObjectMixin, View):
    """The provider's request for relief, prefilled from ``?level=<pk>&month=YYYY-MM``."""

    model = Relationship

    def permitted(self) -> tuple[Relationship, Contract]:
        relationship = self.get_object()
        user = person_of(self.request)
        if not may_request(user, relationship):
            raise PermissionDenied("Only the provider may request an excusal.")
        contract = contract_of(relationship, user)
        if contract is None:
            raise NotFound("This relationship has no contract yet.")
        return relationship, contract

    def levels(self, contract: Contract) -> Any:
        return ServiceLevel.objects.restrict(person_of(self.request)).filter(
            contract=contract, kind=LevelKind.CRITICAL, retired=False
        )

    def render_form(self, form: ExcusalRequestForm, relationship: Relationship) -> HttpResponse:
        context = {
            "form": form,
            "relationship": relationship,
            "title": "Request an excusal",
            "intro": (
                "Ask the buyer to excuse a critical service level's miss in one month. "
                "Once a signatory of each side has signed it, the credit is recomputed "
                "without the miss."
            ),
            "submit_label": "Request the excusal",
            "cancel_url": reverse("excusal_list", kwargs={"pk": relationship.pk}),
        }
        return render(self.request, "performance/excusals/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, contract = self.permitted()
        levels = self.levels(contract)
        initial: dict[str, Any] = {"month": request.GET.get("month", "")[:7]}
        level = request.GET.get("level", "")
        if level.isdigit() and levels.filter(pk=level).exists():
            initial["service_level"] = int(level)
        return self.render_form(ExcusalRequestForm(initial=initial, levels=levels), relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, contract = self.permitted()
        form = ExcusalRequestForm(request.POST, levels=self.levels(contract))
        if form.is_valid():
            try:
                excusal = services.excusal_request(
                    contract=contract, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Excusal requested.")
                return redirect(excusal)
        return self.render_form(form, relationship)


def _credit_effect(excusal: Excusal, user: Any) -> dict[str, Any] | None:
    """What the scorecard in force says of the excused level and month."""
    from accord.performance.scorecards import latest_run

    run = latest_run(excusal.contract)
    if run is None:
        return None
    month = CreditMonth.objects.restrict(user).filter(run=run, month=excusal.month).first()
    if month is None:
        return {"run": run, "month": None}
    line = (
        CreditLine.objects.restrict(user)
        .filter(credit_month=month, service_level=excusal.service_level)
        .first()
    )
    excused = [
        item
        for item in (month.detail or {}).get("excused", [])
        if item.get("code") == excusal.service_level.code
    ]
    return {
        "run": run,
        "month": month,
        "line": line,
        "excused": excused,
        "month_url": optional_url("credit_month_detail", pk=month.pk),
        "line_url": optional_url("credit_line_detail", pk=line.pk) if line else None,
    }


def detail_context(request: HttpRequest, excusal: Excusal, **extra: Any) -> dict[str, Any]:
    user = person_of(request)
    found = (
        Signature.objects.restrict(user)
        .filter(object_type=EXCUSAL_TYPE, object_id=str(excusal.pk))
        .select_related("signer")
        .order_by("-version", "side", "signed_at")
    )
    current = {Side.BUYER: None, Side.PROVIDER: None}
    history: dict[int, list[Signature]] = {}
    for signature in found:
        if signature.version == excusal.version:
            current[signature.side] = signature
        else:
            history.setdefault(signature.version, []).append(signature)
    actions = services.excusal_actions(excusal, user)
    return {
        "excusal": excusal,
        "relationship": excusal.relationship,
        "current_signatures": current,
        "current_list": [s for s in current.values() if s is not None],
        "history": sorted(history.items(), reverse=True),
        "actions": actions,
        "side": excusal.relationship.side_of(user),
        "is_signatory": signing.is_signatory(user, excusal.relationship),
        "effect": _credit_effect(excusal, user),
        "level_url": optional_url("service_level_detail", pk=excusal.service_level_id),
        "decline_form": extra.pop("decline_form", None) or ExcusalDeclineForm(),
        **extra,
    }


def render_detail(request: HttpRequest, excusal: Excusal, **extra: Any) -> HttpResponse:
    return render(
        request,
        "performance/excusals/excusal_detail.html",
        detail_context(request, excusal, **extra),
    )


class ExcusalDetailView(RestrictedObjectMixin, View):
    model = Excusal

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_detail(request, self.get_object())


class ExcusalEditView(RestrictedObjectMixin, View):
    """Restate the reason: a new version, to be signed again by both sides."""

    model = Excusal
    action = Action.CHANGE

    def permitted(self) -> Excusal:
        excusal = self.get_object()
        user = person_of(self.request)
        if excusal.relationship.side_of(user) != Side.PROVIDER:
            raise PermissionDenied("Only the provider may edit an excusal.")
        return excusal

    def render_form(self, form: ExcusalEditForm, excusal: Excusal) -> HttpResponse:
        context = {
            "form": form,
            "relationship": excusal.relationship,
            "title": f"Edit “{excusal}”",
            "intro": (
                f"This is version {excusal.version}. Saving a new reason makes version "
                f"{excusal.version + 1}: the signatures given so far stop counting and both "
                "sides sign again."
            ),
            "submit_label": "Save the new version",
            "cancel_url": excusal.get_absolute_url(),
        }
        return render(self.request, "performance/excusals/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        excusal = self.permitted()
        if excusal.status != ExcusalStatus.REQUESTED:
            messages.error(request, "A decided excusal cannot be edited.")
            return redirect(excusal)
        return self.render_form(ExcusalEditForm(initial={"reason": excusal.reason}), excusal)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        excusal = self.permitted()
        form = ExcusalEditForm(request.POST)
        if form.is_valid():
            try:
                services.excusal_update(
                    excusal=excusal, reason=form.cleaned_data["reason"], actor=person_of(request)
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Excusal saved.")
                return redirect(excusal)
        return self.render_form(form, excusal)


class _ExcusalActionView(RestrictedObjectMixin, View):
    """A button on the excusal's page: POST only; a refusal of state re-renders the page."""

    model = Excusal
    done_message = ""

    def act(self, excusal: Excusal, request: HttpRequest) -> Excusal:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        excusal = self.get_object()
        try:
            excusal = self.act(excusal, request)
        except ValidationError as error:
            excusal.refresh_from_db()
            return render_detail(request, excusal, **self.error_context(error))
        messages.success(request, self.message(excusal))
        return redirect(excusal)

    def error_context(self, error: ValidationError) -> dict[str, Any]:
        return {"action_errors": error.messages}

    def message(self, excusal: Excusal) -> str:
        return self.done_message


class ExcusalSignView(_ExcusalActionView):
    def act(self, excusal: Excusal, request: HttpRequest) -> Excusal:
        return services.excusal_sign(excusal=excusal, actor=person_of(request))

    def message(self, excusal: Excusal) -> str:
        if excusal.status == ExcusalStatus.APPROVED:
            return "Signed. Both sides have signed: the excusal is approved and credits recomputed."
        return "Signed. The excusal takes effect when the other side signs this version."


class ExcusalDeclineView(_ExcusalActionView):
    done_message = "Excusal declined."

    def act(self, excusal: Excusal, request: HttpRequest) -> Excusal:
        self.form = ExcusalDeclineForm(request.POST)
        note = self.form.data.get("note", "")
        return services.excusal_decline(excusal=excusal, note=note, actor=person_of(request))

    def error_context(self, error: ValidationError) -> dict[str, Any]:
        form = self.form
        form.is_valid()
        if not hasattr(error, "error_dict"):
            return {"decline_form": form, "action_errors": error.messages}
        for field, found in error.message_dict.items():
            if not form.has_error(field):  # the form may have said it already
                form.add_error(field if field in form.fields else None, found)
        return {"decline_form": form}


class ExcusalWithdrawView(_ExcusalActionView):
    def act(self, excusal: Excusal, request: HttpRequest) -> Excusal:
        self.was_approved = excusal.status == ExcusalStatus.APPROVED
        return services.excusal_withdraw(excusal=excusal, actor=person_of(request))

    def message(self, excusal: Excusal) -> str:
        if self.was_approved:
            return "Excusal withdrawn: the miss counts again and the credits were recomputed."
        return "Excusal withdrawn."


class ExcusalAuditView(ObjectAuditView):
    model = Excusal
