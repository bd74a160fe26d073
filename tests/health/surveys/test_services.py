"""Survey services: aggregation, suppression, comments, gaps, frozen instruments, bad answers."""

from __future__ import annotations

import decimal
from typing import Any

import pytest

from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.selectors import get_for
from accord.core.testing.health_factories import default_instrument
from accord.health import survey_results, surveys
from accord.health.models import (
    RoundStatus,
    StatementAbout,
    SurveyAnswer,
    SurveyComment,
    SurveyDimension,
    SurveyInstrument,
    SurveyResponse,
    SurveyRound,
    SurveyScore,
    SurveyStatement,
)
from tests.health.surveys.answers import answer_all
from tests.health.surveys.scenario import Scenario

D = decimal.Decimal


def scores(survey: SurveyRound) -> dict[tuple[str, str, str], tuple[int, Any, bool]]:
    return {
        (s.dimension.code, s.side, s.subject): (s.respondents, s.mean, s.suppressed)
        for s in SurveyScore.objects.filter(round=survey).select_related("dimension")
    }


@pytest.fixture
def closed(scenario: Scenario) -> SurveyRound:
    survey = scenario.open_round()
    answer_all(scenario, survey)
    return surveys.survey_round_close(round=survey, actor=scenario.person("p_manager"))


def test_closing_computes_each_group_mean_by_hand(scenario: Scenario, closed: SurveyRound) -> None:
    got = scores(closed)
    # trust has both kinds of statement (3 subjects), innovation only "parties" (2): x 2 sides.
    assert len(got) == 10
    assert got[("trust", "buyer", "relationship")] == (3, D("3.67"), False)  # (4+3+4)/3
    assert got[("trust", "buyer", "self")] == (3, D("4.33"), False)  # (5+4+4)/3
    assert got[("trust", "buyer", "other")] == (3, D("2.33"), False)  # (2+3+2)/3
    assert got[("innovation", "buyer", "other")] == (3, D("1.67"), False)  # (2+1+2)/3
    assert got[("trust", "provider", "self")] == (3, D("4.67"), False)  # (5+4+5)/3
    assert got[("innovation", "provider", "self")] == (3, D("4.00"), False)  # (5+4+3)/3
    closed.refresh_from_db()
    assert closed.status == RoundStatus.CLOSED
    assert closed.closed_at is not None
    assert set(SurveyScore.objects.values_list("visibility", flat=True)) == {"joint"}


def test_groups_under_the_minimum_are_suppressed(scenario: Scenario, closed: SurveyRound) -> None:
    got = scores(closed)
    assert got[("innovation", "buyer", "self")] == (1, None, True)  # only b_manager rated it
    assert got[("trust", "provider", "relationship")] == (2, None, True)
    assert got[("trust", "provider", "other")] == (2, None, True)
    assert got[("innovation", "provider", "other")] == (1, None, True)


def test_drafts_count_for_nothing(scenario: Scenario, closed: SurveyRound) -> None:
    # b3's draft rated everything 1: with it trust/buyer/self would be (5+4+4+1)/4.
    assert scores(closed)[("trust", "buyer", "self")][0] == 3


def test_comments_come_only_from_groups_at_the_minimum(
    scenario: Scenario, closed: SurveyRound
) -> None:
    published = sorted(
        (c.dimension.code, c.side, c.subject, c.text)
        for c in SurveyComment.objects.filter(round=closed).select_related("dimension")
    )
    assert published == [
        ("innovation", "provider", "self", "We proposed three ideas."),
        ("trust", "buyer", "other", "Slow to confirm changes."),
    ]
    assert set(SurveyComment.objects.values_list("visibility", flat=True)) == {"joint"}


def test_perception_gap_is_self_minus_the_other_sides_view(
    scenario: Scenario, closed: SurveyRound
) -> None:
    results = survey_results.round_results(closed, scenario.person("b1"))
    by_code = {r.dimension.code: r for r in results.dimensions}
    # The provider rates its trust 4.67; the buyer rates the provider 2.33.
    assert by_code["trust"].gaps["provider"] == D("2.34")
    assert by_code["innovation"].gaps["provider"] == D("2.33")  # 4.00 - 1.67
    # The provider's rating of the buyer is suppressed: no gap for the buyer.
    assert by_code["trust"].gaps["buyer"] is None
    assert by_code["innovation"].gaps["buyer"] is None


def test_trend_gives_each_sides_mean_and_the_mean_absolute_gap(
    scenario: Scenario, closed: SurveyRound
) -> None:
    [row] = survey_results.trend(scenario.relationship, scenario.person("p1"))
    assert row.relationship_mean == {"buyer": D("3.67"), "provider": None}
    assert row.mean_abs_gap == D("2.34")  # (2.34 + 2.33) / 2 = 2.335, half up


def test_closing_twice_is_refused(scenario: Scenario, closed: SurveyRound) -> None:
    with pytest.raises(ValidationError, match="already closed"):
        surveys.survey_round_close(round=closed, actor=scenario.person("b_manager"))
    assert SurveyScore.objects.filter(round=closed).count() == 10


def test_closing_asks_for_a_health_refresh(scenario: Scenario, monkeypatch: Any) -> None:
    asked: list[int] = []
    monkeypatch.setattr(surveys, "refresh_later", asked.append)
    survey = scenario.open_round()
    surveys.survey_round_close(round=survey, actor=scenario.person("b_manager"))
    assert asked == [scenario.relationship.pk]


def test_a_viewer_may_not_close_or_open_a_round(scenario: Scenario) -> None:
    survey = scenario.open_round()
    with pytest.raises(PermissionDenied):
        surveys.survey_round_close(round=survey, actor=scenario.person("b1"))
    with pytest.raises(PermissionDenied):
        surveys.survey_round_create(
            relationship=scenario.relationship, instrument=scenario.instrument, title="X",
            period_start=survey.period_start, period_end=survey.period_end,
            actor=scenario.person("b1"),
        )  # fmt: skip
    assert SurveyRound.objects.get().status == RoundStatus.OPEN


def test_answers_are_private_to_the_respondents_side(scenario: Scenario) -> None:
    survey = scenario.open_round()
    response = surveys.survey_response_save(
        round=survey, answers=[(scenario.statements["rel"].pk, "relationship", 4, "")],
        submit=True, actor=scenario.person("b1"),
    )  # fmt: skip
    assert (response.side, response.visibility) == ("buyer", "buyer")
    assert get_for(scenario.person("b2"), SurveyResponse, pk=response.pk) == response
    with pytest.raises(NotFound):
        get_for(scenario.person("p_manager"), SurveyResponse, pk=response.pk)
    assert survey_results.answered_counts(survey) == {"buyer": 1, "provider": 0}


def test_answering_again_replaces_the_answers(scenario: Scenario) -> None:
    survey = scenario.open_round()
    rel = scenario.statements["rel"].pk
    actor = scenario.person("p1")
    surveys.survey_response_save(
        round=survey, answers=[(rel, "relationship", 2, "first")], submit=False, actor=actor
    )
    response = surveys.survey_response_save(
        round=survey, answers=[(rel, "relationship", 5, "")], submit=True, actor=actor
    )
    assert SurveyResponse.objects.filter(round=survey).count() == 1
    assert list(response.answers.values_list("rating", "comment")) == [(5, "")]
    assert response.submitted_at is not None


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (("rel", "relationship", 6), "We rely on each other.”: a rating is a whole number"),
        (("rel", "relationship", 0), "a rating is a whole number from 1 to 5"),
        (("rel", "self", 3), "“We rely on each other.” is rated about relationship"),
        (("trust", "relationship", 3), "“This side keeps its word.” is rated about self or other"),
        (("foreign", "relationship", 3), "is not part of this round's survey"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(
    scenario: Scenario, bad: tuple[str, str, int], message: str
) -> None:
    survey = scenario.open_round()
    actor = scenario.person("b1")
    good = (scenario.statements["innovation"].pk, "self", 4, "")
    surveys.survey_response_save(round=survey, answers=[good], submit=True, actor=actor)
    before = list(SurveyAnswer.objects.values_list("pk", "rating"))
    foreign = SurveyStatement.objects.filter(dimension__instrument=default_instrument()).first()
    assert foreign is not None
    key, subject, rating = bad
    statement_id = foreign.pk if key == "foreign" else scenario.statements[key].pk
    with pytest.raises(ValidationError) as raised:
        surveys.survey_response_save(
            round=survey, answers=[good, (statement_id, subject, rating, "x")], submit=True,
            actor=actor,
        )  # fmt: skip
    assert message in " ".join(raised.value.messages)
    assert list(SurveyAnswer.objects.values_list("pk", "rating")) == before


def test_closed_rounds_take_no_answers(scenario: Scenario, closed: SurveyRound) -> None:
    with pytest.raises(ValidationError, match="closed"):
        surveys.survey_response_save(
            round=closed, answers=[], submit=True, actor=scenario.person("b1")
        )


def test_people_without_a_role_cannot_answer(scenario: Scenario) -> None:
    survey = scenario.open_round()
    for name in ("outsider", "b_admin"):
        with pytest.raises(NotFound):
            surveys.survey_response_save(
                round=survey, answers=[], submit=True, actor=scenario.person(name)
            )
    assert not SurveyResponse.objects.exists()


def test_a_round_is_edited_or_deleted_only_before_anyone_answers(scenario: Scenario) -> None:
    survey = scenario.open_round()
    manager = scenario.person("b_manager")
    surveys.survey_round_update(round=survey, title="Spring 2026", actor=manager)
    surveys.survey_response_save(
        round=survey, answers=[(scenario.statements["rel"].pk, "relationship", 3, "")],
        submit=True, actor=scenario.person("p1"),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="answered"):
        surveys.survey_round_update(round=survey, title="Later", actor=manager)
    with pytest.raises(ValidationError, match="answered"):
        surveys.survey_round_delete(round=survey, actor=manager)
    survey.refresh_from_db()
    assert survey.title == "Spring 2026"


def test_an_unanswered_round_can_be_deleted(scenario: Scenario) -> None:
    survey = scenario.open_round()
    surveys.survey_round_delete(round=survey, actor=scenario.person("p_manager"))
    assert not SurveyRound.objects.exists()


def test_round_dates_are_checked(scenario: Scenario) -> None:
    survey = scenario.open_round()
    with pytest.raises(ValidationError) as raised:
        surveys.survey_round_update(
            round=survey, period_end=survey.period_start.replace(year=2025),
            actor=scenario.person("b_manager"),
        )  # fmt: skip
    assert "period_end" in raised.value.message_dict


# --------------------------------------------------------------------------- instruments


def test_an_admin_adapts_the_default_instrument(scenario: Scenario) -> None:
    default = default_instrument()
    copy = surveys.survey_instrument_copy(instrument=default, actor=scenario.person("p_admin"))
    assert copy.owner_id == scenario.provider_org.pk
    assert copy.based_on_id == default.pk
    assert copy.name == f"{default.name} (adapted)"
    assert copy.dimensions.count() == 9
    assert SurveyStatement.objects.filter(dimension__instrument=copy).count() == 18
    again = surveys.survey_instrument_copy(instrument=default, actor=scenario.person("p_admin"))
    assert again.name == f"{default.name} (adapted) (2)"


def test_only_an_admin_adapts_and_nobody_edits_the_default(scenario: Scenario) -> None:
    default = default_instrument()
    with pytest.raises(PermissionDenied):
        surveys.survey_instrument_copy(instrument=default, actor=scenario.person("b_manager"))
    with pytest.raises(PermissionDenied):
        surveys.survey_instrument_update(
            instrument=default, name="Mine now", actor=scenario.person("b_admin")
        )
    with pytest.raises(PermissionDenied):
        surveys.survey_dimension_add(
            instrument=default, code="x", name="X", actor=scenario.person("b_admin")
        )
    # The provider's admin does not see the buyer's own instrument at all.
    with pytest.raises(NotFound):
        surveys.survey_instrument_copy(
            instrument=scenario.instrument, actor=scenario.person("p_admin")
        )


def test_an_instrument_in_use_is_frozen(scenario: Scenario) -> None:
    admin = scenario.person("b_admin")
    dimension = surveys.survey_dimension_add(
        instrument=scenario.instrument, code="value", name="Value", actor=admin
    )
    statement = surveys.survey_statement_add(
        dimension=dimension, text="Value beyond price.", about=StatementAbout.PARTIES, actor=admin
    )
    scenario.open_round()
    for attempt in (
        lambda: surveys.survey_dimension_add(
            instrument=scenario.instrument, code="more", name="More", actor=admin
        ),
        lambda: surveys.survey_dimension_update(dimension=dimension, name="V", actor=admin),
        lambda: surveys.survey_dimension_delete(dimension=dimension, actor=admin),
        lambda: surveys.survey_statement_add(
            dimension=dimension, text="More.", about="parties", actor=admin
        ),
        lambda: surveys.survey_statement_update(statement=statement, text="X", actor=admin),
        lambda: surveys.survey_statement_delete(statement=statement, actor=admin),
    ):
        with pytest.raises(ValidationError, match="frozen"):
            attempt()
    assert SurveyDimension.objects.filter(instrument=scenario.instrument).count() == 3
    # Rewording the name stays possible.
    surveys.survey_instrument_update(instrument=scenario.instrument, name="Ours", actor=admin)
    assert SurveyInstrument.objects.get(pk=scenario.instrument.pk).name == "Ours"
