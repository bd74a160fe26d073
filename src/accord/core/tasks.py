"""Long work (imports, recomputing scorecards) off the request, with nothing to install.

``ACCORD_TASKS = "thread"`` (the default) runs each task on one background
worker thread of the web process once the request's transaction commits;
the task records its own progress in the database, where pages poll it.
``"inline"`` runs it at once in the caller (tests, the command line). One
worker keeps tasks in order: a recomputation never races the import it
follows. Tasks left half-done by a stopped process are failed at the next
start (see :func:`accord.performance.imports.fail_interrupted_imports`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None
_on_start: list[Callable[[], Any]] = []


def on_worker_start(callback: Callable[[], Any]) -> None:
    """Run ``callback`` on the worker before its first task (apps clean up after a stop)."""
    _on_start.append(callback)


def _worker() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-task")
        for callback in _on_start:
            _executor.submit(_run, callback, ())
    return _executor


def _run(task: Callable[..., Any], args: tuple[Any, ...]) -> None:
    close_old_connections()
    try:
        task(*args)
    except Exception:  # a task records its own failure; this is the last resort
        logger.exception("Background task %s failed", getattr(task, "__name__", task))
    finally:
        close_old_connections()


def enqueue(task: Callable[..., Any], *args: Any) -> Future[None] | None:
    """Run ``task(*args)`` now (inline) or on the worker after the transaction commits."""
    if settings.ACCORD_TASKS == "inline":
        task(*args)
        return None
    submitted: list[Future[None]] = []
    transaction.on_commit(lambda: submitted.append(_worker().submit(_run, task, args)))
    return submitted[0] if submitted else None
