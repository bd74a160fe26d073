"""Fixtures for the contract, scope and schedule tests: one relationship and its people."""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from accord.contracts.models import Contract
from accord.core.choices import RoleName
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.core.testing.performance_factories import ContractFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "schedules"
MINISTRY_YAML = (EXAMPLES / "ministry-payroll.yaml").read_text(encoding="utf-8")


@dataclass
class Team:
    """A relationship with a manager and a viewer on the buyer side and a provider manager."""

    relationship: Any
    buyer_manager: Any
    buyer_viewer: Any
    provider_manager: Any
    outsider: Any


@pytest.fixture
def team(db: None) -> Team:
    buyer = OrganisationFactory(name="Ministry of Workplace Services", kind="buyer")
    provider = OrganisationFactory(name="Northwind Sourcing", kind="provider")
    relationship = RelationshipFactory(buyer=buyer, provider=provider, name="Payroll and HR")
    people = {}
    for name, org, role in (
        ("buyer_manager", buyer, RoleName.MANAGER),
        ("buyer_viewer", buyer, RoleName.VIEWER),
        ("provider_manager", provider, RoleName.MANAGER),
    ):
        people[name] = UserFactory(username=name, organisation=org)
        RoleFactory(relationship=relationship, person=people[name], role=role)
    outsider = UserFactory(username="outsider", organisation=OrganisationFactory(name="Other"))
    return Team(relationship=relationship, outsider=outsider, **people)


def ministry_terms() -> dict[str, Any]:
    """The commercial terms the ministry example's credits section states."""
    return {
        "reference": "MWS-2026-014",
        "title": "Payroll and HR services",
        "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2030, 12, 31),
        "currency": "CAD",
        "timezone": "America/Vancouver",
        "monthly_fee": None,
        "fee_schedule": {"2026-01": "1250000", "2026-04": "1287500"},
        "at_risk_percent": decimal.Decimal("12"),
        "pool_percent": decimal.Decimal("250"),
    }


@pytest.fixture
def ministry_contract(team: Team) -> Contract:
    """A contract whose terms match the ministry example's credits section."""
    contract: Contract = ContractFactory(relationship=team.relationship, **ministry_terms())
    return contract
