"""CSV for spreadsheets: ``?format=csv`` on the results and credit-line lists.

The CSV has the same columns as the JSON rows and answers the same filters,
unpaginated (the whole selection, one row per record). Nested values (a
breakdown) are written as JSON text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rest_framework import status
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        value = json.dumps(value, sort_keys=True)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number(value):
        # Text from imported data must not run as a spreadsheet formula.
        return "'" + value
    return value


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, Mapping) and "results" in data:
            data = data["results"]
        if isinstance(data, Mapping):
            # A single record, or an error: one row of its keys.
            data = [data.get("error", data)]
        rows = list(data or [])
        columns = list(rows[0]) if rows else _columns_of_view(renderer_context)
        buffer = io.StringIO()
        if columns:
            writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({key: _cell(value) for key, value in row.items()})
        return buffer.getvalue().encode(self.charset)


def _columns_of_view(renderer_context: Mapping[str, Any] | None) -> list[str]:
    """An empty selection still gets its header row: the columns of the view's rows."""
    view = (renderer_context or {}).get("view")
    get_serializer = getattr(view, "get_serializer", None)
    if get_serializer is None:
        return []
    return list(get_serializer().fields)


class CSVExportMixin:
    """For a viewset: ``?format=csv`` answers the whole filtered selection as a CSV download.

    The same restricted queryset and filters as the JSON list, unpaginated
    (an export is the whole selection), named ``<csv_name>.csv``.
    """

    renderer_classes: Sequence[type[BaseRenderer]] = (
        JSONRenderer,
        BrowsableAPIRenderer,
        CSVRenderer,
    )
    csv_name: ClassVar[str] = "export"
    request: Any

    def _wants_csv(self) -> bool:
        return isinstance(getattr(self.request, "accepted_renderer", None), CSVRenderer)

    def paginate_queryset(self, queryset: Any) -> Any:
        if self._wants_csv():
            return None
        return super().paginate_queryset(queryset)  # type: ignore[misc]

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if self._wants_csv() and response.status_code == status.HTTP_200_OK:
            response["Content-Disposition"] = f'attachment; filename="{self.csv_name}.csv"'
        return response
