"""Pages and endpoints cost the same number of queries whatever the data size (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.core.choices import RoleName, Visibility
from accord.core.testing.factories import NoteFactory, RoleFactory, UserFactory
from accord.core.testing.world import World


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def grow(world: World, times: int) -> None:
    """Add notes, people and roles on R1 so that lists get longer."""
    r1 = world.relationships["R1"]
    for n in range(times):
        NoteFactory(relationship=r1, visibility=Visibility.JOINT, created_by=world.people["a_exec"])
        person = UserFactory(username=f"extra{n}", organisation=world.orgs["A"])
        RoleFactory(relationship=r1, person=person, role=RoleName.VIEWER)


@pytest.mark.parametrize(
    "url_name",
    [
        "portfolio",
        "relationship_detail",
        "relationship_audit",
        "note_list",
        "api:note-list",
        "api:role-list",
        "api:relationship-list",
        "api:auditentry-list",
        "health_portfolio",
        "sign_board",
        "survey_round_list",
        "health_index_list",
    ],
)
def test_query_count_does_not_grow_with_the_data(world: World, url_name: str) -> None:
    client = Client()
    client.force_login(world.people["a_manager"])
    r1 = world.relationships["R1"]
    needs_pk = url_name in {
        "relationship_detail", "relationship_audit", "note_list", "sign_board",
        "survey_round_list", "health_index_list",
    }  # fmt: skip
    url = reverse(url_name, kwargs={"pk": r1.pk} if needs_pk else None)
    queries_for(client, url)  # warm the session and caches
    small = queries_for(client, url)
    grow(world, 15)
    large = queries_for(client, url)
    assert large == small, f"{url_name}: {small} queries with little data, {large} with more"
    # The relationship page shows people, notes, recent audit, the performance and health
    # cards, and the plan, governance, issues and changes cards (three queries each at most).
    assert small <= 34, f"{url_name} takes {small} queries"
