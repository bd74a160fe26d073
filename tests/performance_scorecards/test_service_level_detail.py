"""A service level's page: definition, trend chart, periods, breakdown, excusal links."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accord.core.testing import performance_factories as pf
from accord.engine.periods import Month
from accord.performance.models import PeriodResult
from tests.performance_scorecards.builders import (
    add_level,
    add_results,
    build_scene,
    months_from,
    result_row,
)

pytestmark = pytest.mark.django_db

CYCLE = ["met", "missed_expected", "missed_minimum", "no_data"]


def cycle(level, month):  # type: ignore[no-untyped-def]
    return CYCLE[month.index % len(CYCLE)]


def test_definition_and_a_chart_point_per_period() -> None:
    scene = build_scene()
    level = add_level(scene, "P1", name="Priority 1 within 4 hours")
    months = months_from(Month(2025, 11), 8)
    add_results(scene.run, [level], months, cycle)
    html = scene.client().get(reverse("service_level_detail", args=[level.pk])).content.decode()

    assert "share of P1 tickets resolved within 4 hours" in html  # the rule
    assert "<dt>Expected level</dt><dd>at least 95 %</dd>" in html
    assert "50 % of the monthly at-risk amount" in html
    svg = html[html.index("<svg xmlns") : html.index("</svg>", html.index("<svg xmlns"))]
    assert 'role="img"' in svg
    assert "<title id=" in svg
    assert "<desc id=" in svg
    assert re.findall(r'data-period="([^"]+)"', svg) == [str(m) for m in months]
    misses = sum(1 for m in months if cycle(level, m).startswith("missed"))
    assert svg.count(' miss" data-period') == misses
    assert 'class="target expected"' in svg
    assert 'class="target minimum"' in svg
    # The periods table is the chart's data, one row per period, each linked.
    rows = re.findall(r'<tr data-object="performance.periodresult:(\d+)"', html)
    assert len(rows) == len(months)


def test_only_the_provider_is_offered_to_request_an_excusal_on_missed_months() -> None:
    scene = build_scene()
    level = add_level(scene, "P1")
    add_results(scene.run, [level], months_from(Month(2026, 1), 4), cycle)
    url = reverse("service_level_detail", args=[level.pk])
    add_url = reverse("excusal_add", args=[scene.relationship.pk])

    provider = scene.client("provider").get(url).content.decode()
    offered = re.findall(rf"{re.escape(add_url)}\?level={level.pk}&amp;month=([\d-]+)", provider)
    missed = [
        str(m)
        for m in months_from(Month(2026, 1), 4)
        if cycle(level, m) in ("missed_expected", "missed_minimum")
    ]
    assert len(missed) == 2
    assert offered == missed

    buyer = scene.client("buyer").get(url).content.decode()
    assert add_url not in buyer


def test_a_requested_excusal_is_shown_instead_of_the_offer() -> None:
    scene = build_scene()
    level = add_level(scene, "P1")
    result_row(scene.run, level, Month(2026, 1), "missed_minimum").save()
    excusal = pf.ExcusalFactory(contract=scene.contract, service_level=level, month="2026-01")
    html = scene.client("provider").get(reverse("service_level_detail", args=[level.pk]))
    text = html.content.decode()
    assert reverse("excusal_detail", args=[excusal.pk]) in text
    assert "Requested" in text
    assert "Request an excusal" not in text


def test_breakdown_groups_by_period_with_a_dimension_chooser() -> None:
    scene = build_scene()
    level = add_level(scene, "P1", breakdown=["queue", "region"])
    months = months_from(Month(2026, 1), 2)
    add_results(scene.run, [level], months)
    groups = [
        {"queue": "gold", "region": "west"},
        {"queue": "silver", "region": "east"},
        {"queue": "gold", "region": "east"},
    ]
    PeriodResult.objects.bulk_create(
        result_row(scene.run, level, m, "missed_expected", breakdown=g, value=90.0 + i)
        for i, g in enumerate(groups)
        for m in months
    )
    url = reverse("service_level_detail", args=[level.pk])
    client = scene.client()

    by_queue = client.get(url).content.decode()
    section = by_queue[by_queue.index('id="breakdown-h"') :]
    assert '<option value="region">region</option>' in section
    heads = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td>', section)
    assert heads == [("gold", "region = east"), ("gold", "region = west"),
                     ("silver", "region = east")]  # fmt: skip
    assert section.count("92.0 %") == 2  # the gold/east group, in both months

    by_region = client.get(url, {"dimension": "region"}).content.decode()
    section = by_region[by_region.index('id="breakdown-h"') :]
    heads = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td>', section)
    assert heads == [("east", "queue = gold"), ("east", "queue = silver"),
                     ("west", "queue = gold")]  # fmt: skip

    # An unknown dimension falls back to the first.
    assert client.get(url, {"dimension": "nope"}).status_code == 200


def test_a_level_without_results_yet() -> None:
    scene = build_scene()
    level = add_level(scene, "P1")
    html = scene.client().get(reverse("service_level_detail", args=[level.pk])).content.decode()
    assert "has no results for this level" in html
    assert "<svg" not in html.split("<main", 1)[1]
