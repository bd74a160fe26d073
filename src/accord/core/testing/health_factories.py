"""factory_boy factories for surveys, warning-sign inputs and readings, the index and introspection.

Rows are created directly (not through the services) so that tests and the
isolation world can build any state cheaply; service tests go through the
services instead.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import factory
from django.utils import timezone

from accord.core.choices import Side, Visibility
from accord.core.testing.factories import OrganisationFactory, RelationshipFactory, UserFactory
from accord.health.models import (
    FinancialIndicator,
    HealthIndex,
    ImprovementProposal,
    Introspection,
    IntrospectionAction,
    MeetingLog,
    MeetingTier,
    RoundStatus,
    SignCode,
    SignReading,
    SignState,
    SignThreshold,
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
    WorkforceMonth,
    sign_visibility,
)


def default_instrument() -> SurveyInstrument:
    """The instrument that ships with Accord (created by the data migration)."""
    return SurveyInstrument.objects.get(owner__isnull=True)


class SurveyInstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyInstrument

    owner = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Adapted survey {n}")
    description = "Our own wording of the health survey."


class SurveyDimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyDimension

    instrument = factory.SubFactory(SurveyInstrumentFactory)
    code = factory.Sequence(lambda n: f"dimension-{n}")
    name = factory.Sequence(lambda n: f"Dimension {n}")
    position = factory.Sequence(int)


class SurveyStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyStatement

    dimension = factory.SubFactory(SurveyDimensionFactory)
    text = factory.Sequence(lambda n: f"Statement {n} holds.")
    about = StatementAbout.PARTIES
    position = factory.Sequence(int)


class _RelationshipChild(factory.django.DjangoModelFactory):
    relationship = factory.SubFactory(RelationshipFactory)
    visibility: Any = Visibility.JOINT


class SurveyRoundFactory(_RelationshipChild):
    class Meta:
        model = SurveyRound

    instrument = factory.LazyFunction(default_instrument)
    title = factory.Sequence(lambda n: f"Health survey {n}")
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 6, 30)
    min_respondents = 1


class ClosedSurveyRoundFactory(SurveyRoundFactory):
    status = RoundStatus.CLOSED
    closed_at = factory.LazyFunction(timezone.now)


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """A submitted response; pass ``respondent`` and ``side`` (its visibility follows)."""

    class Meta:
        model = SurveyResponse

    round = factory.SubFactory(SurveyRoundFactory)
    relationship = factory.SelfAttribute("round.relationship")
    respondent = factory.SubFactory(UserFactory)
    side = Side.BUYER
    visibility = factory.SelfAttribute("side")
    submitted_at = factory.LazyFunction(timezone.now)


class SurveyAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyAnswer

    response = factory.SubFactory(SurveyResponseFactory)
    statement = factory.LazyAttribute(
        lambda o: (
            SurveyStatement.objects.filter(dimension__instrument=o.response.round.instrument)
            .order_by("pk")
            .first()
        )
    )
    subject = Subject.SELF
    rating = 4
    comment = ""


class SurveyScoreFactory(_RelationshipChild):
    class Meta:
        model = SurveyScore

    round = factory.SubFactory(
        ClosedSurveyRoundFactory, relationship=factory.SelfAttribute("..relationship")
    )
    dimension = factory.LazyAttribute(
        lambda o: o.round.instrument.dimensions.order_by("position").first()
    )
    side = Side.BUYER
    subject = Subject.SELF
    respondents = 3
    mean = decimal.Decimal("4.00")


class SurveyCommentFactory(_RelationshipChild):
    class Meta:
        model = SurveyComment

    round = factory.SubFactory(
        ClosedSurveyRoundFactory, relationship=factory.SelfAttribute("..relationship")
    )
    dimension = factory.LazyAttribute(
        lambda o: o.round.instrument.dimensions.order_by("position").first()
    )
    side = Side.PROVIDER
    subject = Subject.OTHER
    text = factory.Sequence(lambda n: f"Comment {n}: decisions take too long.")


class WorkforceMonthFactory(_RelationshipChild):
    class Meta:
        model = WorkforceMonth

    month = factory.Sequence(lambda n: datetime.date(2020 + n // 12, n % 12 + 1, 1))
    headcount = 120
    joiners = 4
    leavers = 3
    moved_out = 1


class MeetingLogFactory(_RelationshipChild):
    class Meta:
        model = MeetingLog

    held_on = datetime.date(2026, 9, 15)
    title = factory.Sequence(lambda n: f"Monthly service review {n}")
    tier = MeetingTier.MANAGEMENT
    duration_minutes = 90
    attendees = 6


class ImprovementProposalFactory(_RelationshipChild):
    class Meta:
        model = ImprovementProposal

    title = factory.Sequence(lambda n: f"Improvement idea {n}")
    originated_by = Side.PROVIDER
    proposed_on = datetime.date(2026, 8, 1)


class FinancialIndicatorFactory(_RelationshipChild):
    class Meta:
        model = FinancialIndicator

    visibility = Visibility.BUYER
    period_end = factory.Sequence(lambda n: datetime.date(2000 + n, 12, 31))
    revenue = decimal.Decimal("250000000.00")
    operating_margin = decimal.Decimal("8.50")
    credit_rating = "BBB"
    source = "Annual report"


class SignThresholdFactory(_RelationshipChild):
    class Meta:
        model = SignThreshold

    sign = SignCode.ATTRITION
    visibility = factory.LazyAttribute(lambda o: sign_visibility(o.sign))
    watch_at = decimal.Decimal("30")
    trigger_at = decimal.Decimal("45")
    window_months = 3


class SignReadingFactory(_RelationshipChild):
    class Meta:
        model = SignReading

    sign = SignCode.ATTRITION
    visibility = factory.LazyAttribute(lambda o: sign_visibility(o.sign))
    month = datetime.date(2026, 9, 1)
    state = SignState.WATCH
    value = decimal.Decimal("33.00")
    summary = "Attrition at 33% a year over three months."
    evidence = factory.LazyFunction(lambda: [{"label": "Leavers", "value": "11", "url": ""}])


class HealthIndexFactory(_RelationshipChild):
    class Meta:
        model = HealthIndex

    month = datetime.date(2026, 9, 1)
    score = decimal.Decimal("71.50")
    components = factory.LazyFunction(list)
    triggered_signs = factory.LazyFunction(list)


class IntrospectionFactory(_RelationshipChild):
    class Meta:
        model = Introspection

    visibility = Visibility.BUYER
    title = factory.Sequence(lambda n: f"Our own part, round {n}")
    assessed_on = datetime.date(2026, 10, 1)
    vision_score = 3
    innovation_score = 2
    commercial_score = 2
    culture_score = 3
    stakeholders_score = 4


class IntrospectionActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntrospectionAction

    introspection = factory.SubFactory(IntrospectionFactory)
    relationship = factory.SelfAttribute("introspection.relationship")
    visibility = Visibility.BUYER
    description = factory.Sequence(lambda n: f"Share the three-year vision with the provider {n}")
    due_on = datetime.date(2026, 12, 15)
