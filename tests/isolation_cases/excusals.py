"""Isolation cases: the excusal workflow (see tests/isolation_matrix.py).

Excusals are joint: both sides see them (the default expectations). Who may
act differs from the joint default, so it is written out here by hand:

* request, edit, withdraw: the provider side with ADD/CHANGE on the
  relationship (executives, managers; contributors too, but the world has
  none on the provider side) - never the buyer;
* sign: a signatory (executive or manager) of either side. The world's
  excusals are already signed for the provider by ``p_exec``, so only the
  buyer's signatories can still sign them; a provider signatory is refused
  (the page says the provider has signed, with its error);
* decline: a buyer signatory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.core.choices import Action
from accord.core.models import Signature
from accord.core.testing.expectations import NONE
from accord.core.testing.isolation import Case
from accord.core.testing.world import World
from accord.performance.models import Excusal


def by_persona(table: dict[str, frozenset[str]]) -> Callable[[str], frozenset[str]]:
    return lambda persona: table.get(persona, NONE)


R1, R2 = frozenset({"R1"}), frozenset({"R2"})
J1, J2 = frozenset({"R1.joint"}), frozenset({"R2.joint"})

# Relationships where the persona may request an excusal (provider, ADD on joint records).
PROVIDER_REQUESTS = by_persona({"p_exec": R1 | R2, "p_manager": R1, "p_r2_manager": R2})
# Excusals the persona may edit or withdraw (provider, CHANGE on joint records).
PROVIDER_CHANGES = by_persona({"p_exec": J1 | J2, "p_manager": J1, "p_r2_manager": J2})
# Excusals the persona may still sign (the provider side has signed them already).
BUYER_SIGNATORIES = by_persona({"a_exec": J1, "a_manager": J1, "b_manager": J2})


def request_form(world: World, label: str, persona: str) -> dict[str, Any]:
    """February for the relationship's level (the world's excusal is January's)."""
    level = world.record("service_level", f"{label}.joint")
    return {"service_level": level.pk, "month": "2026-02", "reason": f"Asked by {persona}"}


def excusal_count(world: World, label: str) -> int:
    return Excusal.objects.count()


def excusal_state(world: World, label: str) -> Any:
    excusal = Excusal.objects.get(pk=world.record("excusal", label).pk)
    signatures = Signature.objects.filter(
        object_type="performance.excusal", object_id=str(excusal.pk)
    ).count()
    return (excusal.reason, excusal.version, excusal.status, excusal.decision_note, signatures)


CASES: list[Case] = [
    Case("excusal_list", kind="relationship", shows="excusal"),
    Case("excusal_add", kind="relationship", action=Action.ADD, allowed=PROVIDER_REQUESTS),
    Case("excusal_add", kind="relationship", action=Action.ADD, method="post", ok=302,
         allowed=PROVIDER_REQUESTS, data=request_form, state=excusal_count),
    Case("excusal_detail", kind="excusal"),
    Case("excusal_detail", kind="excusal", shows="signature"),
    Case("excusal_edit", kind="excusal", action=Action.CHANGE, allowed=PROVIDER_CHANGES),
    Case("excusal_edit", kind="excusal", action=Action.CHANGE, method="post", ok=302,
         allowed=PROVIDER_CHANGES, state=excusal_state,
         data=lambda w, label, persona: {"reason": f"Restated by {persona}"}),
    Case("excusal_sign", kind="excusal", action=Action.CHANGE, method="post", ok=302,
         allowed=BUYER_SIGNATORIES, state=excusal_state),
    Case("excusal_decline", kind="excusal", action=Action.CHANGE, method="post", ok=302,
         allowed=BUYER_SIGNATORIES, state=excusal_state,
         data=lambda w, label, persona: {"note": f"Declined by {persona}"}),
    Case("excusal_withdraw", kind="excusal", action=Action.CHANGE, method="post", ok=302,
         allowed=PROVIDER_CHANGES, state=excusal_state),
    Case("excusal_audit", kind="excusal", shows="audit:excusal"),
]  # fmt: skip
