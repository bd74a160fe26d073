"""Health API: the warning signs' readings and thresholds, and their inputs.

Writes go through the services of :mod:`accord.health.inputs`. The provider's
finances (and the financial sign's readings and thresholds) are the buyer's
alone: a relationship named in a body must be one where the caller acts for
the buyer, so the provider gets the answer a nonexistent relationship gets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import django_filters
from rest_framework import mixins, serializers, viewsets

from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.core.api.renderers import CSVExportMixin
from accord.core.api.viewsets import (
    RestrictedModelViewSet,
    RestrictedReadOnlyViewSet,
    RestrictedViewSetMixin,
)
from accord.core.exceptions import ValidationError
from accord.health import inputs
from accord.health.models import (
    FinancialIndicator,
    ImprovementProposal,
    MeetingLog,
    SignCode,
    SignReading,
    SignThreshold,
    WorkforceMonth,
)
from accord.parties.models import Relationship, User


class MonthField(serializers.CharField):
    """A month as ``YYYY-MM``."""

    def to_representation(self, value: dt.date) -> str:  # type: ignore[override]
        return f"{value:%Y-%m}"

    def to_internal_value(self, data: Any) -> dt.date:  # type: ignore[override]
        try:
            return inputs.parse_month(data)
        except ValidationError:
            raise serializers.ValidationError("Give the month as YYYY-MM, e.g. 2026-03.") from None


class BuyerRelationshipField(RestrictedPrimaryKeyRelatedField):
    """A relationship the caller sees and where their organisation is the buyer."""

    def get_queryset(self) -> Any:
        user = getattr(self.context.get("request"), "user", None)
        return super().get_queryset().filter(buyer_id=getattr(user, "organisation_id", None))


class _RecordSerializer(serializers.ModelSerializer):
    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["relationship"].read_only = True
        return fields


COMMON = ["id", "relationship", "visibility", "created_by", "created_at", "updated_at"]
COMMON_READ_ONLY = ["visibility", "created_at", "updated_at"]


class WorkforceMonthSerializer(_RecordSerializer):
    month = MonthField(help_text="YYYY-MM")

    class Meta:
        model = WorkforceMonth
        fields = [*COMMON, "month", "headcount", "joiners", "leavers", "moved_out", "note"]
        read_only_fields = COMMON_READ_ONLY


class MeetingLogSerializer(_RecordSerializer):
    class Meta:
        model = MeetingLog
        fields = [*COMMON, *inputs.MEETING_EDITABLE]
        read_only_fields = COMMON_READ_ONLY


class ImprovementProposalSerializer(_RecordSerializer):
    originated_by = serializers.CharField(
        read_only=True, help_text="buyer or provider: the side of whoever proposed it."
    )

    class Meta:
        model = ImprovementProposal
        fields = [*COMMON, "originated_by", *inputs.PROPOSAL_EDITABLE]
        read_only_fields = [*COMMON_READ_ONLY, "originated_by"]


class FinancialIndicatorSerializer(_RecordSerializer):
    relationship = BuyerRelationshipField(queryset=Relationship.objects.all())

    class Meta:
        model = FinancialIndicator
        fields = [*COMMON, *inputs.FINANCIAL_EDITABLE]
        read_only_fields = COMMON_READ_ONLY


class RelationshipFilterSet(django_filters.FilterSet):
    # A plain id: a hidden relationship filters to nothing, exactly like a missing one.
    relationship = django_filters.NumberFilter(field_name="relationship_id")


def _filterset(model_: type[Any], *extra: str) -> type[django_filters.FilterSet]:
    meta = type("Meta", (), {"model": model_, "fields": ["relationship", *extra]})
    return type(f"{model_.__name__}FilterSet", (RelationshipFilterSet,), {"Meta": meta})


class _InputViewSet(CSVExportMixin, RestrictedModelViewSet):
    """Writes through the services; ``object_kwarg`` names the record in their calls."""

    create_service: ClassVar[Any]
    update_service: ClassVar[Any]
    delete_service: ClassVar[Any]
    object_kwarg: ClassVar[str]
    select_related = ("created_by",)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = type(self).create_service(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = type(self).update_service(
            actor=self.request.user,
            **{self.object_kwarg: serializer.instance},
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: Any) -> None:
        type(self).delete_service(actor=self.request.user, **{self.object_kwarg: instance})


class WorkforceMonthViewSet(_InputViewSet):
    """The provider's workforce on the account, month by month (both see; the provider writes)."""

    queryset = WorkforceMonth.objects.all()
    serializer_class = WorkforceMonthSerializer
    filterset_class = _filterset(WorkforceMonth)
    csv_name = "workforce-months"
    create_service = staticmethod(inputs.workforce_month_create)
    update_service = staticmethod(inputs.workforce_month_update)
    delete_service = staticmethod(inputs.workforce_month_delete)
    object_kwarg = "row"


class MeetingLogViewSet(_InputViewSet):
    """Governance meetings and executive contacts (joint; either side writes)."""

    queryset = MeetingLog.objects.all()
    serializer_class = MeetingLogSerializer
    filterset_class = _filterset(MeetingLog, "tier")
    csv_name = "meetings"
    create_service = staticmethod(inputs.meeting_log_create)
    update_service = staticmethod(inputs.meeting_log_update)
    delete_service = staticmethod(inputs.meeting_log_delete)
    object_kwarg = "meeting"


class ImprovementProposalViewSet(_InputViewSet):
    """Improvement proposals (joint; ``originated_by`` is the proposer's side)."""

    queryset = ImprovementProposal.objects.all()
    serializer_class = ImprovementProposalSerializer
    filterset_class = _filterset(ImprovementProposal, "originated_by", "status")
    csv_name = "improvement-proposals"
    create_service = staticmethod(inputs.proposal_create)
    update_service = staticmethod(inputs.proposal_update)
    delete_service = staticmethod(inputs.proposal_delete)
    object_kwarg = "proposal"


class FinancialIndicatorViewSet(_InputViewSet):
    """The provider's published figures, the buyer's alone (the provider never sees them)."""

    queryset = FinancialIndicator.objects.all()
    serializer_class = FinancialIndicatorSerializer
    filterset_class = _filterset(FinancialIndicator)
    csv_name = "financial-indicators"
    create_service = staticmethod(inputs.financial_indicator_create)
    update_service = staticmethod(inputs.financial_indicator_update)
    delete_service = staticmethod(inputs.financial_indicator_delete)
    object_kwarg = "indicator"


# --------------------------------------------------------------------------- signs


class SignReadingSerializer(serializers.ModelSerializer[SignReading]):
    month = MonthField(read_only=True)

    class Meta:
        model = SignReading
        fields = [
            "id", "relationship", "sign", "month", "state", "value", "summary", "evidence",
            "visibility", "computed_at",
        ]  # fmt: skip
        read_only_fields = fields


class SignReadingFilterSet(RelationshipFilterSet):
    month = django_filters.CharFilter(method="filter_month", help_text="YYYY-MM")

    class Meta:
        model = SignReading
        fields = ["relationship", "sign", "state", "month"]

    def filter_month(self, queryset: Any, name: str, value: str) -> Any:
        try:
            return queryset.filter(month=inputs.parse_month(value))
        except ValidationError:
            return queryset.none()


class SignReadingViewSet(CSVExportMixin, RestrictedReadOnlyViewSet):
    """Each warning sign's state per month, with its value and evidence (computed).

    The financial sign's readings are the buyer's alone. ``?format=csv`` answers
    the list as CSV.
    """

    queryset = SignReading.objects.all()
    serializer_class = SignReadingSerializer
    filterset_class = SignReadingFilterSet
    csv_name = "sign-readings"


class SignThresholdSerializer(serializers.ModelSerializer[SignThreshold]):
    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())
    sign = serializers.ChoiceField(choices=SignCode.choices)

    class Meta:
        model = SignThreshold
        fields = [
            "id", "relationship", "sign", "enabled", "watch_at", "trigger_at", "window_months",
            "visibility", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["visibility", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["relationship"].read_only = True
            fields["sign"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The model's unique constraint is the service's to handle (it upserts).
        return attrs

    def get_validators(self) -> list[Any]:
        return []


class SignThresholdViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A relationship's tuning of a warning sign (none: the defaults apply).

    POST sets the tuning of ``sign`` (replacing any); PATCH changes it; DELETE
    goes back to the defaults. The financial sign's tuning is the buyer's alone.
    """

    queryset = SignThreshold.objects.all()
    serializer_class = SignThresholdSerializer
    filterset_class = _filterset(SignThreshold, "sign")
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "delete", "head", "options"]  # type: ignore[misc]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.setdefault("window_months", 3)
        serializer.instance = inputs.sign_threshold_set(actor=self.request.user, **data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = inputs.sign_threshold_update(
            threshold=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: SignThreshold) -> None:
        inputs.sign_threshold_reset(threshold=instance, actor=self.request.user)


# (prefix, viewset, basename) registered by accord.api_urls.
ROUTES: list[tuple[str, Any, str]] = [
    ("sign-readings", SignReadingViewSet, "sign-reading"),
    ("sign-thresholds", SignThresholdViewSet, "sign-threshold"),
    ("workforce-months", WorkforceMonthViewSet, "workforce-month"),
    ("meeting-logs", MeetingLogViewSet, "meeting-log"),
    ("improvement-proposals", ImprovementProposalViewSet, "improvement-proposal"),
    ("financial-indicators", FinancialIndicatorViewSet, "financial-indicator"),
]
