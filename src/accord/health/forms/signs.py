"""Forms of the warning signs' inputs, thresholds and a service level's focus."""

from __future__ import annotations

import decimal
from typing import Any

from django import forms

from accord.health.models import MeetingTier, ProposalStatus
from accord.performance.focus import LevelFocus

MONTH_ATTRS = {"placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}", "inputmode": "numeric"}
DATE = forms.DateInput(attrs={"type": "date"})


class WorkforceMonthForm(forms.Form):
    month = forms.CharField(
        max_length=7, widget=forms.TextInput(attrs=MONTH_ATTRS), help_text="YYYY-MM"
    )
    headcount = forms.IntegerField(min_value=0, help_text="People on the account at month end.")
    joiners = forms.IntegerField(min_value=0, initial=0)
    leavers = forms.IntegerField(min_value=0, initial=0, help_text="Left the provider.")
    moved_out = forms.IntegerField(
        min_value=0, initial=0, label="Moved out", help_text="Moved to other accounts."
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class WorkforceImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="CSV with a header: month,headcount,joiners,leavers,moved_out[,note].",
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        label="Or paste the CSV",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", "The file must be UTF-8 text (CSV).")
        elif not (data.get("text") or "").strip():
            self.add_error("file", "Choose a CSV file or paste its content.")
        return data


class MeetingLogForm(forms.Form):
    held_on = forms.DateField(widget=DATE, label="Held on")
    title = forms.CharField(max_length=200)
    tier = forms.ChoiceField(choices=MeetingTier.choices)
    duration_minutes = forms.IntegerField(min_value=1, label="Duration (minutes)")
    attendees = forms.IntegerField(min_value=1, initial=2)
    buyer_executive_present = forms.BooleanField(required=False, label="Buyer executive present")
    provider_executive_present = forms.BooleanField(
        required=False, label="Provider executive present"
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    proposed_on = forms.DateField(widget=DATE, label="Proposed on")
    status = forms.ChoiceField(choices=ProposalStatus.choices, initial=ProposalStatus.PROPOSED)
    expected_benefit = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Expected benefit"
    )


class FinancialIndicatorForm(forms.Form):
    period_end = forms.DateField(widget=DATE, label="Period end", help_text="Last day reported.")
    revenue = forms.DecimalField(max_digits=18, decimal_places=2, required=False)
    operating_margin = forms.DecimalField(
        max_digits=6, decimal_places=2, required=False, label="Operating margin (%)"
    )
    credit_rating = forms.CharField(max_length=20, required=False)
    source = forms.CharField(max_length=200, required=False, help_text="Annual report, filing...")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SignThresholdForm(forms.Form):
    enabled = forms.BooleanField(required=False, initial=True, label="Watch this sign")
    watch_at = forms.DecimalField(max_digits=9, decimal_places=2, label="Watch from")
    trigger_at = forms.DecimalField(max_digits=9, decimal_places=2, label="Triggered from")
    window_months = forms.IntegerField(min_value=1, max_value=24, label="Window (months)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        watch: decimal.Decimal | None = data.get("watch_at")
        trigger: decimal.Decimal | None = data.get("trigger_at")
        if watch is not None and trigger is not None and trigger < watch:
            self.add_error("trigger_at", "The trigger level cannot be below the watch level.")
        return data


class LevelFocusForm(forms.Form):
    focus = forms.ChoiceField(choices=LevelFocus.choices, help_text="What the level is about.")
