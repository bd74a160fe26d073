"""The excusal workflow through the API: request, restate, sign, decline, withdraw."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.testing.performance_factories import ServiceLevelFactory
from accord.parties.models import User
from accord.performance.models import Excusal, ScorecardRun, ServiceLevel
from tests.api.conftest import Estate, client_for, missed_month_csv, rows_of, upload, url

pytestmark = pytest.mark.django_db


def p1(estate: Estate) -> ServiceLevel:
    return ServiceLevel.objects.get(contract=estate.contract, code="P1")


def request_excusal(estate: Estate, by: User, month: str = "2026-03") -> Any:
    return client_for(by).post(
        url("excusal-list"),
        {
            "contract": estate.contract.pk,
            "service_level": p1(estate).pk,
            "month": month,
            "reason": "The buyer's change freeze delayed the fix.",
        },
        format="json",
    )


def sides(body: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(s["side"], s["signer"], s["version"]) for s in body["signatures"]]


def test_an_approved_excusal_takes_the_credit_away(estate: Estate) -> None:
    uploaded = upload(
        client_for(estate.provider_contributor),
        estate.tickets,
        missed_month_csv("2026-03"),
        "m.csv",
    )
    assert uploaded.json()["status"] == "succeeded"
    buyer = client_for(estate.buyer_manager)
    lines = rows_of(buyer.get(url("credit-line-list"), {"month": "2026-03"}))
    assert [(row["service_level_code"], row["charged"]) for row in lines] == [("P1", "5000.00")]

    requested = request_excusal(estate, estate.provider_manager)
    assert requested.status_code == 201, requested.json()
    body = requested.json()
    assert (body["status"], body["version"], body["service_level_code"]) == ("requested", 1, "P1")
    # A provider signatory's request is the provider's signature.
    assert sides(body) == [("provider", "api_provider_manager", 1)]

    signed = buyer.post(url("excusal-sign", body["id"]))
    assert signed.status_code == 200, signed.json()
    approved = signed.json()
    assert approved["status"] == "approved"
    assert approved["decided_by"] == "api_buyer_manager"
    assert sides(approved) == [
        ("buyer", "api_buyer_manager", 1),
        ("provider", "api_provider_manager", 1),
    ]
    # The scorecards were recomputed with the miss excused: no credit in force for March.
    newest = ScorecardRun.objects.filter(contract=estate.contract).order_by("-pk").first()
    assert newest is not None
    assert newest.excused == [["P1", "2026-03"]]
    assert rows_of(buyer.get(url("credit-line-list"), {"month": "2026-03"})) == []
    months = rows_of(buyer.get(url("credit-month-list"), {"month": "2026-03"}))
    assert [row["net"] for row in months] == ["0.00"]


def test_a_contributor_requests_and_both_signatories_sign(estate: Estate) -> None:
    requested = request_excusal(estate, estate.provider_contributor)
    assert requested.status_code == 201
    pk = requested.json()["id"]
    assert requested.json()["signatures"] == []
    # A contributor is no signatory.
    assert client_for(estate.provider_contributor).post(url("excusal-sign", pk)).status_code == 403
    first = client_for(estate.buyer_manager).post(url("excusal-sign", pk))
    assert first.json()["status"] == "requested"
    second = client_for(estate.provider_manager).post(url("excusal-sign", pk))
    assert second.json()["status"] == "approved"
    # Each side signs once.
    again = client_for(estate.provider_manager).post(url("excusal-sign", pk))
    assert again.status_code == 400


def test_only_the_provider_requests(estate: Estate) -> None:
    assert request_excusal(estate, estate.buyer_manager).status_code == 403
    assert request_excusal(estate, estate.buyer_viewer).status_code == 403
    assert not Excusal.objects.exists()


def test_one_open_excusal_per_level_and_month(estate: Estate) -> None:
    assert request_excusal(estate, estate.provider_manager).status_code == 201
    again = request_excusal(estate, estate.provider_contributor)
    assert again.status_code == 400
    assert "month" in again.json()["error"]["fields"]


def test_only_critical_levels_in_the_term(estate: Estate) -> None:
    key = ServiceLevelFactory(contract=estate.contract, code="K1", kind="key")
    response = client_for(estate.provider_manager).post(
        url("excusal-list"),
        {
            "contract": estate.contract.pk,
            "service_level": key.pk,
            "month": "2026-03",
            "reason": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "service_level" in response.json()["error"]["fields"]
    outside = request_excusal(estate, estate.provider_manager, month="2025-12")
    assert outside.status_code == 400
    assert "month" in outside.json()["error"]["fields"]


def test_restating_the_reason_starts_the_signatures_over(estate: Estate) -> None:
    pk = request_excusal(estate, estate.provider_contributor).json()["id"]
    client_for(estate.buyer_manager).post(url("excusal-sign", pk))
    response = client_for(estate.provider_contributor).patch(
        url("excusal-detail", pk),
        {"reason": "Data arrived six days late.", "month": "2026-09"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["version"], body["reason"], body["month"]) == (
        2,
        "Data arrived six days late.",
        "2026-03",
    )
    assert body["signatures"] == []  # the buyer's signature was for version 1
    assert (
        client_for(estate.buyer_manager)
        .patch(url("excusal-detail", pk), {"reason": "no"}, format="json")
        .status_code
        == 403
    )


def test_the_buyer_declines_with_a_note(estate: Estate) -> None:
    pk = request_excusal(estate, estate.provider_manager).json()["id"]
    assert (
        client_for(estate.provider_manager)
        .post(url("excusal-decline", pk), {"note": "no"}, format="json")
        .status_code
        == 403
    )
    empty = client_for(estate.buyer_manager).post(url("excusal-decline", pk), {}, format="json")
    assert empty.status_code == 400
    assert "note" in empty.json()["error"]["fields"]
    declined = client_for(estate.buyer_manager).post(
        url("excusal-decline", pk), {"note": "The data was on time."}, format="json"
    )
    assert declined.status_code == 200
    body = declined.json()
    assert (body["status"], body["decision_note"], body["decided_by"]) == (
        "declined", "The data was on time.", "api_buyer_manager",
    )  # fmt: skip
    # Declined is final.
    assert client_for(estate.buyer_manager).post(url("excusal-sign", pk)).status_code == 400


def test_the_provider_withdraws(estate: Estate) -> None:
    pk = request_excusal(estate, estate.provider_manager).json()["id"]
    assert client_for(estate.buyer_manager).post(url("excusal-withdraw", pk)).status_code == 403
    withdrawn = client_for(estate.provider_contributor).post(url("excusal-withdraw", pk))
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert Excusal.objects.get(pk=pk).status == "withdrawn"


def test_excusals_filter_and_stay_hidden_from_others(estate: Estate) -> None:
    pk = request_excusal(estate, estate.provider_manager).json()["id"]
    viewer = client_for(estate.buyer_viewer)
    assert [
        row["id"] for row in rows_of(viewer.get(url("excusal-list"), {"status": "requested"}))
    ] == [pk]
    assert rows_of(viewer.get(url("excusal-list"), {"status": "approved"})) == []
    outsider = client_for(estate.outsider)
    assert rows_of(outsider.get(url("excusal-list"))) == []
    assert outsider.get(url("excusal-detail", pk)).status_code == 404
    assert outsider.post(url("excusal-sign", pk)).status_code == 404
    assert outsider.post(url("excusal-withdraw", pk)).status_code == 404
    assert Excusal.objects.get(pk=pk).status == "requested"


def test_a_hidden_service_level_fails_like_a_missing_one(estate: Estate) -> None:
    client = client_for(estate.outsider)
    body = {"contract": estate.contract.pk, "month": "2026-03", "reason": "x"}
    hidden = client.post(
        url("excusal-list"), {**body, "service_level": p1(estate).pk}, format="json"
    )
    missing = client.post(url("excusal-list"), {**body, "service_level": 987654}, format="json")
    hidden_fields = hidden.json()["error"]["fields"]
    missing_fields = missing.json()["error"]["fields"]
    assert hidden_fields["service_level"] == [
        m.replace("987654", str(p1(estate).pk)) for m in missing_fields["service_level"]
    ]
