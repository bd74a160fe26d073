"""Shared plumbing for services: validate, save and audit as one atomic step."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from accord.core.context import acting_as

_M = TypeVar("_M", bound=models.Model)


def save_validated(instance: _M, *, actor: Any, update_fields: list[str] | None = None) -> _M:
    """``full_clean()`` then save, attributed to ``actor`` in the audit log."""
    instance.full_clean()
    with transaction.atomic(), acting_as(actor):
        instance.save(update_fields=update_fields)
    return instance


def delete_audited(instance: models.Model, *, actor: Any) -> None:
    with transaction.atomic(), acting_as(actor):
        instance.delete()


def apply_changes(instance: _M, changes: dict[str, Any]) -> list[str]:
    """Set ``changes`` on ``instance``; return the names of the fields that changed."""
    changed = []
    for name, value in changes.items():
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        current = getattr(instance, attname if not isinstance(value, models.Model) else name)
        if current != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
