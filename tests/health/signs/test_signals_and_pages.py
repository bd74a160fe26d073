"""Refresh triggers, and the board's and a sign's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from accord.core.testing.factories import NoteFactory
from accord.core.testing.performance_factories import ContractFactory, ScorecardRunFactory
from accord.health import inputs
from accord.health.models import SignCode, SignReading, SignState
from accord.health.refresh import last_complete_month
from accord.notes.models import Note
from accord.notes.services import note_update
from tests.health.signs.conftest import Pair


def test_a_succeeded_run_refreshes_the_signs(
    pair: Pair, django_capture_on_commit_callbacks: Any
) -> None:
    contract = ContractFactory(relationship=pair.relationship)
    with django_capture_on_commit_callbacks(execute=True):
        ScorecardRunFactory(contract=contract, status="failed")
    assert not SignReading.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        ScorecardRunFactory(contract=contract, status="succeeded")
    assert SignReading.objects.filter(relationship=pair.relationship).count() == 8 * 12


def test_a_tagged_note_refreshes_push_back(
    pair: Pair, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        note = NoteFactory(
            relationship=pair.relationship, title="Weekend cover is outside the contract"
        )
    month = last_complete_month()
    # A note of this month is outside the last complete month's window; date it inside.
    inside = dt.datetime(month.year, month.month, 15, 12, tzinfo=dt.UTC)
    Note.objects.filter(pk=note.pk).update(created_at=inside)
    note.refresh_from_db()
    got = SignReading.objects.get(sign=SignCode.CONTRACT_PUSHBACK, month=month)
    assert got.value == 0
    with django_capture_on_commit_callbacks(execute=True):
        note_update(note=note, contractual_dispute=True, actor=pair.buyer)
    got = SignReading.objects.get(sign=SignCode.CONTRACT_PUSHBACK, month=month)
    assert got.value == 1
    assert got.evidence[0]["url"] == note.get_absolute_url()


def test_service_inputs_refresh_and_the_board_shows_since(pair: Pair) -> None:
    month = last_complete_month()
    inputs.workforce_month_create(
        relationship=pair.relationship, actor=pair.provider, month=month, headcount=10,
        leavers=5,
    )  # fmt: skip
    got = SignReading.objects.get(sign=SignCode.ATTRITION, month=month)
    assert got.state == SignState.TRIGGERED  # 5 / 10 × 12 × 100 = 600 % a year
    client = Client()
    client.force_login(pair.buyer)
    page = client.get(reverse("sign_board", kwargs={"pk": pair.relationship.pk})).content.decode()
    assert "600 % a year" in page
    assert f"since {month:%b %Y}" in page
    assert "What to do next" in page
    detail = client.get(
        reverse("sign_detail", kwargs={"pk": pair.relationship.pk, "sign": "attrition"})
    ).content.decode()
    assert 'class="watch-line"' in detail
    assert 'class="trigger-line"' in detail
    assert "headcount 10, leavers 5" in detail


def test_recompute_now_and_tuning_from_the_page(pair: Pair) -> None:
    client = Client()
    client.force_login(pair.provider)
    rel = pair.relationship.pk
    response = client.post(reverse("sign_refresh", kwargs={"pk": rel}))
    assert response.status_code == 302
    assert SignReading.objects.filter(relationship=pair.relationship).count() == 8 * 12
    url = reverse("sign_threshold_edit", kwargs={"pk": rel, "sign": "attrition"})
    bad = client.post(
        url, {"enabled": "on", "watch_at": "9", "trigger_at": "3", "window_months": 3}
    )
    assert bad.status_code == 200
    assert 'class="error"' in bad.content.decode()
    ok = client.post(url, {"enabled": "on", "watch_at": "3", "trigger_at": "9", "window_months": 3})
    assert ok.status_code == 302
    page = client.get(reverse("sign_detail", kwargs={"pk": rel, "sign": "attrition"}))
    assert "(default 35)" in page.content.decode()
