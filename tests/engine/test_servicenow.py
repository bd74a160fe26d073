"""Importing a ServiceNow incident export as it comes: the real one, and crafted ones.

The reference here reads the export with the csv module and picks each
incident's latest state in plain Python, independently of the import (which
stages the file with pyarrow and reduces it on DuckDB).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from accord.engine.errors import DataError
from accord.engine.evaluate import evaluate
from accord.engine.ingest import IngestReport, RowError, ingest
from accord.engine.periods import Month
from accord.engine.schedule import Schedule, Source
from accord.engine.servicenow import FIELDS
from accord.engine.tz import get_zone

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "examples" / "data" / "servicenow-incident-log" / "incident_event_log.zip"
SCHEDULE = ROOT / "examples" / "schedules" / "it-service-desk-servicenow.yaml"
ZONE = "America/Sao_Paulo"
UTC = dt.UTC
EVERYTHING = Source("incidents", {f.column: f.type for f in FIELDS}, "opened_at")


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def _local(text: str, zone: str = ZONE) -> dt.datetime:
    """The reference reading of a d/m/Y H:M wall-clock time (zoneinfo, fold=0)."""
    day, month, rest = text.split("/")
    year, clock = rest.split(" ")
    hour, minute = clock.split(":")
    wall = dt.datetime(
        int(year), int(month), int(day), int(hour), int(minute), tzinfo=get_zone(zone)
    )
    return wall.astimezone(UTC)


def _export_rows() -> list[dict[str, str]]:
    with zipfile.ZipFile(EXPORT) as archive, archive.open("incident_event_log.csv") as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))


@pytest.fixture(scope="module")
def export_rows() -> list[dict[str, str]]:
    return _export_rows()


@pytest.fixture(scope="module")
def latest(export_rows: list[dict[str, str]]) -> dict[str, tuple[int, dict[str, str], int]]:
    """Per incident: (its row in the file, the event row of its latest state, its events)."""
    best: dict[str, tuple[tuple[int, dt.datetime, int], dict[str, str]]] = {}
    events: Counter[str] = Counter()
    for index, row in enumerate(export_rows):
        key = (int(row["sys_mod_count"]), _local(row["sys_updated_at"]), index)
        events[row["number"]] += 1
        if row["number"] not in best or key > best[row["number"]][0]:
            best[row["number"]] = (key, row)
    return {n: (key[2] + 2, row, events[n]) for n, (key, row) in best.items()}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[IngestReport, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("servicenow") / "incidents.parquet"
    report = ingest(EVERYTHING, EXPORT, out, input_format="servicenow", timezone=ZONE)
    return report, pq.read_table(out).to_pylist()


def test_the_real_export_becomes_one_row_per_incident(
    imported: tuple[IngestReport, list[dict[str, Any]]],
) -> None:
    report, rows = imported
    assert report.ok, report.errors
    assert (report.rows_read, report.rows_written) == (119_998, 20_769)
    assert len({r["incident_id"] for r in rows}) == 20_769
    assert report.sha256 == "1c6eef6e6d2e9aaa4d11ca013f744e618f59630c81e2a50be2a66b268509d6c8"
    # Opened 29/2/2016 01:16 to 13/5/2016 11:49 Sao Paulo time (UTC-3 all along).
    assert report.first_instant == _utc(2016, 2, 29, 4, 16)
    assert report.last_instant == _utc(2016, 5, 13, 14, 49)


def test_a_hand_checked_incident(imported: tuple[IngestReport, list[dict[str, Any]]]) -> None:
    # INC0000045 has four event rows (file rows 2-5): New (0), Resolved (2), Resolved (3),
    # Closed (4). The latest is the fourth, updated 5/3/2016 12:00.
    _, rows = imported
    (incident,) = [r for r in rows if r["incident_id"] == "INC0000045"]
    assert incident == {
        "incident_id": "INC0000045",
        "state": "Closed",
        "active": False,
        "priority": 3,  # 3 - Moderate
        "impact": 2,  # 2 - Medium
        "urgency": 2,
        "category": "Category 55",
        "subcategory": "Subcategory 170",
        "symptom": "Symptom 72",
        "contact_type": "Phone",
        "location": "Location 143",
        "assignment_group": "Group 56",
        "assigned_to": None,  # "?"
        "knowledge": True,
        "closed_code": "code 5",
        "resolved_by": "Resolved by 149",
        "opened_at": _utc(2016, 2, 29, 4, 16),  # 29/2/2016 01:16 at UTC-3
        "resolved_at": _utc(2016, 2, 29, 14, 29),  # 29/2/2016 11:29
        "closed_at": _utc(2016, 3, 5, 15, 0),  # 5/3/2016 12:00
        "updated_at": _utc(2016, 3, 5, 15, 0),
        "reassignment_count": 0,
        "reopen_count": 0,
        "updates": 4,
        "made_sla": True,
        "events": 4,
    }


def test_every_incident_matches_the_reference(
    imported: tuple[IngestReport, list[dict[str, Any]]],
    latest: dict[str, tuple[int, dict[str, str], int]],
) -> None:
    _, rows = imported
    assert [r["incident_id"] for r in rows] == sorted(latest, key=lambda n: latest[n][0])
    label = {"1 - Critical": 1, "2 - High": 2, "3 - Moderate": 3, "4 - Low": 4}
    for row in rows:
        _, event, events = latest[row["incident_id"]]
        assert row["state"] == event["incident_state"]
        assert row["priority"] == label[event["priority"]]
        assert row["updates"] == int(event["sys_mod_count"])
        assert row["updated_at"] == _local(event["sys_updated_at"])
        assert row["opened_at"] == _local(event["opened_at"])
        resolved = event["resolved_at"]
        assert row["resolved_at"] == (None if resolved == "?" else _local(resolved))
        assert row["assigned_to"] == (None if event["assigned_to"] == "?" else event["assigned_to"])
        assert row["made_sla"] == (event["made_sla"] == "true")
        assert row["events"] == events
    # The export's priorities are all four labels; some incidents were updated twice
    # with the same sys_mod_count, where the later update wins.
    assert {r["priority"] for r in rows} == {1, 2, 3, 4}
    assert sum(r["resolved_at"] is None for r in rows) > 0


def _export(lines: list[str]) -> str:
    header = (
        "number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,"
        "opened_at,sys_updated_at,priority,assignment_group,resolved_at"
    )
    return "\n".join([header, *lines]) + "\n"


SMALL = Source(
    "incidents",
    {
        "incident_id": "string",
        "priority": "integer",
        "opened_at": "timestamp",
        "resolved_at": "timestamp",
        "updates": "integer",
        "events": "integer",
    },
    "opened_at",
)


def _ingest_text(tmp_path: Path, text: str, zone: str = ZONE, **options: Any) -> IngestReport:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    return ingest(
        SMALL, path, tmp_path / "out.parquet", input_format="servicenow", timezone=zone, **options
    )


def test_errors_name_the_export_row_and_column(tmp_path: Path) -> None:
    text = _export(
        [
            "INC1,New,true,0,0,0,true,1/3/2016 09:00,1/3/2016 09:00,2 - High,G1,?",  # row 2
            "INC2,New,true,0,0,0,true,31/2/2016 09:00,1/3/2016 09:05,3 - Moderate,G1,?",  # 3
            "INC1,Closed,false,0,0,1,true,1/3/2016 09:00,1/3/2016 10:00,urgent,G1,?",  # 4
            "INC3,New,true,0,0,?,true,1/3/2016 09:00,1/3/2016 10:00,3 - Moderate,G1,?",  # 5
            "?,New,true,0,0,0,true,1/3/2016 09:00,2016-03-01 10:00,3 - Moderate,G1,?",  # 6
        ]
    )
    report = _ingest_text(tmp_path, text)
    assert report.errors == (
        RowError(3, "opened_at", "31/2/2016 09:00", "not a d/m/Y H:M timestamp"),
        RowError(4, "priority", "urgent", "not a label like '3 - Moderate'"),
        RowError(5, "sys_mod_count", None, "missing; needed to find the incident's latest state"),
        RowError(6, "number", None, "missing; every event row needs its incident's number"),
        RowError(6, "sys_updated_at", "2016-03-01 10:00", "not a d/m/Y H:M timestamp"),
    )
    assert report.rows_read == 5
    assert not (tmp_path / "out.parquet").exists()


def test_the_latest_state_wins_and_naive_times_follow_the_zone(tmp_path: Path) -> None:
    # Lisbon: clocks forward at 01:00 on 27 March 2016 (to UTC+1), back at 02:00 on 30 October.
    text = _export(
        [
            "INC1,New,true,0,0,0,true,27/3/2016 01:30,27/3/2016 01:30,2 - High,G1,?",
            "INC1,Active,true,0,0,1,true,27/3/2016 01:30,27/3/2016 09:00,1 - Critical,G1,?",
            # Same count, later update: this one wins; then equal both ways: the later row.
            "INC1,Resolved,true,0,0,1,true,27/3/2016 01:30,27/3/2016 10:00,2 - High,G1,"
            "30/10/2016 01:30",
            "INC2,New,true,0,0,3,true,30/10/2016 01:30,30/10/2016 01:30,4 - Low,G1,?",
            "INC2,New,true,0,0,3,true,30/10/2016 01:30,30/10/2016 01:30,3 - Moderate,G1,?",
        ]
    )
    report = _ingest_text(tmp_path, text, zone="Europe/Lisbon")
    assert report.ok, report.errors
    rows = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert rows == [
        {
            "incident_id": "INC1",
            "priority": 2,
            "opened_at": _utc(2016, 3, 27, 1, 30),  # skipped: the offset before (UTC+0)
            "resolved_at": _utc(2016, 10, 30, 0, 30),  # twice: the first (UTC+1)
            "updates": 1,
            "events": 3,
        },
        {
            "incident_id": "INC2",
            "priority": 3,
            "opened_at": _utc(2016, 10, 30, 0, 30),
            "resolved_at": None,
            "updates": 3,
            "events": 2,
        },
    ]


def test_a_zip_holding_the_csv_is_read_as_it_is(tmp_path: Path) -> None:
    text = _export(["INC1,New,true,0,0,0,true,1/3/2016 09:00,1/3/2016 09:00,2 - High,G1,?"])
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("export.csv", text)
    out = tmp_path / "out.parquet"
    report = ingest(SMALL, archive, out, input_format="servicenow", timezone=ZONE)
    assert report.ok
    assert pq.read_table(out).column("opened_at").to_pylist() == [_utc(2016, 3, 1, 12)]
    with zipfile.ZipFile(archive, "a") as zipped:
        zipped.writestr("other.csv", text)
    with pytest.raises(DataError, match="exactly one .csv file; it holds export.csv, other.csv"):
        ingest(SMALL, archive, out, input_format="servicenow", timezone=ZONE)


def test_a_time_zone_is_required(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="carry no time zone"):
        ingest(SMALL, EXPORT, tmp_path / "out.parquet", input_format="servicenow")


def test_columns_the_import_does_not_give_are_errors(tmp_path: Path) -> None:
    source = Source(
        "incidents",
        {"incident_id": "string", "priority": "string", "opened_at": "timestamp", "x": "float"},
        "opened_at",
    )
    text = _export(["INC1,New,true,0,0,0,true,1/3/2016 09:00,1/3/2016 09:00,2 - High,G1,?"])
    path = tmp_path / "export.csv"
    path.write_text(text)
    report = ingest(
        source, path, tmp_path / "out.parquet", input_format="servicenow", timezone=ZONE
    )
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (1, "priority", "is imported as integer (priority), but the schedule declares string"),
        (1, "x", "is not a column of a ServiceNow incident import; it gives: "
         + ", ".join(f.column for f in FIELDS)),
    ]  # fmt: skip
    missing = text.replace(",assignment_group", ",group")
    path.write_text(missing)
    report = ingest(
        EVERYTHING, path, tmp_path / "out.parquet", input_format="servicenow", timezone=ZONE
    )
    assert RowError(1, "assignment_group", None, "missing from the file; the file's columns: "
                    + missing.splitlines()[0].replace(",", ", ")) in report.errors  # fmt: skip


def test_the_example_schedule_evaluates_on_the_real_export(
    tmp_path: Path, latest: dict[str, tuple[int, dict[str, str], int]]
) -> None:
    schedule = Schedule.from_file(SCHEDULE)
    out = tmp_path / "incidents.parquet"
    report = ingest(
        schedule.sources["incidents"], EXPORT, out, input_format="servicenow", timezone=ZONE
    )
    assert report.ok, report.errors
    evaluation = evaluate(
        schedule, {"incidents": str(out)}, first=Month(2016, 3), last=Month(2016, 5)
    )
    # Reference figures from the export itself: incidents opened in April 2016 (Sao Paulo time).
    zone = get_zone(ZONE)
    april = [
        event
        for _, event, _ in latest.values()
        if _local(event["opened_at"]).astimezone(zone).strftime("%Y-%m") == "2016-04"
    ]
    made = sum(e["made_sla"] == "true" for e in april)
    reopened = sum(int(e["reopen_count"]) > 0 for e in april)
    results = {(r.code, r.period): r for r in evaluation.results if not r.breakdown}
    sla = results[("SD-SLA", "2016-04")]
    assert sla.volume == len(april)
    assert sla.value == pytest.approx(100 * made / len(april))
    share = 100 * made / len(april)
    # Expected 90, minimum 85, at least 100 incidents.
    assert sla.status == ("met" if share >= 90 else "missed_expected" if share >= 85 else
                          "missed_minimum")  # fmt: skip
    assert results[("SD-REOPEN", "2016-04")].value == pytest.approx(100 * reopened / len(april))
    p12 = results[("SD-P12", "2016-04")]
    assert p12.volume == sum(e["priority"] in ("1 - Critical", "2 - High") for e in april)
    # Every group that had an incident that month has a breakdown row.
    groups = {e["assignment_group"] for e in april if e["assignment_group"] != "?"}
    seen = {
        r.breakdown["assignment_group"]
        for r in evaluation.results
        if r.code == "SD-SLA" and r.period == "2016-04" and r.breakdown and r.volume
    }
    assert groups <= seen


def test_the_documented_mapping_is_the_one_used() -> None:
    text = (ROOT / "docs" / "servicenow-import.md").read_text(encoding="utf-8")
    documented = [
        tuple(cell.strip().strip("`") for cell in line.strip("|").split("|"))
        for line in text.splitlines()
        if line.startswith("| `") or line.startswith("| (counted)")
    ]
    assert documented == [(f.export or "(counted)", f.column, f.type, f.conversion) for f in FIELDS]
