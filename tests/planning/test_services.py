"""The joint plan's rules, through the services: co-signing by executives, versions and
revisions, progress that never voids, side-specific commentary, the year-end review."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from accord.attention.models import Notification, NotificationKind
from accord.core import signing
from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.models import Signature
from accord.core.testing.performance_factories import ServiceLevelFactory
from accord.planning import services
from accord.planning.models import (
    Checkpoint,
    CheckpointStatus,
    LinkedFigure,
    Objective,
    ObjectiveStatus,
    PlanningCycle,
    PlanRevision,
    YearEndDecision,
)
from tests.planning.scenario import Scenario


def kinds_for(person: object) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True)
    )


def cosign(scenario: Scenario) -> PlanningCycle:
    services.plan_sign(cycle=scenario.plan, actor=scenario["b_exec"])
    services.plan_sign(cycle=scenario.plan, actor=scenario["p_exec"])
    return scenario.refresh()


# --------------------------------------------------------------------------- plans


def test_either_side_starts_a_plan_once_a_year(scenario: Scenario) -> None:
    plan = services.plan_create(
        relationship=scenario.relationship, year=2027, actor=scenario["p_manager"]
    )
    assert (plan.title, plan.version, plan.visibility) == ("Joint plan 2027", 1, "joint")
    launch = services.plan_create(
        relationship=scenario.relationship, year=2028, is_launch=True, actor=scenario["b_exec"]
    )
    assert launch.title == "Relationship launch 2028"

    with pytest.raises(ValidationError) as refused:
        services.plan_create(
            relationship=scenario.relationship, year=2026, actor=scenario["b_manager"]
        )
    assert "year" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.plan_create(
            relationship=scenario.relationship, year=2029, actor=scenario["b_viewer"]
        )
    with pytest.raises(NotFound):
        services.plan_create(relationship=scenario.relationship, year=2029, actor=scenario.outsider)
    assert PlanningCycle.objects.count() == 3


# --------------------------------------------------------------------------- signing


def test_only_executives_sign_and_both_sides_on_one_version_put_it_in_force(
    scenario: Scenario,
) -> None:
    scenario.objective()
    plan = scenario.refresh()
    with pytest.raises(PermissionDenied, match="Only an executive"):
        services.plan_sign(cycle=plan, actor=scenario["b_manager"])
    with pytest.raises(PermissionDenied):
        services.plan_sign(cycle=plan, actor=scenario["p_manager"])
    with pytest.raises(NotFound):
        services.plan_sign(cycle=plan, actor=scenario.outsider)
    assert not Signature.objects.exists()

    services.plan_sign(cycle=plan, actor=scenario["b_exec"])
    assert not services.is_in_force(scenario.refresh())
    # The other side's executive is asked to sign; nobody else is.
    assert kinds_for(scenario["p_exec"]) == [NotificationKind.SIGNATURE_REQUESTED]
    assert kinds_for(scenario["p_manager"]) == []
    with pytest.raises(ValidationError, match="already signed"):
        services.plan_sign(cycle=plan, actor=scenario["b_exec"])

    services.plan_sign(cycle=plan, actor=scenario["p_exec"])
    plan = scenario.refresh()
    assert services.is_in_force(plan)
    assert [(s.side, s.signer.username, s.version) for s in signing.signatures(plan)] == [
        ("buyer", "b_exec", plan.version),
        ("provider", "p_exec", plan.version),
    ]


def test_a_plan_without_objectives_cannot_be_signed(scenario: Scenario) -> None:
    with pytest.raises(ValidationError, match="no objectives"):
        services.plan_sign(cycle=scenario.plan, actor=scenario["b_exec"])


def test_editing_a_signed_plan_voids_the_signatures_and_says_what_changed(
    scenario: Scenario,
) -> None:
    scenario.objective()
    plan = cosign(scenario)
    signed_version = plan.version
    Notification.objects.all().delete()

    services.plan_update(cycle=plan, actor=scenario["b_manager"], buyer_drivers="Cost cuts")
    plan = scenario.refresh()
    assert plan.version == signed_version + 1
    assert not services.is_in_force(plan)
    assert signing.signed_sides(plan) == set()
    # The old signatures stay as history.
    assert Signature.objects.filter(version=signed_version).count() == 2
    revision = PlanRevision.objects.get()
    assert (revision.from_version, revision.to_version) == (signed_version, plan.version)
    assert revision.voided_sides == ["buyer", "provider"]
    assert revision.edited_by == scenario["b_manager"]
    assert revision.changes == [
        {"what": "Plan", "field": "Buyer drivers", "before": "Member growth", "after": "Cost cuts"}
    ]
    # Both sides' executives are told; the editor is not.
    for executive in ("b_exec", "p_exec"):
        assert kinds_for(scenario[executive]) == [NotificationKind.SIGNATURES_VOIDED]
    assert kinds_for(scenario["b_manager"]) == []

    # An edit of an unsigned version bumps it without a revision; no change changes nothing.
    services.plan_update(cycle=plan, actor=scenario["b_manager"], title="Plan 2026")
    services.plan_update(cycle=plan, actor=scenario["b_manager"], title="Plan 2026")
    assert scenario.refresh().version == signed_version + 2
    assert PlanRevision.objects.count() == 1


def test_objective_definition_is_plan_content(scenario: Scenario) -> None:
    objective = scenario.objective()
    cosign(scenario)
    services.objective_update(
        objective=objective, actor=scenario["p_manager"], target_date=dt.date(2026, 9, 30)
    )
    revision = PlanRevision.objects.get()
    assert revision.changes == [
        {
            "what": "Objective “Cut repeat calls by a third”",
            "field": "Target date",
            "before": "2026-12-31",
            "after": "2026-09-30",
        }
    ]

    cosign(scenario)
    services.objective_update(
        objective=objective, actor=scenario["b_manager"], provider_owner=scenario["p_exec"]
    )
    change = PlanRevision.objects.order_by("-pk").first().changes[0]  # type: ignore[union-attr]
    assert (change["field"], change["after"]) == ("Provider owner", "Exec Provider (p_exec)")

    cosign(scenario)
    added = scenario.objective("Launch weekend chat")
    assert PlanRevision.objects.order_by("-pk").first().changes[0]["after"] == "added"  # type: ignore[union-attr]
    cosign(scenario)
    services.objective_delete(objective=added, actor=scenario["b_manager"])
    assert PlanRevision.objects.order_by("-pk").first().changes[0]["after"] == "removed"  # type: ignore[union-attr]
    assert not services.is_in_force(scenario.refresh())
    assert PlanRevision.objects.count() == 4


def test_progress_never_voids_the_signatures(scenario: Scenario) -> None:
    objective = scenario.objective()
    plan = cosign(scenario)
    checkpoint = objective.checkpoints.first()
    assert checkpoint is not None
    services.checkpoint_update(
        checkpoint=checkpoint, actor=scenario["b_contributor"], status="at_risk", commentary="Hm"
    )
    services.checkpoint_update(checkpoint=checkpoint, actor=scenario["p_manager"], commentary="Ok")
    services.objective_set_status(objective=objective, status="on_track", actor=scenario["b_exec"])
    after = scenario.refresh()
    assert after.version == plan.version
    assert services.is_in_force(after)
    assert not PlanRevision.objects.exists()


def test_each_side_writes_its_own_commentary(scenario: Scenario) -> None:
    objective = scenario.objective()
    checkpoint = objective.checkpoints.first()
    assert checkpoint is not None
    services.checkpoint_update(
        checkpoint=checkpoint, actor=scenario["b_manager"], commentary="  Our view  "
    )
    services.checkpoint_update(
        checkpoint=checkpoint, actor=scenario["p_exec"], commentary="Their view"
    )
    checkpoint.refresh_from_db()
    assert (checkpoint.buyer_commentary, checkpoint.provider_commentary) == (
        "Our view",
        "Their view",
    )
    assert checkpoint.status == CheckpointStatus.NOT_ASSESSED
    with pytest.raises(PermissionDenied):
        services.checkpoint_update(
            checkpoint=checkpoint, actor=scenario["b_viewer"], commentary="Viewer"
        )
    with pytest.raises(NotFound):
        services.checkpoint_update(checkpoint=checkpoint, actor=scenario.outsider, commentary="x")
    with pytest.raises(ValidationError):
        services.checkpoint_update(checkpoint=checkpoint, actor=scenario["b_exec"], status="bad")


def test_assessing_the_latest_checkpoint_sets_the_objective_status(scenario: Scenario) -> None:
    objective = scenario.objective()
    q1, q2, q3, q4 = objective.checkpoints.order_by("due_date")
    actor = scenario["b_manager"]

    def status() -> str:
        objective.refresh_from_db()
        return objective.status

    assert status() == ObjectiveStatus.NOT_STARTED
    services.checkpoint_update(checkpoint=q1, actor=actor, status="at_risk")
    assert (status(), Checkpoint.objects.get(pk=q1.pk).assessed_at is not None) == (
        "at_risk",
        True,
    )
    services.checkpoint_update(checkpoint=q2, actor=actor, status="on_track")
    assert status() == "on_track"
    # Re-assessing an earlier checkpoint does not override the latest one.
    services.checkpoint_update(checkpoint=q1, actor=actor, status="off_track")
    assert status() == "on_track"
    services.checkpoint_update(checkpoint=q3, actor=actor, status="achieved")
    assert status() == "achieved"
    # Achieved (or dropped) stays so whatever a later checkpoint says.
    services.checkpoint_update(checkpoint=q4, actor=actor, status="off_track")
    assert status() == "achieved"
    services.objective_set_status(objective=objective, status="dropped", actor=actor)
    services.checkpoint_update(checkpoint=q4, actor=actor, status="at_risk")
    assert status() == "dropped"


def test_quarterly_checkpoints_up_to_the_target_date(scenario: Scenario) -> None:
    objective = scenario.objective(target_date=dt.date(2026, 8, 15))
    assert [(c.label, c.due_date.isoformat()) for c in objective.checkpoints.all()] == [
        ("Q1 2026", "2026-03-31"),
        ("Q2 2026", "2026-06-30"),
        ("Q3 2026", "2026-08-15"),
    ]
    later = scenario.objective("Next year", target_date=dt.date(2027, 6, 30))
    assert later.checkpoints.count() == 4
    none = services.objective_add(
        cycle=scenario.plan,
        actor=scenario["b_manager"],
        checkpoints=False,
        statement="No checkpoints",
        success_measure="Judged at year end",
        buyer_owner=scenario["b_manager"],
        provider_owner=scenario["p_manager"],
        target_date=dt.date(2026, 12, 31),
    )
    assert none.checkpoints.count() == 0
    assert [o.position for o in Objective.objects.order_by("position")] == [1, 2, 3]


def test_an_objective_definition_is_validated_field_by_field(scenario: Scenario) -> None:
    def errors(**values: object) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as caught:
            scenario.objective(**values)
        return caught.value.message_dict

    assert set(errors(buyer_owner=scenario["p_manager"])) == {"buyer_owner"}
    assert set(errors(provider_owner=scenario.outsider)) == {"provider_owner"}
    other_level = ServiceLevelFactory()
    assert "service_level" in errors(
        linked_figure=LinkedFigure.SERVICE_LEVEL, service_level=other_level, target_value=90
    )
    assert "service_level" in errors(linked_figure=LinkedFigure.SERVICE_LEVEL, target_value=90)
    assert "target_value" in errors(
        linked_figure=LinkedFigure.SERVICE_LEVEL, service_level=scenario.level
    )
    assert "target_date" in errors(target_date=dt.date(2025, 12, 31))
    assert "target_date" in errors(target_date="not a date")
    assert set(errors(statement=" ", success_measure="")) == {"statement", "success_measure"}
    assert not Objective.objects.exists()
    assert scenario.refresh().version == 1  # a failed request changes nothing

    linked = scenario.objective(
        linked_figure=LinkedFigure.SERVICE_LEVEL,
        service_level=scenario.level,
        target_value=decimal.Decimal("85"),
    )
    assert linked.service_level == scenario.level


def test_a_contributor_adds_but_only_managers_and_executives_delete(scenario: Scenario) -> None:
    objective = scenario.objective()
    with pytest.raises(PermissionDenied):
        services.objective_delete(objective=objective, actor=scenario["b_contributor"])
    with pytest.raises(PermissionDenied):
        services.objective_add(
            cycle=scenario.plan,
            actor=scenario["b_viewer"],
            statement="x",
            success_measure="y",
            buyer_owner=scenario["b_manager"],
            provider_owner=scenario["p_manager"],
            target_date=dt.date(2026, 12, 31),
        )
    services.objective_update(
        objective=objective, actor=scenario["b_contributor"], statement="Restated"
    )
    services.objective_delete(objective=objective, actor=scenario["p_manager"])
    assert not Objective.objects.exists()
    assert not Checkpoint.objects.exists()


# --------------------------------------------------------------------------- year end


def test_year_end_needs_a_decision_for_every_unfinished_objective(scenario: Scenario) -> None:
    done = scenario.objective("Done")
    services.objective_set_status(objective=done, status="achieved", actor=scenario["b_exec"])
    carried = scenario.objective("Carried", focus="efficiency", target_date=dt.date(2026, 6, 30))
    closed = scenario.objective("Closed")
    cosign(scenario)

    with pytest.raises(ValidationError) as missing:
        services.year_end_review(
            cycle=scenario.plan, decisions={carried: "carry"}, actor=scenario["b_manager"]
        )
    assert set(missing.value.message_dict) == {f"objective_{closed.pk}"}
    with pytest.raises(ValidationError) as wrong:
        services.year_end_review(
            cycle=scenario.plan,
            decisions={carried.pk: "carry", closed.pk: "maybe", done.pk: "close"},
            actor=scenario["b_manager"],
        )
    assert set(wrong.value.message_dict) == {f"objective_{closed.pk}", "decisions"}
    with pytest.raises(PermissionDenied):
        services.year_end_review(
            cycle=scenario.plan,
            decisions={carried.pk: "carry", closed.pk: "close"},
            actor=scenario["b_viewer"],
        )
    assert not PlanningCycle.objects.filter(year=2027).exists()

    services.year_end_review(
        cycle=scenario.plan,
        decisions={str(carried.pk): "carry", closed.pk: "close"},
        notes={carried.pk: "Half done"},
        actor=scenario["b_manager"],
    )
    plan = scenario.refresh()
    assert plan.reviewed_by == scenario["b_manager"]
    assert plan.reviewed_at is not None
    assert services.is_in_force(plan)  # the review is not a content change
    decisions = dict(
        Objective.objects.filter(cycle=plan).values_list("statement", "year_end_decision")
    )
    assert decisions == {
        "Done": "",
        "Carried": YearEndDecision.CARRIED_FORWARD,
        "Closed": YearEndDecision.CLOSED,
    }
    following = PlanningCycle.objects.get(relationship=scenario.relationship, year=2027)
    assert not signing.signed_sides(following)
    copy = following.objectives.get()
    assert copy.carried_from == carried
    assert (copy.statement, copy.focus, copy.status, copy.target_date) == (
        "Carried",
        "efficiency",
        ObjectiveStatus.NOT_STARTED,
        dt.date(2027, 6, 30),
    )
    assert [c.label for c in copy.checkpoints.all()] == ["Q1 2027", "Q2 2027"]
    with pytest.raises(ValidationError, match="was done"):
        services.year_end_review(cycle=plan, decisions={}, actor=scenario["b_manager"])


def test_carrying_into_a_signed_plan_voids_its_signatures(scenario: Scenario) -> None:
    carried = scenario.objective("Carried")
    following = services.plan_create(
        relationship=scenario.relationship, year=2027, actor=scenario["b_manager"]
    )
    services.objective_add(
        cycle=following,
        actor=scenario["b_manager"],
        statement="Already there",
        success_measure="y",
        buyer_owner=scenario["b_manager"],
        provider_owner=scenario["p_manager"],
        target_date=dt.date(2027, 12, 31),
    )
    services.plan_sign(cycle=following, actor=scenario["b_exec"])
    services.year_end_review(
        cycle=scenario.plan, decisions={carried.pk: "carry"}, actor=scenario["b_exec"]
    )
    following.refresh_from_db()
    assert following.objectives.count() == 2
    revision = PlanRevision.objects.get(cycle=following)
    assert revision.voided_sides == ["buyer"]
    assert revision.changes[0]["what"] == "Objective “Carried”"
