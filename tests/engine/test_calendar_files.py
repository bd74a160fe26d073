"""Calendar files: the YAML format, validation errors that name the place, the tz database."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import zoneinfo
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tzdata

from accord.engine.calendars import DAY, BusinessCalendar, HolidayRules, Window
from accord.engine.errors import SpecError
from accord.engine.tz import (
    UnknownTimeZoneError,
    get_zone,
    offset_pieces,
    tz_database_version,
)

ISSUE_EXAMPLE = """\
timezone: America/Vancouver
hours:
  mon: ["08:30-16:30"]
  tue: ["08:30-16:30"]
  wed: ["08:30-16:30"]
  thu: ["08:30-16:30"]
  fri: ["08:30-16:30"]
holidays:
  country: CA
  subdivision: BC
  add: ["2026-12-24"]
  remove: []
"""


def test_reads_the_issue_example(tmp_path: Path) -> None:
    path = tmp_path / "office.yaml"
    path.write_text(ISSUE_EXAMPLE)
    cal = BusinessCalendar.from_file(path)
    assert cal.timezone == "America/Vancouver"
    assert cal.week[0] == (Window(8 * 3600 + 1800, 16 * 3600 + 1800),)
    assert cal.week[5] == cal.week[6] == ()
    assert cal.holidays == HolidayRules(
        country="CA", subdivision="BC", add=frozenset({dt.date(2026, 12, 24)})
    )
    assert dt.date(2026, 12, 24) in cal.holiday_dates(2026, 2026)
    assert dt.date(2026, 7, 1) in cal.holiday_dates(2026, 2026)
    assert "CA-BC" in repr(cal)


def test_round_trips_through_its_document_form() -> None:
    cal = BusinessCalendar.from_yaml(ISSUE_EXAMPLE)
    again = BusinessCalendar.from_dict(cal.to_dict())
    assert again.to_dict() == cal.to_dict()
    assert again.week == cal.week
    assert again.holidays == cal.holidays
    full = BusinessCalendar.from_dict(
        {"name": "ops", "timezone": "UTC", "hours": "24x7", "holidays": {"add": ["2026-01-01"]}}
    )
    assert full.to_dict()["hours"] == "24x7"
    assert full.to_dict()["name"] == "ops"
    assert full.week[3] == (Window(0, DAY),)


def test_accepts_yaml_dates_seconds_single_windows_and_empty_days() -> None:
    cal = BusinessCalendar.from_yaml(
        """
timezone: Europe/Paris
hours:
  Mon: "8:00-12:00:30"
  tue: ["08:00-12:00", "13:00-24:00"]
  sat:
  sun: []
holidays: {country: fr, observed: false, add: [2026-05-02]}
"""
    )
    assert cal.week[0] == (Window(8 * 3600, 12 * 3600 + 30),)
    assert str(cal.week[1][1]) == "13:00-24:00"
    assert str(cal.week[0][0]) == "08:00-12:00:30"
    assert cal.holidays.country == "FR"
    assert cal.holidays.observed is False
    assert cal.holidays.add == frozenset({dt.date(2026, 5, 2)})


@pytest.mark.parametrize(
    ("document", "messages"),
    [
        (
            {"timezone": "America/Vancouver", "hours": {"mon": ["25:00-26:00"]}},
            ['hours.mon[0]: "25:00-26:00" is not a valid window'],
        ),
        (
            {"timezone": "UTC", "hours": {"tue": ["09:00-08:00", "22:00-06:00", "08:00-24:30"]}},
            [
                'hours.tue[0]: "09:00-08:00" is not a valid window',
                'hours.tue[1]: "22:00-06:00" is not a valid window',
                'hours.tue[2]: "08:00-24:30" is not a valid window',
            ],
        ),
        (
            {"timezone": "UTC", "hours": {"wed": ["08:00-12:00", "11:00-13:00"]}},
            ['hours.wed[1]: "11:00-13:00" overlaps "08:00-12:00"'],
        ),
        (
            {"timezone": "UTC", "hours": {"monday": ["08:00-12:00"], "fri": 8}},
            [
                "hours.monday: unknown day",
                'hours.fri: expected a list of windows like "08:30-16:30"',
            ],
        ),
        ({"timezone": "UTC", "hours": {"fri": [830]}}, ["hours.fri[0]: expected a window"]),
        ({"timezone": "UTC", "hours": "9to5"}, ['hours: expected "24x7" or windows per weekday']),
        ({"timezone": "UTC", "hours": ["08:00-12:00"]}, ["hours: expected"]),
        ({"timezone": "UTC"}, ["hours: is required"]),
        ({"hours": "24x7"}, ["timezone: is required"]),
        ({"timezone": 5, "hours": "24x7"}, ["timezone: must be a string"]),
        (
            {"timezone": "America/Vancover", "hours": "24x7"},
            ["timezone: 'America/Vancover' is not a time zone", "did you mean America/Vancouver"],
        ),
        ({"timezone": "UTC", "hours": "24x7", "tz": "x"}, ["tz: unknown key"]),
        ({"timezone": "UTC", "hours": "24x7", "name": 3}, ["name: must be a string"]),
        (
            {"timezone": "UTC", "hours": "24x7", "holidays": ["CA"]},
            ["holidays: expected a mapping"],
        ),
        (
            {"timezone": "UTC", "hours": "24x7", "holidays": {"country": "XX"}},
            ["holidays.country: 'XX' is not a country code"],
        ),
        (
            {
                "timezone": "UTC",
                "hours": "24x7",
                "holidays": {"country": "CA", "subdivision": "ZZ"},
            },
            ["holidays.subdivision: 'ZZ' is not a subdivision of CA (known: AB, BC"],
        ),
        (
            {"timezone": "UTC", "hours": "24x7", "holidays": {"subdivision": "BC"}},
            ["holidays.subdivision: needs a country"],
        ),
        (
            {
                "timezone": "UTC",
                "hours": "24x7",
                "holidays": {"subdivision": ["BC"], "country": "CA"},
            },
            ["holidays.subdivision: must be a code"],
        ),
        (
            {"timezone": "UTC", "hours": "24x7", "holidays": {"observed": "yes"}},
            ["holidays.observed: must be true or false"],
        ),
        (
            {
                "timezone": "UTC",
                "hours": "24x7",
                "holidays": {
                    "add": ["2026-02-30", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 7],
                    "remove": "x",
                },
            },
            [
                "holidays.add[0]: '2026-02-30' is not a date",
                "(datetime) is not a date",
                "holidays.add[2]: 7 (int) is not a date",
                "holidays.remove: expected a list of dates",
            ],
        ),
        (
            {
                "timezone": "UTC",
                "hours": "24x7",
                "holidays": {"country": "CA", "subdivision": "BC", "remove": ["2026-05-05"]},
            },
            ["holidays.remove[0]: 2026-05-05 is not a holiday of CA-BC"],
        ),
        (
            {"timezone": "UTC", "hours": "24x7", "holidays": {"remove": ["2026-05-05"]}},
            ["holidays.remove: needs a country"],
        ),
        ("24x7", ["expected a mapping, got '24x7'"]),
    ],
)
def test_validation_errors_name_the_place(document: Any, messages: list[str]) -> None:
    with pytest.raises(SpecError) as caught:
        BusinessCalendar.from_dict(document)
    text = str(caught.value)
    for message in messages:
        assert message in text
    assert all(problem.place for problem in caught.value.problems) or document == "24x7"


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SpecError) as caught:
        BusinessCalendar.from_dict(
            {"timezone": "Mars/Olympus", "hours": {"mon": ["x"]}, "extra": 1}
        )
    places = [problem.place for problem in caught.value.problems]
    assert places == ["extra", "timezone", "hours.mon[0]"]


def test_embedded_calendars_prefix_their_place() -> None:
    with pytest.raises(SpecError, match=r"calendars\.office\.hours\.mon\[0\]"):
        BusinessCalendar.from_dict(
            {"timezone": "UTC", "hours": {"mon": ["8-9"]}}, place="calendars.office"
        )


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('timezone: UTC\nhours:\n  mon: ["25:00-26:00"]\n')
    with pytest.raises(SpecError, match=r"bad\.yaml: hours\.mon\[0\]: \"25:00-26:00\""):
        BusinessCalendar.from_file(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("timezone: UTC\nhours: [unclosed\n")
    with pytest.raises(SpecError, match=r"broken\.yaml: line 3: not valid YAML"):
        BusinessCalendar.from_file(broken)
    with pytest.raises(SpecError, match="cannot read the file"):
        BusinessCalendar.from_file(tmp_path / "missing.yaml")
    several = tmp_path / "several.yaml"
    several.write_text("hours: 3\n")
    with pytest.raises(SpecError) as caught:
        BusinessCalendar.from_file(several)
    assert str(caught.value).startswith(f"{several}:\n  ")


def test_direct_construction_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="seven entries"):
        BusinessCalendar("UTC", [[]])
    with pytest.raises(ValueError, match="overlap"):
        BusinessCalendar("UTC", [[Window(0, 100), Window(50, 200)], *[[]] * 6])
    with pytest.raises(ValueError, match="invalid window"):
        Window(10, 5)
    with pytest.raises(UnknownTimeZoneError, match="not a time zone"):
        BusinessCalendar("Nowhere/Town", [[]] * 7)


# ----------------------------------------------------------------- tz database


def test_the_tz_database_is_the_pinned_tzdata_package() -> None:
    assert tz_database_version() == tzdata.IANA_VERSION
    cal = BusinessCalendar.from_yaml(ISSUE_EXAMPLE)
    assert cal.tz_database_version == tzdata.IANA_VERSION
    zone = get_zone("America/Vancouver")
    resource = importlib.resources.files("tzdata.zoneinfo").joinpath("America", "Vancouver")
    with resource.open("rb") as handle:
        pinned = zoneinfo.ZoneInfo.from_file(handle, key="America/Vancouver")
    for year in range(2020, 2031):
        moment = dt.datetime(year, 12, 15, 12, tzinfo=dt.UTC)
        assert moment.astimezone(zone).utcoffset() == moment.astimezone(pinned).utcoffset()
    assert get_zone("UTC").utcoffset(None) == dt.timedelta(0)
    with pytest.raises(UnknownTimeZoneError):
        get_zone("Not/AZone")


def test_offset_pieces_find_the_transitions() -> None:
    start = int(np.datetime64("2025-01-01T00:00:00", "s").astype(np.int64))
    end = int(np.datetime64("2026-01-01T00:00:00", "s").astype(np.int64))
    bounds, offsets = offset_pieces(get_zone("America/Vancouver"), start, end)
    expected = [
        start,
        int(np.datetime64("2025-03-09T10:00:00", "s").astype(np.int64)),
        int(np.datetime64("2025-11-02T09:00:00", "s").astype(np.int64)),
        end,
    ]
    assert bounds.tolist() == expected
    assert offsets.tolist() == [-8 * 3600, -7 * 3600, -8 * 3600]
    with pytest.raises(ValueError, match="start < end"):
        offset_pieces(get_zone("UTC"), end, start)
