"""The isolation matrix: no persona reaches what the rule hides, on any route."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from accord.core.testing.isolation import Case, assert_case
from accord.core.testing.world import World, build_world
from tests.isolation_matrix import CASES, EXEMPT, EXEMPT_NAMESPACES


@pytest.fixture(scope="module")
def shared_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """One world for the whole matrix (per test worker), rolled back at the end.

    Building the world takes longer than checking most cases, and no case can
    change it: :func:`~accord.core.testing.isolation.check_case` rolls every
    request back. Each test still runs in its own savepoint (the ``db`` fixture).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_route_obeys_the_visibility_rule(shared_world: World, db: None, case: Case) -> None:
    assert_case(shared_world, case)


def _route_names(patterns: list, namespace: str = "") -> set[str]:  # type: ignore[type-arg]
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                names.add(f"{namespace}<unnamed {pattern.pattern}>")
            elif not pattern.name.endswith("_format") and "format" not in str(pattern.pattern):
                names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_in_the_matrix() -> None:
    """A new page or endpoint without an isolation case fails here."""
    routes = _route_names(get_resolver().url_patterns)
    covered = {case.route for case in CASES} | set(EXEMPT)
    missing = sorted(routes - covered)
    assert not missing, f"Routes with no isolation case: {missing}"
    stale = sorted({case.route for case in CASES} - routes)
    assert not stale, f"Isolation cases for routes that no longer exist: {stale}"
