from __future__ import annotations

from typing import Any

from rest_framework import mixins, viewsets

from accord.core.api.viewsets import RestrictedReadOnlyViewSet, RestrictedViewSetMixin
from accord.parties import services
from accord.parties.api.filtersets import RelationshipFilterSet, RoleFilterSet
from accord.parties.api.serializers import RelationshipSerializer, RoleSerializer
from accord.parties.models import Relationship, Role


class RelationshipViewSet(RestrictedReadOnlyViewSet):
    """Relationships you hold a role on (organisation admins: all of their organisation's)."""

    queryset = Relationship.objects.all()
    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilterSet
    select_related = ("buyer", "provider")


class RoleViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Roles on your relationships. Organisation admins assign and remove their own people's."""

    queryset = Role.objects.all()
    serializer_class = RoleSerializer
    filterset_class = RoleFilterSet
    select_related = ("person", "relationship")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.role_assign(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: Role) -> None:
        services.role_remove(role=instance, actor=self.request.user)
