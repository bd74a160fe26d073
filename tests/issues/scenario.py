"""One relationship with the three-rung escalation ladder, its people and scope.

Forums and members are made with the partnership factories (governance is
another area); issues are made through the services under test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone

from accord.contracts.models import ScopeItem, ScopeStatus
from accord.core.choices import RoleName, Visibility
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.core.testing.partnership_factories import ForumFactory, ForumMemberFactory
from accord.governance.models import Forum, Tier
from accord.issues import services
from accord.issues.models import Category, Issue, Severity
from accord.parties.models import Relationship, User

# username -> (side, role)
PEOPLE = {
    "b_exec": ("buyer", RoleName.EXECUTIVE),
    "b_manager": ("buyer", RoleName.MANAGER),
    "b_viewer": ("buyer", RoleName.VIEWER),
    "p_exec": ("provider", RoleName.EXECUTIVE),
    "p_manager": ("provider", RoleName.MANAGER),
    "p_contributor": ("provider", RoleName.CONTRIBUTOR),
}
# Who sits on which rung: the managers below, everyone on the committee, executives on top.
MEMBERS = {
    Tier.OPERATIONAL: ("b_manager", "p_manager", "p_contributor"),
    Tier.MANAGEMENT: ("b_manager", "b_exec", "p_manager", "p_exec"),
    Tier.EXECUTIVE: ("b_exec", "p_exec"),
}
NAMES = {
    Tier.OPERATIONAL: "Operational service review",
    Tier.MANAGEMENT: "Contract management committee",
    Tier.EXECUTIVE: "Executive steering committee",
}


@dataclass
class Scenario:
    relationship: Relationship
    people: dict[str, User]
    forums: dict[int, Forum]
    scope: list[ScopeItem]
    outsider: User
    other_scope: ScopeItem = field(repr=False, default=None)  # type: ignore[assignment]

    def person(self, who: str) -> User:
        return self.outsider if who == "outsider" else self.people[who]

    def client(self, who: str) -> Client:
        client = Client()
        client.force_login(self.person(who))
        return client

    def raise_issue(self, who: str = "b_manager", **overrides: Any) -> Issue:
        fields: dict[str, Any] = {
            "title": "Month-end files arrive late",
            "description": "The payroll input files arrived after the cut-off three times.",
            "category": Category.DATA,
            "severity": Severity.HIGH,
            "visibility": Visibility.JOINT,
        }
        fields.update(overrides)
        return services.issue_raise(
            relationship=self.relationship, actor=self.person(who), **fields
        )


def ago(**kwargs: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


def build_scenario(*, forums: bool = True) -> Scenario:
    buyer = OrganisationFactory(name="Ministry of Workplace Services", kind="buyer")
    provider = OrganisationFactory(name="Northwind Sourcing", kind="provider")
    relationship = RelationshipFactory(name="Payroll and HR", buyer=buyer, provider=provider)
    people: dict[str, User] = {}
    for username, (side, role) in PEOPLE.items():
        org = buyer if side == "buyer" else provider
        people[username] = UserFactory(username=username, organisation=org)
        RoleFactory(relationship=relationship, person=people[username], role=role)
    ladder: dict[int, Forum] = {}
    if forums:
        for tier, name in NAMES.items():
            ladder[tier] = ForumFactory(relationship=relationship, name=name, tier=tier)
            for username in MEMBERS[tier]:
                ForumMemberFactory(forum=ladder[tier], person=people[username])
    scope = [
        ScopeItem.objects.create(
            relationship=relationship, status=ScopeStatus.IN_SCOPE, title=title, clause=clause
        )
        for title, clause in (("Payroll processing", "Sch. A §2.1"), ("Pay inquiries", "§2.4"))
    ]
    elsewhere = RelationshipFactory(name="Elsewhere", provider=provider)
    outsider = UserFactory(username="outsider", organisation=elsewhere.buyer)
    RoleFactory(relationship=elsewhere, person=outsider, role=RoleName.MANAGER)
    other_scope = ScopeItem.objects.create(
        relationship=elsewhere, status=ScopeStatus.IN_SCOPE, title="Not ours"
    )
    return Scenario(relationship, people, ladder, scope, outsider, other_scope)
