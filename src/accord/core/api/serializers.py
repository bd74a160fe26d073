from rest_framework import serializers

from accord.core.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    class Meta:
        model = AuditEntry
        fields = [
            "id", "seq", "timestamp", "actor_id", "actor_name", "request_id", "action",
            "object_type", "object_id", "object_repr", "relationship_id", "visibility", "before",
            "after", "prev_hash", "hash",
        ]  # fmt: skip
