"""Forms for the schedule, one service level's targets and a data source's import settings."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.contracts.forms import TimeZoneField
from accord.performance.models import ImportFormat, LevelKind

MAX_SCHEDULE_BYTES = 1_000_000


class ScheduleForm(forms.Form):
    """The schedule's YAML, typed or pasted into the text area, or uploaded as a file."""

    document = forms.CharField(
        required=False,
        strip=False,
        label="Schedule (YAML)",
        widget=forms.Textarea(
            attrs={"rows": 28, "spellcheck": "false", "wrap": "off", "class": "yaml-input"}
        ),
    )
    file = forms.FileField(
        required=False,
        label="…or upload a file",
        help_text="A .yaml file; when given it replaces the text above.",
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml,text/plain"}),
    )
    summary = forms.CharField(
        required=False,
        max_length=300,
        label="What changed",
        help_text="A few words for the version history, e.g. “P2 expected raised to 92 %”.",
    )

    def clean_file(self) -> str | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > MAX_SCHEDULE_BYTES:
            raise forms.ValidationError("A schedule is a text file of at most 1 MB.")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text: save the schedule as a plain .yaml file."
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        text = data.get("file") or data.get("document") or ""
        # Browsers send text areas with CRLF line ends; the schedule keeps plain newlines,
        # so the same text saved twice is the same version and line numbers agree.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip() and not self.errors:
            raise forms.ValidationError("Write the schedule in the text area or upload a file.")
        if text and not text.endswith("\n"):
            text += "\n"
        data["text"] = text
        return data


class ServiceLevelForm(forms.Form):
    """One level's name, kind and targets; saving writes a new schedule version."""

    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        choices=LevelKind.choices,
        help_text="Critical service levels carry credits; key measurements are reported only.",
    )
    expected = forms.DecimalField(
        max_digits=9,
        decimal_places=3,
        label="Expected level",
        help_text="The target met in a normal month.",
    )
    minimum = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=3,
        label="Minimum level",
        help_text="Missing it triggers a credit at once (critical levels). Leave empty for none.",
    )
    minimum_volume = forms.IntegerField(
        required=False,
        min_value=0,
        label="Minimum volume",
        help_text="Fewer rows than this in a period and the level is not judged (below volume).",
    )
    allocation_percent = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=3,
        min_value=0,
        label="Allocation (% of the at-risk amount)",
        help_text="Critical levels only: the credit when the level triggers one. "
        "Allocations together may not exceed the contract's pool.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("kind") == LevelKind.KEY and data.get("allocation_percent") is not None:
            self.add_error(
                "allocation_percent",
                "A key measurement carries no credit: leave the allocation empty, "
                "or make the level critical.",
            )
        return data


class DataSourceForm(forms.Form):
    """How a source's files are read."""

    import_format = forms.ChoiceField(
        choices=ImportFormat.choices,
        widget=forms.RadioSelect,
        label="Import format",
    )
    timezone = TimeZoneField(
        required=False,
        label="Time zone of timestamps written without one",
        help_text="Required for a ServiceNow export (its d/m/Y H:M times carry no zone); "
        "leave empty when every timestamp states its offset.",
    )
    description = forms.CharField(
        required=False, max_length=300, help_text="What the source holds, for people."
    )
