"""The scorecard page: the grid of levels × months from the run in force."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accord.core.testing import performance_factories as pf
from accord.engine.periods import Month
from tests.performance_scorecards.builders import (
    add_level,
    add_results,
    build_scene,
    months_from,
    new_run,
    result_row,
)

pytestmark = pytest.mark.django_db


def cell_html(html: str, result_pk: int) -> str:
    """The ``<td>`` of the grid cell that shows ``result_pk``."""
    key = f'data-object="performance.periodresult:{result_pk}"'
    match = re.search(rf"<td [^>]*{re.escape(key)}[^>]*>(.*?)</td>", html, re.S)
    assert match, f"no cell for result {result_pk}"
    return match.group(0)


def text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_cells_show_value_and_status_in_words_and_link_to_the_explanation() -> None:
    scene = build_scene()
    level = add_level(scene, "P1", name="Priority 1 resolved within 4 hours")
    statuses = {1: "met", 2: "missed_expected", 3: "missed_minimum"}
    results = add_results(
        scene.run, [level], months_from(Month(2026, 1), 3), lambda lv, m: statuses[m.month]
    )
    html = scene.client().get(reverse("scorecard", args=[scene.relationship.pk])).content.decode()

    jan, feb, mar = (cell_html(html, r.pk) for r in results)
    assert 'class="cell met"' in jan
    assert "97.5 %" in text_of(jan)
    assert "Met" in text_of(jan)
    assert "93.4 %" in text_of(feb)
    assert "Missed expected" in text_of(feb)
    assert 'class="cell missed_minimum"' in mar
    assert "85.0 %" in text_of(mar)
    assert "Missed minimum" in text_of(mar)
    assert reverse("result_detail", args=[results[2].pk]) in mar
    # The status icon is decoration; the words are what a screen reader reads.
    assert '<span class="icon" aria-hidden="true">✗</span> Missed minimum' in mar
    assert "Priority 1 resolved within 4 hours" in html
    assert reverse("service_level_detail", args=[level.pk]) in html


def test_the_latest_succeeded_run_is_shown_not_an_older_or_failed_one() -> None:
    scene = build_scene()
    level = add_level(scene, "P1")
    old = scene.run
    # An older run with other numbers, then the run in force, then a newer failed run.
    result_row(old, level, Month(2026, 1), "met", value=11.1).save()
    current = new_run(scene.contract, scene.version, reason="schedule version 2")
    result_row(current, level, Month(2026, 1), "missed_minimum", value=42.4).save()
    failed = new_run(scene.contract, scene.version, status="failed", message="boom")
    result_row(failed, level, Month(2026, 1), "met", value=77.7).save()

    html = scene.client().get(reverse("scorecard", args=[scene.relationship.pk])).content.decode()

    assert "42.4 %" in html
    assert "11.1 %" not in html
    assert "77.7 %" not in html
    assert f"run #{current.pk}" in html
    assert "schedule version 2" in html


def test_critical_levels_come_first_then_key_measurements_in_schedule_order() -> None:
    scene = build_scene()
    key = add_level(scene, "KEY1", name="Key first in the schedule", kind="key", position=0)
    second = add_level(scene, "CRIT2", name="Second critical", position=2)
    first = add_level(scene, "CRIT1", name="First critical", position=1)
    add_results(scene.run, [key, second, first], [Month(2026, 1)])
    html = scene.client().get(reverse("scorecard", args=[scene.relationship.pk])).content.decode()
    order = [html.index(name) for name in ("First critical", "Second critical", "Key first")]
    assert order == sorted(order)
    assert html.index("Critical service levels") < html.index("Key measurements")


def test_quarterly_levels_have_their_own_row_group() -> None:
    scene = build_scene()
    monthly = add_level(scene, "M1", name="Monthly level")
    quarterly = add_level(scene, "Q1L", name="Quarterly level", period="quarter")
    add_results(scene.run, [monthly], months_from(Month(2026, 1), 3))
    row = result_row(scene.run, quarterly, Month(2026, 1), "missed_expected", value=4.5)
    row.period, row.period_end = "2026-Q1", Month(2026, 4).first_day()
    row.save()
    html = scene.client().get(reverse("scorecard", args=[scene.relationship.pk])).content.decode()
    assert "Monthly service levels" in html
    assert "Quarterly service levels" in html
    quarter_section = html[html.index("Quarterly service levels") :]
    assert "Q1" in quarter_section
    assert "4.5 %" in quarter_section
    assert html.index("Monthly level") < html.index("Quarterly service levels")


def test_year_navigation_defaults_to_the_latest_year_and_moves_between_years() -> None:
    scene = build_scene()
    level = add_level(scene, "P1")
    result_row(scene.run, level, Month(2025, 12), "missed_minimum", value=81.5).save()
    result_row(scene.run, level, Month(2026, 1), "met", value=99.5).save()
    url = reverse("scorecard", args=[scene.relationship.pk])
    client = scene.client()

    latest = client.get(url).content.decode()
    assert "99.5 %" in latest
    assert "81.5 %" not in latest
    assert 'href="?year=2025" rel="prev"' in latest
    assert '<strong aria-current="page">2026</strong>' in latest
    assert f"{reverse('scorecard_csv', args=[scene.relationship.pk])}?year=2026" in latest

    earlier = client.get(url, {"year": "2025"}).content.decode()
    assert "81.5 %" in earlier
    assert "99.5 %" not in earlier
    assert 'href="?year=2026" rel="next"' in earlier

    empty = client.get(url, {"year": "2019"}).content.decode()
    assert "no results in 2019" in empty
    assert client.get(url, {"year": "not-a-year"}).status_code == 200


def test_the_run_it_comes_from_is_described() -> None:
    scene = build_scene()
    level = add_level(scene, "P1")
    add_results(scene.run, [level], [Month(2026, 1)])
    source = pf.DataSourceFactory(contract=scene.contract, name="tickets")
    for _ in range(3):
        scene.run.imports.add(pf.DataImportFactory(source=source, status="succeeded"))
    html = scene.client().get(reverse("scorecard", args=[scene.relationship.pk])).content.decode()
    assert "data import #1" in html
    assert "3 imports" in html
    assert "Schedule v1" in html
    assert reverse("run_list", args=[scene.relationship.pk]) in html


def test_months_of_the_run_without_a_result_show_as_not_evaluated() -> None:
    scene = build_scene()
    scene.run.first_period, scene.run.last_period = "2026-01", "2026-03"
    scene.run.save()
    level = add_level(scene, "P1")
    result_row(scene.run, level, Month(2026, 1), "met").save()
    html = scene.client().get(reverse("scorecard", args=[scene.relationship.pk])).content.decode()
    assert '<abbr title="March 2026">Mar</abbr>' in html
    assert html.count('<span class="sr-only">Not evaluated</span>') == 2


class TestEmptyStates:
    def test_no_contract(self) -> None:
        scene = build_scene()
        scene.run.delete()
        scene.contract.delete()
        response = scene.client().get(reverse("scorecard", args=[scene.relationship.pk]))
        assert response.status_code == 200
        assert "No contract yet" in response.content.decode()

    def test_no_schedule(self) -> None:
        scene = build_scene()
        scene.run.delete()
        scene.version.delete()
        html = scene.client().get(reverse("scorecard", args=[scene.relationship.pk]))
        assert "No schedule of service levels yet" in html.content.decode()

    def test_no_data_yet(self) -> None:
        scene = build_scene()
        scene.run.delete()
        new_run(scene.contract, scene.version, status="failed", message="no data")
        html = scene.client().get(reverse("scorecard", args=[scene.relationship.pk]))
        text = html.content.decode()
        assert "No data yet" in text
        assert reverse("run_list", args=[scene.relationship.pk]) in text
