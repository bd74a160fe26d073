"""Isolation cases: operational data (sources, uploads, imports); see tests/isolation_matrix.py.

Uploading needs ADD on the relationship's joint records and removing an
import DELETE, so the default expectations for ``data_source`` and
``data_import`` state the rule (viewers see the data but cannot upload).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from accord.core.choices import Action
from accord.core.testing.isolation import Case
from accord.core.testing.world import World
from accord.performance.models import DataImport

# Rows for the world's ``tickets`` source (ticket_id, priority, opened_at).
TICKETS_CSV = (
    b"ticket_id,priority,opened_at\nINC1,1,2026-01-05T09:00:00Z\nINC2,2,2026-01-06T10:30:00Z\n"
)


def upload(world: World, label: str, persona: str) -> dict[str, Any]:
    """A small good CSV; a fresh file object for every request (it is read once)."""
    return {"file": SimpleUploadedFile(f"tickets-{persona}.csv", TICKETS_CSV, "text/csv")}


def import_count(world: World, label: str) -> int:
    return DataImport.objects.count()


def import_state(world: World, label: str) -> Any:
    record = DataImport.objects.filter(pk=world.record("data_import", label).pk).first()
    return None if record is None else (record.pk, record.status, record.original_name)


CASES: list[Case] = [
    Case("data_overview", kind="relationship", shows="data_import"),
    Case("data_overview", kind="relationship", shows="data_source"),
    Case("import_add", kind="data_source", action=Action.ADD, method="post", ok=302,
         data=upload, state=import_count),
    Case("import_detail", kind="data_import"),
    Case("import_delete", kind="data_import", action=Action.DELETE),
    Case("import_delete", kind="data_import", action=Action.DELETE, method="post", ok=302,
         state=import_state),
]  # fmt: skip
