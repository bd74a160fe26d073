"""Pages of the health surveys: instruments, rounds, answering, results and CSV downloads.

Every list and export reads ``restrict(user, VIEW)``; every record is looked
up with ``get_for`` (hidden = 404). Writes call the services of
:mod:`accord.health.surveys`; a refused write re-renders its form with the
service's message next to the field it names.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accord.core.choices import Action, Visibility
from accord.core.exports import csv_response
from accord.core.selectors import get_for, permits
from accord.core.views import ObjectAuditView, RestrictedObjectMixin, add_form_errors, person_of
from accord.core.visibility import can, side_of
from accord.health import survey_results, surveys
from accord.health.forms.surveys import (
    DimensionForm,
    InstrumentCopyForm,
    InstrumentForm,
    RoundForm,
    StatementForm,
    answer_sheet,
    read_answers,
)
from accord.health.models import (
    Subject,
    SurveyAnswer,
    SurveyComment,
    SurveyDimension,
    SurveyInstrument,
    SurveyResponse,
    SurveyRound,
    SurveyStatement,
)
from accord.health.survey_charts import GapRow, TrendSeries, gap_chart, signed, survey_trend_chart
from accord.parties.models import Relationship

PAGE_SIZE = 25
FORM_TEMPLATE = "health/surveys/form.html"


def _render_form(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"form": form, **context})


# =========================================================================== instruments


class InstrumentListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = person_of(request)
        rows = (
            SurveyInstrument.objects.restrict(user).distinct().select_related("owner", "based_on")
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"instruments": page.object_list, "page": page, "is_admin": user.is_org_admin}
        return render(request, "health/surveys/instrument_list.html", context)


class InstrumentExportView(LoginRequiredMixin, View):
    """Every statement of every instrument the person sees, one row each."""

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        statements = (
            SurveyStatement.objects.restrict(person_of(request))
            .select_related("dimension__instrument__owner")
            .order_by("dimension__instrument_id", "dimension__position", "position", "pk")
        )
        rows = (
            [
                s.dimension.instrument.name,
                s.dimension.instrument.owner or "Accord",
                s.dimension.code,
                s.dimension.name,
                s.about,
                s.text,
            ]
            for s in statements.iterator()
        )
        header = ["instrument", "owner", "dimension_code", "dimension", "about", "statement"]
        return csv_response(header, rows, "survey-instruments.csv")


class InstrumentDetailView(RestrictedObjectMixin, View):
    model = SurveyInstrument

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        user = person_of(request)
        dimensions = SurveyDimension.objects.restrict(user).filter(instrument=instrument)
        statements = SurveyStatement.objects.restrict(user).filter(dimension__instrument=instrument)
        by_dimension: dict[int, list[SurveyStatement]] = {}
        for statement in statements:
            by_dimension.setdefault(statement.dimension_id, []).append(statement)
        can_change = permits(user, Action.CHANGE, instrument)
        frozen = surveys.is_frozen(instrument)
        context = {
            "instrument": instrument,
            "dimensions": [(d, by_dimension.get(d.pk, [])) for d in dimensions],
            "can_change": can_change,
            "can_edit_questions": can_change and not frozen,
            "frozen": frozen,
            "can_copy": user.is_org_admin,
        }
        return render(request, "health/surveys/instrument_detail.html", context)


class InstrumentCopyView(RestrictedObjectMixin, View):
    """An organisation admin adapts an instrument: a copy in their organisation."""

    model = SurveyInstrument

    def _source(self) -> SurveyInstrument:
        source = self.get_object()
        if not person_of(self.request).is_org_admin:
            raise PermissionDenied("Only your organisation's admin adapts survey instruments.")
        return source

    def _render(self, form: InstrumentCopyForm, source: SurveyInstrument) -> HttpResponse:
        return _render_form(
            self.request, form, title=f"Adapt “{source}”", submit_label="Make our copy",
            intro="A copy in your organisation, with every dimension and statement, to edit.",
            cancel_url=source.get_absolute_url(), back=source,
        )  # fmt: skip

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(InstrumentCopyForm(), self._source())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = self._source()
        form = InstrumentCopyForm(request.POST)
        if form.is_valid():
            try:
                copy = surveys.survey_instrument_copy(
                    instrument=source, name=form.cleaned_data["name"], actor=person_of(request)
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"“{copy}” is your organisation's copy to adapt.")
                return redirect(copy)
        return self._render(form, source)


class InstrumentEditView(RestrictedObjectMixin, View):
    model = SurveyInstrument
    action = Action.CHANGE

    def _render(self, form: InstrumentForm, instrument: SurveyInstrument) -> HttpResponse:
        return _render_form(
            self.request, form, title=f"Edit “{instrument}”", back=instrument,
            cancel_url=instrument.get_absolute_url(),
        )  # fmt: skip

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        initial = {"name": instrument.name, "description": instrument.description}
        return self._render(InstrumentForm(initial=initial), instrument)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        form = InstrumentForm(request.POST)
        if form.is_valid():
            try:
                surveys.survey_instrument_update(
                    instrument=instrument, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Instrument saved.")
                return redirect(instrument)
        return self._render(form, instrument)


class InstrumentAuditView(ObjectAuditView):
    model = SurveyInstrument


def _frozen_note(instrument: SurveyInstrument) -> str:
    if surveys.is_frozen(instrument):
        return (
            "A survey round uses this instrument: its dimensions and statements are frozen, "
            "and changes will be refused."
        )
    return ""


class DimensionAddView(RestrictedObjectMixin, View):
    model = SurveyInstrument
    action = Action.CHANGE

    def _render(self, form: DimensionForm, instrument: SurveyInstrument) -> HttpResponse:
        return _render_form(
            self.request, form, title=f"Add a dimension to “{instrument}”", back=instrument,
            intro=_frozen_note(instrument), cancel_url=instrument.get_absolute_url(),
            submit_label="Add the dimension",
        )  # fmt: skip

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(DimensionForm(), self.get_object())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        form = DimensionForm(request.POST)
        if form.is_valid():
            try:
                surveys.survey_dimension_add(
                    instrument=instrument, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Dimension added.")
                return redirect(instrument)
        return self._render(form, instrument)


class DimensionEditView(RestrictedObjectMixin, View):
    model = SurveyDimension
    action = Action.CHANGE

    def _render(self, form: DimensionForm, dimension: SurveyDimension) -> HttpResponse:
        instrument = dimension.instrument
        return _render_form(
            self.request, form, title=f"Edit the dimension “{dimension}”", back=instrument,
            intro=_frozen_note(instrument), cancel_url=instrument.get_absolute_url(),
        )  # fmt: skip

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        dimension = self.get_object()
        initial = {
            "code": dimension.code,
            "name": dimension.name,
            "description": dimension.description,
            "position": dimension.position,
        }
        return self._render(DimensionForm(initial=initial), dimension)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        dimension = self.get_object()
        form = DimensionForm(request.POST)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            if changes.get("position") is None:
                changes.pop("position")
            try:
                surveys.survey_dimension_update(
                    dimension=dimension, actor=person_of(request), **changes
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Dimension saved.")
                return redirect(dimension.instrument)
        return self._render(form, dimension)


class _QuestionDeleteView(RestrictedObjectMixin, View):
    """Confirm, then delete a dimension or statement of an adapted instrument."""

    action = Action.DELETE

    def instrument_of(self, obj: Any) -> SurveyInstrument:
        raise NotImplementedError

    def perform_delete(self, obj: Any, actor: Any) -> None:
        raise NotImplementedError

    def _render(self, obj: Any, error: str = "") -> HttpResponse:
        context = {
            "object": obj,
            "instrument": self.instrument_of(obj),
            "error": error or _frozen_note(self.instrument_of(obj)),
        }
        return render(self.request, "health/surveys/confirm_delete.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(self.get_object())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        instrument = self.instrument_of(obj)
        try:
            self.perform_delete(obj, person_of(request))
        except ValidationError as error:
            return self._render(obj, " ".join(error.messages))
        messages.success(request, "Deleted.")
        return redirect(instrument)


class DimensionDeleteView(_QuestionDeleteView):
    model = SurveyDimension

    def instrument_of(self, obj: Any) -> SurveyInstrument:
        return obj.instrument

    def perform_delete(self, obj: Any, actor: Any) -> None:
        surveys.survey_dimension_delete(dimension=obj, actor=actor)


class StatementAddView(RestrictedObjectMixin, View):
    model = SurveyDimension
    action = Action.CHANGE

    def _render(self, form: StatementForm, dimension: SurveyDimension) -> HttpResponse:
        instrument = dimension.instrument
        return _render_form(
            self.request, form, title=f"Add a statement to “{dimension}”", back=instrument,
            intro=_frozen_note(instrument), cancel_url=instrument.get_absolute_url(),
            submit_label="Add the statement",
        )  # fmt: skip

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(StatementForm(), self.get_object())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        dimension = self.get_object()
        form = StatementForm(request.POST)
        if form.is_valid():
            try:
                surveys.survey_statement_add(
                    dimension=dimension, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Statement added.")
                return redirect(dimension.instrument)
        return self._render(form, dimension)


class StatementEditView(RestrictedObjectMixin, View):
    model = SurveyStatement
    action = Action.CHANGE

    def _render(self, form: StatementForm, statement: SurveyStatement) -> HttpResponse:
        instrument = statement.dimension.instrument
        return _render_form(
            self.request, form, title="Edit the statement", back=instrument,
            intro=_frozen_note(instrument), cancel_url=instrument.get_absolute_url(),
        )  # fmt: skip

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        statement = self.get_object()
        initial = {"text": statement.text, "about": statement.about, "position": statement.position}
        return self._render(StatementForm(initial=initial), statement)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        statement = self.get_object()
        form = StatementForm(request.POST)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            if changes.get("position") is None:
                changes.pop("position")
            try:
                surveys.survey_statement_update(
                    statement=statement, actor=person_of(request), **changes
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Statement saved.")
                return redirect(statement.dimension.instrument)
        return self._render(form, statement)


class StatementDeleteView(_QuestionDeleteView):
    model = SurveyStatement

    def instrument_of(self, obj: Any) -> SurveyInstrument:
        return obj.dimension.instrument

    def perform_delete(self, obj: Any, actor: Any) -> None:
        surveys.survey_statement_delete(statement=obj, actor=actor)


# =========================================================================== rounds


def _relationship(request: HttpRequest, pk: int) -> Relationship:
    return get_for(request.user, Relationship, pk=pk)


def _instruments(user: Any) -> Any:
    return (
        SurveyInstrument.objects.restrict(user)
        .filter(dimensions__statements__isnull=False)
        .distinct()
    )


def _trend_context(relationship: Relationship, user: Any) -> dict[str, Any]:
    rows = survey_results.trend(relationship, user)
    if not rows:
        return {"trend": []}
    labels = [row.survey.title.replace("Health survey, ", "") for row in rows]
    series = [
        TrendSeries("buyer", "buyer's rating of the relationship",
                    [row.relationship_mean["buyer"] for row in rows], "circle"),
        TrendSeries("provider", "provider's rating of the relationship",
                    [row.relationship_mean["provider"] for row in rows], "square"),
        TrendSeries("gap", "mean absolute perception gap",
                    [row.mean_abs_gap for row in rows], "diamond"),
    ]  # fmt: skip
    chart = survey_trend_chart(
        labels, series, chart_id="survey-trend", title="Survey results across rounds",
        description=(
            "For each closed round: each side's mean rating of the relationship (1 to 5) "
            "and the mean absolute gap between how each side sees itself and how the other "
            "sees it. The same figures are in the table below."
        ),
    )  # fmt: skip
    return {"trend": rows, "trend_chart": chart}


class RoundListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = _relationship(request, pk)
        user = person_of(request)
        rows = SurveyRound.objects.restrict(user).filter(relationship=relationship)
        page = Paginator(rows.select_related("instrument"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "relationship": relationship,
            "rounds": page.object_list,
            "page": page,
            "can_add": can(user, Action.ADD, relationship, Visibility.JOINT),
            **_trend_context(relationship, user),
        }
        return render(request, "health/surveys/round_list.html", context)


class RoundExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        relationship = _relationship(request, pk)
        rounds = (
            SurveyRound.objects.restrict(person_of(request))
            .filter(relationship=relationship)
            .select_related("instrument")
        )

        def rows() -> Any:
            for survey in rounds:
                counts = survey_results.answered_counts(survey)
                yield [
                    survey.pk, survey.title, survey.instrument.name, survey.period_start,
                    survey.period_end, survey.closes_on, survey.status, survey.min_respondents,
                    counts["buyer"], counts["provider"], survey.closed_at,
                ]  # fmt: skip

        header = [
            "id", "title", "instrument", "period_start", "period_end", "closes_on", "status",
            "min_respondents", "buyer_answered", "provider_answered", "closed_at",
        ]  # fmt: skip
        return csv_response(header, rows(), f"survey-rounds-{relationship.pk}.csv")


class RoundAddView(LoginRequiredMixin, View):
    def _area(self, pk: int) -> Relationship:
        relationship = _relationship(self.request, pk)
        if not can(person_of(self.request), Action.ADD, relationship, Visibility.JOINT):
            raise PermissionDenied("Your role does not allow opening a survey round.")
        return relationship

    def _render(self, form: RoundForm, relationship: Relationship) -> HttpResponse:
        return _render_form(
            self.request, form, title="Open a survey round", relationship=relationship,
            intro=(
                "Both sides answer; each side sees only how many have answered until the "
                "round is closed and its results are published."
            ),
            submit_label="Open the round",
            cancel_url=reverse("survey_round_list", kwargs={"pk": relationship.pk}),
        )  # fmt: skip

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self._area(pk)
        instruments = _instruments(person_of(request))
        default = instruments.filter(owner__isnull=True).first()
        initial = {"instrument": default.pk if default else None, "min_respondents": 3}
        return self._render(RoundForm(initial=initial, instruments=instruments), relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self._area(pk)
        form = RoundForm(request.POST, instruments=_instruments(person_of(request)))
        if form.is_valid():
            try:
                survey = surveys.survey_round_create(
                    relationship=relationship, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"“{survey}” is open for answers.")
                return redirect(survey)
        return self._render(form, relationship)


def _gap_charts(results: survey_results.RoundResults) -> list[dict[str, Any]]:
    """One gap chart per side: how it sees itself against how the other side sees it."""
    charts = []
    minimum = results.survey.min_respondents
    for side in survey_results.SIDES:
        name = survey_results.side_label(side).lower()
        other = survey_results.side_label(survey_results.other_side(side)).lower()
        rows = []
        for result in results.dimensions:
            own, seen = result.self_view(side), result.seen_by_other(side)
            if own is None and seen is None:
                continue
            gap = result.gaps.get(side)

            def words(cell: Any, who: str) -> str:
                if cell is None or cell.mean is None:
                    return f"{who}: fewer than {minimum} answered"
                return f"{who} {cell.mean:.2f}"

            text = (
                f"{result.dimension.name}: {words(own, f'the {name} rates itself')}; "
                f"{words(seen, f'the {other} rates the {name}')}; gap {signed(gap)}"
            )
            rows.append(
                GapRow(
                    code=result.dimension.code,
                    name=result.dimension.name,
                    self_mean=own.mean if own else None,
                    other_mean=seen.mean if seen else None,
                    gap=gap,
                    text=text,
                )  # fmt: skip
            )
        if not rows:
            continue
        chart = gap_chart(
            rows, chart_id=f"gap-chart-{side}",
            title=f"How the {name} sees itself and how the {other} sees it",
            description=(
                f"Per dimension, a circle for the {name}'s rating of itself and a square for the "
                f"{other}'s rating of the {name}, on a 1 to 5 scale; the gap (self minus other) "
                "is written at the end of each row."
            ),
            self_label=f"{name.capitalize()} about itself",
            other_label=f"{other.capitalize()} about the {name}",
        )  # fmt: skip
        charts.append({"side": side, "name": name, "other": other, "chart": chart, "rows": rows})
    return charts


def _score_rows(results: survey_results.RoundResults) -> list[dict[str, Any]]:
    """The accessible table: per dimension, each side's three ratings then its gap."""
    rows = []
    for result in results.dimensions:
        items: list[dict[str, Any]] = []
        for side in survey_results.SIDES:
            for subject in (Subject.RELATIONSHIP, Subject.SELF, Subject.OTHER):
                items.append({"gap": False, "cell": result.cell(side, subject)})
            gap = result.gaps.get(side)
            items.append({"gap": True, "text": signed(gap) if gap is not None else "—"})
        rows.append({"dimension": result.dimension, "items": items})
    return rows


class RoundDetailView(RestrictedObjectMixin, View):
    model = SurveyRound

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = self.get_object()
        user = person_of(request)
        relationship = survey.relationship
        side = side_of(user, relationship)
        has_responses = survey.responses.exists()
        may_change = permits(user, Action.CHANGE, survey)
        context: dict[str, Any] = {
            "survey": survey,
            "relationship": relationship,
            "side": side,
            "counts": survey_results.answered_counts(survey),
            "own": survey_results.own_response(survey, user),
            "can_answer": survey.is_open and side is not None,
            "can_edit": survey.is_open and may_change and not has_responses,
            "can_close": survey.is_open and may_change,
            "can_delete": not has_responses and permits(user, Action.DELETE, survey),
            "side_responses": SurveyResponse.objects.restrict(user)
            .filter(round=survey)
            .select_related("respondent"),
        }
        if not survey.is_open:
            results = survey_results.round_results(survey, user)
            context.update(
                results=results,
                gap_charts=_gap_charts(results),
                score_rows=_score_rows(results),
                comments=survey_results.comments_by_dimension(survey, user),
                **_trend_context(relationship, user),
            )
        return render(request, "health/surveys/round_detail.html", context)


class RoundEditView(RestrictedObjectMixin, View):
    model = SurveyRound
    action = Action.CHANGE

    def _render(self, form: RoundForm, survey: SurveyRound) -> HttpResponse:
        note = ""
        if survey.responses.exists() or not survey.is_open:
            note = "People have answered or the round is closed: changes will be refused."
        return _render_form(
            self.request, form, title=f"Edit “{survey}”", relationship=survey.relationship,
            intro=note, cancel_url=survey.get_absolute_url(),
        )  # fmt: skip

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = self.get_object()
        initial = {name: getattr(survey, name) for name in surveys.ROUND_FIELDS}
        initial["instrument"] = survey.instrument_id
        form = RoundForm(initial=initial, instruments=_instruments(person_of(request)))
        return self._render(form, survey)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = self.get_object()
        form = RoundForm(request.POST, instruments=_instruments(person_of(request)))
        if form.is_valid():
            try:
                surveys.survey_round_update(
                    round=survey, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Round saved.")
                return redirect(survey)
        return self._render(form, survey)


class RoundDeleteView(RestrictedObjectMixin, View):
    model = SurveyRound
    action = Action.DELETE

    def _render(self, survey: SurveyRound, error: str = "") -> HttpResponse:
        context = {"object": survey, "relationship": survey.relationship, "error": error}
        return render(self.request, "health/surveys/confirm_delete.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(self.get_object())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = self.get_object()
        relationship_id = survey.relationship_id
        try:
            surveys.survey_round_delete(round=survey, actor=person_of(request))
        except ValidationError as error:
            return self._render(survey, " ".join(error.messages))
        messages.success(request, f"“{survey}” deleted.")
        return redirect("survey_round_list", pk=relationship_id)


class RoundCloseView(RestrictedObjectMixin, View):
    """POST only: close the round and publish its results."""

    model = SurveyRound
    action = Action.CHANGE
    http_method_names = ["post"]  # noqa: RUF012

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = self.get_object()
        try:
            surveys.survey_round_close(round=survey, actor=person_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{survey}” is closed; its results are published.")
        return redirect(survey)


class RoundAuditView(ObjectAuditView):
    model = SurveyRound


class RespondView(RestrictedObjectMixin, View):
    """Answer a round for your side: every statement, 1-5 or no opinion, optional comment."""

    model = SurveyRound

    def _round(self) -> SurveyRound:
        survey = self.get_object()
        if side_of(person_of(self.request), survey.relationship) is None:
            raise PermissionDenied("Only people of either side answer.")
        return survey

    def _statements(self, survey: SurveyRound) -> Any:
        # The round makes its instrument visible to everyone holding a role here.
        return (
            SurveyStatement.objects.restrict(person_of(self.request))
            .filter(dimension__instrument_id=survey.instrument_id)
            .select_related("dimension")
            .order_by("dimension__position", "dimension_id", "position", "pk")
        )

    def _render(
        self, survey: SurveyRound, current: dict[tuple[int, str], tuple[str, str]],
        errors: list[str] | None = None,
    ) -> HttpResponse:  # fmt: skip
        user = person_of(self.request)
        side = side_of(user, survey.relationship) or ""
        context = {
            "survey": survey,
            "relationship": survey.relationship,
            "blocks": answer_sheet(self._statements(survey), current),
            "side": side,
            "other": survey_results.other_side(side) if side else "",
            "own": survey_results.own_response(survey, user),
            "errors": errors or [],
        }
        return render(self.request, "health/surveys/respond.html", context, status=200)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = self._round()
        if not survey.is_open:
            messages.info(request, "This round is closed: its results are below.")
            return redirect(survey)
        own = survey_results.own_response(survey, person_of(request))
        current: dict[tuple[int, str], tuple[str, str]] = {}
        if own is not None:
            for answer in SurveyAnswer.objects.restrict(person_of(request)).filter(response=own):
                rating = "" if answer.rating is None else str(answer.rating)
                current[(answer.statement_id, answer.subject)] = (rating, answer.comment)
        return self._render(survey, current)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = self._round()
        blocks = answer_sheet(self._statements(survey), {})
        answers = read_answers(blocks, request.POST)
        submit = request.POST.get("action") != "draft"
        try:
            surveys.survey_response_save(
                round=survey, answers=answers, submit=submit, actor=person_of(request)
            )
        except ValidationError as error:
            current = {(s, subj): (r or "", c) for s, subj, r, c in answers}
            return self._render(survey, current, error.messages)
        if submit:
            messages.success(
                request,
                "Thank you: your answers are submitted. "
                "You can revise them until the round closes.",
            )
        else:
            messages.success(request, "Saved as a draft: it counts only once you submit it.")
        return redirect(survey)


# --------------------------------------------------------------------------- responses


class ResponseDetailView(RestrictedObjectMixin, View):
    model = SurveyResponse

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = self.get_object()
        user = person_of(request)
        answers = (
            SurveyAnswer.objects.restrict(user)
            .filter(response=response)
            .select_related("statement__dimension")
        )
        grouped: dict[int, tuple[Any, list[SurveyAnswer]]] = {}
        for answer in answers:
            dimension = answer.statement.dimension
            grouped.setdefault(dimension.pk, (dimension, []))[1].append(answer)
        context = {
            "response": response,
            "survey": response.round,
            "relationship": response.relationship,
            "groups": list(grouped.values()),
            "is_mine": response.respondent_id == user.pk,
        }
        return render(request, "health/surveys/response_detail.html", context)


class ResponseAuditView(ObjectAuditView):
    model = SurveyResponse


# --------------------------------------------------------------------------- exports


class ScoreExportView(RestrictedObjectMixin, View):
    """A closed round's published scores, with each side's perception gap on its self rows."""

    model = SurveyRound

    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        survey = self.get_object()
        results = survey_results.round_results(survey, person_of(request))
        rows = (
            [
                row["dimension"].code,
                row["dimension"].name,
                row["side"],
                row["subject"],
                row["respondents"],
                row["mean"],
                row["suppressed"],
                row["gap"],
            ]  # fmt: skip
            for row in results.rows()
        )
        header = [
            "dimension_code", "dimension", "side", "subject", "respondents", "mean",
            "suppressed", "gap",
        ]  # fmt: skip
        return csv_response(header, rows, f"survey-{survey.pk}-scores.csv")


class CommentExportView(RestrictedObjectMixin, View):
    model = SurveyRound

    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        survey = self.get_object()
        comments = (
            SurveyComment.objects.restrict(person_of(request))
            .filter(round=survey)
            .select_related("dimension")
        )
        rows = ([c.dimension.code, c.dimension.name, c.side, c.subject, c.text] for c in comments)
        header = ["dimension_code", "dimension", "side", "subject", "comment"]
        return csv_response(header, rows, f"survey-{survey.pk}-comments.csv")


class ResponseExportView(RestrictedObjectMixin, View):
    """The individual answers of the person's own side (the other side's never leave it)."""

    model = SurveyRound

    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        survey = self.get_object()
        answers = (
            SurveyAnswer.objects.restrict(person_of(request))
            .filter(response__round=survey)
            .select_related("response__respondent", "statement__dimension")
            .order_by("response_id", "statement__dimension__position", "statement__position")
        )
        rows = (
            [
                a.response.respondent.get_username(),
                a.response.side,
                a.response.submitted_at,
                a.statement.dimension.code,
                a.statement.text,
                a.subject,
                a.rating,
                a.comment,
            ]  # fmt: skip
            for a in answers
        )
        header = [
            "respondent", "side", "submitted_at", "dimension_code", "statement", "subject",
            "rating", "comment",
        ]  # fmt: skip
        return csv_response(header, rows, f"survey-{survey.pk}-our-responses.csv")
