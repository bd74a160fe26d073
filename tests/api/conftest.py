"""A relationship with a contract and schedule made through the services, and its people.

The schedule is the small one of the performance factories: one ``tickets``
source and one critical level, P1 (priority 1 resolved within 4 hours,
expected 95 %, minimum 90 %), with credits.
"""

from __future__ import annotations

import datetime
import decimal
import io
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

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
from accord.engine.generate import tickets_month
from accord.engine.periods import parse_month
from accord.parties.models import Relationship, User
from accord.performance.models import DataSource, ScheduleVersion
from accord.performance.services import schedule_version_create

TICKET_COLUMNS = ["ticket_id", "priority", "opened_at", "resolved_at"]


@dataclass
class Estate:
    """One relationship, its contract and schedule, and people in the roles the rules tell apart."""

    relationship: Relationship
    contract: Contract
    schedule: ScheduleVersion
    tickets: DataSource
    buyer_manager: User
    buyer_viewer: User
    provider_manager: User
    provider_contributor: User
    outsider: User  # a manager on another relationship: sees nothing of this one


def make_estate() -> Estate:
    buyer = OrganisationFactory(name="Ministry of Workplace Services", kind="buyer")
    provider = OrganisationFactory(name="Northwind Sourcing", kind="provider")
    relationship = RelationshipFactory(name="Payroll and HR", buyer=buyer, provider=provider)
    people: dict[str, User] = {}
    for name, organisation, role in (
        ("buyer_manager", buyer, RoleName.MANAGER),
        ("buyer_viewer", buyer, RoleName.VIEWER),
        ("provider_manager", provider, RoleName.MANAGER),
        ("provider_contributor", provider, RoleName.CONTRIBUTOR),
    ):
        people[name] = UserFactory(username=f"api_{name}", organisation=organisation)
        RoleFactory(relationship=relationship, person=people[name], role=role)
    elsewhere = RelationshipFactory(name="Elsewhere", provider=provider)
    outsider = UserFactory(username="api_outsider", organisation=elsewhere.buyer)
    RoleFactory(relationship=elsewhere, person=outsider, role=RoleName.MANAGER)
    contract = contract_create(
        relationship=relationship,
        actor=people["buyer_manager"],
        reference="MWS-2026-014",
        title="Payroll and HR services",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2030, 12, 31),
        currency="CAD",
        timezone="America/Vancouver",
        monthly_fee=decimal.Decimal("100000.00"),
        at_risk_percent=decimal.Decimal("10"),
        pool_percent=decimal.Decimal("200"),
    )
    schedule = schedule_version_create(
        contract=contract, document=SMALL_SCHEDULE, actor=people["buyer_manager"]
    )
    tickets = DataSource.objects.get(contract=contract, name="tickets")
    return Estate(relationship, contract, schedule, tickets, outsider=outsider, **people)


@pytest.fixture
def estate(db: None) -> Estate:
    return make_estate()


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(name: str, pk: Any = None) -> str:
    return reverse(f"api:{name}", kwargs=None if pk is None else {"pk": pk})


def rows_of(response: Any) -> list[dict[str, Any]]:
    payload = response.json()
    return payload["results"] if isinstance(payload, dict) and "results" in payload else payload


def tickets_csv(month: str = "2026-01", rows: int = 300, seed: int = 7) -> bytes:
    """A real month of service desk tickets from the engine's generator, as CSV."""
    table: pa.Table = tickets_month(parse_month(month), rows, seed).select(TICKET_COLUMNS)
    buffer = io.BytesIO()
    pa_csv.write_csv(table, buffer)
    return buffer.getvalue()


def upload(client: APIClient, source: DataSource | int, content: bytes, name: str) -> Any:
    pk = source if isinstance(source, int) else source.pk
    return client.post(
        url("data-import-list"),
        {"source": pk, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
        format="multipart",
    )


def missed_month_csv(month: str = "2026-03", late: int = 5, on_time: int = 5) -> bytes:
    """Priority 1 tickets of one month, ``late`` of them resolved after 10 hours (a miss)."""
    lines = ["ticket_id,priority,opened_at,resolved_at"]
    for n in range(late + on_time):
        day = 2 + n
        hours = 10 if n < late else 1
        lines.append(
            f"M{month}-{n},1,{month}-{day:02d}T09:00:00Z,{month}-{day:02d}T{9 + hours:02d}:00:00Z"
        )
    return ("\n".join(lines) + "\n").encode()
