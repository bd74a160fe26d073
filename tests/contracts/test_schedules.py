"""From a schedule document and a contract to the engine's schedule: lines, terms, calendars."""

from __future__ import annotations

import decimal

import pytest

from accord.contracts.models import Contract
from accord.core.testing.performance_factories import SMALL_SCHEDULE
from accord.engine._spec import parse_yaml
from accord.performance import schedules
from tests.contracts.conftest import MINISTRY_YAML

D = decimal.Decimal

NESTED = """\
a: 1
service_levels:
  - code: X
    measure:
      type: share
    expected: 95
  - code: Y
    expected:
      not: scalar
credits:
  allocations:
    X: 50
"""


@pytest.mark.parametrize(
    ("place", "line"),
    [
        ("a", 1),
        ("service_levels", 2),
        ("service_levels[0]", 3),
        ("service_levels[0].measure.type", 5),
        ("service_levels[0].expected", 6),
        ("service_levels[1].expected", 8),
        ("service_levels[1].expected.not", 9),
        ("credits.allocations.X", 12),
        # A place that is not in the text (a required key left out) gets its parent's line.
        ("service_levels[1].name", 7),
        ("service_levels[5]", 2),
        ("credits.earnback", 10),
        ("line 4", 4),
        ("", 1),
    ],
)
def test_line_of_finds_the_line_of_a_place(place: str, line: int) -> None:
    assert schedules.line_of(NESTED, place) == line


def test_line_of_gives_up_quietly_on_text_that_is_not_yaml() -> None:
    assert schedules.line_of("a: [", "a") is None


def test_library_calendars_are_the_shipped_files() -> None:
    assert schedules.library_calendars() == [
        "always-on",
        "bc-public-service",
        "credit-union-contact-centre",
    ]


def with_calendar(spec: str) -> str:
    return SMALL_SCHEDULE.replace(
        "service_levels:", f"calendars:\n  office: {spec}\nservice_levels:", 1
    )


@pytest.mark.parametrize(
    "spec", ["bc-public-service", "../calendars/bc-public-service.yaml", "always-on.yml"]
)
def test_a_calendar_is_named_from_the_library(ministry_contract: Contract, spec: str) -> None:
    document = with_calendar(spec)
    schedule = schedules.build_schedule(ministry_contract, document)
    assert "office" in schedule.calendars


@pytest.mark.parametrize("spec", ["/etc/passwd", "../../settings.py", "elsewhere.yaml"])
def test_a_calendar_outside_the_library_is_refused(ministry_contract: Contract, spec: str) -> None:
    document = with_calendar(spec)
    with pytest.raises(schedules.ScheduleInvalid) as caught:
        schedules.build_schedule(ministry_contract, document)
    (problem,) = caught.value.problems
    assert problem.place == "calendars.office"
    assert problem.line is not None
    assert document.splitlines()[problem.line - 1] == f"  office: {spec}"
    assert "always-on, bc-public-service, credit-union-contact-centre" in problem.message


def test_an_inline_calendar_is_checked_by_the_engine(ministry_contract: Contract) -> None:
    inline = (
        "\n    name: Office\n    timezone: America/Vancouver\n"
        "    hours:\n      mon: ['09:00-17:00']\n"
    )
    schedule = schedules.build_schedule(ministry_contract, with_calendar(inline))
    assert schedule.calendars["office"].name == "Office"
    broken = with_calendar(inline.replace("09:00-17:00", "17:00-09:00"))
    with pytest.raises(schedules.ScheduleInvalid) as caught:
        schedules.build_schedule(ministry_contract, broken)
    (problem,) = caught.value.problems
    assert problem.place == "calendars.office.hours.mon[0]"
    assert problem.line is not None
    assert broken.splitlines()[problem.line - 1] == "      mon: ['17:00-09:00']"


def test_a_document_that_is_not_a_mapping_is_refused(ministry_contract: Contract) -> None:
    with pytest.raises(schedules.ScheduleInvalid) as caught:
        schedules.build_schedule(ministry_contract, "- just\n- a list\n")
    assert caught.value.problems[0].line == 1
    assert "mapping" in caught.value.problems[0].message


def test_engine_document_puts_the_contracts_terms_in(ministry_contract: Contract) -> None:
    document = schedules.engine_document(ministry_contract, SMALL_SCHEDULE)
    assert document["timezone"] == "America/Vancouver"
    assert document["currency"] == "CAD"
    assert document["credits"]["fee_schedule"] == {"2026-01": "1250000", "2026-04": "1287500"}
    assert "monthly_fees" not in document["credits"]
    assert D(document["credits"]["at_risk_percent"]) == D("12")
    assert document["contract"] == "MWS-2026-014 Payroll and HR services"
    # A schedule without a credits section stays without credits.
    no_credits = SMALL_SCHEDULE[: SMALL_SCHEDULE.index("credits:")]
    assert "credits" not in schedules.engine_document(ministry_contract, no_credits)


def test_engine_document_refuses_a_conflicting_term(ministry_contract: Contract) -> None:
    with pytest.raises(schedules.ScheduleInvalid) as caught:
        schedules.engine_document(ministry_contract, "currency: USD\n" + SMALL_SCHEDULE)
    assert [(p.place, p.line) for p in caught.value.problems] == [("currency", 1)]


def test_set_level_fields_changes_and_removes_keys() -> None:
    text = schedules.set_level_fields(MINISTRY_YAML, "HR-P1", {"expected": 97, "minimum": None})
    document = parse_yaml(text)
    assert isinstance(document, dict)
    level = next(lv for lv in document["service_levels"] if lv["code"] == "HR-P1")
    assert level["expected"] == 97
    assert "minimum" not in level
    with pytest.raises(KeyError):
        schedules.set_level_fields(MINISTRY_YAML, "NOPE", {"expected": 1})


def test_set_allocation_and_level_allocation() -> None:
    assert schedules.level_allocation(MINISTRY_YAML, "HR-P2") == D("40")
    assert schedules.level_allocation(MINISTRY_YAML, "PAY-ERR") is None
    text = schedules.set_allocation(MINISTRY_YAML, "HR-P2", D("32.5"))
    assert schedules.level_allocation(text, "HR-P2") == D("32.5")
    text = schedules.set_allocation(text, "HR-P2", None)
    assert schedules.level_allocation(text, "HR-P2") is None
    # Removing from a schedule without credits leaves it as it was.
    no_credits = SMALL_SCHEDULE[: SMALL_SCHEDULE.index("credits:")]
    assert schedules.set_allocation(no_credits, "P1", None) == no_credits
    assert schedules.level_allocation("a: [", "P1") is None


def test_line_problem_reads_as_a_sentence() -> None:
    problem = schedules.LineProblem("service_levels[2].expected", "must be a number", 42)
    assert str(problem) == "line 42: service_levels[2].expected: must be a number"
    assert str(schedules.LineProblem("", "not valid YAML", None)) == "not valid YAML"


def test_a_name_longer_than_the_app_keeps_is_an_error_on_its_line(db: None) -> None:
    from accord.core.testing.performance_factories import SMALL_SCHEDULE, ContractFactory
    from accord.performance.schedules import ScheduleInvalid, build_schedule

    contract = ContractFactory(monthly_fee="100000.00", at_risk_percent="10", pool_percent="200")
    long_name = "Priority 1 " + "very " * 60 + "fast"
    text = SMALL_SCHEDULE.replace("name: Priority 1 resolved within 4 hours", f"name: {long_name}")
    with pytest.raises(ScheduleInvalid) as caught:
        build_schedule(contract, text)
    [problem] = caught.value.problems
    assert problem.place == "service_levels[0].name"
    assert "at most 200" in problem.message
    assert problem.line == text.splitlines().index(f"    name: {long_name}") + 1
