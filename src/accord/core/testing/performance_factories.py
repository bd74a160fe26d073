"""factory_boy factories for contracts, schedules, data, scorecards, credits and excusals.

Rows are created directly (not through the services) so that tests and the
isolation world can build any state cheaply; service tests go through the
services instead.
"""

from __future__ import annotations

import datetime
import decimal

import factory
from django.utils import timezone

from accord.contracts.models import Contract, ScopeItem, ScopeStatus
from accord.core.choices import Visibility
from accord.core.models import Signature
from accord.core.testing.factories import RelationshipFactory
from accord.performance.models import (
    CostOfQualityNote,
    CreditForecast,
    CreditLine,
    CreditMonth,
    DataImport,
    DataSource,
    Excusal,
    ImportStatus,
    PeriodResult,
    ScheduleVersion,
    ScorecardRun,
    ServiceLevel,
)

# A small valid schedule: one source, one critical level, credits.
SMALL_SCHEDULE = """\
sources:
  tickets:
    time_column: opened_at
    columns:
      ticket_id: string
      priority: integer
      opened_at: timestamp
      resolved_at: timestamp
service_levels:
  - code: P1
    name: Priority 1 resolved within 4 hours
    kind: critical
    source: tickets
    filter: priority = 1
    measure:
      type: within
      start: opened_at
      end: resolved_at
      limit: 4h
    expected: 95
    minimum: 90
credits:
  allocations:
    P1: 50
  expected_miss_rule: {misses: 2, months: 6}
  earnback: {months: 2}
"""


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    relationship = factory.SubFactory(RelationshipFactory)
    visibility = Visibility.JOINT
    reference = factory.Sequence(lambda n: f"C-{n:04d}")
    title = "Managed services agreement"
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2030, 12, 31)
    currency = "CAD"
    timezone = "America/Vancouver"
    monthly_fee = decimal.Decimal("100000.00")
    at_risk_percent = decimal.Decimal("10")
    pool_percent = decimal.Decimal("200")


class _ContractChild(factory.django.DjangoModelFactory):
    """A record of a contract: its relationship and visibility follow the contract."""

    class Meta:
        abstract = True

    contract = factory.SubFactory(ContractFactory)
    relationship = factory.SelfAttribute("contract.relationship")
    visibility = Visibility.JOINT


class ScopeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScopeItem

    relationship = factory.SubFactory(RelationshipFactory)
    visibility = Visibility.JOINT
    status = ScopeStatus.IN_SCOPE
    title = factory.Sequence(lambda n: f"Service {n}")
    description = "Described in the statement of work."
    clause = "Sch. A 2.1"


class ScheduleVersionFactory(_ContractChild):
    class Meta:
        model = ScheduleVersion

    number = factory.Sequence(lambda n: n + 1)
    document = SMALL_SCHEDULE
    sha256 = "0" * 64


class ServiceLevelFactory(_ContractChild):
    class Meta:
        model = ServiceLevel

    code = factory.Sequence(lambda n: f"SL{n}")
    name = "Priority 1 resolved within 4 hours"
    kind = "critical"
    source = "tickets"
    measure = "within"
    unit = "percent"
    expected = decimal.Decimal("95")
    minimum = decimal.Decimal("90")
    allocation_percent = decimal.Decimal("50")


class DataSourceFactory(_ContractChild):
    class Meta:
        model = DataSource

    name = factory.Sequence(lambda n: f"source_{n}")
    columns = factory.LazyFunction(
        lambda: {"ticket_id": "string", "priority": "integer", "opened_at": "timestamp"}
    )
    time_column = "opened_at"


class DataImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataImport

    source = factory.SubFactory(DataSourceFactory)
    relationship = factory.SelfAttribute("source.relationship")
    visibility = Visibility.JOINT
    original_name = factory.Sequence(lambda n: f"tickets-{n}.csv")
    size_bytes = 1000
    sha256 = factory.Sequence(lambda n: f"{n:064d}")
    import_format = "standard"
    status = ImportStatus.FAILED
    rows = 10
    error_count = 1
    errors = factory.LazyFunction(
        lambda: [{"row": 3, "column": "priority", "value": "x", "message": "not an integer"}]
    )
    errors_by_column = factory.LazyFunction(lambda: {"priority": 1})
    finished_at = factory.LazyFunction(timezone.now)


class ScorecardRunFactory(_ContractChild):
    class Meta:
        model = ScorecardRun

    schedule_version = factory.SubFactory(
        ScheduleVersionFactory, contract=factory.SelfAttribute("..contract")
    )
    status = "succeeded"
    reason = "test"
    first_period = "2026-01"
    last_period = "2026-01"
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)


class PeriodResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodResult

    run = factory.SubFactory(ScorecardRunFactory)
    service_level = factory.SubFactory(
        ServiceLevelFactory, contract=factory.SelfAttribute("..run.contract")
    )
    relationship = factory.SelfAttribute("run.relationship")
    visibility = Visibility.JOINT
    period = "2026-01"
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 2, 1)
    value = 93.5
    numerator = 187
    denominator = 200
    volume = 200
    expected = decimal.Decimal("95")
    minimum = decimal.Decimal("90")
    status = "missed_expected"
    rule = "share of priority 1 tickets resolved within 4 hours"


class CreditMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditMonth

    run = factory.SubFactory(ScorecardRunFactory)
    relationship = factory.SelfAttribute("run.relationship")
    visibility = Visibility.JOINT
    month = "2026-01"
    month_start = datetime.date(2026, 1, 1)
    fee = decimal.Decimal("100000.00")
    at_risk_amount = decimal.Decimal("10000.00")
    total_before_cap = decimal.Decimal("5000.00")
    total_after_cap = decimal.Decimal("5000.00")
    earned_back = decimal.Decimal("0.00")
    net = decimal.Decimal("5000.00")
    detail = factory.LazyFunction(dict)


class CreditLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditLine

    credit_month = factory.SubFactory(CreditMonthFactory)
    service_level = factory.SubFactory(
        ServiceLevelFactory, contract=factory.SelfAttribute("..credit_month.run.contract")
    )
    relationship = factory.SelfAttribute("credit_month.relationship")
    visibility = Visibility.JOINT
    status = "missed_minimum"
    trigger = "minimum"
    allocation_percent = decimal.Decimal("50")
    amount = decimal.Decimal("5000.00")
    charged = decimal.Decimal("5000.00")
    explanation = "P1 missed its minimum: 50% of the at-risk amount 10,000.00 = 5,000.00"


class ExcusalFactory(_ContractChild):
    class Meta:
        model = Excusal

    service_level = factory.SubFactory(
        ServiceLevelFactory, contract=factory.SelfAttribute("..contract")
    )
    month = "2026-01"
    reason = "The buyer delivered the January master data six days late."


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    relationship = factory.SelfAttribute("target.relationship")
    visibility = Visibility.JOINT
    object_type = "performance.excusal"
    object_id = factory.LazyAttribute(lambda s: str(s.target.pk))
    version = factory.LazyAttribute(lambda s: s.target.version)
    side = "provider"
    signed_at = factory.LazyFunction(timezone.now)

    class Params:
        target = factory.SubFactory(ExcusalFactory)


class CreditForecastFactory(_ContractChild):
    class Meta:
        model = CreditForecast

    visibility = Visibility.BUYER
    year = 2026
    method = "Each critical level's misses of the last three months repeated."
    lines = factory.LazyFunction(list)
    total = decimal.Decimal("0.00")


class CostOfQualityNoteFactory(_ContractChild):
    class Meta:
        model = CostOfQualityNote

    visibility = Visibility.PROVIDER
    month = "2026-01"
    title = factory.Sequence(lambda n: f"Rework cost {n}")
    amount = decimal.Decimal("1200.00")
    body = "Overtime to clear the backlog."
