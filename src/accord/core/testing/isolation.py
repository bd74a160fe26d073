"""The isolation matrix: every page and endpoint, every persona, every record.

A :class:`Case` describes one route: which records its URL names (``kind``),
which action it performs, what it lists (``shows``) and, for writes, the data
it posts. :func:`check_case` runs it for every persona against every labelled
record of the :mod:`world <accord.core.testing.world>` and compares status
codes, listed ids and whether anything changed with the hand-written
:mod:`expectations <accord.core.testing.expectations>`. It returns every
mismatch at once, so a failure reads as a table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse

from accord.core.choices import Action
from accord.core.testing.expectations import expected
from accord.core.testing.world import ALL_PERSONAS, ANONYMOUS, World

DataFn = Callable[[World, str, str], dict[str, Any]]
StateFn = Callable[[World, str], Any]

OBJECT_ATTR = re.compile(r'data-object="([a-z_]+\.[a-z_]+):(\d+)"')
SUBJECT_ATTR = re.compile(r'data-subject="([a-z_]+\.[a-z_]+):(\d*)"')
MODEL_OF_KIND = {
    "note": "notes.note",
    "relationship": "parties.relationship",
    "role": "parties.role",
    "person": "parties.user",
    "token": "parties.apitoken",
    "audit": "core.auditentry",
    "contract": "contracts.contract",
    "scope": "contracts.scopeitem",
    "schedule_version": "performance.scheduleversion",
    "service_level": "performance.servicelevel",
    "data_source": "performance.datasource",
    "data_import": "performance.dataimport",
    "run": "performance.scorecardrun",
    "result": "performance.periodresult",
    "credit_month": "performance.creditmonth",
    "credit_line": "performance.creditline",
    "excusal": "performance.excusal",
    "signature": "core.signature",
    "forecast": "performance.creditforecast",
    "cost_note": "performance.costofqualitynote",
    "survey_instrument": "health.surveyinstrument",
    "survey_dimension": "health.surveydimension",
    "survey_statement": "health.surveystatement",
    "survey_round": "health.surveyround",
    "survey_response": "health.surveyresponse",
    "survey_answer": "health.surveyanswer",
    "survey_score": "health.surveyscore",
    "survey_comment": "health.surveycomment",
    "workforce": "health.workforcemonth",
    "meeting": "health.meetinglog",
    "proposal": "health.improvementproposal",
    "financial": "health.financialindicator",
    "sign_threshold": "health.signthreshold",
    "sign_reading": "health.signreading",
    "health_index": "health.healthindex",
    "introspection": "health.introspection",
    "introspection_action": "health.introspectionaction",
    "plan": "planning.planningcycle",
    "objective": "planning.objective",
    "checkpoint": "planning.checkpoint",
    "plan_revision": "planning.planrevision",
    "forum": "governance.forum",
    "forum_member": "governance.forummember",
    "forum_meeting": "governance.meeting",
    "attendance": "governance.attendance",
    "decision": "governance.decision",
    "action": "governance.actionitem",
    "issue": "issues.issue",
    "issue_option": "issues.issueoption",
    "issue_event": "issues.issueevent",
    "change_request": "contracts.changerequest",
    "scope_question": "contracts.scopequestion",
    "notification": "attention.notification",
    "delivery_preference": "attention.deliverypreference",
}
NONEXISTENT_PK = 987654321


@dataclass(frozen=True)
class Case:
    """One route in the isolation matrix.

    ``kind``: the record kind whose labelled records the URL (or posted data)
    names; None for a page with no record. ``url``: the URL kwargs for a
    label (default ``{"pk": record.pk}``). ``parent``: the URL names the
    label's relationship rather than the record itself (creating records).
    ``shows``: the record kind listed by the response, compared exactly with
    what the persona may see (``audit:note`` lists audit entries of notes).
    ``data``: the body to send. ``state``: a snapshot of what the request
    may change, compared before and after. ``allowed``: overrides the
    expectation for the action (by persona; for a page with no record, any
    non-empty answer permits it). ``listing`` overrides what ``shows`` expects.
    """

    route: str
    kind: str | None = None
    action: str = Action.VIEW
    method: str = "get"
    shows: str | None = None
    api: bool = False
    parent: bool = False
    url: Callable[[World, str], dict[str, Any]] | None = None
    data: DataFn | None = None
    state: StateFn | None = None
    allowed: Callable[[str], frozenset[str]] | None = None
    listing: Callable[[str], frozenset[str]] | None = None
    ok: int = 200

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.route}"


def client_for(world: World, persona: str) -> Client:
    client = Client()
    if persona != ANONYMOUS:
        client.force_login(world.people[persona])
    return client


def _relationship_label(label: str) -> str:
    return label.split(".")[0]


def _listed_keys(response: Any, api: bool) -> set[tuple[str, str]]:
    """(model, pk) pairs the response lists: ``data-object`` rows or API results."""
    if api:
        payload = response.json()
        rows = payload.get("results", payload) if isinstance(payload, dict) else payload
        keys = set()
        for row in rows:
            if "object_type" in row:
                keys.add((row["object_type"], str(row["object_id"])))
            else:
                keys.add(("?", str(row["id"])))
        return keys
    html = response.content.decode()
    return {(m, pk) for m, pk in OBJECT_ATTR.findall(html)} | {
        (m, pk) for m, pk in SUBJECT_ATTR.findall(html)
    }


def _listed_labels(world: World, case: Case, response: Any) -> set[str]:
    assert case.shows is not None
    kind = case.shows.split(":")[-1]
    model = MODEL_OF_KIND[kind]
    labels = set()
    for listed_model, pk in _listed_keys(response, case.api):
        if listed_model not in (model, "?"):
            continue
        label = world.label_of(kind, pk)
        if label is not None:
            labels.add(label)
    return labels


def _expected_listing(case: Case, persona: str, label: str | None) -> set[str]:
    assert case.shows is not None
    kind = case.shows.split(":")[-1]
    visible = set(expected(kind, Action.VIEW, persona))
    if label is None:
        return visible
    if case.kind == "relationship":
        return {item for item in visible if item.startswith(f"{label}.")}
    return {item for item in visible if item == label}


def _send(client: Client, case: Case, path: str, data: dict[str, Any] | None) -> Any:
    method = getattr(client, case.method)
    if case.api and case.method != "get":
        return method(path, data=json.dumps(data or {}), content_type="application/json")
    return method(path, data=data or {})


def _path(world: World, case: Case, label: str | None) -> str:
    if label is None:
        return reverse(case.route)
    if case.url is not None:
        return reverse(case.route, kwargs=case.url(world, label))
    if case.parent:
        rel = world.relationships[_relationship_label(label)]
        return reverse(case.route, kwargs={"pk": rel.pk})
    if case.data is not None and case.method == "post" and case.api:
        return reverse(case.route)  # API create: the record is named in the body
    return reverse(case.route, kwargs={"pk": world.record(case.kind or "", label).pk})


def _expectation(case: Case, persona: str, label: str | None) -> tuple[bool, bool]:
    """(may see the record the URL names, may perform the case's action)."""
    if persona == ANONYMOUS:
        return False, False
    kind = case.kind
    if label is None or kind is None:
        visible = True
        permitted = bool(case.allowed(persona)) if case.allowed else True
    elif case.parent:
        visible = _relationship_label(label) in expected("relationship", Action.VIEW, persona)
        permitted = label in (
            case.allowed(persona) if case.allowed else expected(kind, case.action, persona)
        )
    else:
        visible = label in expected(kind, Action.VIEW, persona)
        permitted = label in (
            case.allowed(persona) if case.allowed else expected(kind, case.action, persona)
        )
    return visible, permitted


def _outcome_problems(
    world: World, case: Case, persona: str, label: str | None, response: Any
) -> list[str]:
    status = response.status_code
    where = f"{persona:<14} {label or '-':<16}"
    if persona == ANONYMOUS:
        if case.api:
            return [] if status in (401, 403) else [f"{where} anonymous got {status}, want 401"]
        location = response.get("Location", "")
        if status == 302 and "/accounts/login/" in location:
            return []
        return [f"{where} anonymous got {status}, want a redirect to sign in"]

    visible, permitted = _expectation(case, persona, label)

    if permitted:
        if status != case.ok:
            return [f"{where} got {status}, want {case.ok} (permitted)"]
    elif not visible:
        hidden_ok = {404} if not (case.api and case.method == "post" and case.data) else {400, 404}
        if status not in hidden_ok:
            return [f"{where} got {status}, want 404 (hidden)"]
    else:
        refused_ok = {403} if case.api or case.method == "get" else {403, 200}
        if case.api and case.method == "post":
            refused_ok = {400, 403}
        if status not in refused_ok:
            return [f"{where} got {status}, want {sorted(refused_ok)} (visible, not permitted)"]
        if status == 200 and case.method == "post" and b'class="error' not in response.content:
            return [f"{where} re-rendered the form without naming an error"]

    if case.shows and status == 200 and permitted:
        got = _listed_labels(world, case, response)
        want = (
            set(case.listing(persona)) if case.listing else _expected_listing(case, persona, label)
        )
        if got != want:
            return [f"{where} listed {sorted(got)}, want {sorted(want)}"]
    return []


def _run_one(
    world: World, case: Case, persona: str, label: str | None, client: Client
) -> list[str]:
    path = _path(world, case, label)
    data = case.data(world, label or "", persona) if case.data else None
    if case.method == "get":
        return _outcome_problems(world, case, persona, label, _send(client, case, path, data))
    # A write: run it inside a savepoint, compare state, roll it back.
    problems: list[str] = []
    with transaction.atomic():
        before = case.state(world, label or "") if case.state else None
        response = _send(client, case, path, data)
        after = case.state(world, label or "") if case.state else None
        problems = _outcome_problems(world, case, persona, label, response)
        _visible, permitted = _expectation(case, persona, label)
        if case.state is not None and (before != after) != permitted:
            problems.append(
                f"{persona:<14} {label or '-':<16} status {response.status_code} but "
                f"state {'changed' if before != after else 'unchanged'}"
            )
        if case.api and data and response.status_code == 400:
            who = f"{persona:<14} {label or '-':<16}"
            problems += _same_as_nonexistent(client, case, path, data, response, who)
        transaction.set_rollback(True)
    return problems


def _same_as_nonexistent(
    client: Client, case: Case, path: str, data: dict[str, Any], response: Any, who: str
) -> list[str]:
    """A hidden related id must fail exactly like an id that does not exist."""
    problems = []
    real_fields = response.json()["error"]["fields"]
    for key, value in data.items():
        if not isinstance(value, int) or key not in real_fields:
            continue
        ghost = _send(client, case, path, {**data, key: NONEXISTENT_PK})
        ghost_fields = ghost.json()["error"]["fields"] if ghost.status_code == 400 else {}
        ghost_messages = [
            m.replace(str(NONEXISTENT_PK), str(value)) for m in ghost_fields.get(key, [])
        ]
        if ghost.status_code != response.status_code or ghost_messages != real_fields[key]:
            problems.append(f"{who} hidden {key} answered differently from a missing one")
    return problems


def check_case(world: World, case: Case) -> list[str]:
    """Run ``case`` for every persona and labelled record; return the mismatches."""
    labels: list[str | None] = [None] if case.kind is None else list(world.records[case.kind])
    problems: list[str] = []
    for persona in ALL_PERSONAS:
        client = client_for(world, persona)
        for label in labels:
            problems += _run_one(world, case, persona, label, client)
    return problems


def assert_case(world: World, case: Case) -> None:
    problems = check_case(world, case)
    assert not problems, f"{case.name}: isolation mismatches\n" + "\n".join(problems)
