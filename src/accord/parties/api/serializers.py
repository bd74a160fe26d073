from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.core.choices import Action
from accord.parties.models import Organisation, Relationship, Role, User


class OrganisationBriefSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class RelationshipSerializer(serializers.ModelSerializer[Relationship]):
    buyer = OrganisationBriefSerializer(read_only=True)
    provider = OrganisationBriefSerializer(read_only=True)
    my_side = serializers.SerializerMethodField()

    class Meta:
        model = Relationship
        fields = [
            "id", "name", "services", "status", "start_date", "end_date", "buyer", "provider",
            "my_side",
        ]  # fmt: skip

    def get_my_side(self, obj: Relationship) -> str | None:
        return obj.side_of(self.context["request"].user)


class PersonBriefSerializer(serializers.ModelSerializer[User]):
    organisation: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "organisation"]


class RoleSerializer(serializers.ModelSerializer[Role]):
    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())
    person = RestrictedPrimaryKeyRelatedField(queryset=User.objects.all(), action=Action.CHANGE)
    person_detail = PersonBriefSerializer(source="person", read_only=True)
    side = serializers.CharField(read_only=True)

    class Meta:
        model = Role
        fields = ["id", "relationship", "person", "person_detail", "role", "side", "created_at"]

    def to_representation(self, instance: Role) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["person"] = instance.person_id
        return data
