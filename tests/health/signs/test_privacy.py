"""The financial sign and the provider's finances never reach the provider."""

from __future__ import annotations

import datetime as dt
import decimal

from django.test import Client
from django.urls import reverse

from accord.core.models import AuditEntry
from accord.health import inputs
from accord.health.models import SignCode
from accord.health.signs import evaluate_signs
from tests.health.signs.conftest import OCT, Pair

D = decimal.Decimal


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _with_finances(pair: Pair) -> None:
    for period_end, margin in ((dt.date(2025, 12, 31), "9.10"), (dt.date(2026, 6, 30), "4.70")):
        inputs.financial_indicator_create(
            relationship=pair.relationship, actor=pair.buyer, period_end=period_end,
            operating_margin=D(margin), revenue=D("5000000"), note="Margin squeeze",
        )  # fmt: skip
    evaluate_signs(pair.relationship, [OCT])


def test_provider_pages_show_nothing_of_the_finances(pair: Pair) -> None:
    _with_finances(pair)
    rel = pair.relationship.pk
    provider, buyer = _client(pair.provider), _client(pair.buyer)
    name = SignCode.FINANCIAL_EROSION.label

    board = provider.get(reverse("sign_board", kwargs={"pk": rel})).content.decode()
    assert name not in board
    assert "4.4" not in board
    assert board.count('class="sign-card') == 7
    buyer_board = buyer.get(reverse("sign_board", kwargs={"pk": rel})).content.decode()
    assert buyer_board.count('class="sign-card') == 8
    assert name in buyer_board
    assert "4.4 points" in buyer_board  # 9.10 - 4.70

    for route, kwargs in (
        ("sign_detail", {"pk": rel, "sign": "financial_erosion"}),
        ("sign_threshold_edit", {"pk": rel, "sign": "financial_erosion"}),
        ("financial_indicator_list", {"pk": rel}),
        ("financial_indicator_add", {"pk": rel}),
    ):
        assert provider.get(reverse(route, kwargs=kwargs)).status_code == 404, route
        assert buyer.get(reverse(route, kwargs=kwargs)).status_code == 200, route

    csv_provider = provider.get(reverse("sign_reading_export", kwargs={"pk": rel}))
    text = b"".join(csv_provider.streaming_content).decode()
    assert "financial_erosion" not in text
    assert "attrition" in text
    csv_buyer = buyer.get(reverse("sign_reading_export", kwargs={"pk": rel}))
    assert "financial_erosion" in b"".join(csv_buyer.streaming_content).decode()


def test_provider_api_and_audit_show_nothing_of_the_finances(pair: Pair) -> None:
    _with_finances(pair)
    provider, buyer = _client(pair.provider), _client(pair.buyer)
    readings = provider.get(reverse("api:sign-reading-list"), {"sign": "financial_erosion"})
    assert readings.json()["results"] == []
    assert buyer.get(reverse("api:sign-reading-list"), {"sign": "financial_erosion"}).json()[
        "results"
    ]
    assert provider.get(reverse("api:financial-indicator-list")).json()["results"] == []
    csv = provider.get(reverse("api:sign-reading-list"), {"format": "csv"}).content.decode()
    assert "financial_erosion" not in csv
    assert "attrition" in csv
    entries = provider.get(reverse("api:auditentry-list"), {"page_size": 500}).json()["results"]
    assert not [e for e in entries if e["object_type"] == "health.financialindicator"]
    assert AuditEntry.objects.filter(object_type="health.financialindicator").count() == 2
    rows = buyer.get(reverse("api:auditentry-list"), {"page_size": 500}).json()["results"]
    assert len([e for e in rows if e["object_type"] == "health.financialindicator"]) == 2


def test_notes_api_tags_a_note_and_pages_show_the_badge(pair: Pair) -> None:
    client = _client(pair.provider)
    response = client.post(
        reverse("api:note-list"),
        data={"relationship": pair.relationship.pk, "title": "Weekend cover is outside it",
              "body": "", "visibility": "joint", "contractual_dispute": True},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["contractual_dispute"] is True
    note_id = response.json()["id"]
    page = client.get(reverse("note_detail", kwargs={"pk": note_id})).content.decode()
    assert "Cites the contract&#x27;s letter" in page or "Cites the contract's letter" in page
    patched = client.patch(
        reverse("api:note-detail", kwargs={"pk": note_id}),
        data={"contractual_dispute": False},
        content_type="application/json",
    )
    assert patched.json()["contractual_dispute"] is False
    other = _client(pair.buyer).get(reverse("api:note-list"), {"contractual_dispute": "false"})
    assert [row["id"] for row in other.json()["results"]] == [note_id]
