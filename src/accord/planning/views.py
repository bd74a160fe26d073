"""Pages of the joint plan: plans, objectives, checkpoints, signatures and the year-end review.

Views parse and render; :mod:`accord.planning.services` decides. Records are
read through ``restrict`` (hidden is 404, visible but not permitted is 403).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from accord.core.choices import Action, Side, Visibility
from accord.core.exports import csv_response
from accord.core.models import Signature
from accord.core.selectors import permits
from accord.core.signing import object_key
from accord.core.views import (
    ConfirmDeleteView,
    ObjectAuditView,
    RestrictedObjectMixin,
    add_form_errors,
    person_of,
)
from accord.core.visibility import can
from accord.parties.models import Relationship, User
from accord.performance.models import ServiceLevel
from accord.planning import services
from accord.planning.charts import status_chart, status_counts
from accord.planning.forms import (
    CheckpointForm,
    ObjectiveForm,
    ObjectiveStatusForm,
    PlanForm,
    ReviewForm,
)
from accord.planning.models import (
    FINISHED_STATUSES,
    Checkpoint,
    Objective,
    PlanningCycle,
    PlanRevision,
)
from accord.planning.progress import figure_for, figures_for

PAGE_SIZE = 20
PLAN_TYPE = object_key(PlanningCycle())[0]


def _signatures_of(user: Any, cycles: list[PlanningCycle]) -> dict[int, list[Signature]]:
    """Every signature (all versions) of each plan, in one query."""
    found: dict[int, list[Signature]] = {cycle.pk: [] for cycle in cycles}
    if not cycles:
        return found
    rows = (
        Signature.objects.restrict(user)
        .filter(object_type=PLAN_TYPE, object_id__in=[str(c.pk) for c in cycles])
        .select_related("signer")
        .order_by("-version", "side", "signed_at")
    )
    for signature in rows:
        found.setdefault(int(signature.object_id), []).append(signature)
    return found


def signature_state(cycle: PlanningCycle, signatures: list[Signature]) -> dict[str, Any]:
    """The current version's signature per side, in force or who it waits for, and history."""
    current: dict[str, Signature | None] = {Side.BUYER: None, Side.PROVIDER: None}
    history: dict[int, list[Signature]] = {}
    for signature in signatures:
        if signature.version == cycle.version:
            current[signature.side] = signature
        else:
            history.setdefault(signature.version, []).append(signature)
    waiting = [side for side, signature in current.items() if signature is None]
    return {
        "current": current,
        "in_force": not waiting,
        "waiting": waiting,
        "waiting_text": " and ".join(f"the {side}" for side in waiting),
        "history": sorted(history.items(), reverse=True),
    }


def _owners(user: Any, relationship: Relationship, side: str) -> Any:
    """People of one side holding a role on the relationship (restricted)."""
    organisation = relationship.buyer_id if side == Side.BUYER else relationship.provider_id
    return (
        User.objects.restrict(user)
        .filter(roles__relationship=relationship, organisation_id=organisation, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _levels(user: Any, relationship: Relationship, keep: int | None = None) -> Any:
    current = Q(retired=False) | Q(pk=keep) if keep else Q(retired=False)
    return (
        ServiceLevel.objects.restrict(user)
        .filter(current, contract__relationship=relationship)
        .order_by("position", "code")
    )


def _objective_form(
    request: HttpRequest, relationship: Relationship, *, adding: bool, keep: int | None = None,
    **kwargs: Any,
) -> ObjectiveForm:  # fmt: skip
    user = person_of(request)
    return ObjectiveForm(
        request.POST if request.method == "POST" else None,
        buyers=_owners(user, relationship, Side.BUYER),
        providers=_owners(user, relationship, Side.PROVIDER),
        levels=_levels(user, relationship, keep),
        adding=adding,
        **kwargs,
    )


def _render_form(request: HttpRequest, form: Any, relationship: Relationship, **extra: Any) -> Any:
    return render(
        request, "planning/form.html", {"form": form, "relationship": relationship, **extra}
    )


# --------------------------------------------------------------------------- plans


class PlanListView(RestrictedObjectMixin, View):
    """A relationship's plans, newest year first, with signatures and objective counts."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        relationship = self.get_object()
        user = person_of(request)
        plans = PlanningCycle.objects.restrict(user).filter(relationship=relationship)
        if request.GET.get("format") == "csv":
            return self.csv(user, relationship, list(plans))
        page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
        cycles = list(page.object_list)
        signatures = _signatures_of(user, cycles)
        counts = _objective_counts(user, cycles)
        rows = [
            {
                "plan": cycle,
                "state": signature_state(cycle, signatures[cycle.pk]),
                "counts": counts.get(cycle.pk, Counter()),
                "objectives": sum(counts.get(cycle.pk, Counter()).values()),
            }
            for cycle in cycles
        ]
        context = {
            "relationship": relationship,
            "rows": rows,
            "page": page,
            "can_add": can(user, Action.ADD, relationship, Visibility.JOINT),
            "csv_url": f"{reverse('plan_list', kwargs={'pk': relationship.pk})}?format=csv",
        }
        return render(request, "planning/plan_list.html", context)

    def csv(self, user: Any, relationship: Relationship, cycles: list[PlanningCycle]) -> Any:
        signatures = _signatures_of(user, cycles)
        counts = _objective_counts(user, cycles)
        header = ["Year", "Title", "Launch", "Version", "In force", "Signed (current version)",
                  "Objectives", "Achieved", "Reviewed"]  # fmt: skip
        data = []
        for cycle in cycles:
            state = signature_state(cycle, signatures[cycle.pk])
            signed = [f"{s.side}: {s.signer.username}" for s in state["current"].values() if s]
            found = counts.get(cycle.pk, Counter())
            data.append(
                [
                    cycle.year,
                    cycle.title,
                    cycle.is_launch,
                    cycle.version,
                    state["in_force"],
                    "; ".join(signed),
                    sum(found.values()),
                    found.get("achieved", 0),
                    cycle.reviewed_at.date() if cycle.reviewed_at else "",
                ]  # fmt: skip
            )
        return csv_response(header, data, f"plans-{relationship.pk}.csv")


def _objective_counts(user: Any, cycles: list[PlanningCycle]) -> dict[int, Counter[str]]:
    found: dict[int, Counter[str]] = {}
    rows = Objective.objects.restrict(user).filter(cycle__in=cycles).values_list("cycle", "status")
    for cycle_id, status in rows:
        found.setdefault(cycle_id, Counter())[status] += 1
    return found


class PlanAddView(RestrictedObjectMixin, View):
    """Start a year's plan (either side, with a role that adds joint records)."""

    model = Relationship

    def permitted(self) -> Relationship:
        relationship = self.get_object()
        if not can(person_of(self.request), Action.ADD, relationship, Visibility.JOINT):
            raise PermissionDenied("Your role does not allow adding a plan here.")
        return relationship

    def render_form(self, form: PlanForm, relationship: Relationship) -> HttpResponse:
        return _render_form(
            self.request,
            form,
            relationship,
            title="Start a joint plan",
            intro=(
                "The launch, then each annual planning session: both executive teams agree a "
                "short list of joint objectives for the year. It takes effect when an "
                "executive of each side has signed the same version."
            ),
            submit_label="Start the plan",
            cancel_url=reverse("plan_list", kwargs={"pk": relationship.pk}),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.permitted()
        taken = set(
            PlanningCycle.objects.restrict(request.user)
            .filter(relationship=relationship)
            .values_list("year", flat=True)
        )
        year = timezone.localdate().year
        while year in taken:
            year += 1
        return self.render_form(PlanForm(initial={"year": year}), relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.permitted()
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                cycle = services.plan_create(
                    relationship=relationship, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Plan started. Add its objectives next.")
                return redirect(cycle)
        return self.render_form(form, relationship)


def plan_context(request: HttpRequest, cycle: PlanningCycle, **extra: Any) -> dict[str, Any]:
    user = person_of(request)
    relationship = cycle.relationship
    objectives = list(
        Objective.objects.restrict(user)
        .filter(cycle=cycle)
        .select_related("buyer_owner", "provider_owner", "service_level", "carried_from__cycle")
    )
    figures = figures_for(objectives, user)
    rows = [{"objective": o, "figure": figures.get(o.pk)} for o in objectives]
    counts = status_counts([o.status for o in objectives])
    state = signature_state(cycle, _signatures_of(user, [cycle])[cycle.pk])
    actions = services.plan_actions(cycle, user)
    revisions = list(
        PlanRevision.objects.restrict(user).filter(cycle=cycle).select_related("edited_by")
    )
    low, high = services.TYPICAL_OBJECTIVES
    return {
        "plan": cycle,
        "relationship": relationship,
        "rows": rows,
        "counts": counts,
        "chart": status_chart(
            counts, chart_id=f"plan-{cycle.pk}-status", title=f"Objectives of {cycle} by status"
        )
        if objectives
        else None,
        "state": state,
        "actions": actions,
        "side": relationship.side_of(user),
        "revisions": revisions,
        "unfinished": sum(1 for o in objectives if o.status not in FINISHED_STATUSES),
        "nudge": (
            f"This plan has {len(objectives)}."
            if objectives and not low <= len(objectives) <= high
            else ""
        ),
        "objectives_csv": f"{reverse('api:objective-list')}?cycle={cycle.pk}&format=csv",
        **extra,
    }


class PlanDetailView(RestrictedObjectMixin, View):
    model = PlanningCycle

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = self.get_object()
        return render(request, "planning/plan_detail.html", plan_context(request, cycle))


class PlanEditView(RestrictedObjectMixin, View):
    """Edit the plan's texts: a new version, to be signed again."""

    model = PlanningCycle
    action = Action.CHANGE

    def render_form(self, form: PlanForm, cycle: PlanningCycle) -> HttpResponse:
        return _render_form(
            self.request,
            form,
            cycle.relationship,
            title=f"Edit “{cycle}”",
            intro=_version_intro(cycle),
            submit_label="Save the new version",
            cancel_url=cycle.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = self.get_object()
        initial = {name: getattr(cycle, name) for name in services.PLAN_FIELDS}
        return self.render_form(PlanForm(initial=initial, editing=True), cycle)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = self.get_object()
        form = PlanForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.plan_update(cycle=cycle, actor=person_of(request), **form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Plan saved.")
                return redirect(cycle)
        return self.render_form(form, cycle)


def _version_intro(cycle: PlanningCycle) -> str:
    return (
        f"This is version {cycle.version} of the plan. Changing its content makes version "
        f"{cycle.version + 1}: signatures given so far stop counting and both executives "
        "sign again. Progress (statuses, checkpoints, commentary) never does."
    )


class PlanSignView(RestrictedObjectMixin, View):
    """An executive signs the current version for their side (POST)."""

    model = PlanningCycle

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = self.get_object()
        try:
            cycle = services.plan_sign(cycle=cycle, actor=person_of(request))
        except ValidationError as error:
            cycle.refresh_from_db()
            context = plan_context(request, cycle, action_errors=error.messages)
            return render(request, "planning/plan_detail.html", context)
        if services.is_in_force(cycle):
            messages.success(
                request, "Signed. Both sides have signed this version: the plan is in force."
            )
        else:
            messages.success(
                request, "Signed. The plan takes effect when the other side's executive signs."
            )
        return redirect(cycle)


class PlanReviewView(RestrictedObjectMixin, View):
    """The year-end review: carry forward or close each unfinished objective."""

    model = PlanningCycle
    action = Action.CHANGE

    def form(self, cycle: PlanningCycle) -> ReviewForm:
        objectives = services.unfinished_objectives(cycle)
        data = self.request.POST if self.request.method == "POST" else None
        return ReviewForm(data, objectives=objectives, year=cycle.year)

    def render_form(self, form: ReviewForm, cycle: PlanningCycle) -> HttpResponse:
        context = {"plan": cycle, "relationship": cycle.relationship, "form": form}
        return render(self.request, "planning/plan_review.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = self.get_object()
        if cycle.reviewed_at is not None:
            messages.info(request, f"The year-end review of {cycle.year} is done.")
            return redirect(cycle)
        return self.render_form(self.form(cycle), cycle)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = self.get_object()
        form = self.form(cycle)
        if form.is_valid():
            try:
                services.year_end_review(
                    cycle=cycle,
                    decisions=form.decisions(),
                    notes=form.notes(),
                    actor=person_of(request),
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"The year-end review of {cycle.year} is recorded.")
                return redirect(cycle)
        return self.render_form(form, cycle)


class PlanAuditView(ObjectAuditView):
    model = PlanningCycle


# --------------------------------------------------------------------------- objectives


class ObjectiveAddView(RestrictedObjectMixin, View):
    """Add an objective to a plan: a content change (a new version to sign)."""

    model = PlanningCycle
    action = Action.ADD

    def render_form(self, form: ObjectiveForm, cycle: PlanningCycle) -> HttpResponse:
        return _render_form(
            self.request,
            form,
            cycle.relationship,
            title=f"Add an objective to “{cycle}”",
            intro=_version_intro(cycle) + " Typically a plan has five to seven objectives.",
            submit_label="Add the objective",
            cancel_url=cycle.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = self.get_object()
        form = _objective_form(
            request, cycle.relationship, adding=True, initial={"target_date": f"{cycle.year}-12-31"}
        )
        return self.render_form(form, cycle)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = self.get_object()
        form = _objective_form(request, cycle.relationship, adding=True)
        if form.is_valid():
            try:
                services.objective_add(
                    cycle=cycle,
                    actor=person_of(request),
                    checkpoints=form.cleaned_data["checkpoints"],
                    **form.service_values(),
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Objective added.")
                return redirect(cycle)
        return self.render_form(form, cycle)


class ObjectiveDetailView(RestrictedObjectMixin, View):
    model = Objective

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        objective = self.get_object()
        return render(
            request, "planning/objective_detail.html", objective_context(request, objective)
        )


def objective_context(request: HttpRequest, objective: Objective, **extra: Any) -> dict[str, Any]:
    user = person_of(request)
    checkpoints = list(
        Checkpoint.objects.restrict(user).filter(objective=objective).order_by("due_date", "pk")
    )
    carried_into = list(Objective.objects.restrict(user).filter(carried_from=objective))
    may_change = permits(user, Action.CHANGE, objective)
    return {
        "objective": objective,
        "plan": objective.cycle,
        "relationship": objective.relationship,
        "figure": figure_for(objective, user),
        "checkpoints": checkpoints,
        "carried_into": carried_into,
        "can_change": may_change,
        "can_delete": permits(user, Action.DELETE, objective),
        "status_form": extra.pop("status_form", None)
        or ObjectiveStatusForm(initial={"status": objective.status}),
        "side": objective.relationship.side_of(user),
        **extra,
    }


class ObjectiveEditView(RestrictedObjectMixin, View):
    """Change an objective's definition: a content change of its plan."""

    model = Objective
    action = Action.CHANGE

    def render_form(self, form: ObjectiveForm, objective: Objective) -> HttpResponse:
        return _render_form(
            self.request,
            form,
            objective.relationship,
            title=f"Edit “{objective}”",
            intro=_version_intro(objective.cycle),
            submit_label="Save the new version",
            cancel_url=objective.get_absolute_url(),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        objective = self.get_object()
        form = _objective_form(
            request,
            objective.relationship,
            adding=False,
            keep=objective.service_level_id,
            initial=ObjectiveForm.initial_of(objective),
        )
        return self.render_form(form, objective)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        objective = self.get_object()
        form = _objective_form(
            request, objective.relationship, adding=False, keep=objective.service_level_id
        )
        if form.is_valid():
            try:
                services.objective_update(
                    objective=objective, actor=person_of(request), **form.service_values()
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Objective saved.")
                return redirect(objective)
        return self.render_form(form, objective)


class ObjectiveDeleteView(ConfirmDeleteView):
    model = Objective
    deleted_message = "Objective “{object}” removed from the plan."

    def perform_delete(self, obj: Any, actor: Any) -> None:
        services.objective_delete(objective=obj, actor=actor)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        objective = self.get_object()
        cycle = objective.cycle
        self.perform_delete(objective, person_of(request))
        messages.success(request, self.deleted_message.format(object=objective))
        return redirect(cycle)


class ObjectiveStatusView(RestrictedObjectMixin, View):
    """Say where an objective stands (progress: no new version)."""

    model = Objective
    action = Action.CHANGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        objective = self.get_object()
        form = ObjectiveStatusForm(request.POST)
        if form.is_valid():
            try:
                services.objective_set_status(
                    objective=objective,
                    status=form.cleaned_data["status"],
                    actor=person_of(request),
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Status saved.")
                return redirect(objective)
        context = objective_context(request, objective, status_form=form)
        return render(request, "planning/objective_detail.html", context)


class ObjectiveAuditView(ObjectAuditView):
    model = Objective


# --------------------------------------------------------------------------- checkpoints


class CheckpointEditView(RestrictedObjectMixin, View):
    """Assess a checkpoint and write your side's commentary."""

    model = Checkpoint
    action = Action.CHANGE

    def side(self, checkpoint: Checkpoint) -> str:
        side = checkpoint.relationship.side_of(person_of(self.request))
        if side is None:  # pragma: no cover - a role on the relationship implies a side
            raise PermissionDenied("You act for neither side of this relationship.")
        return side

    def render_form(self, form: CheckpointForm, checkpoint: Checkpoint) -> HttpResponse:
        side = self.side(checkpoint)
        other = services.other_side(side)
        return render(
            self.request,
            "planning/checkpoint_form.html",
            {
                "form": form,
                "checkpoint": checkpoint,
                "objective": checkpoint.objective,
                "relationship": checkpoint.relationship,
                "other_side": other,
                "other_commentary": getattr(checkpoint, f"{other}_commentary"),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        checkpoint = self.get_object()
        side = self.side(checkpoint)
        initial = {
            "status": checkpoint.status,
            "commentary": getattr(checkpoint, f"{side}_commentary"),
        }
        return self.render_form(CheckpointForm(initial=initial, side=side), checkpoint)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        checkpoint = self.get_object()
        form = CheckpointForm(request.POST, side=self.side(checkpoint))
        if form.is_valid():
            try:
                services.checkpoint_update(
                    checkpoint=checkpoint,
                    actor=person_of(request),
                    status=form.cleaned_data["status"],
                    commentary=form.cleaned_data["commentary"],
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"Checkpoint {checkpoint.label} saved.")
                return redirect(checkpoint.objective)
        return self.render_form(form, checkpoint)
