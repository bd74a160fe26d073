"""Issues, worked by interest-based negotiation and escalated up the forums on a clock.

Either side raises an issue. The record guides the conversation the
practices recommend: each side's position and the interests behind it, the
options generated, the agreed shared-interest solution, and whether the
contract's letter was cited (warning sign 6). An unresolved issue sits at a
forum for a time set by its severity, then escalates to the next tier.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from accord.core.choices import Side
from accord.core.models import ComputedRecord, RelationshipRecord


class Category(models.TextChoices):
    SERVICE_DELIVERY = "service_delivery", "Service delivery"
    SCOPE = "scope", "Scope"
    COMMERCIAL = "commercial", "Commercial"
    PEOPLE = "people", "People and staffing"
    DATA = "data", "Data and systems"
    RELATIONSHIP = "relationship", "Relationship and behaviours"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class IssueStatus(models.TextChoices):
    """Where the negotiation stands (the stage shown on the issue's page)."""

    RAISED = "raised", "Raised"
    EXPLORING = "exploring", "Exploring interests"
    OPTIONS = "options", "Generating options"
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (IssueStatus.RAISED, IssueStatus.EXPLORING, IssueStatus.OPTIONS)


class Issue(RelationshipRecord):
    """An issue raised by either side, worked through interest-based negotiation.

    ``visibility`` is the raiser's choice: joint (worked with the other side)
    or private to the raiser's side (prepared internally first). ``forum`` is
    where it sits on the escalation ladder; ``due_at`` is when it escalates
    if still open (set from the forum and the severity, see
    :mod:`accord.issues.clock`).
    """

    title = models.CharField(max_length=200)
    description = models.TextField()
    category = models.CharField(max_length=20, choices=Category.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    services_affected = models.ManyToManyField(
        "contracts.ScopeItem", blank=True, related_name="issues"
    )
    raised_by_side = models.CharField(max_length=10, choices=Side.choices)
    raised_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=IssueStatus.choices, default=IssueStatus.RAISED
    )
    buyer_position = models.TextField(blank=True, help_text="What the buyer asks for.")
    buyer_interests = models.TextField(blank=True, help_text="Why: the buyer's challenges.")
    provider_position = models.TextField(blank=True, help_text="What the provider asks for.")
    provider_interests = models.TextField(blank=True, help_text="Why: the provider's challenges.")
    shared_interests = models.TextField(blank=True, help_text="What both sides want.")
    agreed_solution = models.TextField(blank=True)
    contract_letter_cited = models.BooleanField(
        default=False, help_text="A side pushed back citing the contract's letter over its spirit."
    )
    forum = models.ForeignKey(
        "governance.Forum", on_delete=models.PROTECT, null=True, blank=True, related_name="issues"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("issue_detail", kwargs={"pk": self.pk})


class IssueOption(RelationshipRecord):
    """An option generated for an issue; the agreed one is marked ``chosen``.

    Its visibility follows its issue's.
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="options")
    text = models.TextField()
    proposed_by_side = models.CharField(max_length=10, choices=Side.choices)
    chosen = models.BooleanField(default=False)

    class Meta:
        ordering = ["issue", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("issue_detail", kwargs={"pk": self.issue_id})


class EventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    UPDATED = "updated", "Updated"
    STAGE = "stage", "Moved to a new stage"
    ESCALATED = "escalated", "Escalated"
    OVERDUE = "overdue", "Overdue at the top tier"
    RESOLVED = "resolved", "Resolved"
    REOPENED = "reopened", "Reopened"
    WITHDRAWN = "withdrawn", "Withdrawn"


class IssueEvent(ComputedRecord):
    """One step in an issue's history, written by the issue services and the clock.

    ``automatic`` marks a step the clock took (an escalation nobody asked for).
    Its visibility follows its issue's.
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    automatic = models.BooleanField(default=False)
    from_forum = models.ForeignKey(
        "governance.Forum", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_forum = models.ForeignKey(
        "governance.Forum", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["issue", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("issue_detail", kwargs={"pk": self.issue_id})
