"""The issues API endpoints.

``issues``: list, read, raise (POST), write (PATCH), and the steps as POST
actions (``escalate``, ``resolve``, ``withdraw``, ``reopen``);
``issue-options``: list, read, add; ``issue-events``: the history, read-only.
Every list answers ``?format=csv``. The rules live in
:mod:`accord.issues.services`; these views parse and render.
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accord.contracts.models import ScopeItem
from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.core.api.renderers import CSVExportMixin
from accord.core.api.viewsets import RestrictedViewSetMixin
from accord.core.choices import Visibility
from accord.issues import services
from accord.issues.models import (
    Category,
    EventKind,
    Issue,
    IssueEvent,
    IssueOption,
    IssueStatus,
    Severity,
)
from accord.parties.models import Relationship, User


def _username() -> Any:
    return serializers.SlugRelatedField(slug_field="username", read_only=True)


class IssueSerializer(serializers.ModelSerializer[Issue]):
    """An issue. Positions and interests are written with PATCH, each side its own."""

    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())
    visibility = serializers.ChoiceField(
        choices=Visibility.choices,
        default=Visibility.JOINT,
        help_text="joint, or your own side only (a private issue may later be made joint).",
    )
    category = serializers.ChoiceField(choices=Category.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    services_affected = RestrictedPrimaryKeyRelatedField(
        queryset=ScopeItem.objects.all(), many=True, required=False
    )
    forum_name = serializers.CharField(source="forum.name", read_only=True, default=None)
    created_by: serializers.SlugRelatedField[User] = _username()

    class Meta:
        model = Issue
        fields = [
            "id", "relationship", "visibility", "title", "description", "category", "severity",
            "services_affected", "raised_by_side", "raised_at", "status", "buyer_position",
            "buyer_interests", "provider_position", "provider_interests", "shared_interests",
            "agreed_solution", "contract_letter_cited", "forum", "forum_name", "due_at",
            "resolved_at", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "raised_by_side", "raised_at", "status", "agreed_solution", "forum", "due_at",
            "resolved_at", "created_at", "updated_at",
        ]  # fmt: skip

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is None:
            # A new issue states the facts; positions are written once it exists.
            for name in services.INTEREST_FIELDS:
                fields[name].read_only = True
        else:
            fields["relationship"].read_only = True
        return fields


class ResolveSerializer(serializers.Serializer[Any]):
    agreed_solution = serializers.CharField(required=False, allow_blank=True)
    chosen_option = serializers.IntegerField(
        required=False, allow_null=True, help_text="The id of the option agreed, if any."
    )


class ReasonSerializer(serializers.Serializer[Any]):
    # Required by the service where it is (after it checks who may act).
    reason = serializers.CharField(required=False, allow_blank=True)


class IssueFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    status = django_filters.MultipleChoiceFilter(choices=IssueStatus.choices)
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    forum = django_filters.NumberFilter(field_name="forum_id")
    raised_after = django_filters.IsoDateTimeFilter(field_name="raised_at", lookup_expr="gte")
    raised_before = django_filters.IsoDateTimeFilter(field_name="raised_at", lookup_expr="lt")

    class Meta:
        model = Issue
        fields = ["relationship", "status", "severity", "category", "forum", "visibility",
                  "raised_by_side", "contract_letter_cited"]  # fmt: skip


class IssueViewSet(
    CSVExportMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Issues worked by interest-based negotiation and escalated up the forums on a clock.

    POST raises one (``{relationship, title, description, category, severity,
    visibility, services_affected}``) at the lowest-tier forum. PATCH writes
    your side's position and interests, the shared interests, whether the
    contract's letter was cited, the facts, or shares a private issue
    (``visibility: joint``). The steps are POST actions.
    """

    queryset = Issue.objects.all()
    serializer_class = IssueSerializer
    filterset_class = IssueFilterSet
    select_related = ("forum", "created_by")
    csv_name = "issues"
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]  # type: ignore[misc]

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("services_affected")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.issue_raise(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.issue_update(
            issue=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def _answer(self, issue: Issue) -> Response:
        fresh = self.get_queryset().get(pk=issue.pk)
        return Response(self.get_serializer(fresh).data)

    def _reason(self, request: Request) -> str:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return str(body.validated_data.get("reason", ""))

    @extend_schema(request=ReasonSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str | None = None) -> Response:
        """Take the issue to the next forum up now, with a reason (anyone who may change it)."""
        issue = self.get_object()
        reason = self._reason(request)
        return self._answer(services.issue_escalate(issue=issue, reason=reason, actor=request.user))

    @extend_schema(request=ResolveSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        """Record the agreed solution: its text, or the id of the option chosen."""
        issue = self.get_object()
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.issue_resolve(
                issue=issue,
                agreed_solution=body.validated_data.get("agreed_solution", ""),
                chosen_option=body.validated_data.get("chosen_option"),
                actor=request.user,
            )
        )

    @extend_schema(request=ReasonSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw the issue (the side that raised it)."""
        issue = self.get_object()
        reason = self._reason(request)
        return self._answer(services.issue_withdraw(issue=issue, reason=reason, actor=request.user))

    @extend_schema(request=ReasonSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Reopen a resolved or withdrawn issue, with a reason."""
        issue = self.get_object()
        reason = self._reason(request)
        return self._answer(services.issue_reopen(issue=issue, reason=reason, actor=request.user))


class IssueOptionSerializer(serializers.ModelSerializer[IssueOption]):
    issue = RestrictedPrimaryKeyRelatedField(queryset=Issue.objects.all())
    created_by: serializers.SlugRelatedField[User] = _username()

    class Meta:
        model = IssueOption
        fields = [
            "id", "issue", "relationship", "visibility", "text", "proposed_by_side", "chosen",
            "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = [
            "relationship",
            "visibility",
            "proposed_by_side",
            "chosen",
            "created_at",
        ]


class IssueOptionFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    issue = django_filters.NumberFilter(field_name="issue_id")

    class Meta:
        model = IssueOption
        fields = ["relationship", "issue", "chosen", "proposed_by_side"]


class IssueOptionViewSet(
    CSVExportMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Options generated for issues. POST ``{issue, text}`` adds one (your side proposes it);
    the one agreed is marked ``chosen`` when the issue is resolved."""

    queryset = IssueOption.objects.all()
    serializer_class = IssueOptionSerializer
    filterset_class = IssueOptionFilterSet
    select_related = ("created_by",)
    csv_name = "issue-options"

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.option_add(
            issue=serializer.validated_data["issue"],
            text=serializer.validated_data["text"],
            actor=self.request.user,
        )


class IssueEventSerializer(serializers.ModelSerializer[IssueEvent]):
    actor: serializers.SlugRelatedField[User] = _username()
    from_forum_name = serializers.CharField(source="from_forum.name", read_only=True, default=None)
    to_forum_name = serializers.CharField(source="to_forum.name", read_only=True, default=None)

    class Meta:
        model = IssueEvent
        fields = [
            "id", "issue", "relationship", "visibility", "kind", "at", "actor", "automatic",
            "from_forum", "from_forum_name", "to_forum", "to_forum_name", "note", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class IssueEventFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    issue = django_filters.NumberFilter(field_name="issue_id")
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices)

    class Meta:
        model = IssueEvent
        fields = ["relationship", "issue", "kind", "automatic"]


class IssueEventViewSet(CSVExportMixin, RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Every step of every issue you may see, written by the services and the clock
    (``automatic``: a step the escalation clock took)."""

    queryset = IssueEvent.objects.all()
    serializer_class = IssueEventSerializer
    filterset_class = IssueEventFilterSet
    select_related = ("actor", "from_forum", "to_forum")
    csv_name = "issue-events"


def routes() -> list[tuple[str, Any, str]]:
    """(prefix, viewset, basename) of every issues endpoint."""
    return [
        ("issues", IssueViewSet, "issue"),
        ("issue-options", IssueOptionViewSet, "issue-option"),
        ("issue-events", IssueEventViewSet, "issue-event"),
    ]
