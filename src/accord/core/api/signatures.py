"""How the API shows the signatures of a co-signed record (plans, change requests, excusals)."""

from __future__ import annotations

from rest_framework import serializers

from accord.core.models import Signature
from accord.parties.models import User


class SignatureSerializer(serializers.ModelSerializer[Signature]):
    """One side's signature on the record's current version."""

    signer: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Signature
        fields = ["side", "signer", "version", "signed_at"]
        read_only_fields = fields
