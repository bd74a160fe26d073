"""Recomputing a contract's scorecards and credits with the engine, and reading them back.

A recomputation evaluates the schedule in force over every month the data
covers, with the excusals both sides signed, and stores the outcome as a
:class:`~accord.performance.models.ScorecardRun` with its results and
credits. Runs are kept: the newest succeeded run is the scorecard, and each
run names the schedule version, the imports and the engine versions it used.
"""

from __future__ import annotations

import decimal
import logging
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accord.contracts.models import Contract
from accord.core.choices import Visibility
from accord.engine.credits import CreditReport, MonthCredits
from accord.engine.evaluate import Evaluation, engine_versions, evaluate
from accord.engine.periods import Month, parse_month
from accord.engine.schedule import Schedule
from accord.engine.sources import DataLocation
from accord.performance import schedules
from accord.performance.models import (
    CreditLine,
    CreditMonth,
    DataImport,
    DataSource,
    Excusal,
    ExcusalStatus,
    ImportStatus,
    PeriodResult,
    RunStatus,
    ScorecardRun,
    ServiceLevel,
)

logger = logging.getLogger(__name__)

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


def latest_run(contract: Contract) -> ScorecardRun | None:
    """The scorecard in force: the newest run that succeeded."""
    return (
        ScorecardRun.objects.filter(contract=contract, status=RunStatus.SUCCEEDED)
        .order_by("-pk")
        .first()
    )


def approved_excusals(contract: Contract) -> list[tuple[str, Month]]:
    rows = Excusal.objects.filter(contract=contract, status=ExcusalStatus.APPROVED)
    return sorted(
        (code, parse_month(month))
        for code, month in rows.values_list("service_level__code", "month")
    )


def _empty_source(directory: Path, source: DataSource) -> str:
    """A Parquet file with the source's columns and no rows: its levels show no data."""
    schema = pa.schema([(name, ARROW_TYPES[kind]) for name, kind in source.columns.items()])
    path = directory / f"{source.name}-empty.parquet"
    pq.write_table(schema.empty_table(), path)
    return str(path)


def recompute_scorecards(contract_id: int, reason: str) -> ScorecardRun | None:
    """Evaluate the contract's schedule in force on all its data; store the run.

    Returns None when there is nothing to compute (no schedule, or no data
    yet). A schedule or data problem ends the run ``failed`` with its message.
    """
    from accord.performance.services import current_version

    contract = Contract._base_manager.get(pk=contract_id)
    version = current_version(contract)
    if version is None:
        return None
    sources = {source.name: source for source in DataSource._base_manager.filter(contract=contract)}
    imports = list(
        DataImport._base_manager.filter(
            source__contract=contract, status=ImportStatus.SUCCEEDED
        ).select_related("source")
    )
    if not imports:
        return _without_data(contract, version, reason)
    run = ScorecardRun.objects.create(
        relationship_id=contract.relationship_id,
        visibility=Visibility.JOINT,
        contract=contract,
        schedule_version=version,
        reason=reason[:300],
        started_at=timezone.now(),
        engine_versions=engine_versions(),
    )
    run.imports.set(imports)
    excused = approved_excusals(contract)
    try:
        schedule = schedules.build_schedule(contract, version.document)
        with tempfile.TemporaryDirectory(dir=settings.DATA_DIR) as scratch:
            data = _data_locations(schedule, sources, imports, Path(scratch))
            evaluation = evaluate(schedule, data, excused=excused, threads=_threads())
    except Exception as exc:
        logger.warning("Scorecard run %s failed: %s", run.pk, exc)
        _end(run, RunStatus.FAILED, message=str(exc)[:4000])
        return run
    try:
        with transaction.atomic():
            _store(run, contract, evaluation)
            run.excused = [[code, str(month)] for code, month in excused]
            _end(run, RunStatus.SUCCEEDED, first=str(evaluation.first), last=str(evaluation.last))
    except Exception as exc:
        # Nothing of the run's results was kept (the transaction rolled back); end it
        # failed rather than leave it "running" for ever.
        logger.exception("Scorecard run %s could not be stored", run.pk)
        run.pending_earnbacks, run.rounding_rule, run.excused = [], "", []
        _end(run, RunStatus.FAILED, message=f"Storing the results failed: {exc!r}"[:4000])
    return run


def _without_data(contract: Contract, version: Any, reason: str) -> ScorecardRun | None:
    """Nothing to compute: None, unless a scorecard exists, which must then be emptied.

    When the last import is removed, the newest succeeded run would otherwise
    go on showing figures computed from data that is gone; an empty succeeded
    run (no results, no credits) replaces it as the scorecard.
    """
    if latest_run(contract) is None:
        return None
    now = timezone.now()
    return ScorecardRun.objects.create(
        relationship_id=contract.relationship_id,
        visibility=Visibility.JOINT,
        contract=contract,
        schedule_version=version,
        reason=reason[:300],
        status=RunStatus.SUCCEEDED,
        message="No data imported: nothing to compute.",
        started_at=now,
        finished_at=now,
        engine_versions=engine_versions(),
    )


def _threads() -> int | None:
    return getattr(settings, "ACCORD_ENGINE_THREADS", None)


def _data_locations(
    schedule: Schedule,
    sources: dict[str, DataSource],
    imports: list[DataImport],
    scratch: Path,
) -> dict[str, DataLocation]:
    files: dict[str, list[str]] = {}
    for record in imports:
        files.setdefault(record.source.name, []).append(
            str(Path(settings.DATA_DIR) / record.stored_path)
        )
    data = {}
    for name in {level.source for level in schedule.service_levels}:
        paths = files.get(name) or [_empty_source(scratch, sources[name])]
        data[name] = DataLocation.of_parquet_files(sorted(paths))
    return data


def _end(
    run: ScorecardRun, status: str, *, message: str = "", first: str = "", last: str = ""
) -> None:
    run.status = status
    run.message = message
    run.first_period = first
    run.last_period = last
    run.finished_at = timezone.now()
    run.save()


def _breakdown_label(breakdown: dict[str, Any]) -> str:
    return ", ".join(
        f"{key} = {'(none)' if value is None else value}" for key, value in breakdown.items()
    )


def _store(run: ScorecardRun, contract: Contract, evaluation: Evaluation) -> None:
    levels = {level.code: level for level in ServiceLevel.objects.filter(contract=contract)}
    common = {"relationship_id": contract.relationship_id, "visibility": Visibility.JOINT}
    PeriodResult.objects.bulk_create(
        PeriodResult(
            run=run,
            service_level=levels[result.code],
            period=result.period,
            period_start=result.period_start,
            period_end=result.period_end,
            breakdown=result.breakdown,
            breakdown_label=_breakdown_label(result.breakdown)[:300],
            value=result.value,
            numerator=result.numerator,
            denominator=result.denominator,
            volume=result.volume,
            expected=result.expected,
            minimum=result.minimum,
            status=result.status,
            rule=result.rule,
            **common,
        )
        for result in evaluation.results
    )
    report = evaluation.credits
    if report is None:
        return
    run.pending_earnbacks = report.to_dict()["pending_earnbacks"]
    run.rounding_rule = report.rounding_rule
    for entry in report.months:
        month = _store_month(run, entry, report, common)
        CreditLine.objects.bulk_create(
            CreditLine(
                credit_month=month,
                service_level=levels[line.code],
                status=line.status,
                trigger=line.trigger,
                allocation_percent=line.allocation,
                amount=report.cents(line.amount),
                charged=report.cents(line.charged),
                explanation=line.explanation,
                earnback=line.earnback or "",
                **common,
            )
            for line in entry.lines
        )


def _store_month(
    run: ScorecardRun, entry: MonthCredits, report: CreditReport, common: dict[str, Any]
) -> CreditMonth:
    earned_back = sum((line.amount for line in entry.earnbacks), decimal.Decimal(0))
    return CreditMonth.objects.create(
        run=run,
        month=str(entry.month),
        month_start=entry.month.first_day(),
        fee=report.cents(entry.fee),
        at_risk_amount=report.cents(entry.at_risk_amount),
        total_before_cap=report.cents(entry.total_before_cap),
        total_after_cap=report.cents(entry.total_after_cap),
        earned_back=report.cents(earned_back),
        net=report.cents(entry.net),
        cap_applied=entry.cap_applied,
        detail=entry.to_dict(report.rounding),
        **common,
    )
