"""``restrict(user, action)`` on every planning, governance, issue, change-request and
notification model agrees with the hand-written expectations.

The pages and API are checked by the isolation matrix; this checks the rule
itself, for every persona, action and labelled record.
"""

from __future__ import annotations

import pytest
from django.apps import apps

from accord.core.choices import Action
from accord.core.testing.expectations import expected
from accord.core.testing.isolation import MODEL_OF_KIND
from accord.core.testing.world import ALL_PERSONAS, ANONYMOUS, World

APPS = ("planning", "governance", "issues", "attention")
CONTRACT_MODELS = ("contracts.changerequest", "contracts.scopequestion")
KINDS = sorted(
    kind
    for kind, model in MODEL_OF_KIND.items()
    if model.split(".")[0] in APPS or model in CONTRACT_MODELS
)


def test_every_model_has_a_labelled_kind() -> None:
    covered = {MODEL_OF_KIND[kind] for kind in KINDS}
    models = {
        f"{label}.{model._meta.model_name}"
        for label in APPS
        for model in apps.get_app_config(label).get_models()
    }
    assert covered == models | set(CONTRACT_MODELS)


@pytest.mark.parametrize("kind", KINDS)
def test_restrict_matches_the_expectations(world: World, kind: str) -> None:
    model = apps.get_model(MODEL_OF_KIND[kind])
    problems = []
    for persona in ALL_PERSONAS:
        user = None if persona == ANONYMOUS else world.people[persona]
        for action in Action:
            pks = set(model.objects.restrict(user, action).values_list("pk", flat=True))
            got = {label for label, obj in world.records[kind].items() if obj.pk in pks}
            want = set(expected(kind, action, persona))
            if got != want:
                problems.append(f"{persona:<14} {action:<7} got {sorted(got)} want {sorted(want)}")
    assert not problems, f"{kind}:\n" + "\n".join(problems)
