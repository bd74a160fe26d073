"""Uploading operational data through the API: status, idempotence, errors, permissions."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from accord.performance.models import DataImport, PeriodResult, ScorecardRun
from tests.api.conftest import Estate, client_for, rows_of, tickets_csv, upload, url

pytestmark = pytest.mark.django_db


def test_upload_a_month_of_tickets_and_the_scorecard_follows(estate: Estate) -> None:
    content = tickets_csv("2026-01", rows=300)
    response = upload(client_for(estate.provider_contributor), estate.tickets, content, "jan.csv")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "succeeded"
    assert body["rows"] == 300
    assert body["percent_done"] == 100
    assert body["error_count"] == 0
    assert body["errors"] == []
    assert body["original_name"] == "jan.csv"
    assert body["contract"] == estate.contract.pk
    assert body["first_instant"].startswith("2026-01")
    record = DataImport.objects.get(pk=body["id"])
    assert (Path(settings.DATA_DIR) / record.stored_path).is_file()
    # The import recomputed the scorecards: a run that used it, with results.
    run = ScorecardRun.objects.get(contract=estate.contract)
    assert run.status == "succeeded"
    assert list(run.imports.values_list("pk", flat=True)) == [record.pk]
    runs = rows_of(client_for(estate.buyer_viewer).get(url("scorecard-run-list")))
    assert [(row["id"], row["imports"]) for row in runs] == [(run.pk, [record.pk])]
    results = rows_of(client_for(estate.buyer_viewer).get(url("result-list")))
    assert results
    assert {row["run"] for row in results} == {run.pk}
    assert {row["period"] for row in results} == {"2026-01"}


def test_the_same_file_twice_is_one_import(estate: Estate) -> None:
    client = client_for(estate.buyer_manager)
    content = tickets_csv("2026-02", rows=120)
    first = upload(client, estate.tickets, content, "feb.csv")
    again = upload(client_for(estate.provider_manager), estate.tickets, content, "feb-copy.csv")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["original_name"] == "feb.csv"
    assert DataImport.objects.filter(source=estate.tickets).count() == 1
    assert ScorecardRun.objects.filter(contract=estate.contract).count() == 1


def test_a_bad_file_fails_with_its_rows_and_columns(estate: Estate) -> None:
    content = (
        b"ticket_id,priority,opened_at,resolved_at\n"
        b"T1,1,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z\n"
        b"T2,urgent,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z\n"
        b"T3,2,yesterday,2026-01-05T10:00:00Z\n"
        b"T4,high,2026-01-06T09:00:00Z,2026-01-06T10:00:00Z\n"
    )
    response = upload(client_for(estate.buyer_manager), estate.tickets, content, "bad.csv")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "failed"
    assert body["error_count"] == 3
    assert body["errors_by_column"] == {"priority": 2, "opened_at": 1}
    places = [(error["row"], error["column"], error["value"]) for error in body["errors"]]
    assert places == [
        (3, "priority", "urgent"),
        (4, "opened_at", "yesterday"),
        (5, "priority", "high"),
    ]
    assert all(error["message"] for error in body["errors"])
    # Nothing stored, no scorecard; the detail shows the same errors.
    record = DataImport.objects.get(pk=body["id"])
    assert record.stored_path == ""
    assert not ScorecardRun.objects.filter(contract=estate.contract).exists()
    detail = client_for(estate.provider_contributor).get(url("data-import-detail", record.pk))
    assert detail.json()["errors"] == body["errors"]
    failed = rows_of(
        client_for(estate.buyer_viewer).get(url("data-import-list"), {"status": "failed"})
    )
    assert [row["id"] for row in failed] == [record.pk]
    assert (
        rows_of(
            client_for(estate.buyer_viewer).get(url("data-import-list"), {"status": "succeeded"})
        )
        == []
    )


def test_a_failed_file_may_be_uploaded_again(estate: Estate) -> None:
    content = b"ticket_id,priority,opened_at,resolved_at\nT1,x,2026-01-05T09:00:00Z,\n"
    client = client_for(estate.buyer_manager)
    first = upload(client, estate.tickets, content, "bad.csv")
    again = upload(client, estate.tickets, content, "bad.csv")
    assert first.json()["status"] == again.json()["status"] == "failed"
    assert again.status_code == 201
    assert again.json()["id"] != first.json()["id"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("buyer_manager", 201),
        ("provider_manager", 201),
        ("provider_contributor", 201),
        ("buyer_viewer", 403),
        ("outsider", 400),  # the source is hidden: it fails like one that does not exist
    ],
)
def test_who_may_upload(estate: Estate, who: str, status: int) -> None:
    response = upload(
        client_for(getattr(estate, who)), estate.tickets, tickets_csv(rows=50), "t.csv"
    )
    assert response.status_code == status, response.json()
    assert DataImport.objects.filter(source=estate.tickets).count() == (1 if status == 201 else 0)


def test_a_hidden_source_answers_like_a_missing_one(estate: Estate) -> None:
    client = client_for(estate.outsider)
    hidden = upload(client, estate.tickets, b"x", "t.csv").json()["error"]["fields"]
    missing = upload(client, 987654, b"x", "t.csv").json()["error"]["fields"]
    assert hidden["source"] == [
        m.replace("987654", str(estate.tickets.pk)) for m in missing["source"]
    ]


def test_an_upload_needs_a_file(estate: Estate) -> None:
    response = client_for(estate.buyer_manager).post(
        url("data-import-list"), {"source": estate.tickets.pk}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]


def test_remove_an_import_and_its_data(estate: Estate) -> None:
    created = upload(
        client_for(estate.provider_contributor), estate.tickets, tickets_csv(rows=80), "t.csv"
    )
    record = DataImport.objects.get(pk=created.json()["id"])
    stored = Path(settings.DATA_DIR) / record.stored_path
    assert stored.is_file()
    # Contributors add data; removing it is for managers and executives.
    refused = client_for(estate.provider_contributor).delete(url("data-import-detail", record.pk))
    assert refused.status_code == 403
    assert (
        client_for(estate.outsider).delete(url("data-import-detail", record.pk)).status_code == 404
    )
    removed = client_for(estate.buyer_manager).delete(url("data-import-detail", record.pk))
    assert removed.status_code == 204
    assert not DataImport.objects.filter(pk=record.pk).exists()
    assert not stored.exists()


def test_imports_of_others_are_hidden(estate: Estate) -> None:
    created = upload(
        client_for(estate.buyer_manager), estate.tickets, tickets_csv(rows=40), "t.csv"
    )
    client = client_for(estate.outsider)
    assert rows_of(client.get(url("data-import-list"))) == []
    assert client.get(url("data-import-detail", created.json()["id"])).status_code == 404
    assert rows_of(client.get(url("result-list"))) == []
    assert PeriodResult.objects.exists()
