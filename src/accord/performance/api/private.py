"""Records one side keeps from the other: the buyer's credit forecasts, the provider's
cost-of-quality notes.

The models keep them to their side whatever is asked (``visibility_q``); here
the contract named in a request body must also be one where the caller acts
for that side, so the other side's people get the answer a nonexistent
contract gets, and never learn the endpoint has anything for them.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from rest_framework import mixins, serializers, viewsets

from accord.contracts.models import Contract
from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.core.api.viewsets import RestrictedModelViewSet, RestrictedViewSetMixin
from accord.core.choices import Side
from accord.parties.models import User
from accord.performance import cost_notes, forecasts
from accord.performance.models import CostOfQualityNote, CreditForecast, ServiceLevel


class SideContractField(RestrictedPrimaryKeyRelatedField):
    """A contract the caller sees, on a relationship where their organisation is ``side``."""

    def __init__(self, *, side: str, **kwargs: Any) -> None:
        self.side = side
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        user = getattr(self.context.get("request"), "user", None)
        party = "relationship__buyer_id" if self.side == Side.BUYER else "relationship__provider_id"
        return queryset.filter(**{party: getattr(user, "organisation_id", None)})


class CreditForecastSerializer(serializers.ModelSerializer[CreditForecast]):
    contract = SideContractField(side=Side.BUYER, queryset=Contract.objects.all())
    year = serializers.IntegerField(min_value=1900, max_value=2999)
    lines = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        read_only=True,
        help_text="{month, kind (actual, projected or cap), code, amount, basis} per line.",
    )
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = CreditForecast
        fields = [
            "id", "contract", "year", "based_on", "method", "lines", "total", "note",
            "visibility", "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["based_on", "method", "total", "visibility", "created_at"]


class ForecastFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter()

    class Meta:
        model = CreditForecast
        fields = ["contract", "year"]


class CreditForecastViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The buyer's private forecasts of credits for a contract year (the provider never sees them).

    POST ``{contract, year, note}`` forecasts from the scorecard in force:
    reported months count with their actual credits, the rest are projected
    by the rule stated in ``method``.
    """

    queryset = CreditForecast.objects.all()
    serializer_class = CreditForecastSerializer
    filterset_class = ForecastFilterSet
    select_related = ("created_by",)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = forecasts.credit_forecast_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: CreditForecast) -> None:
        forecasts.credit_forecast_delete(forecast=instance, actor=self.request.user)


class CostNoteSerializer(serializers.ModelSerializer[CostOfQualityNote]):
    contract = SideContractField(side=Side.PROVIDER, queryset=Contract.objects.all())
    service_level = RestrictedPrimaryKeyRelatedField(
        queryset=ServiceLevel.objects.all(), required=False, allow_null=True
    )
    month = serializers.CharField(max_length=7, help_text="YYYY-MM")
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = CostOfQualityNote
        fields = [
            "id", "contract", "month", "service_level", "title", "amount", "body",
            "visibility", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["visibility", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["contract"].read_only = True
        return fields


class CostNoteFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter()
    service_level = django_filters.NumberFilter()
    month = django_filters.CharFilter(help_text="YYYY-MM")

    class Meta:
        model = CostOfQualityNote
        fields = ["contract", "service_level", "month"]


class CostNoteViewSet(RestrictedModelViewSet):
    """The provider's private notes of what quality cost it (the buyer never sees them)."""

    queryset = CostOfQualityNote.objects.all()
    serializer_class = CostNoteSerializer
    filterset_class = CostNoteFilterSet
    select_related = ("created_by",)
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "delete", "head", "options"]  # type: ignore[misc]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = cost_notes.cost_note_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = cost_notes.cost_note_update(
            note=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: CostOfQualityNote) -> None:
        cost_notes.cost_note_delete(note=instance, actor=self.request.user)
