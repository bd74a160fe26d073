"""Survey pages and CSV downloads: answering, counts, results with the gap chart, exports."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.health import surveys
from accord.health.models import SurveyResponse, SurveyRound
from tests.health.surveys.answers import answer_all
from tests.health.surveys.scenario import Scenario


def client_of(scenario: Scenario, name: str) -> Client:
    client = Client()
    client.force_login(scenario.person(name))
    return client


def csv_rows(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def closed(scenario: Scenario) -> SurveyRound:
    survey = scenario.open_round()
    answer_all(scenario, survey)
    return surveys.survey_round_close(round=survey, actor=scenario.person("b_manager"))


def test_the_answer_sheet_groups_statements_by_dimension(scenario: Scenario) -> None:
    survey = scenario.open_round()
    page = client_of(scenario, "p1").get(reverse("survey_respond", args=[survey.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    # rel once, trust and innovation twice (your side, the other side): five fieldsets.
    assert html.count('<fieldset class="statement"') == 5
    assert html.count("<legend>") == 5
    for words in ("No opinion", "Your side", "The other side"):
        assert words in html
    assert f'name="rating-{scenario.statements["trust"].pk}-other" value="5"' in html


def test_answering_through_the_page_saves_and_counts(scenario: Scenario) -> None:
    survey = scenario.open_round()
    s = scenario.statements
    data = {
        "action": "submit",
        f"rating-{s['rel'].pk}-relationship": "4",
        f"rating-{s['trust'].pk}-self": "5",
        f"comment-{s['trust'].pk}-self": "We kept every promise.",
        f"rating-{s['trust'].pk}-other": "",  # no opinion
    }
    client = client_of(scenario, "p1")
    response = client.post(reverse("survey_respond", args=[survey.pk]), data)
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(round=survey)
    assert saved.side == "provider"
    assert saved.submitted_at is not None
    assert sorted(saved.answers.values_list("subject", "rating", "comment")) == [
        ("relationship", 4, ""),
        ("self", 5, "We kept every promise."),
    ]
    detail = client_of(scenario, "b1").get(survey.get_absolute_url()).content.decode()
    assert re.search(r'id="answered-provider"><span class="count">1<', detail)
    assert re.search(r'id="answered-buyer"><span class="count">0<', detail)
    # The buyer sees the count, never the provider's response.
    assert f"health.surveyresponse:{saved.pk}" not in detail
    # The sheet comes back filled in.
    again = client.get(reverse("survey_respond", args=[survey.pk])).content.decode()
    assert f'name="rating-{s["trust"].pk}-self" value="5" checked' in again


def test_a_bad_rating_is_named_and_nothing_saved(scenario: Scenario) -> None:
    survey = scenario.open_round()
    s = scenario.statements
    page = client_of(scenario, "b1").post(
        reverse("survey_respond", args=[survey.pk]),
        {"action": "submit", f"rating-{s['rel'].pk}-relationship": "9"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="error"' in html
    assert "We rely on each other." in html
    assert not SurveyResponse.objects.exists()


def test_the_other_side_gets_404_on_a_response(scenario: Scenario) -> None:
    survey = scenario.open_round()
    response = surveys.survey_response_save(
        round=survey, answers=[(scenario.statements["rel"].pk, "relationship", 3, "")],
        submit=True, actor=scenario.person("b1"),
    )  # fmt: skip
    url = reverse("survey_response_detail", args=[response.pk])
    assert client_of(scenario, "p_manager").get(url).status_code == 404
    mine = client_of(scenario, "b1").get(url)
    assert mine.status_code == 200
    assert "My answers" in mine.content.decode()
    assert client_of(scenario, "b2").get(url).status_code == 200


def test_results_show_the_gap_chart_and_the_table(scenario: Scenario, closed: SurveyRound) -> None:
    html = client_of(scenario, "p1").get(closed.get_absolute_url()).content.decode()
    assert 'id="gap-chart-provider"' in html
    assert 'id="gap-chart-buyer"' in html
    # The provider rates its trust 4.67, the buyer rates the provider 2.33: gap +2.34.
    group = re.search(
        r'<g class="gap" data-dimension="trust" data-gap="\+2.34"><title>([^<]*)</title>', html
    )
    assert group is not None
    assert "4.67" in group.group(1)
    assert "2.33" in group.group(1)
    assert "fewer than 3 answered" in html
    assert "Slow to confirm changes." in html
    assert "We rarely ask." not in html  # its group was under the minimum
    assert 'id="survey-trend"' in html


def test_score_export_has_the_gap_on_the_self_rows(scenario: Scenario, closed: SurveyRound) -> None:
    rows = csv_rows(client_of(scenario, "b1").get(reverse("survey_score_export", args=[closed.pk])))
    assert len(rows) == 10
    provider_trust = next(
        r
        for r in rows
        if (r["dimension_code"], r["side"], r["subject"]) == ("trust", "provider", "self")
    )
    assert provider_trust["mean"] == "4.67"
    assert provider_trust["gap"] == "2.34"
    suppressed = next(
        r for r in rows
        if (r["dimension_code"], r["side"], r["subject"]) == ("innovation", "buyer", "self")
    )  # fmt: skip
    assert (suppressed["mean"], suppressed["suppressed"]) == ("", "yes")


def test_comment_and_round_exports(scenario: Scenario, closed: SurveyRound) -> None:
    client = client_of(scenario, "p1")
    comments = csv_rows(client.get(reverse("survey_comment_export", args=[closed.pk])))
    assert sorted(r["comment"] for r in comments) == [
        "Slow to confirm changes.",
        "We proposed three ideas.",
    ]
    rounds = csv_rows(client.get(reverse("survey_round_export", args=[scenario.relationship.pk])))
    assert [
        (r["title"], r["status"], r["buyer_answered"], r["provider_answered"]) for r in rounds
    ] == [("Spring", "closed", "3", "3")]


def test_response_export_has_only_your_sides_answers(
    scenario: Scenario, closed: SurveyRound
) -> None:
    rows = csv_rows(
        client_of(scenario, "p2").get(reverse("survey_response_export", args=[closed.pk]))
    )
    assert {r["side"] for r in rows} == {"provider"}
    assert {r["respondent"] for r in rows} == {"p_manager", "p1", "p2"}


def test_closing_from_the_page(scenario: Scenario) -> None:
    survey = scenario.open_round()
    url = reverse("survey_round_close", args=[survey.pk])
    assert client_of(scenario, "b1").post(url).status_code == 403
    assert client_of(scenario, "b_manager").post(url).status_code == 302
    survey.refresh_from_db()
    assert not survey.is_open
    again = client_of(scenario, "b_manager").post(url, follow=True)
    assert "already closed" in again.content.decode()


def test_opening_a_round_from_the_page(scenario: Scenario) -> None:
    url = reverse("survey_round_add", args=[scenario.relationship.pk])
    client = client_of(scenario, "p_manager")
    page = client.get(url)
    assert page.status_code == 200
    assert "Minimum respondents" in page.content.decode()
    response = client.post(
        url,
        {
            "instrument": scenario.instrument.pk, "title": "Autumn",
            "period_start": "2026-07-01", "period_end": "2026-06-01", "min_respondents": 3,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not SurveyRound.objects.exists()
    assert client_of(scenario, "p1").get(url).status_code == 403


def test_instrument_pages(scenario: Scenario) -> None:
    admin = client_of(scenario, "b_admin")
    listing = admin.get(reverse("survey_instrument_list")).content.decode()
    assert "Our survey" in listing
    assert "Accord relationship health survey" in listing
    assert (
        "Our survey"
        not in client_of(scenario, "p_admin")
        .get(reverse("survey_instrument_list"))
        .content.decode()
    )
    scenario.open_round()
    detail = admin.get(scenario.instrument.get_absolute_url()).content.decode()
    assert "frozen" in detail
    assert "Add a dimension" not in detail
    refused = admin.post(
        reverse("survey_dimension_add", args=[scenario.instrument.pk]),
        {"code": "late", "name": "Late"},
    )
    assert refused.status_code == 200
    assert "frozen" in refused.content.decode()
