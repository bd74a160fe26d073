"""Schedules, service levels, data sources, imports, scorecard runs, results and credits.

Every list and lookup goes through ``restrict`` (the base viewsets); writes go
through the services of :mod:`accord.performance`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import Max, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accord.core.api.renderers import CSVExportMixin
from accord.core.api.viewsets import RestrictedReadOnlyViewSet, RestrictedViewSetMixin
from accord.performance import imports, services
from accord.performance.api.serializers import (
    CreditLineSerializer,
    CreditMonthSerializer,
    DataImportSerializer,
    DataImportUploadSerializer,
    DataSourceSerializer,
    PeriodResultSerializer,
    ScheduleVersionSerializer,
    ScorecardRunSerializer,
    ServiceLevelSerializer,
)
from accord.performance.models import (
    STATUS_CHOICES,
    CreditLine,
    CreditMonth,
    DataImport,
    DataSource,
    ImportFormat,
    ImportStatus,
    LevelKind,
    PeriodResult,
    RunStatus,
    ScheduleVersion,
    ScorecardRun,
    ServiceLevel,
)
from accord.performance.schedules import ScheduleInvalid


class ScheduleErrorsMixin:
    """A schedule the engine refuses answers 400, each problem with its place and line.

    ``error.fields.document`` lists them as text ("line 7: service_levels[0].expected:
    ..."); ``error.problems`` lists them as ``{place, line, message}``.
    """

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ScheduleInvalid):
            invalid = serializers.ValidationError({"document": [str(p) for p in exc.problems]})
            response: Response = super().handle_exception(invalid)  # type: ignore[misc]
            response.data["error"]["problems"] = [
                {"place": p.place, "line": p.line, "message": p.message} for p in exc.problems
            ]
            return response
        return super().handle_exception(exc)  # type: ignore[misc]


# --------------------------------------------------------------------------- schedules

# Filters name related records by plain id (NumberFilter, not ModelChoiceFilter): an id you
# cannot see filters to nothing, exactly like one that does not exist, instead of a 400
# that would tell the two apart.


class ScheduleVersionFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter()

    class Meta:
        model = ScheduleVersion
        fields = ["contract", "number"]


class ScheduleVersionViewSet(
    ScheduleErrorsMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The versions of each contract's schedule (the engine's YAML); the newest is in force.

    Versions are never edited: POST ``{contract, document, summary}`` makes a new
    one (the same text as the version in force changes nothing and answers it).
    A document the engine refuses answers 400 with each problem's place, line
    and message (``error.fields.document`` and ``error.problems``).
    """

    queryset = ScheduleVersion.objects.all()
    serializer_class = ScheduleVersionSerializer
    filterset_class = ScheduleVersionFilterSet
    select_related = ("created_by",)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.schedule_version_create(
            actor=self.request.user, **serializer.validated_data
        )


class ServiceLevelFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter()
    kind = django_filters.ChoiceFilter(choices=LevelKind.choices)

    class Meta:
        model = ServiceLevel
        fields = ["contract", "kind", "code", "retired"]


class ServiceLevelViewSet(
    ScheduleErrorsMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The service levels of each contract's schedule in force (retired ones keep their history).

    PATCH changes a level's name, kind, targets or allocation by writing a new
    schedule version; the scorecards are recomputed with it.
    """

    queryset = ServiceLevel.objects.all()
    serializer_class = ServiceLevelSerializer
    filterset_class = ServiceLevelFilterSet
    http_method_names: ClassVar[list[str]] = ["get", "patch", "head", "options"]  # type: ignore[misc]

    def perform_update(self, serializer: Any) -> None:
        changes = dict(serializer.validated_data)
        allocation = changes.pop("allocation_percent", None)
        services.service_level_update(
            level=serializer.instance,
            allocation_percent=allocation,
            actor=self.request.user,
            **changes,
        )
        serializer.instance = ServiceLevel.objects.get(pk=serializer.instance.pk)


class DataSourceFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter()

    class Meta:
        model = DataSource
        fields = ["contract", "name", "import_format", "retired"]


class DataSourceViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The data sources each schedule declares. PATCH how their files are read.

    ``import_format`` is ``standard`` (CSV or Parquet with the declared columns)
    or ``servicenow`` (an incident export as it is); ``timezone`` is the zone
    of timestamps written without one (a ServiceNow export needs it).
    """

    queryset = DataSource.objects.all()
    serializer_class = DataSourceSerializer
    filterset_class = DataSourceFilterSet
    http_method_names: ClassVar[list[str]] = ["get", "patch", "head", "options"]  # type: ignore[misc]

    def perform_update(self, serializer: Any) -> None:
        source = serializer.instance
        given = serializer.validated_data
        serializer.instance = services.data_source_update(
            source=source,
            import_format=given.get("import_format", source.import_format),
            timezone=given.get("timezone", source.timezone),
            description=given.get("description", source.description),
            actor=self.request.user,
        )


# --------------------------------------------------------------------------- imports


class DataImportFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter(field_name="source__contract")
    source = django_filters.NumberFilter()
    status = django_filters.MultipleChoiceFilter(choices=ImportStatus.choices)
    import_format = django_filters.ChoiceFilter(choices=ImportFormat.choices)

    class Meta:
        model = DataImport
        fields = ["contract", "source", "status", "import_format", "sha256"]


@extend_schema_view(
    create=extend_schema(
        request={"multipart/form-data": DataImportUploadSerializer},
        responses={
            201: OpenApiResponse(DataImportSerializer, description="A new import."),
            200: OpenApiResponse(
                DataImportSerializer,
                description="This file was already imported (or is being imported) "
                "into the source: that import.",
            ),
        },
    )
)
class DataImportViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Uploaded files of operational data, with their status, progress, rows and errors.

    POST a file (multipart: ``source``, ``file``) to import it: 201 with the new
    import, or 200 with the existing one when the same file (by SHA-256) was
    already imported into that source. Poll the import for ``status`` and
    ``percent_done``; a failed import lists its first 100 errors (row and
    column) with counts, and stores nothing. DELETE removes an import and its
    data; the scorecards are recomputed without it.
    """

    queryset = DataImport.objects.all()
    serializer_class = DataImportSerializer
    filterset_class = DataImportFilterSet
    select_related = ("source", "created_by")
    # JSON too, so that a body without a file gets a 400 naming it rather than a 415.
    parser_classes = (MultiPartParser, FormParser, JSONParser)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return DataImportUploadSerializer
        return DataImportSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = self.get_serializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        record, is_new = imports.data_import_create(
            source=upload.validated_data["source"],
            chunks=file.chunks(),
            original_name=file.name or "upload",
            actor=request.user,
        )
        # Read it again: the import may already have run (inline tasks) or be running.
        fresh = self.get_queryset().get(pk=record.pk)
        data = DataImportSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED if is_new else status.HTTP_200_OK)

    def perform_destroy(self, instance: DataImport) -> None:
        imports.data_import_delete(data_import=instance, actor=self.request.user)


# --------------------------------------------------------------------------- scorecards


class RunFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter()
    status = django_filters.ChoiceFilter(choices=RunStatus.choices)

    class Meta:
        model = ScorecardRun
        fields = ["contract", "status", "schedule_version"]


class ScorecardRunViewSet(RestrictedReadOnlyViewSet):
    """Each recomputation of a contract's scorecards: what it used (schedule version,
    imports, engine versions, excusals) and why it ran. The newest succeeded run of a
    contract is its scorecard."""

    queryset = ScorecardRun.objects.all()
    serializer_class = ScorecardRunSerializer
    filterset_class = RunFilterSet

    def get_queryset(self) -> QuerySet[ScorecardRun]:
        return super().get_queryset().prefetch_related("imports")


def latest_run_ids() -> QuerySet[Any]:
    """Ids of the newest succeeded run of each contract (the scorecard in force)."""
    return (
        ScorecardRun.objects.filter(status=RunStatus.SUCCEEDED)
        .values("contract_id")
        .annotate(latest=Max("pk"))
        .values("latest")
    )


RUN_HELP = (
    "The run to read. Without it, a list shows only the scorecard in force: "
    "the newest succeeded run of each contract."
)


class ScorecardViewSet(CSVExportMixin, RestrictedReadOnlyViewSet):
    """Lists show the newest succeeded run of each contract unless ``?run=`` names one.

    ``?format=csv`` (where the CSV renderer is offered) answers the same
    selection as CSV, unpaginated.
    """

    run_path: ClassVar[str] = "run"

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and not self.request.query_params.get("run"):
            queryset = queryset.filter(**{f"{self.run_path}__in": latest_run_ids()})
        return queryset


class PeriodResultFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter(field_name="run__contract")
    service_level = django_filters.NumberFilter()
    run = django_filters.NumberFilter(help_text=RUN_HELP)
    status = django_filters.MultipleChoiceFilter(choices=STATUS_CHOICES)
    period = django_filters.CharFilter(
        help_text="A period as the level counts it: 2026-03, 2026-Q1."
    )
    since = django_filters.DateFilter(field_name="period_start", lookup_expr="gte")
    until = django_filters.DateFilter(field_name="period_start", lookup_expr="lte")

    class Meta:
        model = PeriodResult
        fields = ["contract", "service_level", "run", "status", "period", "since", "until"]


class PeriodResultViewSet(ScorecardViewSet):
    """Each service level's value per period (and breakdown group), with its rule and inputs.

    By default the list shows only the scorecard in force: the results of the
    newest succeeded run of each contract. Name ``?run=<id>`` to read an older
    run (see ``/scorecard-runs/``). ``?format=csv`` answers the list as CSV.
    """

    queryset = PeriodResult.objects.all()
    serializer_class = PeriodResultSerializer
    filterset_class = PeriodResultFilterSet
    select_related = ("run", "service_level")
    csv_name = "scorecard-results"


class CreditMonthFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter(field_name="run__contract")
    run = django_filters.NumberFilter(help_text=RUN_HELP)
    month = django_filters.CharFilter(help_text="YYYY-MM")
    year = django_filters.NumberFilter(field_name="month_start__year")

    class Meta:
        model = CreditMonth
        fields = ["contract", "run", "month", "year", "cap_applied"]


class CreditMonthViewSet(ScorecardViewSet):
    """The service credits of each month: fee, at-risk amount, totals, cap and earnbacks.

    ``detail`` is the engine's whole statement of the month, the arithmetic in
    words. By default the list shows only the newest succeeded run of each
    contract; ``?run=<id>`` reads another.
    """

    queryset = CreditMonth.objects.all()
    serializer_class = CreditMonthSerializer
    filterset_class = CreditMonthFilterSet
    select_related = ("run__contract",)
    renderer_classes = (JSONRenderer, BrowsableAPIRenderer)  # the lines are the CSV export


class CreditLineFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter(field_name="credit_month__run__contract")
    run = django_filters.NumberFilter(field_name="credit_month__run", help_text=RUN_HELP)
    credit_month = django_filters.NumberFilter()
    service_level = django_filters.NumberFilter()
    month = django_filters.CharFilter(field_name="credit_month__month", help_text="YYYY-MM")
    year = django_filters.NumberFilter(field_name="credit_month__month_start__year")
    trigger = django_filters.CharFilter()

    class Meta:
        model = CreditLine
        fields = ["contract", "run", "credit_month", "service_level", "month", "year", "trigger"]


class CreditLineViewSet(ScorecardViewSet):
    """One service level's credit in one month, with its explanation and earnback.

    By default the list shows only the newest succeeded run of each contract;
    ``?run=<id>`` reads another. ``?format=csv`` answers the list as CSV.
    """

    queryset = CreditLine.objects.all()
    serializer_class = CreditLineSerializer
    filterset_class = CreditLineFilterSet
    select_related = ("credit_month__run", "service_level")
    run_path = "credit_month__run"
    csv_name = "credit-lines"
