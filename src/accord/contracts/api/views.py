"""Contracts and the scope register: every read through ``restrict``, writes through services."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters

from accord.contracts import services
from accord.contracts.api.serializers import ContractSerializer, ScopeItemSerializer
from accord.contracts.models import Contract, ScopeItem, ScopeStatus
from accord.core.api.viewsets import RestrictedModelViewSet


class ContractFilterSet(django_filters.FilterSet):
    class Meta:
        model = Contract
        fields = ["relationship"]


class ContractViewSet(RestrictedModelViewSet):
    """The contract of each relationship you hold a role on (one per relationship; joint).

    Create names the relationship; a relationship you cannot see answers like one
    that does not exist. Changing the terms recomputes the scorecards and credits.
    """

    queryset = Contract.objects.all()
    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet
    # A contract is never removed through the API: its scorecards and credits hang on it.
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]  # type: ignore[misc]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.contract_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.contract_update(
            contract=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class ScopeItemFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ScopeStatus.choices)
    title = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = ScopeItem
        fields = ["relationship", "status", "title"]


class ScopeItemViewSet(RestrictedModelViewSet):
    """The scope register: services in scope, out of scope and to be determined, with clauses."""

    queryset = ScopeItem.objects.all()
    serializer_class = ScopeItemSerializer
    filterset_class = ScopeItemFilterSet

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.scope_item_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.scope_item_update(
            item=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: ScopeItem) -> None:
        services.scope_item_delete(item=instance, actor=self.request.user)
