"""Filtering by a related id never tells a hidden record from a missing one."""

from __future__ import annotations

import pytest
from django.test import Client

from accord.core.testing.world import World

NONEXISTENT = 987654321


@pytest.mark.parametrize(
    ("route", "param"),
    [
        ("/api/v1/notes/", "relationship"),
        ("/api/v1/roles/", "relationship"),
        ("/api/v1/relationships/", "buyer"),
    ],
)
def test_hidden_id_filters_like_a_missing_one(world: World, route: str, param: str) -> None:
    client = Client()
    client.force_login(world.people["b_manager"])  # sees R2 only
    hidden = world.relationships["R1"].pk if param == "relationship" else world.orgs["A"].pk
    hidden_answer = client.get(route, {param: hidden})
    missing_answer = client.get(route, {param: NONEXISTENT})
    assert hidden_answer.status_code == missing_answer.status_code == 200
    assert hidden_answer.json()["results"] == missing_answer.json()["results"] == []
