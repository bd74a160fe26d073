"""The pages on a run the engine really computed: upload tickets, read the scorecard and credits.

Priority 1 tickets, 20 a month, expected 95 % resolved within 4 hours,
minimum 90 %: January 100 % (met), February 85 % (missed minimum: a credit),
March 90 % (missed expected, the 2nd miss in 6 months: a credit), April 100 %.
The at-risk amount is 10 % of 100,000.00 and P1 carries 50 % of it: 5,000.00
per credit.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from accord.core.choices import RoleName
from accord.core.testing import performance_factories as pf
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.performance import imports, services
from accord.performance.models import CreditLine, CreditMonth, DataSource, PeriodResult
from accord.performance.scorecards import latest_run

pytestmark = pytest.mark.django_db

WITHIN = {1: 20, 2: 17, 3: 18, 4: 20}  # tickets resolved within 4 hours, of 20


def tickets_csv() -> bytes:
    out = io.StringIO()
    out.write("ticket_id,priority,opened_at,resolved_at\n")
    for month, within in WITHIN.items():
        for n in range(20):
            hours = 1 if n < within else 6
            day = 10 + n % 10
            out.write(
                f"T{month}-{n},1,2026-{month:02d}-{day}T18:00:00Z,"
                f"2026-{month:02d}-{day}T{18 + hours:02d}:00:00Z\n".replace("T24:", "T23:")
            )
    return out.getvalue().encode()


@pytest.fixture
def computed() -> dict:
    buyer_org = OrganisationFactory(name="Ministry", kind="buyer")
    provider_org = OrganisationFactory(name="Payroll Co", kind="provider")
    relationship = RelationshipFactory(
        name="Ministry payroll", buyer=buyer_org, provider=provider_org
    )
    buyer = UserFactory(username="ministry-manager", organisation=buyer_org)
    RoleFactory(relationship=relationship, person=buyer, role=RoleName.MANAGER)
    contract = pf.ContractFactory(relationship=relationship, reference="PAY-1")
    services.schedule_version_create(
        contract=contract, document=pf.SMALL_SCHEDULE, summary="first", actor=buyer
    )
    source = DataSource.objects.get(contract=contract, name="tickets")
    record, is_new = imports.data_import_create(
        source=source, chunks=[tickets_csv()], original_name="tickets.csv", actor=buyer
    )
    assert is_new
    record.refresh_from_db()
    assert record.status == "succeeded", record.message
    run = latest_run(contract)
    assert run is not None
    assert run.status == "succeeded", run.message
    client = Client()
    client.force_login(buyer)
    return {"relationship": relationship, "run": run, "client": client, "import": record}


def test_the_scorecard_shows_what_the_engine_computed(computed: dict) -> None:
    relationship, client = computed["relationship"], computed["client"]
    html = client.get(reverse("scorecard", args=[relationship.pk])).content.decode()
    assert "100.0 %" in html
    assert "85.0 %" in html
    assert "90.0 %" in html
    statuses = dict(
        PeriodResult.objects.filter(run=computed["run"]).values_list("period", "status")
    )
    assert statuses == {
        "2026-01": "met",
        "2026-02": "missed_minimum",
        "2026-03": "missed_expected",
        "2026-04": "met",
    }
    assert html.count("Missed minimum</span></a></td>") == 1
    assert "<dd>1 import ·" in html


def test_a_result_explains_its_numerator_denominator_rule_and_import(computed: dict) -> None:
    result = PeriodResult.objects.get(run=computed["run"], period="2026-02")
    html = computed["client"].get(reverse("result_detail", args=[result.pk])).content.decode()
    record = computed["import"]
    assert "<dt>Numerator</dt><dd>17</dd>" in html
    assert "<dt>Denominator</dt><dd>20</dd>" in html
    assert result.rule in html
    assert "tickets.csv" in html
    assert record.sha256 in html
    assert "misses the minimum (at least 90 %)" in html
    assert "duckdb" in html.lower()  # the engine versions the run recorded


def test_the_credit_statement_adds_up_and_explains_each_credit(computed: dict) -> None:
    relationship, client, run = computed["relationship"], computed["client"], computed["run"]
    html = client.get(reverse("credit_statement", args=[relationship.pk])).content.decode()
    months = list(CreditMonth.objects.filter(run=run))
    assert [m.month for m in months] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert sum(m.net for m in months) == 10000
    assert "10,000.00" in html  # the year's net: two credits of 5,000.00
    assert html.count("data-month=") == 4  # a bar per month

    march = CreditMonth.objects.get(run=run, month="2026-03")
    detail = client.get(reverse("credit_month_detail", args=[march.pk])).content.decode()
    line = CreditLine.objects.get(credit_month=march)
    assert line.trigger == "nth_expected_miss"
    assert line.explanation.split(":")[0] in detail

    page = client.get(reverse("credit_line_detail", args=[line.pk])).content.decode()
    feb = PeriodResult.objects.get(run=run, period="2026-02")
    mar = PeriodResult.objects.get(run=run, period="2026-03")
    # The rolling rule counted February's and March's misses: both are linked.
    assert reverse("result_detail", args=[feb.pk]) in page
    assert reverse("result_detail", args=[mar.pk]) in page
    assert "50 % × CAD 10,000.00 = CAD 5,000.00" in page
    assert "no earnback: the credit is chronic" in page.replace("No earnback", "no earnback")


def test_the_csv_exports_parse_back(computed: dict) -> None:
    relationship, client = computed["relationship"], computed["client"]
    response = client.get(reverse("credit_csv", args=[relationship.pk]), {"year": 2026})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    credits = [r for r in rows if r["row"] == "credit"]
    assert [(r["month"], r["level_code"], r["amount"]) for r in credits] == [
        ("2026-02", "P1", "5000.00"),
        ("2026-03", "P1", "5000.00"),
    ]
    assert rows[-1]["row"] == "year total"
    assert rows[-1]["net"] == "10000.00"
