"""A small partnership for governance and attention tests.

Harbourview Bank buys from Tidewater Services (relationship ``rel``, contract
in Vancouver time); Tidewater also serves Ridge Credit (``other``). People:

* bank: ``bank_exec`` (executive), ``bank_manager`` (manager), ``bank_viewer`` (viewer);
* Tidewater: ``tide_exec`` (executive on both), ``tide_lead`` (manager on ``rel`` only),
  ``tide_viewer`` (viewer on ``rel``);
* Ridge: ``ridge_manager`` (manager on ``other``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accord.contracts.models import Contract
from accord.core.choices import RoleName
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.core.testing.performance_factories import ContractFactory
from accord.governance import services
from accord.governance.models import Forum, Meeting, Tier
from accord.parties.models import Relationship, User

VANCOUVER = "America/Vancouver"


@dataclass
class Scenario:
    rel: Relationship
    other: Relationship
    contract: Contract
    people: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, username: str) -> User:
        return self.people[username]

    def forum(self, tier: int = Tier.OPERATIONAL, name: str = "Service review", **kw: Any) -> Forum:
        return services.forum_create(
            relationship=self.rel, name=name, tier=tier, actor=self["bank_manager"], **kw
        )

    def past_meeting(self, forum: Forum, days_ago: int = 3, minutes: int = 90) -> Meeting:
        return services.meeting_schedule(
            forum=forum,
            title="Monthly review",
            starts_at=timezone.now() - dt.timedelta(days=days_ago),
            duration_minutes=minutes,
            actor=self["bank_manager"],
        )


ROLES: dict[str, tuple[str, dict[str, str]]] = {
    "bank_exec": ("bank", {"rel": RoleName.EXECUTIVE}),
    "bank_manager": ("bank", {"rel": RoleName.MANAGER}),
    "bank_viewer": ("bank", {"rel": RoleName.VIEWER}),
    "tide_exec": ("tide", {"rel": RoleName.EXECUTIVE, "other": RoleName.EXECUTIVE}),
    "tide_lead": ("tide", {"rel": RoleName.MANAGER}),
    "tide_viewer": ("tide", {"rel": RoleName.VIEWER}),
    "ridge_manager": ("ridge", {"other": RoleName.MANAGER}),
}


def build_scenario() -> Scenario:
    orgs = {
        "bank": OrganisationFactory(name="Harbourview Bank", kind="buyer"),
        "tide": OrganisationFactory(name="Tidewater Services", kind="provider"),
        "ridge": OrganisationFactory(name="Ridge Credit", kind="buyer"),
    }
    rel = RelationshipFactory(name="Bank contact centre", buyer=orgs["bank"], provider=orgs["tide"])
    other = RelationshipFactory(
        name="Ridge back office", buyer=orgs["ridge"], provider=orgs["tide"]
    )
    contract = ContractFactory(relationship=rel, timezone=VANCOUVER)
    scenario = Scenario(rel=rel, other=other, contract=contract)
    relationships = {"rel": rel, "other": other}
    for username, (org, roles) in ROLES.items():
        first, last = username.split("_")
        person = UserFactory(
            username=username,
            organisation=orgs[org],
            first_name=first.capitalize(),
            last_name=last.capitalize(),
        )
        scenario.people[username] = person
        for key, role in roles.items():
            RoleFactory(relationship=relationships[key], person=person, role=role)
    return scenario
