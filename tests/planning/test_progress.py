"""Linked success measures read their latest figure; the objectives in force for a month."""

from __future__ import annotations

import datetime as dt
import decimal

from accord.core.testing.health_factories import HealthIndexFactory
from accord.core.testing.performance_factories import (
    PeriodResultFactory,
    ScorecardRunFactory,
    ServiceLevelFactory,
)
from accord.planning import services
from accord.planning.models import LinkedFigure
from accord.planning.progress import figure_for, figures_for, objectives_in_force
from tests.planning.scenario import Scenario


def result(run: object, level: object, period: str, value: float, **extra: object) -> object:
    year, month = (int(part) for part in period.split("-"))
    return PeriodResultFactory(
        run=run,
        service_level=level,
        period=period,
        period_start=dt.date(year, month, 1),
        period_end=dt.date(year + month // 12, month % 12 + 1, 1),
        value=value,
        **extra,
    )


def test_a_linked_service_level_shows_its_latest_whole_level_result(scenario: Scenario) -> None:
    level = scenario.level
    objective = scenario.objective(
        linked_figure=LinkedFigure.SERVICE_LEVEL, service_level=level, target_value=85
    )
    assert figure_for(objective, scenario["b_manager"]) is None  # no scorecard yet

    run = ScorecardRunFactory(contract=scenario.contract)
    result(run, level, "2026-01", 80.0)
    result(run, level, "2026-02", 86.5)
    result(run, level, "2026-03", None)  # no data that month: not a figure
    result(run, level, "2026-02", 10.0, breakdown={"channel": "chat"}, breakdown_label="chat")
    # A newer run that failed is not the scorecard in force.
    failed = ScorecardRunFactory(contract=scenario.contract, status="failed")
    result(failed, level, "2026-04", 1.0)

    figure = figure_for(objective, scenario["p_manager"])
    assert figure is not None
    assert (figure.value, figure.period, figure.met) == (86.5, "2026-02", True)
    assert figure.text == "86.5 % in 2026-02 against a target of at least 85 % (met)"
    assert figure.source == "CSAT Member satisfaction"
    # Nobody outside the relationship reads it.
    assert figure_for(objective, scenario.outsider) is None


def test_lower_is_better_levels_compare_the_other_way(scenario: Scenario) -> None:
    level = ServiceLevelFactory(
        contract=scenario.contract, code="AHT", direction="lower", unit="seconds"
    )
    objective = scenario.objective(
        linked_figure=LinkedFigure.SERVICE_LEVEL, service_level=level, target_value=400
    )
    run = ScorecardRunFactory(contract=scenario.contract)
    result(run, level, "2026-05", 420.0)
    figure = figure_for(objective, scenario["b_exec"])
    assert figure is not None
    assert figure.met is False
    assert figure.text == "420 seconds in 2026-05 against a target of at most 400 seconds (not met)"


def test_a_linked_health_index_shows_the_latest_score(scenario: Scenario) -> None:
    objective = scenario.objective(linked_figure=LinkedFigure.HEALTH_INDEX, target_value=75)
    plain = scenario.objective("Not linked")
    HealthIndexFactory(relationship=scenario.relationship, month=dt.date(2026, 8, 1), score=70)
    HealthIndexFactory(relationship=scenario.relationship, month=dt.date(2026, 9, 1), score=78)
    HealthIndexFactory(relationship=scenario.relationship, month=dt.date(2026, 10, 1), score=None)
    found = figures_for([objective, plain], scenario["b_viewer"])
    assert found[plain.pk] is None
    figure = found[objective.pk]
    assert figure is not None
    assert (figure.value, figure.period, figure.target, figure.met) == (
        78.0,
        "2026-09",
        decimal.Decimal("75.000"),
        True,
    )


def test_objectives_in_force_in_a_month(scenario: Scenario) -> None:
    kept = scenario.objective("Kept")
    dropped = scenario.objective("Dropped")
    services.objective_set_status(objective=dropped, status="dropped", actor=scenario["b_exec"])
    march = dt.date(2026, 3, 1)
    assert list(objectives_in_force(scenario.relationship, march)) == []  # not signed
    services.plan_sign(cycle=scenario.plan, actor=scenario["b_exec"])
    assert list(objectives_in_force(scenario.relationship, march)) == []  # one side only
    services.plan_sign(cycle=scenario.plan, actor=scenario["p_exec"])
    assert list(objectives_in_force(scenario.relationship.pk, march)) == [kept]
    assert list(objectives_in_force(scenario.relationship, dt.date(2025, 12, 1))) == []
    # An edit voids the signatures: nothing is in force until both sign again.
    services.objective_update(objective=kept, actor=scenario["b_manager"], statement="Kept!")
    assert list(objectives_in_force(scenario.relationship, march)) == []


def test_plans_awaiting_an_executives_signature(scenario: Scenario) -> None:
    from accord.planning.progress import plans_awaiting_signature

    assert plans_awaiting_signature(scenario["b_exec"]) == []  # nothing to sign yet
    scenario.objective()
    plan = scenario.refresh()
    assert plans_awaiting_signature(scenario["b_exec"]) == [plan]
    assert plans_awaiting_signature(scenario["p_exec"]) == [plan]
    assert plans_awaiting_signature(scenario["b_manager"]) == []  # managers do not sign plans
    assert plans_awaiting_signature(scenario.outsider) == []
    services.plan_sign(cycle=plan, actor=scenario["b_exec"])
    assert plans_awaiting_signature(scenario["b_exec"]) == []
    assert plans_awaiting_signature(scenario["p_exec"]) == [plan]
