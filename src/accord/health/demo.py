"""The health part of the demo: surveys, warning-sign inputs, the buyer's introspection,
then the signs and the index of every demo relationship for its twelve months.

Each step is idempotent, so ``accord load_demo`` can run again. The surveys and
the sign inputs have loaders of their own (``demo_surveys``, ``demo_signs``);
this module calls them when they exist, then adds the introspection and
recomputes everything through October 2026, the performance demo's last month.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import transaction

from accord.core.context import acting_as
from accord.health import introspection as services
from accord.health.models import Introspection, IntrospectionAction
from accord.health.refresh import refresh_health
from accord.parties.demo import RELATIONSHIPS
from accord.parties.models import Relationship, User

THROUGH = dt.date(2026, 10, 1)
INTROSPECTION_TITLE = "Before the reset: our own part"
INTROSPECTION: dict[str, Any] = {
    "assessed_on": dt.date(2026, 10, 20),
    "vision_score": 3,
    "vision_note": "The member-experience goals are in the contract, but we never walked "
    "Harbour through our brand promise for evenings and weekends.",
    "innovation_score": 1,
    "innovation_note": "Harbour's two ideas this year (chat deflection, callback) went "
    "nowhere: nothing in the contract rewards them, and we did not ask.",
    "commercial_score": 2,
    "commercial_note": "We chose the lowest bid and pushed the rate down again at transition; "
    "the at-risk share is high for a new provider.",
    "culture_score": 2,
    "culture_note": "Our team treats Harbour as a vendor: they are not invited to our "
    "member-service huddles.",
    "stakeholders_score": 3,
    "stakeholders_note": "Member services is committed; IT and marketing barely know the "
    "relationship exists.",
}
ACTIONS = [
    ("Walk Harbour's leads through our member-experience vision and brand promise.",
     "credit.manager", dt.date(2026, 11, 30)),
    ("Propose a gain-share for provider-originated improvements at the next review.",
     "credit.manager", dt.date(2026, 12, 15)),
    ("Invite Harbour's team lead to our weekly member-service huddle.",
     "credit.manager", dt.date(2026, 11, 15)),
]  # fmt: skip


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


@dataclass
class HealthDemoSummary:
    created: int = 0
    existing: int = 0


def _optional_loader(module: str, function: str) -> Callable[[], int] | None:
    """The loader of another health area's demo, or None while it does not exist yet."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name != module:
            raise  # the module exists but is broken: say so
        return None
    loader = getattr(loaded, function, None)
    return loader if callable(loader) else None


def _introspection(summary: HealthDemoSummary) -> None:
    """The credit union's introspection of its part in the Harbour relationship."""
    relationship = Relationship.objects.get(name=_name("credit-harbour"))
    manager = User.objects.get(username="credit.manager")
    item = Introspection.objects.filter(
        relationship=relationship, title=INTROSPECTION_TITLE
    ).first()
    if item is None:
        item = services.introspection_create(
            relationship=relationship, title=INTROSPECTION_TITLE, actor=manager, **INTROSPECTION
        )
        summary.created += 1
    else:
        summary.existing += 1
    for description, owner, due_on in ACTIONS:
        if IntrospectionAction.objects.filter(introspection=item, description=description).exists():
            summary.existing += 1
            continue
        services.introspection_action_create(
            introspection=item,
            description=description,
            owner=User.objects.get(username=owner),
            due_on=due_on,
            actor=manager,
        )
        summary.created += 1


def _name(key: str) -> str:
    return next(name for k, _b, _p, name, *_rest in RELATIONSHIPS if k == key)


def load_health_demo(stdout: Writer | None = None) -> HealthDemoSummary:
    """Load the health demo (after the parties and performance demos); safe to repeat."""
    summary = HealthDemoSummary()

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    for module, function, what in (
        ("accord.health.demo_surveys", "load_survey_demo", "survey rounds"),
        ("accord.health.demo_signs", "load_signs_demo", "warning-sign inputs"),
    ):
        loader = _optional_loader(module, function)
        if loader is None:
            say(f"Health: no demo {what} yet ({module}.{function} is missing); skipped.")
            continue
        created = loader()
        summary.created += created
        say(f"Health: demo {what}, {created} records created.")
    with transaction.atomic(), acting_as(None, request_id="demo-loader"):
        _introspection(summary)
    say("Health: the credit union's introspection on Harbour.")
    for key, *_rest in RELATIONSHIPS:
        relationship = Relationship.objects.get(name=_name(key))
        refresh_health(relationship.pk, through=THROUGH)
        say(f"Health: signs and index of {relationship.name} recomputed to {THROUGH:%B %Y}.")
    return summary
