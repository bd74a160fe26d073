"""Writes to the joint plan: plans, objectives, checkpoints, signatures, the year-end review.

The rules, in one place:

* Either side (anyone who may add joint records of the relationship) starts a
  year's plan; anyone who may change joint records edits it.
* **Content** is what the executives sign: the plan's own texts (title,
  drivers, what changed in the past year, launch or not, session date) and
  each objective's definition (statement, success measure, focus, linked
  figure, service level, target value, owners, target date), including
  adding or removing an objective. A content change bumps the plan's
  ``version``; the signatures of earlier versions stop counting. When the
  version edited had any signature, a :class:`PlanRevision` records what
  changed and whose signatures were voided, and the executives of both
  sides are told.
* **Progress** is not signed: objective statuses, checkpoint statuses and
  commentary. The buyer side writes the buyer's commentary, the provider
  side the provider's. Assessing the latest checkpoint sets the objective's
  status to match, unless the objective is already achieved or dropped.
* Only executives sign (:data:`accord.core.choices.EXECUTIVE_ROLES`); the
  plan is **in force** when one executive of each side signed its current
  version. The first signature asks the other side's executives to sign.
* The year-end review takes an explicit decision, carry forward or close,
  for every unfinished objective. Carried objectives are copied into next
  year's plan (created, unsigned, if there is none yet), which is a content
  change of that plan.
"""

from __future__ import annotations

import calendar
import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone

from accord.attention.models import NotificationKind
from accord.attention.notify import notify
from accord.core import signing
from accord.core.choices import EXECUTIVE_ROLES, Action, RoleName, Side, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import get_for
from accord.core.visibility import can
from accord.parties.models import Relationship, Role, User
from accord.performance.models import ServiceLevel
from accord.planning.models import (
    FINISHED_STATUSES,
    Checkpoint,
    CheckpointStatus,
    LinkedFigure,
    Objective,
    ObjectiveStatus,
    PlanningCycle,
    PlanRevision,
    YearEndDecision,
)

PLAN_FIELDS = (
    "title", "is_launch", "session_date", "buyer_drivers", "provider_drivers",
    "changes_past_year",
)  # fmt: skip
OBJECTIVE_FIELDS = (
    "statement", "success_measure", "focus", "linked_figure", "service_level", "target_value",
    "buyer_owner", "provider_owner", "target_date",
)  # fmt: skip
CARRY, CLOSE = "carry", "close"
DECISIONS = {CARRY: YearEndDecision.CARRIED_FORWARD, CLOSE: YearEndDecision.CLOSED}
# What an assessed checkpoint makes of its objective's status.
STATUS_OF_CHECKPOINT = {
    CheckpointStatus.ON_TRACK: ObjectiveStatus.ON_TRACK,
    CheckpointStatus.AT_RISK: ObjectiveStatus.AT_RISK,
    CheckpointStatus.OFF_TRACK: ObjectiveStatus.OFF_TRACK,
    CheckpointStatus.ACHIEVED: ObjectiveStatus.ACHIEVED,
}
# "Typically five to seven": the pages nudge, nothing enforces it.
TYPICAL_OBJECTIVES = (5, 7)


# --------------------------------------------------------------------------- helpers


def other_side(side: str) -> str:
    return Side.PROVIDER if side == Side.BUYER else Side.BUYER


def default_title(year: int, is_launch: bool) -> str:
    return f"Relationship launch {year}" if is_launch else f"Joint plan {year}"


def executives(relationship: Relationship, side: str | None = None) -> list[User]:
    """The executives of ``relationship`` (of one side, if given)."""
    roles = Role.objects.filter(
        relationship_id=relationship.pk, role=RoleName.EXECUTIVE
    ).select_related("person")
    people = [role.person for role in roles]
    return [p for p in people if side is None or relationship.side_of(p) == side]


def _display(model: type[models.Model], name: str, value: Any) -> str:
    """A field's value in words, for a revision (JSON-friendly, read by people)."""
    if value is None or value == "":
        return ""
    field: Any = model._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, ServiceLevel):
        return f"{value.code} {value.name}"
    if isinstance(value, User):
        return f"{value} ({value.username})"
    if isinstance(value, decimal.Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    field: Any = model._meta.get_field(name)
    return str(field.verbose_name).capitalize()


def _coerce(model: type[models.Model], values: Mapping[str, Any], allowed: Iterable[str]) -> dict:
    """Known fields only, each parsed by its model field (errors name the field)."""
    allowed = tuple(allowed)
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError(f"Cannot set {', '.join(sorted(unknown))}.")
    parsed: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            field: Any = model._meta.get_field(name)
        except FieldDoesNotExist:  # pragma: no cover - guarded by ``allowed``
            continue
        if isinstance(field, models.ForeignKey) or value is None:
            parsed[name] = value
            continue
        if isinstance(value, str):
            value = value.strip()
        try:
            parsed[name] = field.to_python(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return parsed


def _changes(obj: models.Model, values: Mapping[str, Any], what: str) -> list[dict[str, str]]:
    """Set ``values`` on ``obj``; return what changed, in words."""
    found = []
    model = type(obj)
    for name, value in values.items():
        current = getattr(obj, name)
        same = (
            (getattr(current, "pk", None) == getattr(value, "pk", value))
            if isinstance(model._meta.get_field(name), models.ForeignKey)
            else current == value
        )
        if same:
            continue
        found.append(
            {
                "what": what,
                "field": _label(model, name),
                "before": _display(model, name, current),
                "after": _display(model, name, value),
            }
        )
        setattr(obj, name, value)
    return found


def _locked(cycle: PlanningCycle | int) -> PlanningCycle:
    """The plan re-read under a row lock: edits and signatures happen one at a time."""
    pk = cycle.pk if isinstance(cycle, PlanningCycle) else cycle
    return PlanningCycle.objects.select_for_update().select_related("relationship").get(pk=pk)


def _objective_what(objective: Objective) -> str:
    text = objective.statement if len(objective.statement) <= 60 else objective.statement[:57]
    return f"Objective “{text.rstrip()}{'…' if len(objective.statement) > 60 else ''}”"


def _new_version(
    cycle: PlanningCycle, *, actor: Any, changes: list[dict[str, str]], fields: Iterable[str] = ()
) -> PlanningCycle:
    """Save a content change of the (locked) plan as a new version.

    If the version edited had signatures they stop counting: record the
    revision and tell the executives of both sides.
    """
    voided = sorted(signing.signed_sides(cycle))
    before = cycle.version
    cycle.version = before + 1
    cycle.full_clean()
    cycle.save(update_fields=[*fields, "version", "updated_at"])
    if voided:
        PlanRevision.objects.create(
            relationship_id=cycle.relationship_id,
            visibility=Visibility.JOINT,
            cycle=cycle,
            from_version=before,
            to_version=cycle.version,
            changes=changes,
            voided_sides=voided,
            edited_by=actor,
            created_by=actor,
        )
        what = "; ".join(
            f"{c['what']}: {c['field']}" if c["field"] else c["what"] for c in changes[:5]
        )
        notify(
            executives(cycle.relationship),
            about=cycle,
            kind=NotificationKind.SIGNATURES_VOIDED,
            title=f"{cycle}: version {before} signatures voided by an edit",
            body=(
                f"{actor} changed the plan ({what}). The signatures of version {before} "
                f"({', '.join(voided)}) no longer count: version {cycle.version} needs an "
                "executive of each side to sign it."
            ),
            exclude=actor,
        )
    return cycle


# --------------------------------------------------------------------------- plans


def plan_create(
    *,
    relationship: Relationship,
    year: int,
    actor: Any,
    title: str = "",
    is_launch: bool = False,
    session_date: dt.date | str | None = None,
    buyer_drivers: str = "",
    provider_drivers: str = "",
    changes_past_year: str = "",
) -> PlanningCycle:
    """Start a year's joint plan (either side; one plan per relationship and year)."""
    relationship = get_for(actor, Relationship, pk=getattr(relationship, "pk", relationship))
    if not can(actor, Action.ADD, relationship, Visibility.JOINT):
        raise PermissionDenied("Your role does not allow adding a plan here.")
    values = _coerce(
        PlanningCycle,
        {
            "year": year,
            "title": title,
            "is_launch": is_launch,
            "session_date": session_date,
            "buyer_drivers": buyer_drivers,
            "provider_drivers": provider_drivers,
            "changes_past_year": changes_past_year,
        },
        ("year", *PLAN_FIELDS),
    )
    if not values["title"]:
        values["title"] = default_title(values["year"] or 0, bool(values["is_launch"]))
    with transaction.atomic(), acting_as(actor):
        # Lock the relationship: two plans for one year cannot race in.
        Relationship.objects.select_for_update().filter(pk=relationship.pk).first()
        if PlanningCycle.objects.filter(relationship=relationship, year=values["year"]).exists():
            raise ValidationError(
                {"year": f"There is already a plan for {values['year']}: open it to edit it."}
            )
        cycle = PlanningCycle(
            relationship=relationship, visibility=Visibility.JOINT, created_by=actor, **values
        )
        cycle.full_clean()
        cycle.save()
    return cycle


def plan_update(*, cycle: PlanningCycle, actor: Any, **changes: Any) -> PlanningCycle:
    """Edit the plan's own texts: a new version (signatures given so far stop counting)."""
    values = _coerce(PlanningCycle, changes, PLAN_FIELDS)
    if "title" in values and not values["title"]:
        raise ValidationError({"title": "Give the plan a title."})
    with transaction.atomic(), acting_as(actor):
        cycle = _locked(get_for(actor, PlanningCycle, Action.CHANGE, pk=cycle.pk))
        found = _changes(cycle, values, "Plan")
        if not found:
            return cycle
        _new_version(cycle, actor=actor, changes=found, fields=list(values))
    return cycle


def plan_sign(*, cycle: PlanningCycle, actor: Any) -> PlanningCycle:
    """An executive signs the plan's current version for their side.

    The first side's signature asks the other side's executives to sign;
    both sides on the same version = the plan is in force.
    """
    with transaction.atomic(), acting_as(actor):
        cycle = _locked(get_for(actor, PlanningCycle, pk=cycle.pk))
        relationship = cycle.relationship
        if not signing.is_signatory(actor, relationship, EXECUTIVE_ROLES):
            raise PermissionDenied("Only an executive of either side signs the joint plan.")
        if not cycle.objectives.exists():
            raise ValidationError("The plan has no objectives yet: add them before signing.")
        signing.sign(cycle, actor=actor, roles=EXECUTIVE_ROLES)
        sides = signing.signed_sides(cycle)
        side = relationship.side_of(actor) or Side.BUYER
        if sides == {side}:
            waiting = other_side(side)
            notify(
                executives(relationship, waiting),
                about=cycle,
                kind=NotificationKind.SIGNATURE_REQUESTED,
                title=f"Please sign {cycle} (version {cycle.version})",
                body=(
                    f"{actor} signed version {cycle.version} for the {side}. The plan takes "
                    f"effect when an executive of the {waiting} signs the same version."
                ),
                exclude=actor,
            )
    return cycle


def plan_actions(cycle: PlanningCycle, user: Any) -> dict[str, bool]:
    """What ``user`` may do to the plan now, for the page's buttons (the services decide)."""
    from accord.core.selectors import permits

    relationship = cycle.relationship
    side = relationship.side_of(user)
    sides = signing.signed_sides(cycle)
    executive = signing.is_signatory(user, relationship, EXECUTIVE_ROLES)
    change = permits(user, Action.CHANGE, cycle)
    return {
        "sign": executive and side is not None and side not in sides,
        "executive": executive,
        "edit": change,
        "add_objective": permits(user, Action.ADD, cycle),
        "review": change and cycle.reviewed_at is None,
    }


# --------------------------------------------------------------------------- objectives


def quarterly_checkpoints(year: int, target_date: dt.date) -> list[tuple[str, dt.date]]:
    """(label, due date) of each quarter of ``year`` that starts by the target date.

    A quarter the target date falls in is due on the target date itself.
    """
    found = []
    for quarter in range(1, 5):
        first = dt.date(year, quarter * 3 - 2, 1)
        if first > target_date:
            break
        last_month = quarter * 3
        end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        found.append((f"Q{quarter} {year}", min(end, target_date)))
    return found


def _clean_objective(objective: Objective, relationship: Relationship, actor: Any) -> None:
    """The rules of an objective's definition beyond its fields' own (errors name the field)."""
    errors: dict[str, str] = {}
    for field, side in (("buyer_owner", Side.BUYER), ("provider_owner", Side.PROVIDER)):
        person = getattr(objective, field, None) if getattr(objective, f"{field}_id") else None
        if person is None:
            errors[field] = f"Choose the {side}'s owner."
        elif relationship.side_of(person) != side or not (
            Role.objects.filter(relationship_id=relationship.pk, person_id=person.pk).exists()
        ):
            errors[field] = (
                f"Choose someone of the {side} side who holds a role on this relationship."
            )
    if objective.service_level_id is not None and not (
        ServiceLevel.objects.restrict(actor)
        .filter(pk=objective.service_level_id, contract__relationship_id=relationship.pk)
        .exists()
    ):
        errors["service_level"] = "Choose a service level of this relationship's contract."
    if objective.linked_figure == LinkedFigure.SERVICE_LEVEL and not objective.service_level_id:
        errors.setdefault(
            "service_level", "A measure linked to a service level needs the service level."
        )
    if objective.linked_figure and objective.target_value is None:
        errors["target_value"] = "Say which figure counts as success for the linked measure."
    if objective.target_date and objective.target_date.year < objective.cycle.year:
        errors["target_date"] = (
            f"The target date is before the plan's year, {objective.cycle.year}."
        )
    if not (objective.statement or "").strip():
        errors["statement"] = "Say what must be accomplished."
    if not (objective.success_measure or "").strip():
        errors["success_measure"] = "Say how both sides will know it was achieved."
    try:
        objective.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, " ".join(messages))
    if errors:
        raise ValidationError(errors)


def _add_objective(
    cycle: PlanningCycle,
    values: dict[str, Any],
    *,
    actor: Any,
    checkpoints: bool,
    carried_from: Objective | None = None,
) -> Objective:
    """Create the objective in the locked plan, its checkpoints, and the plan's new version."""
    position = (cycle.objectives.aggregate(top=models.Max("position"))["top"] or 0) + 1
    objective = Objective(
        relationship_id=cycle.relationship_id,
        visibility=Visibility.JOINT,
        cycle=cycle,
        position=position,
        created_by=actor,
        carried_from=carried_from,
        **values,
    )
    _clean_objective(objective, cycle.relationship, actor)
    objective.save()
    if checkpoints and objective.target_date:
        for label, due in quarterly_checkpoints(cycle.year, objective.target_date):
            checkpoint = Checkpoint(
                relationship_id=cycle.relationship_id,
                visibility=Visibility.JOINT,
                objective=objective,
                label=label,
                due_date=due,
                created_by=actor,
            )
            checkpoint.full_clean()
            checkpoint.save()
    change = {"what": _objective_what(objective), "field": "", "before": "", "after": "added"}
    _new_version(cycle, actor=actor, changes=[change])
    return objective


def objective_add(
    *, cycle: PlanningCycle, actor: Any, checkpoints: bool = True, **values: Any
) -> Objective:
    """Add an objective to the plan (a content change): quarterly checkpoints by default."""
    values = _coerce(Objective, values, OBJECTIVE_FIELDS)
    values.setdefault("linked_figure", LinkedFigure.NONE)
    with transaction.atomic(), acting_as(actor):
        cycle = _locked(get_for(actor, PlanningCycle, Action.ADD, pk=cycle.pk))
        return _add_objective(cycle, values, actor=actor, checkpoints=checkpoints)


def objective_update(*, objective: Objective, actor: Any, **changes: Any) -> Objective:
    """Change an objective's definition (a content change of its plan)."""
    values = _coerce(Objective, changes, OBJECTIVE_FIELDS)
    with transaction.atomic(), acting_as(actor):
        objective = get_for(actor, Objective, Action.CHANGE, pk=objective.pk)
        cycle = _locked(objective.cycle_id)
        objective = Objective.objects.select_for_update().get(pk=objective.pk)
        found = _changes(objective, values, _objective_what(objective))
        if not found:
            return objective
        _clean_objective(objective, cycle.relationship, actor)
        objective.save(update_fields=[*values, "updated_at"])
        _new_version(cycle, actor=actor, changes=found)
    return objective


def objective_delete(*, objective: Objective, actor: Any) -> None:
    """Remove an objective (and its checkpoints) from the plan: a content change."""
    with transaction.atomic(), acting_as(actor):
        objective = get_for(actor, Objective, Action.DELETE, pk=objective.pk)
        cycle = _locked(objective.cycle_id)
        change = {"what": _objective_what(objective), "field": "", "before": "", "after": "removed"}
        objective.delete()
        _new_version(cycle, actor=actor, changes=[change])


def objective_set_status(*, objective: Objective, status: str, actor: Any) -> Objective:
    """Say where an objective stands (progress: the plan's version does not change)."""
    if status not in ObjectiveStatus.values:
        raise ValidationError({"status": "Choose one of the statuses offered."})
    with transaction.atomic(), acting_as(actor):
        objective = get_for(actor, Objective, Action.CHANGE, pk=objective.pk)
        if objective.status != status:
            objective.status = status
            objective.save(update_fields=["status", "updated_at"])
    return objective


# --------------------------------------------------------------------------- checkpoints


def checkpoint_update(
    *,
    checkpoint: Checkpoint,
    actor: Any,
    status: str | None = None,
    commentary: str | None = None,
) -> Checkpoint:
    """Assess a checkpoint and/or write your side's commentary (progress, not signed).

    ``commentary`` is the actor's side's: the buyer's people write the
    buyer's commentary, the provider's the provider's. Assessing the
    objective's latest assessed checkpoint sets the objective's status to
    match, unless the objective is already achieved or dropped.
    """
    if status is not None and status not in CheckpointStatus.values:
        raise ValidationError({"status": "Choose one of the statuses offered."})
    with transaction.atomic(), acting_as(actor):
        checkpoint = get_for(actor, Checkpoint, Action.CHANGE, pk=checkpoint.pk)
        side = checkpoint.relationship.side_of(actor)
        if side is None:  # pragma: no cover - get_for already refused
            raise PermissionDenied("You act for neither side of this relationship.")
        changed: list[str] = []
        if status is not None and status != checkpoint.status:
            checkpoint.status = status
            checkpoint.assessed_at = (
                None if status == CheckpointStatus.NOT_ASSESSED else timezone.now()
            )
            changed += ["status", "assessed_at"]
        field = f"{side}_commentary"
        if commentary is not None and commentary.strip() != getattr(checkpoint, field):
            setattr(checkpoint, field, commentary.strip())
            changed.append(field)
        if not changed:
            return checkpoint
        checkpoint.full_clean()
        checkpoint.save(update_fields=[*changed, "updated_at"])
        if "status" in changed and status != CheckpointStatus.NOT_ASSESSED:
            _follow_checkpoint(checkpoint)
    return checkpoint


def _follow_checkpoint(checkpoint: Checkpoint) -> None:
    """The objective takes the status of its latest assessed checkpoint."""
    objective = Objective.objects.select_for_update().get(pk=checkpoint.objective_id)
    if objective.status in FINISHED_STATUSES:
        return
    latest = (
        objective.checkpoints.exclude(status=CheckpointStatus.NOT_ASSESSED)
        .order_by("-due_date", "-pk")
        .first()
    )
    if latest is None or latest.pk != checkpoint.pk:
        return
    status = STATUS_OF_CHECKPOINT[CheckpointStatus(checkpoint.status)]
    if objective.status != status:
        objective.status = status
        objective.save(update_fields=["status", "updated_at"])


def checkpoint_actions(checkpoint: Checkpoint, user: Any) -> dict[str, Any]:
    from accord.core.selectors import permits

    return {
        "edit": permits(user, Action.CHANGE, checkpoint),
        "side": checkpoint.relationship.side_of(user),
    }


# --------------------------------------------------------------------------- year end


def unfinished_objectives(cycle: PlanningCycle) -> list[Objective]:
    """The objectives the year-end review must decide on (not achieved, not dropped)."""
    return list(
        cycle.objectives.exclude(status__in=FINISHED_STATUSES)
        .select_related("buyer_owner", "provider_owner", "service_level")
        .order_by("position", "pk")
    )


def _carried_date(day: dt.date) -> dt.date:
    year = day.year + 1
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def year_end_review(
    *,
    cycle: PlanningCycle,
    decisions: Mapping[Any, str],
    actor: Any,
    notes: Mapping[Any, str] | None = None,
) -> PlanningCycle:
    """Close the year: carry forward or close each unfinished objective, explicitly.

    ``decisions`` maps each unfinished objective (or its id) to ``"carry"`` or
    ``"close"``; a missing one is an error on the field ``objective_<id>``.
    Carried objectives are copied into next year's plan (created, unsigned,
    if there is none yet) with ``carried_from`` set, and quarterly checkpoints.
    """
    try:
        chosen = {int(getattr(key, "pk", key)): value for key, value in decisions.items()}
        notes_by_pk = {
            int(getattr(key, "pk", key)): (text or "").strip()
            for key, text in (notes or {}).items()
        }
    except (TypeError, ValueError):
        raise ValidationError({"decisions": "Name each objective by its id."}) from None
    with transaction.atomic(), acting_as(actor):
        cycle = _locked(get_for(actor, PlanningCycle, Action.CHANGE, pk=cycle.pk))
        if cycle.reviewed_at is not None:
            raise ValidationError(
                f"The year-end review of {cycle.year} was done on {cycle.reviewed_at:%Y-%m-%d}."
            )
        unfinished = unfinished_objectives(cycle)
        errors: dict[str, str] = {}
        for objective in unfinished:
            if chosen.get(objective.pk) not in DECISIONS:
                errors[f"objective_{objective.pk}"] = (
                    f"Decide: carry it forward into {cycle.year + 1}, or close it."
                )
        strangers = set(chosen) - {objective.pk for objective in unfinished}
        if strangers:
            errors["decisions"] = (
                "Decide only on this plan's unfinished objectives "
                f"(not {', '.join(str(pk) for pk in sorted(strangers))})."
            )
        if errors:
            raise ValidationError(errors)
        carried = [o for o in unfinished if chosen[o.pk] == CARRY]
        if carried:
            _carry_forward(cycle, carried, actor)
        for objective in unfinished:
            objective.year_end_decision = DECISIONS[chosen[objective.pk]]
            objective.year_end_note = notes_by_pk.get(objective.pk, "")
            objective.save(update_fields=["year_end_decision", "year_end_note", "updated_at"])
        cycle.reviewed_at = timezone.now()
        cycle.reviewed_by = actor
        cycle.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])
    return cycle


def _carry_forward(cycle: PlanningCycle, objectives: list[Objective], actor: Any) -> None:
    year = cycle.year + 1
    following = PlanningCycle.objects.filter(relationship_id=cycle.relationship_id, year=year)
    target = following.first() or plan_create(
        relationship=cycle.relationship, year=year, actor=actor
    )
    target = _locked(target)
    for objective in objectives:
        values = {name: getattr(objective, name) for name in OBJECTIVE_FIELDS}
        values["target_date"] = _carried_date(objective.target_date)
        try:
            _add_objective(target, values, actor=actor, checkpoints=True, carried_from=objective)
        except ValidationError as error:
            # Say which objective cannot be carried (an owner who left, a retired level...).
            raise ValidationError(
                {f"objective_{objective.pk}": f"It cannot be carried as it is: {error.messages[0]}"}
            ) from None


# --------------------------------------------------------------------------- reading


def is_in_force(cycle: PlanningCycle) -> bool:
    """Both sides' executives signed the current version."""
    return signing.is_cosigned(cycle)
