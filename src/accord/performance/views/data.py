"""Pages for operational data: a relationship's sources and imports, uploading, one import.

Uploads go through :func:`accord.performance.imports.data_import_create`; the
pages only parse the request and render what the services and the
visibility rule allow. While an import runs, its page polls a fragment of
itself with htmx (``hx-trigger="every 1s"``) and reloads when it ends.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views import View
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from accord.contracts.models import Contract
from accord.core.choices import Action, Visibility
from accord.core.views import RestrictedObjectMixin, add_form_errors, person_of
from accord.core.visibility import can
from accord.engine.tz import get_zone
from accord.parties.models import Relationship
from accord.performance import imports
from accord.performance.forms.data import ImportFilterForm, UploadForm
from accord.performance.models import (
    DataImport,
    DataSource,
    ImportStatus,
    ScheduleVersion,
    ScorecardRun,
)
from accord.performance.services import current_version

IMPORTS_PER_PAGE = 25
RUNS_SHOWN = 10
ROWS_TARGET = "import-rows"


def _month(instant: datetime.datetime, zone: str) -> str:
    return instant.astimezone(get_zone(zone)).strftime("%Y-%m")


def _months_between(first: str, last: str) -> int:
    (fy, fm), (ly, lm) = (map(int, first.split("-")), map(int, last.split("-")))
    return (ly * 12 + lm) - (fy * 12 + fm) + 1


@dataclass
class SourceRow:
    """A data source as the overview shows it, with what its imports hold so far."""

    source: DataSource
    form: UploadForm
    imports: int = 0
    rows: int = 0
    first_month: str = ""
    last_month: str = ""

    @property
    def months(self) -> int:
        return _months_between(self.first_month, self.last_month) if self.first_month else 0


def source_rows(
    user: Any, relationship: Relationship, sources: Iterable[DataSource], zone: str
) -> list[SourceRow]:
    """Each source with the rows and months its succeeded imports cover (one query)."""
    totals = {
        row["source_id"]: row
        for row in DataImport.objects.restrict(user)
        .filter(relationship=relationship, status=ImportStatus.SUCCEEDED)
        .order_by()
        .values("source_id")
        .annotate(
            count=Count("pk"),
            rows=Sum("rows"),
            first=Min("first_instant"),
            last=Max("last_instant"),
        )
    }
    result = []
    for source in sources:
        row = SourceRow(source=source, form=UploadForm(source=source))
        found = totals.get(source.pk)
        if found:
            row.imports, row.rows = found["count"], found["rows"] or 0
            if found["first"] and found["last"]:
                row.first_month = _month(found["first"], zone)
                row.last_month = _month(found["last"], zone)
        result.append(row)
    return result


class DataOverviewView(RestrictedObjectMixin, View):
    """A relationship's data sources (with an upload form each) and its imports, newest first."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        contract = Contract.objects.restrict(user).filter(relationship=relationship).first()
        version: ScheduleVersion | None = current_version(contract) if contract else None
        sources = list(
            DataSource.objects.restrict(user)
            .filter(relationship=relationship)
            .order_by("retired", "name")
        )
        filters = ImportFilterForm(request.GET, sources=sources)
        chosen = filters.filters()
        listed = (
            DataImport.objects.restrict(user)
            .filter(relationship=relationship, **chosen)
            .select_related("source", "created_by")
            .order_by("-created_at", "-pk")
        )
        page = Paginator(listed, IMPORTS_PER_PAGE).get_page(request.GET.get("page"))
        zone = contract.timezone if contract else "UTC"
        context = {
            "relationship": relationship,
            "contract": contract,
            "version": version,
            "sources": source_rows(user, relationship, [s for s in sources if not s.retired], zone),
            "retired_sources": [s for s in sources if s.retired],
            "filters": filters,
            "filtered": bool(chosen),
            "imports": page.object_list,
            "imports_page": page,
            # An organisation's admin sees its relationships but, without a role, none of
            # their records: say so rather than claim there is no contract.
            "holds_role": can(user, Action.VIEW, relationship, Visibility.JOINT),
            "can_upload": can(user, Action.ADD, relationship, Visibility.JOINT),
            "can_edit_sources": can(user, Action.CHANGE, relationship, Visibility.JOINT),
        }
        if getattr(request, "htmx", False) and request.htmx.target == ROWS_TARGET:  # type: ignore[attr-defined]
            response = render(request, "performance/data/import_rows.html", context)
        else:
            response = render(request, "performance/data/overview.html", context)
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response


class ImportAddView(RestrictedObjectMixin, View):
    """Upload one file for a source (POST, multipart); the import's page follows.

    With htmx the form is swapped in place on an error and the browser is sent
    to the import's page on success; without JavaScript it is an ordinary post.
    """

    model = DataSource

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = self.get_object()
        user = person_of(request)
        if not can(user, Action.ADD, source.relationship, Visibility.JOINT):
            raise PermissionDenied("Your role does not allow importing data.")
        form = UploadForm(request.POST, request.FILES, source=source)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record, is_new = imports.data_import_create(
                    source=source, chunks=upload.chunks(), original_name=upload.name, actor=user
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                self.announce(record, is_new)
                url = record.get_absolute_url()
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(url)
                return redirect(url)
        context = {
            "source": source,
            "relationship": source.relationship,
            "form": form,
            "can_upload": True,
        }
        if getattr(request, "htmx", False):
            return render(request, "performance/data/upload_form.html", context)
        return render(request, "performance/data/import_add.html", context)

    def announce(self, record: DataImport, is_new: bool) -> None:
        if not is_new:
            messages.info(
                self.request,
                f"This file was already imported into {record.source.name} as import "
                f"#{record.pk} ({record.original_name}); nothing was imported again.",
            )
            return
        record.refresh_from_db()  # the import may have run already (inline tasks)
        if record.status == ImportStatus.SUCCEEDED:
            messages.success(
                self.request, f"Imported {record.rows:,} rows from {record.original_name}."
            )
        elif record.status == ImportStatus.FAILED:
            messages.error(
                self.request, f"The import of {record.original_name} failed; nothing was stored."
            )
        else:
            messages.info(self.request, f"{record.original_name} received; importing it now.")


def stored_settings(record: DataImport) -> dict[str, str]:
    """What the stored Parquet file records about its making (time zone, tz database)."""
    if not record.stored_path:
        return {}
    path = Path(settings.DATA_DIR) / record.stored_path
    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, ValueError):
        return {}
    return {key.decode(): value.decode() for key, value in metadata.items()}


class ImportDetailView(RestrictedObjectMixin, View):
    """One import: its file, its outcome, its errors or the scorecard runs it fed.

    An htmx request gets the progress fragment only (the page polls it); once
    the import has ended it answers with a refresh so the whole outcome shows.
    """

    model = DataImport

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record: DataImport = self.get_object()
        user = person_of(request)
        if getattr(request, "htmx", False):
            if record.is_finished:
                return HttpResponseClientRefresh()
            response = render(request, "performance/data/progress.html", {"record": record})
            patch_vary_headers(response, ("HX-Request",))
            return response
        contract = record.source.contract
        runs = ScorecardRun.objects.restrict(user).filter(imports=record).order_by("-pk")
        made = stored_settings(record)
        context = {
            "record": record,
            "source": record.source,
            "relationship": record.relationship,
            "contract": contract,
            "zone": contract.timezone,
            "first_local": _local(record.first_instant, contract.timezone),
            "last_local": _local(record.last_instant, contract.timezone),
            "used_timezone": made.get("accord.timezone"),
            "tz_database": made.get("accord.tz_database", ""),
            "runs": list(runs.select_related("schedule_version")[:RUNS_SHOWN]),
            "runs_total": runs.count(),
            "columns": sorted(
                (record.errors_by_column or {}).items(), key=lambda item: (-item[1], item[0])
            ),
            "can_delete": record.is_finished
            and DataImport.objects.restrict(user, Action.DELETE).filter(pk=record.pk).exists(),
        }
        response = render(request, "performance/data/import_detail.html", context)
        patch_vary_headers(response, ("HX-Request",))
        return response


def _local(instant: datetime.datetime | None, zone: str) -> str:
    if instant is None:
        return ""
    return instant.astimezone(get_zone(zone)).strftime("%Y-%m-%d %H:%M")


class ImportDeleteView(RestrictedObjectMixin, View):
    """Remove an import and its stored file; the scorecards are recomputed without it."""

    model = DataImport
    action = Action.DELETE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object()
        context = {"record": record, "relationship": record.relationship}
        return render(request, "performance/data/import_delete.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object()
        relationship_id = record.relationship_id
        try:
            imports.data_import_delete(data_import=record, actor=person_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(record)
        messages.success(request, f"Import #{record.pk} ({record.original_name}) removed.")
        return redirect("data_overview", pk=relationship_id)


__all__ = [
    "DataOverviewView",
    "ImportAddView",
    "ImportDeleteView",
    "ImportDetailView",
]
