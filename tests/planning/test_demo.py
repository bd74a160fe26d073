"""The demo's joint plans: what the README promises, and a second load changes nothing.

The demo people and relationships are loaded for real; the contracts carry just
the service levels the plans link to (the scorecards are performance's story).
"""

from __future__ import annotations

import datetime as dt

import pytest

from accord.core import signing
from accord.core.models import Signature
from accord.core.testing.performance_factories import ContractFactory, ServiceLevelFactory
from accord.parties.demo import RELATIONSHIPS, load_demo
from accord.parties.models import Relationship
from accord.planning.demo import load_planning_demo
from accord.planning.models import Checkpoint, Objective, PlanningCycle, PlanRevision
from accord.planning.progress import objectives_in_force

LEVELS = {
    "ministry-northwind": ("PAY-ACC", "HR-P1"),
    "credit-northwind": ("CC-CSAT", "CC-FCR"),
    "credit-harbour": ("CC-AHT", "CC-SL1"),
}
STATUSES = {"achieved", "on_track", "at_risk", "off_track", "not_started"}


def relationship(key: str) -> Relationship:
    name = next(row[3] for row in RELATIONSHIPS if row[0] == key)
    return Relationship.objects.get(name=name)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (PlanningCycle, Objective, Checkpoint, PlanRevision, Signature)
    )


@pytest.mark.django_db
def test_the_demo_plans_are_signed_varied_and_load_once() -> None:
    load_demo()
    for key, codes in LEVELS.items():
        contract = ContractFactory(relationship=relationship(key))
        for code in codes:
            ServiceLevelFactory(contract=contract, code=code, name=code)
    created = load_planning_demo()
    assert created > 0
    first = counts()
    assert load_planning_demo() == 0
    assert counts() == first

    for key in LEVELS:
        plan = PlanningCycle.objects.get(relationship=relationship(key), year=2026)
        assert signing.is_cosigned(plan), key
        objectives = list(plan.objectives.all())
        assert 5 <= len(objectives) <= 7, key
        assert STATUSES <= {o.status for o in objectives}, key
        assert any(o.service_level_id for o in objectives), key
        assert len({o.focus for o in objectives}) >= 2, key
        assessed = Checkpoint.objects.filter(objective__cycle=plan).exclude(status="not_assessed")
        assert assessed.exclude(buyer_commentary="").exclude(provider_commentary="").exists()
        executives = {s.signer.username for s in signing.signatures(plan)}
        assert len(executives) == 2
    harbour = PlanningCycle.objects.get(relationship=relationship("credit-harbour"))
    assert harbour.is_launch
    in_force = objectives_in_force(harbour.relationship, dt.date(2026, 10, 1))
    focus = [o.focus for o in in_force]
    assert focus.count("efficiency") > len(focus) / 2  # leaning on cost and efficiency

    ministry = relationship("ministry-northwind")
    past = PlanningCycle.objects.get(relationship=ministry, year=2025)
    assert past.reviewed_at is not None
    decisions = set(past.objectives.values_list("year_end_decision", flat=True))
    assert {"carried_forward", "closed"} <= decisions
    carried = Objective.objects.get(
        cycle__year=2026, relationship=ministry, carried_from__isnull=False
    )
    assert carried.carried_from.cycle == past  # type: ignore[union-attr]
    # Credit-northwind's plan was revised after signing, then signed again.
    revised = PlanningCycle.objects.get(relationship=relationship("credit-northwind"))
    assert PlanRevision.objects.filter(cycle=revised).count() == 1
