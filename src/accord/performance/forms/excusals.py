"""Forms of the excusal workflow: request, edit the reason, decline with a note."""

from __future__ import annotations

from typing import Any

from django import forms

MONTH_ATTRS = {
    "placeholder": "YYYY-MM",
    "pattern": r"\d{4}-\d{2}",
    "inputmode": "numeric",
    "autocomplete": "off",
}
REASON_HELP = (
    "What the buyer did or did not do that caused the miss (late data, a change it asked "
    "for...). Both sides sign this text."
)


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class ExcusalRequestForm(forms.Form):
    """The provider's request; the levels offered are the contract's critical ones it may see."""

    service_level = LevelChoiceField(queryset=None, label="Service level", empty_label=None)
    month = forms.CharField(
        max_length=7,
        widget=forms.TextInput(attrs=MONTH_ATTRS),
        help_text="The month of the miss, as YYYY-MM.",
    )
    reason = forms.CharField(widget=forms.Textarea, help_text=REASON_HELP)

    def __init__(self, *args: Any, levels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service_level"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = levels


class ExcusalEditForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea,
        help_text=REASON_HELP + " Saving a new reason voids the signatures given so far.",
    )


class ExcusalDeclineForm(forms.Form):
    note = forms.CharField(
        label="Why decline?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The provider sees this note.",
    )
