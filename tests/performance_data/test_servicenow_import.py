"""A real ServiceNow incident export, imported through the app as it is.

The export (examples/data/servicenow-incident-log: one row per update, ``?``
for missing, ``d/m/Y H:M`` wall-clock times, labelled priorities) goes into
a source set to the ServiceNow format and the Sao Paulo time zone, under the
example schedule ``it-service-desk-servicenow.yaml``. The results per
assignment group are checked against counts made here from the raw CSV.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accord.contracts.models import Contract
from accord.contracts.services import contract_create
from accord.performance.models import (
    DataImport,
    DataSource,
    ImportFormat,
    ImportStatus,
    PeriodResult,
    RunStatus,
)
from accord.performance.scorecards import latest_run
from accord.performance.services import data_source_update, schedule_version_create
from tests.performance_data.helpers import REPO, Setting

EXPORT = REPO / "examples" / "data" / "servicenow-incident-log" / "incident_event_log.zip"
SCHEDULE = REPO / "examples" / "schedules" / "it-service-desk-servicenow.yaml"
ZONE = "America/Sao_Paulo"


def service_desk(setting: Setting) -> DataSource:
    """The contract in Sao Paulo time, the example schedule, its source set to ServiceNow."""
    contract: Contract = contract_create(
        relationship=setting.relationship,
        actor=setting.manager,
        reference="ITSD-2016",
        title="IT service desk",
        start_date=datetime.date(2016, 1, 1),
        end_date=datetime.date(2018, 12, 31),
        currency="BRL",
        timezone=ZONE,
        monthly_fee=decimal.Decimal("200000.00"),
        at_risk_percent=decimal.Decimal("10"),
        pool_percent=decimal.Decimal("200"),
    )
    schedule_version_create(contract=contract, document=SCHEDULE.read_text(), actor=setting.manager)
    source = DataSource.objects.get(contract=contract, name="incidents")
    return data_source_update(
        source=source, actor=setting.contributor, import_format=ImportFormat.SERVICENOW,
        timezone=ZONE,
    )  # fmt: skip


def latest_states() -> dict[str, dict[str, str]]:
    """Each incident's latest event row, counted here without the engine.

    The latest state is the row with the most updates (``sys_mod_count``),
    then the latest ``sys_updated_at``, then the later row in the file.
    """

    def updated(text: str) -> tuple[int, ...]:
        day, month, rest = text.split("/")
        year, clock = rest.split(" ")
        hour, minute = clock.split(":")[:2]
        return (int(year), int(month), int(day), int(hour), int(minute))

    latest: dict[str, tuple[tuple[int, tuple[int, ...], int], dict[str, str]]] = {}
    with zipfile.ZipFile(EXPORT) as archive, archive.open(archive.namelist()[0]) as raw:
        for index, row in enumerate(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))):
            key = (int(row["sys_mod_count"]), updated(row["sys_updated_at"]), index)
            found = latest.get(row["number"])
            if found is None or key > found[0]:
                latest[row["number"]] = (key, row)
    return {number: row for number, (_key, row) in latest.items()}


def opened_month(row: dict[str, str]) -> str:
    """The month of the wall-clock opening time (the contract's zone is the export's)."""
    _day, month, rest = row["opened_at"].split("/")
    return f"{rest.split(' ')[0]}-{int(month):02d}"


def test_the_export_is_imported_as_it_is_and_scored_per_assignment_group(
    setting: Setting,
) -> None:
    source = service_desk(setting)
    client = Client()
    client.force_login(setting.contributor)

    with EXPORT.open("rb") as handle:
        response = client.post(reverse("import_add", kwargs={"pk": source.pk}), {"file": handle})

    record = DataImport.objects.get()
    assert response.status_code == 302, response.content[:500]
    assert record.status == ImportStatus.SUCCEEDED, (record.message, record.errors[:5])
    assert record.import_format == ImportFormat.SERVICENOW
    incidents = latest_states()
    assert record.rows == len(incidents) == 20_769

    run = latest_run(source.contract)
    assert run is not None
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert (run.first_period, run.last_period) == ("2016-02", "2016-05")

    # SD-SLA in March 2016: the whole level, then each assignment group.
    march = [row for row in incidents.values() if opened_month(row) == "2016-03"]
    results = PeriodResult.objects.filter(run=run, service_level__code="SD-SLA", period="2016-03")
    whole = results.get(breakdown={})
    assert whole.volume == len(march)
    made = sum(row["made_sla"] == "true" for row in march)
    assert whole.value == pytest.approx(100 * made / len(march))
    groups = Counter(row["assignment_group"] for row in march)
    by_group = {r.breakdown["assignment_group"]: r for r in results.exclude(breakdown={})}
    assert {None if g == "?" else g for g in groups} == set(by_group)
    assert sum(r.volume for r in by_group.values()) == len(march)
    busiest, count = groups.most_common(1)[0]
    assert by_group[busiest].volume == count
    made_in_group = sum(
        row["made_sla"] == "true" for row in march if row["assignment_group"] == busiest
    )
    assert by_group[busiest].value == pytest.approx(100 * made_in_group / count)
    assert by_group[busiest].breakdown_label == f"assignment_group = {busiest}"
    # SD-P12 (priority 1 and 2 within 8 business hours) has its groups too.
    p12 = PeriodResult.objects.filter(run=run, service_level__code="SD-P12", period="2016-03")
    assert p12.exclude(breakdown={}).count() > 1

    # The import's page names the format and the zone it was read in.
    page = client.get(response["Location"]).text
    assert "ServiceNow incident export" in page
    assert ZONE in page
    assert reverse("scorecard", kwargs={"pk": setting.relationship.pk}) in page


def test_the_command_sets_the_source_to_servicenow_and_imports_an_export(
    tmp_path: Path, setting: Setting
) -> None:
    """A small export in the same format, through ``accord import --format servicenow``."""
    source = service_desk(setting)
    data_source_update(
        source=source, actor=setting.manager, import_format=ImportFormat.STANDARD, timezone=""
    )
    with zipfile.ZipFile(EXPORT) as archive, archive.open(archive.namelist()[0]) as raw:
        lines = io.TextIOWrapper(raw, encoding="utf-8").readlines()[:41]  # header + 40 events
    path = tmp_path / "first-events.csv"
    path.write_text("".join(lines))
    out = io.StringIO()

    call_command(
        "import", "--as", setting.manager.username, "--relationship",
        str(setting.relationship.pk), "--source", "incidents", "--format", "servicenow",
        "--timezone", ZONE, str(path), stdout=out,
    )  # fmt: skip

    source.refresh_from_db()
    assert (source.import_format, source.timezone) == (ImportFormat.SERVICENOW, ZONE)
    record = DataImport.objects.get()
    numbers = {line.split(",")[0] for line in lines[1:]}
    assert record.status == ImportStatus.SUCCEEDED, record.errors[:3]
    assert record.rows == len(numbers)
    assert f"new import #{record.pk}: {len(numbers)} rows" in out.getvalue()
