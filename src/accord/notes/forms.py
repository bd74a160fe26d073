from __future__ import annotations

from typing import Any, cast

from django import forms

from accord.core.choices import Visibility


class NoteForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea, required=False, help_text="Markdown. HTML is removed."
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        help_text="Joint notes are seen by both sides; private ones by your side only.",
    )

    contractual_dispute = forms.BooleanField(
        required=False,
        label="Cites the contract's letter",
        help_text="Push-back citing contractual constraints; joint notes tagged so feed the "
        "warning sign “push-back citing contractual constraints”.",
    )

    def __init__(self, *args: Any, side: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the choices this person may use: joint or their own side.
        cast(forms.ChoiceField, self.fields["visibility"]).choices = Visibility.choices_for_side(
            side
        )
