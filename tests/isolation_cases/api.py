"""Isolation cases: the contracts and performance API (see tests/isolation_matrix.py).

Where a route's rule differs from the generic one of its record kind, the
``allowed=`` sets are written here by hand, from the rules of the workflow
(who may request, sign, decline or withdraw an excusal), never computed
from the code under test.
"""

from __future__ import annotations

from typing import Any

from accord.contracts.models import Contract, ScopeItem
from accord.core.choices import Action
from accord.core.models import Signature
from accord.core.testing.expectations import NONE, expected
from accord.core.testing.isolation import Case
from accord.core.testing.performance_factories import SMALL_SCHEDULE
from accord.core.testing.world import World
from accord.performance.models import (
    CostOfQualityNote,
    CreditForecast,
    DataImport,
    DataSource,
    Excusal,
    ScheduleVersion,
    ServiceLevel,
)


def _rel(label: str) -> str:
    return label.split(".")[0]


def _contract(world: World, label: str) -> Contract:
    return world.record("contract", f"{_rel(label)}.joint")  # type: ignore[no-any-return]


def _pk(world: World, kind: str, label: str) -> dict[str, Any]:
    return {"pk": world.record(kind, label).pk}


def _nobody(persona: str) -> frozenset[str]:
    return NONE


# Excusals: the provider requests, restates and withdraws (with add/change on the
# relationship); a signatory of either side signs. In the world the provider has
# already signed each excusal (p_exec), so only a buyer signatory can still sign;
# declining is the buyer signatories' alone.
PROVIDER_WRITERS = {
    "p_exec": frozenset({"R1.joint", "R2.joint"}),
    "p_manager": frozenset({"R1.joint"}),
    "p_r2_manager": frozenset({"R2.joint"}),
}
BUYER_SIGNATORIES = {
    "a_exec": frozenset({"R1.joint"}),
    "a_manager": frozenset({"R1.joint"}),
    "b_manager": frozenset({"R2.joint"}),
}


def provider_writers(persona: str) -> frozenset[str]:
    return PROVIDER_WRITERS.get(persona, NONE)


def buyer_signatories(persona: str) -> frozenset[str]:
    return BUYER_SIGNATORIES.get(persona, NONE)


def contract_editors(persona: str) -> frozenset[str]:
    """A new schedule version changes the contract: whoever may change it."""
    return expected("contract", Action.CHANGE, persona)


# --- bodies -------------------------------------------------------------------------------


def contract_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "relationship": world.relationships[label].pk,
        "reference": f"NEW-{persona}",
        "title": "Second contract",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "currency": "CAD",
        "timezone": "America/Vancouver",
        "monthly_fee": "1000.00",
        "at_risk_percent": "10",
        "pool_percent": "200",
    }


def scope_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "relationship": world.relationships[_rel(label)].pk,
        "status": "out_of_scope",
        "title": f"Added by {persona}",
        "clause": "Sch. A 9",
    }


def schedule_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "contract": _contract(world, label).pk,
        "document": SMALL_SCHEDULE.replace("expected: 95", "expected: 96"),
        "summary": f"Raised by {persona}",
    }


def excusal_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "contract": _contract(world, label).pk,
        "service_level": world.record("service_level", label).pk,
        "month": "2026-02",  # the world's excusal is for 2026-01: one open per level and month
        "reason": f"Late master data ({persona})",
    }


def forecast_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"contract": _contract(world, label).pk, "year": 2026, "note": f"By {persona}"}


def cost_note_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {
        "contract": _contract(world, label).pk,
        "service_level": world.record("service_level", f"{_rel(label)}.joint").pk,
        "month": "2026-02",
        "title": f"Overtime ({persona})",
        "amount": "950.00",
    }


def _title(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"title": f"Patched by {persona}"}


# --- state snapshots ----------------------------------------------------------------------


def contract_state(world: World, label: str) -> Any:
    return sorted(Contract.objects.values_list("pk", "title"))


def scope_state(world: World, label: str) -> Any:
    return sorted(ScopeItem.objects.values_list("pk", "title", "status"))


def schedule_state(world: World, label: str) -> Any:
    levels = ServiceLevel.objects.values_list("pk", "expected", "name")
    return sorted(ScheduleVersion.objects.values_list("pk", "number")), sorted(levels)


def source_state(world: World, label: str) -> Any:
    return sorted(DataSource.objects.values_list("pk", "import_format", "timezone"))


def import_state(world: World, label: str) -> Any:
    return sorted(DataImport.objects.values_list("pk", "status"))


def excusal_state(world: World, label: str) -> Any:
    excusals = Excusal.objects.values_list("pk", "status", "version", "reason", "decision_note")
    signatures = Signature.objects.values_list("object_id", "version", "side")
    return sorted(excusals), sorted(signatures)


def forecast_state(world: World, label: str) -> Any:
    return sorted(CreditForecast.objects.values_list("pk", "note"))


def cost_note_state(world: World, label: str) -> Any:
    return sorted(CostOfQualityNote.objects.values_list("pk", "title", "amount"))


NO_KWARGS = lambda w, label: {}  # noqa: E731 - the record is named in the body


CASES: list[Case] = [
    # Contracts: one per relationship, and both world relationships have theirs, so no
    # one may add another (creating one is tested in tests/api/test_contracts.py).
    Case("api:contract-list", api=True, shows="contract"),
    Case("api:contract-list", api=True, kind="relationship", method="post", ok=201,
         allowed=_nobody, url=NO_KWARGS, data=contract_body, state=contract_state),
    Case("api:contract-detail", api=True, kind="contract"),
    Case("api:contract-detail", api=True, kind="contract", action=Action.CHANGE,
         method="patch", data=_title, state=contract_state),
    Case("api:scope-item-list", api=True, shows="scope"),
    Case("api:scope-item-list", api=True, kind="scope", parent=True, action=Action.ADD,
         method="post", ok=201, url=NO_KWARGS, data=scope_body, state=scope_state),
    Case("api:scope-item-detail", api=True, kind="scope"),
    Case("api:scope-item-detail", api=True, kind="scope", action=Action.CHANGE,
         method="patch", data=_title, state=scope_state),
    Case("api:scope-item-detail", api=True, kind="scope", action=Action.DELETE,
         method="delete", ok=204, state=scope_state),
    # Schedules, service levels, data sources.
    Case("api:schedule-version-list", api=True, shows="schedule_version"),
    Case("api:schedule-version-list", api=True, kind="schedule_version", method="post",
         ok=201, allowed=contract_editors, data=schedule_body, state=schedule_state),
    Case("api:schedule-version-detail", api=True, kind="schedule_version"),
    Case("api:service-level-list", api=True, shows="service_level"),
    Case("api:service-level-detail", api=True, kind="service_level"),
    Case("api:service-level-detail", api=True, kind="service_level", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"expected": "96"},
         state=schedule_state),
    Case("api:data-source-list", api=True, shows="data_source"),
    Case("api:data-source-detail", api=True, kind="data_source"),
    Case("api:data-source-detail", api=True, kind="data_source", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"timezone": "America/Toronto"},
         state=source_state),
    # Imports. The harness sends JSON, which cannot carry a file: every upload here is
    # refused for the missing file, so this case checks that a hidden source answers
    # like a missing one and nothing is created. Who may upload a real file is tested
    # per persona in tests/api/test_imports.py.
    Case("api:data-import-list", api=True, shows="data_import"),
    Case("api:data-import-list", api=True, kind="data_import", method="post", ok=201,
         allowed=_nobody,
         data=lambda w, label, persona: {"source": w.record("data_source", label).pk},
         state=import_state),
    Case("api:data-import-detail", api=True, kind="data_import"),
    Case("api:data-import-detail", api=True, kind="data_import", action=Action.DELETE,
         method="delete", ok=204, state=import_state),
    # What the engine computed: read-only.
    Case("api:scorecard-run-list", api=True, shows="run"),
    Case("api:scorecard-run-detail", api=True, kind="run"),
    Case("api:result-list", api=True, shows="result"),
    Case("api:result-detail", api=True, kind="result"),
    Case("api:credit-month-list", api=True, shows="credit_month"),
    Case("api:credit-month-detail", api=True, kind="credit_month"),
    Case("api:credit-line-list", api=True, shows="credit_line"),
    Case("api:credit-line-detail", api=True, kind="credit_line"),
    # Excusals.
    Case("api:excusal-list", api=True, shows="excusal"),
    Case("api:excusal-list", api=True, kind="excusal", method="post", ok=201,
         allowed=provider_writers, data=excusal_body, state=excusal_state),
    Case("api:excusal-detail", api=True, kind="excusal"),
    Case("api:excusal-detail", api=True, kind="excusal", method="patch",
         allowed=provider_writers,
         data=lambda w, label, persona: {"reason": f"Restated by {persona}"},
         state=excusal_state),
    Case("api:excusal-sign", api=True, kind="excusal", method="post",
         allowed=buyer_signatories, state=excusal_state),
    Case("api:excusal-decline", api=True, kind="excusal", method="post",
         allowed=buyer_signatories, url=lambda w, label: _pk(w, "excusal", label),
         data=lambda w, label, persona: {"note": f"Declined by {persona}"},
         state=excusal_state),
    Case("api:excusal-withdraw", api=True, kind="excusal", method="post",
         allowed=provider_writers, state=excusal_state),
    # The buyer's forecasts and the provider's cost notes: the other side never sees them.
    Case("api:forecast-list", api=True, shows="forecast"),
    Case("api:forecast-list", api=True, kind="forecast", action=Action.ADD, method="post",
         ok=201, data=forecast_body, state=forecast_state),
    Case("api:forecast-detail", api=True, kind="forecast"),
    Case("api:forecast-detail", api=True, kind="forecast", action=Action.DELETE,
         method="delete", ok=204, state=forecast_state),
    Case("api:cost-note-list", api=True, shows="cost_note"),
    Case("api:cost-note-list", api=True, kind="cost_note", action=Action.ADD, method="post",
         ok=201, data=cost_note_body, state=cost_note_state),
    Case("api:cost-note-detail", api=True, kind="cost_note"),
    Case("api:cost-note-detail", api=True, kind="cost_note", action=Action.CHANGE,
         method="patch", data=_title, state=cost_note_state),
    Case("api:cost-note-detail", api=True, kind="cost_note", action=Action.DELETE,
         method="delete", ok=204, state=cost_note_state),
]  # fmt: skip
