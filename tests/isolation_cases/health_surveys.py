"""Isolation cases: health surveys (see tests/isolation_matrix.py).

The world (``accord.core.testing.world.add_health_records``): instruments
labelled by owner (``default``, ``A``, ``B``, ``P``); one open round per
relationship (``R1.joint`` on the default instrument, ``R2.joint`` on Beta's
own, which freezes it); one response per side (``R1.buyer`` by ``a_manager``...)
with one answer; one published score and comment per relationship.

Rules that differ from the default tables, written out here by hand:

* adapting (copying) an instrument: any instrument the persona sees, by an
  organisation admin only (``a_admin``: default and Alpha's; ``p_admin``:
  default and Prime's);
* answering a round: anyone holding a role on its relationship, viewers too
  (the default would be ADD on the joint round);
* a round can be changed or deleted only before anyone answers: the cases'
  state functions remove the world's responses inside the case's savepoint
  (rolled back afterwards) so that the permission, not that rule, decides.
"""

from __future__ import annotations

from typing import Any

from accord.core.choices import Action
from accord.core.testing.expectations import NONE
from accord.core.testing.isolation import Case
from accord.core.testing.world import PERSONAS, World
from accord.health.models import (
    StatementAbout,
    Subject,
    SurveyDimension,
    SurveyInstrument,
    SurveyResponse,
    SurveyRound,
    SurveyStatement,
)

# Instruments an organisation admin may adapt: every one they see.
COPIERS = {"a_admin": frozenset({"default", "A"}), "p_admin": frozenset({"default", "P"})}


def copiers(persona: str) -> frozenset[str]:
    return COPIERS.get(persona, NONE)


def answerers(persona: str) -> frozenset[str]:
    """Rounds a persona may answer: those of every relationship where they hold a role."""
    held = PERSONAS[persona][1] if persona in PERSONAS else {}
    return frozenset(f"{rel}.joint" for rel in held)


def relationship_of(kind: str) -> Any:
    return lambda world, label: {"pk": world.record(kind, label).relationship_id}


def no_kwargs(world: World, label: str) -> dict[str, Any]:
    return {}


# --------------------------------------------------------------------------- state


def instrument_count(world: World, label: str) -> int:
    return SurveyInstrument.objects.count()


def instrument_state(world: World, label: str) -> Any:
    instrument = SurveyInstrument.objects.get(pk=world.record("survey_instrument", label).pk)
    return (instrument.name, instrument.description)


def questions_state(world: World, label: str) -> Any:
    instrument = world.record("survey_instrument", label)
    dimensions = sorted(
        SurveyDimension.objects.filter(instrument=instrument).values_list("pk", "code", "name")
    )
    return dimensions, sorted(
        SurveyStatement.objects.filter(dimension__instrument=instrument).values_list(
            "pk", "dimension_id", "dimension__code", "dimension__name", "text", "about"
        )
    )


def dimension_questions_state(world: World, label: str) -> Any:
    return questions_state(world, label)


def round_count(world: World, label: str) -> int:
    return SurveyRound.objects.count()


def _unanswered(world: World, label: str) -> SurveyRound | None:
    """The labelled round with the world's responses removed (inside the case's savepoint)."""
    survey = SurveyRound.objects.filter(pk=world.record("survey_round", label).pk).first()
    if survey is not None:
        SurveyResponse.objects.filter(round=survey).delete()
    return survey


def unanswered_round_state(world: World, label: str) -> Any:
    survey = _unanswered(world, label)
    if survey is None:
        return None
    return (survey.title, survey.period_start, survey.period_end, survey.min_respondents)


def round_status(world: World, label: str) -> Any:
    survey = SurveyRound.objects.filter(pk=world.record("survey_round", label).pk).first()
    return None if survey is None else (survey.status, survey.scores.count())


def answers_state(world: World, label: str) -> Any:
    survey = world.record("survey_round", label)
    return sorted(
        (
            r.respondent_id,
            r.submitted_at is not None,
            a.statement_id,
            a.subject,
            a.rating,
            a.comment,
        )
        for r in SurveyResponse.objects.filter(round=survey)
        for a in r.answers.all()
    )


def response_state(world: World, label: str) -> Any:
    response = world.record("survey_response", label)
    return sorted(response.answers.values_list("statement_id", "subject", "rating", "comment"))


# --------------------------------------------------------------------------- data


def copy_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"name": f"Adapted by {persona}"}


def instrument_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"name": f"Renamed by {persona}", "description": "Our words."}


def dimension_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"code": f"new-{persona}".replace("_", "-"), "name": f"Added by {persona}"}


def statement_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"text": f"Written by {persona}", "about": StatementAbout.RELATIONSHIP}


def round_form(world: World, label: str, persona: str) -> dict[str, Any]:
    default = world.record("survey_instrument", "default")
    return {
        "instrument": default.pk,
        "title": f"Round by {persona}",
        "period_start": "2026-07-01",
        "period_end": "2026-10-31",
        "closes_on": "2026-11-15",
        "min_respondents": 3,
    }


def round_edit_form(world: World, label: str, persona: str) -> dict[str, Any]:
    survey = world.record("survey_round", label)
    return {**round_form(world, label, persona), "instrument": survey.instrument_id}


def round_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"relationship": world.relationships[label].pk, **round_form(world, label, persona)}


def round_patch_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"title": f"Renamed by {persona}"}


def _statements(world: World, label: str) -> list[SurveyStatement]:
    survey = world.record("survey_round", label)
    return list(
        SurveyStatement.objects.filter(dimension__instrument_id=survey.instrument_id).order_by("pk")
    )


def _subjects(statement: SurveyStatement) -> list[str]:
    if statement.about == StatementAbout.RELATIONSHIP:
        return [Subject.RELATIONSHIP]
    return [Subject.SELF, Subject.OTHER]


def answer_form(world: World, label: str, persona: str) -> dict[str, Any]:
    """Rate every statement 2, with a comment on the first."""
    data: dict[str, Any] = {"action": "submit"}
    for index, statement in enumerate(_statements(world, label)):
        for subject in _subjects(statement):
            data[f"rating-{statement.pk}-{subject}"] = "2"
            data[f"comment-{statement.pk}-{subject}"] = f"From {persona}" if index == 0 else ""
    return data


def _answers_body(world: World, round_label: str, persona: str) -> list[dict[str, Any]]:
    return [
        {"statement": statement.pk, "subject": subject, "rating": 2, "comment": f"From {persona}"}
        for statement in _statements(world, round_label)
        for subject in _subjects(statement)
    ]


def response_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    survey = world.record("survey_round", label)
    return {"round": survey.pk, "submit": True, "answers": _answers_body(world, label, persona)}


def response_patch_body(world: World, label: str, persona: str) -> dict[str, Any]:
    round_label = f"{label.split('.')[0]}.joint"
    return {"answers": _answers_body(world, round_label, persona)}


ROUNDS_OF = relationship_of("survey_round")

CASES: list[Case] = [
    # Instruments.
    Case("survey_instrument_list", shows="survey_instrument"),
    Case("survey_instrument_export"),
    Case("survey_instrument_detail", kind="survey_instrument"),
    Case("survey_instrument_detail", kind="survey_instrument", shows="survey_statement"),
    Case("survey_instrument_audit", kind="survey_instrument"),
    Case("survey_instrument_copy", kind="survey_instrument", action=Action.ADD, allowed=copiers),
    Case("survey_instrument_copy", kind="survey_instrument", action=Action.ADD, method="post",
         ok=302, allowed=copiers, data=copy_form, state=instrument_count),
    Case("survey_instrument_edit", kind="survey_instrument", action=Action.CHANGE),
    Case("survey_instrument_edit", kind="survey_instrument", action=Action.CHANGE,
         method="post", ok=302, data=instrument_form, state=instrument_state),
    Case("survey_dimension_add", kind="survey_instrument", action=Action.CHANGE),
    Case("survey_dimension_add", kind="survey_instrument", action=Action.CHANGE, method="post",
         ok=302, data=dimension_form, state=questions_state),
    Case("survey_dimension_edit", kind="survey_dimension", action=Action.CHANGE),
    Case("survey_dimension_edit", kind="survey_dimension", action=Action.CHANGE, method="post",
         ok=302, data=lambda w, label, persona: {"code": "edited", "name": f"By {persona}"},
         state=dimension_questions_state),
    Case("survey_dimension_delete", kind="survey_dimension", action=Action.DELETE),
    Case("survey_dimension_delete", kind="survey_dimension", action=Action.DELETE,
         method="post", ok=302, state=dimension_questions_state),
    Case("survey_statement_add", kind="survey_dimension", action=Action.CHANGE),
    Case("survey_statement_add", kind="survey_dimension", action=Action.CHANGE, method="post",
         ok=302, data=statement_form, state=dimension_questions_state),
    Case("survey_statement_edit", kind="survey_statement", action=Action.CHANGE),
    Case("survey_statement_edit", kind="survey_statement", action=Action.CHANGE,
         method="post", ok=302, data=statement_form, state=dimension_questions_state),
    Case("survey_statement_delete", kind="survey_statement", action=Action.DELETE),
    Case("survey_statement_delete", kind="survey_statement", action=Action.DELETE,
         method="post", ok=302, state=dimension_questions_state),
    # Rounds.
    Case("survey_round_list", kind="relationship", shows="survey_round"),
    Case("survey_round_export", kind="relationship"),
    Case("survey_round_add", kind="relationship", action=Action.ADD),
    Case("survey_round_add", kind="relationship", action=Action.ADD, method="post", ok=302,
         data=round_form, state=round_count),
    Case("survey_round_detail", kind="survey_round"),
    Case("survey_round_edit", kind="survey_round", action=Action.CHANGE),
    Case("survey_round_edit", kind="survey_round", action=Action.CHANGE, method="post", ok=302,
         data=round_edit_form, state=unanswered_round_state),
    Case("survey_round_delete", kind="survey_round", action=Action.DELETE),
    Case("survey_round_delete", kind="survey_round", action=Action.DELETE, method="post",
         ok=302, state=unanswered_round_state),
    Case("survey_round_close", kind="survey_round", action=Action.CHANGE, method="post",
         ok=302, state=round_status),
    Case("survey_round_audit", kind="survey_round"),
    Case("survey_respond", kind="survey_round", action=Action.ADD, allowed=answerers),
    Case("survey_respond", kind="survey_round", action=Action.ADD, method="post", ok=302,
         allowed=answerers, data=answer_form, state=answers_state),
    Case("survey_score_export", kind="survey_round"),
    Case("survey_comment_export", kind="survey_round"),
    Case("survey_response_export", kind="survey_round"),
    # Responses: the respondent's side only.
    Case("survey_response_detail", kind="survey_response"),
    Case("survey_response_detail", kind="survey_response", shows="survey_answer"),
    Case("survey_response_audit", kind="survey_response"),
    # API.
    Case("api:survey-instrument-list", api=True, shows="survey_instrument"),
    Case("api:survey-instrument-detail", api=True, kind="survey_instrument"),
    Case("api:survey-round-list", api=True, shows="survey_round"),
    Case("api:survey-round-list", api=True, kind="relationship", action=Action.ADD,
         method="post", ok=201, url=no_kwargs, data=round_api_body, state=round_count),
    Case("api:survey-round-detail", api=True, kind="survey_round"),
    Case("api:survey-round-detail", api=True, kind="survey_round", action=Action.CHANGE,
         method="patch", data=round_patch_body, state=unanswered_round_state),
    Case("api:survey-round-detail", api=True, kind="survey_round", action=Action.DELETE,
         method="delete", ok=204, state=unanswered_round_state),
    Case("api:survey-round-close", api=True, kind="survey_round", action=Action.CHANGE,
         method="post", state=round_status),
    Case("api:survey-response-list", api=True, shows="survey_response"),
    Case("api:survey-response-list", api=True, kind="survey_round", action=Action.ADD,
         method="post", ok=201, url=no_kwargs, allowed=answerers, data=response_api_body,
         state=answers_state),
    Case("api:survey-response-detail", api=True, kind="survey_response"),
    Case("api:survey-response-detail", api=True, kind="survey_response", action=Action.CHANGE,
         method="patch", data=response_patch_body, state=response_state),
    Case("api:survey-score-list", api=True, shows="survey_score"),
    Case("api:survey-score-detail", api=True, kind="survey_score"),
    Case("api:survey-comment-list", api=True, shows="survey_comment"),
    Case("api:survey-comment-detail", api=True, kind="survey_comment"),
]  # fmt: skip
