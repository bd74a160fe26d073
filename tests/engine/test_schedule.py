"""Contract schedules: the YAML document, and validation errors that name their place."""

from __future__ import annotations

import copy
import decimal
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.engine.calendars import BusinessCalendar
from accord.engine.errors import SpecError
from accord.engine.expressions import Expression
from accord.engine.schedule import Measure, Schedule, ServiceLevel, Source

MEASURE_TYPES = "share, within, mean, percentile, ratio, count, sum, top_box"
EXAMPLE_CALENDAR = Path(__file__).parents[2] / "examples" / "calendars" / "bc-public-service.yaml"

SCHEDULE_YAML = """\
contract: Payroll and contact centre services 2026
buyer: Ministry of Finance
provider: Northwind Services
description: Schedule 3, service levels.
timezone: America/Vancouver
currency: CAD
calendars:
  office: calendars/bc-public-service.yaml   # a file, relative to the schedule
  always:
    timezone: America/Vancouver
    hours: 24x7
sources:
  calls:
    description: Contact-centre interactions.
    columns:
      call_id: string
      offered_at: timestamp
      answered_at: timestamp
      wait_seconds: integer
      handle_seconds: float
      channel: string
      abandoned: boolean
      csat: integer
      queue name: string
    time_column: offered_at
  tickets:
    columns:
      number: string
      opened_at: timestamp
      resolved_at: timestamp
      priority: string
      reopened: boolean
      effort_hours: float
      survey: string
    time_column: opened_at
service_levels:
  - code: CC-1
    name: Calls answered within 20 seconds
    description: The speed of answer.
    kind: critical
    source: calls
    filter: channel = 'voice'
    measure:
      type: share
      condition: wait_seconds <= 20s
      exclude: abandoned AND wait_seconds < 5s
    expected: 80
    minimum: 70
    minimum_volume: 100
    breakdown: ["queue name", channel]
  - code: TK-1
    name: Priority 1 tickets resolved within 4 business hours
    kind: critical
    source: tickets
    calendar: office
    filter: priority = '1 - Critical'
    measure:
      type: within
      start: opened_at
      end: resolved_at
      limit: 4 business hours
      unresolved: excluded
    expected: 95.5
    minimum: 90
    period: quarter
  - code: CC-2
    name: Average handle time
    kind: key
    source: calls
    measure: {type: mean, expression: handle_seconds / 60}
    unit: minutes
    direction: lower
    expected: 6
    minimum: 8
    period: week
  - code: TK-2
    name: 90th percentile of resolution time
    kind: key
    source: tickets
    calendar: always
    measure:
      type: percentile
      expression: business_seconds(opened_at, resolved_at) / 3600
      percentile: 90
    unit: hours
    direction: lower
    expected: 8
  - code: TK-3
    name: Reopened share of effort
    kind: key
    source: tickets
    measure:
      type: ratio
      numerator: "coalesce(effort_hours, 0) * 2"
      denominator: effort_hours
    unit: ratio
    expected: 0.5
  - code: TK-4
    name: Reopened tickets
    kind: key
    source: tickets
    measure: {type: count, condition: reopened}
    unit: count
    direction: lower
    expected: 10
  - code: CC-3
    name: Abandoned calls
    kind: key
    source: calls
    measure: {type: count}
    unit: count
    expected: 0
  - code: TK-5
    name: Effort
    kind: key
    source: tickets
    measure: {type: sum, expression: effort_hours}
    unit: hours
    expected: 1_000
  - code: CC-4
    name: Satisfied callers
    kind: key
    source: calls
    measure: {type: top_box, expression: csat, top: [4, 5]}
    expected: 85
  - code: TK-6
    name: Satisfied ticket owners
    kind: key
    source: tickets
    measure: {type: top_box, expression: lower(survey), top: [satisfied, very satisfied]}
    unit: percent
    expected: "85.5"
  - code: TK-7
    name: Tickets resolved within 2 days
    kind: critical
    source: tickets
    measure:
      type: within
      start: opened_at
      end: coalesce(resolved_at, opened_at)
      limit: 2 days
      exclude: reopened
    expected: 99
"""


def document() -> dict[str, Any]:
    """The valid schedule as parsed YAML, a fresh copy to change."""
    data = yaml.safe_load(SCHEDULE_YAML)
    data["calendars"]["office"] = str(EXAMPLE_CALENDAR)
    return copy.deepcopy(data)


def problems(data: object) -> list[str]:
    """Every problem ``from_dict`` reports, as ``place: message`` lines."""
    with pytest.raises(SpecError) as caught:
        Schedule.from_dict(data)
    return [str(problem) for problem in caught.value.problems]


def level(data: dict[str, Any], code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(spec for spec in data["service_levels"] if spec["code"] == code)
    return found


@pytest.fixture
def schedule_file(tmp_path: Path) -> Path:
    """The schedule written to a folder, with the calendar file beside it."""
    (tmp_path / "calendars").mkdir()
    shutil.copy(EXAMPLE_CALENDAR, tmp_path / "calendars" / "bc-public-service.yaml")
    path = tmp_path / "schedule.yaml"
    path.write_text(SCHEDULE_YAML, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- a valid schedule


def test_a_complete_schedule(schedule_file: Path) -> None:
    schedule = Schedule.from_file(schedule_file)
    assert schedule.contract == "Payroll and contact centre services 2026"
    assert schedule.timezone == "America/Vancouver"
    assert schedule.currency == "CAD"
    assert schedule.credits is None
    assert schedule.path == schedule_file
    assert [sl.code for sl in schedule.service_levels] == [
        "CC-1",
        "TK-1",
        "CC-2",
        "TK-2",
        "TK-3",
        "TK-4",
        "CC-3",
        "TK-5",
        "CC-4",
        "TK-6",
        "TK-7",
    ]
    assert schedule.sources["calls"] == Source(
        "calls",
        {
            "call_id": "string",
            "offered_at": "timestamp",
            "answered_at": "timestamp",
            "wait_seconds": "integer",
            "handle_seconds": "float",
            "channel": "string",
            "abandoned": "boolean",
            "csat": "integer",
            "queue name": "string",
        },
        "offered_at",
    )
    assert schedule.sources["tickets"].time_column == "opened_at"
    assert list(schedule.sources) == ["calls", "tickets"]


def test_calendars_inline_and_from_a_file_relative_to_the_schedule(schedule_file: Path) -> None:
    schedule = Schedule.from_file(schedule_file)
    office = schedule.calendars["office"]
    assert isinstance(office, BusinessCalendar)
    assert office.name == "BC public service office hours"
    assert office.timezone == "America/Vancouver"
    assert office.business_day_seconds == 8 * 3600
    assert office.to_dict() == BusinessCalendar.from_file(EXAMPLE_CALENDAR).to_dict()
    always = schedule.calendars["always"]
    assert always.to_dict() == {"timezone": "America/Vancouver", "hours": "24x7"}
    assert always.business_day_seconds == 24 * 3600


def test_a_file_and_its_dict_give_the_same_schedule(schedule_file: Path) -> None:
    from_file = Schedule.from_file(schedule_file)
    from_dict = Schedule.from_dict(document())
    assert from_dict.path is None
    assert from_file.service_levels == from_dict.service_levels
    assert from_file.sources == from_dict.sources
    # Calendar files are found relative to ``base``.
    data = yaml.safe_load(SCHEDULE_YAML)
    based = Schedule.from_dict(data, base=schedule_file.parent)
    assert based.calendars["office"].name == "BC public service office hours"


def test_a_service_level_with_every_key() -> None:
    sl = Schedule.from_dict(document()).level("CC-1")
    assert sl == ServiceLevel(
        code="CC-1",
        name="Calls answered within 20 seconds",
        kind="critical",
        source="calls",
        measure=Measure(
            type="share",
            condition=Expression.parse("wait_seconds <= 20s"),
            exclude=Expression.parse("abandoned AND wait_seconds < 5s"),
        ),
        unit="percent",
        direction="higher",
        expected=decimal.Decimal(80),
        minimum=decimal.Decimal(70),
        minimum_volume=100,
        period="month",
        filter=Expression.parse("channel = 'voice'"),
        breakdown=("queue name", "channel"),
        calendar=None,
        place="service_levels[0]",
    )
    assert sl.is_share


def test_defaults() -> None:
    data = document()
    del data["currency"]
    schedule = Schedule.from_dict(data)
    assert schedule.currency == "USD"
    sl = schedule.level("CC-3")
    assert (sl.direction, sl.period, sl.minimum, sl.minimum_volume) == ("higher", "month", None, 0)
    assert (sl.filter, sl.breakdown, sl.calendar) == (None, (), None)
    assert sl.place == "service_levels[6]"
    with pytest.raises(KeyError):
        schedule.level("NOPE")


def test_every_measure_type() -> None:
    schedule = Schedule.from_dict(document())
    parse = Expression.parse
    assert schedule.level("TK-1").measure == Measure(
        type="within",
        start=parse("opened_at"),
        end=parse("resolved_at"),
        limit=parse("4 business hours"),
        unresolved="excluded",
    )
    assert schedule.level("TK-7").measure == Measure(
        type="within",
        start=parse("opened_at"),
        end=parse("coalesce(resolved_at, opened_at)"),
        limit=parse("2 days"),
        exclude=parse("reopened"),
        unresolved="missed",
    )
    assert schedule.level("CC-2").measure == Measure(
        type="mean", expression=parse("handle_seconds / 60")
    )
    assert schedule.level("TK-2").measure == Measure(
        type="percentile",
        expression=parse("business_seconds(opened_at, resolved_at) / 3600"),
        percentile=90.0,
    )
    assert schedule.level("TK-3").measure == Measure(
        type="ratio",
        numerator=parse("coalesce(effort_hours, 0) * 2"),
        denominator=parse("effort_hours"),
    )
    assert schedule.level("TK-4").measure == Measure(type="count", condition=parse("reopened"))
    assert schedule.level("CC-3").measure == Measure(type="count")
    assert schedule.level("TK-5").measure == Measure(type="sum", expression=parse("effort_hours"))
    assert schedule.level("CC-4").measure == Measure(
        type="top_box", expression=parse("csat"), top=(4, 5)
    )
    assert schedule.level("TK-6").measure == Measure(
        type="top_box", expression=parse("lower(survey)"), top=("satisfied", "very satisfied")
    )


def test_units_targets_and_periods() -> None:
    schedule = Schedule.from_dict(document())
    tk1 = schedule.level("TK-1")
    assert (tk1.unit, tk1.expected, tk1.minimum) == (
        "percent",
        decimal.Decimal("95.5"),
        decimal.Decimal(90),
    )
    assert (tk1.period, tk1.calendar, tk1.is_share) == ("quarter", "office", True)
    cc2 = schedule.level("CC-2")
    assert (cc2.unit, cc2.direction, cc2.period, cc2.is_share) == (
        "minutes",
        "lower",
        "week",
        False,
    )
    assert schedule.level("TK-5").expected == decimal.Decimal(1000)
    assert schedule.level("TK-6").expected == decimal.Decimal("85.5")
    assert schedule.level("TK-3").expected == decimal.Decimal("0.5")
    assert schedule.level("CC-4").unit == "percent"
    assert schedule.level("TK-4").kind == "key"


def test_numbers_written_as_yaml_numbers_are_expressions() -> None:
    data = document()
    level(data, "CC-2")["measure"]["expression"] = 42
    level(data, "TK-5")["measure"]["expression"] = 1.5
    schedule = Schedule.from_dict(data)
    assert schedule.level("CC-2").measure.expression == Expression.parse("42")
    assert schedule.level("TK-5").measure.expression == Expression.parse("1.5")


def test_a_schedule_without_credits_is_valid() -> None:
    data = document()
    assert "credits" not in data
    assert Schedule.from_dict(data).credits is None
    data["credits"] = None
    assert Schedule.from_dict(data).credits is None


def test_the_smallest_schedule() -> None:
    schedule = Schedule.from_dict(
        {
            "contract": "C",
            "timezone": "UTC",
            "sources": {"s": {"columns": {"t": "timestamp"}, "time_column": "t"}},
            "service_levels": [
                {
                    "code": "A",
                    "name": "Rows",
                    "kind": "key",
                    "source": "s",
                    "measure": {"type": "count"},
                    "unit": "count",
                    "expected": 1,
                }
            ],
        }
    )
    assert schedule.calendars == {}
    assert schedule.level("A").measure == Measure(type="count")


# --------------------------------------------------------------------------- the document


def test_not_a_mapping() -> None:
    assert problems(["a"]) == ["expected a mapping, got a list"]
    assert problems(None) == ["expected a mapping, got nothing"]


def test_missing_sections() -> None:
    assert problems({}) == [
        "contract: is required",
        "timezone: is required",
        "sources: is required: a mapping of source names to columns",
        "service_levels: is required: a list of service levels",
    ]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("contract", "contract: is required"),
        ("timezone", "timezone: is required"),
        ("sources", "sources: is required: a mapping of source names to columns"),
    ],
)
def test_a_missing_required_key(key: str, expected: str) -> None:
    data = document()
    del data[key]
    found = problems(data)
    assert found[0] == expected
    if key == "sources":
        # Without sources every service level names an undeclared source.
        assert "service_levels[0].source: 'calls' is not a declared source (none declared)" in found


def test_missing_or_empty_service_levels() -> None:
    data = document()
    del data["service_levels"]
    assert problems(data) == ["service_levels: is required: a list of service levels"]
    data["service_levels"] = []
    assert problems(data) == ["service_levels: is required: a list of service levels"]
    data["service_levels"] = {"CC-1": {}}
    assert problems(data) == ["service_levels: is required: a list of service levels"]


def test_top_level_values() -> None:
    data = document()
    data["contract"] = "  "
    data["timezone"] = "Mars/Olympus"
    data["currency"] = 5
    assert problems(data) == [
        "contract: must be text, got '  '",
        "currency: must be text, got 5 (int)",
        "timezone: 'Mars/Olympus' is not a time zone",
    ]


def test_unknown_keys_everywhere() -> None:
    data = document()
    data["colour"] = "blue"
    data["sources"]["calls"]["format"] = "csv"
    level(data, "CC-1")["target"] = 80
    level(data, "CC-1")["measure"]["percentile"] = 90
    data["calendars"]["always"]["days"] = "all"
    # A calendar or source with problems is reported once, where it is declared,
    # not again by the service levels that name it.
    assert problems(data) == [
        "colour: unknown key (expected one of: buyer, calendars, contract, credits, currency, "
        "description, provider, service_levels, sources, timezone)",
        "calendars.always.days: unknown key (expected one of: description, holidays, hours, "
        "name, timezone)",
        "sources.calls.format: unknown key (expected one of: columns, description, time_column)",
        "service_levels[0].target: unknown key (expected one of: breakdown, calendar, code, "
        "description, direction, expected, filter, kind, measure, minimum, minimum_volume, "
        "name, period, source, unit)",
        "service_levels[0].measure.percentile: unknown key (expected one of: condition, "
        "exclude, type)",
    ]


# --------------------------------------------------------------------------- sources


def test_source_problems() -> None:
    data = document()
    data["sources"] = {
        "calls": data["sources"]["calls"],
        "tickets": data["sources"]["tickets"],
        "bad name": {"columns": {"a": "timestamp"}, "time_column": "a"},
        "empty": {"columns": {}, "time_column": "a"},
        "typed": {"columns": {"a": "timestamp", "b": "int", "c": None}, "time_column": "a"},
        "undated": {"columns": {"a": "timestamp"}},
        "listed": ["a"],
    }
    assert problems(data) == [
        "sources.bad name: a source name is letters, digits and _",
        "sources.empty.columns: is required: column names and types",
        "sources.typed.columns.b: unknown type 'int' "
        "(use one of: string, integer, float, boolean, timestamp)",
        "sources.typed.columns.c: unknown type nothing "
        "(use one of: string, integer, float, boolean, timestamp)",
        "sources.undated.time_column: is required: the timestamp that dates a row",
        "sources.listed: expected a mapping, got a list",
    ]


@pytest.mark.parametrize("time_column", ["channel", "nope"])
def test_the_time_column_must_be_a_declared_timestamp(time_column: str) -> None:
    data = document()
    data["sources"]["calls"]["time_column"] = time_column
    # Reported once: the service levels on the source do not add that it is unknown.
    assert problems(data) == [
        f"sources.calls.time_column: {time_column!r} is not a declared timestamp column"
    ]


def test_a_level_on_an_invalid_source_still_reports_its_own_problems() -> None:
    data = document()
    data["sources"]["tickets"]["columns"]["effort_hours"] = "decimal"
    level(data, "TK-1")["expected"] = 120
    level(data, "TK-4")["measure"]["condition"] = "nope"  # not checked: the columns are unsure
    assert problems(data) == [
        "sources.tickets.columns.effort_hours: unknown type 'decimal' "
        "(use one of: string, integer, float, boolean, timestamp)",
        "service_levels[1].expected: must be between 0 and 100",
    ]


def test_an_unknown_key_in_a_source_does_not_stop_checking_its_levels() -> None:
    data = document()
    data["sources"]["calls"]["format"] = "csv"
    level(data, "CC-1")["filter"] = "nope"
    assert problems(data) == [
        "sources.calls.format: unknown key (expected one of: columns, description, time_column)",
        "service_levels[0].filter: unknown column 'nope' (at character 1) in 'nope'",
    ]


def test_sources_must_be_a_mapping() -> None:
    data = document()
    data["sources"] = ["calls"]
    assert problems(data)[0] == "sources: is required: a mapping of source names to columns"


# --------------------------------------------------------------------------- calendars


def test_unknown_calendar() -> None:
    data = document()
    level(data, "TK-1")["calendar"] = "head_office"
    assert problems(data) == [
        "service_levels[1].calendar: 'head_office' is not a declared calendar (office, always)"
    ]


def test_calendar_problems_name_their_place() -> None:
    data = document()
    data["calendars"] = {
        "office": "nowhere.yaml",
        "inline": {"timezone": "America/Vancouver", "hours": {"mon": ["17:00-09:00"]}},
        "bad-name": {"timezone": "UTC", "hours": "24x7"},
        "empty": None,
    }
    assert problems(data) == [
        "calendars.office: in nowhere.yaml: cannot read the file: No such file or directory",
        'calendars.inline.hours.mon[0]: "17:00-09:00" is not a valid window (expected '
        '"HH:MM-HH:MM" with 00:00 <= start < end <= 24:00; split a window that crosses '
        "midnight over two days)",
        "calendars.bad-name: a calendar name is letters, digits and _",
        "calendars.empty: expected a mapping, got nothing",
        # TK-2 names "always", which is not declared at all.
        "service_levels[3].calendar: 'always' is not a declared calendar (none declared)",
    ]


def test_a_level_on_an_invalid_calendar_reports_nothing_more() -> None:
    data = document()
    data["calendars"]["office"] = {"timezone": "America/Vancuver", "hours": "24x7"}
    found = problems(data)
    assert len(found) == 1
    assert found[0].startswith(
        "calendars.office.timezone: 'America/Vancuver' is not a time zone in the tz database"
    )


def test_a_calendar_file_with_problems(tmp_path: Path) -> None:
    (tmp_path / "cal.yaml").write_text("timezone: UTC\nhours: {funday: ['09:00-17:00']}\n")
    data = document()
    data["calendars"]["office"] = "cal.yaml"
    with pytest.raises(SpecError) as caught:
        Schedule.from_dict(data, base=tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "calendars.office: in cal.yaml: hours.funday: unknown day "
        "(use mon, tue, wed, thu, fri, sat, sun)"
    ]


def test_calendars_must_be_a_mapping() -> None:
    data = document()
    data["calendars"] = ["office"]
    found = problems(data)
    assert found[0] == "calendars: expected a mapping of names, got a list"


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("limit", "4 business hours"),
        ("limit", "2 business days"),
        ("expression", "business_seconds(opened_at, resolved_at)"),
    ],
)
def test_business_time_needs_the_service_levels_calendar(where: str, text: str) -> None:
    data = document()
    spec = level(data, "TK-1")
    del spec["calendar"]
    if where == "limit":
        spec["measure"]["limit"] = text
        place = "service_levels[1].measure.limit"
        message = "business durations need the service level's calendar (add calendar: NAME)"
        position = 0
    else:
        spec["measure"] = {"type": "mean", "expression": text}
        spec["unit"] = "seconds"
        place = "service_levels[1].measure.expression"
        message = "business_seconds() needs the service level's calendar (add calendar: NAME)"
        position = 0
    assert problems(data) == [f"{place}: {message} (at character {position + 1}) in {text!r}"]


# --------------------------------------------------------------------------- service levels


def test_unknown_source() -> None:
    data = document()
    level(data, "CC-1")["source"] = "emails"
    level(data, "TK-1")["source"] = None
    assert problems(data) == [
        "service_levels[0].source: 'emails' is not a declared source (calls, tickets)",
        "service_levels[1].source: nothing is not a declared source (calls, tickets)",
    ]


def test_an_unknown_column_in_a_condition_is_rejected_before_any_data_is_read() -> None:
    data = document()
    level(data, "CC-1")["measure"]["condition"] = "wait_secs <= 20s"
    level(data, "CC-1")["filter"] = "channel = 'voice' AND queue = 'a'"
    assert problems(data) == [
        "service_levels[0].measure.condition: unknown column 'wait_secs' (at character 1) "
        "in 'wait_secs <= 20s'",
        "service_levels[0].filter: unknown column 'queue' (at character 23) "
        "in \"channel = 'voice' AND queue = 'a'\"",
    ]


def test_a_column_of_the_other_source_is_unknown() -> None:
    data = document()
    level(data, "CC-1")["measure"]["condition"] = "reopened"
    assert problems(data) == [
        "service_levels[0].measure.condition: unknown column 'reopened' (at character 1) "
        "in 'reopened'"
    ]


@pytest.mark.parametrize(
    ("code", "key", "text", "message"),
    [
        ("CC-1", "condition", "wait_seconds", "expected a condition (true/false), not number"),
        (
            "CC-1",
            "condition",
            "wait_seconds <= ",
            "expected a value, found the end (at character 17)",
        ),
        ("CC-2", "expression", "channel", "expected a number, not text"),
        ("CC-2", "expression", "wait_seconds > 1", "expected a number, not boolean"),
        ("TK-1", "start", "priority", "expected a timestamp, not text"),
        ("TK-1", "end", "1h", "expected a timestamp, not elapsed time"),
        ("TK-1", "limit", "resolved_at", "expected a number, not timestamp"),
        ("TK-4", "condition", "1; DROP TABLE t", "unexpected character ';' (at character 2)"),
        (
            "TK-3",
            "numerator",
            "resolved_at - opened_at",
            "'-' needs numbers, not timestamp (use elapsed_seconds(start, end) or "
            "business_seconds(start, end)) (at character 1)",
        ),
    ],
)
def test_expressions_are_type_checked(code: str, key: str, text: str, message: str) -> None:
    data = document()
    spec = level(data, code)
    spec["measure"][key] = text
    index = data["service_levels"].index(spec)
    assert problems(data) == [f"service_levels[{index}].measure.{key}: {message} in {text!r}"]


def test_an_expression_must_be_text() -> None:
    data = document()
    level(data, "CC-1")["filter"] = ["channel"]
    level(data, "TK-4")["measure"]["condition"] = True
    assert problems(data) == [
        "service_levels[0].filter: expected an expression, got a list",
        "service_levels[5].measure.condition: expected an expression, got True (bool)",
    ]


def test_a_within_limit_must_be_a_duration() -> None:
    data = document()
    level(data, "TK-7")["measure"]["limit"] = 172800
    assert problems(data) == [
        "service_levels[10].measure.limit: must be a duration such as 4h or 4 business hours"
    ]


def test_mixing_elapsed_and_business_time_in_a_schedule() -> None:
    data = document()
    level(data, "TK-2")["measure"]["expression"] = "business_seconds(opened_at, resolved_at) - 1h"
    assert problems(data) == [
        "service_levels[3].measure.expression: cannot combine business time with elapsed time "
        "(at character 42) in 'business_seconds(opened_at, resolved_at) - 1h'"
    ]


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        (
            None,
            [f"expected a mapping with a type ({MEASURE_TYPES})"],
        ),
        (
            {},
            [f"type: nothing is not a measure (use one of: {MEASURE_TYPES})"],
        ),
        (
            {"type": "median"},
            [f"type: 'median' is not a measure (use one of: {MEASURE_TYPES})"],
        ),
        ({"type": "share"}, ["condition: is required for a share measure"]),
        ({"type": "mean"}, ["expression: is required for a mean measure"]),
        ({"type": "sum"}, ["expression: is required for a sum measure"]),
        (
            {"type": "percentile", "expression": "wait_seconds"},
            ["percentile: is required for a percentile measure"],
        ),
        (
            {"type": "percentile", "expression": "wait_seconds", "percentile": 101},
            ["percentile: must be between 0 and 100"],
        ),
        (
            {"type": "percentile", "expression": "wait_seconds", "percentile": "high"},
            ["percentile: must be a number, got 'high'"],
        ),
        (
            {"type": "ratio"},
            [
                "numerator: is required for a ratio measure",
                "denominator: is required for a ratio measure",
            ],
        ),
        (
            {"type": "within"},
            [
                "start: is required for a within measure",
                "end: is required for a within measure",
                "limit: is required for a within measure",
            ],
        ),
        (
            {
                "type": "within",
                "start": "offered_at",
                "end": "answered_at",
                "limit": "20s",
                "unresolved": "ignored",
            },
            ["unresolved: must be missed or excluded"],
        ),
        ({"type": "top_box", "expression": "csat"}, ["top: is required: the list of top answers"]),
        (
            {"type": "top_box", "expression": "csat", "top": []},
            ["top: is required: the list of top answers"],
        ),
        ({"type": "top_box", "expression": "csat", "top": [[5]]}, ["top: holds numbers or text"]),
        (
            {"type": "top_box", "expression": "csat", "top": ["5"]},
            ["top: must hold numbers, as the expression is"],
        ),
        (
            {"type": "top_box", "expression": "csat", "top": [True]},
            ["top: must hold numbers, as the expression is"],
        ),
        (
            {"type": "top_box", "expression": "channel", "top": [5]},
            ["top: must hold text, as the expression is"],
        ),
        (
            {"type": "count", "exclude": "abandoned"},
            ["exclude: unknown key (expected one of: condition, type)"],
        ),
    ],
)
def test_measure_problems(measure: object, expected: list[str]) -> None:
    data = document()
    spec = level(data, "CC-3")
    spec["measure"] = measure
    if isinstance(measure, dict) and measure.get("type") in ("share", "within", "top_box"):
        del spec["unit"]  # in percent, as these are
    place = "service_levels[6].measure"
    separator = "." if isinstance(measure, dict) else ": "
    assert problems(data) == [f"{place}{separator}{line}" for line in expected]


def test_the_unit_of_a_share_measure_is_checked_even_when_the_measure_is_invalid() -> None:
    data = document()
    level(data, "CC-3")["measure"] = {"type": "share"}  # CC-3 is in "count"
    assert problems(data) == [
        "service_levels[6].measure.condition: is required for a share measure",
        "service_levels[6].unit: a share measure is in percent",
    ]
    level(data, "CC-3")["measure"] = {"type": "median"}
    del level(data, "CC-3")["unit"]
    assert problems(data) == [
        f"service_levels[6].measure.type: 'median' is not a measure (use one of: {MEASURE_TYPES})"
    ]


def test_expected_must_be_between_0_and_100_on_a_percent_measure() -> None:
    data = document()
    level(data, "CC-1")["expected"] = 120
    level(data, "CC-1")["minimum"] = -1
    level(data, "TK-3")["unit"] = "percent"
    level(data, "TK-3")["expected"] = 100.5
    assert problems(data) == [
        "service_levels[0].expected: must be between 0 and 100",
        "service_levels[0].minimum: must be between 0 and 100",
        "service_levels[4].expected: must be between 0 and 100",
    ]


def test_0_and_100_are_allowed() -> None:
    data = document()
    level(data, "CC-1")["expected"] = 100
    level(data, "CC-1")["minimum"] = 0
    schedule = Schedule.from_dict(data)
    assert (schedule.level("CC-1").expected, schedule.level("CC-1").minimum) == (100, 0)


def test_a_number_above_100_is_fine_when_it_is_not_a_percent() -> None:
    data = document()
    level(data, "CC-2")["expected"] = 250
    level(data, "CC-2")["minimum"] = 300
    assert Schedule.from_dict(data).level("CC-2").expected == 250


def test_minimum_against_expected_by_direction() -> None:
    data = document()
    level(data, "CC-1")["minimum"] = 85  # above expected 80, higher is better
    level(data, "CC-2")["minimum"] = 5  # below expected 6, lower is better
    assert problems(data) == [
        "service_levels[0].minimum: must not be above expected (80) when higher is better",
        "service_levels[2].minimum: must not be below expected (6) when lower is better",
    ]
    level(data, "CC-1")["minimum"] = 80  # equal is allowed
    level(data, "CC-2")["minimum"] = 6
    Schedule.from_dict(data)


def test_a_percent_unit_on_a_share_measure_only() -> None:
    data = document()
    level(data, "CC-1")["unit"] = "calls"
    del level(data, "CC-2")["unit"]
    level(data, "TK-4")["unit"] = "  "
    assert problems(data) == [
        "service_levels[0].unit: a share measure is in percent",
        "service_levels[2].unit: is required (e.g. seconds, minutes, count, percent)",
        "service_levels[5].unit: is required (e.g. seconds, minutes, count, percent)",
    ]


def test_an_invalid_share_measure_does_not_also_ask_for_a_unit() -> None:
    data = document()
    level(data, "CC-1")["measure"]["condition"] = "nope"
    assert problems(data) == [
        "service_levels[0].measure.condition: unknown column 'nope' (at character 1) in 'nope'"
    ]


def test_duplicate_codes() -> None:
    data = document()
    level(data, "TK-7")["code"] = "CC-1"
    level(data, "TK-6")["code"] = "TK-1"
    assert problems(data) == [
        "service_levels[9].code: 'TK-1' is already used by service_levels[1]",
        "service_levels[10].code: 'CC-1' is already used by service_levels[0]",
    ]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("code", None, "code: is required: up to 40 letters, digits, '.', '_' or '-'"),
        ("code", "CC 1", "code: is required: up to 40 letters, digits, '.', '_' or '-'"),
        ("code", "-CC1", "code: is required: up to 40 letters, digits, '.', '_' or '-'"),
        ("code", "C" * 41, "code: is required: up to 40 letters, digits, '.', '_' or '-'"),
        ("name", None, "name: is required"),
        ("name", 5, "name: must be text, got 5 (int)"),
        ("kind", None, "kind: must be critical or key"),
        ("kind", "major", "kind: must be critical or key"),
        ("direction", "up", "direction: must be higher or lower (is better)"),
        ("period", "monthly", "period: must be one of: month, quarter, week"),
        ("period", "year", "period: must be one of: month, quarter, week"),
        ("expected", None, "expected: is required: the expected level"),
        ("expected", "high", "expected: must be a number, got 'high'"),
        ("expected", True, "expected: must be a number, got True (bool)"),
        ("minimum", "low", "minimum: must be a number, got 'low'"),
        ("minimum_volume", -1, "minimum_volume: must be a whole number, 0 or more"),
        ("minimum_volume", 1.5, "minimum_volume: must be a whole number, 0 or more"),
        ("minimum_volume", True, "minimum_volume: must be a whole number, 0 or more"),
        ("breakdown", {"a": 1}, "breakdown: expected a list of columns"),
        ("breakdown", ["nope"], "breakdown[0]: 'nope' is not a column of source 'calls'"),
        ("breakdown", "nope", "breakdown[0]: 'nope' is not a column of source 'calls'"),
        ("breakdown", ["channel", 3], "breakdown[1]: 3 (int) is not a column of source 'calls'"),
        ("filter", "channel", "filter: expected a condition (true/false), not text in 'channel'"),
    ],
)
def test_service_level_problems(key: str, value: object, expected: str) -> None:
    data = document()
    level(data, "CC-1")[key] = value
    assert problems(data) == [f"service_levels[0].{expected}"]


def test_a_bad_period() -> None:
    data = document()
    level(data, "TK-1")["period"] = "fortnight"
    assert problems(data) == ["service_levels[1].period: must be one of: month, quarter, week"]


def test_breakdown_on_an_unknown_column() -> None:
    data = document()
    level(data, "TK-1")["breakdown"] = ["priority", "queue name"]
    assert problems(data) == [
        "service_levels[1].breakdown[1]: 'queue name' is not a column of source 'tickets'"
    ]
    level(data, "TK-1")["breakdown"] = "priority"
    assert Schedule.from_dict(data).level("TK-1").breakdown == ("priority",)


def test_a_service_level_must_be_a_mapping() -> None:
    data = document()
    data["service_levels"][2] = "CC-2"
    assert problems(data) == ["service_levels[2]: expected a mapping, got 'CC-2'"]


def test_several_problems_are_reported_together() -> None:
    data = document()
    del data["contract"]
    data["sources"]["tickets"]["time_column"] = "priority"
    level(data, "CC-1")["expected"] = 120
    level(data, "CC-1")["breakdown"] = ["queue"]
    level(data, "CC-2")["period"] = "day"
    level(data, "CC-2")["measure"]["expression"] = "handle_seconds + channel"
    with pytest.raises(SpecError) as caught:
        Schedule.from_dict(data)
    found = [str(problem) for problem in caught.value.problems]
    assert found == [
        "contract: is required",
        "sources.tickets.time_column: 'priority' is not a declared timestamp column",
        "service_levels[0].breakdown[0]: 'queue' is not a column of source 'calls'",
        "service_levels[0].expected: must be between 0 and 100",
        "service_levels[2].period: must be one of: month, quarter, week",
        "service_levels[2].measure.expression: '+' needs numbers, not text (at character 18) "
        "in 'handle_seconds + channel'",
    ]
    assert str(caught.value) == "\n".join(found)


# --------------------------------------------------------------------------- files


def test_file_not_found(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    with pytest.raises(SpecError) as caught:
        Schedule.from_file(path)
    assert [str(p) for p in caught.value.problems] == [
        "cannot read the file: No such file or directory"
    ]
    assert caught.value.source == str(path)
    assert str(caught.value) == f"{path}: cannot read the file: No such file or directory"


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "schedule.yaml"
    path.write_text("contract: C\ntimezone: UTC\nsources: [a, b\nservice_levels: []\n")
    with pytest.raises(SpecError) as caught:
        Schedule.from_file(path)
    (problem,) = caught.value.problems
    assert problem.place == "line 4"
    assert problem.message.startswith("not valid YAML: ")
    assert caught.value.source == str(path)
    assert str(caught.value).startswith(f"{path}: line 4: not valid YAML: ")


def test_invalid_yaml_tabs(tmp_path: Path) -> None:
    path = tmp_path / "schedule.yaml"
    path.write_text("contract: C\nsources:\n\tcalls: {}\n")
    with pytest.raises(SpecError) as caught:
        Schedule.from_file(path)
    assert caught.value.problems[0].place == "line 3"


def test_problems_in_a_file_name_the_file(schedule_file: Path) -> None:
    text = schedule_file.read_text().replace("expected: 80\n", "expected: 120\n")
    schedule_file.write_text(text)
    with pytest.raises(SpecError) as caught:
        Schedule.from_file(schedule_file)
    assert caught.value.source == str(schedule_file)
    assert str(caught.value) == (
        f"{schedule_file}: service_levels[0].expected: must be between 0 and 100"
    )


def test_several_problems_in_a_file(schedule_file: Path) -> None:
    text = schedule_file.read_text().replace("expected: 80\n", "expected: 120\n")
    schedule_file.write_text(text.replace("timezone: America/Vancouver\ncurrency", "currency"))
    with pytest.raises(SpecError) as caught:
        Schedule.from_file(schedule_file)
    assert str(caught.value) == (
        f"{schedule_file}:\n"
        "  timezone: is required\n"
        "  service_levels[0].expected: must be between 0 and 100"
    )


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "schedule.yaml"
    path.write_text("")
    with pytest.raises(SpecError) as caught:
        Schedule.from_file(path)
    assert str(caught.value) == f"{path}: expected a mapping, got nothing"


def test_a_missing_calendar_file_relative_to_the_schedule(schedule_file: Path) -> None:
    (schedule_file.parent / "calendars" / "bc-public-service.yaml").unlink()
    with pytest.raises(SpecError) as caught:
        Schedule.from_file(schedule_file)
    assert [str(p) for p in caught.value.problems] == [
        "calendars.office: in calendars/bc-public-service.yaml: cannot read the file: "
        "No such file or directory",
    ]
