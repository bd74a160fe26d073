"""Health API: the monthly index (read-only) and the buyer's introspection with its actions.

The introspection endpoints exist for the buyer alone: a relationship or an
introspection named in a body must be one the caller sees on the buyer's
side, so the provider's people get the answer a nonexistent id gets.
"""

from __future__ import annotations

from typing import Any

import django_filters
from rest_framework import serializers

from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.core.api.renderers import CSVExportMixin
from accord.core.api.viewsets import RestrictedModelViewSet, RestrictedReadOnlyViewSet
from accord.health import introspection as services
from accord.health.models import HealthIndex, Introspection, IntrospectionAction
from accord.parties.models import Relationship, User

# --------------------------------------------------------------------------- index


class HealthIndexSerializer(serializers.ModelSerializer[HealthIndex]):
    month = serializers.DateField(format="%Y-%m")
    components = serializers.JSONField(
        help_text="{key, label, weight, effective_weight, score, contribution, explanation}."
    )

    class Meta:
        model = HealthIndex
        fields = [
            "id", "relationship", "month", "score", "components", "triggered_signs",
            "visibility", "computed_at",
        ]  # fmt: skip
        read_only_fields = fields


class HealthIndexFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter()
    month = django_filters.DateFilter()
    year = django_filters.NumberFilter(field_name="month__year")

    class Meta:
        model = HealthIndex
        fields = ["relationship", "month", "year"]


class HealthIndexViewSet(CSVExportMixin, RestrictedReadOnlyViewSet):
    """The monthly health index of the relationships you see (joint, computed).

    ``components`` explains each input's weight, score and contribution.
    """

    queryset = HealthIndex.objects.all()
    serializer_class = HealthIndexSerializer
    filterset_class = HealthIndexFilterSet
    csv_name = "health-index"


# --------------------------------------------------------------------------- introspection


class BuyerRelationshipField(RestrictedPrimaryKeyRelatedField):
    """A relationship the caller sees, where their organisation is the buyer."""

    def get_queryset(self) -> Any:
        user = getattr(self.context.get("request"), "user", None)
        return super().get_queryset().filter(buyer_id=getattr(user, "organisation_id", None))


class ActionReadSerializer(serializers.ModelSerializer[IntrospectionAction]):
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = IntrospectionAction
        fields = ["id", "description", "owner", "due_on", "done"]
        read_only_fields = fields


SCORE_FIELDS = [
    f"{key}_{part}" for key, _q in Introspection.QUESTIONS for part in ("score", "note")
]


class IntrospectionSerializer(serializers.ModelSerializer[Introspection]):
    relationship = BuyerRelationshipField(queryset=Relationship.objects.all())
    actions = serializers.SerializerMethodField()
    score = serializers.DecimalField(max_digits=4, decimal_places=2, read_only=True)
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Introspection
        fields = [
            "id", "relationship", "title", "assessed_on", *SCORE_FIELDS, "score", "actions",
            "visibility", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["visibility", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["relationship"].read_only = True
        return fields

    def get_actions(self, obj: Introspection) -> list[dict[str, Any]]:
        user = getattr(self.context.get("request"), "user", None)
        rows = IntrospectionAction.objects.restrict(user).filter(introspection=obj)
        return list(ActionReadSerializer(rows.select_related("owner"), many=True).data)


class IntrospectionFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter()

    class Meta:
        model = Introspection
        fields = ["relationship"]


class IntrospectionViewSet(CSVExportMixin, RestrictedModelViewSet):
    """The buyer's private self-assessments, step one of the reset plan (never the provider's).

    Five questions scored 1-5 with notes; ``actions`` lists what the buyer does about it.
    """

    queryset = Introspection.objects.all()
    serializer_class = IntrospectionSerializer
    filterset_class = IntrospectionFilterSet
    select_related = ("created_by",)
    csv_name = "introspections"

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.introspection_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.introspection_update(
            introspection=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: Introspection) -> None:
        services.introspection_delete(introspection=instance, actor=self.request.user)


class IntrospectionActionSerializer(serializers.ModelSerializer[IntrospectionAction]):
    introspection = RestrictedPrimaryKeyRelatedField(queryset=Introspection.objects.all())
    owner = RestrictedPrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = IntrospectionAction
        fields = [
            "id", "introspection", "description", "owner", "due_on", "done", "visibility",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["visibility", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["introspection"].read_only = True
        return fields


class IntrospectionActionFilterSet(django_filters.FilterSet):
    introspection = django_filters.NumberFilter()
    relationship = django_filters.NumberFilter()
    done = django_filters.BooleanFilter()

    class Meta:
        model = IntrospectionAction
        fields = ["introspection", "relationship", "done"]


class IntrospectionActionViewSet(CSVExportMixin, RestrictedModelViewSet):
    """The actions the buyer takes on itself after an introspection (the buyer's alone)."""

    queryset = IntrospectionAction.objects.all()
    serializer_class = IntrospectionActionSerializer
    filterset_class = IntrospectionActionFilterSet
    select_related = ("owner",)
    csv_name = "introspection-actions"

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.introspection_action_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.introspection_action_update(
            action=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: IntrospectionAction) -> None:
        services.introspection_action_delete(action=instance, actor=self.request.user)


# (prefix, viewset, basename) registered by accord.api_urls.
ROUTES: list[tuple[str, Any, str]] = [
    ("health-index", HealthIndexViewSet, "health-index"),
    ("introspections", IntrospectionViewSet, "introspection"),
    ("introspection-actions", IntrospectionActionViewSet, "introspection-action"),
]
