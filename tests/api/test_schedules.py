"""Schedule versions, service levels and data sources through the API."""

from __future__ import annotations

import pytest

from accord.core.testing.performance_factories import SMALL_SCHEDULE
from accord.performance.models import DataSource, ScheduleVersion, ServiceLevel
from tests.api.conftest import Estate, client_for, rows_of, url

pytestmark = pytest.mark.django_db


def test_post_a_new_schedule_version(estate: Estate) -> None:
    document = SMALL_SCHEDULE.replace("expected: 95", "expected: 97")
    response = client_for(estate.provider_manager).post(
        url("schedule-version-list"),
        {"contract": estate.contract.pk, "document": document, "summary": "P1 expected 97"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 2
    assert body["document"] == document
    assert body["created_by"] == "api_provider_manager"
    level = ServiceLevel.objects.get(contract=estate.contract, code="P1")
    assert str(level.expected) == "97.000"


def test_the_same_document_again_is_the_version_in_force(estate: Estate) -> None:
    response = client_for(estate.buyer_manager).post(
        url("schedule-version-list"),
        {"contract": estate.contract.pk, "document": SMALL_SCHEDULE},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["id"] == estate.schedule.pk
    assert ScheduleVersion.objects.filter(contract=estate.contract).count() == 1


def test_a_refused_schedule_names_each_problem_with_its_line(estate: Estate) -> None:
    document = SMALL_SCHEDULE.replace("    source: tickets", "    source: payroll")
    line = document.splitlines().index("    source: payroll") + 1
    response = client_for(estate.buyer_manager).post(
        url("schedule-version-list"), {"contract": estate.contract.pk, "document": document}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    problems = error["problems"]
    assert problems, error
    first = problems[0]
    assert first["place"] == "service_levels[0].source"
    assert first["line"] == line
    assert "payroll" in first["message"]
    assert error["fields"]["document"][0].startswith(f"line {line}: service_levels[0].source: ")
    assert ScheduleVersion.objects.filter(contract=estate.contract).count() == 1


def test_a_viewer_may_not_change_the_schedule(estate: Estate) -> None:
    response = client_for(estate.buyer_viewer).post(
        url("schedule-version-list"),
        {"contract": estate.contract.pk, "document": SMALL_SCHEDULE + "\n# note\n"},
    )
    assert response.status_code == 403
    assert ScheduleVersion.objects.filter(contract=estate.contract).count() == 1


def test_schedule_versions_of_others_are_hidden(estate: Estate) -> None:
    client = client_for(estate.outsider)
    assert rows_of(client.get(url("schedule-version-list"))) == []
    assert client.get(url("schedule-version-detail", estate.schedule.pk)).status_code == 404
    # Naming the hidden contract fails like naming none that exists.
    hidden = client.post(
        url("schedule-version-list"), {"contract": estate.contract.pk, "document": "x: 1"}
    )
    assert hidden.status_code == 400
    assert "contract" in hidden.json()["error"]["fields"]


def test_service_levels_listed_with_their_targets(estate: Estate) -> None:
    rows = rows_of(
        client_for(estate.buyer_viewer).get(
            url("service-level-list"), {"contract": estate.contract.pk}
        )
    )
    assert [(row["code"], row["kind"], row["expected"], row["minimum"]) for row in rows] == [
        ("P1", "critical", "95.000", "90.000")
    ]
    assert rows[0]["allocation_percent"] == "50.000"


def test_patch_targets_makes_a_new_schedule_version(estate: Estate) -> None:
    level = ServiceLevel.objects.get(contract=estate.contract, code="P1")
    response = client_for(estate.buyer_manager).patch(
        url("service-level-detail", level.pk),
        {"expected": "98", "minimum": "92.5", "allocation_percent": "40"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["expected"], body["minimum"], body["allocation_percent"]) == (
        "98.000", "92.500", "40.000",
    )  # fmt: skip
    latest = ScheduleVersion.objects.filter(contract=estate.contract).order_by("-number").first()
    assert latest is not None
    assert latest.number == 2
    assert "expected: 98" in latest.document
    assert "P1" in latest.summary


def test_patch_targets_the_engine_refuses(estate: Estate) -> None:
    level = ServiceLevel.objects.get(contract=estate.contract, code="P1")
    response = client_for(estate.buyer_manager).patch(
        url("service-level-detail", level.pk), {"expected": "80"}, format="json"
    )  # the minimum (90) above the expected level
    assert response.status_code == 400
    assert response.json()["error"]["problems"]
    assert ScheduleVersion.objects.filter(contract=estate.contract).count() == 1


def test_a_viewer_may_not_patch_targets(estate: Estate) -> None:
    level = ServiceLevel.objects.get(contract=estate.contract, code="P1")
    response = client_for(estate.buyer_viewer).patch(
        url("service-level-detail", level.pk), {"expected": "99"}, format="json"
    )
    assert response.status_code == 403
    level.refresh_from_db()
    assert str(level.expected) == "95.000"


def test_data_sources_and_their_import_settings(estate: Estate) -> None:
    client = client_for(estate.provider_contributor)
    rows = rows_of(client.get(url("data-source-list"), {"contract": estate.contract.pk}))
    assert [(row["name"], row["time_column"]) for row in rows] == [("tickets", "opened_at")]
    assert rows[0]["columns"]["priority"] == "integer"
    response = client.patch(
        url("data-source-detail", estate.tickets.pk),
        {"import_format": "servicenow", "timezone": "Europe/Lisbon"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    source = DataSource.objects.get(pk=estate.tickets.pk)
    assert (source.import_format, source.timezone) == ("servicenow", "Europe/Lisbon")
    # Only the timezone: the format stays.
    response = client.patch(
        url("data-source-detail", estate.tickets.pk), {"timezone": "UTC"}, format="json"
    )
    assert response.status_code == 200
    source.refresh_from_db()
    assert (source.import_format, source.timezone) == ("servicenow", "UTC")


def test_a_servicenow_source_needs_a_timezone(estate: Estate) -> None:
    response = client_for(estate.buyer_manager).patch(
        url("data-source-detail", estate.tickets.pk),
        {"import_format": "servicenow", "timezone": ""},
        format="json",
    )
    assert response.status_code == 400
    assert "timezone" in response.json()["error"]["fields"]
    assert DataSource.objects.get(pk=estate.tickets.pk).import_format == "standard"


def test_the_declared_columns_are_not_changed_here(estate: Estate) -> None:
    response = client_for(estate.buyer_manager).patch(
        url("data-source-detail", estate.tickets.pk),
        {"name": "renamed", "columns": {"x": "string"}},
        format="json",
    )
    assert response.status_code == 200
    source = DataSource.objects.get(pk=estate.tickets.pk)
    assert source.name == "tickets"
    assert "x" not in source.columns
