"""Every route of Accord, as a case of the isolation matrix.

Adding a page or an endpoint? Add its case here; ``test_every_route_is_in_the_matrix``
fails until you do. The expectations live in ``accord.core.testing.expectations``.
"""

from __future__ import annotations

from typing import Any

from accord.core.choices import Action
from accord.core.models import AuditEntry
from accord.core.testing.expectations import NONE
from accord.core.testing.isolation import Case
from accord.core.testing.world import PERSONAS, World
from accord.notes.models import Note
from accord.parties.models import ApiToken, Role, User
from tests.isolation_cases import (
    api,
    attention,
    changes,
    contracts,
    data,
    excusals,
    governance,
    health_index,
    health_signs,
    health_surveys,
    issues,
    planning,
    private,
    scorecards,
)


def admins(*relationships: str) -> Any:
    """Only organisation admins, on their organisation's relationships."""
    table = {"a_admin": frozenset({"R1"}), "p_admin": frozenset({"R1", "R2"})}
    return lambda persona: table.get(persona, NONE) if relationships else NONE


def org_admin_only(persona: str) -> frozenset[str]:
    return frozenset({"yes"}) if persona in ("a_admin", "p_admin") else NONE


def colleagues(persona: str) -> frozenset[str]:
    if persona not in PERSONAS:
        return NONE
    org = PERSONAS[persona][0]
    return frozenset(p for p, (o, _r, _a) in PERSONAS.items() if o == org)


def note_count(world: World, label: str) -> int:
    return Note.objects.count()


def note_state(world: World, label: str) -> Any:
    note = Note.objects.filter(pk=world.record("note", label).pk).first()
    return None if note is None else (note.title, note.body, note.visibility, note.relationship_id)


def role_state(world: World, label: str) -> Any:
    return sorted(Role.objects.values_list("pk", "role"))


def person_state(world: World, label: str) -> Any:
    return sorted(User.objects.values_list("pk", "job_title"))


def token_state(world: World, label: str) -> Any:
    return sorted(ApiToken.objects.values_list("pk", "revoked_at"))


def note_form(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"title": f"Written by {persona}", "body": "text", "visibility": label.split(".")[1]}


def note_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    rel = world.relationships[label.split(".")[0]]
    return {"relationship": rel.pk, **note_form(world, label, persona)}


def role_form(world: World, label: str, persona: str) -> dict[str, Any]:
    person = world.people.get(persona)
    return {"person": person.pk if person else 0, "role": "viewer"}


def role_api_body(world: World, label: str, persona: str) -> dict[str, Any]:
    return {"relationship": world.relationships[label].pk, **role_form(world, label, persona)}


def person_form(world: World, label: str, persona: str) -> dict[str, Any]:
    target = PERSONAS[label]
    return {"job_title": f"Edited by {persona}", "is_org_admin": target[2] or "", "is_active": "on"}


PAGES = [
    Case("portfolio", shows="relationship"),
    Case("relationship_detail", kind="relationship", shows="note"),
    Case("relationship_audit", kind="relationship", shows="audit:note"),
    Case("role_add", kind="relationship", action=Action.ADD, allowed=admins("R1", "R2")),
    Case("role_add", kind="relationship", action=Action.ADD, method="post", ok=302,
         allowed=admins("R1", "R2"), data=role_form, state=role_state),
    Case("role_delete", kind="role", action=Action.DELETE),
    Case("role_delete", kind="role", action=Action.DELETE, method="post", ok=302,
         state=role_state),
    Case("organisation_detail", shows="person", listing=colleagues),
    Case("person_add", allowed=org_admin_only),
    Case("person_add", method="post", ok=302, allowed=org_admin_only,
         data=lambda w, label, persona: {"username": f"new.{persona}", "password": ""},
         state=lambda w, label: User.objects.count()),
    Case("person_edit", kind="person", action=Action.CHANGE),
    Case("person_edit", kind="person", action=Action.CHANGE, method="post", ok=302,
         data=person_form, state=person_state),
    Case("organisation_audit", allowed=org_admin_only),
    Case("token_list", shows="token"),
    Case("token_list", method="post", data=lambda w, label, persona: {"name": "t"},
         state=lambda w, label: ApiToken.objects.count()),
    Case("token_revoke", kind="token", action=Action.CHANGE, method="post", ok=302,
         state=token_state),
    Case("note_list", kind="relationship", shows="note"),
    Case("note_add", kind="relationship", action=Action.ADD),
    Case("note_add", kind="note", parent=True, action=Action.ADD, method="post", ok=302,
         data=note_form, state=note_count),
    Case("note_detail", kind="note"),
    Case("note_edit", kind="note", action=Action.CHANGE),
    Case("note_edit", kind="note", action=Action.CHANGE, method="post", ok=302,
         data=note_form, state=note_state),
    Case("note_delete", kind="note", action=Action.DELETE),
    Case("note_delete", kind="note", action=Action.DELETE, method="post", ok=302,
         state=note_state),
    Case("note_audit", kind="note", shows="audit:note"),
    Case("password_change"),
    Case("password_change_done"),
]  # fmt: skip

API = [
    Case("api:api-root", api=True),
    Case("api:relationship-list", api=True, shows="relationship"),
    Case("api:relationship-detail", api=True, kind="relationship"),
    Case("api:role-list", api=True, shows="role"),
    Case("api:role-list", api=True, kind="relationship", action=Action.ADD, method="post",
         ok=201, allowed=admins("R1", "R2"), url=lambda w, label: {}, data=role_api_body,
         state=role_state),
    Case("api:role-detail", api=True, kind="role"),
    Case("api:role-detail", api=True, kind="role", action=Action.DELETE, method="delete",
         ok=204, state=role_state),
    Case("api:note-list", api=True, shows="note"),
    Case("api:note-list", api=True, kind="note", parent=True, action=Action.ADD, method="post",
         ok=201, url=lambda w, label: {}, data=note_api_body, state=note_count),
    Case("api:note-detail", api=True, kind="note"),
    Case("api:note-detail", api=True, kind="note", action=Action.CHANGE, method="patch",
         data=lambda w, label, persona: {"title": f"Patched by {persona}"}, state=note_state),
    Case("api:note-detail", api=True, kind="note", action=Action.DELETE, method="delete",
         ok=204, state=note_state),
    # Filtered to notes' entries: the world's many other records would page them out.
    Case("api:auditentry-list", api=True, shows="audit:note",
         data=lambda w, label, persona: {"object_type": "notes.note"}),
    Case("api:auditentry-detail", api=True, kind="audit"),
]  # fmt: skip

# Each area of the product keeps its cases in a module of tests/isolation_cases.
AREA_CASES = [
    *contracts.CASES,
    *data.CASES,
    *scorecards.CASES,
    *excusals.CASES,
    *private.CASES,
    *api.CASES,
    *health_surveys.CASES,
    *health_signs.CASES,
    *health_index.CASES,
    *planning.CASES,
    *governance.CASES,
    *issues.CASES,
    *changes.CASES,
    *attention.CASES,
]

CASES = PAGES + API + AREA_CASES

# Routes deliberately outside the matrix, and why.
EXEMPT = {
    "login": "the sign-in page is public by nature",
    "logout": "signing out needs no permission",
    "api-schema": "describes the API's shape; holds no records",
    "api-docs": "the interactive API reference; holds no records",
}
EXEMPT_NAMESPACES = {"admin": "platform operators' Django admin; superusers only"}


def audit_entries_for(world: World, label: str) -> list[AuditEntry]:
    note = world.record("note", label)
    return list(AuditEntry.objects.filter(object_type="notes.note", object_id=str(note.pk)))
