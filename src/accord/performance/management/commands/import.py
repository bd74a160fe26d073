"""``accord import``: import operational data files for a relationship's data source.

::

    accord import --as alice --relationship 3 --source tickets tickets-2026-01.csv ...
    accord import --as alice --relationship 3 --source incidents \\
        --format servicenow --timezone Europe/Rome incident_event_log.zip

The command acts as the person named by ``--as``, through the same services
as the web pages, so the visibility rule applies: a relationship or source
they may not see is not found, and a role that may not upload is refused.
``--format`` and ``--timezone`` change the source's import settings first
(as its settings page does; that needs the right to change joint records).
Imports run inline (``ACCORD_TASKS`` is forced to ``inline``): each file is
validated, stored and scored before the next one. The exit status is 1 when
any file failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.template.defaultfilters import filesizeformat

from accord.core.choices import Action
from accord.core.selectors import get_for
from accord.parties.models import Relationship, User
from accord.performance import imports
from accord.performance.models import DataImport, DataSource, ImportFormat, ImportStatus
from accord.performance.services import data_source_update

ERRORS_PRINTED = 10


class Command(BaseCommand):
    help = "Import CSV, Parquet or ServiceNow export files into a relationship's data source."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="Files to import, in order.")
        parser.add_argument(
            "--as", dest="as_user", required=True, metavar="USERNAME",
            help="The person the import is done as (their permissions apply).",
        )  # fmt: skip
        parser.add_argument("--relationship", type=int, required=True, help="Relationship id.")
        parser.add_argument("--source", required=True, help="Data source name (see the schedule).")
        parser.add_argument(
            "--format", dest="import_format", choices=ImportFormat.values,
            help="Set the source's import format first (standard or servicenow).",
        )  # fmt: skip
        parser.add_argument(
            "--timezone", help="Set the source's time zone first (of timestamps without one)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        previous = settings.ACCORD_TASKS
        settings.ACCORD_TASKS = "inline"  # the command waits for each file's outcome
        try:
            self.run(options)
        finally:
            settings.ACCORD_TASKS = previous

    def run(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active person with user name {options['as_user']!r}.")
        source = self.find_source(user, options["relationship"], options["source"])
        source = self.apply_settings(user, source, options["import_format"], options["timezone"])
        self.terminal = self.stdout.isatty()
        failed = 0
        for name in options["files"]:
            if not self.import_one(user, source, Path(name)):
                failed += 1
        total = len(options["files"])
        if failed:
            raise CommandError(f"{failed} of {total} file{'s' if total != 1 else ''} failed.")

    def find_source(self, user: User, relationship_id: int, name: str) -> DataSource:
        try:
            relationship = get_for(user, Relationship, Action.VIEW, pk=relationship_id)
        except Http404:
            raise CommandError(
                f"No relationship #{relationship_id} that {user.username} may see."
            ) from None
        visible = DataSource.objects.restrict(user).filter(relationship=relationship)
        source = visible.filter(name=name).first()
        if source is None:
            names = ", ".join(visible.filter(retired=False).values_list("name", flat=True))
            raise CommandError(
                f"No data source {name!r} on {relationship} that {user.username} may see "
                f"(sources: {names or 'none; the contract needs a schedule'})."
            )
        return source

    def apply_settings(
        self, user: User, source: DataSource, import_format: str | None, zone: str | None
    ) -> DataSource:
        """Change the source's format or time zone when asked (through the service)."""
        wanted_format = import_format or source.import_format
        wanted_zone = source.timezone if zone is None else zone
        if (wanted_format, wanted_zone) == (source.import_format, source.timezone):
            return source
        try:
            source = data_source_update(
                source=source,
                actor=user,
                import_format=wanted_format,
                timezone=wanted_zone,
                description=source.description,
            )
        except PermissionDenied as exc:
            raise CommandError(f"Cannot change the source's settings: {exc}") from None
        except ValidationError as exc:
            raise CommandError(f"Cannot change the source's settings: {_words(exc)}") from None
        self.stdout.write(
            f"Source {source.name}: format {source.import_format}, "
            f"time zone {source.timezone or 'none'}."
        )
        return source

    def import_one(self, user: User, source: DataSource, path: Path) -> bool:
        """Import one file and print its outcome; True unless it failed."""
        if not path.is_file():
            self.stdout.write(f"{path}: failed: no such file.")
            return False
        size = path.stat().st_size
        try:
            with imports.reporting_progress(self.progress(path.name, "checking")):
                record, is_new = imports.data_import_create(
                    source=source,
                    chunks=self.copying(path, size),
                    original_name=path.name,
                    actor=user,
                )
        except PermissionDenied as exc:
            self.clear_line()
            raise CommandError(f"{user.username} may not import here: {exc}") from None
        except ValidationError as exc:
            self.clear_line()
            self.stdout.write(f"{path}: failed: {_words(exc)}")
            return False
        self.clear_line()
        record.refresh_from_db()
        return self.summary(path, record, is_new)

    def summary(self, path: Path, record: DataImport, is_new: bool) -> bool:
        if not is_new:
            state = record.get_status_display().lower()
            self.stdout.write(f"{path}: already imported as #{record.pk} ({state}).")
            return True
        if record.status == ImportStatus.SUCCEEDED:
            span = ""
            if record.first_instant and record.last_instant:
                span = f", {record.first_instant:%Y-%m-%d} to {record.last_instant:%Y-%m-%d} (UTC)"
            self.stdout.write(
                f"{path}: new import #{record.pk}: {record.rows:,} rows "
                f"({filesizeformat(record.size_bytes)}){span}."
            )
            return True
        if record.status != ImportStatus.FAILED:  # another worker has it (not inline)
            self.stdout.write(f"{path}: import #{record.pk} is {record.status}.")
            return True
        self.stdout.write(f"{path}: failed (import #{record.pk}): {record.message}")
        for error in record.errors[:ERRORS_PRINTED]:
            self.stdout.write(f"  {_error_line(error)}")
        more = record.error_count - min(len(record.errors), ERRORS_PRINTED)
        if more > 0:
            self.stdout.write(f"  … and {more:,} more (the import's page lists the first 100).")
        return False

    # Progress on a terminal only: a log file or a pipe gets the summaries alone.

    def copying(self, path: Path, size: int) -> Any:
        report = self.progress(path.name, "reading")
        done = 0
        for chunk in imports.file_chunks(path):
            done += len(chunk)
            report(done, size)
            yield chunk

    def progress(self, name: str, what: str) -> Any:
        def report(done: int, total: int) -> None:
            if self.terminal and total:
                percent = min(100, int(100 * done / total))
                self.stdout.write(f"\r{name}: {what} {percent:3d} %", ending="")
                self.stdout.flush()

        return report

    def clear_line(self) -> None:
        if self.terminal:
            self.stdout.write("\r\033[K", ending="")


def _error_line(error: dict[str, Any]) -> str:
    """``row 12, column priority: not an integer (value 'x')``."""
    place = f"row {error.get('row')}"
    if error.get("column"):
        place += f", column {error['column']}"
    value = error.get("value")
    shown = "" if value is None else f" (value {value!r})"
    return f"{place}: {error.get('message')}{shown}"


def _words(error: ValidationError) -> str:
    return " ".join(error.messages)


__all__ = ["Command"]
