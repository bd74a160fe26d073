"""A recomputation that cannot store its results ends ``failed``, never stuck ``running``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.conf import settings
from django.urls import reverse

from accord.core.testing import performance_factories as pf
from accord.performance.models import DataSource, PeriodResult, ScorecardRun
from accord.performance.scorecards import latest_run, recompute_scorecards
from tests.performance_scorecards.builders import build_scene

pytestmark = pytest.mark.django_db


def stored_tickets(source: DataSource) -> str:
    """A small validated Parquet file of P1 tickets, where an import would store it."""
    opened = [dt.datetime(2026, 1, 10, 18, tzinfo=dt.UTC)] * 3
    resolved = [t + dt.timedelta(hours=1) for t in opened]
    table = pa.table(
        {
            "ticket_id": ["a", "b", "c"],
            "priority": pa.array([1, 1, 1], pa.int64()),
            "opened_at": pa.array(opened, pa.timestamp("us", tz="UTC")),
            "resolved_at": pa.array(resolved, pa.timestamp("us", tz="UTC")),
        }
    )
    path = Path(settings.DATA_DIR) / "operational" / f"source-{source.pk}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return str(path.relative_to(settings.DATA_DIR))


def test_a_level_missing_from_the_rows_fails_the_run_with_a_message() -> None:
    # The schedule in force names level P1, but no ServiceLevel row mirrors it
    # (a schedule version written without syncing its levels).
    scene = build_scene()
    scene.run.delete()
    source = pf.DataSourceFactory(
        contract=scene.contract,
        name="tickets",
        columns={
            "ticket_id": "string",
            "priority": "integer",
            "opened_at": "timestamp",
            "resolved_at": "timestamp",
        },
    )
    pf.DataImportFactory(
        source=source,
        status="succeeded",
        error_count=0,
        errors=[],
        stored_path=stored_tickets(source),
    )

    run = recompute_scorecards(scene.contract.pk, "test")

    assert run is not None
    run.refresh_from_db()
    assert run.status == "failed"
    assert "P1" in run.message
    assert not PeriodResult.objects.filter(run=run).exists()  # nothing half-stored
    assert latest_run(scene.contract) is None
    assert not ScorecardRun.objects.filter(status="running").exists()
    html = scene.client().get(reverse("run_list", args=[scene.relationship.pk])).content.decode()
    assert "Failed" in html
