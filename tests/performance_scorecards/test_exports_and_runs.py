"""CSV exports of scorecards and credits, and the recomputation history."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from accord.core.testing import performance_factories as pf
from accord.core.testing.factories import UserFactory
from accord.engine.periods import Month
from accord.performance.models import PeriodResult
from tests.performance_scorecards.builders import (
    add_credit_month,
    add_level,
    add_results,
    build_scene,
    months_from,
    new_run,
    result_row,
)

pytestmark = pytest.mark.django_db


def parse(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_scorecard_csv_has_a_row_per_level_period_and_breakdown_group() -> None:
    scene = build_scene(name="Payroll services")
    p1 = add_level(scene, "P1", breakdown=["queue"])
    p2 = add_level(scene, "P2", kind="key", unit="seconds")
    add_results(scene.run, [p1], months_from(Month(2026, 1), 3))
    PeriodResult.objects.bulk_create(
        result_row(scene.run, p1, m, "missed_minimum", breakdown={"queue": q})
        for m in months_from(Month(2026, 1), 3)
        for q in ("gold", "silver")
    )
    result_row(scene.run, p2, Month(2026, 1), "met", value=42.5).save()
    result_row(scene.run, p2, Month(2025, 12), "met", value=40.0).save()  # another year
    response = scene.client().get(
        reverse("scorecard_csv", args=[scene.relationship.pk]), {"year": 2026}
    )
    assert 'filename="payroll-services-scorecard-2026.csv"' in response["Content-Disposition"]
    rows = parse(response)
    assert len(rows) == 3 + 6 + 1
    groups = [r for r in rows if r["level_code"] == "P1" and r["breakdown"]]
    assert {r["breakdown"] for r in groups} == {"queue = gold", "queue = silver"}
    assert all(r["status"] == "missed_minimum" for r in groups)
    seconds = next(r for r in rows if r["level_code"] == "P2")
    assert seconds["value"] == "42.5"
    assert seconds["unit"] == "seconds"
    assert seconds["value_shown"] == "42.5 s"
    assert seconds["kind"] == "key"
    first = rows[0]
    assert first["period"] == "2026-01"
    assert first["expected"] == "95.000"
    assert first["numerator"] == "195.0"
    assert first["denominator"] == "200.0"
    assert first["run"] == str(scene.run.pk)
    assert first["schedule_version"] == "1"


def test_scorecard_csv_defaults_to_the_latest_year_and_quotes_formulas() -> None:
    scene = build_scene()
    level = add_level(scene, "P1", name='=HYPERLINK("http://evil")')
    result_row(scene.run, level, Month(2025, 6), "met").save()
    result_row(scene.run, level, Month(2026, 6), "met").save()
    response = scene.client().get(reverse("scorecard_csv", args=[scene.relationship.pk]))
    rows = parse(response)
    assert [r["period"] for r in rows] == ["2026-06"]
    assert rows[0]["level_name"].startswith("'=")


def test_csv_for_someone_who_sees_the_relationship_but_not_its_records_is_empty() -> None:
    scene = build_scene()
    level = add_level(scene, "P1")
    result_row(scene.run, level, Month(2026, 1), "met").save()
    admin = UserFactory(username="buyer-admin", organisation=scene.relationship.buyer,
                        is_org_admin=True)  # fmt: skip
    client = Client()
    client.force_login(admin)
    assert parse(client.get(reverse("scorecard_csv", args=[scene.relationship.pk]))) == []
    assert parse(client.get(reverse("credit_csv", args=[scene.relationship.pk]))) == []


def test_credit_csv_rows_per_line_and_earnback_with_month_and_year_totals() -> None:
    scene = build_scene(name="Contact centre")
    p1, p2 = add_level(scene, "P1"), add_level(scene, "P2")
    add_credit_month(
        scene.run,
        "2026-01",
        lines=[(p1, "minimum", "6000.00"), (p2, "nth_expected_miss", "7000.00")],
        cap=True,
    )
    add_credit_month(
        scene.run,
        "2026-02",
        earnbacks=[
            {"code": "P1", "credit_month": "2026-01", "amount": "-1500.00", "explanation": "back"}
        ],
    )
    response = scene.client().get(reverse("credit_csv", args=[scene.relationship.pk]))
    assert 'filename="contact-centre-credits-2026.csv"' in response["Content-Disposition"]
    rows = parse(response)
    assert [(r["month"], r["row"], r["level_code"]) for r in rows] == [
        ("2026-01", "credit", "P1"),
        ("2026-01", "credit", "P2"),
        ("2026-01", "month total", ""),
        ("2026-02", "earnback", "P1"),
        ("2026-02", "month total", ""),
        ("2026", "year total", ""),
    ]
    p1_row, p2_row, january, earnback, february, year = rows
    assert (p1_row["amount"], p1_row["charged"]) == ("6000.00", "4615.38")
    assert p2_row["trigger"] == "nth_expected_miss"
    assert p2_row["allocation_percent"] == "50"
    assert january["cap_applied"] == "yes"
    assert january["net"] == "10000.00"
    assert earnback["amount"] == "-1500.00"
    assert earnback["credit_month"] == "2026-01"
    assert february["net"] == "-1500.00"
    assert year["net"] == "8500.00"
    assert year["fee"] == "200000.00"
    assert year["earned_back"] == "-1500.00"


def test_run_list_shows_every_run_with_its_status_and_failure() -> None:
    scene = build_scene()
    source = pf.DataSourceFactory(contract=scene.contract, name="tickets")
    scene.run.imports.add(pf.DataImportFactory(source=source, status="succeeded"))
    failed = new_run(
        scene.contract,
        scene.version,
        status="failed",
        reason="import #2 (x.csv)",
        message="column priority: not an integer",
        first_period="",
        last_period="",
    )
    html = scene.client().get(reverse("run_list", args=[scene.relationship.pk])).content.decode()
    rows = re.findall(r'data-object="performance.scorecardrun:(\d+)"', html)
    assert rows == [str(failed.pk), str(scene.run.pk)]  # newest first
    assert "column priority: not an integer" in html
    assert "Failed" in html
    in_force = html[html.index(f"#{scene.run.pk}") :]
    assert in_force.startswith(f'#{scene.run.pk} <span class="badge in-force">in force</span>')
    assert "2026-01 to 2026-01" in html


def test_run_list_is_paginated() -> None:
    scene = build_scene()
    for _ in range(30):
        new_run(scene.contract, scene.version)
    client = scene.client()
    url = reverse("run_list", args=[scene.relationship.pk])
    first = client.get(url).content.decode()
    assert first.count('data-object="performance.scorecardrun:') == 25
    assert "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('data-object="performance.scorecardrun:') == 6
