"""Forms of the health surveys: instruments, rounds, and reading an answer sheet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms

from accord.health.models import StatementAbout, Subject, SurveyStatement

DATE = {"type": "date"}
RATINGS = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]
RATING_WORDS = {
    "1": "Strongly disagree",
    "2": "Disagree",
    "3": "Neither",
    "4": "Agree",
    "5": "Strongly agree",
}


class InstrumentForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class InstrumentCopyForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        required=False,
        help_text="The copy's name in your organisation; leave empty for “… (adapted)”.",
    )


class DimensionForm(forms.Form):
    code = forms.SlugField(max_length=40, help_text="Short identifier, e.g. trust.")
    name = forms.CharField(max_length=100)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    position = forms.IntegerField(min_value=0, required=False, help_text="Order in the survey.")


class StatementForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    about = forms.ChoiceField(choices=StatementAbout.choices)
    position = forms.IntegerField(min_value=0, required=False)


class InstrumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} (ships with Accord)" if obj.owner_id is None else obj.name


class RoundForm(forms.Form):
    instrument = InstrumentChoiceField(queryset=None, empty_label=None)
    title = forms.CharField(max_length=200)
    period_start = forms.DateField(widget=forms.DateInput(attrs=DATE))
    period_end = forms.DateField(widget=forms.DateInput(attrs=DATE))
    closes_on = forms.DateField(
        widget=forms.DateInput(attrs=DATE), required=False, help_text="When answers are due."
    )
    min_respondents = forms.IntegerField(
        min_value=1,
        max_value=50,
        initial=3,
        label="Minimum respondents",
        help_text="A side's score is shown only when at least this many have rated it.",
    )

    def __init__(self, *args: Any, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.fields["instrument"]
        assert isinstance(chosen, forms.ModelChoiceField)
        chosen.queryset = instruments


# --------------------------------------------------------------------------- answer sheet


def rating_name(statement_id: int, subject: str) -> str:
    return f"rating-{statement_id}-{subject}"


def comment_name(statement_id: int, subject: str) -> str:
    return f"comment-{statement_id}-{subject}"


SUBJECTS = {
    StatementAbout.RELATIONSHIP: [(Subject.RELATIONSHIP, "The relationship")],
    StatementAbout.PARTIES: [(Subject.SELF, "Your side"), (Subject.OTHER, "The other side")],
}


@dataclass
class Question:
    """One rating to give: a statement about one subject, with the current answer."""

    statement: SurveyStatement
    subject: str
    subject_label: str
    rating: str = ""
    comment: str = ""

    @property
    def rating_name(self) -> str:
        return rating_name(self.statement.pk, self.subject)

    @property
    def comment_name(self) -> str:
        return comment_name(self.statement.pk, self.subject)

    @property
    def choices(self) -> list[tuple[str, str, str]]:
        """(value, label, words) of the rating radios; "" is "No opinion"."""
        return [(v, label, RATING_WORDS[v]) for v, label in RATINGS] + [("", "No opinion", "")]


@dataclass
class DimensionBlock:
    dimension: Any
    questions: list[Question] = field(default_factory=list)


def answer_sheet(
    statements: Any, current: Mapping[tuple[int, str], tuple[str, str]]
) -> list[DimensionBlock]:
    """The questions of an instrument grouped by dimension, filled with ``current`` answers
    ((statement id, subject) -> (rating text, comment))."""
    blocks: dict[int, DimensionBlock] = {}
    for statement in statements:
        block = blocks.setdefault(
            statement.dimension_id, DimensionBlock(dimension=statement.dimension)
        )
        for subject, label in SUBJECTS[StatementAbout(statement.about)]:
            rating, comment = current.get((statement.pk, subject), ("", ""))
            block.questions.append(Question(statement, subject, label, rating, comment))
    return list(blocks.values())


def read_answers(
    blocks: list[DimensionBlock], data: Mapping[str, Any]
) -> list[tuple[int, str, str | None, str]]:
    """(statement id, subject, rating text or None, comment) for every question on the sheet.

    The values are passed on as typed; the service checks them (and names the
    statement of any bad one).
    """
    answers: list[tuple[int, str, str | None, str]] = []
    for block in blocks:
        for question in block.questions:
            rating = (data.get(question.rating_name) or "").strip() or None
            comment = data.get(question.comment_name) or ""
            answers.append((question.statement.pk, question.subject, rating, comment))
    return answers
