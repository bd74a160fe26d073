"""Forms of the index area: the buyer's introspection and its actions."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.health.models import Introspection

SCORE_HELP = "1 = not at all, 5 = fully."


class IntrospectionForm(forms.Form):
    title = forms.CharField(max_length=200)
    assessed_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), help_text="YYYY-MM-DD"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, question in Introspection.QUESTIONS:
            self.fields[f"{key}_score"] = forms.IntegerField(
                label=question,
                min_value=1,
                max_value=5,
                help_text=SCORE_HELP,
                widget=forms.NumberInput(attrs={"min": 1, "max": 5, "step": 1}),
            )
            self.fields[f"{key}_note"] = forms.CharField(
                label=f"Note on {key}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="What makes you say so, with an example.",
            )


class IntrospectionActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="(nobody yet)",
        help_text="One of your side's people with a role on this relationship.",
    )
    due_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="YYYY-MM-DD"
    )
    done = forms.BooleanField(required=False)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = owners
