"""Forms of the attention pages."""

from __future__ import annotations

from django import forms

from accord.attention.models import EmailMode


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        label="E-mail me",
        help_text="Every notification also stays under “Needs my attention”.",
    )
