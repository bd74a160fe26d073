"""The periodic-job ticker of the web process."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.core import ticker

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> dict[str, ticker.Job]:
    """An empty registry of this test's own (the apps' jobs are left alone)."""
    registry: dict[str, ticker.Job] = {}
    monkeypatch.setattr(ticker, "_jobs", registry)
    return registry


def test_a_job_runs_at_start_then_once_per_period(jobs: Any) -> None:
    runs: list[dt.datetime] = []
    ticker.register("count", dt.timedelta(minutes=5), runs.append)

    assert ticker.run_due(T0) == ["count"]
    assert ticker.run_due(T0 + dt.timedelta(minutes=4)) == []
    assert ticker.run_due(T0 + dt.timedelta(minutes=5)) == ["count"]
    assert runs == [T0, T0 + dt.timedelta(minutes=5)]


def test_a_failing_job_does_not_stop_the_others_and_runs_again_next_period(jobs: Any) -> None:
    runs: list[str] = []

    def broken(now: dt.datetime) -> None:
        runs.append("broken")
        raise RuntimeError("mail server down")

    ticker.register("broken", dt.timedelta(minutes=1), broken)
    ticker.register("fine", dt.timedelta(minutes=1), lambda now: runs.append("fine"))

    assert ticker.run_due(T0) == ["fine"]
    assert ticker.run_due(T0 + dt.timedelta(minutes=1)) == ["fine"]
    assert runs == ["broken", "fine", "broken", "fine"]


def test_the_ticker_does_not_start_when_turned_off(settings: Any, jobs: Any) -> None:
    settings.ACCORD_TICKER = False
    assert ticker.start() is False
