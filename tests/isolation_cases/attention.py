"""Isolation matrix cases of attention (see tests/isolation_matrix.py).

Notifications and delivery preferences are their owner's alone (labelled by
persona). The inbox lists, for the signed-in person only:

* actions they own that are open: the world's actions belong to ``p_manager``
  (R1) and ``p_r2_manager`` (R2);
* records waiting for their side's signature where they may sign: the joint
  plans for executives (``a_exec`` on R1, ``p_exec`` on both), the proposed
  change requests for executives and managers of either side, the requested
  excusals for the buyers' signatories (the provider has signed them);
* open issues at a forum they sit on (``a_manager`` on R1, ``b_manager`` on R2)
  or where they may write and their side's position is empty: every issue they
  may change (the world's issues have no positions yet).

"Mark all read" and the preference form act on the signed-in person's own
rows, whoever they are: every signed-in persona gets the redirect (tests in
tests/attention check that nobody else's rows change).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.attention.models import DeliveryPreference, Notification
from accord.core.choices import Action
from accord.core.testing.expectations import NONE, expected
from accord.core.testing.isolation import Case
from accord.core.testing.world import World


def by_persona(table: dict[str, frozenset[str]]) -> Callable[[str], frozenset[str]]:
    return lambda persona: table.get(persona, NONE)


J1, J2 = frozenset({"R1.joint"}), frozenset({"R2.joint"})

MY_ACTIONS = by_persona({"p_manager": J1, "p_r2_manager": J2})
PLANS_TO_SIGN = by_persona({"a_exec": J1, "p_exec": J1 | J2})
CHANGES_TO_SIGN = by_persona({
    "a_exec": J1, "a_manager": J1, "p_exec": J1 | J2, "p_manager": J1, "p_r2_manager": J2,
    "b_manager": J2,
})  # fmt: skip
EXCUSALS_TO_SIGN = by_persona({"a_exec": J1, "a_manager": J1, "b_manager": J2})


def issues_waiting(persona: str) -> frozenset[str]:
    """Issues they may change (positions are empty), plus those at their forum."""
    return expected("issue", Action.CHANGE, persona) | (
        expected("issue", Action.VIEW, persona) if persona in ("a_manager", "b_manager") else NONE
    )


def read_state(world: World, label: str) -> Any:
    notification = Notification.objects.get(pk=world.record("notification", label).pk)
    return notification.read_at is not None


def email_state(world: World, label: str) -> Any:
    return DeliveryPreference.objects.get(pk=world.record("delivery_preference", label).pk).email


PAGES = [
    Case("attention_inbox", shows="notification"),
    Case("attention_inbox", shows="action", listing=MY_ACTIONS),
    Case("attention_inbox", shows="plan", listing=PLANS_TO_SIGN),
    Case("attention_inbox", shows="change_request", listing=CHANGES_TO_SIGN),
    Case("attention_inbox", shows="excusal", listing=EXCUSALS_TO_SIGN),
    Case("attention_inbox", shows="issue", listing=issues_waiting),
    Case("notification_read", kind="notification", action=Action.CHANGE, method="post", ok=302,
         state=read_state),
    Case("notification_read_all", method="post", ok=302),
    Case("attention_preferences"),
    Case("attention_preferences", method="post", ok=302,
         data=lambda w, label, persona: {"email": "daily"}),
]  # fmt: skip

API = [
    Case("api:notification-list", api=True, shows="notification"),
    Case("api:notification-detail", api=True, kind="notification"),
    Case("api:notification-detail", api=True, kind="notification", action=Action.CHANGE,
         method="patch", data=lambda w, label, persona: {"read_at": "2026-11-01T09:00:00Z"},
         state=read_state),
    Case("api:notification-read", api=True, kind="notification", action=Action.CHANGE,
         method="post", url=lambda w, label: {"pk": w.record("notification", label).pk},
         state=read_state),
    Case("api:notification-read-all", api=True, method="post"),
    Case("api:delivery-preference-list", api=True, shows="delivery_preference"),
    Case("api:delivery-preference-list", api=True, method="post", ok=201,
         data=lambda w, label, persona: {"email": "daily"}),
    Case("api:delivery-preference-detail", api=True, kind="delivery_preference"),
    Case("api:delivery-preference-detail", api=True, kind="delivery_preference",
         action=Action.CHANGE, method="patch", data=lambda w, label, persona: {"email": "off"},
         state=email_state),
]  # fmt: skip

CASES: list[Case] = PAGES + API
