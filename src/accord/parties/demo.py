"""The demo world. Names are fixed: documentation and later checks rely on them.

Loading is idempotent: every object is looked up by its natural key first,
so running the loader twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from accord.core.choices import RoleName, Visibility
from accord.core.context import acting_as
from accord.notes.models import Note
from accord.notes.services import note_create
from accord.parties.models import Organisation, Relationship, Role, User
from accord.parties.services import (
    organisation_create,
    person_create,
    relationship_create,
    role_assign,
)

DEMO_PASSWORD = "accord-demo"  # noqa: S105  (demo data only, printed by make demo)

MINISTRY = "Ministry of Workplace Services"
CREDIT_UNION = "Coastal Credit Union"
NORTHWIND = "Northwind Sourcing"
HARBOUR = "Harbour Contact Solutions"

ORGANISATIONS = [
    (MINISTRY, "buyer", "Public sector"),
    (CREDIT_UNION, "buyer", "Financial services"),
    (NORTHWIND, "provider", "Business process outsourcing"),
    (HARBOUR, "provider", "Contact centres"),
]

RELATIONSHIPS = [
    ("ministry-northwind", MINISTRY, NORTHWIND, "Ministry payroll and HR services",
     "HR and payroll administration for 30,000 provincial employees", "steady_state",
     datetime.date(2024, 4, 1), datetime.date(2031, 3, 31)),
    ("credit-northwind", CREDIT_UNION, NORTHWIND, "Credit union contact centre (Northwind)",
     "Member contact centre: calls, chat and e-mail, weekday overflow", "steady_state",
     datetime.date(2025, 1, 1), datetime.date(2029, 12, 31)),
    ("credit-harbour", CREDIT_UNION, HARBOUR, "Credit union contact centre (Harbour)",
     "Member contact centre: calls and chat, evenings and weekends", "transition",
     datetime.date(2025, 11, 1), datetime.date(2030, 12, 31)),
]  # fmt: skip

# username, organisation, first, last, title, org admin, {relationship key: role}
PEOPLE = [
    ("ministry.exec", MINISTRY, "Margaret", "Osei", "Assistant Deputy Minister", False,
     {"ministry-northwind": RoleName.EXECUTIVE}),
    ("ministry.manager", MINISTRY, "Daniel", "Leblanc", "Contract manager", False,
     {"ministry-northwind": RoleName.MANAGER}),
    ("ministry.admin", MINISTRY, "Priya", "Nair", "Vendor management office", True, {}),
    ("credit.exec", CREDIT_UNION, "Helen", "Fraser", "Chief operating officer", False,
     {"credit-northwind": RoleName.EXECUTIVE, "credit-harbour": RoleName.EXECUTIVE}),
    ("credit.manager", CREDIT_UNION, "Sofia", "Marquez", "Vendor manager", False,
     {"credit-northwind": RoleName.MANAGER, "credit-harbour": RoleName.MANAGER}),
    ("credit.admin", CREDIT_UNION, "Tom", "Baker", "Procurement lead", True, {}),
    ("northwind.exec", NORTHWIND, "Erik", "Lindqvist", "Client partner", False,
     {"ministry-northwind": RoleName.EXECUTIVE, "credit-northwind": RoleName.EXECUTIVE}),
    ("northwind.lead", NORTHWIND, "Grace", "Chen", "Delivery lead", False,
     {"ministry-northwind": RoleName.MANAGER}),
    ("northwind.admin", NORTHWIND, "Omar", "Haddad", "Account operations", True, {}),
    ("harbour.exec", HARBOUR, "Kwame", "Mensah", "Managing director", False,
     {"credit-harbour": RoleName.EXECUTIVE}),
    ("harbour.lead", HARBOUR, "Aisha", "Bello", "Account director", False,
     {"credit-harbour": RoleName.MANAGER}),
    ("harbour.admin", HARBOUR, "Liam", "O'Connor", "Operations admin", True, {}),
]  # fmt: skip

# relationship key, author, title, visibility, body
NOTES = [
    ("ministry-northwind", "ministry.manager", "Year-end payroll freeze dates", Visibility.JOINT,
     "Both sides agreed the **year-end freeze** runs from 15 to 31 December.\n\n"
     "- No configuration changes\n- Daily stand-up at 09:00"),
    ("ministry-northwind", "ministry.manager", "Our view before the QBR", Visibility.BUYER,
     "Internal: retro-pay accuracy slipped twice this quarter. Raise it *constructively*; "
     "ask what the provider needs from us."),
    ("ministry-northwind", "northwind.lead", "Staffing plan for union negotiations",
     Visibility.PROVIDER,
     "Internal: keep two senior analysts on the account through the collective agreement "
     "renewal; cost absorbed this year."),
    ("credit-northwind", "credit.manager", "Overflow routing agreed", Visibility.JOINT,
     "Weekday overflow above 120 calls in queue routes to Northwind."),
    ("credit-northwind", "northwind.exec", "Margin watch", Visibility.PROVIDER,
     "Internal: overflow volume below forecast; margin under pressure."),
    ("credit-harbour", "credit.manager", "Transition checkpoint", Visibility.JOINT,
     "Knowledge transfer 80% complete; chat go-live moved to March."),
    ("credit-harbour", "credit.manager", "Champion-challenger thinking", Visibility.BUYER,
     "Internal: compare Harbour's evening service level with Northwind's weekday results."),
    ("credit-harbour", "harbour.lead", "Attrition on the evening shift", Visibility.PROVIDER,
     "Internal: nine leavers in six weeks; retention bonus proposed."),
]  # fmt: skip


@dataclass
class DemoSummary:
    created: int
    existing: int


@transaction.atomic
def load_demo() -> DemoSummary:
    """Create the demo organisations, people, relationships, roles and notes once."""
    created = existing = 0
    with acting_as(None, request_id="demo-loader"):
        orgs: dict[str, Organisation] = {}
        for name, kind, sector in ORGANISATIONS:
            org = Organisation.objects.filter(name=name).first()
            if org is None:
                org = organisation_create(name=name, kind=kind, sector=sector, actor=None)
                created += 1
            else:
                existing += 1
            orgs[name] = org

        relationships: dict[str, Relationship] = {}
        for key, buyer, provider, name, services, status, start, end in RELATIONSHIPS:
            rel = Relationship.objects.filter(name=name, buyer=orgs[buyer]).first()
            if rel is None:
                rel = relationship_create(
                    buyer=orgs[buyer], provider=orgs[provider], name=name, services=services,
                    status=status, start_date=start, end_date=end, actor=None,
                )  # fmt: skip
                created += 1
            else:
                existing += 1
            relationships[key] = rel

        people: dict[str, User] = {}
        for username, org_name, first, last, title, is_admin, roles in PEOPLE:
            person = User.objects.filter(username=username).first()
            if person is None:
                person = person_create(
                    organisation=orgs[org_name], username=username, password=DEMO_PASSWORD,
                    first_name=first, last_name=last, job_title=title, is_org_admin=is_admin,
                    email=f"{username}@example.org", actor=None,
                )  # fmt: skip
                created += 1
            else:
                existing += 1
            people[username] = person
            for rel_key, role in roles.items():
                rel = relationships[rel_key]
                if not Role.objects.filter(relationship=rel, person=person).exists():
                    role_assign(relationship=rel, person=person, role=role, actor=None)

        for rel_key, author, title, visibility, body in NOTES:
            rel = relationships[rel_key]
            if Note.objects.filter(relationship=rel, title=title).exists():
                existing += 1
                continue
            note_create(
                relationship=rel, title=title, body=body, visibility=visibility,
                actor=people[author],
            )  # fmt: skip
            created += 1
    return DemoSummary(created=created, existing=existing)


def sign_in_table() -> list[tuple[str, str, str]]:
    """(username, organisation, roles) for printing."""
    rows = []
    for username, org_name, *_rest, is_admin, roles in PEOPLE:
        described = ", ".join(f"{role} on {key}" for key, role in roles.items())
        rows.append((username, org_name, "organisation admin" if is_admin else described))
    return rows
