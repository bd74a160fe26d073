"""Isolation cases: the contract, the scope register and the schedule.

See tests/isolation_matrix.py. The world's contracts are ``R1.joint`` and
``R2.joint`` (one per relationship), each with schedule version 1 (the factories'
small schedule), service level ``P1`` and data source ``tickets``. Every record
here is joint: the hand-written expectations for joint records apply, so no case
needs an ``allowed=`` of its own.
"""

from __future__ import annotations

from typing import Any

from accord.contracts.models import Contract, ScopeItem
from accord.core.choices import Action
from accord.core.testing.isolation import Case
from accord.core.testing.performance_factories import SMALL_SCHEDULE
from accord.core.testing.world import World
from accord.performance.models import DataSource, ScheduleVersion, ScorecardRun, ServiceLevel

CONTRACT_FORM = {
    "reference": "R-EDITED",
    "title": "Edited by the isolation test",
    "start_date": "2026-01-01",
    "end_date": "2030-12-31",
    "currency": "CAD",
    "timezone": "America/Vancouver",
    "fee_basis": "monthly",
    "monthly_fee": "100000.00",
    "fee_schedule": "",
    "at_risk_percent": "10",
    "pool_percent": "200",
}


def contract_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {**CONTRACT_FORM, "title": f"Edited by {persona}"}


def contract_state(world: World, label: str) -> Any:
    contract = Contract.objects.filter(pk=world.record("contract", label).pk).first()
    return None if contract is None else (contract.title, contract.reference)


def contract_add_state(world: World, label: str) -> Any:
    """The contracts of relationship ``label``, with the world's own cleared out of the way.

    The world gives each relationship its contract; a relationship has one at
    most, so the record the request would create can only appear once that one
    is gone. The removal happens inside the case's savepoint and is rolled back
    with everything else. (Runs protect their schedule version: they go first.)
    """
    seeded = world.record("contract", f"{label}.joint")
    if Contract.objects.filter(pk=seeded.pk).exists():
        ScorecardRun.objects.filter(contract_id=seeded.pk).delete()
        Contract.objects.filter(pk=seeded.pk).delete()
    return sorted(
        Contract.objects.filter(relationship=world.relationships[label]).values_list(
            "pk", flat=True
        )
    )


def scope_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "status": "out_of_scope",
        "title": f"Written by {persona}",
        "description": "Not included.",
        "clause": "Sch. A 9",
    }


def scope_count(world: World, label: str) -> int:
    return ScopeItem.objects.count()


def scope_state(world: World, label: str) -> Any:
    item = ScopeItem.objects.filter(pk=world.record("scope", label).pk).first()
    return None if item is None else (item.status, item.title, item.description, item.clause)


def schedule_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "document": SMALL_SCHEDULE.replace("expected: 95", "expected: 96"),
        "summary": f"P1 expected raised by {persona}",
    }


def version_state(world: World, label: str) -> Any:
    contract = world.record("contract", label)
    return sorted(
        ScheduleVersion.objects.filter(contract_id=contract.pk).values_list("number", "sha256")
    )


def level_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "name": f"P1 renamed by {persona}",
        "kind": "critical",
        "expected": "96",
        "minimum": "90",
        "minimum_volume": "",
        "allocation_percent": "50",
    }


def level_state(world: World, label: str) -> Any:
    level = ServiceLevel.objects.get(pk=world.record("service_level", label).pk)
    versions = ScheduleVersion.objects.filter(contract_id=level.contract_id).count()
    return (level.name, level.expected, versions)


def source_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "import_format": "servicenow",
        "timezone": "America/Toronto",
        "description": f"Set by {persona}",
    }


def source_state(world: World, label: str) -> Any:
    source = DataSource.objects.get(pk=world.record("data_source", label).pk)
    return (source.import_format, source.timezone, source.description)


def relationship_of(kind: str) -> Any:
    """URL kwargs naming the relationship of the ``kind`` record labelled ``label``."""
    return lambda world, label: {"pk": world.record(kind, label).relationship_id}


CASES: list[Case] = [
    # The contract page names the relationship; it shows the contract and its levels.
    Case("contract_detail", kind="relationship", shows="contract"),
    Case("contract_detail", kind="relationship", shows="service_level"),
    Case("contract_detail", kind="relationship", shows="data_source"),
    # Permitted people find the contract recorded already and are sent to edit it.
    Case("contract_add", kind="relationship", action=Action.ADD, ok=302),
    Case("contract_add", kind="relationship", action=Action.ADD, method="post", ok=302,
         data=contract_form, state=contract_add_state),
    Case("contract_edit", kind="contract", action=Action.CHANGE),
    Case("contract_edit", kind="contract", action=Action.CHANGE, method="post", ok=302,
         data=contract_form, state=contract_state),
    Case("contract_audit", kind="contract"),
    Case("scope_list", kind="relationship", shows="scope"),
    Case("scope_add", kind="relationship", action=Action.ADD),
    Case("scope_add", kind="scope", parent=True, action=Action.ADD, method="post", ok=302,
         data=scope_form, state=scope_count),
    Case("scope_detail", kind="scope"),
    Case("scope_edit", kind="scope", action=Action.CHANGE),
    Case("scope_edit", kind="scope", action=Action.CHANGE, method="post", ok=302,
         data=scope_form, state=scope_state),
    Case("scope_delete", kind="scope", action=Action.DELETE),
    Case("scope_delete", kind="scope", action=Action.DELETE, method="post", ok=302,
         state=scope_state),
    Case("scope_audit", kind="scope"),
    Case("schedule_detail", kind="contract", shows="schedule_version"),
    Case("schedule_edit", kind="contract", action=Action.CHANGE),
    Case("schedule_edit", kind="contract", action=Action.CHANGE, method="post", ok=302,
         data=schedule_form, state=version_state),
    Case("schedule_version", kind="schedule_version"),
    Case("schedule_version_download", kind="schedule_version"),
    Case("service_level_edit", kind="service_level", action=Action.CHANGE),
    Case("service_level_edit", kind="service_level", action=Action.CHANGE, method="post",
         ok=302, data=level_form, state=level_state),
    Case("source_edit", kind="data_source", action=Action.CHANGE),
    Case("source_edit", kind="data_source", action=Action.CHANGE, method="post", ok=302,
         data=source_form, state=source_state),
]  # fmt: skip
