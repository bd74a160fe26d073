"""The import service with real files: stored or refused whole, once per file, then scored."""

from __future__ import annotations

import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.conf import settings

from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.testing.performance_factories import DataImportFactory
from accord.performance import imports
from accord.performance.imports import data_import_delete
from accord.performance.models import (
    DataImport,
    DataSource,
    ImportStatus,
    PeriodResult,
    RunStatus,
    ScorecardRun,
)
from accord.performance.scorecards import latest_run
from tests.performance_data.helpers import (
    Setting,
    p1_within_4_hours,
    tickets_table,
    upload,
    write_csv,
    write_parquet,
)


def stored_files(source: DataSource) -> list[Path]:
    return sorted(source.storage_dir.glob("*")) if source.storage_dir.exists() else []


def staging_files() -> list[Path]:
    staging = Path(settings.DATA_DIR) / "staging"
    return sorted(staging.glob("*")) if staging.exists() else []


def assert_scored(record: DataImport, table: pa.Table) -> ScorecardRun:
    """The import fed a succeeded run whose HR-P1 result matches an independent count."""
    run = latest_run(record.source.contract)
    assert run is not None
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert list(run.imports.all()) == [record]
    result = PeriodResult.objects.get(run=run, service_level__code="HR-P1", period="2026-01")
    met, total = p1_within_4_hours(table)
    assert total > 0
    assert (result.numerator, result.denominator) == (met, total)
    assert result.value == pytest.approx(100 * met / total)
    return run


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_good_file_is_stored_under_the_data_dir_and_scored(
    tmp_path: Path, setting: Setting, tickets: DataSource, kind: str
) -> None:
    table = tickets_table(rows=400)
    writer = write_csv if kind == "csv" else write_parquet
    path = writer(table, tmp_path / f"tickets-2026-01.{kind}")

    record, is_new = upload(tickets, path, setting.contributor)

    assert is_new
    assert record.status == ImportStatus.SUCCEEDED, (record.message, record.errors[:3])
    assert record.rows == 400
    assert record.size_bytes == path.stat().st_size
    assert record.created_by == setting.contributor
    assert record.first_instant is not None
    assert record.first_instant.year == 2026
    stored = Path(settings.DATA_DIR) / record.stored_path
    assert stored.is_file()
    assert stored.resolve().is_relative_to(Path(settings.DATA_DIR).resolve())
    assert stored_files(tickets) == [stored]
    assert pq.read_table(stored).num_rows == 400
    assert staging_files() == []
    run = assert_scored(record, table)
    assert run.results.filter(service_level__code="HR-P3").exists()


def test_the_same_file_twice_is_one_import(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = write_csv(tickets_table(rows=200), tmp_path / "tickets.csv")
    first, first_new = upload(tickets, path, setting.manager)
    again = tmp_path / "renamed-copy.csv"
    again.write_bytes(path.read_bytes())

    second, second_new = upload(tickets, again, setting.contributor)

    assert (first_new, second_new) == (True, False)
    assert second.pk == first.pk
    assert DataImport.objects.filter(source=tickets).count() == 1
    assert len(stored_files(tickets)) == 1
    assert staging_files() == []
    # Only the first upload caused a recomputation.
    assert ScorecardRun.objects.filter(contract=tickets.contract).count() == 1


def test_a_bad_file_fails_whole_and_names_rows_and_columns(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    table = tickets_table(rows=300)
    # 150 priorities that are not integers, and one opening time that is not a timestamp.
    priority = [
        "urgent" if i % 2 == 0 else str(p) for i, p in enumerate(table["priority"].to_pylist())
    ]
    opened = [str(t).replace("+00:00", "Z") for t in table["opened_at"].to_pylist()]
    opened[41] = "yesterday"
    bad = table.set_column(1, "priority", pa.array(priority)).set_column(
        3, "opened_at", pa.array(opened)
    )
    path = write_csv(bad, tmp_path / "tickets-bad.csv")

    record, is_new = upload(tickets, path, setting.manager)

    assert is_new
    assert record.status == ImportStatus.FAILED
    assert record.error_count == 151
    assert record.errors_by_column == {"priority": 150, "opened_at": 1}
    assert len(record.errors) == 100  # the first 100 kept, the counts complete
    first = record.errors[0]
    assert (first["row"], first["column"], first["value"]) == (2, "priority", "urgent")
    assert "integer" in first["message"]
    timestamp_error = next(e for e in record.errors if e["column"] == "opened_at")
    assert (timestamp_error["row"], timestamp_error["value"]) == (43, "yesterday")
    assert [e["row"] for e in record.errors] == sorted(e["row"] for e in record.errors)
    assert "nothing was imported" in record.message
    # Nothing stored, nothing scored, nothing left behind.
    assert record.stored_path == ""
    assert stored_files(tickets) == []
    assert staging_files() == []
    assert not ScorecardRun.objects.filter(contract=tickets.contract).exists()


def test_a_missing_column_is_one_error_on_the_header_row(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = write_csv(tickets_table(rows=50).drop_columns(["resolved_at"]), tmp_path / "t.csv")

    record, _ = upload(tickets, path, setting.manager)

    assert record.status == ImportStatus.FAILED
    assert record.error_count == 1
    assert record.errors[0]["row"] == 1
    assert record.errors[0]["column"] == "resolved_at"
    assert "missing" in record.errors[0]["message"]
    assert stored_files(tickets) == []


def test_an_unreadable_file_fails_with_its_reason(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = tmp_path / "tickets.parquet"
    path.write_bytes(b"this is not parquet at all")

    record, _ = upload(tickets, path, setting.manager)

    assert record.status == ImportStatus.FAILED
    assert "not a readable Parquet file" in record.message
    assert stored_files(tickets) == []
    assert staging_files() == []


def test_a_failed_file_may_be_uploaded_again(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    """Only live imports count as "already imported": a failed file can be retried."""
    path = tmp_path / "tickets.parquet"
    path.write_bytes(b"garbage")
    first, _ = upload(tickets, path, setting.manager)
    second, is_new = upload(tickets, path, setting.manager)
    assert is_new
    assert second.pk != first.pk
    assert [first.status, second.status] == [ImportStatus.FAILED, ImportStatus.FAILED]


def test_a_viewer_may_not_upload_and_an_outsider_finds_nothing(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = write_csv(tickets_table(rows=20), tmp_path / "tickets.csv")
    with pytest.raises(PermissionDenied):
        upload(tickets, path, setting.viewer)
    with pytest.raises(NotFound):
        upload(tickets, path, setting.outsider)
    assert not DataImport.objects.exists()
    assert staging_files() == []


def test_a_retired_source_takes_no_files(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    DataSource.objects.filter(pk=tickets.pk).update(retired=True)
    tickets.refresh_from_db()
    path = write_csv(tickets_table(rows=20), tmp_path / "tickets.csv")
    with pytest.raises(ValidationError):
        upload(tickets, path, setting.manager)
    assert not DataImport.objects.exists()


def test_removing_an_import_deletes_its_file_and_rescores_without_it(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    january = tickets_table("2026-01", rows=200, seed=1)
    february = tickets_table(
        "2026-02",
        rows=200,
        seed=2,
    )
    first, _ = upload(tickets, write_csv(january, tmp_path / "jan.csv"), setting.manager)
    second, _ = upload(tickets, write_parquet(february, tmp_path / "feb.parquet"), setting.manager)
    assert latest_run(tickets.contract).last_period == "2026-02"
    stored = Path(settings.DATA_DIR) / second.stored_path

    with pytest.raises(PermissionDenied):
        data_import_delete(data_import=second, actor=setting.contributor)
    data_import_delete(data_import=second, actor=setting.manager)

    assert not stored.exists()
    assert list(DataImport.objects.filter(source=tickets)) == [first]
    run = latest_run(tickets.contract)
    assert list(run.imports.all()) == [first]
    assert (run.first_period, run.last_period) == ("2026-01", "2026-01")
    assert_scored(first, january)


def test_removing_the_last_import_empties_the_scorecard(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    """The scorecard must not go on showing figures computed from data that is gone."""
    record, _ = upload(
        tickets, write_csv(tickets_table(rows=100), tmp_path / "t.csv"), setting.manager
    )
    assert latest_run(tickets.contract).results.exists()

    data_import_delete(data_import=record, actor=setting.manager)

    run = latest_run(tickets.contract)
    assert run.status == RunStatus.SUCCEEDED
    assert not run.imports.exists()
    assert not run.results.exists()
    assert not run.credit_months.exists()


def test_two_uploads_racing_with_the_same_file_make_one_import(
    tmp_path: Path, setting: Setting, tickets: DataSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database's constraint decides a race the first look-up could not see."""
    path = write_csv(tickets_table(rows=30), tmp_path / "tickets.csv")
    first, _ = upload(tickets, path, setting.manager)
    looks = []
    real_lookup = imports._live_import

    def blind_first_look(source: DataSource, sha256: str) -> DataImport | None:
        looks.append(sha256)
        return None if len(looks) == 1 else real_lookup(source, sha256)

    monkeypatch.setattr(imports, "_live_import", blind_first_look)
    second, is_new = upload(tickets, path, setting.contributor)

    assert len(looks) == 2  # it looked, lost the insert, and looked again
    assert (second.pk, is_new) == (first.pk, False)
    assert DataImport.objects.count() == 1
    assert staging_files() == []


def test_imports_cut_off_by_a_stop_are_failed_at_the_next_start(
    setting: Setting, tickets: DataSource
) -> None:
    staged = Path(settings.DATA_DIR) / "staging" / "left-behind.upload"
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_bytes(b"half an upload")
    stuck = DataImportFactory(
        source=tickets, status=ImportStatus.RUNNING, staged_path=str(staged), error_count=0,
        errors=[], errors_by_column={}, finished_at=None, created_by=setting.manager,
    )  # fmt: skip
    earlier = imports.PROCESS_STARTED - datetime.timedelta(minutes=5)
    DataImport.objects.filter(pk=stuck.pk).update(created_at=earlier)
    fresh = DataImportFactory(source=tickets, status=ImportStatus.QUEUED, finished_at=None)

    assert imports.fail_interrupted_imports() == 1

    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED
    assert "Interrupted" in stuck.message
    assert not staged.exists()
    assert fresh.status == ImportStatus.QUEUED  # this process's own work is left alone


def test_a_running_import_cannot_be_removed(setting: Setting, tickets: DataSource) -> None:
    running = DataImportFactory(source=tickets, status=ImportStatus.RUNNING, finished_at=None)
    with pytest.raises(ValidationError, match="while it runs"):
        data_import_delete(data_import=running, actor=setting.manager)
    assert DataImport.objects.filter(pk=running.pk).exists()
