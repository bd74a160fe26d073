"""The relationship launch and the annual joint plan: objectives, checkpoints, co-signing.

Each year (the first one is the launch) both executive teams meet and agree
a short list of joint objectives: "if nothing else happens, what must we
accomplish this year to call it a success". The plan takes effect when one
executive of each side has signed the same version (:mod:`accord.core.signing`);
an edit of its content after that bumps the version, voids the signatures
and leaves a :class:`PlanRevision` saying what changed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from accord.core.models import ComputedRecord, RelationshipRecord
from accord.performance.focus import LevelFocus


class PlanningCycle(RelationshipRecord):
    """One year's joint plan of a relationship (the launch, then each annual session).

    Joint and co-signed by an executive of each side. ``version`` counts edits
    of the plan's content (its own texts and its objectives' definitions);
    progress (checkpoint statuses and commentary) does not change it.
    ``reviewed_at`` marks the year-end review, after which each unfinished
    objective has an explicit decision (carried forward or closed).
    """

    year = models.PositiveIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(max_length=200)
    is_launch = models.BooleanField(
        default=False, help_text="The relationship launch rather than an annual planning session."
    )
    session_date = models.DateField(null=True, blank=True, help_text="When both teams met.")
    buyer_drivers = models.TextField(blank=True, help_text="What drives the buyer this year.")
    provider_drivers = models.TextField(blank=True, help_text="What drives the provider this year.")
    changes_past_year = models.TextField(
        blank=True, help_text="What changed in either side's world in the past year."
    )
    version = models.PositiveIntegerField(default=1)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["relationship", "year"], name="one_plan_per_year")
        ]

    def __str__(self) -> str:
        return self.title or f"Joint plan {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("plan_detail", kwargs={"pk": self.pk})


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


# Statuses an objective can no longer leave in its year: the year-end review skips them.
FINISHED_STATUSES = (ObjectiveStatus.ACHIEVED, ObjectiveStatus.DROPPED)


class LinkedFigure(models.TextChoices):
    """What an objective's success measure reads by itself, if anything."""

    NONE = "", "Nothing (assessed at checkpoints)"
    SERVICE_LEVEL = "service_level", "A service level's monthly result"
    HEALTH_INDEX = "health_index", "The relationship health index"


class YearEndDecision(models.TextChoices):
    NONE = "", "Not reviewed"
    CARRIED_FORWARD = "carried_forward", "Carried forward"
    CLOSED = "closed", "Closed"


class Objective(RelationshipRecord):
    """One joint objective of a year's plan. Joint.

    Its definition (statement, measure, owners, target date, focus, link) is
    part of the signed plan; its status and checkpoints are progress.
    ``focus`` feeds warning sign 3 (success measured only by savings).
    A measure linked to a service level or the health index shows its
    latest figure against ``target_value`` by itself.
    """

    cycle = models.ForeignKey(PlanningCycle, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveIntegerField(default=0)
    statement = models.TextField()
    success_measure = models.TextField(help_text="How both sides will know it was achieved.")
    focus = models.CharField(max_length=20, choices=LevelFocus.choices, default=LevelFocus.OTHER)
    linked_figure = models.CharField(
        max_length=20, choices=LinkedFigure.choices, default=LinkedFigure.NONE, blank=True
    )
    service_level = models.ForeignKey(
        "performance.ServiceLevel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
    )
    target_value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    buyer_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    provider_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    target_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ObjectiveStatus.choices, default=ObjectiveStatus.NOT_STARTED
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_into"
    )
    year_end_decision = models.CharField(
        max_length=20, choices=YearEndDecision.choices, default=YearEndDecision.NONE, blank=True
    )
    year_end_note = models.TextField(blank=True)

    class Meta:
        ordering = ["cycle", "position", "pk"]

    def __str__(self) -> str:
        return self.statement[:80]

    def get_absolute_url(self) -> str:
        return reverse("objective_detail", kwargs={"pk": self.pk})


class CheckpointStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed yet"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    ACHIEVED = "achieved", "Achieved"


class Checkpoint(RelationshipRecord):
    """A progress checkpoint of an objective (quarterly by default), with each side's
    commentary. Joint; progress, so editing it does not touch the plan's signatures."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="checkpoints")
    label = models.CharField(max_length=40, help_text="e.g. Q1 2026")
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=CheckpointStatus.choices, default=CheckpointStatus.NOT_ASSESSED
    )
    buyer_commentary = models.TextField(blank=True)
    provider_commentary = models.TextField(blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["objective", "due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("objective_detail", kwargs={"pk": self.objective_id})


class PlanRevision(ComputedRecord):
    """What an edit changed in a plan whose current version had signatures.

    Written by the planning services when an edit voids signatures, so both
    sides see why they must sign again: ``changes`` is a list of
    ``{"what": ..., "field": ..., "before": ..., "after": ...}``.
    """

    cycle = models.ForeignKey(PlanningCycle, on_delete=models.CASCADE, related_name="revisions")
    from_version = models.PositiveIntegerField()
    to_version = models.PositiveIntegerField()
    changes = models.JSONField(default=list)
    voided_sides = models.JSONField(default=list, help_text="Sides whose signatures were voided.")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-to_version", "-pk"]

    def __str__(self) -> str:
        return f"v{self.from_version} → v{self.to_version}"

    def get_absolute_url(self) -> str:
        return reverse("plan_detail", kwargs={"pk": self.cycle_id})
