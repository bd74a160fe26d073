"""Audit receivers for single-object saves and deletes.

Deletes are caught here for every path (``obj.delete()``, ``QuerySet.delete()``
and cascades) because Django sends delete signals per object whenever a
receiver is connected. Bulk updates and creates skip signals; the
:class:`~accord.core.querysets.RestrictedQuerySet` audits those.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from accord.core import audit
from accord.core.models import AuditAction


@receiver(pre_save)
def remember_before(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or not audit.is_audited(sender) or instance._state.adding:
        return
    rows = audit.snapshot_rows(sender._base_manager.filter(pk=instance.pk))
    instance._audit_before = {k: v for k, v in rows[0].items() if k != "pk"} if rows else None


@receiver(post_save)
def audit_save(sender: Any, instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw or not audit.is_audited(sender):
        return
    action = AuditAction.CREATE if created else AuditAction.UPDATE
    audit.record_instance(instance, action, before=getattr(instance, "_audit_before", None))
    instance._audit_before = None


@receiver(post_delete)
def audit_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    if audit.is_audited(sender):
        audit.record_instance(instance, AuditAction.DELETE, before=None)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    from accord.parties.models import User

    username = str(credentials.get("username", ""))[:150]
    person = User.objects.filter(username=username).only("organisation_id").first()
    audit.record_event(
        AuditAction.LOGIN_FAILED,
        object_type="parties.user",
        object_id=str(person.pk) if person else "",
        description=f"Failed sign-in as {username!r}",
        organisation_id=person.organisation_id if person else None,
    )
