"""A relationship with a contract, a schedule, a scope register and people in every role.

Built through the services (contract, schedule version, scope items), so that
what an approved change request applies goes through the same checks as in use.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.contracts.models import Contract, ScopeItem, ScopeStatus
from accord.contracts.services import contract_create, scope_item_create
from accord.core.choices import RoleName
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.core.testing.performance_factories import SMALL_SCHEDULE
from accord.parties.models import Relationship
from accord.performance.services import schedule_version_create

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "schedules"
MINISTRY_YAML = (EXAMPLES / "ministry-payroll.yaml").read_text(encoding="utf-8")

PEOPLE = {
    "b_exec": ("buyer", RoleName.EXECUTIVE),
    "b_manager": ("buyer", RoleName.MANAGER),
    "b_contributor": ("buyer", RoleName.CONTRIBUTOR),
    "b_viewer": ("buyer", RoleName.VIEWER),
    "p_exec": ("provider", RoleName.EXECUTIVE),
    "p_manager": ("provider", RoleName.MANAGER),
    "p_contributor": ("provider", RoleName.CONTRIBUTOR),
    "p_viewer": ("provider", RoleName.VIEWER),
}

MONTHLY_TERMS: dict[str, Any] = {
    "reference": "PAY-2026",
    "title": "Payroll services",
    "start_date": datetime.date(2026, 1, 1),
    "end_date": datetime.date(2028, 12, 31),
    "currency": "CAD",
    "timezone": "America/Vancouver",
    "monthly_fee": decimal.Decimal("100000.00"),
    "at_risk_percent": decimal.Decimal("10"),
    "pool_percent": decimal.Decimal("200"),
}
# The terms the ministry example schedule's credits section states (it must agree).
MINISTRY_TERMS: dict[str, Any] = {
    **MONTHLY_TERMS,
    "end_date": datetime.date(2030, 12, 31),
    "monthly_fee": None,
    "fee_schedule": {"2026-01": "1250000", "2026-04": "1287500"},
    "at_risk_percent": decimal.Decimal("12"),
    "pool_percent": decimal.Decimal("250"),
}


@dataclass
class Scenario:
    relationship: Relationship
    contract: Contract
    people: dict[str, Any] = field(default_factory=dict)
    items: dict[str, ScopeItem] = field(default_factory=dict)
    outsider: Any = None  # a manager of another relationship of the same provider

    def __getitem__(self, name: str) -> Any:
        return self.people[name]


def build_scenario(terms: dict[str, Any] | None = None) -> Scenario:
    buyer = OrganisationFactory(name="Ministry of Payroll", kind="buyer")
    provider = OrganisationFactory(name="Payroll Services Inc", kind="provider")
    relationship = RelationshipFactory(buyer=buyer, provider=provider, name="Payroll outsourcing")
    people = {}
    for name, (side, role) in PEOPLE.items():
        person = UserFactory(username=name, organisation=buyer if side == "buyer" else provider)
        RoleFactory(relationship=relationship, person=person, role=role)
        people[name] = person
    elsewhere = RelationshipFactory(name="Elsewhere", provider=provider)
    outsider = UserFactory(username="outsider", organisation=elsewhere.buyer)
    RoleFactory(relationship=elsewhere, person=outsider, role=RoleName.MANAGER)
    manager = people["b_manager"]
    contract = contract_create(relationship=relationship, actor=manager, **(terms or MONTHLY_TERMS))
    schedule_version_create(contract=contract, document=SMALL_SCHEDULE, actor=manager)
    items = {
        "payroll": scope_item_create(
            relationship=relationship, actor=manager, status=ScopeStatus.IN_SCOPE,
            title="Payroll processing", description="Biweekly pay runs.", clause="Sch. A 2.1",
        ),
        "retro": scope_item_create(
            relationship=relationship, actor=manager, status=ScopeStatus.TO_BE_DETERMINED,
            title="Retroactive pay", description="Priced project or off-cycle run?",
            clause="Sch. A 2.1(d)",
        ),
        "unions": scope_item_create(
            relationship=relationship, actor=manager, status=ScopeStatus.OUT_OF_SCOPE,
            title="Interpreting collective agreements", clause="Sch. A 3.2",
        ),
    }  # fmt: skip
    return Scenario(relationship, contract, people, items, outsider)
