"""Contracts and the scope register through the API."""

from __future__ import annotations

from typing import Any

import pytest

from accord.contracts.models import Contract, ScopeItem
from accord.core.choices import RoleName
from accord.core.models import AuditEntry
from accord.core.testing.factories import RelationshipFactory, RoleFactory
from accord.core.testing.performance_factories import ScopeItemFactory
from tests.api.conftest import Estate, client_for, rows_of, url

pytestmark = pytest.mark.django_db

TERMS: dict[str, Any] = {
    "reference": "CU-2026-002",
    "title": "Member contact centre",
    "start_date": "2026-04-01",
    "end_date": "2029-03-31",
    "currency": "CAD",
    "timezone": "America/Vancouver",
    "monthly_fee": "420000.00",
    "at_risk_percent": "12",
    "pool_percent": "250",
}


def fresh_relationship(estate: Estate) -> Any:
    """Another relationship between the same parties, without a contract yet."""
    relationship = RelationshipFactory(
        name="Contact centre",
        buyer=estate.relationship.buyer,
        provider=estate.relationship.provider,
    )
    RoleFactory(relationship=relationship, person=estate.buyer_manager, role=RoleName.MANAGER)
    RoleFactory(relationship=relationship, person=estate.buyer_viewer, role=RoleName.VIEWER)
    return relationship


def test_create_a_contract_naming_its_relationship(estate: Estate) -> None:
    relationship = fresh_relationship(estate)
    response = client_for(estate.buyer_manager).post(
        url("contract-list"), {"relationship": relationship.pk, **TERMS}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    contract = Contract.objects.get(pk=body["id"])
    assert contract.relationship_id == relationship.pk
    assert str(contract.monthly_fee) == "420000.00"
    assert body["visibility"] == "joint"
    assert body["at_risk_percent"] == "12.000"
    assert AuditEntry.objects.filter(
        object_type="contracts.contract", object_id=str(contract.pk), action="create"
    ).exists()


def test_a_second_contract_for_a_relationship_is_refused(estate: Estate) -> None:
    response = client_for(estate.buyer_manager).post(
        url("contract-list"), {"relationship": estate.relationship.pk, **TERMS}, format="json"
    )
    assert response.status_code == 400
    assert "already has a contract" in str(response.json()["error"]["fields"])
    assert Contract.objects.filter(relationship=estate.relationship).count() == 1


def test_a_viewer_may_not_record_a_contract(estate: Estate) -> None:
    relationship = fresh_relationship(estate)
    response = client_for(estate.buyer_viewer).post(
        url("contract-list"), {"relationship": relationship.pk, **TERMS}, format="json"
    )
    assert response.status_code == 403
    assert not Contract.objects.filter(relationship=relationship).exists()


def test_a_hidden_relationship_fails_like_a_missing_one(estate: Estate) -> None:
    relationship = fresh_relationship(estate)
    client = client_for(estate.outsider)
    hidden = client.post(url("contract-list"), {"relationship": relationship.pk, **TERMS})
    missing = client.post(url("contract-list"), {"relationship": 987654, **TERMS})
    assert hidden.status_code == missing.status_code == 400
    hidden_msg = hidden.json()["error"]["fields"]["relationship"]
    missing_msg = missing.json()["error"]["fields"]["relationship"]
    assert hidden_msg == [m.replace("987654", str(relationship.pk)) for m in missing_msg]


def test_change_terms_and_the_relationship_stays(estate: Estate) -> None:
    other = fresh_relationship(estate)
    response = client_for(estate.provider_manager).patch(
        url("contract-detail", estate.contract.pk),
        {"title": "Payroll, HR and pensions", "relationship": other.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    estate.contract.refresh_from_db()
    assert estate.contract.title == "Payroll, HR and pensions"
    assert estate.contract.relationship_id == estate.relationship.pk


def test_fee_and_fee_schedule_together_are_refused(estate: Estate) -> None:
    response = client_for(estate.buyer_manager).patch(
        url("contract-detail", estate.contract.pk),
        {"fee_schedule": {"2026-01": "90000.00"}},
        format="json",
    )
    assert response.status_code == 400
    assert "fee_schedule" in response.json()["error"]["fields"]


def test_switch_to_a_fee_schedule(estate: Estate) -> None:
    response = client_for(estate.buyer_manager).patch(
        url("contract-detail", estate.contract.pk),
        {"monthly_fee": None, "fee_schedule": {"2026-01": "90000", "2027-01": "95000.50"}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    estate.contract.refresh_from_db()
    # Amounts are kept as exact strings, to the cent.
    assert estate.contract.fee_schedule == {"2026-01": "90000.00", "2027-01": "95000.50"}
    assert estate.contract.monthly_fee is None


def test_contracts_are_listed_only_where_you_hold_a_role(estate: Estate) -> None:
    mine = rows_of(client_for(estate.buyer_viewer).get(url("contract-list")))
    assert [row["id"] for row in mine] == [estate.contract.pk]
    assert rows_of(client_for(estate.outsider).get(url("contract-list"))) == []
    assert (
        client_for(estate.outsider).get(url("contract-detail", estate.contract.pk)).status_code
        == 404
    )


def test_contracts_cannot_be_deleted(estate: Estate) -> None:
    response = client_for(estate.buyer_manager).delete(url("contract-detail", estate.contract.pk))
    assert response.status_code == 405
    assert Contract.objects.filter(pk=estate.contract.pk).exists()


def test_scope_register_round_trip(estate: Estate) -> None:
    client = client_for(estate.provider_contributor)
    created = client.post(
        url("scope-item-list"),
        {
            "relationship": estate.relationship.pk,
            "status": "tbd",
            "title": "Pension administration",
            "description": "Raised at the March QBR.",
            "clause": "Sch. A 4.2",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    patched = client.patch(url("scope-item-detail", pk), {"status": "out_of_scope"}, format="json")
    assert patched.status_code == 200
    assert ScopeItem.objects.get(pk=pk).status == "out_of_scope"
    # A contributor adds and changes, but removing is for managers and executives.
    assert client.delete(url("scope-item-detail", pk)).status_code == 403
    deleted = client_for(estate.buyer_manager).delete(url("scope-item-detail", pk))
    assert deleted.status_code == 204
    assert not ScopeItem.objects.filter(pk=pk).exists()


def test_scope_items_filter_by_relationship_and_status(estate: Estate) -> None:
    in_scope = ScopeItemFactory(relationship=estate.relationship, status="in_scope")
    out = ScopeItemFactory(relationship=estate.relationship, status="out_of_scope")
    ScopeItemFactory(status="out_of_scope")  # another relationship: never listed
    client = client_for(estate.buyer_viewer)
    listed = rows_of(client.get(url("scope-item-list"), {"relationship": estate.relationship.pk}))
    assert {row["id"] for row in listed} == {in_scope.pk, out.pk}
    listed = rows_of(client.get(url("scope-item-list"), {"status": "out_of_scope"}))
    assert [row["id"] for row in listed] == [out.pk]


def test_scope_items_of_others_answer_404(estate: Estate) -> None:
    item = ScopeItemFactory(relationship=estate.relationship)
    client = client_for(estate.outsider)
    assert client.get(url("scope-item-detail", item.pk)).status_code == 404
    assert client.patch(url("scope-item-detail", item.pk), {"title": "x"}).status_code == 404
    assert client.delete(url("scope-item-detail", item.pk)).status_code == 404
    assert ScopeItem.objects.get(pk=item.pk).title == item.title
