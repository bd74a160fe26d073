"""The contract of a relationship and its scope register."""

from __future__ import annotations

import decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

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
