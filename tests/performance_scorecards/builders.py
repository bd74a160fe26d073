"""Build scorecard runs, results and credits for the page tests, with factories.

A :class:`Scene` is one relationship with a buyer manager, a provider manager,
a contract, a schedule version and a succeeded run; ``add_results`` fills the
run with level × period results whose statuses the test chooses.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from accord.core.choices import RoleName, Visibility
from accord.core.testing import performance_factories as pf
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.engine.periods import Month
from accord.performance.models import PeriodResult, ScorecardRun, ServiceLevel

# Value per status for a percent level with expected 95 and minimum 90.
VALUES = {"met": 97.5, "missed_expected": 93.4, "missed_minimum": 85.0}

# The small schedule with a business-hours calendar from Accord's library.
CALENDAR_SCHEDULE = pf.SMALL_SCHEDULE.replace(
    "service_levels:",
    "calendars:\n  office: bc-public-service\nservice_levels:",
).replace("    filter: priority = 1\n", "    filter: priority = 1\n    calendar: office\n")


@dataclass
class Scene:
    relationship: Any
    contract: Any
    version: Any
    run: ScorecardRun
    buyer: Any
    provider: Any
    levels: list[ServiceLevel] = field(default_factory=list)

    def client(self, who: str = "buyer") -> Client:
        client = Client()
        client.force_login(self.buyer if who == "buyer" else self.provider)
        return client


def build_scene(*, name: str = "Payroll services", document: str | None = None) -> Scene:
    buyer_org = OrganisationFactory(name=f"{name} buyer", kind="buyer")
    provider_org = OrganisationFactory(name=f"{name} provider", kind="provider")
    relationship = RelationshipFactory(name=name, buyer=buyer_org, provider=provider_org)
    buyer = UserFactory(username=f"{name.split()[0].lower()}-buyer", organisation=buyer_org)
    provider = UserFactory(
        username=f"{name.split()[0].lower()}-provider", organisation=provider_org
    )
    RoleFactory(relationship=relationship, person=buyer, role=RoleName.MANAGER)
    RoleFactory(relationship=relationship, person=provider, role=RoleName.MANAGER)
    contract = pf.ContractFactory(relationship=relationship, reference="MSA-1")
    version = pf.ScheduleVersionFactory(
        contract=contract, number=1, document=document or pf.SMALL_SCHEDULE
    )
    run = new_run(contract, version, reason="data import #1")
    return Scene(relationship, contract, version, run, buyer, provider)


def new_run(contract: Any, version: Any, *, status: str = "succeeded", **fields: Any) -> Any:
    return pf.ScorecardRunFactory(
        contract=contract, schedule_version=version, status=status, **fields
    )


def add_level(scene: Scene, code: str, **fields: Any) -> ServiceLevel:
    fields.setdefault("position", len(scene.levels))
    level = pf.ServiceLevelFactory(contract=scene.contract, code=code, **fields)
    scene.levels.append(level)
    return level


def months_from(first: Month, count: int) -> list[Month]:
    return [first.shift(step) for step in range(count)]


def result_row(
    run: ScorecardRun,
    level: ServiceLevel,
    month: Month,
    status: str,
    *,
    value: float | None = None,
    breakdown: dict[str, Any] | None = None,
) -> PeriodResult:
    """An unsaved result of ``level`` in ``month`` with ``status`` (and a value to match)."""
    shown = VALUES.get(status) if value is None else value
    end = month.shift(1)
    label = ", ".join(f"{k} = {v}" for k, v in (breakdown or {}).items())
    return PeriodResult(
        relationship_id=run.relationship_id,
        visibility=Visibility.JOINT,
        run=run,
        service_level=level,
        period=str(month),
        period_start=month.first_day(),
        period_end=end.first_day(),
        breakdown=breakdown or {},
        breakdown_label=label,
        value=shown,
        numerator=None if shown is None else shown * 2,
        denominator=None if shown is None else 200,
        volume=0 if shown is None else 200,
        expected=level.expected,
        minimum=level.minimum,
        status=status,
        rule=f"share of {level.code} tickets resolved within 4 hours",
    )


def add_results(
    run: ScorecardRun,
    levels: list[ServiceLevel],
    months: list[Month],
    status_of: Callable[[ServiceLevel, Month], str] = lambda level, month: "met",
) -> list[PeriodResult]:
    return PeriodResult.objects.bulk_create(
        result_row(run, level, month, status_of(level, month))
        for level in levels
        for month in months
    )


def add_credit_month(
    run: ScorecardRun,
    month: str,
    *,
    lines: Sequence[tuple[ServiceLevel, str, str]] = (),
    earnbacks: Sequence[dict[str, Any]] = (),
    cap: bool = False,
) -> Any:
    """A credit month with lines (level, trigger, amount), amounts like the engine's."""
    at_risk = decimal.Decimal("10000.00")
    amounts = [decimal.Decimal(amount) for _level, _trigger, amount in lines]
    before = sum(amounts, decimal.Decimal("0.00"))
    after = min(before, at_risk)
    earned = sum((decimal.Decimal(e["amount"]) for e in earnbacks), decimal.Decimal("0.00"))
    detail = {
        "month": month,
        "fee": "100000.00",
        "at_risk_amount": "10000.00",
        "at_risk_explanation": "10% × fee 100,000.00 (monthly fees) = 10,000.00 at risk",
        "lines": [],
        "excused": [],
        "misses_not_credited": [],
        "total_before_cap": str(before),
        "cap_applied": cap,
        "total_after_cap": str(after),
        "cap_explanation": "The credits add up to more than the at-risk amount." if cap else None,
        "earnbacks": list(earnbacks),
        "net": str(after + earned),
        "net_explanation": f"{after + earned} in credits, owed to the buyer",
    }
    credit_month = pf.CreditMonthFactory(
        run=run,
        month=month,
        month_start=dt.date(int(month[:4]), int(month[5:]), 1),
        total_before_cap=before,
        total_after_cap=after,
        earned_back=earned,
        net=after + earned,
        cap_applied=cap,
        detail=detail,
    )
    for level, trigger, amount in lines:
        charged = decimal.Decimal(amount) * after / before if cap else decimal.Decimal(amount)
        pf.CreditLineFactory(
            credit_month=credit_month,
            service_level=level,
            trigger=trigger,
            status="missed_minimum" if trigger == "minimum" else "missed_expected",
            amount=decimal.Decimal(amount),
            charged=charged.quantize(decimal.Decimal("0.01")),
            explanation=f"{level.code} credit in {month}: {amount}.",
            earnback="pending: returned in later months if met",
        )
    return credit_month
