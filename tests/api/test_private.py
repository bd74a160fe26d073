"""The buyer's credit forecasts and the provider's cost notes: the other side never sees them."""

from __future__ import annotations

import decimal
from typing import Any

import pytest

from accord.performance.models import CostOfQualityNote, CreditForecast, ServiceLevel
from tests.api.conftest import Estate, client_for, missed_month_csv, rows_of, upload, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(estate: Estate) -> Estate:
    """The estate with a month of data, so that there is a scorecard to forecast from."""
    response = upload(
        client_for(estate.provider_contributor),
        estate.tickets,
        missed_month_csv("2026-03"),
        "m.csv",
    )
    assert response.json()["status"] == "succeeded"
    return estate


def make_forecast(estate: Estate, by: Any) -> Any:
    return client_for(by).post(
        url("forecast-list"),
        {"contract": estate.contract.pk, "year": 2026, "note": "For the budget review"},
        format="json",
    )


def test_the_buyer_forecasts_the_year(scored: Estate) -> None:
    response = make_forecast(scored, scored.buyer_manager)
    assert response.status_code == 201, response.json()
    body = response.json()
    forecast = CreditForecast.objects.get(pk=body["id"])
    assert forecast.visibility == body["visibility"] == "buyer"
    assert body["based_on"] is not None
    assert body["method"]
    assert body["note"] == "For the budget review"
    march = [line for line in body["lines"] if line["month"] == "2026-03"]
    assert [(line["kind"], line["amount"]) for line in march] == [("actual", "5000.00")]
    assert decimal.Decimal(body["total"]) == sum(
        decimal.Decimal(line["amount"]) for line in body["lines"]
    )


def test_the_provider_never_sees_a_forecast(scored: Estate) -> None:
    pk = make_forecast(scored, scored.buyer_manager).json()["id"]
    provider = client_for(scored.provider_manager)
    assert rows_of(provider.get(url("forecast-list"))) == []
    assert provider.get(url("forecast-detail", pk)).status_code == 404
    assert provider.delete(url("forecast-detail", pk)).status_code == 404
    assert CreditForecast.objects.filter(pk=pk).exists()


def test_the_provider_cannot_make_one(scored: Estate) -> None:
    provider = client_for(scored.provider_manager)
    body = {"year": 2026}
    mine = provider.post(url("forecast-list"), {**body, "contract": scored.contract.pk})
    missing = provider.post(url("forecast-list"), {**body, "contract": 987654})
    assert mine.status_code == missing.status_code == 400
    assert mine.json()["error"]["fields"]["contract"] == [
        m.replace("987654", str(scored.contract.pk))
        for m in missing.json()["error"]["fields"]["contract"]
    ]
    assert not CreditForecast.objects.exists()


def test_a_buyer_viewer_reads_but_does_not_forecast(scored: Estate) -> None:
    pk = make_forecast(scored, scored.buyer_manager).json()["id"]
    viewer = client_for(scored.buyer_viewer)
    assert [row["id"] for row in rows_of(viewer.get(url("forecast-list")))] == [pk]
    assert make_forecast(scored, scored.buyer_viewer).status_code == 403
    assert viewer.delete(url("forecast-detail", pk)).status_code == 403


def test_delete_a_forecast(scored: Estate) -> None:
    pk = make_forecast(scored, scored.buyer_manager).json()["id"]
    assert client_for(scored.buyer_manager).delete(url("forecast-detail", pk)).status_code == 204
    assert not CreditForecast.objects.filter(pk=pk).exists()


def test_no_forecast_without_a_scorecard(estate: Estate) -> None:
    response = make_forecast(estate, estate.buyer_manager)
    assert response.status_code == 400
    assert "no scorecard" in str(response.json()["error"]["fields"])


def cost_note(estate: Estate, by: Any, **extra: Any) -> Any:
    level = ServiceLevel.objects.get(contract=estate.contract, code="P1")
    return client_for(by).post(
        url("cost-note-list"),
        {
            "contract": estate.contract.pk,
            "service_level": level.pk,
            "month": "2026-03",
            "title": "Weekend overtime",
            "amount": "18400.00",
            "body": "Two teams on call to clear the P1 backlog.",
            **extra,
        },
        format="json",
    )


def test_the_provider_keeps_cost_notes(estate: Estate) -> None:
    created = cost_note(estate, estate.provider_contributor)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    note = CostOfQualityNote.objects.get(pk=pk)
    assert (note.visibility, note.amount, note.service_level.code) == (
        "provider", decimal.Decimal("18400.00"), "P1",
    )  # fmt: skip
    patched = client_for(estate.provider_manager).patch(
        url("cost-note-detail", pk), {"amount": "19000.50", "service_level": None}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    note.refresh_from_db()
    assert (note.amount, note.service_level) == (decimal.Decimal("19000.50"), None)
    assert (
        client_for(estate.provider_contributor).delete(url("cost-note-detail", pk)).status_code
        == 403
    )
    assert (
        client_for(estate.provider_manager).delete(url("cost-note-detail", pk)).status_code == 204
    )
    assert not CostOfQualityNote.objects.filter(pk=pk).exists()


def test_the_buyer_never_sees_cost_notes(estate: Estate) -> None:
    pk = cost_note(estate, estate.provider_manager).json()["id"]
    buyer = client_for(estate.buyer_manager)
    assert rows_of(buyer.get(url("cost-note-list"))) == []
    assert buyer.get(url("cost-note-detail", pk)).status_code == 404
    assert (
        buyer.patch(url("cost-note-detail", pk), {"title": "x"}, format="json").status_code == 404
    )
    assert buyer.delete(url("cost-note-detail", pk)).status_code == 404
    refused = cost_note(estate, estate.buyer_manager)
    assert refused.status_code == 400
    assert "contract" in refused.json()["error"]["fields"]
    assert CostOfQualityNote.objects.count() == 1


def test_a_cost_note_month_is_checked(estate: Estate) -> None:
    response = cost_note(estate, estate.provider_manager, month="March")
    assert response.status_code == 400
    assert "month" in response.json()["error"]["fields"]
