"""Pages of the warning signs: the board of eight (seven for the provider), one sign's
evidence, trend and thresholds, one reading, tuning, recomputing, the readings'
CSV, and correcting a service level's focus.

The financial sign is the buyer's alone: for anyone else it is absent from the
board and every one of its pages answers 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accord.contracts.models import Contract
from accord.core.choices import Action, Side
from accord.core.exceptions import NotFound
from accord.core.exports import csv_response
from accord.core.selectors import get_for
from accord.core.views import ObjectAuditView, RestrictedObjectMixin, add_form_errors, person_of
from accord.core.visibility import can
from accord.health import inputs
from accord.health.forms.signs import LevelFocusForm, SignThresholdForm
from accord.health.models import SignCode, SignReading, SignState, SignThreshold, sign_visibility
from accord.health.refresh import add_months, refresh_health
from accord.health.sign_charts import SignPoint, sign_trend_chart, sparkline
from accord.health.sign_rules import DEFAULTS, num, rule_doc
from accord.health.signs import Tuning, tuning_for
from accord.parties.models import Relationship
from accord.performance.models import ServiceLevel

SPARK_MONTHS = 12


@dataclass
class SignView:
    """One sign as a page shows it."""

    code: str
    name: str
    unit: str
    tuning: Tuning
    readings: list[SignReading]  # oldest first
    next_step: str
    rule: str

    @property
    def current(self) -> SignReading | None:
        return self.readings[-1] if self.readings else None

    @property
    def state(self) -> str:
        return self.current.state if self.current else SignState.NO_DATA

    @property
    def state_label(self) -> str:
        return SignState(self.state).label

    @property
    def since(self) -> dt.date | None:
        """The first month of the current unbroken run of the same state."""
        if not self.readings:
            return None
        run = self.readings[-1]
        for reading in reversed(self.readings[:-1]):
            if reading.state != run.state or add_months(reading.month, 1) != run.month:
                break
            run = reading
        return run.month

    @property
    def value_text(self) -> str:
        current = self.current
        if current is None or current.value is None:
            return "—"
        return f"{num(current.value)} {self.unit}"

    def points(self) -> list[SignPoint]:
        return [
            SignPoint(
                month=f"{r.month:%Y-%m}",
                label=f"{r.month:%b %y}",
                value=r.value,
                state=r.state,
                text=f"{r.month:%Y-%m}: "
                + (f"{num(r.value)} {self.unit}" if r.value is not None else "no value")
                + f" ({SignState(r.state).label.lower()})",
            )
            for r in self.readings
        ]

    @property
    def spark(self) -> Any:
        return sparkline(
            self.points()[-SPARK_MONTHS:],
            chart_id=f"spark-{self.code}",
            title=f"{self.name}, last {SPARK_MONTHS} months",
        )

    @property
    def trend(self) -> Any:
        return sign_trend_chart(
            self.points(),
            watch_at=self.tuning.watch_at,
            trigger_at=self.tuning.trigger_at,
            unit=self.unit,
            chart_id=f"trend-{self.code}",
            title=f"{self.name}: value per month",
        )


def visible_signs(user: Any, relationship: Relationship) -> list[str]:
    """The signs ``user`` may see on ``relationship``: the financial one for the buyer only."""
    return [
        code
        for code in SignCode
        if sign_visibility(code) == "joint" or can(user, Action.VIEW, relationship, "buyer")
    ]


def sign_views(user: Any, relationship: Relationship, codes: list[str]) -> list[SignView]:
    readings: dict[str, list[SignReading]] = {code: [] for code in codes}
    for reading in (
        SignReading.objects.restrict(user)
        .filter(relationship=relationship, sign__in=codes)
        .order_by("month")
    ):
        readings[reading.sign].append(reading)
    rows = {
        row.sign: row
        for row in SignThreshold.objects.restrict(user).filter(
            relationship=relationship, sign__in=codes
        )
    }
    return [
        SignView(
            code=code,
            name=SignCode(code).label,
            unit=DEFAULTS[code].unit,
            tuning=tuning_for(code, rows.get(code)),
            readings=readings[code],
            next_step=DEFAULTS[code].next_step,
            rule=rule_doc(code),
        )
        for code in codes
    ]


def reset_plan_url(relationship: Relationship) -> str:
    """The reset plan's first step: the buyer's introspection."""
    return reverse("introspection_list", kwargs={"pk": relationship.pk})


def _sign_area(request: HttpRequest, pk: int, sign: str) -> tuple[Relationship, str]:
    """The relationship and sign of a sign page; a sign the person may not see is 404."""
    user = person_of(request)
    relationship = get_for(user, Relationship, pk=pk)
    if sign not in SignCode.values or not can(
        user, Action.VIEW, relationship, sign_visibility(sign)
    ):
        raise NotFound("No such warning sign.")
    return relationship, sign


class SignBoardView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = person_of(request)
        relationship = get_for(user, Relationship, pk=pk)
        signs = sign_views(user, relationship, visible_signs(user, relationship))
        is_buyer = relationship.side_of(user) == Side.BUYER
        context = {
            "relationship": relationship,
            "signs": signs,
            "reset_url": reset_plan_url(relationship) if is_buyer else None,
            "can_refresh": can(user, Action.CHANGE, relationship),
            "triggered": [s for s in signs if s.state == SignState.TRIGGERED],
        }
        return render(request, "health/signs/board.html", context)


class SignDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, sign: str) -> HttpResponse:
        user = person_of(request)
        relationship, sign = _sign_area(request, pk, sign)
        (view,) = sign_views(user, relationship, [sign])
        visibility = sign_visibility(sign)
        row = SignThreshold.objects.restrict(user).filter(relationship=relationship, sign=sign)
        threshold = row.first()
        can_tune = (
            SignThreshold.objects.restrict(user, Action.CHANGE).filter(pk=threshold.pk).exists()
            if threshold
            else can(user, Action.CHANGE, relationship, visibility)
        )
        can_reset = (
            threshold is not None
            and SignThreshold.objects.restrict(user, Action.DELETE).filter(pk=threshold.pk).exists()
        )
        levels: list[ServiceLevel] = []
        if sign == SignCode.SAVINGS_ONLY:
            contract = Contract.objects.restrict(user).filter(relationship=relationship).first()
            if contract is not None:
                levels = list(
                    ServiceLevel.objects.restrict(user).filter(contract=contract, retired=False)
                )
        form = SignThresholdForm(
            initial={
                "enabled": view.tuning.enabled,
                "watch_at": view.tuning.watch_at,
                "trigger_at": view.tuning.trigger_at,
                "window_months": view.tuning.window_months,
            }
        )
        is_buyer = relationship.side_of(user) == Side.BUYER
        context = {
            "relationship": relationship,
            "sign": view,
            "default": DEFAULTS[sign],
            "threshold": threshold,
            "form": form,
            "can_tune": can_tune,
            "can_reset": can_reset,
            "levels": levels,
            "can_change_levels": can(user, Action.CHANGE, relationship),
            "reset_url": reset_plan_url(relationship) if is_buyer else None,
            "history": list(reversed(view.readings)),
        }
        return render(request, "health/signs/sign_detail.html", context)


class SignThresholdEditView(LoginRequiredMixin, View):
    """Tune one sign (CHANGE on the sign's records; the financial sign: the buyer only)."""

    def _check(self, request: HttpRequest, pk: int, sign: str) -> tuple[Relationship, str]:
        user = person_of(request)
        relationship, sign = _sign_area(request, pk, sign)
        row = SignThreshold.objects.restrict(user).filter(relationship=relationship, sign=sign)
        threshold = row.first()
        if threshold is not None:
            get_for(user, SignThreshold, Action.CHANGE, pk=threshold.pk)
        elif not can(user, Action.CHANGE, relationship, sign_visibility(sign)):
            raise PermissionDenied("Your role does not allow tuning the signs.")
        return relationship, sign

    def render_form(
        self, form: SignThresholdForm, relationship: Relationship, sign: str
    ) -> HttpResponse:
        context = {
            "form": form,
            "relationship": relationship,
            "title": f"Tune “{SignCode(sign).label}”",
            "intro": f"{DEFAULTS[sign].rule} The value is in {DEFAULTS[sign].unit}; "
            "higher is worse.",
            "submit_label": "Save the thresholds",
            "cancel_url": reverse("sign_detail", kwargs={"pk": relationship.pk, "sign": sign}),
        }
        return render(self.request, "health/signs/form.html", context)

    def get(self, request: HttpRequest, pk: int, sign: str) -> HttpResponse:
        relationship, sign = self._check(request, pk, sign)
        (view,) = sign_views(person_of(request), relationship, [sign])
        initial = {
            "enabled": view.tuning.enabled,
            "watch_at": view.tuning.watch_at,
            "trigger_at": view.tuning.trigger_at,
            "window_months": view.tuning.window_months,
        }
        return self.render_form(SignThresholdForm(initial=initial), relationship, sign)

    def post(self, request: HttpRequest, pk: int, sign: str) -> HttpResponse:
        relationship, sign = self._check(request, pk, sign)
        form = SignThresholdForm(request.POST)
        if form.is_valid():
            try:
                inputs.sign_threshold_set(
                    relationship=relationship,
                    sign=sign,
                    actor=person_of(request),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Thresholds saved; the sign is recomputed.")
                return redirect("sign_detail", pk=relationship.pk, sign=sign)
        return self.render_form(form, relationship, sign)


class SignThresholdResetView(LoginRequiredMixin, View):
    """Back to the defaults: delete the relationship's tuning of the sign."""

    def post(self, request: HttpRequest, pk: int, sign: str) -> HttpResponse:
        user = person_of(request)
        relationship, sign = _sign_area(request, pk, sign)
        threshold = (
            SignThreshold.objects.restrict(user)
            .filter(relationship=relationship, sign=sign)
            .first()
        )
        if threshold is None:
            if not can(user, Action.DELETE, relationship, sign_visibility(sign)):
                raise PermissionDenied("Your role does not allow this.")
            messages.info(request, "The sign already uses the defaults.")
        else:
            inputs.sign_threshold_reset(threshold=threshold, actor=user)
            messages.success(request, "Back to the default thresholds.")
        return redirect("sign_detail", pk=relationship.pk, sign=sign)


class SignThresholdAuditView(ObjectAuditView):
    model = SignThreshold


class SignRefreshView(LoginRequiredMixin, View):
    """Recompute the relationship's signs and index now (CHANGE on its joint records)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = person_of(request)
        relationship = get_for(user, Relationship, pk=pk)
        if not can(user, Action.CHANGE, relationship):
            raise PermissionDenied("Your role does not allow recomputing.")
        refresh_health(relationship.pk)
        messages.success(request, "Warning signs recomputed.")
        return redirect("sign_board", pk=relationship.pk)


READING_COLUMNS = ["sign", "month", "state", "value", "unit", "summary", "computed_at"]


class SignReadingExportView(LoginRequiredMixin, View):
    """Every reading the person may see, as CSV (financial rows for the buyer only)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        user = person_of(request)
        relationship = get_for(user, Relationship, pk=pk)
        rows = (
            SignReading.objects.restrict(user)
            .filter(relationship=relationship)
            .order_by("sign", "month")
        )
        data = (
            [
                r.sign, f"{r.month:%Y-%m}", r.state, r.value, DEFAULTS[r.sign].unit, r.summary,
                r.computed_at.isoformat(timespec="seconds"),
            ]
            for r in rows.iterator()
        )  # fmt: skip
        return csv_response(READING_COLUMNS, data, f"warning-signs-{relationship.pk}.csv")


class SignReadingDetailView(RestrictedObjectMixin, View):
    model = SignReading

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        reading = self.get_object()
        context = {
            "reading": reading,
            "relationship": reading.relationship,
            "default": DEFAULTS[reading.sign],
            "value_text": f"{num(reading.value)} {DEFAULTS[reading.sign].unit}"
            if reading.value is not None
            else "—",
        }
        return render(request, "health/signs/reading_detail.html", context)


class LevelFocusEditView(RestrictedObjectMixin, View):
    """Correct what a service level is about (either side, CHANGE on the joint level)."""

    model = ServiceLevel
    action = Action.CHANGE

    def render_form(self, form: LevelFocusForm, level: ServiceLevel) -> HttpResponse:
        context = {
            "form": form,
            "relationship": level.relationship,
            "title": f"What is {level.code} about?",
            "intro": (
                "Warning signs read a level's focus: end-customer levels feed sign 1; a "
                "schedule whose levels are all about cost and efficiency is sign 3."
            ),
            "submit_label": "Save",
            "cancel_url": reverse(
                "sign_detail", kwargs={"pk": level.relationship_id, "sign": "savings_only"}
            ),
        }
        return render(self.request, "health/signs/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        level = self.get_object()
        return self.render_form(LevelFocusForm(initial={"focus": level.focus}), level)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        level = self.get_object()
        form = LevelFocusForm(request.POST)
        if form.is_valid():
            try:
                inputs.level_focus_set(
                    level=level, focus=form.cleaned_data["focus"], actor=person_of(request)
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"{level.code}'s focus saved.")
                return redirect("sign_detail", pk=level.relationship_id, sign="savings_only")
        return self.render_form(form, level)
