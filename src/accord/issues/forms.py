"""Forms of the issue pages: raise, edit (your side's voice), option, resolve, escalate,
withdraw, reopen.

Every choice offered (scope items, options, visibilities) comes from what the
person may see; the services check again.
"""

from __future__ import annotations

from typing import Any

from django import forms

from accord.core.choices import Side, Visibility
from accord.issues.models import Category, Issue, IssueStatus, Severity

ROWS = {"rows": 4}
PROMPTS = {
    "position": "What your side asks for, in a sentence or two.",
    "interests": (
        "Why: the challenges behind the position. The other side will ask you: "
        "“Help us understand what the challenges are for you.”"
    ),
    "shared": "What both sides want, whatever the position: the ground a solution stands on.",
}


class ScopeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_status_display().lower()})"


class IssueRaiseForm(forms.Form):
    """Raise an issue: the visibilities offered are joint and the raiser's own side."""

    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs=ROWS),
        help_text="What is happening and its effect, as facts both sides can check.",
    )
    category = forms.ChoiceField(choices=Category.choices)
    severity = forms.ChoiceField(
        choices=Severity.choices,
        initial=Severity.MEDIUM,
        help_text="Sets how long each forum has before the issue escalates.",
    )
    services_affected = ScopeChoiceField(
        queryset=None,
        required=False,
        label="Services affected",
        help_text="From the relationship's scope register (hold Ctrl or ⌘ to choose several).",
    )
    visibility = forms.ChoiceField(
        label="Who sees it",
        help_text="Joint: worked with the other side. Your side only: prepare it internally, "
        "share it later.",
    )
    contract_letter_cited = forms.BooleanField(
        required=False,
        label="The contract's letter has been cited",
        help_text="A side pushed back citing the contract's letter over its spirit "
        "(counts toward warning sign 6 when joint).",
    )

    def __init__(self, *args: Any, scope: Any, side: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["services_affected"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = scope
        visibility = self.fields["visibility"]
        assert isinstance(visibility, forms.ChoiceField)
        visibility.choices = [
            (Visibility.JOINT, "Joint (both sides)"),
            (side, f"{Side(side).label} side only"),
        ]
        visibility.initial = Visibility.JOINT


class IssueEditForm(forms.Form):
    """The facts of the issue, the actor's side's position and interests, shared interests.

    Only the actor's side's fields are offered; a private issue can be shared.
    """

    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs=ROWS))
    category = forms.ChoiceField(choices=Category.choices)
    severity = forms.ChoiceField(choices=Severity.choices)
    services_affected = ScopeChoiceField(queryset=None, required=False, label="Services affected")

    def __init__(self, *args: Any, scope: Any, side: str, issue: Issue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["services_affected"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = scope
        whose = Side(side).label.lower()
        self.fields[f"{side}_position"] = forms.CharField(
            label=f"The {whose}'s position",
            required=False,
            widget=forms.Textarea(attrs=ROWS),
            help_text=PROMPTS["position"],
        )
        self.fields[f"{side}_interests"] = forms.CharField(
            label=f"The interests behind it (the {whose}'s challenges)",
            required=False,
            widget=forms.Textarea(attrs=ROWS),
            help_text=PROMPTS["interests"],
        )
        self.fields["shared_interests"] = forms.CharField(
            label="Shared interests",
            required=False,
            widget=forms.Textarea(attrs=ROWS),
            help_text=PROMPTS["shared"],
        )
        self.fields["contract_letter_cited"] = forms.BooleanField(
            required=False,
            label="The contract's letter has been cited",
            help_text="A side pushed back citing the contract's letter over its spirit.",
        )
        if issue.visibility != Visibility.JOINT:
            self.fields["share"] = forms.BooleanField(
                required=False,
                label="Share this issue with the other side",
                help_text="It becomes joint, with its options and history. It cannot be "
                "made private again.",
            )

    def changes(self) -> dict[str, Any]:
        """The cleaned data as the service's changes."""
        data = dict(self.cleaned_data)
        if data.pop("share", False):
            data["visibility"] = Visibility.JOINT
        return data


class OptionForm(forms.Form):
    text = forms.CharField(
        label="A new option",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Generate options before choosing: what else could meet both sides' interests?",
    )


class OptionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.text[:120]} (from the {obj.proposed_by_side})"


class ResolveForm(forms.Form):
    chosen_option = OptionChoiceField(
        queryset=None,
        required=False,
        label="The option agreed",
        empty_label="None of the options as written",
    )
    agreed_solution = forms.CharField(
        label="The agreed shared-interest solution",
        required=False,
        widget=forms.Textarea(attrs=ROWS),
        help_text="How the solution meets both sides' interests. Leave it empty to take the "
        "chosen option's words.",
    )

    def __init__(self, *args: Any, options: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["chosen_option"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = options


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Both sides read this in the issue's history.",
    )

    def __init__(self, *args: Any, required: bool = True, help_text: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if help_text:
            self.fields["reason"].help_text = help_text


class IssueFilterForm(forms.Form):
    """The list's filters: stage, severity, forum (all optional)."""

    status = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "Any stage"), ("open", "Open (any open stage)"), *IssueStatus.choices],
    )
    severity = forms.ChoiceField(required=False, choices=[("", "Any severity"), *Severity.choices])
    forum = forms.ChoiceField(required=False, label="Forum")

    def __init__(self, *args: Any, forums: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["forum"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Any forum"), *[(str(f.pk), str(f)) for f in forums]]
