"""Operational data in: upload, validate, store as Parquet, recompute.

An import is all-or-nothing and idempotent:

* the upload is streamed to a staging file while its SHA-256 is computed;
  the same file already imported (or being imported) into the source is
  that import, not a new one (a conditional unique constraint makes sure);
* the engine validates and converts it (:func:`accord.engine.ingest.ingest`)
  into one Parquet file under the relationship's data directory, written
  under a temporary name and renamed only when every row is good;
* a failed import keeps its first 100 errors (row and column named) and its
  counts, and stores nothing; the staging file is always removed.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.core.choices import Action, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import get_for
from accord.core.tasks import enqueue
from accord.core.visibility import can
from accord.engine.schedule import Source
from accord.performance.models import (
    LIVE_IMPORT_STATUSES,
    DataImport,
    DataSource,
    ImportStatus,
)
from accord.performance.services import recompute_later

if TYPE_CHECKING:
    from accord.engine.ingest import InputFormat

logger = logging.getLogger(__name__)
CHUNK = 1 << 20
PROGRESS_EVERY_SECONDS = 0.5
# Imports created before this process started and still unfinished were cut off.
PROCESS_STARTED = timezone.now()
# Someone following an inline import as it runs (the command line prints its progress).
_progress_listener: ContextVar[Callable[[int, int], None] | None] = ContextVar(
    "accord_import_progress", default=None
)


@contextmanager
def reporting_progress(listener: Callable[[int, int], None]) -> Iterator[None]:
    """Call ``listener(done, total)`` as imports run inline in this context."""
    token = _progress_listener.set(listener)
    try:
        yield
    finally:
        _progress_listener.reset(token)


def staging_dir() -> Path:
    path = Path(settings.DATA_DIR) / "staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage_upload(chunks: Iterable[bytes]) -> tuple[Path, str, int]:
    """Write ``chunks`` to a new staging file; return its path, SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    path = staging_dir() / f"{uuid.uuid4().hex}.upload"
    with path.open("wb") as handle:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    return path, digest.hexdigest(), size


def data_import_create(
    *, source: DataSource, chunks: Iterable[bytes], original_name: str, actor: Any
) -> tuple[DataImport, bool]:
    """Take an uploaded file for ``source``; return the import and whether it is new.

    The file is validated and stored by :func:`run_import`, now or on the
    worker (see :mod:`accord.core.tasks`). A file already imported, or being
    imported, into the source returns that import (``False``).
    """
    source = get_for(actor, DataSource, Action.VIEW, pk=source.pk)
    if not can(actor, Action.ADD, source.relationship, Visibility.JOINT):
        raise PermissionDenied("Your role does not allow importing data.")
    if source.retired:
        raise ValidationError("This source is no longer in the schedule.")
    staged, sha256, size = stage_upload(chunks)
    existing = _live_import(source, sha256)
    if existing is not None:
        staged.unlink(missing_ok=True)
        return existing, False
    record = DataImport(
        relationship_id=source.relationship_id,
        visibility=Visibility.JOINT,
        source=source,
        original_name=Path(original_name).name[:255] or "upload",
        size_bytes=size,
        sha256=sha256,
        import_format=source.import_format,
        staged_path=str(staged),
        progress_total=size,
        created_by=actor,
    )
    try:
        with transaction.atomic(), acting_as(actor):
            record.save()
    except IntegrityError:
        # Another upload of the same file won the race: it is the import.
        staged.unlink(missing_ok=True)
        winner = _live_import(source, sha256)
        if winner is None:
            raise
        return winner, False
    enqueue(run_import, record.pk)
    return record, True


def _live_import(source: DataSource, sha256: str) -> DataImport | None:
    return (
        DataImport.objects.filter(source=source, sha256=sha256, status__in=LIVE_IMPORT_STATUSES)
        .order_by("pk")
        .first()
    )


def engine_source(source: DataSource) -> Source:
    return Source(name=source.name, columns=dict(source.columns), time_column=source.time_column)


def _set(record: DataImport, **values: Any) -> None:
    """Record progress without an audit entry per tick (the outcome is audited)."""
    DataImport._base_manager.filter(pk=record.pk).update(**values)


def run_import(import_id: int) -> None:
    """Validate and store one queued import, then recompute the scorecards.

    Never raises for bad data: the import ends ``failed`` with its errors.
    """
    from accord.engine.ingest import ingest  # the engine loads on first use, not at start-up

    record = DataImport._base_manager.select_related("source", "source__contract").get(pk=import_id)
    if record.status != ImportStatus.QUEUED:
        return
    source = record.source
    staged = Path(record.staged_path)
    _set(record, status=ImportStatus.RUNNING, started_at=timezone.now())
    last_tick = [0.0]
    listener = _progress_listener.get()

    def progress(done: int, total: int) -> None:
        if listener is not None:
            listener(done, total)
        now = time.monotonic()
        if now - last_tick[0] >= PROGRESS_EVERY_SECONDS:
            last_tick[0] = now
            _set(record, progress_done=done, progress_total=total)

    target = source.storage_dir / f"import-{record.pk}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    outcome: dict[str, Any]
    try:
        report = ingest(
            engine_source(source),
            staged,
            target,
            input_format=_engine_format(record),
            timezone=source.timezone or None,
            progress=progress,
            sha256=record.sha256,  # hashed as the upload arrived
        )
    except Exception as exc:  # an unreadable file, or a fault: the import fails cleanly
        logger.warning("Import %s failed: %s", record.pk, exc)
        target.unlink(missing_ok=True)
        outcome = {"status": ImportStatus.FAILED, "message": str(exc)[:2000]}
    else:
        if report.ok:
            outcome = {
                "status": ImportStatus.SUCCEEDED,
                "rows": report.rows_written,
                "first_instant": report.first_instant,
                "last_instant": report.last_instant,
                "stored_path": str(target.relative_to(settings.DATA_DIR)),
                "message": f"{report.rows_written:,} rows imported.",
            }
        else:
            outcome = {
                "status": ImportStatus.FAILED,
                "rows": report.rows_read,
                "error_count": report.error_count,
                "errors": [error.to_dict() for error in report.errors],
                "errors_by_column": dict(report.errors_by_column),
                "message": f"{report.error_count:,} errors; nothing was imported.",
            }
    finally:
        staged.unlink(missing_ok=True)
    _finish(record, outcome)
    if outcome["status"] == ImportStatus.SUCCEEDED:
        from accord.performance.scorecards import recompute_scorecards

        recompute_scorecards(source.contract_id, f"import #{record.pk} ({record.original_name})")


def _engine_format(record: DataImport) -> InputFormat:
    # The staged file has no telling name: the format comes from the original's.
    if record.import_format == "servicenow":
        return "servicenow"
    suffix = Path(record.original_name).suffix.lower()
    return "parquet" if suffix in (".parquet", ".pq") else "csv"


def _finish(record: DataImport, outcome: dict[str, Any]) -> None:
    """Save the outcome, audited, attributed to whoever uploaded the file."""
    with transaction.atomic(), acting_as(record.created_by):
        fresh = DataImport._base_manager.select_for_update().get(pk=record.pk)
        for name, value in outcome.items():
            setattr(fresh, name, value)
        fresh.staged_path = ""
        fresh.finished_at = timezone.now()
        fresh.progress_done = fresh.progress_total
        fresh.save()


def data_import_delete(*, data_import: DataImport, actor: Any) -> None:
    """Remove an import and its stored file; the scorecards are recomputed without it."""
    with transaction.atomic(), acting_as(actor):
        record = get_for(actor, DataImport, Action.DELETE, pk=data_import.pk)
        if not record.is_finished:
            raise ValidationError("An import cannot be removed while it runs.")
        stored = record.stored_path
        contract_id = record.source.contract_id
        name = f"import #{record.pk} ({record.original_name}) removed"
        record.delete()
    if stored:
        (Path(settings.DATA_DIR) / stored).unlink(missing_ok=True)
        recompute_later(contract_id, name)


def fail_interrupted_imports() -> int:
    """Fail imports a stopped process left queued or running (their staging files too)."""
    stuck = DataImport._base_manager.filter(
        status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING), created_at__lt=PROCESS_STARTED
    )
    count = 0
    for record in stuck:
        if record.staged_path:
            Path(record.staged_path).unlink(missing_ok=True)
        _finish(
            record,
            {
                "status": ImportStatus.FAILED,
                "message": "Interrupted: Accord stopped. Upload again.",
            },
        )
        count += 1
    return count


def file_chunks(path: Path) -> Iterable[bytes]:
    """A file on disk in chunks, as an upload arrives (for the command line and the demo)."""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


__all__ = [
    "file_chunks",
    "data_import_create",
    "data_import_delete",
    "fail_interrupted_imports",
    "reporting_progress",
    "run_import",
]
