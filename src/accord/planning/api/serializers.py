"""Serializers of the planning API: they parse and render; the services decide."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.core.api.signatures import SignatureSerializer
from accord.core.models import Signature
from accord.core.signing import current_signatures
from accord.parties.models import Relationship, User
from accord.performance.models import ServiceLevel
from accord.planning.models import Checkpoint, Objective, PlanningCycle, PlanRevision


class PlanListSerializer(serializers.ListSerializer[PlanningCycle]):
    """Fetches the signatures of the whole page at once (no query per plan)."""

    def to_representation(self, data: Any) -> list[Any]:
        items = list(data.all() if hasattr(data, "all") else data)
        user = getattr(self.context.get("request"), "user", None)
        context = cast(dict[str, Any], self.context)
        context["signatures"] = current_signatures(items, user)
        return super().to_representation(items)


Username = serializers.SlugRelatedField


class PlanSerializer(serializers.ModelSerializer[PlanningCycle]):
    """A year's joint plan; ``signatures`` are those of its current ``version``;
    ``in_force`` when both sides' executives signed it."""

    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())
    signatures = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()
    reviewed_by: Username[User] = Username(slug_field="username", read_only=True)
    created_by: Username[User] = Username(slug_field="username", read_only=True)

    class Meta:
        model = PlanningCycle
        list_serializer_class = PlanListSerializer
        fields = [
            "id", "relationship", "year", "title", "is_launch", "session_date", "buyer_drivers",
            "provider_drivers", "changes_past_year", "version", "in_force", "signatures",
            "reviewed_at", "reviewed_by", "visibility", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["version", "reviewed_at", "visibility", "created_at", "updated_at"]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["relationship"].read_only = True
            fields["year"].read_only = True
        return fields

    def get_validators(self) -> list[Any]:
        return []  # one plan a year: the service says so, naming the field

    def _signatures(self, obj: PlanningCycle) -> list[Signature]:
        found = self.context.get("signatures")
        if found is None or obj.pk not in found:
            user = getattr(self.context.get("request"), "user", None)
            found = current_signatures([obj], user)
            cast(dict[str, Any], self.context)["signatures"] = found
        return found[obj.pk]

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, obj: PlanningCycle) -> list[dict[str, Any]]:
        return SignatureSerializer(self._signatures(obj), many=True).data  # type: ignore[return-value]

    @extend_schema_field(serializers.BooleanField())
    def get_in_force(self, obj: PlanningCycle) -> bool:
        return {s.side for s in self._signatures(obj)} == {"buyer", "provider"}


class ReviewSerializer(serializers.Serializer[Any]):
    decisions = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text='{"<objective id>": "carry" | "close"} for every unfinished objective.',
    )
    notes = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="Optional notes."
    )


class ObjectiveSerializer(serializers.ModelSerializer[Objective]):
    """An objective: its definition is plan content (a change makes a new plan version);
    ``status`` is progress."""

    cycle = RestrictedPrimaryKeyRelatedField(queryset=PlanningCycle.objects.all())
    service_level = RestrictedPrimaryKeyRelatedField(
        queryset=ServiceLevel.objects.all(), required=False, allow_null=True
    )
    service_level_code = serializers.CharField(
        source="service_level.code", read_only=True, default=None
    )
    buyer_owner = RestrictedPrimaryKeyRelatedField(queryset=User.objects.all())
    provider_owner = RestrictedPrimaryKeyRelatedField(queryset=User.objects.all())
    year = serializers.IntegerField(source="cycle.year", read_only=True)

    class Meta:
        model = Objective
        fields = [
            "id", "relationship", "cycle", "year", "position", "statement", "success_measure",
            "focus", "linked_figure", "service_level", "service_level_code", "target_value",
            "buyer_owner", "provider_owner", "target_date", "status", "carried_from",
            "year_end_decision", "year_end_note", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "relationship", "position", "carried_from", "year_end_decision", "year_end_note",
            "created_at", "updated_at",
        ]  # fmt: skip

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["cycle"].read_only = True
        else:
            fields["status"].read_only = True  # a new objective has not started
        return fields


class CheckpointSerializer(serializers.ModelSerializer[Checkpoint]):
    """A checkpoint: PATCH ``status`` and your own side's commentary (progress)."""

    class Meta:
        model = Checkpoint
        fields = [
            "id", "relationship", "objective", "label", "due_date", "status",
            "buyer_commentary", "provider_commentary", "assessed_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "relationship", "objective", "label", "due_date", "assessed_at", "updated_at",
        ]  # fmt: skip


class PlanRevisionSerializer(serializers.ModelSerializer[PlanRevision]):
    edited_by: Username[User] = Username(slug_field="username", read_only=True)

    class Meta:
        model = PlanRevision
        fields = [
            "id", "relationship", "cycle", "from_version", "to_version", "changes",
            "voided_sides", "edited_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields
