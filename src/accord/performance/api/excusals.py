"""Excusals over the API: the provider asks for relief, both sides co-sign it.

The rules live in :mod:`accord.performance.excusals`; these views parse the
request, call the service and render the excusal.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accord.contracts.models import Contract
from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.core.api.signatures import SignatureSerializer
from accord.core.api.viewsets import RestrictedViewSetMixin
from accord.core.signing import current_signatures
from accord.parties.models import User
from accord.performance import excusals as services
from accord.performance.models import Excusal, ExcusalStatus, ServiceLevel


class ExcusalListSerializer(serializers.ListSerializer[Excusal]):
    """Fetches the signatures of the whole page at once (no query per excusal)."""

    def to_representation(self, data: Any) -> list[Any]:
        items = list(data.all() if hasattr(data, "all") else data)
        user = getattr(self.context.get("request"), "user", None)
        context = cast(dict[str, Any], self.context)  # the dict given to the serializer
        context["signatures"] = current_signatures(items, user)
        return super().to_representation(items)


class ExcusalSerializer(serializers.ModelSerializer[Excusal]):
    """An excusal; ``signatures`` are those of its current ``version``."""

    contract = RestrictedPrimaryKeyRelatedField(queryset=Contract.objects.all())
    service_level = RestrictedPrimaryKeyRelatedField(queryset=ServiceLevel.objects.all())
    service_level_code = serializers.CharField(source="service_level.code", read_only=True)
    month = serializers.CharField(max_length=7, help_text="YYYY-MM")
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    signatures = serializers.SerializerMethodField()

    class Meta:
        model = Excusal
        list_serializer_class = ExcusalListSerializer
        fields = [
            "id", "contract", "service_level", "service_level_code", "month", "reason",
            "status", "version", "signatures", "decided_by", "decided_at", "decision_note",
            "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "status", "version", "decided_at", "decision_note", "created_at", "updated_at",
        ]  # fmt: skip

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            # Only the reason is restated; the level and month are the request itself.
            for name in ("contract", "service_level", "month"):
                fields[name].read_only = True
        return fields

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, obj: Excusal) -> list[dict[str, Any]]:
        found = self.context.get("signatures")
        if found is None or obj.pk not in found:
            user = getattr(self.context.get("request"), "user", None)
            found = current_signatures([obj], user)
        return SignatureSerializer(found[obj.pk], many=True).data  # type: ignore[return-value]


class DeclineSerializer(serializers.Serializer[Any]):
    # Required by the service (after it checks who may decline), so refusals come first.
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="Why the buyer declines (required)."
    )


class ExcusalFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter()
    service_level = django_filters.NumberFilter()
    status = django_filters.MultipleChoiceFilter(choices=ExcusalStatus.choices)
    month = django_filters.CharFilter(help_text="YYYY-MM")

    class Meta:
        model = Excusal
        fields = ["contract", "service_level", "status", "month"]


class ExcusalViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Requests for relief from a critical service level's miss in one month.

    The provider requests (POST ``{contract, service_level, month, reason}``),
    restates the reason (PATCH ``{reason}``: a new version, signatures start
    over) or withdraws. A signatory (executive or manager) of each side signs
    the current version; both signed = approved, and the credits are
    recomputed with the miss excused. A buyer signatory may decline, with a note.
    """

    queryset = Excusal.objects.all()
    serializer_class = ExcusalSerializer
    filterset_class = ExcusalFilterSet
    select_related = ("service_level", "decided_by", "created_by")
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]  # type: ignore[misc]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.excusal_request(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        reason = serializer.validated_data.get("reason", serializer.instance.reason)
        serializer.instance = services.excusal_update(
            excusal=serializer.instance, reason=reason, actor=self.request.user
        )

    def _answer(self, excusal: Excusal) -> Response:
        fresh = self.get_queryset().get(pk=excusal.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=None, responses=ExcusalSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        """Sign the current version for your side (executives and managers)."""
        return self._answer(services.excusal_sign(excusal=self.get_object(), actor=request.user))

    @extend_schema(request=DeclineSerializer, responses=ExcusalSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        """Decline a requested excusal, saying why (a buyer signatory)."""
        excusal = self.get_object()
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.excusal_decline(
                excusal=excusal, note=body.validated_data.get("note", ""), actor=request.user
            )
        )

    @extend_schema(request=None, responses=ExcusalSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw the request, or give up an approved excusal (the provider)."""
        return self._answer(
            services.excusal_withdraw(excusal=self.get_object(), actor=request.user)
        )
