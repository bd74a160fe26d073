"""The restricted, audited queryset every domain model uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from accord.core.choices import Action

if TYPE_CHECKING:
    from collections.abc import Iterable

_M = TypeVar("_M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet[_M]):
    """``restrict(user, action)`` is the only door to a domain model's rows.

    Each model says which rows a person may reach through its ``visibility_q``
    class method; this queryset applies it. Bulk writes are audited here too,
    because Django's signals never see ``update()``, ``bulk_create()`` or
    ``bulk_update()``.
    """

    def restrict(self, user: Any, action: str = Action.VIEW) -> RestrictedQuerySet[_M]:
        q = self.model.visibility_q(user, action)  # type: ignore[attr-defined]
        return self.filter(q)

    # --- audited bulk writes -------------------------------------------------
    def update(self, **kwargs: Any) -> int:
        from accord.core import audit

        if not audit.is_audited(self.model):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            before = {row["pk"]: row for row in audit.snapshot_rows(self.select_for_update())}
            count = super().update(**kwargs)
            after = audit.snapshot_rows(self.model._base_manager.filter(pk__in=list(before)))
            for row in after:
                audit.record_change(self.model, before[row["pk"]], row)
        return count

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        from accord.core import audit

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            if audit.is_audited(self.model):
                for obj in created:
                    audit.record_instance(obj, "create", before=None)
        return created

    def bulk_update(
        self, objs: Iterable[_M], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        from accord.core import audit

        objs = list(objs)
        if not audit.is_audited(self.model):
            return super().bulk_update(objs, fields, batch_size)
        with transaction.atomic(using=self.db):
            pks = [obj.pk for obj in objs]
            base = self.model._base_manager.filter(pk__in=pks)
            before = {row["pk"]: row for row in audit.snapshot_rows(base.select_for_update())}
            count = super().bulk_update(objs, fields, batch_size)
            for row in audit.snapshot_rows(base):
                audit.record_change(self.model, before[row["pk"]], row)
        return count


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    """Default manager of every domain model."""
