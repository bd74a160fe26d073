"""Each person's notifications and how they want them delivered by e-mail.

A notification is its recipient's alone, and only while they still hold a
role on its relationship: losing the role hides what it said. The "Needs my
attention" inbox itself is computed live (see :mod:`accord.attention.inbox`);
notifications are what was sent, and when.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from accord.core.choices import Visibility
from accord.core.models import AuditedModel
from accord.core.visibility import NOTHING, is_active_person, relationship_q


class NotificationKind(models.TextChoices):
    ACTION_ASSIGNED = "action_assigned", "Action assigned to you"
    SIGNATURE_REQUESTED = "signature_requested", "Signature requested"
    SIGNATURES_VOIDED = "signatures_voided", "Signatures voided by an edit"
    ISSUE_RAISED = "issue_raised", "Issue raised"
    ISSUE_ESCALATED = "issue_escalated", "Issue escalated"
    ISSUE_RESOLVED = "issue_resolved", "Issue resolved"
    CHANGE_DECIDED = "change_decided", "Change request decided"
    MEETING_SCHEDULED = "meeting_scheduled", "Meeting scheduled"


class Notification(AuditedModel):
    """One thing Accord told one person, with where to look and whether it was e-mailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    # Notifications are a delivery log, not records of the partnership.
    audited: ClassVar[bool] = False

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        """The recipient's own, on relationships where they still hold a role."""
        if not is_active_person(user):
            return NOTHING
        return Q(recipient_id=user.pk) & (
            Q(relationship__isnull=True) | relationship_q(user, field="relationship_id")
        )


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "E-mail me each notification"
    DAILY = "daily", "One daily digest"
    OFF = "off", "No e-mail (inbox only)"


class DeliveryPreference(AuditedModel):
    """How a person wants their notifications e-mailed (immediately by default)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_preference"
    )
    email = models.CharField(max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)
    last_digest_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last daily digest was sent to this person."
    )

    # The digest stamps ``last_digest_at`` every day: bookkeeping, not a change of mind.
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"last_digest_at"})

    class Meta:
        verbose_name = "delivery preference"

    def __str__(self) -> str:
        return f"{self.person}: {self.get_email_display()}"

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        if not is_active_person(user):
            return NOTHING
        return Q(person_id=user.pk)

    def audit_scope(self) -> dict[str, Any]:
        return {
            "relationship_id": None,
            "visibility": Visibility.JOINT,
            "organisation_id": self.person.organisation_id,
        }
