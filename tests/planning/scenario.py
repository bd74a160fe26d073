"""A relationship with people of every role on both sides, a contract with a level,
and a 2026 plan started through the services (no objectives yet)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from accord.core.choices import RoleName
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.core.testing.performance_factories import ContractFactory, ServiceLevelFactory
from accord.planning import services
from accord.planning.models import Objective, PlanningCycle

PEOPLE = {
    "b_exec": ("buyer", RoleName.EXECUTIVE),
    "b_manager": ("buyer", RoleName.MANAGER),
    "b_contributor": ("buyer", RoleName.CONTRIBUTOR),
    "b_viewer": ("buyer", RoleName.VIEWER),
    "p_exec": ("provider", RoleName.EXECUTIVE),
    "p_manager": ("provider", RoleName.MANAGER),
}


@dataclass
class Scenario:
    relationship: Any
    contract: Any
    level: Any
    plan: PlanningCycle
    people: dict[str, Any] = field(default_factory=dict)
    outsider: Any = None

    def __getitem__(self, name: str) -> Any:
        return self.people[name]

    def objective(self, statement: str = "Cut repeat calls by a third", **values: Any) -> Objective:
        """Add an objective through the service, as the buyer's manager."""
        defaults: dict[str, Any] = {
            "statement": statement,
            "success_measure": "Repeat calls down from 300 to 200 a month.",
            "focus": "customer",
            "buyer_owner": self["b_manager"],
            "provider_owner": self["p_manager"],
            "target_date": dt.date(2026, 12, 31),
        }
        defaults.update(values)
        return services.objective_add(cycle=self.plan, actor=self["b_manager"], **defaults)

    def refresh(self) -> PlanningCycle:
        self.plan.refresh_from_db()
        return self.plan


def build_scenario() -> Scenario:
    buyer = OrganisationFactory(name="Coastal Buyer", kind="buyer")
    provider = OrganisationFactory(name="Harbour Provider", kind="provider")
    relationship = RelationshipFactory(buyer=buyer, provider=provider, name="Contact centre")
    people = {}
    for name, (side, role) in PEOPLE.items():
        person = UserFactory(
            username=name,
            first_name=name.split("_")[1].capitalize(),
            last_name=side.capitalize(),
            organisation=buyer if side == "buyer" else provider,
        )
        RoleFactory(relationship=relationship, person=person, role=role)
        people[name] = person
    # Someone of another organisation with a role elsewhere.
    other = RelationshipFactory(buyer=OrganisationFactory(name="Other Buyer"), provider=provider)
    outsider = UserFactory(username="outsider", organisation=other.buyer)
    RoleFactory(relationship=other, person=outsider, role=RoleName.EXECUTIVE)
    contract = ContractFactory(relationship=relationship)
    level = ServiceLevelFactory(contract=contract, code="CSAT", name="Member satisfaction")
    plan = services.plan_create(
        relationship=relationship,
        year=2026,
        title="Joint plan 2026",
        buyer_drivers="Member growth",
        provider_drivers="Margin",
        actor=people["b_manager"],
    )
    return Scenario(relationship, contract, level, plan, people, outsider)
