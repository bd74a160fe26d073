"""The demo's sign inputs tell the story: credit-harbour drifting, the others healthy."""

from __future__ import annotations

import pytest

from accord.governance.demo import load_governance_demo
from accord.health.demo_signs import load_signs_demo
from accord.health.models import SignCode, SignReading, SignState
from accord.health.refresh import health_months
from accord.health.signs import evaluate_signs
from accord.parties.demo import load_demo
from accord.parties.models import Relationship
from tests.health.signs.conftest import OCT

NAMES = {
    "credit-harbour": "Credit union contact centre (Harbour)",
    "credit-northwind": "Credit union contact centre (Northwind)",
    "ministry-northwind": "Ministry payroll and HR services",
}


def _states(key: str) -> dict[str, str]:
    relationship = Relationship.objects.get(name=NAMES[key])
    evaluate_signs(relationship, health_months(OCT))
    return {
        r.sign: r.state for r in SignReading.objects.filter(relationship=relationship, month=OCT)
    }


@pytest.mark.django_db
def test_demo_signs_story_and_idempotence() -> None:
    load_demo()
    load_governance_demo()  # forum meetings and their attendance feed signs 5 and 7
    created = load_signs_demo()
    assert created > 50
    assert load_signs_demo() == 0

    harbour = _states("credit-harbour")
    triggered = {sign for sign, state in harbour.items() if state == SignState.TRIGGERED}
    assert triggered >= {
        SignCode.ATTRITION, SignCode.NO_GROWTH_INTENT, SignCode.TOO_MANY_MEETINGS,
        SignCode.CONTRACT_PUSHBACK, SignCode.MISSING_EXECUTIVES, SignCode.FINANCIAL_EROSION,
    }  # fmt: skip
    relationship = Relationship.objects.get(name=NAMES["credit-harbour"])
    pushback = SignReading.objects.get(
        relationship=relationship, sign=SignCode.CONTRACT_PUSHBACK, month=OCT
    )
    assert "Weekend cover is outside the contract" in str(pushback.evidence)

    for key in ("credit-northwind", "ministry-northwind"):
        states = _states(key)
        assert SignState.TRIGGERED not in states.values(), (key, states)
    watched = _states("credit-northwind")
    assert watched[SignCode.NO_GROWTH_INTENT] == SignState.WATCH
