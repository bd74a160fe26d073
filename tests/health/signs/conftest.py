"""A relationship with a buyer manager and a provider manager, for the sign tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from accord.core.choices import RoleName
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.health.models import SignReading


@dataclass
class Pair:
    relationship: Any
    buyer: Any
    provider: Any


@pytest.fixture
def pair(db: None) -> Pair:
    buyer_org = OrganisationFactory(kind="buyer")
    provider_org = OrganisationFactory(kind="provider")
    relationship = RelationshipFactory(
        buyer=buyer_org, provider=provider_org, start_date=dt.date(2025, 1, 1)
    )
    buyer = UserFactory(organisation=buyer_org)
    provider = UserFactory(organisation=provider_org)
    RoleFactory(relationship=relationship, person=buyer, role=RoleName.MANAGER)
    RoleFactory(relationship=relationship, person=provider, role=RoleName.MANAGER)
    return Pair(relationship, buyer, provider)


OCT = dt.date(2026, 10, 1)


def reading(relationship: Any, sign: str, month: dt.date = OCT) -> SignReading:
    return SignReading.objects.get(relationship=relationship, sign=sign, month=month)
