"""Who is acting and under which request id, for the audit log.

The web middleware binds the current request; services and commands bind an
explicit actor with :func:`acting_as`. Audit entries read both from here, so
a write deep inside a service is attributed without threading the request
through every call.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

_request: ContextVar[HttpRequest | None] = ContextVar("accord_request", default=None)
_actor: ContextVar[Any] = ContextVar("accord_actor", default=None)
_request_id: ContextVar[str | None] = ContextVar("accord_request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def bound_request(request: HttpRequest) -> Iterator[None]:
    request_token = _request.set(request)
    id_token = _request_id.set(getattr(request, "request_id", None))
    try:
        yield
    finally:
        _request.reset(request_token)
        _request_id.reset(id_token)


@contextmanager
def acting_as(actor: Any, request_id: str | None = None) -> Iterator[None]:
    """Attribute every audited write inside the block to ``actor``."""
    actor_token = _actor.set(actor)
    id_token = _request_id.set(request_id or _request_id.get() or new_request_id())
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _request_id.reset(id_token)


def current_actor() -> Any:
    """The explicit actor if one is bound, else the signed-in user of the request."""
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and user.is_authenticated:
        return user
    return None


def current_request_id() -> str:
    return _request_id.get() or ""


def current_request() -> HttpRequest | None:
    return _request.get()
