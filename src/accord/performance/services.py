"""Writes to schedules, service levels and data sources.

A new schedule version is validated by the engine (errors with their lines),
its levels and sources are mirrored into rows, and the scorecards are
recomputed with it.
"""

from __future__ import annotations

import decimal
from typing import Any

from django.db import transaction

from accord.contracts.models import Contract
from accord.core.choices import Action, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import ValidationError
from accord.core.selectors import get_for
from accord.core.services import apply_changes
from accord.core.tasks import enqueue
from accord.engine.schedule import Schedule
from accord.engine.tz import available_time_zones
from accord.performance import schedules
from accord.performance.focus import guess_focus
from accord.performance.models import (
    DataSource,
    ImportFormat,
    LevelKind,
    ScheduleVersion,
    ServiceLevel,
)


def current_version(contract: Contract) -> ScheduleVersion | None:
    """The schedule version in force: the newest."""
    return ScheduleVersion.objects.filter(contract=contract).order_by("-number").first()


def schedule_version_create(
    *, contract: Contract, document: str, summary: str = "", actor: Any
) -> ScheduleVersion:
    """Make ``document`` the contract's schedule in force, then recompute the scorecards.

    Raises :class:`~accord.performance.schedules.ScheduleInvalid` (every
    problem with its line) when the engine refuses the document. Saving the
    same text as the version in force changes nothing.
    """
    contract = get_for(actor, Contract, Action.CHANGE, pk=contract.pk)
    schedule = schedules.build_schedule(contract, document)
    with transaction.atomic(), acting_as(actor):
        # Lock the contract: two saves at once get consecutive numbers.
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        latest = current_version(contract)
        if latest is not None and latest.document == document:
            return latest
        version = ScheduleVersion(
            relationship_id=contract.relationship_id,
            visibility=Visibility.JOINT,
            contract=contract,
            number=(latest.number + 1) if latest else 1,
            document=document,
            summary=summary[:300],
            sha256=schedules.document_sha256(document),
            created_by=actor,
        )
        version.save()
        sync_from_schedule(contract, schedule, actor=actor)
        recompute_later(contract.pk, f"schedule version {version.number}")
    return version


def recompute_later(contract_id: int, reason: str) -> None:
    """Recompute the contract's scorecards once the current transaction commits (see tasks)."""
    # Imported here: the scorecards module loads the engine, which pages need not.
    from accord.performance.scorecards import recompute_scorecards

    enqueue(recompute_scorecards, contract_id, reason)


def sync_from_schedule(contract: Contract, schedule: Schedule, *, actor: Any) -> None:
    """Mirror the schedule's levels and sources into rows; retire those it dropped."""
    allocations = schedule.credits
    levels = {}
    for position, level in enumerate(schedule.service_levels):
        allocation = allocations.allocation(level.code) if allocations else None
        levels[level.code] = {
            "name": level.name,
            "kind": level.kind,
            "source": level.source,
            "measure": level.measure.type,
            "unit": level.unit,
            "direction": level.direction,
            "period": level.period,
            "expected": level.expected,
            "minimum": level.minimum,
            "minimum_volume": level.minimum_volume,
            "allocation_percent": allocation.effective_percent if allocation else None,
            "breakdown": list(level.breakdown),
            "calendar": level.calendar or "",
            "position": position,
        }
    _mirror(ServiceLevel, contract, "code", levels)
    for row in ServiceLevel.objects.filter(contract=contract, focus=""):
        row.focus = guess_focus(row.code, row.name)
        row.save(update_fields=["focus", "updated_at"])
    sources = {
        source.name: {"columns": dict(source.columns), "time_column": source.time_column}
        for source in schedule.sources.values()
    }
    _mirror(DataSource, contract, "name", sources)


def _mirror(
    model: type[ServiceLevel] | type[DataSource],
    contract: Contract,
    key: str,
    rows: dict[str, dict[str, Any]],
) -> None:
    """Make the contract's ``model`` rows match ``rows`` (by ``key``); retire the others."""
    for value, fields in rows.items():
        fields = {**fields, "retired": False}
        row = model.objects.filter(contract=contract, **{key: value}).first()
        if row is None:
            model.objects.create(
                relationship_id=contract.relationship_id,
                visibility=Visibility.JOINT,
                contract=contract,
                **{key: value},
                **fields,
            )
            continue
        changed = apply_changes(row, fields)
        if changed:
            row.save(update_fields=[*changed, "updated_at"])
    dropped = model.objects.filter(contract=contract, retired=False).exclude(
        **{f"{key}__in": list(rows)}
    )
    for row in dropped:
        row.retired = True
        row.save(update_fields=["retired", "updated_at"])


TARGET_FIELDS = ("name", "kind", "expected", "minimum", "minimum_volume")


def _unchanged(current: Any, value: Any, name: str) -> bool:
    """Whether ``value`` says the same as the level's ``current`` value (95 == 95.000)."""
    if name == "minimum_volume":
        return (current or 0) == (value or 0)
    if current is None or value is None:
        return current is None and value is None
    if isinstance(current, decimal.Decimal):
        return current == decimal.Decimal(str(value))
    return bool(current == value)


def service_level_update(
    *,
    level: ServiceLevel,
    actor: Any,
    allocation_percent: decimal.Decimal | None = None,
    clear_allocation: bool = False,
    **changes: Any,
) -> ScheduleVersion:
    """Change a level's name, kind, targets or allocation: a new schedule version.

    The form edits the schedule document (its authority); the rows follow.
    ``allocation_percent`` is the level's own % as the document states it
    (before any category %); None leaves it as it is, ``clear_allocation``
    removes it. A key measurement carries no allocation. Nothing changed: no
    new version (the version in force is returned), and the document's text,
    comments included, stays as written.
    """
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))} here.")
    level = get_for(actor, ServiceLevel, Action.CHANGE, pk=level.pk)
    if level.retired:
        raise ValidationError("This service level is no longer in the schedule.")
    version = current_version(level.contract)
    if version is None:
        raise ValidationError("The contract has no schedule yet.")
    changed = {
        name: value
        for name, value in changes.items()
        if not _unchanged(getattr(level, name), value, name)
    }
    fields: dict[str, Any] = {}
    for name, value in changed.items():
        if isinstance(value, decimal.Decimal):
            value = schedules.plain_number(value)
        if name == "minimum_volume" and not value:
            value = None  # no minimum volume: the key leaves the document
        fields[name] = value
    words = [f"{name} {'(none)' if value is None else value}" for name, value in changed.items()]
    text = version.document
    try:
        if fields:
            text = schedules.set_level_fields(text, level.code, fields)
        current = schedules.level_allocation(version.document, level.code)
        kind = changes.get("kind", level.kind)
        if current is not None and (kind == LevelKind.KEY or clear_allocation):
            text = schedules.set_allocation(text, level.code, None)
            words.append("allocation removed")
        elif (
            kind == LevelKind.CRITICAL
            and allocation_percent is not None
            and allocation_percent != current
        ):
            text = schedules.set_allocation(text, level.code, allocation_percent)
            words.append(f"allocation {allocation_percent}%")
    except KeyError:
        raise ValidationError(
            f"{level.code} is not in the schedule in force; edit the schedule itself."
        ) from None
    if text == version.document:
        return version
    return schedule_version_create(
        contract=level.contract,
        document=text,
        summary=f"{level.code}: {', '.join(words)}"[:300],
        actor=actor,
    )


def data_source_update(
    *, source: DataSource, actor: Any, import_format: str, timezone: str, description: str = ""
) -> DataSource:
    """Change how a source's files are read: their format and the zone of zoneless times."""
    with transaction.atomic(), acting_as(actor):
        # Permission first: a source out of reach answers the same whatever is sent.
        source = get_for(actor, DataSource, Action.CHANGE, pk=source.pk)
        errors = {}
        if import_format not in ImportFormat.values:
            errors["import_format"] = f"{import_format!r} is not an import format."
        if timezone and timezone not in available_time_zones():
            errors["timezone"] = f"{timezone!r} is not a time zone."
        if import_format == ImportFormat.SERVICENOW and not timezone:
            errors["timezone"] = "A ServiceNow export's timestamps carry no zone: name it here."
        if errors:
            raise ValidationError(errors)
        changed = apply_changes(
            source,
            {"import_format": import_format, "timezone": timezone, "description": description},
        )
        if changed:
            source.full_clean()
            source.save(update_fields=[*changed, "updated_at"])
    return source
