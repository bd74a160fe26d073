"""Forms of the private records: the buyer's credit forecast, the provider's cost notes."""

from __future__ import annotations

import decimal
from typing import Any

from django import forms

from accord.performance.forms.excusals import MONTH_ATTRS, LevelChoiceField


class ForecastForm(forms.Form):
    year = forms.IntegerField(min_value=1900, max_value=2999, help_text="The contract year.")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="For your side only, like the forecast itself.",
    )


class CostNoteForm(forms.Form):
    month = forms.CharField(
        max_length=7, widget=forms.TextInput(attrs=MONTH_ATTRS), help_text="YYYY-MM"
    )
    service_level = LevelChoiceField(
        queryset=None,
        required=False,
        label="Service level",
        empty_label="(none in particular)",
    )
    title = forms.CharField(max_length=200)
    amount = forms.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=decimal.Decimal(0),
        required=False,
        help_text="What it cost, in the contract's currency.",
    )
    body = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text="Markdown. Only your side ever sees this note.",
    )

    def __init__(self, *args: Any, levels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service_level"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = levels
