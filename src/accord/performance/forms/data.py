"""Forms for operational data: uploading a file, filtering the imports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from accord.performance.models import DataSource, ImportStatus


class UploadForm(forms.Form):
    """One file for one data source; the service streams it, validates it and stores it."""

    file = forms.FileField(
        label="File",
        help_text=(
            "CSV or Parquet with the source's declared columns (a ServiceNow source takes the "
            "export as it is, CSV or zip). Any size the disk allows."
        ),
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "The file is empty: choose a file with a header row and data.",
        },
    )

    def __init__(self, *args: Any, source: DataSource, **kwargs: Any) -> None:
        # Each source has its own form on the overview: prefix ids so labels stay unique.
        kwargs.setdefault("auto_id", f"id_source{source.pk}_%s")
        super().__init__(*args, **kwargs)
        self.source = source


class ImportFilterForm(forms.Form):
    """Which imports the overview lists: by source and by status (both optional)."""

    source = forms.ChoiceField(label="Source", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *ImportStatus.choices]
    )

    def __init__(self, *args: Any, sources: Iterable[DataSource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only sources the person may see (the caller passes a restricted list).
        choices = [("", "All sources"), *((str(s.pk), s.name) for s in sources)]
        cast(forms.ChoiceField, self.fields["source"]).choices = choices

    def filters(self) -> dict[str, Any]:
        """Lookups for the chosen filters; an unknown choice filters nothing."""
        self.is_valid()  # cleaned_data then holds the fields that are valid
        data = self.cleaned_data
        chosen: dict[str, Any] = {}
        if data.get("source"):
            chosen["source_id"] = int(data["source"])
        if data.get("status"):
            chosen["status"] = data["status"]
        return chosen
