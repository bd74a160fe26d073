"""``accord import``: files in from the command line, as a named person, with a summary."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.performance.models import DataImport, DataSource, ImportFormat, ImportStatus
from tests.performance_data.helpers import Setting, tickets_table, write_csv, write_parquet


def run(setting: Setting, *files: Path | str, person: str = "data_manager", **options: str) -> str:
    out = io.StringIO()
    arguments = ["--as", person, "--relationship", str(setting.relationship.pk)]
    arguments += ["--source", options.pop("source", "tickets")]
    for name, value in options.items():
        arguments += [f"--{name}", value]
    call_command("import", *arguments, *map(str, files), stdout=out)
    return out.getvalue()


def test_files_are_imported_and_summarised(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    january = write_csv(tickets_table("2026-01", 120, 1), tmp_path / "jan.csv")
    february = write_parquet(tickets_table("2026-02", 90, 2), tmp_path / "feb.parquet")

    output = run(setting, january, february)

    jan, feb = DataImport.objects.order_by("pk")
    assert [jan.status, feb.status] == [ImportStatus.SUCCEEDED, ImportStatus.SUCCEEDED]
    assert (jan.rows, feb.rows) == (120, 90)
    assert jan.created_by == setting.manager
    assert f"{january}: new import #{jan.pk}: 120 rows" in output
    assert f"{february}: new import #{feb.pk}: 90 rows" in output
    assert "\r" not in output  # no progress when the output is not a terminal
    assert (Path(settings.DATA_DIR) / feb.stored_path).is_file()


def test_a_file_already_imported_is_named_by_its_import(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = write_csv(tickets_table(rows=50), tmp_path / "tickets.csv")
    run(setting, path)
    record = DataImport.objects.get()

    output = run(setting, path, person="data_contributor")

    assert f"{path}: already imported as #{record.pk} (imported)." in output
    assert DataImport.objects.count() == 1


def test_a_failed_file_prints_its_first_errors_and_exits_with_1(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    good = write_csv(tickets_table(rows=30), tmp_path / "good.csv")
    bad = tmp_path / "bad.csv"
    lines = ["ticket_id,priority,category,opened_at,responded_at,resolved_at,reopened"]
    lines += [f"INC{i},P{i},pay,2026-01-05T09:00:00Z,,,false" for i in range(15)]
    bad.write_text("\n".join(lines) + "\n")
    out = io.StringIO()

    with pytest.raises(CommandError, match="2 of 3 files failed") as raised:
        call_command(
            "import", "--as", "data_manager", "--relationship", str(setting.relationship.pk),
            "--source", "tickets", str(good), str(bad), str(tmp_path / "absent.csv"), stdout=out,
        )  # fmt: skip

    assert raised.value.returncode == 1
    output = out.getvalue()
    failed = DataImport.objects.get(status=ImportStatus.FAILED)
    assert f"{bad}: failed (import #{failed.pk}): 15 errors; nothing was imported." in output
    assert "  row 2, column priority: not an integer (value 'P0')" in output
    assert "  row 11, column priority:" in output
    assert "row 12, column priority" not in output  # ten printed, then a count
    assert "… and 5 more" in output
    assert f"{tmp_path / 'absent.csv'}: failed: no such file." in output
    assert DataImport.objects.filter(status=ImportStatus.SUCCEEDED).count() == 1


def test_the_visibility_rule_applies_to_the_person_named(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = write_csv(tickets_table(rows=10), tmp_path / "tickets.csv")
    with pytest.raises(CommandError, match="may not import"):
        run(setting, path, person="data_viewer")
    with pytest.raises(CommandError, match=f"No relationship #{setting.relationship.pk}"):
        run(setting, path, person="data_outsider")
    with pytest.raises(CommandError, match="No active person"):
        run(setting, path, person="nobody")
    with pytest.raises(CommandError, match=r"No data source 'payroll'.*sources: tickets"):
        run(setting, path, source="payroll")
    assert not DataImport.objects.exists()


def test_format_and_time_zone_change_the_source_through_the_service(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = write_csv(tickets_table(rows=10), tmp_path / "tickets.csv")
    with pytest.raises(CommandError, match="not a time zone"):
        run(setting, path, timezone="Mars/Olympus_Mons")
    with pytest.raises(CommandError, match="Cannot change the source's settings"):
        run(setting, path, person="data_viewer", timezone="Europe/Rome")

    output = run(setting, path, timezone="Europe/Rome")

    tickets.refresh_from_db()
    assert tickets.timezone == "Europe/Rome"
    assert tickets.import_format == ImportFormat.STANDARD
    assert "Source tickets: format standard, time zone Europe/Rome." in output


def test_the_command_forces_inline_tasks(
    tmp_path: Path, setting: Setting, tickets: DataSource, settings: object
) -> None:
    """Run with the thread setting: the command still waits for each outcome."""
    settings.ACCORD_TASKS = "thread"  # type: ignore[attr-defined]
    path = write_csv(tickets_table(rows=10), tmp_path / "tickets.csv")
    output = run(setting, path)
    assert DataImport.objects.get().status == ImportStatus.SUCCEEDED
    assert "new import" in output
    assert settings.ACCORD_TASKS == "thread"  # type: ignore[attr-defined]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_progress(tmp_path: Path, setting: Setting, tickets: DataSource) -> None:
    path = write_csv(tickets_table(rows=40), tmp_path / "tickets.csv")
    out = Terminal()
    call_command(
        "import", "--as", "data_manager", "--relationship", str(setting.relationship.pk),
        "--source", "tickets", str(path), stdout=out,
    )  # fmt: skip
    output = out.getvalue()
    assert "\rtickets.csv: reading 100 %" in output
    assert "\rtickets.csv: checking 100 %" in output
    assert "new import #" in output.splitlines()[-1]  # the summary replaces the progress line
