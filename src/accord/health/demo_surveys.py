"""The demo's health surveys: respondents, two closed rounds per relationship, one open.

The answers are drawn from a seeded random generator around a stated
picture, so every load gives the same results:

* each provider rates itself about one point higher than the buyer rates it
  on openness of communication, flexibility and innovation;
* each buyer rates its own expectation-setting about one point higher than
  the provider does;
* the credit union / Harbour relationship is worse in autumn than in spring.

Loading is idempotent: people are looked up by username and rounds by
title, and a round that exists is left as it is. Everything goes through the
services; the health refresh is left to the demo orchestrator, which runs it
once after every loader.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accord.core.choices import RoleName, Side
from accord.core.context import acting_as
from accord.health import surveys
from accord.health.models import (
    StatementAbout,
    Subject,
    SurveyInstrument,
    SurveyRound,
    SurveyStatement,
)
from accord.parties.demo import (
    CREDIT_UNION,
    DEMO_PASSWORD,
    HARBOUR,
    MINISTRY,
    NORTHWIND,
    RELATIONSHIPS,
)
from accord.parties.models import Organisation, Relationship, Role, User
from accord.parties.services import person_create, role_assign

# username, organisation, first, last, job title, {relationship key: role}
RESPONDENTS = [
    ("ministry.payroll1", MINISTRY, "Hannah", "Kowalski", "Payroll policy advisor",
     {"ministry-northwind": RoleName.VIEWER}),
    ("ministry.payroll2", MINISTRY, "Samuel", "Okafor", "Compensation analyst",
     {"ministry-northwind": RoleName.VIEWER}),
    ("ministry.hr1", MINISTRY, "Claire", "Dubois", "HR business partner",
     {"ministry-northwind": RoleName.CONTRIBUTOR}),
    ("northwind.payroll1", NORTHWIND, "Ravi", "Menon", "Payroll operations manager",
     {"ministry-northwind": RoleName.CONTRIBUTOR}),
    ("northwind.payroll2", NORTHWIND, "Julia", "Santos", "Payroll team lead",
     {"ministry-northwind": RoleName.VIEWER}),
    ("northwind.service1", NORTHWIND, "Marcus", "Hill", "Service delivery manager",
     {"ministry-northwind": RoleName.VIEWER, "credit-northwind": RoleName.CONTRIBUTOR}),
    ("northwind.agent1", NORTHWIND, "Lena", "Fischer", "Contact centre team leader",
     {"credit-northwind": RoleName.VIEWER}),
    ("northwind.agent2", NORTHWIND, "Diego", "Alvarez", "Workforce planner",
     {"credit-northwind": RoleName.VIEWER}),
    ("credit.member1", CREDIT_UNION, "Naomi", "Clarke", "Member experience manager",
     {"credit-northwind": RoleName.VIEWER, "credit-harbour": RoleName.VIEWER}),
    ("credit.member2", CREDIT_UNION, "Patrick", "Byrne", "Member services supervisor",
     {"credit-northwind": RoleName.VIEWER, "credit-harbour": RoleName.VIEWER}),
    ("credit.ops1", CREDIT_UNION, "Mei", "Tanaka", "Operations analyst",
     {"credit-northwind": RoleName.CONTRIBUTOR, "credit-harbour": RoleName.CONTRIBUTOR}),
    ("harbour.agent1", HARBOUR, "Kwame", "Asante", "Team leader, evening shift",
     {"credit-harbour": RoleName.VIEWER}),
    ("harbour.agent2", HARBOUR, "Sara", "Lindgren", "Quality coach",
     {"credit-harbour": RoleName.VIEWER}),
    ("harbour.ops1", HARBOUR, "Tomasz", "Nowak", "Workforce manager",
     {"credit-harbour": RoleName.CONTRIBUTOR}),
]  # fmt: skip


@dataclass(frozen=True)
class Period:
    title: str
    start: dt.date
    end: dt.date
    closes_on: dt.date
    closed: bool


SPRING = Period("Health survey, spring 2026", dt.date(2026, 1, 1), dt.date(2026, 6, 30),
                dt.date(2026, 7, 15), True)  # fmt: skip
AUTUMN = Period("Health survey, autumn 2026", dt.date(2026, 7, 1), dt.date(2026, 10, 31),
                dt.date(2026, 11, 14), True)  # fmt: skip
WINTER = Period("Health survey, winter 2026", dt.date(2026, 11, 1), dt.date(2026, 12, 31),
                dt.date(2027, 1, 22), False)  # fmt: skip
ROUNDS = {
    "ministry-northwind": [SPRING, AUTUMN, WINTER],
    "credit-northwind": [SPRING, AUTUMN],
    "credit-harbour": [SPRING, AUTUMN],
}
# How well the relationship, and each party, really does (1-5), by relationship and round.
BASE = {
    ("ministry-northwind", SPRING.title): 3.6, ("ministry-northwind", AUTUMN.title): 3.7,
    ("ministry-northwind", WINTER.title): 3.7,
    ("credit-northwind", SPRING.title): 3.9, ("credit-northwind", AUTUMN.title): 3.9,
    ("credit-harbour", SPRING.title): 3.4, ("credit-harbour", AUTUMN.title): 2.5,
}  # fmt: skip
# The perception gaps the demo shows: a party rates itself this much above how it is seen.
PROVIDER_BLIND_SPOTS = {"communication": 1.1, "flexibility": 1.0, "innovation": 1.2}
BUYER_BLIND_SPOTS = {"expectations": 1.0}
OTHERWISE = 0.2  # everyone is a little kinder to themselves
# Only some of the open round's people have answered yet.
WINTER_ANSWERING = 0.6

# (relationship, round title, side, dimension, subject) -> comment of the side's first respondent
COMMENTS: dict[tuple[str, str, str, str, str], str] = {
    ("ministry-northwind", SPRING.title, Side.BUYER, "communication", Subject.OTHER):
        "We hear about payroll errors from employees before Northwind tells us.",
    ("ministry-northwind", SPRING.title, Side.PROVIDER, "expectations", Subject.OTHER):
        "Retro-pay rules change late in the cycle; we need them a month ahead.",
    ("ministry-northwind", AUTUMN.title, Side.BUYER, "innovation", Subject.OTHER):
        "The automation pilot was promised in spring and has not started.",
    ("ministry-northwind", AUTUMN.title, Side.PROVIDER, "flexibility", Subject.SELF):
        "We absorbed the collective agreement changes without a change request.",
    ("credit-northwind", SPRING.title, Side.BUYER, "flexibility", Subject.OTHER):
        "Overflow thresholds are applied to the letter even on storm days.",
    ("credit-northwind", AUTUMN.title, Side.PROVIDER, "objectives", Subject.RELATIONSHIP):
        "Joint objectives beyond cost would help us plan staffing.",
    ("credit-harbour", SPRING.title, Side.BUYER, "trust", Subject.RELATIONSHIP):
        "Transition has been bumpy but the team is responsive.",
    ("credit-harbour", AUTUMN.title, Side.BUYER, "communication", Subject.OTHER):
        "Attrition on the evening shift was not raised until service levels slipped.",
    ("credit-harbour", AUTUMN.title, Side.BUYER, "executives", Subject.RELATIONSHIP):
        "We have not seen Harbour's leadership since go-live.",
    ("credit-harbour", AUTUMN.title, Side.PROVIDER, "expectations", Subject.OTHER):
        "Chat volumes were twice the forecast we were given.",
    ("credit-harbour", AUTUMN.title, Side.PROVIDER, "value", Subject.RELATIONSHIP):
        "Every conversation is about the price per contact.",
}  # fmt: skip


def _level(rel_key: str, period: Period, rater: str, dimension: str, subject: str) -> float:
    """The rating a typical person of ``rater``'s side gives, before personal noise."""
    base = BASE[(rel_key, period.title)]
    if subject == Subject.RELATIONSHIP:
        return base
    rated = rater if subject == Subject.SELF else _other(rater)
    blind = PROVIDER_BLIND_SPOTS if rated == Side.PROVIDER else BUYER_BLIND_SPOTS
    seen_by_self = subject == Subject.SELF
    # The demo's story: each side's blind spots are where it sees itself far better.
    bonus = blind.get(dimension, OTHERWISE) if seen_by_self else 0.0
    return base + bonus


def _other(side: str) -> str:
    return Side.PROVIDER if side == Side.BUYER else Side.BUYER


def _rating(rng: random.Random, level: float) -> int | None:
    if rng.random() < 0.04:
        return None  # no opinion, now and then
    return max(1, min(5, round(level + rng.uniform(-0.7, 0.7))))


def _people(orgs: dict[str, Organisation], rels: dict[str, Relationship]) -> int:
    created = 0
    for username, org_name, first, last, title, roles in RESPONDENTS:
        person = User.objects.filter(username=username).first()
        if person is None:
            person = person_create(
                organisation=orgs[org_name], username=username, password=DEMO_PASSWORD,
                first_name=first, last_name=last, job_title=title,
                email=f"{username}@example.org", actor=None,
            )  # fmt: skip
            created += 1
        for rel_key, role in roles.items():
            if not Role.objects.filter(relationship=rels[rel_key], person=person).exists():
                role_assign(relationship=rels[rel_key], person=person, role=role, actor=None)
                created += 1
    return created


def _side_people(relationship: Relationship, side: str) -> list[User]:
    org_id = relationship.buyer_id if side == Side.BUYER else relationship.provider_id
    return list(
        User.objects.filter(
            roles__relationship=relationship, organisation_id=org_id, is_active=True
        ).order_by("username")
    )


def _opener(relationship: Relationship) -> User:
    """A manager or executive of the buyer, who opens and closes the rounds."""
    return (
        User.objects.filter(
            roles__relationship=relationship,
            roles__role__in=[RoleName.MANAGER, RoleName.EXECUTIVE],
            organisation_id=relationship.buyer_id,
        )
        .order_by("username")
        .first()
    )


def _answer(
    survey: SurveyRound, rel_key: str, period: Period, statements: list[Any], people: list[User],
    side: str,
) -> int:  # fmt: skip
    created = 0
    for index, person in enumerate(people):
        seed = f"{rel_key}|{period.title}|{person.username}"
        rng = random.Random(seed)  # noqa: S311  (demo data, not secrets)
        if not period.closed and rng.random() > WINTER_ANSWERING:
            continue
        answers = []
        for statement in statements:
            subjects = (
                [Subject.RELATIONSHIP]
                if statement.about == StatementAbout.RELATIONSHIP
                else [Subject.SELF, Subject.OTHER]
            )
            for subject in subjects:
                code = statement.dimension.code
                rating = _rating(rng, _level(rel_key, period, side, code, subject))
                comment = ""
                if index == 0:
                    comment = COMMENTS.get((rel_key, period.title, side, code, subject), "")
                answers.append((statement.pk, subject, rating, comment))
        surveys.survey_response_save(round=survey, answers=answers, submit=True, actor=person)
        created += 1
    return created


@transaction.atomic
def load_survey_demo() -> int:
    """Create the demo's survey respondents and rounds once; return how many records it made."""
    orgs = {org.name: org for org in Organisation.objects.all()}
    rels: dict[str, Relationship] = {}
    for key, buyer, _provider, name, *_rest in RELATIONSHIPS:
        rels[key] = Relationship.objects.get(name=name, buyer=orgs[buyer])
    default = SurveyInstrument.objects.get(owner__isnull=True)
    statements = list(
        SurveyStatement.objects.filter(dimension__instrument=default)
        .select_related("dimension")
        .order_by("dimension__position", "position", "pk")
    )
    with acting_as(None, request_id="demo-loader"):
        created = _people(orgs, rels)
        for rel_key, periods in ROUNDS.items():
            relationship = rels[rel_key]
            opener = _opener(relationship)
            for period in periods:
                if SurveyRound.objects.filter(
                    relationship=relationship, title=period.title
                ).exists():
                    continue
                survey = surveys.survey_round_create(
                    relationship=relationship, instrument=default, title=period.title,
                    period_start=period.start, period_end=period.end, closes_on=period.closes_on,
                    min_respondents=3, actor=opener,
                )  # fmt: skip
                created += 1
                for side in (Side.BUYER, Side.PROVIDER):
                    people = _side_people(relationship, side)
                    created += _answer(survey, rel_key, period, statements, people, side)
                if period.closed:
                    # The orchestrator refreshes health once after every demo loader.
                    surveys.survey_round_close(round=survey, actor=opener, refresh=False)
    return created
