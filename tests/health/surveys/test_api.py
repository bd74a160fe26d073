"""The survey API: answering with nested answers, closing, results as JSON and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from rest_framework.test import APIClient

from accord.health import surveys
from accord.health.models import SurveyResponse, SurveyRound
from tests.health.surveys.answers import answer_all
from tests.health.surveys.scenario import Scenario


def api(scenario: Scenario, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(scenario.person(name))
    return client


def test_answering_and_revising_through_the_api(scenario: Scenario) -> None:
    survey = scenario.open_round()
    s = scenario.statements
    body: dict[str, Any] = {
        "round": survey.pk,
        "submit": False,
        "answers": [
            {"statement": s["rel"].pk, "subject": "relationship", "rating": 4},
            {"statement": s["trust"].pk, "subject": "self", "rating": None, "comment": "Unsure"},
        ],
    }
    created = api(scenario, "b1").post("/api/v1/survey-responses/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["side"] == "buyer"
    assert data["submitted_at"] is None
    assert len(data["answers"]) == 2
    patched = api(scenario, "b1").patch(
        f"/api/v1/survey-responses/{data['id']}/", {"submit": True}, format="json"
    )
    assert patched.status_code == 200
    assert patched.json()["submitted_at"] is not None
    assert len(patched.json()["answers"]) == 2
    # A colleague sees it, may not change it; the other side does not see it.
    assert api(scenario, "b2").get(f"/api/v1/survey-responses/{data['id']}/").status_code == 200
    assert (
        api(scenario, "b2")
        .patch(f"/api/v1/survey-responses/{data['id']}/", {"submit": True}, format="json")
        .status_code
        == 403
    )
    assert api(scenario, "p1").get(f"/api/v1/survey-responses/{data['id']}/").status_code == 404
    assert api(scenario, "p1").get("/api/v1/survey-responses/").json()["results"] == []


def test_a_bad_rating_answers_400_naming_the_statement(scenario: Scenario) -> None:
    survey = scenario.open_round()
    body = {
        "round": survey.pk,
        "answers": [{"statement": scenario.statements["rel"].pk, "subject": "relationship",
                     "rating": 7}],
    }  # fmt: skip
    response = api(scenario, "p1").post("/api/v1/survey-responses/", body, format="json")
    assert response.status_code == 400
    assert "We rely on each other." in str(response.json()["error"]["fields"])
    assert not SurveyResponse.objects.exists()


def test_rounds_close_and_publish_scores(scenario: Scenario) -> None:
    survey = scenario.open_round()
    answer_all(scenario, survey)
    client = api(scenario, "p_manager")
    assert client.get(f"/api/v1/survey-rounds/{survey.pk}/").json()["answered"] == {
        "buyer": 3,
        "provider": 3,
    }
    assert api(scenario, "p1").post(f"/api/v1/survey-rounds/{survey.pk}/close/").status_code == 403
    closed = client.post(f"/api/v1/survey-rounds/{survey.pk}/close/")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert client.post(f"/api/v1/survey-rounds/{survey.pk}/close/").status_code == 400
    scores = client.get(f"/api/v1/survey-scores/?round={survey.pk}").json()["results"]
    assert len(scores) == 10
    text = client.get(f"/api/v1/survey-scores/?round={survey.pk}&format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    trust = next(r for r in rows if (r["dimension_code"], r["side"], r["subject"]) == (
        "trust", "buyer", "self"))  # fmt: skip
    assert trust["mean"] == "4.33"
    assert trust["respondents"] == "3"
    comments = client.get(f"/api/v1/survey-comments/?round={survey.pk}&format=csv")
    assert comments["Content-Disposition"] == 'attachment; filename="survey-comments.csv"'
    assert "Slow to confirm changes." in comments.content.decode()


def test_creating_a_round_and_refusing_changes_once_answered(scenario: Scenario) -> None:
    client = api(scenario, "b_manager")
    body = {
        "relationship": scenario.relationship.pk, "instrument": scenario.instrument.pk,
        "title": "Autumn", "period_start": "2026-07-01", "period_end": "2026-10-31",
    }  # fmt: skip
    created = client.post("/api/v1/survey-rounds/", body, format="json")
    assert created.status_code == 201
    assert created.json()["min_respondents"] == 3
    survey = SurveyRound.objects.get(pk=created.json()["id"])
    surveys.survey_response_save(
        round=survey, answers=[(scenario.statements["rel"].pk, "relationship", 3, "")],
        submit=True, actor=scenario.person("p1"),
    )  # fmt: skip
    assert (
        client.patch(
            f"/api/v1/survey-rounds/{survey.pk}/", {"title": "X"}, format="json"
        ).status_code
        == 400
    )
    assert client.delete(f"/api/v1/survey-rounds/{survey.pk}/").status_code == 400


def test_instruments_nest_dimensions_and_statements(scenario: Scenario) -> None:
    rows = api(scenario, "b1").get("/api/v1/survey-instruments/").json()["results"]
    ours = next(r for r in rows if r["name"] == "Our survey")
    assert [d["code"] for d in ours["dimensions"]] == ["trust", "innovation"]
    assert [s["about"] for s in ours["dimensions"][0]["statements"]] == ["relationship", "parties"]
    assert "Our survey" not in [r["name"] for r in api(scenario, "p1").get(
        "/api/v1/survey-instruments/").json()["results"]]  # fmt: skip
