"""Pages for a contract's schedule: read it, its versions, edit or upload it, one level, a source.

The schedule is the engine's YAML. Saving goes through
:func:`accord.performance.services.schedule_version_create`, which validates
the whole document against the contract; when it refuses, every problem is
shown next to its line and the person's text stays in the editor.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accord.contracts.forms import plain, time_zone_names
from accord.contracts.models import Contract
from accord.core.choices import Action
from accord.core.selectors import permits
from accord.core.views import RestrictedObjectMixin, add_form_errors, person_of
from accord.performance import schedules, services
from accord.performance.forms.schedule import DataSourceForm, ScheduleForm, ServiceLevelForm
from accord.performance.models import DataSource, LevelKind, ScheduleVersion, ServiceLevel

VERSIONS_PER_PAGE = 20

# What a new schedule starts from: the shape of a document, with the parts explained.
STARTER = """\
# The schedule of service levels. The contract's fees, at-risk %, pool %,
# currency and time zone come from the contract: leave them out here.

calendars:
  office: bc-public-service        # a calendar from Accord's library, or define one here

sources:
  tickets:
    description: the provider's service desk tickets
    time_column: opened_at         # the timestamp that dates a row
    columns:
      ticket_id: string
      priority: integer
      opened_at: timestamp
      resolved_at: timestamp

service_levels:
  - code: P1
    name: Priority 1 tickets resolved within 4 hours
    kind: critical                 # critical (credits) or key (reported only)
    source: tickets
    filter: priority = 1
    measure:
      type: within
      start: opened_at
      end: resolved_at
      limit: 4h
    expected: 95
    minimum: 90

credits:
  allocations:
    P1: 50                         # % of the monthly at-risk amount
  expected_miss_rule: {misses: 4, months: 12}
  earnback: {months: 3}
"""


@dataclass
class Line:
    """One numbered line of a schedule, with the problems found on it."""

    number: int
    text: str
    problems: list[str] = field(default_factory=list)


def numbered(text: str, problems: list[schedules.LineProblem] | None = None) -> list[Line]:
    """``text`` as numbered lines, each with its problems' messages."""
    lines = [Line(number, line) for number, line in enumerate(text.split("\n"), start=1)]
    if lines and lines[-1].text == "" and len(lines) > 1:
        lines.pop()  # the newline that ends the file opens no line of its own
    for problem in problems or []:
        if problem.line is not None and 1 <= problem.line <= len(lines):
            place = f"{problem.place}: " if problem.place else ""
            lines[problem.line - 1].problems.append(f"{place}{problem.message}")
    return lines


CONTEXT_LINES = 3


def around_problems(lines: list[Line], context: int = CONTEXT_LINES) -> list[Line | None]:
    """The lines with problems and ``context`` lines either side; None marks a gap."""
    keep: set[int] = set()
    for line in lines:
        if line.problems:
            keep.update(range(line.number - context, line.number + context + 1))
    shown: list[Line | None] = []
    for line in lines:
        if line.number in keep:
            if shown and shown[-1] is not None and shown[-1].number != line.number - 1:
                shown.append(None)
            elif not shown and line.number > 1:
                shown.append(None)
            shown.append(line)
    if shown and shown[-1] is not None and shown[-1].number < len(lines):
        shown.append(None)
    return shown


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "hunk" or "same"
    text: str


def diff(before: str, after: str) -> list[DiffLine]:
    """What changed from ``before`` to ``after``, as unified-diff lines."""
    rows = []
    for raw in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2):
        if raw.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "remove", "@": "hunk"}.get(raw[:1], "same")
        rows.append(DiffLine(kind, raw))
    return rows


def contract_terms(contract: Contract) -> list[tuple[str, str]]:
    """The terms the contract decides for the schedule, as the edit page lists them."""
    if contract.fee_schedule:
        fees = ", ".join(
            f"{month}: {amount}" for month, amount in sorted(contract.fee_schedule.items())
        )
        fees = f"fee schedule ({fees})"
    else:
        fees = f"{contract.monthly_fee} a month"
    return [
        ("Fees", f"{contract.currency} {fees}"),
        ("At risk", f"{plain(contract.at_risk_percent)} % of the monthly fees"),
        ("Pool", f"{plain(contract.pool_percent)} % of the at-risk amount"),
        ("Currency", contract.currency),
        ("Time zone", contract.timezone),
    ]


class ScheduleDetailView(RestrictedObjectMixin, View):
    """The schedule in force, with numbered lines, and the history of its versions."""

    model = Contract

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = self.get_object()
        user = person_of(request)
        versions = (
            ScheduleVersion.objects.restrict(user)
            .filter(contract=contract)
            .select_related("created_by")
            .order_by("-number")
        )
        in_force = versions.first()
        page = Paginator(versions, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "contract": contract,
            "relationship": contract.relationship,
            "version": in_force,
            "lines": numbered(in_force.document) if in_force else [],
            "versions_page": page,
            "can_change": permits(user, Action.CHANGE, contract),
            "calendars": schedules.library_calendars(),
        }
        return render(request, "performance/schedule/schedule_detail.html", context)


class ScheduleVersionView(RestrictedObjectMixin, View):
    """One version of the schedule as it was saved, and what it changed from the one before."""

    model = ScheduleVersion

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self.get_object()
        user = person_of(request)
        siblings = ScheduleVersion.objects.restrict(user).filter(contract_id=version.contract_id)
        previous = siblings.filter(number__lt=version.number).order_by("-number").first()
        following = siblings.filter(number__gt=version.number).order_by("number").first()
        newest = siblings.order_by("-number").values_list("number", flat=True).first()
        context = {
            "version": version,
            "contract": version.contract,
            "relationship": version.contract.relationship,
            "lines": numbered(version.document),
            "previous": previous,
            "following": following,
            "in_force": newest == version.number,
            "changes": diff(previous.document, version.document) if previous else [],
        }
        return render(request, "performance/schedule/schedule_version.html", context)


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class ScheduleVersionDownloadView(RestrictedObjectMixin, View):
    """A version's YAML as a file, exactly as it was saved."""

    model = ScheduleVersion

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self.get_object()
        reference = _UNSAFE_NAME.sub("-", version.contract.reference).strip("-") or "contract"
        response = HttpResponse(version.document, content_type="application/yaml; charset=utf-8")
        name = f"{reference}-schedule-v{version.number}.yaml"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ScheduleEditView(RestrictedObjectMixin, View):
    """Edit the schedule in a text area or upload a file; save makes a new version."""

    model = Contract
    action = Action.CHANGE

    def render_page(
        self,
        contract: Contract,
        form: ScheduleForm,
        *,
        text: str = "",
        problems: list[schedules.LineProblem] | None = None,
    ) -> HttpResponse:
        current = services.current_version(contract)
        context = {
            "contract": contract,
            "relationship": contract.relationship,
            "form": form,
            "current": current,
            "problems": problems or [],
            "unplaced": [p for p in problems or [] if p.line is None],
            "lines": around_problems(numbered(text, problems)) if problems else [],
            "terms": contract_terms(contract),
            "calendars": schedules.library_calendars(),
        }
        return render(self.request, "performance/schedule/schedule_edit.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = self.get_object()
        current = services.current_version(contract)
        form = ScheduleForm(initial={"document": current.document if current else STARTER})
        return self.render_page(contract, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = self.get_object()
        form = ScheduleForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(contract, form)
        text = form.cleaned_data["text"]
        before = services.current_version(contract)
        try:
            version = services.schedule_version_create(
                contract=contract,
                document=text,
                summary=form.cleaned_data["summary"],
                actor=person_of(request),
            )
        except schedules.ScheduleInvalid as invalid:
            # Keep the person's text (an uploaded file's too) in the editor to fix it there.
            data = request.POST.copy()
            data["document"] = text
            return self.render_page(
                contract, ScheduleForm(data), text=text, problems=invalid.problems
            )
        except ValidationError as error:
            add_form_errors(form, error)
            return self.render_page(contract, form)
        if before is not None and version.pk == before.pk:
            messages.info(request, f"Nothing changed: the text is version {version.number}'s.")
        else:
            messages.success(
                request,
                f"Saved as version {version.number}. The scorecards and credits are "
                "recomputed with it.",
            )
        return redirect("schedule_detail", pk=contract.pk)


def level_problems(
    form: ServiceLevelForm, level: ServiceLevel, problems: list[schedules.LineProblem]
) -> None:
    """Put the engine's problems next to the fields they are about; the rest above the form."""
    own = f"service_levels[{level.position}]."
    allocation = f"credits.allocations.{level.code}"
    for problem in problems:
        name = ""
        if problem.place.startswith(own):
            name = problem.place[len(own) :].split(".")[0].split("[")[0]
        elif problem.place.startswith(allocation) or problem.place == "credits.allocations":
            name = "allocation_percent"
        if name in form.fields:
            form.add_error(name, problem.message[:1].upper() + problem.message[1:])
        else:
            form.add_error(None, str(problem))


class ServiceLevelEditView(RestrictedObjectMixin, View):
    """One service level's name, kind and targets: saving writes a new schedule version."""

    model = ServiceLevel
    action = Action.CHANGE

    def render_form(self, form: ServiceLevelForm, level: ServiceLevel) -> HttpResponse:
        context = {
            "form": form,
            "level": level,
            "contract": level.contract,
            "relationship": level.contract.relationship,
            "cancel_url": reverse("contract_detail", kwargs={"pk": level.relationship_id})
            + "#levels",
        }
        return render(self.request, "performance/schedule/service_level_edit.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        level = self.get_object()
        current = services.current_version(level.contract)
        allocation = schedules.level_allocation(current.document, level.code) if current else None
        initial = {
            "name": level.name,
            "kind": level.kind,
            "expected": plain(level.expected),
            "minimum": plain(level.minimum),
            "minimum_volume": level.minimum_volume or None,
            "allocation_percent": plain(allocation),
        }
        return self.render_form(ServiceLevelForm(initial=initial), level)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        level = self.get_object()
        form = ServiceLevelForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            allocation = data.pop("allocation_percent")
            before = services.current_version(level.contract)
            try:
                version = services.service_level_update(
                    level=level,
                    actor=person_of(request),
                    allocation_percent=allocation,
                    clear_allocation=data["kind"] == LevelKind.CRITICAL and allocation is None,
                    **data,
                )
            except schedules.ScheduleInvalid as invalid:
                level_problems(form, level, invalid.problems)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                if before is not None and version.pk == before.pk:
                    messages.info(request, f"Nothing changed in {level.code}.")
                else:
                    messages.success(
                        request, f"{level.code} saved as schedule version {version.number}."
                    )
                return redirect(
                    reverse("contract_detail", kwargs={"pk": level.relationship_id}) + "#levels"
                )
        return self.render_form(form, level)


class DataSourceEditView(RestrictedObjectMixin, View):
    """How a data source's files are read: their format and the zone of zoneless times."""

    model = DataSource
    action = Action.CHANGE

    def render_form(self, form: DataSourceForm, source: DataSource) -> HttpResponse:
        context = {
            "form": form,
            "source": source,
            "contract": source.contract,
            "relationship": source.contract.relationship,
            "time_zones": time_zone_names(),
            "cancel_url": reverse("contract_detail", kwargs={"pk": source.relationship_id})
            + "#sources",
        }
        return render(self.request, "performance/schedule/source_edit.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = self.get_object()
        initial = {
            "import_format": source.import_format,
            "timezone": source.timezone,
            "description": source.description,
        }
        return self.render_form(DataSourceForm(initial=initial), source)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = self.get_object()
        form = DataSourceForm(request.POST)
        if form.is_valid():
            try:
                services.data_source_update(
                    source=source, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"Import settings of {source.name} saved.")
                return redirect(
                    reverse("contract_detail", kwargs={"pk": source.relationship_id}) + "#sources"
                )
        return self.render_form(form, source)
