"""A small survey world: one relationship, four people per side, a two-dimension instrument."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from accord.core.choices import RoleName
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.core.testing.health_factories import (
    SurveyDimensionFactory,
    SurveyInstrumentFactory,
    SurveyStatementFactory,
)
from accord.health import surveys
from accord.health.models import StatementAbout, SurveyRound


@dataclass
class Scenario:
    relationship: Any
    buyer_org: Any
    provider_org: Any
    instrument: Any
    people: dict[str, Any] = field(default_factory=dict)
    statements: dict[str, Any] = field(default_factory=dict)
    dimensions: dict[str, Any] = field(default_factory=dict)

    def person(self, name: str) -> Any:
        return self.people[name]

    def open_round(self, title: str = "Spring", minimum: int = 3) -> SurveyRound:
        return surveys.survey_round_create(
            relationship=self.relationship, instrument=self.instrument, title=title,
            period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30),
            min_respondents=minimum, actor=self.people["b_manager"],
        )  # fmt: skip


def build_scenario() -> Scenario:
    """Buyer: b_manager, b1..b3 (viewers); provider: p_manager, p1..p3 (viewers), plus an
    outsider and each organisation's admin. The instrument (owned by the buyer) has
    ``trust`` (``rel``: about the relationship; ``trust``: about the parties) and
    ``innovation`` (``innovation``: about the parties)."""
    buyer = OrganisationFactory(name="Buyer Co", kind="buyer")
    provider = OrganisationFactory(name="Provider Co", kind="provider")
    relationship = RelationshipFactory(buyer=buyer, provider=provider, name="Buyer / Provider")
    instrument = SurveyInstrumentFactory(owner=buyer, name="Our survey")
    trust = SurveyDimensionFactory(instrument=instrument, code="trust", name="Trust", position=0)
    innovation = SurveyDimensionFactory(
        instrument=instrument, code="innovation", name="Innovation", position=1
    )
    scenario = Scenario(relationship, buyer, provider, instrument)
    scenario.dimensions = {"trust": trust, "innovation": innovation}
    scenario.statements = {
        "rel": SurveyStatementFactory(
            dimension=trust, text="We rely on each other.", about=StatementAbout.RELATIONSHIP,
            position=0,
        ),
        "trust": SurveyStatementFactory(
            dimension=trust, text="This side keeps its word.", about=StatementAbout.PARTIES,
            position=1,
        ),
        "innovation": SurveyStatementFactory(
            dimension=innovation, text="This side proposes improvements.",
            about=StatementAbout.PARTIES, position=0,
        ),
    }  # fmt: skip
    for prefix, org in (("b", buyer), ("p", provider)):
        manager = UserFactory(username=f"{prefix}_manager", organisation=org)
        RoleFactory(relationship=relationship, person=manager, role=RoleName.MANAGER)
        scenario.people[f"{prefix}_manager"] = manager
        for index in (1, 2, 3):
            person = UserFactory(username=f"{prefix}{index}", organisation=org)
            RoleFactory(relationship=relationship, person=person, role=RoleName.VIEWER)
            scenario.people[f"{prefix}{index}"] = person
        scenario.people[f"{prefix}_admin"] = UserFactory(
            username=f"{prefix}_admin", organisation=org, is_org_admin=True
        )
    scenario.people["outsider"] = UserFactory(
        username="outsider", organisation=OrganisationFactory(name="Elsewhere", kind="buyer")
    )
    return scenario
