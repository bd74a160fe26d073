"""Contracts and the scope register over the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accord.contracts.models import Contract, ScopeItem
from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.parties.models import Relationship


class _CreateOnlyRelationship:
    """The relationship is named when the record is created and never changes after."""

    instance: Any

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()  # type: ignore[misc]
        if self.instance is not None:
            fields["relationship"].read_only = True
        return fields


class ContractSerializer(_CreateOnlyRelationship, serializers.ModelSerializer[Contract]):
    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())
    fee_schedule = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0),
        required=False,
        help_text='Fee steps, e.g. {"2026-01": "1250000.00"}; give this or monthly_fee.',
    )

    class Meta:
        model = Contract
        fields = [
            "id", "relationship", "reference", "title", "start_date", "end_date", "currency",
            "timezone", "monthly_fee", "fee_schedule", "at_risk_percent", "pool_percent",
            "visibility", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["visibility", "created_at", "updated_at"]

    def validate_fee_schedule(self, value: dict[str, Any]) -> dict[str, str]:
        # Stored as JSON: amounts are kept as exact decimal strings.
        return {str(month): str(amount) for month, amount in value.items()}


class ScopeItemSerializer(_CreateOnlyRelationship, serializers.ModelSerializer[ScopeItem]):
    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())

    class Meta:
        model = ScopeItem
        fields = [
            "id", "relationship", "status", "title", "description", "clause", "visibility",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["visibility", "created_at", "updated_at"]
