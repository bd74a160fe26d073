"""Service levels, operational data, scorecards, credits and excusals.

Everything here is joint (both sides work from the same numbers) except the
buyer's credit forecast and the provider's cost-of-quality notes, which are
private to their side whatever is asked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accord.core.choices import Visibility
from accord.core.models import RelationshipRecord, SidePrivateRecord
from accord.engine.results import STATUSES
from accord.performance.focus import LevelFocus


def money_field(**options: Any) -> Any:
    """An amount of money: exact, to the cent."""
    return models.DecimalField(max_digits=16, decimal_places=2, **options)


def percent_field(**options: Any) -> Any:
    """A target or percentage as the schedule states it (up to three decimals)."""
    return models.DecimalField(max_digits=9, decimal_places=3, **options)


class ScheduleVersion(RelationshipRecord):
    """One version of a contract's schedule: the engine's YAML, as written or uploaded.

    Versions are never edited: a change makes a new one. The newest version is
    in force; scorecard runs record the version they used, so a past month
    can be explained after the schedule changes.
    """

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="schedule_versions"
    )
    number = models.PositiveIntegerField()
    document = models.TextField(help_text="The schedule in the engine's YAML.")
    summary = models.CharField(max_length=300, blank=True, help_text="What changed.")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="schedule_version_unique")
        ]

    def __str__(self) -> str:
        return f"Schedule v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("schedule_version", kwargs={"pk": self.pk})


class LevelKind(models.TextChoices):
    CRITICAL = "critical", "Critical service level"
    KEY = "key", "Key measurement"


class ServiceLevel(RelationshipRecord):
    """A service level of the schedule in force, kept in step with it.

    The schedule document is the authority; these rows mirror its levels so
    that results, excusals and the API can point at a level. A level that
    leaves the schedule is marked ``retired`` (its history stays).
    """

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="service_levels"
    )
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=LevelKind.choices)
    source = models.CharField(max_length=64)
    measure = models.CharField(max_length=20)
    unit = models.CharField(max_length=30, blank=True)
    direction = models.CharField(max_length=10, default="higher")
    period = models.CharField(max_length=10, default="month")
    expected = percent_field()
    minimum = percent_field(null=True, blank=True)
    minimum_volume = models.PositiveIntegerField(default=0)
    allocation_percent = percent_field(null=True, blank=True)
    breakdown = models.JSONField(default=list, blank=True)
    calendar = models.CharField(max_length=64, blank=True)
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)
    focus = models.CharField(
        max_length=20, choices=LevelFocus.choices, blank=True,
        help_text="What the level is about; guessed from its name when it first appears.",
    )  # fmt: skip

    class Meta:
        ordering = ["contract", "retired", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], name="service_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("service_level_detail", kwargs={"pk": self.pk})

    @property
    def is_critical(self) -> bool:
        return self.kind == LevelKind.CRITICAL


class ImportFormat(models.TextChoices):
    STANDARD = "standard", "CSV or Parquet with the declared columns"
    SERVICENOW = "servicenow", "ServiceNow incident export (event log)"


class DataSource(RelationshipRecord):
    """A source of operational data declared by the schedule, with import settings.

    ``columns`` and ``time_column`` mirror the schedule; ``import_format`` and
    ``timezone`` (for files whose timestamps carry no zone, such as a
    ServiceNow export) are settings people change here.
    """

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="data_sources"
    )
    name = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    columns = models.JSONField(default=dict)
    time_column = models.CharField(max_length=64)
    import_format = models.CharField(
        max_length=12, choices=ImportFormat.choices, default=ImportFormat.STANDARD
    )
    timezone = models.CharField(
        max_length=64,
        blank=True,
        help_text="Time zone of timestamps written without one (a ServiceNow export's are).",
    )
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["contract", "retired", "name"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "name"], name="data_source_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("data_overview", kwargs={"pk": self.relationship_id})

    @property
    def storage_dir(self) -> Path:
        """Where this source's validated Parquet files live (one per import)."""
        return (
            Path(settings.DATA_DIR)
            / "operational"
            / f"relationship-{self.relationship_id}"
            / f"source-{self.pk}"
        )


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Imported"
    FAILED = "failed", "Failed"


LIVE_IMPORT_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.SUCCEEDED)


class DataImport(RelationshipRecord):
    """One uploaded file of operational data and what became of it.

    An import is all-or-nothing: it either stores one validated Parquet file
    (``stored_path``) or nothing, with its errors listed (the first 100, with
    counts per column). The same file (by SHA-256) imported twice into a
    source is one import: the database refuses a second live one.
    """

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="imports")
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    import_format = models.CharField(max_length=12, choices=ImportFormat.choices)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveBigIntegerField(default=0)
    first_instant = models.DateTimeField(null=True, blank=True)
    last_instant = models.DateTimeField(null=True, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    errors_by_column = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    staged_path = models.CharField(max_length=500, blank=True)
    stored_path = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"progress_done", "progress_total"})

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "sha256"],
                condition=Q(status__in=LIVE_IMPORT_STATUSES),
                name="one_live_import_per_file",
            )
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk} {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("import_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)

    @property
    def percent_done(self) -> int:
        if not self.progress_total:
            return 100 if self.is_finished else 0
        return min(100, int(100 * self.progress_done / self.progress_total))


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ScorecardRun(RelationshipRecord):
    """One recomputation of a contract's scorecards by the engine.

    It records what it was computed from (the schedule version, the imports
    and the engine's versions) and why it ran. The newest succeeded run is
    the scorecard people see; older runs stay, so every figure keeps its story.
    """

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="scorecard_runs"
    )
    schedule_version = models.ForeignKey(
        ScheduleVersion, on_delete=models.PROTECT, related_name="runs"
    )
    imports = models.ManyToManyField(DataImport, related_name="runs", blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    reason = models.CharField(max_length=300)
    message = models.TextField(blank=True)
    first_period = models.CharField(max_length=7, blank=True)
    last_period = models.CharField(max_length=7, blank=True)
    excused = models.JSONField(default=list, blank=True, help_text="[code, YYYY-MM] pairs.")
    engine_versions = models.JSONField(default=dict, blank=True)
    pending_earnbacks = models.JSONField(default=list, blank=True)
    rounding_rule = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Scorecard run #{self.pk}"


STATUS_CHOICES = [(status, status.replace("_", " ")) for status in STATUSES]


class PeriodResult(RelationshipRecord):
    """A service level's value in one period (and breakdown group), as one run computed it."""

    audited = False  # computed: the run is audited

    run = models.ForeignKey(ScorecardRun, on_delete=models.CASCADE, related_name="results")
    service_level = models.ForeignKey(
        ServiceLevel, on_delete=models.CASCADE, related_name="results"
    )
    period = models.CharField(max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    breakdown = models.JSONField(default=dict, blank=True)
    breakdown_label = models.CharField(max_length=300, blank=True)
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    volume = models.PositiveBigIntegerField(default=0)
    expected = percent_field()
    minimum = percent_field(null=True, blank=True)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    rule = models.TextField()

    class Meta:
        ordering = ["service_level__position", "period_start", "breakdown_label", "pk"]
        indexes = [models.Index(fields=["run", "service_level", "period_start"])]

    def __str__(self) -> str:
        group = f" [{self.breakdown_label}]" if self.breakdown_label else ""
        return f"{self.service_level.code} {self.period}{group}"

    def get_absolute_url(self) -> str:
        return reverse("result_detail", kwargs={"pk": self.pk})


class CreditMonth(RelationshipRecord):
    """The service credits of one month as one run computed them.

    ``detail`` keeps the engine's whole statement of the month (its lines,
    excused misses, misses not credited, cap and earnbacks, each with the
    arithmetic in words); the amounts are also columns for totals.
    """

    audited = False  # computed: the run is audited

    run = models.ForeignKey(ScorecardRun, on_delete=models.CASCADE, related_name="credit_months")
    month = models.CharField(max_length=7)
    month_start = models.DateField()
    fee = money_field()
    at_risk_amount = money_field()
    total_before_cap = money_field()
    total_after_cap = money_field()
    earned_back = money_field(help_text="Earnbacks returned (negative).")
    net = money_field()
    cap_applied = models.BooleanField(default=False)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["month_start", "pk"]

    def __str__(self) -> str:
        return f"Credits {self.month}"

    def get_absolute_url(self) -> str:
        return reverse("credit_month_detail", kwargs={"pk": self.pk})


class CreditLine(RelationshipRecord):
    """One level's credit in one month, with its explanation."""

    audited = False  # computed: the run is audited

    credit_month = models.ForeignKey(CreditMonth, on_delete=models.CASCADE, related_name="lines")
    service_level = models.ForeignKey(
        ServiceLevel, on_delete=models.CASCADE, related_name="credit_lines"
    )
    status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    trigger = models.CharField(max_length=20)
    allocation_percent = models.DecimalField(max_digits=12, decimal_places=6)
    amount = money_field()
    charged = money_field()
    explanation = models.TextField()
    earnback = models.TextField(blank=True)

    class Meta:
        ordering = ["credit_month__month_start", "service_level__position", "pk"]

    def __str__(self) -> str:
        return f"Credit {self.service_level.code} {self.credit_month.month}"

    def get_absolute_url(self) -> str:
        return reverse("credit_line_detail", kwargs={"pk": self.pk})


class ExcusalStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved (co-signed)"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Excusal(RelationshipRecord):
    """The provider's request for relief from a service level in one month.

    The provider requests it with a reason (say, the buyer delivered data
    late); the buyer approves or declines. Approval is co-signing: it takes
    effect when a signatory of each side has signed the same ``version``
    (an edit of the reason bumps it and voids earlier signatures), and the
    credits are then recomputed with the miss excused.
    """

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="excusals"
    )
    service_level = models.ForeignKey(
        ServiceLevel, on_delete=models.CASCADE, related_name="excusals"
    )
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=ExcusalStatus.choices, default=ExcusalStatus.REQUESTED
    )
    version = models.PositiveIntegerField(default=1)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-month", "-pk"]

    def __str__(self) -> str:
        return f"Excusal {self.service_level.code} {self.month}"

    def get_absolute_url(self) -> str:
        return reverse("excusal_detail", kwargs={"pk": self.pk})


class CreditForecast(SidePrivateRecord):
    """The buyer's private forecast of credits for the rest of a contract year."""

    private_to = Visibility.BUYER

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="credit_forecasts"
    )
    year = models.PositiveIntegerField()
    based_on = models.ForeignKey(
        ScorecardRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    method = models.TextField(help_text="How the forecast was made, in words.")
    lines = models.JSONField(default=list)
    total = money_field()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Credit forecast {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("forecast_detail", kwargs={"pk": self.pk})


class CostOfQualityNote(SidePrivateRecord):
    """The provider's private note of what quality cost it (rework, overtime, penalties)."""

    private_to = Visibility.PROVIDER

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="cost_notes"
    )
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    service_level = models.ForeignKey(
        ServiceLevel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    amount = money_field(null=True, blank=True)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["-month", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cost_note_detail", kwargs={"pk": self.pk})
