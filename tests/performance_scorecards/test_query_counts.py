"""The scorecard pages cost the same number of queries whatever the number of levels and months."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.engine.periods import Month
from tests.performance_scorecards.builders import (
    Scene,
    add_credit_month,
    add_level,
    add_results,
    build_scene,
    months_from,
    new_run,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15  # including the session's save on each request (3 queries)
STATUSES = ["met", "missed_expected", "missed_minimum", "no_data", "below_volume"]


def scene_of(name: str, levels: int, months: int) -> Scene:
    """``levels`` levels (a third of them key measurements) × ``months`` months from 2025-01."""
    scene = build_scene(name=name)
    first = Month(2025, 1)
    scene.run.first_period, scene.run.last_period = str(first), str(first.shift(months - 1))
    scene.run.save()
    made = [
        add_level(scene, f"L{n}", kind="key" if n % 3 == 2 else "critical") for n in range(levels)
    ]
    add_results(
        scene.run,
        made,
        months_from(first, months),
        lambda level, month: STATUSES[(level.position + month.index) % len(STATUSES)],
    )
    for month in months_from(first, months):
        add_credit_month(scene.run, str(month), lines=[(made[0], "minimum", "1000.00")])
    for _ in range(levels):
        new_run(scene.contract, scene.version, status="failed", message="x")
    return scene


def count(client: Client, url: str) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


PAGES = {
    "scorecard": lambda s: reverse("scorecard", args=[s.relationship.pk]),
    "credit_statement": lambda s: reverse("credit_statement", args=[s.relationship.pk]),
    "run_list": lambda s: reverse("run_list", args=[s.relationship.pk]),
    "service_level_detail": lambda s: reverse("service_level_detail", args=[s.levels[0].pk]),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_queries_do_not_grow_with_levels_and_months(
    page: str, django_assert_max_num_queries: Any
) -> None:
    small = scene_of("Small relationship", levels=2, months=3)
    large = scene_of("Large relationship", levels=15, months=24)
    small_count = count(small.client(), PAGES[page](small))
    client = large.client()
    large_count = count(client, PAGES[page](large))
    assert small_count == large_count, (
        f"{page}: {small_count} queries for 2 levels × 3 months, "
        f"{large_count} for 15 levels × 24 months"
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(PAGES[page](large))


def test_the_large_scorecard_shows_every_level_of_the_year() -> None:
    large = scene_of("Large relationship", levels=15, months=24)
    html = large.client().get(reverse("scorecard", args=[large.relationship.pk]))
    # The latest year (2026): 15 levels × 12 months, every cell a result.
    assert html.content.decode().count('data-object="performance.periodresult:') == 15 * 12
