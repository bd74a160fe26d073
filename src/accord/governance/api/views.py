"""Governance over the API: forums, members, meetings, attendance, decisions and actions.

Every list answers ``?format=csv``. Writes go through :mod:`accord.governance.services`;
related records named by id are looked up through the visibility rule (a hidden
id fails like a missing one), and people are named by id and must hold a role
on the relationship (anyone else answers the same "choose a person" error).
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accord.core.api.fields import RestrictedPrimaryKeyRelatedField
from accord.core.api.renderers import CSVExportMixin
from accord.core.api.viewsets import RestrictedModelViewSet
from accord.core.exceptions import ValidationError
from accord.core.visibility import side_of
from accord.governance import services
from accord.governance.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    MeetingStatus,
)
from accord.parties.models import Relationship, User

COMMON = ["id", "relationship", "visibility", "created_by", "created_at", "updated_at"]
COMMON_READ_ONLY = ["visibility", "created_at", "updated_at"]


class _Serializer(serializers.ModelSerializer):
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    # Fields a create names but an update may not change.
    create_only: ClassVar[tuple[str, ...]] = ()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            for name in self.create_only:
                fields[name].read_only = True
        return fields

    def get_validators(self) -> list[Any]:
        return []  # uniqueness is the services' to check, with a field-named error


class PersonIdField(serializers.IntegerField):
    """A person by id; the service checks they hold a role on the relationship."""

    def to_representation(self, value: Any) -> int:
        return int(getattr(value, "pk", value))


class ForumSerializer(_Serializer):
    relationship = RestrictedPrimaryKeyRelatedField(queryset=Relationship.objects.all())
    resolve_within_days = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=services.MAX_RESOLVE_DAYS),
        required=False,
        help_text='Days to resolve per severity before escalating, e.g. {"critical": 2}.',
    )
    create_only = ("relationship",)

    class Meta:
        model = Forum
        fields = [
            *COMMON, "name", "tier", "cadence", "terms_of_reference", "resolve_within_days",
        ]  # fmt: skip
        read_only_fields = COMMON_READ_ONLY


class ForumMemberSerializer(_Serializer):
    forum = RestrictedPrimaryKeyRelatedField(queryset=Forum.objects.all())
    person = PersonIdField(help_text="The id of a person who holds a role on the relationship.")
    person_name = serializers.CharField(source="person.get_full_name", read_only=True)
    side = serializers.SerializerMethodField()
    create_only = ("forum", "person")

    class Meta:
        model = ForumMember
        fields = [*COMMON, "forum", "person", "person_name", "side", "is_chair"]
        read_only_fields = [*COMMON_READ_ONLY, "relationship"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_side(self, obj: ForumMember) -> str | None:
        return side_of(obj.person, obj.relationship)


class MeetingSerializer(_Serializer):
    forum = RestrictedPrimaryKeyRelatedField(queryset=Forum.objects.all())
    status = serializers.ChoiceField(
        choices=MeetingStatus.choices,
        required=False,
        help_text="Created scheduled; PATCH held (once started) or cancelled to record it.",
    )

    class Meta:
        model = Meeting
        fields = [
            *COMMON, "forum", "title", "starts_at", "duration_minutes", "location", "agenda",
            "minutes", "status",
        ]  # fmt: skip
        read_only_fields = [*COMMON_READ_ONLY, "relationship"]


class AttendanceSerializer(_Serializer):
    meeting = RestrictedPrimaryKeyRelatedField(queryset=Meeting.objects.all())
    # The role's name (a role's choices are the roles' enum already: no second name for it).
    level = serializers.CharField(
        read_only=True, help_text="executive, manager, contributor or viewer, when recorded."
    )
    person = PersonIdField(help_text="The id of a person who holds a role on the relationship.")
    person_name = serializers.CharField(source="person.get_full_name", read_only=True)
    create_only = ("meeting", "person")

    class Meta:
        model = Attendance
        fields = [*COMMON, "meeting", "person", "person_name", "side", "level", "present"]
        read_only_fields = [*COMMON_READ_ONLY, "relationship", "side", "level"]


class DecisionSerializer(_Serializer):
    meeting = RestrictedPrimaryKeyRelatedField(queryset=Meeting.objects.all())
    create_only = ("meeting",)

    class Meta:
        model = Decision
        fields = [*COMMON, "meeting", "text"]
        read_only_fields = [*COMMON_READ_ONLY, "relationship"]


class ActionItemSerializer(_Serializer):
    relationship = RestrictedPrimaryKeyRelatedField(
        queryset=Relationship.objects.all(),
        required=False,
        help_text="Needed when no meeting is named.",
    )
    meeting = RestrictedPrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True
    )
    owner = PersonIdField(help_text="The id of a person who holds a role on the relationship.")
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)
    overdue = serializers.SerializerMethodField()
    create_only = ("relationship",)

    class Meta:
        model = ActionItem
        fields = [
            *COMMON, "meeting", "title", "owner", "owner_name", "due_date", "status", "overdue",
            "done_at", "note",
        ]  # fmt: skip
        read_only_fields = [*COMMON_READ_ONLY, "done_at"]

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, obj: ActionItem) -> bool:
        return obj.status == ActionStatus.OPEN and obj.due_date < timezone.localdate()


class CompleteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True)


# --------------------------------------------------------------------------- filters


class _RelationshipFilterSet(django_filters.FilterSet):
    # Plain ids: a hidden record filters to nothing, exactly like a missing one.
    relationship = django_filters.NumberFilter(field_name="relationship_id")


def _filterset(model: type[Any], **filters: Any) -> type[django_filters.FilterSet]:
    fields = ["relationship", *filters]
    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}FilterSet", (_RelationshipFilterSet,), {"Meta": meta, **filters})


def _ids(field: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=f"{field}_id")


class _GovernanceViewSet(CSVExportMixin, RestrictedModelViewSet):
    pass


class ForumViewSet(_GovernanceViewSet):
    """A relationship's forums: its escalation ladder by tier (joint)."""

    queryset = Forum.objects.all()
    serializer_class = ForumSerializer
    filterset_class = _filterset(Forum, tier=django_filters.NumberFilter())
    select_related = ("created_by",)
    csv_name = "forums"

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.forum_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.forum_update(
            forum=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: Forum) -> None:
        services.forum_delete(forum=instance, actor=self.request.user)


class ForumMemberViewSet(_GovernanceViewSet):
    """Who sits on each forum, from both sides (PATCH changes only ``is_chair``)."""

    queryset = ForumMember.objects.all()
    serializer_class = ForumMemberSerializer
    filterset_class = _filterset(ForumMember, forum=_ids("forum"), person=_ids("person"))
    select_related = ("person", "relationship", "created_by")
    csv_name = "forum-members"

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.forum_member_add(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.forum_member_update(
            member=serializer.instance,
            is_chair=data.get("is_chair", serializer.instance.is_chair),
            actor=self.request.user,
        )

    def perform_destroy(self, instance: ForumMember) -> None:
        services.forum_member_remove(member=instance, actor=self.request.user)


class MeetingViewSet(_GovernanceViewSet):
    """Meetings of the forums. POST schedules one (the forum's members are told);
    PATCH ``status`` held/cancelled with ``minutes`` records it."""

    queryset = Meeting.objects.all()
    serializer_class = MeetingSerializer
    filterset_class = _filterset(
        Meeting,
        forum=_ids("forum"),
        status=django_filters.ChoiceFilter(choices=MeetingStatus.choices),
    )
    select_related = ("created_by",)
    csv_name = "meetings"

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if data.pop("status", MeetingStatus.SCHEDULED) != MeetingStatus.SCHEDULED:
            raise ValidationError({"status": "A meeting is created scheduled, then recorded."})
        if data.pop("minutes", ""):
            raise ValidationError({"minutes": "Minutes are recorded once the meeting is held."})
        serializer.instance = services.meeting_schedule(actor=self.request.user, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        status = data.pop("status", None)
        minutes = data.pop("minutes", None)
        meeting = serializer.instance
        if data:
            meeting = services.meeting_update(meeting=meeting, actor=self.request.user, **data)
        if status is not None or minutes is not None:
            meeting = services.meeting_record(
                meeting=meeting,
                status=status or meeting.status,
                minutes=minutes,
                actor=self.request.user,
            )
        serializer.instance = meeting

    def perform_destroy(self, instance: Meeting) -> None:
        services.meeting_delete(meeting=instance, actor=self.request.user)


class AttendanceViewSet(_GovernanceViewSet):
    """Who was at each meeting, with the side and level they held then (copied at recording)."""

    queryset = Attendance.objects.all()
    serializer_class = AttendanceSerializer
    filterset_class = _filterset(
        Attendance,
        meeting=_ids("meeting"),
        person=_ids("person"),
        present=django_filters.BooleanFilter(),
    )
    select_related = ("person", "created_by")
    csv_name = "attendance"

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.attendance_set(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.attendance_update(
            attendance=serializer.instance,
            present=data.get("present", serializer.instance.present),
            actor=self.request.user,
        )

    def perform_destroy(self, instance: Attendance) -> None:
        services.attendance_remove(attendance=instance, actor=self.request.user)


class DecisionViewSet(_GovernanceViewSet):
    """Decisions the meetings took."""

    queryset = Decision.objects.all()
    serializer_class = DecisionSerializer
    filterset_class = _filterset(Decision, meeting=_ids("meeting"))
    select_related = ("created_by",)
    csv_name = "decisions"

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.decision_add(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.decision_update(
            decision=serializer.instance,
            text=serializer.validated_data.get("text", serializer.instance.text),
            actor=self.request.user,
        )

    def perform_destroy(self, instance: Decision) -> None:
        services.decision_delete(decision=instance, actor=self.request.user)


class ActionFilterSet(_RelationshipFilterSet):
    meeting = _ids("meeting")
    owner = _ids("owner")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text="Open and past due.")

    class Meta:
        model = ActionItem
        fields = ["relationship", "meeting", "owner", "status", "overdue"]

    def filter_overdue(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        late = {"status": ActionStatus.OPEN, "due_date__lt": timezone.localdate()}
        return queryset.filter(**late) if value else queryset.exclude(**late)


class ActionItemViewSet(_GovernanceViewSet):
    """Action items with an owner and a due date (the owner is told). POST
    ``{id}/complete/`` marks one done (its owner, or anyone who may change actions)."""

    queryset = ActionItem.objects.all()
    serializer_class = ActionItemSerializer
    filterset_class = ActionFilterSet
    select_related = ("owner", "created_by")
    csv_name = "actions"

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if data.pop("status", ActionStatus.OPEN) != ActionStatus.OPEN:
            raise ValidationError({"status": "An action is created open."})
        serializer.instance = services.action_add(actor=self.request.user, **data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.action_update(
            action=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: ActionItem) -> None:
        services.action_delete(action=instance, actor=self.request.user)

    @extend_schema(request=CompleteSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Mark the action done, optionally with a note of what was done."""
        item = self.get_object()
        body = CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.action_complete(
            action=item, actor=request.user, note=body.validated_data.get("note") or None
        )
        fresh = self.get_queryset().get(pk=done.pk)
        return Response(self.get_serializer(fresh).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("forums", ForumViewSet, "forum"),
    ("forum-members", ForumMemberViewSet, "forum-member"),
    ("meetings", MeetingViewSet, "meeting"),
    ("attendance", AttendanceViewSet, "attendance"),
    ("decisions", DecisionViewSet, "decision"),
    ("actions", ActionItemViewSet, "action"),
]
