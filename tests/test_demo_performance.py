"""The demo's contracts, schedules and year of data tell the story the README tells.

The loader runs here with the year in one file per source: the same rows as
the demo's files (a back-loaded history, then one file a month), with fewer
recomputations. A second run shows that it changes nothing.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from accord.contracts.models import Contract, ScopeItem, ScopeStatus
from accord.core import signing
from accord.core.choices import Action, Side, Visibility
from accord.core.models import Signature
from accord.parties.demo import load_demo
from accord.parties.models import User
from accord.performance import demo
from accord.performance.models import (
    CostOfQualityNote,
    CreditForecast,
    CreditLine,
    CreditMonth,
    DataImport,
    Excusal,
    ExcusalStatus,
    ImportStatus,
    PeriodResult,
    RunStatus,
    ScheduleVersion,
    ScorecardRun,
)
from accord.performance.scorecards import latest_run

KEYS = ("ministry-northwind", "credit-northwind", "credit-harbour")
MONTHS = [
    "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04",
    "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
]  # fmt: skip
COUNTED = (
    Contract, ScopeItem, ScheduleVersion, DataImport, ScorecardRun, PeriodResult, CreditMonth,
    CreditLine, Excusal, Signature, CreditForecast, CostOfQualityNote,
)  # fmt: skip


def contract_of(key: str) -> Contract:
    spec = next(spec for spec in demo.DEMO_CONTRACTS if spec.relationship == key)
    return Contract.objects.get(reference=spec.terms["reference"])


def status_of(run: ScorecardRun, code: str, month: str) -> str:
    result = PeriodResult.objects.get(run=run, service_level__code=code, period=month, breakdown={})
    return result.status


def credits_of(run: ScorecardRun) -> set[tuple[str, str, str]]:
    """(month, level, trigger) of every credit line of the run."""
    return set(
        CreditLine.objects.filter(credit_month__run=run).values_list(
            "credit_month__month", "service_level__code", "trigger"
        )
    )


def earnbacks_of(run: ScorecardRun) -> set[tuple[str, str, str]]:
    """(month returned in, level, month of the credit) of every earnback of the run."""
    return {
        (month.month, line["code"], line["credit_month"])
        for month in CreditMonth.objects.filter(run=run)
        for line in month.detail["earnbacks"]
    }


def counts() -> dict[str, int]:
    return {model.__name__: model._base_manager.count() for model in COUNTED}


def test_the_demo_tells_its_story_and_loads_once(db: None) -> None:
    # One load for every check: it is the slow part.
    load_demo()
    out = io.StringIO()
    demo.load_performance_demo(stdout=out, file_months=(12,))
    output = out.getvalue()
    assert "Generating 12 months of contact-centre data" in output
    assert "Importing interactions-2025-11-to-2026-10.parquet (480,000 rows)" in output

    # Every relationship: a contract, the schedule as written, scope of each kind,
    # succeeded imports and a succeeded run with the twelve months.
    for key in KEYS:
        contract = contract_of(key)
        text = (demo.SCHEDULES / f"{key}.yaml").read_text()
        assert ScheduleVersion.objects.filter(contract=contract, document=text).exists()
        assert set(
            ScopeItem.objects.filter(relationship=contract.relationship).values_list(
                "status", flat=True
            )
        ) == set(ScopeStatus.values)
        imports = DataImport.objects.filter(source__contract=contract)
        assert imports.count() == 2
        assert set(imports.values_list("status", flat=True)) == {ImportStatus.SUCCEEDED}
        run = latest_run(contract)
        assert run is not None
        assert run.status == RunStatus.SUCCEEDED
        assert (run.first_period, run.last_period) == ("2025-11", "2026-10")
        monthly = PeriodResult.objects.filter(run=run, service_level__period="month")
        assert sorted(set(monthly.values_list("period", flat=True))) == MONTHS
        assert list(CreditMonth.objects.filter(run=run).values_list("month", flat=True)) == MONTHS

    # Ministry: PAY-TIME missed its minimum in May; excused, so no credit.
    ministry = contract_of("ministry-northwind")
    run = latest_run(ministry)
    assert run is not None
    assert status_of(run, "PAY-TIME", "2026-05") == "missed_minimum"
    assert run.excused == [["PAY-TIME", "2026-05"]]
    may = CreditMonth.objects.get(run=run, month="2026-05")
    assert [line["code"] for line in may.detail["excused"]] == ["PAY-TIME"]
    assert not CreditLine.objects.filter(credit_month=may).exists()
    # ...and the run before the excusal charged it.
    before = ScorecardRun.objects.filter(contract=ministry, pk__lt=run.pk).order_by("-pk").first()
    assert before is not None
    assert ("2026-05", "PAY-TIME", "minimum") in credits_of(before)
    excusal = Excusal.objects.get(contract=ministry)
    assert excusal.status == ExcusalStatus.APPROVED
    assert signing.is_cosigned(excusal)
    signers = {s.side: s.signer.username for s in signing.signatures(excusal)}
    assert signers == {Side.BUYER: "ministry.manager", Side.PROVIDER: "northwind.lead"}
    # HR-P1 missed its minimum in August: a credit, earned back in October.
    assert status_of(run, "HR-P1", "2026-08") == "missed_minimum"
    assert credits_of(run) == {("2026-08", "HR-P1", "minimum")}
    assert earnbacks_of(run) == {("2026-10", "HR-P1", "2026-08")}
    statuses = set(PeriodResult.objects.filter(run=run).values_list("status", flat=True))
    assert {"met", "missed_expected", "missed_minimum"} <= statuses

    # Northwind's contact centre: CC-CHAT's November credit, earned back in February.
    run = latest_run(contract_of("credit-northwind"))
    assert run is not None
    assert credits_of(run) == {("2025-11", "CC-CHAT", "minimum")}
    assert earnbacks_of(run) == {("2026-02", "CC-CHAT", "2025-11")}
    assert status_of(run, "CC-SL1", "2026-07") == "missed_expected"

    # Harbour: a minimum miss earned back, then a fourth miss that is chronic.
    run = latest_run(contract_of("credit-harbour"))
    assert run is not None
    assert credits_of(run) == {
        ("2026-04", "CC-SL1", "minimum"),
        ("2026-08", "CC-SL1", "nth_expected_miss"),
    }
    assert earnbacks_of(run) == {("2026-06", "CC-SL1", "2026-04")}
    chronic = CreditLine.objects.get(credit_month__run=run, credit_month__month="2026-08")
    assert chronic.earnback.startswith("no earnback: the credit is chronic")

    check_private_records_stay_on_their_side()

    # Loading again creates nothing.
    before_counts = counts()
    again = demo.load_performance_demo(file_months=(12,))
    assert again.created == 0
    assert counts() == before_counts


def check_private_records_stay_on_their_side() -> None:
    ministry = contract_of("ministry-northwind")
    buyer = User.objects.get(username="ministry.manager")
    provider = User.objects.get(username="northwind.lead")

    forecast = CreditForecast.objects.get(contract=ministry)
    assert forecast.visibility == Visibility.BUYER
    assert forecast.year == 2026
    assert forecast.based_on == latest_run(ministry)
    assert CreditForecast.objects.restrict(buyer, Action.VIEW).filter(pk=forecast.pk).exists()
    assert not CreditForecast.objects.restrict(provider, Action.VIEW).exists()

    notes = CostOfQualityNote.objects.filter(relationship=ministry.relationship)
    assert notes.count() == 1
    note = notes.get()
    assert note.visibility == Visibility.PROVIDER
    assert CostOfQualityNote.objects.restrict(provider, Action.VIEW).filter(pk=note.pk).exists()
    assert not CostOfQualityNote.objects.restrict(buyer, Action.VIEW).exists()


def test_the_demo_files_hold_the_same_rows_however_they_are_split(data_dir: Path) -> None:
    feed = demo.Feed("tickets", "tickets", rows=50, seed=3)
    split = demo.write_feed("check", feed)  # the demo's: history, then one file a month
    assert [path.name for path, _rows in split] == [
        "tickets-2025-11-to-2026-07.parquet",
        "tickets-2026-08.parquet",
        "tickets-2026-09.parquet",
        "tickets-2026-10.parquet",
    ]
    assert [rows for _path, rows in split] == [9 * 50, 50, 50, 50]
    yearly = demo.write_feed("check", feed, file_months=(12,))
    assert [path.name for path, _rows in yearly] == ["tickets-2025-11-to-2026-10.parquet"]
    joined = pa.concat_tables(pq.read_table(path) for path, _rows in split)
    assert joined.equals(pq.read_table(yearly[0][0]))
    # The same arguments write the same bytes: importing it again is the same file.
    first = yearly[0][0].read_bytes()
    demo.write_feed("check", feed, file_months=(12,))
    assert yearly[0][0].read_bytes() == first
    assert yearly[0][0].parent == data_dir / "demo-data" / "check"
    with pytest.raises(ValueError, match="must split 12 months"):
        demo.write_feed("check", feed, file_months=(6, 5))


def test_load_demo_loads_the_performance_demo_after_the_parties(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.parties.management.commands import load_demo as command

    calls: list[Any] = []

    def fake(stdout: Any = None, **options: Any) -> demo.PerformanceDemoSummary:
        calls.append(User.objects.filter(username="northwind.lead").exists())
        return demo.PerformanceDemoSummary(created=3, existing=4)

    monkeypatch.setattr(command, "load_performance_demo", fake)
    # The later loaders need the real contracts: here they only say when they ran.
    for name in ("load_planning_demo", "load_governance_demo", "load_issues_demo",
                 "load_changes_demo"):  # fmt: skip
        monkeypatch.setattr(command, name, lambda name=name: calls.append(name) or 0)
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    # Performance first (once, with the demo people already there), then the ways of working.
    assert calls == [True, "load_planning_demo", "load_governance_demo", "load_issues_demo",
                     "load_changes_demo"]  # fmt: skip
    assert "Demo performance data: 3 records created, 4 already there." in out.getvalue()
