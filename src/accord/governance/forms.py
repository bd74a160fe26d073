"""Forms of governance. Choices (people, forums, meetings) come from restricted querysets
given by the views; the services check them again."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.governance.models import ActionStatus, Cadence, MeetingStatus, Tier
from accord.issues.models import Severity

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def resolve_field_name(severity: str) -> str:
    return f"resolve_{severity}"


class ForumForm(forms.Form):
    """A forum, with the days an issue of each severity may sit at it before it escalates."""

    name = forms.CharField(max_length=200)
    tier = forms.TypedChoiceField(
        choices=Tier.choices,
        coerce=int,
        help_text="Issues escalate from a lower tier to the next one up.",
    )
    cadence = forms.ChoiceField(choices=Cadence.choices, initial=Cadence.MONTHLY)
    terms_of_reference = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Purpose, who chairs, what it decides and what it escalates (Markdown).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for severity, label in Severity.choices:
            self.fields[resolve_field_name(severity)] = forms.IntegerField(
                label=f"Days to resolve a {label.lower()} issue",
                min_value=1,
                max_value=365,
                required=False,
                help_text="Before it escalates to the next tier. Leave empty for the "
                "default of the forum's tier.",
            )

    def cleaned_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        days = {}
        for severity in Severity.values:
            value = data.pop(resolve_field_name(severity), None)
            if value:
                days[severity] = value
        data["resolve_within_days"] = days
        return data

    @staticmethod
    def initial_for(forum: Any) -> dict[str, Any]:
        initial = {
            "name": forum.name,
            "tier": forum.tier,
            "cadence": forum.cadence,
            "terms_of_reference": forum.terms_of_reference,
        }
        for severity, days in (forum.resolve_within_days or {}).items():
            initial[resolve_field_name(severity)] = days
        return initial


class PersonChoiceField(forms.ModelChoiceField):
    """People labelled with their side and level on the relationship."""

    def __init__(self, *args: Any, labels: dict[int, str] | None = None, **kwargs: Any) -> None:
        self.labels = labels or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.get(obj.pk) or str(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, labels: dict[int, str] | None = None, **kwargs: Any) -> None:
        self.labels = labels or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.get(obj.pk) or str(obj)


class ForumMemberForm(forms.Form):
    person = PersonChoiceField(
        queryset=None, empty_label=None, help_text="Anyone who holds a role on the relationship."
    )
    is_chair = forms.BooleanField(required=False, label="Chairs the forum")

    def __init__(self, *args: Any, people: Any, labels: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, PersonChoiceField)
        field.queryset = people
        field.labels = labels


class MeetingForm(forms.Form):
    """A meeting's details; the date and time are the relationship's local time."""

    title = forms.CharField(max_length=200)
    starts_at = forms.DateTimeField(
        label="Starts", widget=DATETIME_WIDGET, help_text="Local time of the relationship."
    )
    duration_minutes = forms.IntegerField(label="Duration (minutes)", min_value=1, initial=60)
    location = forms.CharField(max_length=200, required=False)
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text="One item a line."
    )


class MeetingEditForm(MeetingForm):
    forum: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, empty_label=None)

    field_order = ["forum", "title", "starts_at", "duration_minutes", "location", "agenda"]

    def __init__(self, *args: Any, forums: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["forum"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = forums


class MeetingRecordForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(MeetingStatus.HELD, "Held"), (MeetingStatus.CANCELLED, "Cancelled")],
        widget=forms.RadioSelect,
        label="The meeting was",
    )
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text="What was discussed (Markdown). Decisions and actions are recorded below it.",
    )


class AttendanceForm(forms.Form):
    """Tick who was there: the people of the relationship, both sides."""

    present = PeopleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who was there",
        help_text="Forum members not ticked are recorded absent.",
    )

    def __init__(self, *args: Any, people: Any, labels: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        assert isinstance(field, PeopleChoiceField)
        field.queryset = people
        field.labels = labels


class DecisionForm(forms.Form):
    text = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In the words of the minutes.",
    )


class ActionForm(forms.Form):
    title = forms.CharField(max_length=300, label="Action")
    owner = PersonChoiceField(queryset=None, help_text="Anyone who holds a role on either side.")
    due_date = forms.DateField(widget=DATE_WIDGET, label="Due")
    meeting: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, help_text="The meeting that agreed it, if any."
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self, *args: Any, people: Any, labels: dict[int, str], meetings: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, PersonChoiceField)
        owner.queryset = people
        owner.labels = labels
        meeting = self.fields["meeting"]
        assert isinstance(meeting, forms.ModelChoiceField)
        meeting.queryset = meetings


class ActionEditForm(ActionForm):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class ActionCompleteForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="What was done",
        help_text="Optional: replaces the action's note.",
    )
