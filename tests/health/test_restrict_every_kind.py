"""``restrict(user, action)`` on every health model agrees with the hand-written expectations.

The pages and API are checked by the isolation matrix; this checks the rule
itself, for every persona, action and labelled record, so that a page that
forgets to filter is not the only line of defence.
"""

from __future__ import annotations

import pytest
from django.apps import apps

from accord.core.choices import Action
from accord.core.testing.expectations import expected
from accord.core.testing.isolation import MODEL_OF_KIND
from accord.core.testing.world import ALL_PERSONAS, ANONYMOUS, World

HEALTH_KINDS = sorted(kind for kind, model in MODEL_OF_KIND.items() if model.startswith("health."))


def test_every_health_model_has_a_labelled_kind() -> None:
    covered = {MODEL_OF_KIND[kind] for kind in HEALTH_KINDS}
    models = {
        f"health.{model._meta.model_name}" for model in apps.get_app_config("health").get_models()
    }
    assert covered == models


@pytest.mark.parametrize("kind", HEALTH_KINDS)
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
