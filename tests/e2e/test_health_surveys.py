"""Health surveys in the browser: answering by keyboard, and reading the gap chart
(real Chromium)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accord.health import surveys
from accord.health.models import SurveyResponse
from tests.e2e.browsing import sign_in
from tests.health.surveys.answers import answer_all
from tests.health.surveys.scenario import build_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_answers_a_survey_by_keyboard(live_server: Any, new_page: Any) -> None:
    scenario = build_scenario()
    survey = scenario.open_round()
    base = live_server.url
    page = new_page()
    sign_in(page, base, "p1")
    page.goto(f"{base}{survey.get_absolute_url()}")
    page.get_by_role("link", name="Answer the survey").click()
    page.wait_for_url(re.compile(r".*/answer/$"))

    groups = page.locator("fieldset.statement")
    assert groups.count() == 5
    # In each statement's radio group: focus "1", then arrow right to the rating wanted.
    for index, steps in enumerate([3, 4, 2, 4, 1]):  # ratings 4, 5, 3, 5, 2
        first = groups.nth(index).get_by_role("radio").first
        first.focus()
        page.keyboard.press("Space")
        for _ in range(steps):
            page.keyboard.press("ArrowRight")
    comment = groups.nth(1).get_by_label("Comment (optional)")
    comment.focus()
    page.keyboard.type("We kept every promise this quarter.")
    page.get_by_role("button", name="Submit my answers").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/health/surveys/\d+/$"))

    assert page.locator("#answered-provider .count").inner_text() == "1"
    assert page.locator("#answered-buyer .count").inner_text() == "0"
    response = SurveyResponse.objects.get(round=survey)
    ratings = sorted(
        (a.statement_id, a.subject, a.rating, a.comment) for a in response.answers.all()
    )
    s = scenario.statements
    assert ratings == sorted(
        [
            (s["rel"].pk, "relationship", 4, ""),
            (s["trust"].pk, "self", 5, "We kept every promise this quarter."),
            (s["trust"].pk, "other", 3, ""),
            (s["innovation"].pk, "self", 5, ""),
            (s["innovation"].pk, "other", 2, ""),
        ]
    )
    assert response.submitted_at is not None


def test_a_person_reads_the_gap_chart(live_server: Any, new_page: Any) -> None:
    scenario = build_scenario()
    survey = scenario.open_round()
    answer_all(scenario, survey)
    surveys.survey_round_close(round=survey, actor=scenario.person("b_manager"), refresh=False)
    base = live_server.url
    page = new_page()
    sign_in(page, base, "b1")
    page.goto(f"{base}{survey.get_absolute_url()}")

    chart = page.locator("svg#gap-chart-provider")
    assert chart.is_visible()
    groups = chart.locator("g.gap")
    assert groups.count() == 2
    trust = chart.locator('g.gap[data-dimension="trust"]')
    assert trust.is_visible()
    # The provider rates its trust (5+4+5)/3 = 4.67; the buyer rates it (2+3+2)/3 = 2.33.
    title = trust.locator("title").text_content() or ""
    assert "4.67" in title
    assert "2.33" in title
    assert "+2.34" in title
    assert trust.locator("text.gap-value").text_content() == "+2.34"
    row = page.locator('#scores-table tr[data-dimension="trust"]')
    assert "+2.34" in row.inner_text()
