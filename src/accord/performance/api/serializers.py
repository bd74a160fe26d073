"""Schedules, service levels, data sources, imports, scorecard runs, results and credits.

Related records named in a request body are resolved through ``restrict``
(:class:`~accord.core.api.fields.RestrictedPrimaryKeyRelatedField`): an id
you cannot see fails exactly like an id that does not exist.
"""

from __future__ import annotations

from rest_framework import serializers

from accord.contracts.models import Contract
from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.parties.models import User
from accord.performance.models import (
    CreditLine,
    CreditMonth,
    DataImport,
    DataSource,
    PeriodResult,
    ScheduleVersion,
    ScorecardRun,
    ServiceLevel,
)


def _username() -> serializers.SlugRelatedField[User]:
    return serializers.SlugRelatedField(slug_field="username", read_only=True)


class ScheduleVersionSerializer(serializers.ModelSerializer[ScheduleVersion]):
    contract = RestrictedPrimaryKeyRelatedField(queryset=Contract.objects.all())
    created_by = _username()

    class Meta:
        model = ScheduleVersion
        fields = [
            "id", "contract", "number", "document", "summary", "sha256", "created_by",
            "created_at",
        ]  # fmt: skip
        read_only_fields = ["number", "sha256", "created_at"]
        validators: list[object] = []  # numbering is the service's job
        extra_kwargs = {"document": {"trim_whitespace": False}}


class ServiceLevelSerializer(serializers.ModelSerializer[ServiceLevel]):
    """A level of the schedule in force. A PATCH of its targets makes a new schedule version."""

    class Meta:
        model = ServiceLevel
        fields = [
            "id", "contract", "code", "name", "kind", "source", "measure", "unit", "direction",
            "period", "expected", "minimum", "minimum_volume", "allocation_percent", "breakdown",
            "calendar", "position", "retired",
        ]  # fmt: skip
        read_only_fields = [
            "contract", "code", "source", "measure", "unit", "direction", "period", "breakdown",
            "calendar", "position", "retired",
        ]  # fmt: skip
        validators: list[object] = []


class DataSourceSerializer(serializers.ModelSerializer[DataSource]):
    """A source the schedule declares; how its files are read is changed here."""

    columns = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = DataSource
        fields = [
            "id", "contract", "name", "description", "columns", "time_column", "import_format",
            "timezone", "retired",
        ]  # fmt: skip
        read_only_fields = ["contract", "name", "time_column", "retired"]
        validators: list[object] = []


class ImportErrorSerializer(serializers.Serializer[dict[str, object]]):
    """One bad value of an import: its row as a spreadsheet shows it (header = row 1)."""

    row = serializers.IntegerField()
    column = serializers.CharField(allow_blank=True, help_text="Empty for the file as a whole.")
    value = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class DataImportSerializer(serializers.ModelSerializer[DataImport]):
    contract = serializers.IntegerField(source="source.contract_id", read_only=True)
    percent_done = serializers.IntegerField(read_only=True)
    # A declared field (the metaclass takes it off the class), not Serializer.errors.
    errors = ImportErrorSerializer(many=True, read_only=True)  # type: ignore[assignment]
    errors_by_column = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    created_by = _username()

    class Meta:
        model = DataImport
        fields = [
            "id", "contract", "source", "original_name", "size_bytes", "sha256",
            "import_format", "status", "progress_done", "progress_total", "percent_done",
            "rows", "first_instant", "last_instant", "error_count", "errors",
            "errors_by_column", "message", "created_by", "created_at", "started_at",
            "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


class DataImportUploadSerializer(serializers.Serializer[DataImport]):
    """A file for one data source (multipart): CSV, Parquet or the source's export format."""

    # A declared field (the metaclass takes it off the class), not Field.source.
    source = RestrictedPrimaryKeyRelatedField(queryset=DataSource.objects.all())  # type: ignore[assignment]
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class ScorecardRunSerializer(serializers.ModelSerializer[ScorecardRun]):
    imports: serializers.PrimaryKeyRelatedField[DataImport] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    engine_versions = serializers.DictField(child=serializers.CharField(), read_only=True)
    excused = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        read_only=True,
        help_text="[service level code, YYYY-MM] pairs excused in this run.",
    )

    class Meta:
        model = ScorecardRun
        fields = [
            "id", "contract", "schedule_version", "imports", "status", "reason", "message",
            "first_period", "last_period", "excused", "engine_versions", "pending_earnbacks",
            "rounding_rule", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


class PeriodResultSerializer(serializers.ModelSerializer[PeriodResult]):
    contract = serializers.IntegerField(source="run.contract_id", read_only=True)
    schedule_version = serializers.IntegerField(source="run.schedule_version_id", read_only=True)
    service_level_code = serializers.CharField(source="service_level.code", read_only=True)
    breakdown = serializers.DictField(read_only=True)

    class Meta:
        model = PeriodResult
        fields = [
            "id", "run", "contract", "schedule_version", "service_level", "service_level_code",
            "period", "period_start", "period_end", "breakdown", "breakdown_label", "value",
            "numerator", "denominator", "volume", "expected", "minimum", "status", "rule",
        ]  # fmt: skip
        read_only_fields = fields


class CreditMonthSerializer(serializers.ModelSerializer[CreditMonth]):
    contract = serializers.IntegerField(source="run.contract_id", read_only=True)
    currency = serializers.CharField(source="run.contract.currency", read_only=True)

    class Meta:
        model = CreditMonth
        fields = [
            "id", "run", "contract", "month", "month_start", "currency", "fee",
            "at_risk_amount", "total_before_cap", "total_after_cap", "earned_back", "net",
            "cap_applied", "detail",
        ]  # fmt: skip
        read_only_fields = fields


class CreditLineSerializer(serializers.ModelSerializer[CreditLine]):
    run = serializers.IntegerField(source="credit_month.run_id", read_only=True)
    contract = serializers.IntegerField(source="credit_month.run.contract_id", read_only=True)
    month = serializers.CharField(source="credit_month.month", read_only=True)
    service_level_code = serializers.CharField(source="service_level.code", read_only=True)

    class Meta:
        model = CreditLine
        fields = [
            "id", "credit_month", "run", "contract", "month", "service_level",
            "service_level_code", "status", "trigger", "allocation_percent", "amount",
            "charged", "explanation", "earnback",
        ]  # fmt: skip
        read_only_fields = fields
