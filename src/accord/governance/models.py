"""Governance: forums by tier, their members, meetings, attendance, decisions and actions.

The forums of a relationship form its escalation ladder: operational, then
management, then the executive steering committee (see :mod:`accord.issues`).
All governance records are joint: both sides sit in the same forums.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from accord.core.choices import RoleName, Side
from accord.core.models import RelationshipRecord


class Tier(models.IntegerChoices):
    """A forum's rung on the escalation ladder (higher escalates above lower)."""

    OPERATIONAL = 1, "Operational"
    MANAGEMENT = 2, "Management"
    EXECUTIVE = 3, "Executive / steering"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half_yearly", "Twice a year"
    AS_NEEDED = "as_needed", "As needed"


class Forum(RelationshipRecord):
    """A governance forum of one relationship at one tier, with its terms of reference.

    ``resolve_within_days`` sets, per issue severity, how long an issue may sit
    at this forum before it escalates to the next tier (``{"critical": 2, ...}``;
    severities left out use :data:`accord.issues.clock.DEFAULT_RESOLVE_DAYS`).
    """

    name = models.CharField(max_length=200)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY)
    terms_of_reference = models.TextField(blank=True)
    resolve_within_days = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["relationship", "tier", "name"]
        constraints = [
            models.UniqueConstraint(fields=["relationship", "name"], name="forum_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum_detail", kwargs={"pk": self.pk})


class ForumMember(RelationshipRecord):
    """A person who sits on a forum (from either side); ``is_chair`` for its chair."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_chair = models.BooleanField(default=False)

    class Meta:
        ordering = ["forum", "-is_chair", "person__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "person"], name="forum_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.forum}"

    def get_absolute_url(self) -> str:
        return reverse("forum_detail", kwargs={"pk": self.forum_id})


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(RelationshipRecord):
    """One meeting of a forum: agenda before, minutes after. Joint.

    Held meetings feed warning signs 5 (person-hours of meetings) and 7
    (executives present) through their attendance.
    """

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=60, validators=[MinValueValidator(1)])
    location = models.CharField(max_length=200, blank=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )

    class Meta:
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", kwargs={"pk": self.pk})


class Attendance(RelationshipRecord):
    """Who attended a meeting, for which side and at which level.

    ``side`` and ``level`` are copied from the person's organisation and role
    on the relationship when the attendance is recorded, so the record keeps
    saying who was in the room after roles change.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    level = models.CharField(max_length=20, choices=RoleName.choices)
    present = models.BooleanField(default=True)

    class Meta:
        ordering = ["meeting", "side", "person__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", kwargs={"pk": self.meeting_id})


class Decision(RelationshipRecord):
    """A decision a meeting took, in the words of its minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", kwargs={"pk": self.meeting_id})


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionItem(RelationshipRecord):
    """An action with an owner and a due date, usually from a meeting. Joint."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["status", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("action_detail", kwargs={"pk": self.pk})
