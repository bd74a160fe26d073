"""Isolation cases: health signs and their inputs (see tests/isolation_matrix.py).

Lists of joint inputs name the relationship (``kind="relationship"``: whoever sees
the relationship gets the page, listing what they may see). The provider's
finances are the buyer's area: their pages are written on the record's labels
(``R*.buyer``) with the URL naming its relationship, so the provider gets 404,
list included. Sign pages name the relationship and the sign of the labelled
reading or threshold: ``R*.joint`` is attrition, ``R*.buyer`` the financial sign.
"""

from __future__ import annotations

from typing import Any

from accord.core.choices import Action
from accord.core.testing.isolation import Case
from accord.core.testing.world import World
from accord.health.models import (
    FinancialIndicator,
    ImprovementProposal,
    MeetingLog,
    SignReading,
    SignThreshold,
    WorkforceMonth,
)
from accord.performance.models import ServiceLevel


def relationship_of(kind: str) -> Any:
    return lambda world, label: {"pk": world.record(kind, label).relationship_id}


def sign_of(kind: str) -> Any:
    def kwargs(world: World, label: str) -> dict[str, Any]:
        record = world.record(kind, label)
        return {"pk": record.relationship_id, "sign": record.sign}

    return kwargs


def _rel_pk(world: World, label: str) -> int:
    return int(world.relationships[label.split(".")[0]].pk)


# --------------------------------------------------------------------------- states


def workforce_count(world: World, label: str) -> int:
    return WorkforceMonth.objects.count()


def workforce_state(world: World, label: str) -> Any:
    row = WorkforceMonth.objects.filter(pk=world.record("workforce", label).pk).first()
    return None if row is None else (row.month, row.headcount, row.leavers, row.note)


def meeting_count(world: World, label: str) -> int:
    return MeetingLog.objects.count()


def meeting_state(world: World, label: str) -> Any:
    row = MeetingLog.objects.filter(pk=world.record("meeting", label).pk).first()
    return None if row is None else (row.title, row.duration_minutes, row.attendees)


def proposal_count(world: World, label: str) -> int:
    return ImprovementProposal.objects.count()


def proposal_state(world: World, label: str) -> Any:
    row = ImprovementProposal.objects.filter(pk=world.record("proposal", label).pk).first()
    return None if row is None else (row.title, row.status)


def financial_count(world: World, label: str) -> int:
    return FinancialIndicator.objects.count()


def financial_state(world: World, label: str) -> Any:
    row = FinancialIndicator.objects.filter(pk=world.record("financial", label).pk).first()
    return None if row is None else (row.period_end, row.operating_margin, row.note)


def threshold_state(world: World, label: str) -> Any:
    row = SignThreshold.objects.filter(pk=world.record("sign_threshold", label).pk).first()
    return None if row is None else (row.enabled, row.watch_at, row.trigger_at, row.window_months)


def reading_count(world: World, label: str) -> int:
    return SignReading.objects.count()


def level_state(world: World, label: str) -> Any:
    return ServiceLevel.objects.get(pk=world.record("service_level", label).pk).focus


# --------------------------------------------------------------------------- bodies


def workforce_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"month": "2026-03", "headcount": 80, "joiners": 2, "leavers": 5, "moved_out": 1,
            "note": f"By {persona}"}  # fmt: skip


def workforce_import_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"text": "month,headcount,joiners,leavers,moved_out\n2026-03,80,2,5,1\n"}


def meeting_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"held_on": "2026-10-05", "title": f"Review by {persona}", "tier": "management",
            "duration_minutes": 60, "attendees": 4, "buyer_executive_present": "on"}  # fmt: skip


def proposal_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"title": f"Idea of {persona}", "description": "", "proposed_on": "2026-10-01",
            "status": "accepted", "expected_benefit": ""}  # fmt: skip


def financial_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"period_end": "2026-06-30", "revenue": "1000.00", "operating_margin": "4.50",
            "credit_rating": "BB", "source": "Filing", "note": f"By {persona}"}  # fmt: skip


def threshold_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"enabled": "on", "watch_at": "11", "trigger_at": "22", "window_months": 4}


def with_relationship(form: Any) -> Any:
    def body(world: World, label: str, persona: str) -> dict[str, Any]:
        data = {"relationship": _rel_pk(world, label), **form(world, label, persona)}
        for key, value in list(data.items()):
            if value == "on":
                data[key] = True
        return data

    return body


def threshold_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    threshold = world.record("sign_threshold", label)
    return {"relationship": threshold.relationship_id, "sign": threshold.sign,
            "watch_at": "11", "trigger_at": "22", "window_months": 4, "enabled": True}  # fmt: skip


WORKFORCE = relationship_of("workforce")
FINANCES = relationship_of("financial")
READING_SIGN = sign_of("sign_reading")
THRESHOLD_SIGN = sign_of("sign_threshold")


def _crud(route: str, kind: str, form: Any, count: Any, state: Any) -> list[Case]:
    return [
        Case(f"{route}_list", kind="relationship", shows=kind),
        Case(f"{route}_add", kind=kind, parent=True, action=Action.ADD),
        Case(f"{route}_add", kind=kind, parent=True, action=Action.ADD, method="post", ok=302,
             data=form, state=count),
        Case(f"{route}_detail", kind=kind),
        Case(f"{route}_edit", kind=kind, action=Action.CHANGE),
        Case(f"{route}_edit", kind=kind, action=Action.CHANGE, method="post", ok=302,
             data=form, state=state),
        Case(f"{route}_delete", kind=kind, action=Action.DELETE),
        Case(f"{route}_delete", kind=kind, action=Action.DELETE, method="post", ok=302,
             state=state),
        Case(f"{route}_audit", kind=kind, shows=f"audit:{kind}"),
    ]  # fmt: skip


def _api(basename: str, kind: str, form: Any, count: Any, state: Any, patch: Any) -> list[Case]:
    return [
        Case(f"api:{basename}-list", api=True, shows=kind),
        Case(f"api:{basename}-list", api=True, kind=kind, parent=True, action=Action.ADD,
             method="post", ok=201, url=lambda w, label: {}, data=with_relationship(form),
             state=count),
        Case(f"api:{basename}-detail", api=True, kind=kind),
        Case(f"api:{basename}-detail", api=True, kind=kind, action=Action.CHANGE,
             method="patch", data=patch, state=state),
        Case(f"api:{basename}-detail", api=True, kind=kind, action=Action.DELETE,
             method="delete", ok=204, state=state),
    ]  # fmt: skip


FINANCE_CASES = [
    Case("financial_indicator_list", kind="financial", url=FINANCES, shows="financial"),
    Case("financial_indicator_add", kind="financial", url=FINANCES, action=Action.ADD),
    Case("financial_indicator_add", kind="financial", url=FINANCES, action=Action.ADD,
         method="post", ok=302, data=financial_form, state=financial_count),
    Case("financial_indicator_detail", kind="financial"),
    Case("financial_indicator_edit", kind="financial", action=Action.CHANGE),
    Case("financial_indicator_edit", kind="financial", action=Action.CHANGE, method="post",
         ok=302, data=financial_form, state=financial_state),
    Case("financial_indicator_delete", kind="financial", action=Action.DELETE),
    Case("financial_indicator_delete", kind="financial", action=Action.DELETE, method="post",
         ok=302, state=financial_state),
    Case("financial_indicator_audit", kind="financial", shows="audit:financial"),
]  # fmt: skip

SIGN_CASES = [
    Case("sign_board", kind="relationship", shows="sign_reading"),
    Case("sign_reading_export", kind="relationship"),
    Case("sign_refresh", kind="relationship", action=Action.CHANGE, method="post", ok=302,
         allowed=None, state=reading_count),
    Case("sign_detail", kind="sign_reading", url=READING_SIGN, shows="sign_reading"),
    Case("sign_reading_detail", kind="sign_reading"),
    Case("sign_threshold_edit", kind="sign_threshold", url=THRESHOLD_SIGN, action=Action.CHANGE),
    Case("sign_threshold_edit", kind="sign_threshold", url=THRESHOLD_SIGN, action=Action.CHANGE,
         method="post", ok=302, data=threshold_form, state=threshold_state),
    Case("sign_threshold_reset", kind="sign_threshold", url=THRESHOLD_SIGN,
         action=Action.DELETE, method="post", ok=302, state=threshold_state),
    Case("sign_threshold_audit", kind="sign_threshold"),
    Case("level_focus_edit", kind="service_level", action=Action.CHANGE),
    Case("level_focus_edit", kind="service_level", action=Action.CHANGE, method="post", ok=302,
         data=lambda w, label, persona: {"focus": "efficiency"}, state=level_state),
    Case("workforce_import", kind="workforce", parent=True, action=Action.ADD),
    Case("workforce_import", kind="workforce", parent=True, action=Action.ADD, method="post",
         ok=302, data=workforce_import_form, state=workforce_count),
]  # fmt: skip

API_CASES = [
    *_api("workforce-month", "workforce", workforce_form, workforce_count, workforce_state,
          lambda w, label, persona: {"note": f"Patched by {persona}"}),
    *_api("meeting-log", "meeting", meeting_form, meeting_count, meeting_state,
          lambda w, label, persona: {"attendees": 9}),
    *_api("improvement-proposal", "proposal", proposal_form, proposal_count, proposal_state,
          lambda w, label, persona: {"status": "declined"}),
    Case("api:financial-indicator-list", api=True, shows="financial"),
    Case("api:financial-indicator-list", api=True, kind="financial", action=Action.ADD,
         method="post", ok=201, url=lambda w, label: {},
         data=with_relationship(financial_form), state=financial_count),
    Case("api:financial-indicator-detail", api=True, kind="financial"),
    Case("api:financial-indicator-detail", api=True, kind="financial", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"note": f"By {persona}"},
         state=financial_state),
    Case("api:financial-indicator-detail", api=True, kind="financial", action=Action.DELETE,
         method="delete", ok=204, state=financial_state),
    Case("api:sign-reading-list", api=True, shows="sign_reading"),
    Case("api:sign-reading-detail", api=True, kind="sign_reading"),
    Case("api:sign-threshold-list", api=True, shows="sign_threshold"),
    Case("api:sign-threshold-list", api=True, kind="sign_threshold", action=Action.CHANGE,
         method="post", ok=201, url=lambda w, label: {}, data=threshold_api_body,
         state=threshold_state),
    Case("api:sign-threshold-detail", api=True, kind="sign_threshold"),
    Case("api:sign-threshold-detail", api=True, kind="sign_threshold", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"watch_at": "12"},
         state=threshold_state),
    Case("api:sign-threshold-detail", api=True, kind="sign_threshold", action=Action.DELETE,
         method="delete", ok=204, state=threshold_state),
]  # fmt: skip

CASES: list[Case] = [
    *_crud("workforce", "workforce", workforce_form, workforce_count, workforce_state),
    *_crud("meeting_log", "meeting", meeting_form, meeting_count, meeting_state),
    *_crud("proposal", "proposal", proposal_form, proposal_count, proposal_state),
    *FINANCE_CASES,
    *SIGN_CASES,
    *API_CASES,
]
