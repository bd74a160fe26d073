"""The workforce CSV import: all or nothing, row and column in every error, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accord.core.exceptions import PermissionDenied, ValidationError
from accord.health.models import WorkforceMonth
from accord.health.workforce_import import workforce_import
from tests.health.signs.conftest import Pair

GOOD = """month,headcount,joiners,leavers,moved_out,note
2026-08,100,3,2,1,
2026-09,101,4,3,0,summer
2026-10,99,1,4,1,
"""


def test_import_adds_then_is_idempotent_then_updates(pair: Pair) -> None:
    first = workforce_import(relationship=pair.relationship, text=GOOD, actor=pair.provider)
    assert (first.created, first.updated, first.unchanged) == (
        ["2026-08", "2026-09", "2026-10"],
        [],
        [],
    )
    row = WorkforceMonth.objects.get(month=dt.date(2026, 9, 1))
    assert (row.headcount, row.joiners, row.leavers, row.moved_out, row.note) == (
        101,
        4,
        3,
        0,
        "summer",
    )
    again = workforce_import(relationship=pair.relationship, text=GOOD, actor=pair.provider)
    assert (again.created, again.updated, again.unchanged) == (
        [],
        [],
        ["2026-08", "2026-09", "2026-10"],
    )
    assert WorkforceMonth.objects.count() == 3
    changed = GOOD.replace("2026-10,99,1,4,1,", "2026-10,99,1,9,1,")
    third = workforce_import(relationship=pair.relationship, text=changed, actor=pair.provider)
    assert (third.updated, third.unchanged) == (["2026-10"], ["2026-08", "2026-09"])
    assert WorkforceMonth.objects.get(month=dt.date(2026, 10, 1)).leavers == 9


def test_one_bad_row_saves_nothing_and_names_row_and_column(pair: Pair) -> None:
    text = GOOD + "2026-11,98,0,-1,0,\n"  # row 5 (the header is row 1)
    text = text.replace("2026-10,99,1,4,1,", "2026-10,99,1,four,1,")  # row 4
    with pytest.raises(ValidationError) as error:
        workforce_import(relationship=pair.relationship, text=text, actor=pair.provider)
    assert error.value.message_dict["file"] == [
        "row 4, column leavers: must be a whole number 0 or more",
        "row 5, column leavers: must be a whole number 0 or more",
    ]
    assert not WorkforceMonth.objects.exists()


def test_duplicate_month_and_missing_columns(pair: Pair) -> None:
    with pytest.raises(ValidationError) as error:
        workforce_import(
            relationship=pair.relationship, text=GOOD + "2026-09,1,1,1,1,\n", actor=pair.provider
        )
    assert error.value.message_dict["file"] == ["row 5, column month: 2026-09 is already on row 3"]
    with pytest.raises(ValidationError) as error:
        workforce_import(
            relationship=pair.relationship, text="month,headcount\n2026-09,1\n",
            actor=pair.provider,
        )  # fmt: skip
    assert "missing column(s) joiners, leavers, moved_out" in error.value.messages[0]
    assert not WorkforceMonth.objects.exists()


def test_the_buyer_cannot_import(pair: Pair) -> None:
    with pytest.raises(PermissionDenied):
        workforce_import(relationship=pair.relationship, text=GOOD, actor=pair.buyer)


def test_the_import_page_shows_errors_next_to_the_field(pair: Pair) -> None:
    client = Client()
    client.force_login(pair.provider)
    url = reverse("workforce_import", kwargs={"pk": pair.relationship.pk})
    response = client.post(url, {"text": "month,headcount,joiners,leavers,moved_out\nx,1,1,1,1\n"})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert "row 2, column month: must be a month as YYYY-MM" in response.content.decode()
    response = client.post(url, {"text": GOOD})
    assert response.status_code == 302
    assert WorkforceMonth.objects.count() == 3
