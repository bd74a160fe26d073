from __future__ import annotations

from typing import Any

import django_filters

from accord.core.api.viewsets import RestrictedModelViewSet
from accord.notes import services
from accord.notes.api.serializers import NoteSerializer
from accord.notes.models import Note


class NoteFilterSet(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains")
    # A plain id: a hidden relationship filters to nothing, exactly like a missing one.
    relationship = django_filters.NumberFilter(field_name="relationship_id")

    class Meta:
        model = Note
        fields = ["relationship", "visibility", "title", "contractual_dispute"]


class NoteViewSet(RestrictedModelViewSet):
    """Relationship notes you may see; joint, or private to your side."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    filterset_class = NoteFilterSet
    select_related = ("created_by",)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.note_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.note_update(
            note=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: Note) -> None:
        services.note_delete(note=instance, actor=self.request.user)
