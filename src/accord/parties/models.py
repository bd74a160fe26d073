"""The tenancy: organisations, their people, relationships and roles."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accord.core.choices import Action, RoleName, Visibility
from accord.core.models import AuditedModel
from accord.core.querysets import RestrictedQuerySet
from accord.core.visibility import NOTHING, is_active_person, relationship_q


class OrganisationKind(models.TextChoices):
    BUYER = "buyer", "Buyer"
    PROVIDER = "provider", "Provider"
    BOTH = "both", "Buyer and provider"


class Organisation(AuditedModel):
    """A buyer of outsourced services, a provider of them, or both."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=OrganisationKind.choices)
    sector = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        """Your own organisation; for viewing, also the other party of your relationships."""
        if not is_active_person(user):
            return NOTHING
        if action != Action.VIEW:
            return Q(pk=user.organisation_id) if user.is_org_admin else NOTHING
        held = Relationship.objects.filter(relationship_q(user))
        return (
            Q(pk=user.organisation_id)
            | Q(pk__in=held.values("buyer_id"))
            | Q(pk__in=held.values("provider_id"))
        )

    def audit_scope(self) -> dict[str, Any]:
        return {"relationship_id": None, "visibility": Visibility.JOINT, "organisation_id": self.pk}


class PersonManager(UserManager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    """Users are people, restricted like every other record."""


class User(AbstractUser, AuditedModel):
    """A person, belonging to one organisation.

    Platform superusers may have no organisation; they run the installation
    and see no relationship records.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="people", null=True, blank=True
    )
    is_org_admin = models.BooleanField(
        "organisation admin",
        default=False,
        help_text="Manages the people of their organisation and their roles.",
    )
    job_title = models.CharField(max_length=150, blank=True)

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"password", "last_login"})
    objects = PersonManager()  # type: ignore[misc]

    class Meta(AbstractUser.Meta):
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        """Colleagues; for viewing also the people who hold roles on your relationships."""
        if not is_active_person(user):
            return NOTHING
        if action != Action.VIEW:
            return Q(organisation_id=user.organisation_id) if user.is_org_admin else NOTHING
        shared = Role.objects.filter(relationship_q(user, field="relationship_id"))
        return Q(organisation_id=user.organisation_id) | Q(pk__in=shared.values("person_id"))

    def audit_scope(self) -> dict[str, Any]:
        return {
            "relationship_id": None,
            "visibility": Visibility.JOINT,
            "organisation_id": self.organisation_id,
        }


class RelationshipStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    TRANSITION = "transition", "Transition"
    STEADY_STATE = "steady_state", "Steady state"
    RESET = "reset", "Reset"
    EXITING = "exiting", "Exiting"
    ENDED = "ended", "Ended"


class Relationship(AuditedModel):
    """An outsourcing relationship between one buyer and one provider."""

    buyer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="as_buyer")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="as_provider")
    name = models.CharField(max_length=200)
    services = models.CharField("services in one line", max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=RelationshipStatus.choices, default=RelationshipStatus.PROPOSED
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(buyer=models.F("provider")), name="relationship_two_parties"
            ),
            models.UniqueConstraint(
                fields=["buyer", "provider", "name"], name="relationship_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("relationship_detail", kwargs={"pk": self.pk})

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        """Relationships you hold a role on; org admins also see their organisation's."""
        if not is_active_person(user):
            return NOTHING
        q = relationship_q(user, action)
        if action == Action.VIEW and user.is_org_admin:
            q |= Q(buyer_id=user.organisation_id) | Q(provider_id=user.organisation_id)
        return q

    def audit_scope(self) -> dict[str, Any]:
        return {"relationship_id": self.pk, "visibility": Visibility.JOINT, "organisation_id": None}

    def side_of(self, user: Any) -> str | None:
        from accord.core.visibility import side_of

        return side_of(user, self)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})


class Role(AuditedModel):
    """A person's role on a relationship; their side follows from their organisation."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=20, choices=RoleName.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["relationship", "person__username"]
        constraints = [
            models.UniqueConstraint(fields=["relationship", "person"], name="one_role_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} - {self.get_role_display()} on {self.relationship}"

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        """Everyone on a relationship sees its roles; only your org admin changes yours."""
        if not is_active_person(user):
            return NOTHING
        if action == Action.VIEW:
            q = relationship_q(user, field="relationship_id")
            if user.is_org_admin:
                q |= Q(person__organisation_id=user.organisation_id)
            return q
        if not user.is_org_admin:
            return NOTHING
        return Q(person__organisation_id=user.organisation_id)

    @property
    def side(self) -> str | None:
        return self.relationship.side_of(self.person)

    def audit_scope(self) -> dict[str, Any]:
        return {
            "relationship_id": self.relationship_id,
            "visibility": Visibility.JOINT,
            "organisation_id": self.person.organisation_id,
        }


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(AuditedModel):
    """A personal API token. Only its SHA-256 is stored; the key is shown once."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"key_hash", "last_used_at"})

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        """Tokens are their owner's alone."""
        if user is None or not user.is_authenticated or not user.is_active:
            return NOTHING
        return Q(user_id=user.pk)

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def audit_scope(self) -> dict[str, Any]:
        return {
            "relationship_id": None,
            "visibility": Visibility.JOINT,
            "organisation_id": self.user.organisation_id,
        }
