"""Joint plans over the API: plans (and their signing and year-end review), objectives,
checkpoints (progress) and plan revisions (read-only).

The rules live in :mod:`accord.planning.services`; these views parse the
request, call the service and render the result. Every list answers
``?format=csv``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accord.core.api.renderers import CSVExportMixin
from accord.core.api.viewsets import RestrictedReadOnlyViewSet, RestrictedViewSetMixin
from accord.core.choices import Side
from accord.core.exceptions import ValidationError
from accord.performance.focus import LevelFocus
from accord.planning import services
from accord.planning.api.serializers import (
    CheckpointSerializer,
    ObjectiveSerializer,
    PlanRevisionSerializer,
    PlanSerializer,
    ReviewSerializer,
)
from accord.planning.models import (
    Checkpoint,
    CheckpointStatus,
    Objective,
    ObjectiveStatus,
    PlanningCycle,
    PlanRevision,
)


class PlanFilterSet(django_filters.FilterSet):
    # Plain ids: a hidden relationship filters to nothing, exactly like a missing one.
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    year = django_filters.NumberFilter()

    class Meta:
        model = PlanningCycle
        fields = ["relationship", "year"]


class ObjectiveFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    cycle = django_filters.NumberFilter(field_name="cycle_id")
    year = django_filters.NumberFilter(field_name="cycle__year")
    status = django_filters.MultipleChoiceFilter(choices=ObjectiveStatus.choices)
    focus = django_filters.MultipleChoiceFilter(choices=LevelFocus.choices)

    class Meta:
        model = Objective
        fields = ["relationship", "cycle", "year", "status", "focus"]


class CheckpointFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    objective = django_filters.NumberFilter(field_name="objective_id")
    status = django_filters.MultipleChoiceFilter(choices=CheckpointStatus.choices)

    class Meta:
        model = Checkpoint
        fields = ["relationship", "objective", "status"]


class PlanRevisionFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    cycle = django_filters.NumberFilter(field_name="cycle_id")

    class Meta:
        model = PlanRevision
        fields = ["relationship", "cycle"]


class PlanViewSet(
    CSVExportMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Each year's joint plan of a relationship (the launch, then each annual session).

    POST ``{relationship, year, ...}`` starts one (either side); PATCH its texts
    makes a new version (earlier signatures stop counting). ``sign``: an
    executive signs the current version for their side; both sides = in force.
    ``review``: the year-end review, a decision per unfinished objective.
    """

    queryset = PlanningCycle.objects.all()
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    select_related = ("reviewed_by", "created_by")
    csv_name = "plans"
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]  # type: ignore[misc]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.plan_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.plan_update(
            cycle=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def _answer(self, cycle: PlanningCycle) -> Response:
        fresh = self.get_queryset().get(pk=cycle.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        """Sign the current version for your side (executives only)."""
        return self._answer(services.plan_sign(cycle=self.get_object(), actor=request.user))

    @extend_schema(request=ReviewSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """The year-end review: ``{"decisions": {"<objective id>": "carry" | "close"}}``."""
        cycle = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.year_end_review(
                cycle=cycle,
                decisions=body.validated_data["decisions"],
                notes=body.validated_data.get("notes"),
                actor=request.user,
            )
        )


class ObjectiveViewSet(
    CSVExportMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The joint objectives of the plans.

    Their definition is plan content: POST, PATCH of a definition field, and
    DELETE each make a new plan version (signatures start over). PATCH
    ``status`` is progress and changes no version. A new objective gets
    quarterly checkpoints up to its target date.
    """

    queryset = Objective.objects.all()
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    select_related = ("cycle", "service_level")
    csv_name = "objectives"
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "delete", "head", "options"]  # type: ignore[misc]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        cycle = data.pop("cycle")
        data.pop("status", None)
        serializer.instance = services.objective_add(cycle=cycle, actor=self.request.user, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        status = data.pop("status", None)
        objective = serializer.instance
        if data:
            objective = services.objective_update(
                objective=objective, actor=self.request.user, **data
            )
        if status is not None:
            objective = services.objective_set_status(
                objective=objective, status=status, actor=self.request.user
            )
        serializer.instance = objective

    def perform_destroy(self, instance: Objective) -> None:
        services.objective_delete(objective=instance, actor=self.request.user)


class CheckpointViewSet(
    CSVExportMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Progress checkpoints of the objectives (quarterly by default).

    PATCH ``status`` and your own side's commentary (``buyer_commentary`` for
    the buyer's people, ``provider_commentary`` for the provider's): progress,
    so the plan's signatures stand.
    """

    queryset = Checkpoint.objects.all()
    serializer_class = CheckpointSerializer
    filterset_class = CheckpointFilterSet
    csv_name = "checkpoints"
    http_method_names: ClassVar[list[str]] = ["get", "patch", "head", "options"]  # type: ignore[misc]

    def perform_update(self, serializer: Any) -> None:
        checkpoint = serializer.instance
        data = dict(serializer.validated_data)
        side = checkpoint.relationship.side_of(self.request.user)
        other = services.other_side(side or Side.BUYER)
        theirs = data.pop(f"{other}_commentary", None)
        if theirs is not None and theirs.strip() != getattr(checkpoint, f"{other}_commentary"):
            raise ValidationError(
                {f"{other}_commentary": f"Only the {other} side writes the {other}'s commentary."}
            )
        serializer.instance = services.checkpoint_update(
            checkpoint=checkpoint,
            actor=self.request.user,
            status=data.get("status"),
            commentary=data.get(f"{side}_commentary"),
        )


class PlanRevisionViewSet(CSVExportMixin, RestrictedReadOnlyViewSet):
    """What each edit of a signed plan changed, and whose signatures it voided (computed)."""

    queryset = PlanRevision.objects.all()
    serializer_class = PlanRevisionSerializer
    filterset_class = PlanRevisionFilterSet
    select_related = ("edited_by",)
    csv_name = "plan-revisions"


# (prefix, viewset, basename) registered by accord.api_urls.
ROUTES: list[tuple[str, Any, str]] = [
    ("plans", PlanViewSet, "plan"),
    ("objectives", ObjectiveViewSet, "objective"),
    ("checkpoints", CheckpointViewSet, "checkpoint"),
    ("plan-revisions", PlanRevisionViewSet, "plan-revision"),
]
