"""Each person's notifications and e-mail preference over the API (their own only).

``PATCH /notifications/{id}/`` with ``read_at`` (any value marks it read now,
``null`` marks it unread); ``POST /notifications/{id}/read/`` and
``POST /notifications/read-all/`` do the same as the page's buttons.
``delivery-preferences`` holds at most one row, the caller's: POST or PATCH
sets ``email`` (immediate, daily, off).
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accord.attention import services
from accord.attention.models import DeliveryPreference, EmailMode, Notification, NotificationKind
from accord.core.api.renderers import CSVExportMixin
from accord.core.api.viewsets import RestrictedViewSetMixin


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    about_type = serializers.CharField(
        source="object_type", read_only=True, help_text="The kind of record it is about."
    )
    about_id = serializers.CharField(source="object_id", read_only=True)
    read_at = serializers.DateTimeField(
        allow_null=True,
        required=False,
        help_text="PATCH any time to mark it read (the server's time is kept), null: unread.",
    )

    class Meta:
        model = Notification
        fields = [
            "id", "kind", "title", "body", "url", "relationship", "about_type", "about_id",
            "created_at", "read_at", "emailed_at",
        ]  # fmt: skip
        read_only_fields = [
            "kind", "title", "body", "url", "relationship", "created_at", "emailed_at",
        ]  # fmt: skip


class NotificationFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices)
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["relationship", "kind", "unread"]


class NotificationViewSet(
    CSVExportMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own notifications, newest first (anyone else's answer 404)."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    csv_name = "notifications"
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]  # type: ignore[misc]

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("-created_at", "-pk")

    def perform_update(self, serializer: Any) -> None:
        data = serializer.validated_data
        notification = serializer.instance
        if "read_at" in data:
            if data["read_at"] is None:
                notification = services.notification_mark_unread(
                    notification=notification, actor=self.request.user
                )
            else:
                notification = services.notification_mark_read(
                    notification=notification, actor=self.request.user
                )
        serializer.instance = notification

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark the notification read."""
        notification = services.notification_mark_read(
            notification=self.get_object(), actor=request.user
        )
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("ReadAll", {"marked_read": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification of yours read."""
        return Response({"marked_read": services.notification_mark_all_read(actor=request.user)})


class DeliveryPreferenceSerializer(serializers.ModelSerializer[DeliveryPreference]):
    person: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    email = serializers.ChoiceField(choices=EmailMode.choices)

    class Meta:
        model = DeliveryPreference
        fields = ["id", "person", "email", "last_digest_at"]
        read_only_fields = ["last_digest_at"]

    def get_validators(self) -> list[Any]:
        return []  # one row per person: the service updates the caller's own


class DeliveryPreferenceViewSet(
    CSVExportMixin,
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """How the caller wants notifications e-mailed (no row: immediately)."""

    queryset = DeliveryPreference.objects.all()
    serializer_class = DeliveryPreferenceSerializer
    csv_name = "delivery-preferences"
    select_related = ("person",)
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]  # type: ignore[misc]

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.delivery_preference_set(
            email=serializer.validated_data["email"], actor=self.request.user
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.delivery_preference_set(
            email=serializer.validated_data.get("email", serializer.instance.email),
            actor=self.request.user,
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("notifications", NotificationViewSet, "notification"),
    ("delivery-preferences", DeliveryPreferenceViewSet, "delivery-preference"),
]
