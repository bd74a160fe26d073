"""Base models and the append-only, hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from accord.core.choices import Action, Side, Visibility
from accord.core.querysets import RestrictedManager
from accord.core.visibility import NOTHING, is_active_person, relationship_q, scoped_q


class AuditedModel(models.Model):
    """A domain model whose every create, update and delete is audited.

    Subclasses say where their audit entries belong (relationship, visibility,
    organisation) so that people see the history of exactly what they may see.
    """

    audit_exclude: ClassVar[frozenset[str]] = frozenset()
    # Rows the engine computes (scorecard results, credit lines) are not audited
    # one by one: the run that computed them is, with everything it came from.
    audited: ClassVar[bool] = True

    objects = RestrictedManager()

    class Meta:
        abstract = True

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        raise NotImplementedError(f"{cls.__name__} must say who may see it")

    def audit_scope(self) -> dict[str, Any]:
        """Where this record's audit entries belong: relationship, visibility, organisation."""
        return {"relationship_id": None, "visibility": Visibility.JOINT, "organisation_id": None}


class RelationshipRecord(AuditedModel):
    """A record that belongs to one relationship, with a visibility.

    The visibility decides which side sees it: ``joint`` both, ``buyer`` or
    ``provider`` only that side. Nobody outside the relationship sees it.
    """

    relationship = models.ForeignKey(
        "parties.Relationship", on_delete=models.CASCADE, related_name="+"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.JOINT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        abstract = True

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        return scoped_q(user, action)

    def audit_scope(self) -> dict[str, Any]:
        return {
            "relationship_id": self.relationship_id,
            "visibility": self.visibility,
            "organisation_id": None,
        }


class SidePrivateRecord(RelationshipRecord):
    """A record only one side ever sees, whatever its ``visibility`` field says.

    ``private_to`` names the side; the rule is enforced in ``visibility_q``
    as well as by the services, so no path can make it joint.
    """

    private_to: str = ""

    class Meta:
        abstract = True

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        return scoped_q(user, action) & Q(visibility=cls.private_to)


class ComputedRecord(RelationshipRecord):
    """A record Accord computes (results, readings, indices): seen like any record
    of its visibility, never added, changed or deleted by a person."""

    audited: ClassVar[bool] = False

    class Meta:
        abstract = True

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        if action != Action.VIEW:
            return NOTHING
        return super().visibility_q(user, action)


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    ACCESS_REFUSED = "access_refused", "Access refused"


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Audit entries are read-only once written."""

    def restrict(self, user: Any, action: str = Action.VIEW) -> AuditEntryQuerySet:
        return self.filter(AuditEntry.visibility_q(user, action))

    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only")


class AuditEntry(models.Model):
    """One audited event: who did what to which record, when, before and after.

    Entries form a hash chain: each entry's hash covers its content and the
    previous entry's hash, so changing or removing a row breaks the chain at
    that row (``accord audit verify``). Relationship, visibility and
    organisation are copied from the record so that the log obeys the same
    visibility rule as the records it describes.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    timestamp = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    relationship_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    HASHED_FIELDS: ClassVar[tuple[str, ...]] = (
        "seq", "timestamp", "actor_id", "actor_name", "request_id", "action", "object_type",
        "object_id", "object_repr", "relationship_id", "organisation_id", "visibility",
        "before", "after", "prev_hash",
    )  # fmt: skip

    class Meta:
        ordering = ["-seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only")

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        """Entries of records the user may see; an org admin also sees their organisation's."""
        if action != Action.VIEW or not is_active_person(user):
            return NOTHING
        q = scoped_q(user, Action.VIEW, path="relationship")
        if user.is_org_admin:
            q |= Q(organisation_id=user.organisation_id)
        return q

    def compute_hash(self) -> str:
        payload = {name: getattr(self, name) for name in self.HASHED_FIELDS}
        payload["timestamp"] = self.timestamp.isoformat(timespec="microseconds")
        encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(encoded.encode()).hexdigest()

    # Bookkeeping that every record has; shown in the API, left out of the page.
    UNINTERESTING_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"id", "created_at", "updated_at", "date_joined"}
    )

    @property
    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for the fields that differ, bookkeeping left out."""
        before, after = self.before or {}, self.after or {}
        keys = sorted((set(before) | set(after)) - self.UNINTERESTING_FIELDS)
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class AuditChainHead(models.Model):
    """The last entry of the audit chain; its row lock serialises appends."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"


class Signature(RelationshipRecord):
    """One side's signature on one version of a joint record (see :mod:`accord.core.signing`).

    Signatures are joint: both sides see who signed what. A later edit of the
    record bumps its version, so older signatures no longer count.
    """

    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    side = models.CharField(max_length=10, choices=Side.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "version", "side"],
                name="one_signature_per_side_and_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.side} signature on {self.object_type}:{self.object_id} v{self.version}"


__all__ = [
    "AuditedModel",
    "RelationshipRecord",
    "AuditEntry",
    "AuditChainHead",
    "Signature",
    "relationship_q",
]
