"""One time-zone database for the whole engine: the pinned ``tzdata`` package.

``zoneinfo.ZoneInfo(key)`` looks in the system's zoneinfo directories first and
only falls back to ``tzdata``. The system copy is often older and disagrees with
the pinned one (British Columbia's move to permanent UTC-7 in late 2026 is in
tzdata 2026 but not in a 2025 system database), so the engine always reads the
zone files shipped in the ``tzdata`` package and reports that version.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import zoneinfo

import numpy as np
import numpy.typing as npt
import tzdata

__all__ = [
    "UnknownTimeZoneError",
    "available_time_zones",
    "get_zone",
    "offset_pieces",
    "tz_database_version",
]

# Offsets are sampled at this step when looking for transitions; every real
# transition in the tz database is weeks away from the next one, so a change of
# offset between two samples is exactly one transition, found by bisection.
_SAMPLE_STEP = 6 * 3600


class UnknownTimeZoneError(KeyError):
    """The key is not a zone of the pinned tz database."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown time zone"


def tz_database_version() -> str:
    """The IANA release of the pinned tz database (e.g. ``"2026a"``)."""
    return str(tzdata.IANA_VERSION)


@functools.cache
def available_time_zones() -> frozenset[str]:
    """Every zone key (including backward-compatible links) in the pinned database."""
    text = importlib.resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@functools.cache
def get_zone(key: str) -> zoneinfo.ZoneInfo:
    """The zone ``key`` read from the pinned ``tzdata`` package, never the system's files."""
    if key not in available_time_zones():
        raise UnknownTimeZoneError(
            f"{key!r} is not a time zone in the tz database {tz_database_version()}"
        )
    resource = importlib.resources.files("tzdata.zoneinfo").joinpath(*key.split("/"))
    with resource.open("rb") as handle:
        return zoneinfo.ZoneInfo.from_file(handle, key=key)


def _offset_at(zone: dt.tzinfo, ts: int) -> int:
    """UTC offset, in whole seconds, in force at the UTC instant ``ts`` (epoch seconds)."""
    offset = dt.datetime.fromtimestamp(ts, tz=zone).utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset
    return int(offset.total_seconds())


def offset_pieces(
    zone: dt.tzinfo, start: int, end: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Split the UTC span ``[start, end)`` (epoch seconds) into pieces of constant offset.

    Returns ``(bounds, offsets)``: ``bounds[0] == start < bounds[1] < ... <
    bounds[-1] == end`` and ``offsets[i]`` is the UTC offset in seconds over
    ``[bounds[i], bounds[i + 1])``. Only changes of the offset count (a change of
    abbreviation alone is not a transition here).
    """
    if end <= start:
        raise ValueError("offset_pieces needs start < end")
    samples = list(range(start, end, _SAMPLE_STEP)) + [end - 1]
    bounds = [start]
    offsets = [_offset_at(zone, start)]
    previous_ts, previous = start, offsets[0]
    for ts in samples[1:]:
        current = _offset_at(zone, ts)
        # Usually at most one transition lies between two samples; the loop
        # still finds several as long as the offset does not come back to its
        # starting value within one step (which no zone does).
        while current != previous:
            lo, hi = previous_ts, ts
            while hi - lo > 1:  # first second whose offset differs from ``previous``
                mid = (lo + hi) // 2
                if _offset_at(zone, mid) == previous:
                    lo = mid
                else:
                    hi = mid
            previous_ts, previous = hi, _offset_at(zone, hi)
            bounds.append(hi)
            offsets.append(previous)
        previous_ts = ts
    bounds.append(end)
    return np.asarray(bounds, dtype=np.int64), np.asarray(offsets, dtype=np.int64)
