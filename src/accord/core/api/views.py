from __future__ import annotations

import django_filters
from rest_framework import viewsets

from accord.core.api.serializers import AuditEntrySerializer
from accord.core.models import AuditAction, AuditEntry


class AuditEntryFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    since = django_filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="gte")

    class Meta:
        model = AuditEntry
        fields = ["relationship", "object_type", "object_id", "action", "since"]


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet[AuditEntry]):
    """The audit entries of records you may see. Read-only: the log is append-only."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    queryset = AuditEntry.objects.all()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return AuditEntry.objects.restrict(self.request.user).order_by("-seq")
