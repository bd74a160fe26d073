"""A real contract with a schedule and imported tickets whose February misses its minimum.

Built through the services (contract, schedule version, CSV import), so the
scorecards and credits come from the engine, not from factories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accord.contracts.models import Contract
from accord.contracts.services import contract_create
from accord.core.choices import RoleName
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.core.testing.performance_factories import SMALL_SCHEDULE
from accord.performance.imports import data_import_create
from accord.performance.models import DataSource, ImportStatus, ServiceLevel
from accord.performance.services import schedule_version_create

# A second, key measurement: it carries no credit, so it cannot be excused.
SCHEDULE = (
    SMALL_SCHEDULE.split("credits:")[0]
    + """\
  - code: P2
    name: Priority 2 resolved within a day
    kind: key
    source: tickets
    filter: priority = 2
    measure:
      type: within
      start: opened_at
      end: resolved_at
      limit: 24h
    expected: 90
credits:
"""
    + SMALL_SCHEDULE.split("credits:\n")[1]
)

PEOPLE = {
    "b_exec": ("buyer", RoleName.EXECUTIVE),
    "b_manager": ("buyer", RoleName.MANAGER),
    "b_contributor": ("buyer", RoleName.CONTRIBUTOR),
    "b_viewer": ("buyer", RoleName.VIEWER),
    "p_manager": ("provider", RoleName.MANAGER),
    "p_contributor": ("provider", RoleName.CONTRIBUTOR),
    "p_viewer": ("provider", RoleName.VIEWER),
}


def tickets_csv() -> bytes:
    """Ten priority-1 tickets a month, January to March 2026; February resolves half late.

    January and March: all ten within an hour (met). February: five take ten
    hours, so 50 % are within four hours, below the 90 % minimum.
    """
    rows = ["ticket_id,priority,opened_at,resolved_at"]
    for month in (1, 2, 3):
        for n in range(10):
            hours = 10 if month == 2 and n < 5 else 1
            day = n + 2
            rows.append(
                f"T{month}-{n},1,2026-{month:02d}-{day:02d}T10:00:00Z,"
                f"2026-{month:02d}-{day:02d}T{10 + hours:02d}:00:00Z"
            )
        rows.append(f"K{month},2,2026-{month:02d}-20T10:00:00Z,2026-{month:02d}-20T11:00:00Z")
    return ("\n".join(rows) + "\n").encode()


@dataclass
class Scenario:
    relationship: Any
    contract: Contract
    people: dict[str, Any] = field(default_factory=dict)

    def level(self, code: str) -> ServiceLevel:
        return ServiceLevel.objects.get(contract=self.contract, code=code)


def build_scenario(*, with_data: bool = True) -> Scenario:
    """The relationship, its people, the contract, the schedule and January-March data."""
    buyer = OrganisationFactory(name="Ministry of Payroll", kind="buyer")
    provider = OrganisationFactory(name="Payroll Services Inc", kind="provider")
    relationship = RelationshipFactory(buyer=buyer, provider=provider, name="Payroll outsourcing")
    people = {}
    for name, (side, role) in PEOPLE.items():
        person = UserFactory(username=name, organisation=buyer if side == "buyer" else provider)
        RoleFactory(relationship=relationship, person=person, role=role)
        people[name] = person
    manager = people["b_manager"]
    contract = contract_create(
        relationship=relationship,
        actor=manager,
        reference="PAY-2026",
        title="Payroll services",
        start_date="2026-01-01",
        end_date="2027-12-31",
        currency="CAD",
        timezone="America/Vancouver",
        monthly_fee="100000.00",
        at_risk_percent="10",
        pool_percent="200",
    )
    schedule_version_create(contract=contract, document=SCHEDULE, actor=manager)
    if not with_data:
        return Scenario(relationship=relationship, contract=contract, people=people)
    source = DataSource.objects.get(contract=contract, name="tickets")
    record, _new = data_import_create(
        source=source, chunks=[tickets_csv()], original_name="tickets.csv", actor=manager
    )
    record.refresh_from_db()
    assert record.status == ImportStatus.SUCCEEDED, (record.message, record.errors)
    return Scenario(relationship=relationship, contract=contract, people=people)
