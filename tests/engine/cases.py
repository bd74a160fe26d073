"""Calendars the business-time tests run on, with their holidays computed independently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from accord.engine.calendars import BusinessCalendar
from tests.engine._reference import holiday_set

WEEKDAYS_8_30 = {day: ["08:30-16:30"] for day in ("mon", "tue", "wed", "thu", "fri")}


@dataclass(frozen=True)
class Case:
    """A calendar document, the span its random tests cover and its holidays."""

    name: str
    document: dict[str, Any]
    first_year: int
    last_year: int

    def calendar(self) -> BusinessCalendar:
        return BusinessCalendar.from_dict(self.document)

    def holidays(self) -> set[dt.date]:
        spec = self.document.get("holidays") or {}
        years = range(self.first_year - 1, self.last_year + 7)
        return holiday_set(
            spec.get("country"),
            spec.get("subdivision"),
            years,
            add=[dt.date.fromisoformat(d) for d in spec.get("add", [])],
            remove=[dt.date.fromisoformat(d) for d in spec.get("remove", [])],
            observed=spec.get("observed", True),
        )


# The example: office hours in Vancouver, BC holidays, one added day.
# British Columbia leaves DST for permanent UTC-7 in November 2026 in the tz
# database the engine pins, so 2024-2028 covers both regimes.
VANCOUVER_OFFICE = Case(
    "vancouver-office",
    {
        "timezone": "America/Vancouver",
        "hours": WEEKDAYS_8_30,
        "holidays": {"country": "CA", "subdivision": "BC", "add": ["2026-12-24"]},
    },
    2024,
    2028,
)

# Split shifts, a Saturday morning and a Sunday night window that contains
# both of London's clock changes (01:00 UTC on the last Sundays of March and
# October); England's bank holidays include substitute (observed) days.
LONDON_SPLIT = Case(
    "london-split",
    {
        "timezone": "Europe/London",
        "hours": {
            **{day: ["08:00-12:00", "13:00-17:30"] for day in ("mon", "tue", "wed", "thu")},
            "fri": ["08:00-12:00", "13:00-16:00"],
            "sat": ["09:00-13:00"],
            "sun": ["00:30-03:30"],
        },
        "holidays": {"country": "GB", "subdivision": "ENG", "remove": ["2025-05-26"]},
    },
    2024,
    2027,
)

# Windows whose boundaries fall inside the spring-forward gap (02:00-03:00
# does not exist) and the fall-back overlap (01:00-02:00 happens twice), and
# windows ending at 24:00: beyond businesstimedelta, checked by brute force.
VANCOUVER_NIGHT = Case(
    "vancouver-night",
    {
        "timezone": "America/Vancouver",
        "hours": {
            **{day: ["01:30-02:30", "23:00-24:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
            "sat": ["00:00-01:15", "02:15-24:00"],
            "sun": ["00:00-24:00"],
        },
        "holidays": {"country": "CA", "subdivision": "BC"},
    },
    2023,
    2027,
)

# Lord Howe Island moves its clocks by 30 minutes at 02:00 local.
LORD_HOWE = Case(
    "lord-howe",
    {
        "timezone": "Australia/Lord_Howe",
        "hours": {
            **{day: ["00:00-06:00", "12:00-13:30"] for day in ("mon", "tue", "wed", "thu", "fri")},
            "sun": ["01:45-02:45"],
        },
        "holidays": {"country": "AU", "subdivision": "NSW"},
    },
    2024,
    2026,
)

# Chile changes its clocks at local midnight, so some local days start at 01:00.
SANTIAGO = Case(
    "santiago",
    {
        "timezone": "America/Santiago",
        "hours": {
            **{day: ["00:00-24:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
            "sat": ["00:00-01:00", "23:00-24:00"],
        },
        "holidays": {"country": "CL"},
    },
    2024,
    2026,
)

# A +05:45 zone, working Sunday to Friday, no DST.
KATHMANDU = Case(
    "kathmandu",
    {
        "timezone": "Asia/Kathmandu",
        "hours": {day: ["10:00-17:00"] for day in ("sun", "mon", "tue", "wed", "thu", "fri")},
    },
    2025,
    2026,
)

VANCOUVER_24X7 = Case(
    "vancouver-24x7",
    {"timezone": "America/Vancouver", "hours": "24x7"},
    2024,
    2027,
)

BTD_CASES = [VANCOUVER_OFFICE, LONDON_SPLIT]
BRUTE_FORCE_CASES = [
    VANCOUVER_OFFICE,
    LONDON_SPLIT,
    VANCOUVER_NIGHT,
    LORD_HOWE,
    SANTIAGO,
    KATHMANDU,
    VANCOUVER_24X7,
]
