"""The health demo orchestrator: the introspection, the index of every demo relationship."""

from __future__ import annotations

import io
from typing import Any

import pytest

from accord.health import demo
from accord.health.models import HealthIndex, Introspection, IntrospectionAction
from accord.parties.demo import load_demo
from accord.parties.models import Relationship

pytestmark = pytest.mark.django_db


def test_health_demo_loads_once_and_skips_missing_areas(monkeypatch: Any) -> None:
    load_demo()
    # The surveys and signs demos belong to other areas: tested there.
    monkeypatch.setattr(demo, "_optional_loader", lambda module, function: None)
    out = io.StringIO()
    first = demo.load_health_demo(stdout=out)
    assert "no demo survey rounds yet" in out.getvalue()
    assert first.created == 4  # the introspection and its three actions
    item = Introspection.objects.get(title=demo.INTROSPECTION_TITLE)
    assert item.relationship.name == "Credit union contact centre (Harbour)"
    assert item.visibility == "buyer"
    assert item.created_by is not None
    assert item.created_by.username == "credit.manager"
    assert item.commercial_score <= 2
    assert item.innovation_score <= 2
    assert IntrospectionAction.objects.filter(introspection=item).count() == 3
    for relationship in Relationship.objects.all():
        months = HealthIndex.objects.filter(relationship=relationship).order_by("month")
        assert months.count() == 12
        assert f"{months.last().month:%Y-%m}" == "2026-10"  # type: ignore[union-attr]
    second = demo.load_health_demo()
    assert second.created == 0
    assert second.existing == 4
    assert Introspection.objects.count() == 1


def test_optional_loader_finds_nothing_for_a_missing_module() -> None:
    assert demo._optional_loader("accord.health.no_such_demo", "load") is None
