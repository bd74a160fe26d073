"""Reading records through the visibility rule."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from accord.core import audit
from accord.core.choices import Action
from accord.core.exceptions import NotFound, PermissionDenied
from accord.core.models import AuditAction

_M = TypeVar("_M", bound=models.Model)


def get_for(user: Any, model: type[_M], action: str = Action.VIEW, **lookup: Any) -> _M:
    """The record ``user`` may ``action``, or an error that reveals nothing.

    Not visible answers :class:`NotFound`, exactly like not existing (and a
    refused access to a record that exists is audited). Visible but not
    permitted for this action answers :class:`PermissionDenied`.
    """
    manager = model.objects  # type: ignore[attr-defined]
    obj = manager.restrict(user, action).filter(**lookup).first()
    if obj is not None:
        return obj
    if action != Action.VIEW and manager.restrict(user, Action.VIEW).filter(**lookup).exists():
        raise PermissionDenied(f"You may not {action} this record.")
    if model._base_manager.filter(**lookup).exists() and getattr(user, "is_authenticated", False):
        audit.record_event(
            AuditAction.ACCESS_REFUSED,
            object_type=audit.object_type(model),
            object_id=str(lookup.get("pk", "")),
            description=f"Refused {action} of a record outside the person's reach",
            actor=user,
        )
    raise NotFound(f"No {model._meta.verbose_name} matches the given query.")


def ensure_still_permitted(instance: models.Model, actor: Any, action: str) -> None:
    """Re-check, inside the writing transaction, that the saved record is within reach.

    An update that moved the record to another relationship or to the other
    side's visibility fails here, and the transaction rolls the change back.
    """
    manager = type(instance).objects  # type: ignore[attr-defined]
    if not manager.restrict(actor, action).filter(pk=instance.pk).exists():
        raise PermissionDenied("That change would put the record out of your reach.")


def permits(user: Any, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may ``action`` the saved record ``obj`` (to show or hide a button)."""
    manager = type(obj).objects  # type: ignore[attr-defined]
    return bool(manager.restrict(user, action).filter(pk=obj.pk).exists())
