"""Pages of change requests and scope questions.

Change requests: the list (by status and whose signature they await), the
proposal form, the request with its signatures and buttons, edit, sign,
decline, withdraw and the audit trail. Scope questions: list, ask, read,
answer, reopen and audit. Reads go through the visibility rule; writes
through :mod:`accord.contracts.changes` and :mod:`accord.contracts.scope_questions`.
Times are shown in the contract's time zone.
"""

from __future__ import annotations

import decimal
import difflib
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from accord.contracts import changes as services
from accord.contracts import scope_questions as questions
from accord.contracts.change_forms import (
    ChangeDeclineForm,
    ChangeRequestForm,
    ScopeQuestionForm,
    ScopeQuestionResolveForm,
)
from accord.contracts.models import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    Contract,
    ScopeItem,
    ScopeQuestion,
    ScopeStatus,
)
from accord.contracts.views import money
from accord.core import signing
from accord.core.choices import Action, Side, Visibility
from accord.core.exceptions import NotFound
from accord.core.exports import csv_response
from accord.core.models import Signature
from accord.core.selectors import permits
from accord.core.views import ObjectAuditView, RestrictedObjectMixin, add_form_errors, person_of
from accord.core.visibility import can
from accord.parties.models import Relationship
from accord.performance.services import current_version

PAGE_SIZE = 25
AWAITING = [(Side.BUYER, "The buyer's signature"), (Side.PROVIDER, "The provider's signature")]
QUESTION_STATES = [("open", "Open")] + [(value, label) for value, label in ScopeStatus.choices]


def contract_of(relationship: Relationship, user: Any) -> Contract | None:
    return Contract.objects.restrict(user).filter(relationship=relationship).first()


def time_zone_of(contract: Contract | None) -> str:
    """The zone the pages show times in: the contract's (the relationship's context)."""
    return contract.timezone if contract is not None else "UTC"


def may_add(user: Any, relationship: Relationship) -> bool:
    """Either side, with a role that adds joint records (the services decide too)."""
    return relationship.side_of(user) is not None and can(
        user, Action.ADD, relationship, Visibility.JOINT
    )


def _local(when: Any, zone: str) -> str:
    if when is None:
        return ""
    return str(timezone.localtime(when, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M"))


# =========================================================================== change requests


class ChangeListView(RestrictedObjectMixin, View):
    """A relationship's change requests, by status and by whose signature they await."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        relationship = self.get_object()
        user = person_of(request)
        rows = services.with_signed_sides(
            ChangeRequest.objects.restrict(user)
            .filter(relationship=relationship)
            .select_related("created_by", "decided_by")
        )
        status = request.GET.get("status", "")
        if status in ChangeStatus.values:
            rows = rows.filter(status=status)
        kind = request.GET.get("kind", "")
        if kind in ChangeKind.values:
            rows = rows.filter(kind=kind)
        awaiting = request.GET.get("awaiting", "")
        if awaiting in Side.values:
            rows = rows.filter(services.awaiting_q(awaiting))
        contract = contract_of(relationship, user)
        zone = time_zone_of(contract)
        if request.GET.get("format") == "csv":
            return self.csv(rows, contract, zone)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "relationship": relationship,
            "contract": contract,
            "tz": zone,
            "page": page,
            "rows": list(page.object_list),
            "status": status,
            "kind": kind,
            "awaiting": awaiting,
            "statuses": ChangeStatus.choices,
            "kinds": ChangeKind.choices,
            "awaitings": AWAITING,
            "side": relationship.side_of(user),
            "filtered": bool(status or kind or awaiting),
            "can_propose": contract is not None and may_add(user, relationship),
        }
        template = (
            "contracts/changes/change_rows.html"
            if request.htmx  # type: ignore[attr-defined]
            else "contracts/changes/change_list.html"
        )
        return render(request, template, context)

    def csv(self, rows: Any, contract: Contract | None, zone: str) -> HttpResponseBase:
        currency = contract.currency if contract else ""
        header = [
            "number", "title", "kind", "status", "version", "proposed_by_side", "proposed_by",
            "proposed_at", "buyer_signed", "provider_signed", f"impact_cost_{currency}".rstrip("_"),
            "decided_at", "decided_by", "decision_note",
        ]  # fmt: skip

        def lines() -> Any:
            for change in rows.iterator():
                yield [
                    change.code, change.title, change.get_kind_display(),
                    change.get_status_display(), change.version, change.proposed_by_side,
                    change.created_by, _local(change.created_at, zone), change.buyer_signed,
                    change.provider_signed, change.impact_cost, _local(change.decided_at, zone),
                    change.decided_by or "", change.decision_note,
                ]  # fmt: skip

        return csv_response(header, lines(), "change-requests.csv")


def _scope_choices(user: Any, relationship: Relationship) -> Any:
    return ScopeItem.objects.restrict(user).filter(relationship=relationship)


def _render_form(
    request: HttpRequest,
    form: ChangeRequestForm,
    relationship: Relationship,
    contract: Contract,
    **extra: Any,
) -> HttpResponse:
    version = current_version(contract)
    context = {
        "form": form,
        "relationship": relationship,
        "contract": contract,
        "schedule_version": version,
        **extra,
    }
    return render(request, "contracts/changes/change_form.html", context)


class ChangeAddView(RestrictedObjectMixin, View):
    """Propose a change. ``?kind=``, ``?scope_item=<pk>`` and ``?question=<pk>`` prefill it;
    a change raised from an out-of-scope question is linked to it."""

    model = Relationship

    def permitted(self) -> tuple[Relationship, Contract]:
        relationship = self.get_object()
        user = person_of(self.request)
        if not may_add(user, relationship):
            raise PermissionDenied("Your role does not allow proposing a change request.")
        contract = contract_of(relationship, user)
        if contract is None:
            raise NotFound("This relationship has no contract yet.")
        return relationship, contract

    def question(self, relationship: Relationship) -> ScopeQuestion | None:
        """The out-of-scope question the change is raised from, if one is named."""
        raw = self.request.GET.get("question", "") or self.request.POST.get("question", "")
        if not raw.isdigit():
            return None
        return (
            ScopeQuestion.objects.restrict(person_of(self.request), Action.CHANGE)
            .filter(
                relationship=relationship,
                pk=int(raw),
                resolution=ScopeStatus.OUT_OF_SCOPE,
                change_request__isnull=True,
            )
            .first()
        )

    def page(
        self, form: ChangeRequestForm, relationship: Relationship, contract: Contract
    ) -> HttpResponse:
        question = self.question(relationship)
        return _render_form(
            self.request,
            form,
            relationship,
            contract,
            title="Propose a change",
            intro=(
                "A change of scope, service levels, price or term. It takes effect when a "
                "signatory (executive or manager) of each side has signed the same version; "
                "approval then applies it, with history."
            ),
            submit_label="Propose the change",
            cancel_url=reverse("change_list", kwargs={"pk": relationship.pk}),
            question=question,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, contract = self.permitted()
        user = person_of(request)
        items = _scope_choices(user, relationship)
        initial: dict[str, Any] = {}
        kind = request.GET.get("kind", "")
        if kind in ChangeKind.values:
            initial["kind"] = kind
        item_pk = request.GET.get("scope_item", "")
        if item_pk.isdigit() and items.filter(pk=item_pk).exists():
            initial.update(kind=ChangeKind.SCOPE, scope_item=int(item_pk), scope_items=[item_pk])
        question = self.question(relationship)
        if question is not None:
            initial.update(
                kind=ChangeKind.SCOPE,
                rationale=f"Raised from a scope question: “{question.question}”\n\n"
                f"Answered out of scope: {question.answer}",
                new_scope_status=ScopeStatus.IN_SCOPE,
            )
            if question.scope_item_id:
                initial["scope_items"] = [question.scope_item_id]
        version = current_version(contract)
        if version is not None:
            initial["schedule_document"] = version.document
        return self.page(
            ChangeRequestForm(initial=initial, scope_items=items), relationship, contract
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, contract = self.permitted()
        user = person_of(request)
        form = ChangeRequestForm(request.POST, scope_items=_scope_choices(user, relationship))
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["scope_items"] = list(data["scope_items"])
            question = self.question(relationship)
            try:
                if question is not None:
                    change = questions.question_raise_change(question=question, actor=user, **data)
                else:
                    change = services.change_propose(contract=contract, actor=user, **data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"{change.code} proposed.")
                return redirect(change)
        return self.page(form, relationship, contract)


# --- what approval will do (or did) -------------------------------------------------------


@dataclass
class Effect:
    """What approving a change request does, in words, for its page."""

    summary: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (what, now, after)
    diff: list[tuple[str, str]] = field(default_factory=list)  # (css class, line)
    applied_url: str = ""
    applied_label: str = ""


def _fees(terms: dict[str, Any], currency: str) -> str:
    if terms.get("fee_schedule"):
        return "; ".join(
            f"from {month}: {money(_dec(amount), currency)}"
            for month, amount in sorted(terms["fee_schedule"].items())
        )
    return money(terms.get("monthly_fee"), currency)


def _dec(value: Any) -> decimal.Decimal:
    return decimal.Decimal(str(value))


def _schedule_diff(before: str, after: str) -> list[tuple[str, str]]:
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), "in force", "proposed", lineterm="", n=2
    )
    shown = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        css = {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "same")
        shown.append((css, line))
    return shown


def effect_of(change: ChangeRequest, user: Any) -> Effect:
    """What approval will apply (while proposed) or applied (once approved)."""
    contract = change.contract
    approved = change.status == ChangeStatus.APPROVED
    if change.kind == ChangeKind.SCOPE:
        return _scope_effect(change, user, approved)
    if change.kind == ChangeKind.SERVICE_LEVEL:
        version = current_version(contract)
        effect = Effect(
            summary="Puts the schedule below in force as a new schedule version; the "
            "scorecards and credits are then recomputed with it."
        )
        applied = change.applied_schedule_version
        if approved and applied is not None and permits(user, Action.VIEW, applied):
            effect.summary = f"Put the schedule in force as version {applied.number}."
            effect.applied_url = applied.get_absolute_url()
            effect.applied_label = f"Schedule version {applied.number}"
        elif version is not None and not approved:
            effect.summary += f" The version in force is {version.number}; the changes to it:"
            effect.diff = _schedule_diff(version.document, change.schedule_document)
        return effect
    currency = contract.currency
    if change.kind == ChangeKind.PRICE:
        assert change.new_monthly_fee is not None
        now = {"monthly_fee": contract.monthly_fee, "fee_schedule": contract.fee_schedule}
        after = services.price_terms(contract, change.new_monthly_fee, change.new_fee_from)
        since = f" from {change.new_fee_from}" if change.new_fee_from else ""
        effect = Effect(
            summary=f"Sets the monthly fee to {money(change.new_monthly_fee, currency)}{since}; "
            "the at-risk amounts and credits follow.",
            rows=[] if approved else [("Fees", _fees(now, currency), _fees(after, currency))],
        )
    else:
        effect = Effect(
            summary=f"Sets the contract's end date to {change.new_end_date}.",
            rows=[] if approved else [("Ends", str(contract.end_date), str(change.new_end_date))],
        )
    if approved:
        effect.summary = effect.summary.replace("Sets", "Set", 1)
        effect.applied_url = reverse("contract_detail", kwargs={"pk": contract.relationship_id})
        effect.applied_label = f"Contract {contract.reference}"
    return effect


def _scope_effect(change: ChangeRequest, user: Any, approved: bool) -> Effect:
    status_label = dict(ScopeStatus.choices)
    new = services.scope_changes(change)
    applied = change.applied_scope_item
    if services.adds_scope_item(change):
        what = "Added" if approved else "Adds"
        effect = Effect(
            summary=f"{what} “{change.new_scope_title}” to the scope register as "
            f"{status_label.get(change.new_scope_status, '?').lower()}, with {change.code} as "
            "the clause it rests on.",
            rows=[
                ("Status", "—", status_label.get(change.new_scope_status, "—")),
                ("Title", "—", change.new_scope_title),
                ("Description", "—", change.new_scope_description or "—"),
            ],
        )
    else:
        item = change.scope_item
        name = f"“{item}”" if item is not None else "an item no longer in the register"
        effect = Effect(summary=f"{'Changed' if approved else 'Changes'} {name} in the register.")
        for key, label in (
            ("status", "Status"),
            ("title", "Title"),
            ("description", "Description"),
        ):
            if key not in new:
                continue
            after = status_label.get(new[key], new[key]) if key == "status" else new[key]
            if item is not None and not approved:
                now = (
                    getattr(item, f"get_{key}_display")() if key == "status" else getattr(item, key)
                )
            else:
                now = "—" if approved else "?"
            effect.rows.append((label, now or "—", after))
    if approved and applied is not None and permits(user, Action.VIEW, applied):
        effect.applied_url = applied.get_absolute_url()
        effect.applied_label = f"Scope item “{applied}”"
    return effect


# --- the change request's page -------------------------------------------------------------


def detail_context(request: HttpRequest, change: ChangeRequest, **extra: Any) -> dict[str, Any]:
    user = person_of(request)
    found = (
        Signature.objects.restrict(user)
        .filter(object_type=services.CHANGE_TYPE, object_id=str(change.pk))
        .select_related("signer")
        .order_by("-version", "side", "signed_at")
    )
    current: dict[str, Signature | None] = {Side.BUYER: None, Side.PROVIDER: None}
    history: dict[int, list[Signature]] = {}
    for signature in found:
        if signature.version == change.version:
            current[signature.side] = signature
        else:
            history.setdefault(signature.version, []).append(signature)
    signed = {side for side, signature in current.items() if signature is not None}
    relationship = change.relationship
    side = relationship.side_of(user)
    return {
        "change": change,
        "relationship": relationship,
        "contract": change.contract,
        "tz": time_zone_of(change.contract),
        "current_signatures": current,
        "history": sorted(history.items(), reverse=True),
        "actions": services.change_actions(change, user, signed),
        "side": side,
        "is_signatory": signing.is_signatory(user, relationship),
        "awaiting": [s for s in (Side.BUYER, Side.PROVIDER) if s not in signed]
        if change.status == ChangeStatus.PROPOSED
        else [],
        "effect": effect_of(change, user),
        "impact_cost": (
            money(change.impact_cost, change.contract.currency)
            if change.impact_cost is not None
            else ""
        ),
        "scope_items": ScopeItem.objects.restrict(user).filter(change_requests=change),
        "questions": ScopeQuestion.objects.restrict(user).filter(change_request=change),
        "decline_form": extra.pop("decline_form", None) or ChangeDeclineForm(),
        **extra,
    }


def render_detail(request: HttpRequest, change: ChangeRequest, **extra: Any) -> HttpResponse:
    return render(
        request, "contracts/changes/change_detail.html", detail_context(request, change, **extra)
    )


class ChangeDetailView(RestrictedObjectMixin, View):
    model = ChangeRequest

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_detail(request, self.get_object())


class ChangeEditView(RestrictedObjectMixin, View):
    """Edit a proposed change: a new version, to be signed again by both sides."""

    model = ChangeRequest
    action = Action.CHANGE

    def permitted(self) -> ChangeRequest:
        change: ChangeRequest = self.get_object()
        if change.relationship.side_of(person_of(self.request)) is None:
            raise PermissionDenied("Only the two sides of the relationship edit its changes.")
        return change

    def page(self, form: ChangeRequestForm, change: ChangeRequest) -> HttpResponse:
        return _render_form(
            self.request,
            form,
            change.relationship,
            change.contract,
            title=f"Edit {change.code}",
            intro=(
                f"This is version {change.version}. Saving a change makes version "
                f"{change.version + 1}: the signatures given so far stop counting and both "
                "sides sign again."
            ),
            submit_label="Save the new version",
            cancel_url=change.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        change = self.permitted()
        if change.status != ChangeStatus.PROPOSED:
            messages.error(request, f"A {change.get_status_display().lower()} change is final.")
            return redirect(change)
        items = _scope_choices(person_of(request), change.relationship)
        form = ChangeRequestForm(initial=ChangeRequestForm.initial_for(change), scope_items=items)
        return self.page(form, change)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        change = self.permitted()
        user = person_of(request)
        form = ChangeRequestForm(
            request.POST, scope_items=_scope_choices(user, change.relationship)
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["scope_items"] = list(data["scope_items"])
            before = change.version
            try:
                change = services.change_update(change=change, actor=user, **data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                if change.version == before:
                    messages.info(request, "Nothing changed.")
                else:
                    messages.success(request, f"Saved as version {change.version}.")
                return redirect(change)
        return self.page(form, change)


class _ChangeActionView(RestrictedObjectMixin, View):
    """A button on the change request's page: POST only; a refusal re-renders the page."""

    model = ChangeRequest

    def act(self, change: ChangeRequest, request: HttpRequest) -> ChangeRequest:
        raise NotImplementedError

    def message(self, change: ChangeRequest) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        change = self.get_object()
        try:
            change = self.act(change, request)
        except ValidationError as error:
            change.refresh_from_db()
            return render_detail(request, change, **self.error_context(error))
        messages.success(request, self.message(change))
        return redirect(change)

    def error_context(self, error: ValidationError) -> dict[str, Any]:
        return {"action_errors": error.messages}


class ChangeSignView(_ChangeActionView):
    def act(self, change: ChangeRequest, request: HttpRequest) -> ChangeRequest:
        return services.change_sign(change=change, actor=person_of(request))

    def message(self, change: ChangeRequest) -> str:
        if change.status == ChangeStatus.APPROVED:
            return f"Signed. Both sides have signed: {change.code} is approved and applied."
        return f"Signed. {change.code} takes effect when the other side signs this version."


class ChangeDeclineView(_ChangeActionView):
    def act(self, change: ChangeRequest, request: HttpRequest) -> ChangeRequest:
        self.form = ChangeDeclineForm(request.POST)
        note = self.form.data.get("note", "")
        return services.change_decline(change=change, note=note, actor=person_of(request))

    def message(self, change: ChangeRequest) -> str:
        return f"{change.code} declined."

    def error_context(self, error: ValidationError) -> dict[str, Any]:
        form = self.form
        form.is_valid()
        if not hasattr(error, "error_dict"):
            return {"decline_form": form, "action_errors": error.messages}
        for name, found in error.message_dict.items():
            if not form.has_error(name):  # the form may have said it already
                form.add_error(name if name in form.fields else None, found)
        return {"decline_form": form}


class ChangeWithdrawView(_ChangeActionView):
    def act(self, change: ChangeRequest, request: HttpRequest) -> ChangeRequest:
        return services.change_withdraw(change=change, actor=person_of(request))

    def message(self, change: ChangeRequest) -> str:
        return f"{change.code} withdrawn."


class ChangeAuditView(ObjectAuditView):
    model = ChangeRequest


# =========================================================================== scope questions


class ScopeQuestionListView(RestrictedObjectMixin, View):
    """A relationship's scope questions: open ones first, filterable by answer."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        relationship = self.get_object()
        user = person_of(request)
        rows = (
            ScopeQuestion.objects.restrict(user)
            .filter(relationship=relationship)
            .select_related("created_by", "scope_item", "change_request")
        )
        state = request.GET.get("state", "")
        if state == "open":
            rows = rows.filter(resolution="")
        elif state in ScopeStatus.values:
            rows = rows.filter(resolution=state)
        else:
            state = ""
        contract = contract_of(relationship, user)
        zone = time_zone_of(contract)
        if request.GET.get("format") == "csv":
            return self.csv(rows, zone)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "relationship": relationship,
            "tz": zone,
            "page": page,
            "rows": list(page.object_list),
            "state": state,
            "states": QUESTION_STATES,
            "can_ask": may_add(user, relationship),
        }
        return render(request, "contracts/changes/question_list.html", context)

    def csv(self, rows: Any, zone: str) -> HttpResponseBase:
        header = [
            "id", "question", "asked_by_side", "asked_by", "asked_at", "resolution", "answer",
            "scope_item", "change_request", "resolved_at",
        ]  # fmt: skip

        def lines() -> Any:
            for q in rows.iterator():
                yield [
                    q.pk, q.question, q.asked_by_side, q.created_by or "",
                    _local(q.created_at, zone), q.get_resolution_display() or "open", q.answer,
                    q.scope_item or "", q.change_request.code if q.change_request else "",
                    _local(q.resolved_at, zone),
                ]  # fmt: skip

        return csv_response(header, lines(), "scope-questions.csv")


class ScopeQuestionAddView(RestrictedObjectMixin, View):
    model = Relationship

    def permitted(self) -> Relationship:
        relationship: Relationship = self.get_object()
        if not may_add(person_of(self.request), relationship):
            raise PermissionDenied("Your role does not allow asking scope questions here.")
        return relationship

    def page(self, form: ScopeQuestionForm, relationship: Relationship) -> HttpResponse:
        context = {
            "form": form,
            "relationship": relationship,
            "title": "Ask a scope question",
            "intro": (
                "Is it in scope? Ask it here rather than in an e-mail: the answer is recorded "
                "with the register entry it rests on, and an out-of-scope answer leads to a "
                "change request."
            ),
            "submit_label": "Ask the question",
            "cancel_url": reverse("scope_question_list", kwargs={"pk": relationship.pk}),
        }
        return render(self.request, "contracts/changes/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(ScopeQuestionForm(), self.permitted())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.permitted()
        form = ScopeQuestionForm(request.POST)
        if form.is_valid():
            try:
                question = questions.question_ask(
                    relationship=relationship,
                    question=form.cleaned_data["question"],
                    actor=person_of(request),
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Question asked.")
                return redirect(question)
        return self.page(form, relationship)


def question_context(request: HttpRequest, question: ScopeQuestion) -> dict[str, Any]:
    user = person_of(request)
    relationship = question.relationship
    contract = contract_of(relationship, user)
    may_change = permits(user, Action.CHANGE, question) and relationship.side_of(user) is not None
    item = question.scope_item
    change = question.change_request
    return {
        "question": question,
        "relationship": relationship,
        "tz": time_zone_of(contract),
        "scope_item": item if item is not None and permits(user, Action.VIEW, item) else None,
        "change": change if change is not None and permits(user, Action.VIEW, change) else None,
        "can_resolve": may_change and question.is_open,
        "can_reopen": may_change and not question.is_open,
        "can_raise": (
            question.resolution == ScopeStatus.OUT_OF_SCOPE
            and change is None
            and may_change
            and contract is not None
            and may_add(user, relationship)
        ),
    }


class ScopeQuestionDetailView(RestrictedObjectMixin, View):
    model = ScopeQuestion

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        question = self.get_object()
        return render(
            request,
            "contracts/changes/question_detail.html",
            question_context(request, question),
        )


class ScopeQuestionResolveView(RestrictedObjectMixin, View):
    """Answer an open question: in scope, out of scope or to be determined."""

    model = ScopeQuestion
    action = Action.CHANGE

    def permitted(self) -> ScopeQuestion:
        question: ScopeQuestion = self.get_object()
        if question.relationship.side_of(person_of(self.request)) is None:
            raise PermissionDenied("Only the two sides of the relationship answer its questions.")
        return question

    def form(self, question: ScopeQuestion, data: Any = None) -> ScopeQuestionResolveForm:
        user = person_of(self.request)
        relationship = question.relationship
        return ScopeQuestionResolveForm(
            data,
            initial=ScopeQuestionResolveForm.initial_for(question),
            scope_items=_scope_choices(user, relationship),
            change_requests=ChangeRequest.objects.restrict(user).filter(relationship=relationship),
        )

    def page(self, form: ScopeQuestionResolveForm, question: ScopeQuestion) -> HttpResponse:
        context = {
            "form": form,
            "question": question,
            "relationship": question.relationship,
            "title": "Answer the scope question",
            "intro": f"“{question.question}”",
            "submit_label": "Record the answer",
            "cancel_url": question.get_absolute_url(),
        }
        return render(self.request, "contracts/changes/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        question = self.permitted()
        if not question.is_open:
            messages.info(request, "This question is answered already; reopen it to change that.")
            return redirect(question)
        return self.page(self.form(question), question)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        question = self.permitted()
        form = self.form(question, request.POST)
        if form.is_valid():
            try:
                questions.question_resolve(
                    question=question, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Answer recorded.")
                return redirect(question)
        return self.page(form, question)


class ScopeQuestionReopenView(RestrictedObjectMixin, View):
    model = ScopeQuestion

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        question = self.get_object()
        try:
            questions.question_reopen(question=question, actor=person_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Question reopened.")
        return redirect(question)


class ScopeQuestionAuditView(ObjectAuditView):
    model = ScopeQuestion
