"""Periodic jobs of the web process: the issue escalation clock, the daily digest.

Apps :func:`register` a job with its period; :func:`start` (called once by
``accord.wsgi``, which both ``runserver`` and production servers load) runs a
daemon thread that wakes every ``ACCORD_TICK_SECONDS`` and runs each job that
is due, one after another. Every job is also a management command, so a
deployment that prefers cron (or runs several web processes) sets
``ACCORD_TICKER=off`` and schedules the commands instead. Jobs must be
idempotent: running one twice, or late, changes nothing more than running it
once on time.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    every: datetime.timedelta
    run: Callable[[datetime.datetime], Any]
    next_due: datetime.datetime | None = field(default=None)


_jobs: dict[str, Job] = {}
_started = False
_lock = threading.Lock()


def register(name: str, every: datetime.timedelta, run: Callable[[datetime.datetime], Any]) -> None:
    """Run ``run(now)`` every ``every`` while the web process serves (first run at start)."""
    _jobs[name] = Job(name, every, run)


def jobs() -> list[Job]:
    return list(_jobs.values())


def run_due(now: datetime.datetime) -> list[str]:
    """Run every job due at ``now``; return their names. A failing job is logged and retried
    at its next period, never stopping the others."""
    ran = []
    for job in _jobs.values():
        if job.next_due is not None and job.next_due > now:
            continue
        job.next_due = now + job.every
        try:
            job.run(now)
            ran.append(job.name)
        except Exception:
            logger.exception("Periodic job %s failed", job.name)
    return ran


def _loop(period: float) -> None:
    while True:
        # The thread keeps its own connection: drop it when broken or past its age.
        close_old_connections()
        try:
            run_due(timezone.now())
        finally:
            close_old_connections()
        time.sleep(period)


def start() -> bool:
    """Start the ticker thread once per process (unless ``ACCORD_TICKER`` is off)."""
    global _started
    if not settings.ACCORD_TICKER:
        return False
    with _lock:
        if _started:
            return False
        _started = True
    thread = threading.Thread(
        target=_loop, args=(settings.ACCORD_TICK_SECONDS,), name="accord-ticker", daemon=True
    )
    thread.start()
    return True
