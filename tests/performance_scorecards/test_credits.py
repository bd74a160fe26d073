"""The credit statement, a month in full and one credit explained."""

from __future__ import annotations

import decimal
import re

import pytest
from django.urls import reverse

from accord.engine.periods import Month
from accord.performance.models import CreditMonth
from tests.performance_scorecards.builders import (
    add_credit_month,
    add_level,
    build_scene,
    new_run,
    result_row,
)

pytestmark = pytest.mark.django_db


def money_cells(html: str) -> list[str]:
    return re.findall(r'<td class="num"><strong>([^<]+)</strong></td>', html)


def test_the_statement_lists_months_and_its_totals_are_the_sums_of_the_months() -> None:
    scene = build_scene()
    p1, p2 = add_level(scene, "P1"), add_level(scene, "P2")
    add_credit_month(scene.run, "2026-01", lines=[(p1, "minimum", "5000.00")])
    add_credit_month(scene.run, "2026-02")
    add_credit_month(
        scene.run, "2026-03",
        lines=[(p1, "minimum", "6000.00"), (p2, "nth_expected_miss", "7000.00")], cap=True,
    )  # fmt: skip
    add_credit_month(
        scene.run, "2026-04",
        earnbacks=[{"code": "P1", "credit_month": "2026-01", "amount": "-5000.00",
                    "explanation": "P1 met its expected level in 2026-02, 2026-03."}],
    )  # fmt: skip
    html = scene.client().get(reverse("credit_statement", args=[scene.relationship.pk]))
    text = html.content.decode()

    months = list(CreditMonth.objects.filter(run=scene.run).order_by("month_start"))
    nets = [m.net for m in months]
    assert nets == [decimal.Decimal(x) for x in ("5000.00", "0.00", "10000.00", "-5000.00")]
    # Each month's net, then the year's total, which is their sum.
    assert money_cells(text) == ["5,000.00", "0.00", "10,000.00", "-5,000.00", "10,000.00"]
    assert "<strong>Applied</strong>: 13,000.00 capped to 10,000.00" in text
    assert "1 month capped" in text
    assert "P1 credit of 2026-01: -5,000.00" in text
    assert "400,000.00" in text  # the year's fees
    for month in months:
        assert reverse("credit_month_detail", args=[month.pk]) in text
    lines = re.findall(r'data-object="performance.creditline:(\d+)"', text)
    assert len(lines) == 3
    # The chart: a bar per month, with a title in words.
    assert re.findall(r'data-month="([^"]+)"', text) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert "<title>April 2026: net CAD -5,000.00</title>" in text


def test_the_statement_of_the_run_in_force_and_of_the_chosen_year() -> None:
    scene = build_scene()
    p1 = add_level(scene, "P1")
    add_credit_month(scene.run, "2026-01", lines=[(p1, "minimum", "1111.00")])
    current = new_run(scene.contract, scene.version, pending_earnbacks=[
        {"code": "P1", "credit_month": "2026-01", "amount": "2222.00", "met": [],
         "waiting_for": ["2026-02", "2026-03"], "returns_in": "2026-03",
         "explanation": "The credit of 2,222.00 for P1 in 2026-01 is returned in 2026-03 if met."},
    ])  # fmt: skip
    add_credit_month(current, "2025-12", lines=[(p1, "minimum", "3333.00")])
    add_credit_month(current, "2026-01", lines=[(p1, "minimum", "2222.00")])
    url = reverse("credit_statement", args=[scene.relationship.pk])
    client = scene.client()

    latest = client.get(url).content.decode()
    assert "2,222.00" in latest
    assert "1,111.00" not in latest
    assert "3,333.00" not in latest
    assert "is returned in 2026-03 if met" in latest  # the pending earnback
    assert 'href="?year=2025" rel="prev"' in latest

    earlier = client.get(url, {"year": 2025}).content.decode()
    assert "3,333.00" in earlier
    assert "2,222.00" not in earlier.split("Pending earnbacks")[0]


def test_a_month_in_full_shows_every_part_of_the_engines_statement() -> None:
    scene = build_scene()
    p1, p2 = add_level(scene, "P1"), add_level(scene, "P2")
    result = result_row(scene.run, p1, Month(2026, 3), "missed_minimum")
    result.save()
    month = add_credit_month(scene.run, "2026-03", lines=[(p1, "minimum", "5000.00")])
    month.detail.update(
        excused=[{"code": "P2", "status": "missed_minimum",
                  "explanation": "P2 missed its minimum in 2026-03; the miss is excused."}],
        misses_not_credited=[{"code": "P2", "status": "missed_expected",
                              "explanation": "P2 missed its expected level: no credit yet."}],
        earnbacks=[{"code": "P1", "credit_month": "2026-01", "amount": "-500.00",
                    "explanation": "P1 met its expected level: returned."}],
        net_explanation="credits 5,000.00 − earnbacks 500.00 = 4,500.00: owed to the buyer",
    )  # fmt: skip
    month.save()
    html = scene.client().get(reverse("credit_month_detail", args=[month.pk])).content.decode()
    assert "10% × fee 100,000.00 (monthly fees) = 10,000.00 at risk" in html
    assert "P1 credit in 2026-03: 5000.00." in html
    assert reverse("result_detail", args=[result.pk]) in html
    assert "P2 missed its minimum in 2026-03; the miss is excused." in html
    assert "P2 missed its expected level: no credit yet." in html
    assert "P1 met its expected level: returned." in html
    assert "-500.00" in html
    assert "Credits 5,000.00 − earnbacks 500.00 = 4,500.00: owed to the buyer." in html
    assert reverse("service_level_detail", args=[p2.pk]) in html


def test_one_credit_shows_its_trigger_arithmetic_and_earnback() -> None:
    scene = build_scene()
    p1 = add_level(scene, "P1")
    for month, status in ((1, "missed_expected"), (2, "met"), (3, "missed_expected")):
        result_row(scene.run, p1, Month(2026, month), status).save()
    credit_month = add_credit_month(
        scene.run, "2026-03", lines=[(p1, "nth_expected_miss", "5000.00")]
    )
    line = credit_month.lines.get()
    html = scene.client().get(reverse("credit_line_detail", args=[line.pk])).content.decode()
    # The small schedule's rule: the 2nd miss within 6 months triggers a credit.
    assert "the 2nd and later misses of the expected level within 6 months" in html
    assert "2025-10 to 2026-03" in html
    triggering = html[html.index("The results that triggered it") : html.index("Arithmetic")]
    assert triggering.count('data-object="performance.periodresult:') == 2
    assert "January 2026" in triggering
    assert "March 2026" in triggering
    assert "February 2026" not in triggering
    assert "50 % × CAD 10,000.00 = CAD 5,000.00" in html
    assert "Pending: returned in later months if met." in html
