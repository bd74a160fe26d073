"""One result's explanation: inputs, rule, targets, calendar, schedule version, imports, excusal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.core.testing import performance_factories as pf
from accord.engine.periods import Month
from tests.performance_scorecards.builders import (
    CALENDAR_SCHEDULE,
    add_level,
    build_scene,
    new_run,
    result_row,
)

pytestmark = pytest.mark.django_db


def test_the_explanation_names_value_inputs_rule_and_targets() -> None:
    scene = build_scene()
    level = add_level(scene, "P1", name="Priority 1 resolved within 4 hours")
    result = result_row(scene.run, level, Month(2026, 2), "missed_minimum", value=85.0)
    result.numerator, result.denominator, result.volume = 170, 200, 200
    result.save()
    html = scene.client().get(reverse("result_detail", args=[result.pk])).content.decode()
    assert "<dt>Value</dt><dd>85.0 %</dd>" in html
    assert "<dt>Numerator</dt><dd>170</dd>" in html
    assert "<dt>Denominator</dt><dd>200</dd>" in html
    assert "200 rows measured" in html
    assert "share of P1 tickets resolved within 4 hours" in html
    assert "<dt>Expected level</dt><dd>at least 95 %</dd>" in html
    assert "<dt>Minimum</dt><dd>at least 90 %</dd>" in html
    assert "85.0 % misses the minimum (at least 90 %)" in html
    assert "February 2026" in html
    assert reverse("schedule_version", args=[scene.version.pk]) in html


def test_the_imports_of_the_levels_source_are_listed_with_their_hash() -> None:
    scene = build_scene()
    level = add_level(scene, "P1", source="tickets")
    tickets = pf.DataSourceFactory(contract=scene.contract, name="tickets")
    calls = pf.DataSourceFactory(contract=scene.contract, name="calls")
    used = pf.DataImportFactory(
        source=tickets, status="succeeded", original_name="january.csv", rows=1234
    )
    other = pf.DataImportFactory(source=calls, status="succeeded", original_name="calls.csv")
    scene.run.imports.set([used, other])
    result = result_row(scene.run, level, Month(2026, 1), "met")
    result.save()
    html = scene.client().get(reverse("result_detail", args=[result.pk])).content.decode()
    assert "january.csv" in html
    assert used.sha256 in html
    assert "<td>1234</td>" in html
    assert reverse("import_detail", args=[used.pk]) in html
    assert "calls.csv" not in html  # another source's data did not feed this level


def test_the_calendar_of_a_business_time_level_is_summarised() -> None:
    scene = build_scene(document=CALENDAR_SCHEDULE)
    level = add_level(scene, "P1", calendar="office")
    result = result_row(scene.run, level, Month(2026, 2), "met")
    result.save()
    html = scene.client().get(reverse("result_detail", args=[result.pk])).content.decode()
    assert "BC public service office hours" in html
    assert "America/Vancouver" in html
    assert "mon 08:30-16:30" in html
    assert "CA-BC" in html
    assert "2026-12-24" in html
    assert "2026-02-16 (Family Day)" in html  # the holiday inside February 2026


def test_a_level_without_calendar_has_no_calendar_section() -> None:
    scene = build_scene()
    level = add_level(scene, "P1")
    result = result_row(scene.run, level, Month(2026, 2), "met")
    result.save()
    html = scene.client().get(reverse("result_detail", args=[result.pk])).content.decode()
    assert 'id="calendar-h"' not in html


def test_an_excused_miss_says_so() -> None:
    scene = build_scene()
    level = add_level(scene, "P1")
    scene.run.excused = [["P1", "2026-01"]]
    scene.run.save()
    excusal = pf.ExcusalFactory(
        contract=scene.contract, service_level=level, month="2026-01", status="approved"
    )
    excused = result_row(scene.run, level, Month(2026, 1), "missed_minimum")
    excused.save()
    plain = result_row(scene.run, level, Month(2026, 2), "missed_minimum")
    plain.save()
    client = scene.client()
    html = client.get(reverse("result_detail", args=[excused.pk])).content.decode()
    assert "this miss was excused when the figures were computed" in html
    assert reverse("excusal_detail", args=[excusal.pk]) in html
    other = client.get(reverse("result_detail", args=[plain.pk])).content.decode()
    assert "No excusal covered this period" in other


def test_a_result_of_an_older_run_says_it_is_not_the_scorecard_in_force() -> None:
    scene = build_scene()
    level = add_level(scene, "P1")
    old = result_row(scene.run, level, Month(2026, 1), "met")
    old.save()
    newer = new_run(scene.contract, scene.version)
    html = scene.client().get(reverse("result_detail", args=[old.pk])).content.decode()
    assert f"This figure comes from run #{scene.run.pk}" in html
    assert f"(run #{newer.pk})" in html


def test_a_level_result_links_its_breakdown_groups_and_back() -> None:
    scene = build_scene()
    level = add_level(scene, "P1", breakdown=["queue"])
    whole = result_row(scene.run, level, Month(2026, 1), "met")
    whole.save()
    group = result_row(
        scene.run, level, Month(2026, 1), "missed_expected", breakdown={"queue": "gold"}
    )
    group.save()
    client = scene.client()
    html = client.get(reverse("result_detail", args=[whole.pk])).content.decode()
    assert "queue = gold" in html
    assert reverse("result_detail", args=[group.pk]) in html
    back = client.get(reverse("result_detail", args=[group.pk])).content.decode()
    assert reverse("result_detail", args=[whole.pk]) in back
    assert "Whole level" in back
