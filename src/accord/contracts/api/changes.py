"""Change requests and scope questions in the API.

The rules live in :mod:`accord.contracts.changes` and
:mod:`accord.contracts.scope_questions`; these views parse the request, call
the service and render the record. Related records named by id (contract,
scope items, change request) resolve only to what the caller may see, so a
hidden id fails exactly like one that does not exist. Every list answers
``?format=csv``.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accord.contracts import changes as services
from accord.contracts import scope_questions as questions
from accord.contracts.models import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    Contract,
    ScopeItem,
    ScopeQuestion,
    ScopeStatus,
)
from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.core.api.renderers import CSVExportMixin
from accord.core.api.signatures import SignatureSerializer
from accord.core.api.viewsets import RestrictedViewSetMixin
from accord.core.choices import Side
from accord.core.models import Signature
from accord.core.signing import current_signatures
from accord.parties.models import Relationship, User


class ChangeListSerializer(serializers.ListSerializer[ChangeRequest]):
    """Fetches the signatures of the whole page at once (no query per change request)."""

    def to_representation(self, data: Any) -> list[Any]:
        items = list(data.all() if hasattr(data, "all") else data)
        user = getattr(self.context.get("request"), "user", None)
        context = cast(dict[str, Any], self.context)
        context["signatures"] = current_signatures(items, user)
        return super().to_representation(items)


class ScopeItemsField(RestrictedPrimaryKeyRelatedField):
    """One scope item the change touches (a list of them: ``many=True``)."""


@extend_schema_field(
    {"type": "string", "readOnly": True, "description": "The side: buyer or provider."}
)
class SideField(serializers.CharField):
    """A side, read-only (one schema for every side of every record: no enum of its own)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)


class ChangeSerializer(serializers.ModelSerializer[ChangeRequest]):
    """A change request (the schema's ``Change``).

    ``signatures`` are those of its current ``version``; ``awaiting`` the sides
    still to sign it.
    """

    contract = RestrictedPrimaryKeyRelatedField(queryset=Contract.objects.all())
    code = serializers.CharField(read_only=True, help_text="CR-n")
    proposed_by_side = SideField()
    scope_items = ScopeItemsField(queryset=ScopeItem.objects.all(), many=True, required=False)
    scope_item = RestrictedPrimaryKeyRelatedField(
        queryset=ScopeItem.objects.all(), required=False, allow_null=True
    )
    new_scope_status = serializers.ChoiceField(
        choices=ScopeStatus.choices, required=False, allow_blank=True
    )
    schedule_document = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False
    )
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    signatures = serializers.SerializerMethodField()
    awaiting = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequest
        list_serializer_class = ChangeListSerializer
        fields = [
            "id", "relationship", "contract", "number", "code", "title", "kind", "rationale",
            "impact_cost", "impact_service_levels", "impact_people", "scope_items",
            "scope_item", "scope_action", "new_scope_status", "new_scope_title",
            "new_scope_description", "schedule_document", "new_monthly_fee", "new_fee_from",
            "new_end_date", "status", "version", "proposed_by_side", "signatures", "awaiting",
            "decided_at", "decided_by", "decision_note", "applied_scope_item",
            "applied_schedule_version", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "relationship", "number", "scope_action", "status", "version", "proposed_by_side",
            "decided_at", "decision_note", "applied_scope_item", "applied_schedule_version",
            "created_at", "updated_at",
        ]  # fmt: skip

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["contract"].read_only = True
        return fields

    def _signatures(self, obj: ChangeRequest) -> list[Signature]:
        found = self.context.get("signatures")
        if found is None or obj.pk not in found:
            user = getattr(self.context.get("request"), "user", None)
            found = current_signatures([obj], user)
            cast(dict[str, Any], self.context).setdefault("signatures", {}).update(found)
        return list(found[obj.pk])

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, obj: ChangeRequest) -> list[dict[str, Any]]:
        return SignatureSerializer(self._signatures(obj), many=True).data  # type: ignore[return-value]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_awaiting(self, obj: ChangeRequest) -> list[str]:
        if obj.status != ChangeStatus.PROPOSED:
            return []
        signed = {s.side for s in self._signatures(obj)}
        return [side for side in (Side.BUYER, Side.PROVIDER) if side not in signed]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The service validates the whole proposal (and says which field is wrong).
        return attrs


class ChangeDeclineSerializer(serializers.Serializer[Any]):
    # Required by the service (after it checks who may decline), so refusals come first.
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="Why the change is declined (required)."
    )


class ChangeFilterSet(django_filters.FilterSet):
    # Plain ids: a hidden record filters to nothing, exactly like a missing one.
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    contract = django_filters.NumberFilter(field_name="contract_id")
    status = django_filters.MultipleChoiceFilter(choices=ChangeStatus.choices)
    kind = django_filters.MultipleChoiceFilter(choices=ChangeKind.choices)
    awaiting = django_filters.ChoiceFilter(
        choices=Side.choices,
        method="filter_awaiting",
        help_text="Proposed change requests whose current version this side has not signed.",
    )

    class Meta:
        model = ChangeRequest
        fields = ["relationship", "contract", "status", "kind", "awaiting"]

    def filter_awaiting(self, queryset: Any, name: str, value: str) -> Any:
        return services.with_signed_sides(queryset).filter(services.awaiting_q(value))


class ChangeRequestViewSet(
    CSVExportMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Change requests of scope, service levels, price or term.

    Either side proposes (POST with ``contract``, ``title``, ``kind``,
    ``rationale``, the impact, ``scope_items`` and what approval applies for
    the kind) and either side edits a proposed one (PATCH: a new version, the
    signatures start over). A signatory (executive or manager) of each side
    signs the current version; the second signature approves and applies the
    change. A signatory of the side that did not propose may decline, with a
    note; the proposing side may withdraw.
    """

    queryset = ChangeRequest.objects.all()
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    csv_name = "change-requests"
    select_related = ("created_by", "decided_by")
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]  # type: ignore[misc]

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("scope_items")

    def _data(self, validated: dict[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in validated.items() if k in services.EDITABLE}
        if "scope_items" in data:
            data["scope_items"] = list(data["scope_items"])
        return data

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        contract = data.pop("contract")
        serializer.instance = services.change_propose(
            contract=contract, actor=self.request.user, **self._data(data)
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.change_update(
            change=serializer.instance,
            actor=self.request.user,
            **self._data(serializer.validated_data),
        )

    def _answer(self, change: ChangeRequest) -> Response:
        fresh = self.get_queryset().get(pk=change.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=None, responses=ChangeSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        """Sign the current version for your side (executives and managers); the second
        side's signature approves and applies the change."""
        return self._answer(services.change_sign(change=self.get_object(), actor=request.user))

    @extend_schema(request=ChangeDeclineSerializer, responses=ChangeSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        """Decline a proposed change, saying why (a signatory of the side that did not
        propose it)."""
        change = self.get_object()
        body = ChangeDeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.change_decline(
                change=change, note=body.validated_data.get("note", ""), actor=request.user
            )
        )

    @extend_schema(request=None, responses=ChangeSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw a proposed change (the side that proposed it)."""
        return self._answer(services.change_withdraw(change=self.get_object(), actor=request.user))


# --------------------------------------------------------------------------- scope questions


class ScopeQuestionSerializer(serializers.ModelSerializer[ScopeQuestion]):
    """A scope question; ``resolution`` is empty while it is open."""

    asked_by_side = SideField()
    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    resolved_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ScopeQuestion
        fields = [
            "id", "relationship", "question", "asked_by_side", "resolution", "answer",
            "scope_item", "change_request", "resolved_at", "resolved_by", "created_by",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "asked_by_side", "resolution", "answer", "scope_item", "change_request",
            "resolved_at", "created_at", "updated_at",
        ]  # fmt: skip


class ScopeQuestionResolveSerializer(serializers.Serializer[Any]):
    resolution = serializers.ChoiceField(choices=ScopeStatus.choices)
    answer = serializers.CharField(help_text="The answer, and the clause or fact it rests on.")
    scope_item = RestrictedPrimaryKeyRelatedField(
        queryset=ScopeItem.objects.all(),
        required=False,
        allow_null=True,
        help_text="The register entry the answer rests on (required for in_scope).",
    )
    change_request = RestrictedPrimaryKeyRelatedField(
        queryset=ChangeRequest.objects.all(),
        required=False,
        allow_null=True,
        help_text="For out_of_scope: the change request that would bring it in.",
    )


class ScopeQuestionFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    resolution = django_filters.MultipleChoiceFilter(choices=ScopeStatus.choices)
    open = django_filters.BooleanFilter(
        method="filter_open", help_text="true: unanswered questions; false: answered ones."
    )

    class Meta:
        model = ScopeQuestion
        fields = ["relationship", "resolution", "open"]

    def filter_open(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.filter(resolution="") if value else queryset.exclude(resolution="")


class ScopeQuestionViewSet(
    CSVExportMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """ "Is this in scope?": either side asks (POST ``{relationship, question}``) and either
    side answers (``resolve``: in_scope resting on an in-scope item, out_of_scope with the
    change request that follows, or tbd) or reopens an answered question."""

    queryset = ScopeQuestion.objects.all()
    serializer_class = ScopeQuestionSerializer
    filterset_class = ScopeQuestionFilterSet
    csv_name = "scope-questions"
    select_related = ("created_by", "resolved_by")
    http_method_names: ClassVar[list[str]] = ["get", "post", "head", "options"]  # type: ignore[misc]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = questions.question_ask(
            relationship=serializer.validated_data["relationship"],
            question=serializer.validated_data["question"],
            actor=self.request.user,
        )

    def _answer(self, question: ScopeQuestion) -> Response:
        fresh = self.get_queryset().get(pk=question.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=ScopeQuestionResolveSerializer, responses=ScopeQuestionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        """Answer an open question (either side, with a role that changes joint records)."""
        question = self.get_object()
        body = ScopeQuestionResolveSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        return self._answer(
            questions.question_resolve(question=question, actor=request.user, **body.validated_data)
        )

    @extend_schema(request=None, responses=ScopeQuestionSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Open an answered question again (its answer stays in the audit trail)."""
        return self._answer(
            questions.question_reopen(question=self.get_object(), actor=request.user)
        )


# (prefix, viewset, basename) registered by accord.api_urls.
ROUTES: list[tuple[str, Any, str]] = [
    ("change-requests", ChangeRequestViewSet, "change-request"),
    ("scope-questions", ScopeQuestionViewSet, "scope-question"),
]
