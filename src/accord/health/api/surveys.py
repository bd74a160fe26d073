"""Health API: surveys.

* ``survey-instruments``: read-only, dimensions and statements nested.
* ``survey-rounds``: list, retrieve, create, patch, delete; POST ``close``.
* ``survey-responses``: the caller's side's responses; the respondent creates
  (POST ``{round, submit, answers: [{statement, subject, rating, comment}]}``)
  and revises (PATCH) their own. Nobody deletes one.
* ``survey-scores``, ``survey-comments``: a closed round's published results,
  read-only, ``?round=`` to filter, ``?format=csv`` for a spreadsheet.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.core.api.renderers import CSVExportMixin
from accord.core.api.viewsets import (
    RestrictedModelViewSet,
    RestrictedReadOnlyViewSet,
    RestrictedViewSetMixin,
)
from accord.health import survey_results, surveys
from accord.health.models import (
    Subject,
    SurveyAnswer,
    SurveyComment,
    SurveyDimension,
    SurveyInstrument,
    SurveyResponse,
    SurveyRound,
    SurveyScore,
    SurveyStatement,
)
from accord.parties.models import Relationship

# --------------------------------------------------------------------------- instruments


class StatementSerializer(serializers.ModelSerializer[SurveyStatement]):
    class Meta:
        model = SurveyStatement
        fields = ["id", "text", "about", "position"]


class DimensionSerializer(serializers.ModelSerializer[SurveyDimension]):
    statements = StatementSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyDimension
        fields = ["id", "code", "name", "description", "position", "statements"]


class InstrumentSerializer(serializers.ModelSerializer[SurveyInstrument]):
    dimensions = DimensionSerializer(many=True, read_only=True)
    is_default = serializers.BooleanField(read_only=True)
    frozen = serializers.SerializerMethodField()

    class Meta:
        model = SurveyInstrument
        fields = [
            "id", "owner", "name", "description", "based_on", "is_default", "frozen",
            "created_at", "dimensions",
        ]  # fmt: skip

    def get_frozen(self, obj: SurveyInstrument) -> bool:
        return surveys.is_frozen(obj)


class SurveyInstrumentViewSet(RestrictedReadOnlyViewSet):
    """Survey instruments you may see: the one shipped with Accord, your organisation's,
    and those used by rounds of your relationships. Adapt them on the instrument pages."""

    queryset = SurveyInstrument.objects.all()
    serializer_class = InstrumentSerializer

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .distinct()
            .prefetch_related("dimensions__statements")
            .order_by("owner_id", "name", "pk")
        )


# --------------------------------------------------------------------------- rounds


class InstrumentField(RestrictedPrimaryKeyRelatedField):
    """An instrument the caller sees (one row each: seeing it through rounds joins them)."""

    def get_queryset(self) -> Any:
        return super().get_queryset().distinct()


class RoundSerializer(serializers.ModelSerializer[SurveyRound]):
    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())
    instrument = InstrumentField(queryset=SurveyInstrument.objects.all())
    min_respondents = serializers.IntegerField(min_value=1, max_value=50, default=3)
    answered = serializers.SerializerMethodField(
        help_text="How many of each side have submitted answers."
    )

    class Meta:
        model = SurveyRound
        fields = [
            "id", "relationship", "instrument", "title", "period_start", "period_end",
            "closes_on", "min_respondents", "status", "closed_at", "visibility", "answered",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["status", "closed_at", "visibility", "created_at", "updated_at"]
        validators: ClassVar[list[Any]] = []  # uniqueness is the service's (full_clean)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["relationship"].read_only = True
        return fields

    def get_answered(self, obj: SurveyRound) -> dict[str, int]:
        return survey_results.answered_counts(obj)


class RoundFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter()
    status = django_filters.CharFilter()

    class Meta:
        model = SurveyRound
        fields = ["relationship", "status"]


class SurveyRoundViewSet(CSVExportMixin, RestrictedModelViewSet):
    """Survey rounds (joint). Create with ``{relationship, instrument, title, period_start,
    period_end, closes_on, min_respondents}``; change or delete only before anyone answers;
    POST ``close`` publishes the results."""

    queryset = SurveyRound.objects.all()
    serializer_class = RoundSerializer
    filterset_class = RoundFilterSet
    select_related = ("instrument",)
    csv_name = "survey-rounds"

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = surveys.survey_round_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        changes = dict(serializer.validated_data)
        changes.pop("relationship", None)
        serializer.instance = surveys.survey_round_update(
            round=serializer.instance, actor=self.request.user, **changes
        )

    def perform_destroy(self, instance: SurveyRound) -> None:
        surveys.survey_round_delete(round=instance, actor=self.request.user)

    @extend_schema(request=None, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close the round: compute and publish its scores and comments."""
        closed = surveys.survey_round_close(round=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=closed.pk)).data)


# --------------------------------------------------------------------------- responses


class AnswerSerializer(serializers.ModelSerializer[SurveyAnswer]):
    statement = serializers.IntegerField(source="statement_id")
    subject = serializers.ChoiceField(choices=Subject.choices)
    rating = serializers.IntegerField(allow_null=True, required=False, default=None)
    comment = serializers.CharField(allow_blank=True, required=False, default="")

    class Meta:
        model = SurveyAnswer
        fields = ["statement", "subject", "rating", "comment"]
        validators: ClassVar[list[Any]] = []


class ResponseSerializer(serializers.ModelSerializer[SurveyResponse]):
    round = RestrictedPrimaryKeyRelatedField(queryset=SurveyRound.objects.all())
    respondent: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    answers = AnswerSerializer(many=True, required=False)
    submit = serializers.BooleanField(
        write_only=True, default=True, help_text="False saves a draft that does not count."
    )

    class Meta:
        model = SurveyResponse
        fields = [
            "id", "round", "respondent", "side", "visibility", "submitted_at", "submit",
            "answers", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["side", "visibility", "submitted_at", "created_at", "updated_at"]
        validators: ClassVar[list[Any]] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["round"].read_only = True
        return fields


def _answer_items(answers: list[dict[str, Any]]) -> list[tuple[Any, str, Any, str]]:
    return [
        (item["statement_id"], item["subject"], item.get("rating"), item.get("comment") or "")
        for item in answers
    ]


class ResponseFilterSet(django_filters.FilterSet):
    round = django_filters.NumberFilter()

    class Meta:
        model = SurveyResponse
        fields = ["round"]


class SurveyResponseViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Responses of your side (the other side's are never listed). POST answers a round
    for your side (a second POST replaces your answers); PATCH revises your own."""

    queryset = SurveyResponse.objects.all()
    serializer_class = ResponseSerializer
    filterset_class = ResponseFilterSet
    select_related = ("respondent",)
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]  # type: ignore[misc]

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("answers")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = surveys.survey_response_save(
            round=data["round"], answers=_answer_items(data.get("answers", [])),
            submit=data.get("submit", True), actor=self.request.user,
        )  # fmt: skip

    def perform_update(self, serializer: Any) -> None:
        response: SurveyResponse = serializer.instance
        data = serializer.validated_data
        if "answers" in data:
            answers = _answer_items(data["answers"])
        else:
            answers = [
                (a.statement_id, a.subject, a.rating, a.comment) for a in response.answers.all()
            ]
        serializer.instance = surveys.survey_response_save(
            round=response.round, answers=answers, submit=data.get("submit", True),
            actor=self.request.user,
        )  # fmt: skip

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().create(request, *args, **kwargs)
        response.data = self.get_serializer(self.get_queryset().get(pk=response.data["id"])).data
        return response

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().update(request, *args, **kwargs)
        response.data = self.get_serializer(self.get_queryset().get(pk=response.data["id"])).data
        return response


# --------------------------------------------------------------------------- results


class ScoreSerializer(serializers.ModelSerializer[SurveyScore]):
    dimension_code = serializers.CharField(source="dimension.code", read_only=True)

    class Meta:
        model = SurveyScore
        fields = [
            "id", "round", "dimension", "dimension_code", "side", "subject", "respondents",
            "mean", "suppressed",
        ]  # fmt: skip


class CommentSerializer(serializers.ModelSerializer[SurveyComment]):
    dimension_code = serializers.CharField(source="dimension.code", read_only=True)

    class Meta:
        model = SurveyComment
        fields = ["id", "round", "dimension", "dimension_code", "side", "subject", "text"]


class ResultFilterSet(django_filters.FilterSet):
    round = django_filters.NumberFilter()
    relationship = django_filters.NumberFilter()
    side = django_filters.CharFilter()
    subject = django_filters.CharFilter()


class ScoreFilterSet(ResultFilterSet):
    class Meta:
        model = SurveyScore
        fields = ["round", "relationship", "side", "subject"]


class CommentFilterSet(ResultFilterSet):
    class Meta:
        model = SurveyComment
        fields = ["round", "relationship", "side", "subject"]


class SurveyScoreViewSet(CSVExportMixin, RestrictedReadOnlyViewSet):
    """A closed round's mean rating per dimension, side (who rated) and subject; ``mean``
    is null and ``suppressed`` true when fewer than the round's minimum rated it."""

    queryset = SurveyScore.objects.all()
    serializer_class = ScoreSerializer
    filterset_class = ScoreFilterSet
    select_related = ("dimension",)
    csv_name = "survey-scores"


class SurveyCommentViewSet(CSVExportMixin, RestrictedReadOnlyViewSet):
    """Comments published without names, from groups that met the round's minimum."""

    queryset = SurveyComment.objects.all()
    serializer_class = CommentSerializer
    filterset_class = CommentFilterSet
    select_related = ("dimension",)
    csv_name = "survey-comments"


# (prefix, viewset, basename) registered by accord.api_urls.
ROUTES: list[tuple[str, Any, str]] = [
    ("survey-instruments", SurveyInstrumentViewSet, "survey-instrument"),
    ("survey-rounds", SurveyRoundViewSet, "survey-round"),
    ("survey-responses", SurveyResponseViewSet, "survey-response"),
    ("survey-scores", SurveyScoreViewSet, "survey-score"),
    ("survey-comments", SurveyCommentViewSet, "survey-comment"),
]
