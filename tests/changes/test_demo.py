"""The demo's change requests and scope questions: loaded through the services, idempotent."""

from __future__ import annotations

import pytest

from accord.contracts.change_demo import load_changes_demo
from accord.contracts.models import ChangeRequest, ScopeItem, ScopeQuestion
from accord.contracts.services import contract_create, scope_item_create
from accord.core.signing import signed_sides
from accord.parties.demo import RELATIONSHIPS, load_demo
from accord.parties.models import Relationship, User
from accord.performance.demo import DEMO_CONTRACTS, SCHEDULES
from accord.performance.services import schedule_version_create

NAMES = {key: name for key, _buyer, _provider, name, *_rest in RELATIONSHIPS}


@pytest.fixture
def demo_contracts(db: None) -> None:
    """The demo's people, contracts, schedules and scope registers (no operational data)."""
    load_demo()
    for spec in DEMO_CONTRACTS:
        buyer = User.objects.get(username=spec.buyer)
        relationship = Relationship.objects.get(name=NAMES[spec.relationship])
        contract = contract_create(relationship=relationship, actor=buyer, **spec.terms)
        for status, title, description, clause in spec.scope:
            scope_item_create(
                relationship=relationship, actor=buyer, status=status, title=title,
                description=description, clause=clause,
            )  # fmt: skip
        document = (SCHEDULES / f"{spec.relationship}.yaml").read_text()
        schedule_version_create(contract=contract, document=document, actor=buyer)


def test_each_relationship_has_an_approved_and_a_pending_change(demo_contracts: None) -> None:
    created = load_changes_demo()
    assert created == ChangeRequest.objects.count() + ScopeQuestion.objects.count()

    for relationship in Relationship.objects.all():
        changes = list(ChangeRequest.objects.filter(relationship=relationship).order_by("number"))
        approved, pending = changes
        assert approved.status == "approved"
        assert signed_sides(approved) == {"buyer", "provider"}
        assert approved.applied_scope_item is not None
        assert pending.status == "proposed"
        assert signed_sides(pending) == {pending.proposed_by_side}
        resolutions = set(
            ScopeQuestion.objects.filter(relationship=relationship).values_list(
                "resolution", flat=True
            )
        )
        assert {"in_scope", ""} <= resolutions

    t4 = ScopeItem.objects.get(title="Year-end T4 reissue")
    assert (t4.status, t4.clause) == ("in_scope", "CR-1")
    assert ScopeItem.objects.get(title="Member e-mail").status == "in_scope"
    assert ScopeItem.objects.get(title="Weekend daytime chat").status == "in_scope"
    price = ChangeRequest.objects.get(kind="price")
    assert (price.status, price.new_fee_from) == ("proposed", "2027-01")
    linked = ScopeQuestion.objects.filter(resolution="out_of_scope")
    assert {q.change_request.status for q in linked if q.change_request} == {"proposed"}
    assert linked.count() == 2


def test_loading_twice_adds_nothing(demo_contracts: None) -> None:
    load_changes_demo()
    counts = (
        ChangeRequest.objects.count(),
        ScopeQuestion.objects.count(),
        ScopeItem.objects.count(),
    )
    assert load_changes_demo() == 0
    assert counts == (
        ChangeRequest.objects.count(), ScopeQuestion.objects.count(), ScopeItem.objects.count(),
    )  # fmt: skip
