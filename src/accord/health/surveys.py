"""Two-sided health surveys: instruments, rounds, answers and the published results.

The rules, in one place:

* The instrument that ships with Accord (``owner`` None) is read-only. An
  organisation admin adapts an instrument they can see by copying it into
  their organisation, then edits the copy. Once any round uses an
  instrument its dimensions and statements are frozen (its name and
  description may still be reworded), so a closed round's results keep
  meaning what they meant.
* A round is joint: whoever may add joint records on the relationship opens
  one; it can be edited or deleted only while nobody has answered.
* Anyone holding a role on the relationship (viewers included) answers for
  their own side. A response is private to that side; re-answering replaces
  the person's answers; a draft does not count until it is submitted.
* Closing a round computes the published scores and comments. A group (one
  side's ratings of one dimension about one subject) is published only when
  at least ``min_respondents`` people rated it; its comments likewise.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.core.choices import Action, Side, Visibility
from accord.core.context import acting_as
from accord.core.exceptions import PermissionDenied, ValidationError
from accord.core.selectors import get_for
from accord.core.services import apply_changes, save_validated
from accord.core.visibility import can, is_active_person, side_of
from accord.health.models import (
    RoundStatus,
    StatementAbout,
    Subject,
    SurveyAnswer,
    SurveyComment,
    SurveyDimension,
    SurveyInstrument,
    SurveyResponse,
    SurveyRound,
    SurveyScore,
    SurveyStatement,
)
from accord.health.refresh import refresh_later
from accord.parties.models import Relationship

TWO_PLACES = decimal.Decimal("0.01")
ROUND_FIELDS = ("title", "period_start", "period_end", "closes_on", "min_respondents")
SUBJECTS_OF = {
    StatementAbout.RELATIONSHIP: (Subject.RELATIONSHIP,),
    StatementAbout.PARTIES: (Subject.SELF, Subject.OTHER),
}


@dataclass(frozen=True)
class Answer:
    """One rating in a response: ``rating`` None is "no opinion"."""

    statement_id: Any  # checked against the round's statements
    subject: str
    rating: int | None
    comment: str = ""


# =========================================================================== instruments


def is_frozen(instrument: SurveyInstrument) -> bool:
    """Whether a round uses the instrument (its questions can no longer change)."""
    return SurveyRound.objects.filter(instrument_id=instrument.pk).exists()


def _require_org_admin(actor: Any) -> None:
    if not (is_active_person(actor) and actor.is_org_admin):
        raise PermissionDenied("Only your organisation's admin adapts survey instruments.")


def _editable_instrument(actor: Any, instrument_id: int, *, questions: bool) -> SurveyInstrument:
    """The instrument, if the actor may change it (and, for ``questions``, it is not frozen)."""
    instrument = get_for(actor, SurveyInstrument, Action.CHANGE, pk=instrument_id)
    if questions and is_frozen(instrument):
        raise ValidationError(
            f"“{instrument}” is used by a survey round: its dimensions and statements are "
            "frozen so that every round's results keep their meaning. Adapt a copy instead."
        )
    return instrument


def _free_name(owner_id: int, wanted: str) -> str:
    """``wanted``, or ``wanted (2)``, ``(3)``... whichever the organisation does not use yet."""
    taken = set(SurveyInstrument.objects.filter(owner_id=owner_id).values_list("name", flat=True))
    name, count = wanted[:200], 2
    while name in taken:
        suffix = f" ({count})"
        name = wanted[: 200 - len(suffix)] + suffix
        count += 1
    return name


@transaction.atomic
def survey_instrument_copy(
    *, instrument: SurveyInstrument, actor: Any, name: str = ""
) -> SurveyInstrument:
    """Copy an instrument the actor sees into their organisation, dimensions and statements too."""
    source = get_for(actor, SurveyInstrument, Action.VIEW, pk=instrument.pk)
    _require_org_admin(actor)
    wanted = (name or "").strip()
    if (
        wanted
        and SurveyInstrument.objects.filter(owner_id=actor.organisation_id, name=wanted).exists()
    ):
        raise ValidationError({"name": "Your organisation already has an instrument of that name."})
    copy = SurveyInstrument(
        owner_id=actor.organisation_id,
        name=wanted or _free_name(actor.organisation_id, f"{source.name} (adapted)"),
        description=source.description,
        based_on=source,
    )
    save_validated(copy, actor=actor)
    for dimension in source.dimensions.order_by("position", "pk"):
        new_dimension = save_validated(
            SurveyDimension(
                instrument=copy,
                code=dimension.code,
                name=dimension.name,
                description=dimension.description,
                position=dimension.position,
            ),
            actor=actor,
        )
        for statement in dimension.statements.order_by("position", "pk"):
            save_validated(
                SurveyStatement(
                    dimension=new_dimension,
                    text=statement.text,
                    about=statement.about,
                    position=statement.position,
                ),
                actor=actor,
            )
    return copy


@transaction.atomic
def survey_instrument_update(
    *, instrument: SurveyInstrument, actor: Any, **changes: Any
) -> SurveyInstrument:
    """Reword an adapted instrument's name or description (allowed even when frozen)."""
    unknown = set(changes) - {"name", "description"}
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    found = _editable_instrument(actor, instrument.pk, questions=False)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    changed = apply_changes(found, changes)
    if changed:
        save_validated(found, actor=actor, update_fields=changed)
    return found


def _next_position(queryset: Any) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


@transaction.atomic
def survey_dimension_add(
    *,
    instrument: SurveyInstrument,
    code: str,
    name: str,
    actor: Any,
    description: str = "",
    position: int | None = None,
) -> SurveyDimension:
    found = _editable_instrument(actor, instrument.pk, questions=True)
    dimension = SurveyDimension(
        instrument=found,
        code=(code or "").strip(),
        name=(name or "").strip(),
        description=description or "",
        position=_next_position(found.dimensions) if position is None else position,
    )
    return save_validated(dimension, actor=actor)


@transaction.atomic
def survey_dimension_update(
    *, dimension: SurveyDimension, actor: Any, **changes: Any
) -> SurveyDimension:
    unknown = set(changes) - {"code", "name", "description", "position"}
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    found = get_for(actor, SurveyDimension, Action.CHANGE, pk=dimension.pk)
    _editable_instrument(actor, found.instrument_id, questions=True)
    changed = apply_changes(found, changes)
    if changed:
        save_validated(found, actor=actor, update_fields=changed)
    return found


@transaction.atomic
def survey_dimension_delete(*, dimension: SurveyDimension, actor: Any) -> None:
    found = get_for(actor, SurveyDimension, Action.DELETE, pk=dimension.pk)
    _editable_instrument(actor, found.instrument_id, questions=True)
    with acting_as(actor):
        found.delete()


@transaction.atomic
def survey_statement_add(
    *,
    dimension: SurveyDimension,
    text: str,
    about: str,
    actor: Any,
    position: int | None = None,
) -> SurveyStatement:
    found = get_for(actor, SurveyDimension, Action.CHANGE, pk=dimension.pk)
    _editable_instrument(actor, found.instrument_id, questions=True)
    statement = SurveyStatement(
        dimension=found,
        text=(text or "").strip(),
        about=about,
        position=_next_position(found.statements) if position is None else position,
    )
    return save_validated(statement, actor=actor)


@transaction.atomic
def survey_statement_update(
    *, statement: SurveyStatement, actor: Any, **changes: Any
) -> SurveyStatement:
    unknown = set(changes) - {"text", "about", "position"}
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    found = get_for(actor, SurveyStatement, Action.CHANGE, pk=statement.pk)
    _editable_instrument(actor, found.dimension.instrument_id, questions=True)
    changed = apply_changes(found, changes)
    if changed:
        save_validated(found, actor=actor, update_fields=changed)
    return found


@transaction.atomic
def survey_statement_delete(*, statement: SurveyStatement, actor: Any) -> None:
    found = get_for(actor, SurveyStatement, Action.DELETE, pk=statement.pk)
    _editable_instrument(actor, found.dimension.instrument_id, questions=True)
    with acting_as(actor):
        found.delete()


# =========================================================================== rounds


def _clean_instrument(instrument: Any, actor: Any) -> SurveyInstrument:
    found = (
        SurveyInstrument.objects.restrict(actor)
        .filter(pk=getattr(instrument, "pk", instrument))
        .first()
    )
    if found is None:
        raise ValidationError({"instrument": "Choose a survey instrument you can see."})
    if not SurveyStatement.objects.filter(dimension__instrument=found).exists():
        raise ValidationError({"instrument": f"“{found}” has no statements to answer."})
    return found


def _check_dates(survey: SurveyRound) -> None:
    if survey.period_start and survey.period_end and survey.period_end < survey.period_start:
        raise ValidationError({"period_end": "The period ends before it starts."})
    if survey.closes_on and survey.period_start and survey.closes_on < survey.period_start:
        raise ValidationError({"closes_on": "The round cannot close before its period starts."})


@transaction.atomic
def survey_round_create(
    *,
    relationship: Relationship,
    instrument: Any,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    actor: Any,
    closes_on: dt.date | None = None,
    min_respondents: int = 3,
) -> SurveyRound:
    """Open a survey round on the relationship (joint: both sides answer it)."""
    relationship = get_for(actor, Relationship, pk=relationship.pk)
    if not can(actor, Action.ADD, relationship, Visibility.JOINT):
        raise PermissionDenied("Your role does not allow opening a survey round.")
    survey = SurveyRound(
        relationship=relationship,
        visibility=Visibility.JOINT,
        instrument=_clean_instrument(instrument, actor),
        title=(title or "").strip(),
        period_start=period_start,
        period_end=period_end,
        closes_on=closes_on,
        min_respondents=min_respondents,
    )
    _check_dates(survey)
    return save_validated(survey, actor=actor)


def _require_unanswered(survey: SurveyRound, doing: str) -> None:
    if not survey.is_open:
        raise ValidationError(f"“{survey}” is closed: it can no longer be {doing}.")
    if survey.responses.exists():
        raise ValidationError(
            f"People have answered “{survey}”: it can no longer be {doing}, "
            "or their answers would change meaning."
        )


@transaction.atomic
def survey_round_update(*, round: SurveyRound, actor: Any, **changes: Any) -> SurveyRound:  # noqa: A002
    """Change an open round's title, period, closing date or minimum before anyone answers."""
    unknown = set(changes) - {*ROUND_FIELDS, "instrument"}
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    survey = SurveyRound.objects.select_for_update().get(
        pk=get_for(actor, SurveyRound, Action.CHANGE, pk=round.pk).pk
    )
    _require_unanswered(survey, "changed")
    if "instrument" in changes:
        changes["instrument"] = _clean_instrument(changes["instrument"], actor)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
    changed = apply_changes(survey, changes)
    if changed:
        _check_dates(survey)
        save_validated(survey, actor=actor, update_fields=[*changed, "updated_at"])
    return survey


@transaction.atomic
def survey_round_delete(*, round: SurveyRound, actor: Any) -> None:  # noqa: A002
    survey = get_for(actor, SurveyRound, Action.DELETE, pk=round.pk)
    if survey.responses.exists():
        raise ValidationError(f"People have answered “{survey}”: it cannot be deleted.")
    with acting_as(actor):
        survey.delete()


def _mean(values: Sequence[int]) -> decimal.Decimal:
    total = decimal.Decimal(sum(values)) / decimal.Decimal(len(values))
    return total.quantize(TWO_PLACES, rounding=decimal.ROUND_HALF_UP)


@transaction.atomic
def survey_round_close(
    *,
    round: SurveyRound,  # noqa: A002
    actor: Any,
    refresh: bool = True,
) -> SurveyRound:
    """Close the round and publish its results: a score per dimension, side and subject.

    ``respondents`` counts the submitted responses of that side with at least
    one rating of that dimension about that subject; ``mean`` is the mean of
    all those ratings, to two decimals (half up), or None (``suppressed``)
    when fewer than the round's minimum rated it. Comments are published,
    without names, only from groups that met the minimum. Drafts count for
    nothing. ``refresh`` False leaves the health refresh to the caller (the demo
    loader refreshes every relationship once at the end).
    """
    found = get_for(actor, SurveyRound, Action.CHANGE, pk=round.pk)
    survey = SurveyRound.objects.select_for_update().get(pk=found.pk)
    if not survey.is_open:
        raise ValidationError(f"“{survey}” is already closed.")
    dimensions = list(survey.instrument.dimensions.order_by("position", "pk"))
    subjects: dict[int, set[str]] = defaultdict(set)
    for statement in SurveyStatement.objects.filter(dimension__in=dimensions):
        subjects[statement.dimension_id].update(SUBJECTS_OF[StatementAbout(statement.about)])
    ratings: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    raters: dict[tuple[int, str, str], set[int]] = defaultdict(set)
    comments: dict[tuple[int, str, str], list[str]] = defaultdict(list)
    answers = SurveyAnswer.objects.filter(
        response__round=survey, response__submitted_at__isnull=False
    ).values_list(
        "response_id", "response__side", "statement__dimension_id", "subject", "rating", "comment"
    )
    for response_id, side, dimension_id, subject, rating, comment in answers:
        key = (dimension_id, side, subject)
        if rating is not None:
            ratings[key].append(rating)
            raters[key].add(response_id)
        if comment and comment.strip():
            comments[key].append(comment.strip())

    common = {"relationship_id": survey.relationship_id, "visibility": Visibility.JOINT}
    scores: list[SurveyScore] = []
    published: list[SurveyComment] = []
    for dimension in dimensions:
        for side in (Side.BUYER, Side.PROVIDER):
            for subject in (Subject.RELATIONSHIP, Subject.SELF, Subject.OTHER):
                if subject not in subjects[dimension.pk]:
                    continue
                key = (dimension.pk, side, subject)
                count = len(raters[key])
                suppressed = count < survey.min_respondents
                scores.append(
                    SurveyScore(
                        round=survey,
                        dimension=dimension,
                        side=side,
                        subject=subject,
                        respondents=count,
                        suppressed=suppressed,
                        mean=None if suppressed else _mean(ratings[key]),
                        **common,
                    )  # fmt: skip
                )
                if not suppressed:
                    published += [
                        SurveyComment(
                            round=survey,
                            dimension=dimension,
                            side=side,
                            subject=subject,
                            text=text,
                            **common,
                        )  # fmt: skip
                        for text in sorted(comments[key])
                    ]
    with acting_as(actor):
        for row in (*scores, *published):
            row.full_clean()
        SurveyScore.objects.bulk_create(scores)
        SurveyComment.objects.bulk_create(published)
        survey.status = RoundStatus.CLOSED
        survey.closed_at = timezone.now()
        survey.save(update_fields=["status", "closed_at", "updated_at"])
    if refresh:
        refresh_later(survey.relationship_id)
    return survey


# =========================================================================== answers


def _as_answer(item: Any) -> Answer:
    if isinstance(item, Answer):
        return item
    if isinstance(item, dict):
        return Answer(
            statement_id=item.get("statement_id", item.get("statement")),
            subject=item.get("subject", ""),
            rating=item.get("rating"),
            comment=item.get("comment") or "",
        )
    statement_id, subject, rating, comment = item
    return Answer(statement_id, subject, rating, comment or "")


def _short(statement: SurveyStatement) -> str:
    text = statement.text
    return f"“{text if len(text) <= 70 else text[:67] + '...'}”"


def _check_answers(
    survey: SurveyRound, answers: Iterable[Any]
) -> list[tuple[SurveyStatement, Answer]]:
    """The answers, each with its statement; every problem named by its statement."""
    statements = {
        s.pk: s for s in SurveyStatement.objects.filter(dimension__instrument=survey.instrument_id)
    }
    problems: list[str] = []
    checked: list[tuple[SurveyStatement, Answer]] = []
    seen: set[tuple[int, str]] = set()
    for raw in answers:
        answer = _as_answer(raw)
        statement = statements.get(_int_or_none(answer.statement_id) or -1)
        if statement is None:
            problems.append(f"Statement {answer.statement_id} is not part of this round's survey.")
            continue
        allowed = SUBJECTS_OF[StatementAbout(statement.about)]
        if answer.subject not in allowed:
            wanted = " or ".join(allowed)
            problems.append(f"{_short(statement)} is rated about {wanted}, not “{answer.subject}”.")
            continue
        rating = answer.rating
        if rating in ("", None):
            rating = None
        elif isinstance(rating, bool) or _int_or_none(rating) not in range(1, 6):
            problems.append(f"{_short(statement)}: a rating is a whole number from 1 to 5.")
            continue
        else:
            rating = _int_or_none(rating)
        if (statement.pk, answer.subject) in seen:
            problems.append(f"{_short(statement)} is answered twice about {answer.subject}.")
            continue
        seen.add((statement.pk, answer.subject))
        comment = answer.comment if isinstance(answer.comment, str) else ""
        checked.append((statement, Answer(statement.pk, answer.subject, rating, comment.strip())))
    if problems:
        raise ValidationError({"answers": problems})
    return checked


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


@transaction.atomic
def survey_response_save(
    *,
    round: SurveyRound,  # noqa: A002
    answers: Iterable[Any],
    submit: bool,
    actor: Any,
) -> SurveyResponse:
    """Save the actor's answers to an open round, for their side; replaces earlier answers.

    ``answers``: (statement_id, subject, rating or None, comment) items. A
    draft (``submit`` false) does not count in the results until submitted.
    Any problem is named by its statement and nothing is saved.
    """
    survey = get_for(actor, SurveyRound, Action.VIEW, pk=round.pk)
    side = side_of(actor, survey.relationship)
    if side is None or not can(actor, Action.VIEW, survey.relationship, side):
        raise PermissionDenied("Only people of either side of the relationship answer.")
    if not survey.is_open:
        raise ValidationError(f"“{survey}” is closed: answers can no longer change.")
    checked = _check_answers(survey, answers)
    existing = SurveyResponse.objects.filter(round=survey, respondent_id=actor.pk).first()
    with acting_as(actor):
        if existing is None:
            response = SurveyResponse(
                round=survey, relationship_id=survey.relationship_id, respondent=actor,
                side=side, visibility=side,
            )  # fmt: skip
        else:
            response = get_for(actor, SurveyResponse, Action.CHANGE, pk=existing.pk)
            response.answers.all().delete()
        response.submitted_at = timezone.now() if submit else None
        save_validated(response, actor=actor)
        rows = [
            SurveyAnswer(
                response=response,
                statement=statement,
                subject=answer.subject,
                rating=answer.rating,
                comment=answer.comment,
            )  # fmt: skip
            for statement, answer in checked
            if answer.rating is not None or answer.comment
        ]
        for row in rows:
            row.full_clean()
        SurveyAnswer.objects.bulk_create(rows)
    return response
