"""The contract of a relationship and its scope register."""

from __future__ import annotations

import decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from accord.core.choices import Side
from accord.core.models import RelationshipRecord
from accord.engine.periods import parse_month
from accord.engine.tz import available_time_zones

PERCENT = [MinValueValidator(decimal.Decimal(0)), MaxValueValidator(decimal.Decimal(1000))]


class Contract(RelationshipRecord):
    """The contract of one relationship: its reference, term and commercial terms.

    The commercial terms (currency, fees, at-risk and pool %) and the time
    zone are the authority for service credits: the app puts them into the
    schedule it hands the engine (see ``accord.performance.schedules``).
    Fees are either one ``monthly_fee`` or a ``fee_schedule`` of
    ``{"YYYY-MM": amount}`` steps (each in force from its month on).
    Contracts are joint: both sides work from the same contract.
    """

    reference = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    currency = models.CharField(max_length=3, default="USD")
    timezone = models.CharField(
        max_length=64, help_text="The contract's time zone: months start at local midnight."
    )
    monthly_fee = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    fee_schedule = models.JSONField(
        default=dict, blank=True, help_text='Fee steps, e.g. {"2026-01": "1250000.00"}.'
    )
    at_risk_percent = models.DecimalField(max_digits=6, decimal_places=3, validators=PERCENT)
    pool_percent = models.DecimalField(max_digits=7, decimal_places=3, validators=PERCENT)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["relationship"], name="one_contract_per_relationship")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contract_detail", kwargs={"pk": self.relationship_id})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The contract cannot end before it starts."
        if self.timezone and self.timezone not in available_time_zones():
            errors["timezone"] = f"{self.timezone!r} is not a time zone."
        if self.currency and not (len(self.currency) == 3 and self.currency.isalpha()):
            errors["currency"] = "Use a three-letter ISO 4217 code, such as CAD."
        if self.monthly_fee is None and not self.fee_schedule:
            errors["monthly_fee"] = "Give a monthly fee or a fee schedule."
        if self.monthly_fee is not None and self.fee_schedule:
            errors["fee_schedule"] = "Give a monthly fee or a fee schedule, not both."
        for month, amount in (self.fee_schedule or {}).items():
            try:
                parse_month(str(month))
                number = decimal.Decimal(str(amount))
                if not number.is_finite() or number < 0:
                    raise ValueError
            except (ValueError, decimal.InvalidOperation):
                errors["fee_schedule"] = f"{month}: {amount} is not a month and an amount."
                break
        if errors:
            raise ValidationError(errors)

    def fee_terms(self) -> dict[str, Any]:
        """The fees as the engine's credit terms state them."""
        if self.fee_schedule:
            return {"fee_schedule": {str(k): str(v) for k, v in sorted(self.fee_schedule.items())}}
        return {"monthly_fees": str(self.monthly_fee)}


class ScopeStatus(models.TextChoices):
    IN_SCOPE = "in_scope", "In scope"
    OUT_OF_SCOPE = "out_of_scope", "Out of scope"
    TO_BE_DETERMINED = "tbd", "To be determined"


class ScopeItem(RelationshipRecord):
    """A service in scope, explicitly out of scope, or still to be determined.

    Each item rests on a clause of the contract: scope disputes are the
    classic buyer-provider conflict, and change requests build on this register.
    """

    status = models.CharField(max_length=12, choices=ScopeStatus.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    clause = models.CharField(
        max_length=100, blank=True, help_text="The contract clause it rests on, e.g. Sch. A §2.3."
    )

    class Meta:
        ordering = ["status", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scope_detail", kwargs={"pk": self.pk})


class ChangeKind(models.TextChoices):
    SCOPE = "scope", "Scope"
    SERVICE_LEVEL = "service_level", "Service levels (a new schedule version)"
    PRICE = "price", "Price"
    TERM = "term", "Term"


class ScopeAction(models.TextChoices):
    """What a scope change does to the register (decided when it is proposed)."""

    ADD = "add", "Add a new item"
    CHANGE = "change", "Change an existing item"


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ChangeRequest(RelationshipRecord):
    """A proposed change of scope, service levels, price or term. Joint and co-signed.

    Either side proposes it with the rationale (what changed in either side's
    world) and the impact (cost, service levels, people), linked to the scope
    items it touches. It is approved when a signatory of each side has signed
    the same ``version``; an edit bumps the version and voids the signatures.
    On approval the change is applied, with history: a scope change adds or
    changes a scope item (``scope_item`` and the ``new_scope_*`` fields), a
    service-level change creates a new schedule version from
    ``schedule_document``, a price change sets the contract's monthly fee and
    a term change its end date.

    ``scope_action`` records whether a scope change adds an item or changes
    ``scope_item``: if that item is later removed from the register, approval
    fails instead of quietly adding a new one. ``new_fee_from`` (YYYY-MM),
    when given, makes a price change a new step of the fee schedule from that
    month on, so that months already past keep the fee they were billed at.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="changes")
    number = models.PositiveIntegerField(help_text="CR-n, counted per contract.")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    rationale = models.TextField(help_text="What changed in either side's world.")
    impact_cost = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Change in yearly cost."
    )
    impact_service_levels = models.TextField(blank=True)
    impact_people = models.TextField(blank=True)
    scope_items = models.ManyToManyField(ScopeItem, blank=True, related_name="change_requests")
    # What approval applies, by kind.
    scope_item = models.ForeignKey(
        ScopeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Scope: the item to change (empty adds a new item).",
    )  # fmt: skip
    scope_action = models.CharField(max_length=6, choices=ScopeAction.choices, blank=True)
    new_scope_status = models.CharField(max_length=12, choices=ScopeStatus.choices, blank=True)
    new_scope_title = models.CharField(max_length=200, blank=True)
    new_scope_description = models.TextField(blank=True)
    schedule_document = models.TextField(
        blank=True, help_text="Service levels: the schedule (engine YAML) the change puts in force."
    )
    new_monthly_fee = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    new_fee_from = models.CharField(
        max_length=7, blank=True, help_text="Price: the first month of the new fee (YYYY-MM)."
    )
    new_end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PROPOSED
    )
    version = models.PositiveIntegerField(default=1)
    proposed_by_side = models.CharField(max_length=10, choices=Side.choices)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        blank=True, help_text="Who declined or withdrew it, or whose signature approved it.",
    )  # fmt: skip
    decision_note = models.TextField(blank=True)
    applied_schedule_version = models.ForeignKey(
        "performance.ScheduleVersion", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    applied_scope_item = models.ForeignKey(
        ScopeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="change_number_unique")
        ]

    def __str__(self) -> str:
        return f"CR-{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("change_detail", kwargs={"pk": self.pk})

    @property
    def code(self) -> str:
        """``CR-7``: how both sides refer to it."""
        return f"CR-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == ChangeStatus.PROPOSED


class ScopeQuestion(RelationshipRecord):
    """ "Is this in scope?" asked by either side and resolved to in scope, out of scope
    (then a change request follows) or to be determined. Joint.

    ``resolution`` is empty while the question is open; ``scope_item`` is the
    register entry the answer rests on, ``change_request`` the change raised
    when the answer is "out of scope".
    """

    question = models.TextField()
    asked_by_side = models.CharField(max_length=10, choices=Side.choices)
    resolution = models.CharField(max_length=12, choices=ScopeStatus.choices, blank=True)
    answer = models.TextField(blank=True)
    scope_item = models.ForeignKey(
        ScopeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.question[:80]

    def get_absolute_url(self) -> str:
        return reverse("scope_question_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return not self.resolution
