"""Pages for a relationship's contract and its scope register.

The contract page gathers what a contract manager looks up most: the term
and commercial terms (with the monthly at-risk amount they give), the
schedule in force, its service levels and the data sources they read.
Writes go through :mod:`accord.contracts.services`; reads through the
visibility rule.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accord.contracts import services
from accord.contracts.forms import ContractForm, ScopeItemForm, time_zone_names
from accord.contracts.models import ChangeRequest, Contract, ScopeItem, ScopeStatus
from accord.core.choices import Action
from accord.core.views import (
    ConfirmDeleteView,
    ObjectAuditView,
    RestrictedObjectMixin,
    add_form_errors,
    person_of,
)
from accord.core.visibility import can
from accord.engine.periods import parse_month
from accord.parties.models import Relationship
from accord.performance.models import DataSource, LevelKind, ScheduleVersion, ServiceLevel
from accord.performance.services import current_version

SCOPE_PER_GROUP = 25
SCOPE_PER_PAGE = 50
HUNDRED = decimal.Decimal(100)
CENT = decimal.Decimal("0.01")


def money(amount: decimal.Decimal | None, currency: str = "") -> str:
    """``CAD 1,250,000.00``: an amount as the pages print it (to the cent, half up)."""
    if amount is None:
        return "—"
    value = f"{amount.quantize(CENT, rounding=decimal.ROUND_HALF_UP):,.2f}"
    return f"{currency} {value}".strip()


def percent(value: decimal.Decimal | None) -> str:
    """``12 %``, ``99.95 %``: a percentage without trailing zeros."""
    if value is None:
        return "—"
    text = f"{value.normalize():f}"
    return f"{text} %"


@dataclass(frozen=True)
class FeeStep:
    """One step of the fees: from a month on, the monthly fee and what is at risk."""

    start: str
    end: str
    fee: str
    at_risk: str


def fee_steps(contract: Contract) -> list[FeeStep]:
    """The fee schedule (or the one monthly fee) with the at-risk amount each step gives."""
    raw: list[tuple[str, decimal.Decimal]]
    if contract.fee_schedule:
        raw = sorted((str(k), decimal.Decimal(str(v))) for k, v in contract.fee_schedule.items())
    else:
        raw = [("", contract.monthly_fee or decimal.Decimal(0))]
    steps = []
    for index, (month, fee) in enumerate(raw):
        following = raw[index + 1][0] if index + 1 < len(raw) else ""
        end = str(parse_month(following).shift(-1)) if following else ""
        at_risk = fee * contract.at_risk_percent / HUNDRED
        steps.append(
            FeeStep(
                start=month,
                end=end,
                fee=money(fee, contract.currency),
                at_risk=money(at_risk, contract.currency),
            )
        )
    return steps


def target(level: ServiceLevel, value: decimal.Decimal | None) -> str:
    """A target as people read it: ``≥ 99.9 %``, ``≤ 30 payments``."""
    if value is None:
        return "—"
    sign = "≤" if level.direction == "lower" else "≥"
    number = f"{value.normalize():f}"
    unit = "%" if level.unit in ("percent", "%") else level.unit
    return f"{sign} {number} {unit}".strip()


@dataclass(frozen=True)
class LevelRow:
    """A service level with its targets written for reading."""

    level: ServiceLevel
    expected: str
    minimum: str
    allocation: str

    @classmethod
    def of(cls, level: ServiceLevel) -> LevelRow:
        return cls(
            level=level,
            expected=target(level, level.expected),
            minimum=target(level, level.minimum),
            allocation=percent(level.allocation_percent) if level.allocation_percent else "—",
        )


def can_on(user: Any, model: type[Any], action: str, obj: Any) -> bool:
    """Whether ``user`` may ``action`` this one record (the visibility rule, per record)."""
    return bool(model.objects.restrict(user, action).filter(pk=obj.pk).exists())


class ContractDetailView(RestrictedObjectMixin, View):
    """A relationship's contract: terms, fees, schedule in force, service levels and sources."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        contract = Contract.objects.restrict(user).filter(relationship=relationship).first()
        context: dict[str, Any] = {
            "relationship": relationship,
            "contract": contract,
            "has_role": can(user, Action.VIEW, relationship),
            "can_add": can(user, Action.ADD, relationship),
        }
        if contract is not None:
            context.update(self.contract_context(user, contract))
        return render(request, "contracts/contract_detail.html", context)

    def contract_context(self, user: Any, contract: Contract) -> dict[str, Any]:
        version = current_version(contract)
        if version is not None and not can_on(user, ScheduleVersion, Action.VIEW, version):
            version = None
        levels = list(ServiceLevel.objects.restrict(user).filter(contract=contract))
        active = [level for level in levels if not level.retired]
        allocated = sum(
            (
                level.allocation_percent or decimal.Decimal(0)
                for level in active
                if level.kind == LevelKind.CRITICAL
            ),
            decimal.Decimal(0),
        )
        steps = fee_steps(contract)
        scope_counts = dict(
            ScopeItem.objects.restrict(user)
            .filter(relationship_id=contract.relationship_id)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        return {
            "can_change": can_on(user, Contract, Action.CHANGE, contract),
            "version": version,
            "levels": [LevelRow.of(level) for level in active],
            "retired_levels": [LevelRow.of(level) for level in levels if level.retired],
            "allocated": percent(allocated),
            "over_pool": allocated > contract.pool_percent,
            "sources": DataSource.objects.restrict(user).filter(contract=contract),
            "fee_steps": steps,
            "at_risk_percent": percent(contract.at_risk_percent),
            "pool_percent": percent(contract.pool_percent),
            "scope_counts": [
                (value, label, scope_counts.get(value, 0)) for value, label in ScopeStatus.choices
            ],
        }


class ContractFormMixin:
    """Renders the contract form with the time zone suggestions."""

    request: HttpRequest

    def render_form(
        self, form: ContractForm, relationship: Relationship, contract: Contract | None
    ) -> HttpResponse:
        context = {
            "form": form,
            "relationship": relationship,
            "contract": contract,
            "time_zones": time_zone_names(),
            "cancel_url": reverse("contract_detail", kwargs={"pk": relationship.pk}),
        }
        return render(self.request, "contracts/contract_form.html", context)


class ContractAddView(RestrictedObjectMixin, ContractFormMixin, View):
    """Record the contract of a relationship that has none yet."""

    model = Relationship

    def get_permitted(self) -> Relationship:
        relationship: Relationship = self.get_object()
        if not can(person_of(self.request), Action.ADD, relationship):
            raise PermissionDenied("Your role does not allow recording the contract.")
        return relationship

    def existing(self, relationship: Relationship) -> HttpResponse | None:
        contract = (
            Contract.objects.restrict(person_of(self.request))
            .filter(relationship=relationship)
            .first()
        )
        if contract is None:
            return None
        messages.info(self.request, "This relationship has a contract already: edit it here.")
        return redirect("contract_edit", pk=contract.pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_permitted()
        return self.existing(relationship) or self.render_form(ContractForm(), relationship, None)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_permitted()
        already = self.existing(relationship)
        if already is not None:
            return already
        form = ContractForm(request.POST)
        if form.is_valid():
            try:
                services.contract_create(
                    relationship=relationship, actor=person_of(request), **form.terms()
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Contract recorded.")
                return redirect("contract_detail", pk=relationship.pk)
        return self.render_form(form, relationship, None)


class ContractEditView(RestrictedObjectMixin, ContractFormMixin, View):
    model = Contract
    action = Action.CHANGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = self.get_object()
        form = ContractForm(initial=ContractForm.initial_for(contract))
        return self.render_form(form, contract.relationship, contract)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = self.get_object()
        form = ContractForm(request.POST)
        if form.is_valid():
            try:
                services.contract_update(
                    contract=contract, actor=person_of(request), **form.terms()
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Contract saved.")
                return redirect("contract_detail", pk=contract.relationship_id)
        return self.render_form(form, contract.relationship, contract)


class ContractAuditView(ObjectAuditView):
    model = Contract


# ------------------------------------------------------------------ scope register


def scope_filter(request: HttpRequest) -> tuple[str, str]:
    """The chosen status (or "") and search text of the scope list."""
    status = request.GET.get("status", "")
    if status not in ScopeStatus.values:
        status = ""
    return status, request.GET.get("q", "").strip()[:100]


class ScopeListView(RestrictedObjectMixin, View):
    """The scope register, grouped by status; a chosen status lists that group page by page."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        items = ScopeItem.objects.restrict(user).filter(relationship=relationship)
        status, query = scope_filter(request)
        if query:
            items = items.filter(
                Q(title__icontains=query)
                | Q(description__icontains=query)
                | Q(clause__icontains=query)
            )
        counts = dict(
            items.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        context: dict[str, Any] = {
            "relationship": relationship,
            "status": status,
            "query": query,
            "statuses": ScopeStatus.choices,
            "counts": counts,
            "total": sum(counts.values()),
            "has_role": can(user, Action.VIEW, relationship),
            "can_add": can(user, Action.ADD, relationship),
        }
        if status:
            page = Paginator(items.filter(status=status), SCOPE_PER_PAGE).get_page(
                request.GET.get("page")
            )
            context["page"] = page
            context["label"] = ScopeStatus(status).label
        else:
            context["groups"] = [
                {
                    "status": value,
                    "label": label,
                    "items": list(items.filter(status=value)[:SCOPE_PER_GROUP]),
                    "count": counts.get(value, 0),
                }
                for value, label in ScopeStatus.choices
            ]
        template = "contracts/scope_rows.html" if request.htmx else "contracts/scope_list.html"  # type: ignore[attr-defined]
        return render(request, template, context)


class ScopeAddView(RestrictedObjectMixin, View):
    model = Relationship

    def get_permitted(self) -> Relationship:
        relationship: Relationship = self.get_object()
        if not can(person_of(self.request), Action.ADD, relationship):
            raise PermissionDenied("Your role does not allow changing the scope register.")
        return relationship

    def render_form(self, form: ScopeItemForm, relationship: Relationship) -> HttpResponse:
        context = {
            "form": form,
            "title": "Add to the scope register",
            "intro": "Record a service as in scope, explicitly out of scope, or still to be "
            "determined, with the clause it rests on.",
            "submit_label": "Add to the register",
            "cancel_url": reverse("scope_list", kwargs={"pk": relationship.pk}),
        }
        return render(self.request, "core/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_permitted()
        status, _query = scope_filter(request)
        form = ScopeItemForm(initial={"status": status or ScopeStatus.IN_SCOPE})
        return self.render_form(form, relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_permitted()
        form = ScopeItemForm(request.POST)
        if form.is_valid():
            try:
                item = services.scope_item_create(
                    relationship=relationship, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"“{item}” added to the scope register.")
                return redirect(item)
        return self.render_form(form, relationship)


class ScopeDetailView(RestrictedObjectMixin, View):
    model = ScopeItem

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        user = person_of(request)
        context = {
            "item": item,
            "relationship": item.relationship,
            "can_change": can_on(user, ScopeItem, Action.CHANGE, item),
            "can_delete": can_on(user, ScopeItem, Action.DELETE, item),
            **self.change_context(user, item),
        }
        return render(request, "contracts/scope_detail.html", context)

    def change_context(self, user: Any, item: ScopeItem) -> dict[str, Any]:
        """The change requests that touched the item: linked to it, changing it or adding it."""
        touched = (
            ChangeRequest.objects.restrict(user)
            .filter(Q(scope_items=item) | Q(scope_item=item) | Q(applied_scope_item=item))
            .distinct()
            .order_by("-number")
        )
        relationship = item.relationship
        has_contract = Contract.objects.restrict(user).filter(relationship=relationship).exists()
        return {
            "change_requests": touched,
            "can_propose_change": has_contract
            and relationship.side_of(user) is not None
            and can(user, Action.ADD, relationship),
        }


class ScopeEditView(RestrictedObjectMixin, View):
    model = ScopeItem
    action = Action.CHANGE

    def render_form(self, form: ScopeItemForm, item: ScopeItem) -> HttpResponse:
        context = {"form": form, "title": f"Edit “{item}”", "cancel_url": item.get_absolute_url()}
        return render(self.request, "core/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        return self.render_form(ScopeItemForm(initial=ScopeItemForm.initial_for(item)), item)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object()
        form = ScopeItemForm(request.POST)
        if form.is_valid():
            try:
                services.scope_item_update(item=item, actor=person_of(request), **form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Scope item saved.")
                return redirect(item)
        return self.render_form(form, item)


class ScopeDeleteView(ConfirmDeleteView):
    model = ScopeItem
    back_route = "scope_list"
    deleted_message = "“{object}” removed from the scope register."

    def perform_delete(self, obj: ScopeItem, actor: Any) -> None:
        services.scope_item_delete(item=obj, actor=actor)


class ScopeAuditView(ObjectAuditView):
    model = ScopeItem
