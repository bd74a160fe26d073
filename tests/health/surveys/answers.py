"""The answers of the service tests, with the results computed by hand."""

from __future__ import annotations

from typing import Any

from accord.health import surveys
from accord.health.models import SurveyRound
from tests.health.surveys.scenario import Scenario

# person -> (rel, trust self, trust other, innovation self, innovation other), submitted?
ANSWERS: dict[str, tuple[tuple[Any, ...], bool]] = {
    "b_manager": ((4, 5, 2, 4, 2), True),
    "b1": ((3, 4, 3, None, 1), True),
    "b2": ((4, 4, 2, None, 2), True),
    "b3": ((1, 1, 1, 1, 1), False),  # a draft: counts for nothing
    "p_manager": ((4, 5, 4, 5, 3), True),
    "p1": ((5, 4, 4, 4, None), True),
    "p2": ((None, 5, None, 3, None), True),
}
COMMENTS = {
    ("b_manager", "trust", "other"): "Slow to confirm changes.",
    ("b1", "innovation", "self"): "We rarely ask.",  # buyer innovation/self: suppressed
    ("b3", "trust", "self"): "Draft thoughts.",  # a draft
    ("p_manager", "innovation", "self"): "We proposed three ideas.",
}


def answer_all(scenario: Scenario, survey: SurveyRound) -> None:
    s = scenario.statements
    for person, (ratings, submit) in ANSWERS.items():
        rel, trust_self, trust_other, innov_self, innov_other = ratings
        items = [
            (s["rel"].pk, "relationship", rel, ""),
            (s["trust"].pk, "self", trust_self, COMMENTS.get((person, "trust", "self"), "")),
            (s["trust"].pk, "other", trust_other, COMMENTS.get((person, "trust", "other"), "")),
            (s["innovation"].pk, "self", innov_self,
             COMMENTS.get((person, "innovation", "self"), "")),
            (s["innovation"].pk, "other", innov_other, ""),
        ]  # fmt: skip
        surveys.survey_response_save(
            round=survey, answers=items, submit=submit, actor=scenario.person(person)
        )
