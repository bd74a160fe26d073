"""Business time on hand-made edges, with expected values worked out by hand.

Instants are written with their local UTC offset (``2026-03-08T00:00-08:00``)
so each expectation can be checked against a wall clock.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from accord.engine.calendars import BusinessCalendar
from tests.engine._reference import holiday_set
from tests.engine.cases import VANCOUVER_OFFICE, WEEKDAYS_8_30

HOUR = 3600.0


_OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


def instant(text: str) -> np.datetime64:
    """An ISO 8601 instant with offset (or Z), to nanoseconds, as naive UTC datetime64[ns]."""
    match = _OFFSET.search(text)
    assert match is not None, text
    local = np.datetime64(text[: match.start()], "ns")
    if match.group(1) == "Z":
        return local
    sign = -1 if match.group(1)[0] == "-" else 1
    hours, minutes = (int(part) for part in match.group(1)[1:].split(":"))
    return local - np.timedelta64(sign * (hours * 60 + minutes), "m")


def bs(calendar: BusinessCalendar, start: str, end: str) -> float:
    result = calendar.business_seconds(np.array([instant(start)]), np.array([instant(end)]))
    return float(result[0])


def vancouver(hours: Any, **holidays: Any) -> BusinessCalendar:
    document: dict[str, Any] = {"timezone": "America/Vancouver", "hours": hours}
    if holidays:
        document["holidays"] = holidays
    return BusinessCalendar.from_dict(document)


@pytest.fixture(scope="module")
def office() -> BusinessCalendar:
    return VANCOUVER_OFFICE.calendar()


# ----------------------------------------------------------------- DST


def test_spring_forward_inside_a_window_is_an_hour_shorter() -> None:
    cal = vancouver({"sun": ["00:00-06:00"]})
    # 2026-03-08: 02:00 PST becomes 03:00 PDT.
    assert bs(cal, "2026-03-08T00:00-08:00", "2026-03-08T06:00-07:00") == 5 * HOUR
    assert bs(cal, "2026-03-07T00:00-08:00", "2026-03-09T00:00-07:00") == 5 * HOUR
    # An ordinary Sunday a week earlier.
    assert bs(cal, "2026-02-28T00:00-08:00", "2026-03-02T00:00-08:00") == 6 * HOUR


def test_fall_back_inside_a_window_is_an_hour_longer() -> None:
    cal = vancouver({"sun": ["00:00-06:00"]})
    # 2025-11-02: 02:00 PDT becomes 01:00 PST (the last fall back in BC).
    assert bs(cal, "2025-11-02T00:00-07:00", "2025-11-02T06:00-08:00") == 7 * HOUR
    assert bs(cal, "2025-11-01T00:00-07:00", "2025-11-03T00:00-08:00") == 7 * HOUR


def test_a_boundary_in_the_spring_forward_gap_opens_at_the_transition() -> None:
    cal = vancouver({"sun": ["02:30-04:00"]})
    # 02:30 does not exist on 2026-03-08: the window opens at 03:00 PDT.
    assert bs(cal, "2026-03-08T00:00-08:00", "2026-03-09T00:00-07:00") == 1 * HOUR
    assert bs(cal, "2026-03-08T03:00-07:00", "2026-03-08T03:30-07:00") == 0.5 * HOUR
    assert bs(cal, "2026-03-01T00:00-08:00", "2026-03-02T00:00-08:00") == 1.5 * HOUR


def test_a_boundary_in_the_fall_back_overlap_is_crossed_twice() -> None:
    cal = vancouver({"sun": ["00:00-01:30"]})
    # Open 00:00-01:30 PDT, then again when 01:00-01:30 repeats in PST.
    assert bs(cal, "2025-11-02T00:00-07:00", "2025-11-03T00:00-08:00") == 2 * HOUR
    assert bs(cal, "2025-11-02T01:30-07:00", "2025-11-02T01:00-08:00") == 0.0
    assert bs(cal, "2025-11-02T01:00-08:00", "2025-11-02T01:30-08:00") == 0.5 * HOUR


@pytest.mark.parametrize(
    "hours",
    ["24x7", dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), ["00:00-24:00"])],
    ids=["24x7", "00:00-24:00"],
)
def test_open_all_day_every_day_is_elapsed_time_across_dst(hours: Any) -> None:
    cal = vancouver(hours)
    starts = np.array([instant("2025-03-08T12:00:00Z"), instant("2025-11-01T12:00:00.000000001Z")])
    ends = np.array([instant("2025-03-10T12:00:00.5Z"), instant("2026-03-09T12:00:00.123456789Z")])
    elapsed = (ends - starts).astype(np.int64) / 1e9
    assert np.array_equal(cal.business_seconds(starts, ends), elapsed)
    assert bs(cal, "2025-03-09T00:00-08:00", "2025-03-10T00:00-07:00") == 23 * HOUR
    assert bs(cal, "2025-11-02T00:00-07:00", "2025-11-03T00:00-08:00") == 25 * HOUR


def test_uses_the_pinned_tz_database(office: BusinessCalendar) -> None:
    # In the pinned tz database British Columbia stays on UTC-7 after
    # 2026-11-01 (older system databases still fall back to UTC-8), so the
    # office opens at 15:30 UTC in winter from then on.
    assert bs(office, "2026-11-02T15:30Z", "2026-11-02T23:30Z") == 8 * HOUR
    assert bs(office, "2025-11-03T16:30Z", "2025-11-04T00:30Z") == 8 * HOUR


# ----------------------------------------------------------------- days off


def test_a_public_holiday_has_no_business_time(office: BusinessCalendar) -> None:
    # Canada Day, Wednesday 2026-07-01: Tuesday noon to Thursday noon.
    assert bs(office, "2026-06-30T12:00-07:00", "2026-07-02T12:00-07:00") == 8 * HOUR
    assert bs(office, "2026-07-01T00:00-07:00", "2026-07-02T00:00-07:00") == 0.0


def test_an_observed_holiday_is_a_day_off_unless_observed_is_false() -> None:
    # Christmas 2027 is a Saturday; BC observes it on Monday 2027-12-27.
    monday = ("2027-12-27T00:00-07:00", "2027-12-28T00:00-07:00")
    observed = vancouver(WEEKDAYS_8_30, country="CA", subdivision="BC")
    assert bs(observed, *monday) == 0.0
    not_observed = vancouver(WEEKDAYS_8_30, country="CA", subdivision="BC", observed=False)
    assert bs(not_observed, *monday) == 8 * HOUR


def test_added_and_removed_dates() -> None:
    eve = ("2026-12-24T00:00-07:00", "2026-12-25T00:00-07:00")
    remembrance = ("2026-11-11T00:00-07:00", "2026-11-12T00:00-07:00")
    plain = vancouver(WEEKDAYS_8_30, country="CA", subdivision="BC")
    edited = vancouver(
        WEEKDAYS_8_30, country="CA", subdivision="BC", add=["2026-12-24"], remove=["2026-11-11"]
    )
    assert bs(plain, *eve) == 8 * HOUR
    assert bs(edited, *eve) == 0.0
    assert bs(plain, *remembrance) == 0.0
    assert bs(edited, *remembrance) == 8 * HOUR


def test_holidays_without_a_country() -> None:
    cal = vancouver(WEEKDAYS_8_30, add=[dt.date(2026, 3, 10)])
    assert bs(cal, "2026-03-10T00:00-07:00", "2026-03-11T00:00-07:00") == 0.0
    assert bs(cal, "2026-03-11T00:00-07:00", "2026-03-12T00:00-07:00") == 8 * HOUR


def test_a_weekend_has_no_business_time(office: BusinessCalendar) -> None:
    # Friday 16:00 to Monday 09:00: half an hour each side.
    assert bs(office, "2026-03-13T16:00-07:00", "2026-03-16T09:00-07:00") == 1 * HOUR
    assert bs(office, "2026-03-14T00:00-07:00", "2026-03-16T00:00-07:00") == 0.0


# ----------------------------------------------------------------- instants


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-10T08:30-07:00", "2026-03-10T16:30-07:00", 8 * HOUR),
        ("2026-03-10T16:30-07:00", "2026-03-11T08:30-07:00", 0.0),
        ("2026-03-10T08:30-07:00", "2026-03-10T08:30:00.000000001-07:00", 1e-9),
        ("2026-03-10T08:29:59.999999999-07:00", "2026-03-10T08:30-07:00", 0.0),
        ("2026-03-10T16:29:59.999999999-07:00", "2026-03-10T16:30-07:00", 1e-9),
        ("2026-03-10T16:30-07:00", "2026-03-10T16:30:00.000000001-07:00", 0.0),
        ("2026-03-10T12:00-07:00", "2026-03-10T12:00-07:00", 0.0),
        ("2026-03-10T08:30-07:00", "2026-03-10T08:30-07:00", 0.0),
        ("2026-03-14T12:00-07:00", "2026-03-14T12:00-07:00", 0.0),
        ("2026-03-10T08:30:00.25-07:00", "2026-03-10T08:30:01.5-07:00", 1.25),
        ("2026-03-10T16:30-07:00", "2026-03-10T08:30-07:00", -8 * HOUR),
    ],
)
def test_opening_closing_equal_and_sub_second(
    office: BusinessCalendar, start: str, end: str, expected: float
) -> None:
    assert bs(office, start, end) == expected


def test_an_interval_spanning_several_years(office: BusinessCalendar) -> None:
    holidays = holiday_set("CA", "BC", range(2023, 2030), add=[dt.date(2026, 12, 24)])
    day, working_days = dt.date(2024, 1, 1), 0
    while day < dt.date(2028, 1, 1):
        working_days += day.weekday() < 5 and day not in holidays
        day += dt.timedelta(days=1)
    expected = working_days * 8 * HOUR
    assert bs(office, "2024-01-01T00:00-08:00", "2028-01-01T00:00-07:00") == expected
    assert bs(office, "2028-01-01T00:00-07:00", "2024-01-01T00:00-08:00") == -expected


def test_reversed_intervals_are_exactly_negative(office: BusinessCalendar) -> None:
    rng = np.random.default_rng(3)
    base = np.datetime64("2024-01-01", "ns")
    starts = base + rng.integers(0, 4 * 365 * 86_400 * 10**9, 50_000).astype("m8[ns]")
    ends = starts + rng.integers(0, 90 * 86_400 * 10**9, 50_000).astype("m8[ns]")
    forward = office.business_seconds(starts, ends)
    assert np.array_equal(office.business_seconds(ends, starts), -forward)
    assert (forward >= 0).all()


def test_touching_windows_are_one_window() -> None:
    split = vancouver({"mon": ["08:00-12:00", "12:00-17:00"]})
    whole = vancouver({"mon": ["08:00-17:00"]})
    for start, end in [
        ("2026-03-09T07:00-07:00", "2026-03-09T18:00-07:00"),
        ("2026-03-09T11:00-07:00", "2026-03-09T13:00-07:00"),
    ]:
        assert bs(split, start, end) == bs(whole, start, end)


def test_a_calendar_without_hours_gives_zero() -> None:
    cal = vancouver(None)
    assert bs(cal, "2026-01-01T00:00Z", "2027-01-01T00:00Z") == 0.0


# ----------------------------------------------------------------- arrays


def test_numpy_nat_gives_nan(office: BusinessCalendar) -> None:
    nat = np.datetime64("NaT", "ns")
    starts = np.array([instant("2026-03-10T15:30Z"), nat, instant("2026-03-10T15:30Z"), nat])
    ends = np.array([instant("2026-03-10T16:30Z"), instant("2026-03-10T16:30Z"), nat, nat])
    got = office.business_seconds(starts, ends)
    assert isinstance(got, np.ndarray)
    assert got[0] == HOUR
    assert np.isnan(got[1:]).all()


def test_arrow_nulls_give_nulls(office: BusinessCalendar) -> None:
    starts = pa.array([instant("2026-03-10T15:30Z"), None, None], pa.timestamp("ns"))
    ends = pa.array([instant("2026-03-10T16:30Z"), instant("2026-03-10T16:30Z"), None])
    got = office.business_seconds(starts, ends)
    assert isinstance(got, pa.Array)
    assert got.type == pa.float64()
    assert got.to_pylist() == [HOUR, None, None]


def test_all_null_and_empty_inputs(office: BusinessCalendar) -> None:
    nat = np.array(["NaT", "NaT"], dtype="datetime64[ns]")
    assert np.isnan(office.business_seconds(nat, nat)).all()
    empty = np.array([], dtype="datetime64[ns]")
    assert office.business_seconds(empty, empty).shape == (0,)
    assert office.business_seconds(pa.array([], pa.timestamp("us")), empty).to_pylist() == []


def test_units_time_zones_and_chunked_arrays(office: BusinessCalendar) -> None:
    start = instant("2026-03-10T15:30Z")
    end = instant("2026-03-10T16:45:30.5Z")
    expected = 1.25 * HOUR + 30.5
    for unit in ("ns", "us", "ms"):
        got = office.business_seconds(
            np.array([start], f"datetime64[{unit}]"), np.array([end], f"datetime64[{unit}]")
        )
        assert got[0] == expected
    # Seconds and coarser units lose the half second, as they must.
    assert (
        office.business_seconds(
            np.array([start], "datetime64[s]"), np.array([end], "datetime64[s]")
        )[0]
        == 1.25 * HOUR + 30
    )
    assert (
        office.business_seconds(
            np.array(["2026-03-10"], "datetime64[D]"), np.array(["2026-03-11"], "datetime64[D]")
        )[0]
        == 8 * HOUR
    )
    # Arrow time zones label the same UTC instants; mixed units line up.
    aware = pa.array(np.array([start], "datetime64[us]")).cast(
        pa.timestamp("us", tz="America/Vancouver")
    )
    chunked = pa.chunked_array([pa.array(np.array([end])).cast(pa.timestamp("ns", tz="UTC"))])
    assert office.business_seconds(aware, chunked).to_pylist() == [expected]


def test_the_table_grows_with_the_data(office: BusinessCalendar) -> None:
    cal = VANCOUVER_OFFICE.calendar()
    first = cal.business_seconds(
        np.array([instant("2026-03-10T15:30Z")]), np.array([instant("2026-03-10T16:30Z")])
    )
    later = bs(cal, "2040-03-13T08:00-07:00", "2040-03-13T17:00-07:00")
    again = cal.business_seconds(
        np.array([instant("2026-03-10T15:30Z")]), np.array([instant("2026-03-10T16:30Z")])
    )
    assert first[0] == again[0] == HOUR
    assert later == 8 * HOUR


def test_python_datetimes(office: BusinessCalendar) -> None:
    tz = dt.timezone(dt.timedelta(hours=-7))
    start = dt.datetime(2026, 3, 10, 8, 0, tzinfo=tz)
    end = dt.datetime(2026, 3, 10, 17, 0, tzinfo=tz)
    assert office.business_seconds_between(start, end) == 8 * HOUR
    naive_utc = dt.datetime(2026, 3, 10, 16, 30)  # noqa: DTZ001 - naive means UTC: 09:30 local
    assert office.business_seconds_between(start, naive_utc) == 1 * HOUR


def test_bad_arrays_are_rejected(office: BusinessCalendar) -> None:
    one = np.array([instant("2026-03-10T15:30Z")])
    two = np.array([instant("2026-03-10T15:30Z")] * 2)
    with pytest.raises(ValueError, match="differ in length"):
        office.business_seconds(one, two)
    with pytest.raises(TypeError, match="starts must be"):
        office.business_seconds(np.array([1.0]), one)
    with pytest.raises(TypeError, match="ends must be timestamps"):
        office.business_seconds(pa.array(two), pa.array(["a", "b"]))
    with pytest.raises(ValueError, match="one-dimensional"):
        office.business_seconds(two.reshape(1, 2), two.reshape(1, 2))
    with pytest.raises(ValueError, match="at most 250 years"):
        office.business_seconds(
            np.array(["1700-01-01"], "datetime64[ns]"), np.array(["2200-01-01"], "datetime64[ns]")
        )
    with pytest.raises(ValueError, match="between the years 1678 and 2261"):
        office.business_seconds(
            np.array(["2026-01-01"], "datetime64[us]"), np.array(["3000-01-01"], "datetime64[us]")
        )
