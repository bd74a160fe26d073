from __future__ import annotations

from rest_framework import serializers

from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.notes.models import Note
from accord.parties.models import Relationship, User


class NoteSerializer(serializers.ModelSerializer[Note]):
    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Note
        fields = [
            "id", "relationship", "title", "body", "visibility", "contractual_dispute",
            "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
