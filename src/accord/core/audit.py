"""Writing and verifying the audit log.

Every audited write ends up in :func:`append_entry`, which takes the chain
head's row lock, links the new entry to the previous one by hash and moves
the head. Because it runs inside the caller's transaction, a write that is
rolled back leaves no audit entry behind, and one that commits always has one.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from accord.core.choices import Visibility
from accord.core.context import current_actor, current_request_id
from accord.core.models import AuditAction, AuditChainHead, AuditedModel, AuditEntry


def is_audited(model: type[models.Model]) -> bool:
    return issubclass(model, AuditedModel) and model.audited


def object_type(model: type[models.Model] | models.Model) -> str:
    meta = model._meta
    return f"{meta.app_label}.{meta.model_name}"


class _AuditEncoder(DjangoJSONEncoder):
    """Like Django's encoder, but keeps instants to the microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def _json_safe(values: dict[str, Any]) -> dict[str, Any]:
    """Plain JSON values, so a snapshot reads back exactly as it was hashed."""
    loaded: dict[str, Any] = json.loads(json.dumps(values, cls=_AuditEncoder))
    return loaded


def _snapshot_fields(model: type[models.Model]) -> list[str]:
    excluded: frozenset[str] = getattr(model, "audit_exclude", frozenset())
    return [f.attname for f in model._meta.concrete_fields if f.name not in excluded]


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The audited field values of ``instance`` (secrets left out)."""
    return _json_safe({name: getattr(instance, name) for name in _snapshot_fields(type(instance))})


def snapshot_rows(queryset: models.QuerySet[Any]) -> list[dict[str, Any]]:
    """Snapshots of every row of ``queryset``, each with its ``pk`` for matching."""
    fields = _snapshot_fields(queryset.model)
    rows = []
    for values in queryset.order_by().values(*fields):
        row = _json_safe(values)
        row["pk"] = values[queryset.model._meta.pk.attname]
        rows.append(row)
    return rows


def _actor_fields() -> dict[str, Any]:
    actor = current_actor()
    if actor is None:
        return {"actor_id": None, "actor_name": "system"}
    return {"actor_id": actor.pk, "actor_name": actor.get_username()}


def append_entry(**fields: Any) -> AuditEntry:
    """Append one entry to the chain, inside the current transaction."""
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            timestamp=timezone.now(),
            request_id=current_request_id(),
            prev_hash=head.last_hash,
            **{**_actor_fields(), **fields},
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def _scope_of(instance: models.Model) -> dict[str, Any]:
    scope: dict[str, Any] = instance.audit_scope()  # type: ignore[attr-defined]
    return scope


def _narrower(first: str, second: str) -> str:
    """The visibility that hides an entry from whoever could not see either version."""
    return second if first == Visibility.JOINT else first


def record_instance(
    instance: models.Model, action: str, before: dict[str, Any] | None
) -> AuditEntry | None:
    """Audit a create, update or delete of ``instance``; a no-op update is skipped."""
    after = None if action == AuditAction.DELETE else snapshot(instance)
    if action == AuditAction.DELETE:
        before = snapshot(instance)
    if action == AuditAction.UPDATE and before == after:
        return None
    scope = _scope_of(instance)
    if before and "visibility" in before and before["visibility"] != scope["visibility"]:
        # A record that changed sides must not reveal its old content to the new audience.
        scope["visibility"] = _narrower(before["visibility"], scope["visibility"])
    return append_entry(
        action=action,
        object_type=object_type(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        **scope,
    )


def record_change(model: type[models.Model], before: dict[str, Any], after: dict[str, Any]) -> None:
    """Audit one row changed by a bulk ``update()`` or ``bulk_update()``."""
    pk = after.pop("pk")
    before = {k: v for k, v in before.items() if k != "pk"}
    instance = model(**after)
    instance.pk = pk
    record_instance(instance, AuditAction.UPDATE, before=before)


def record_event(
    action: str,
    *,
    object_type: str = "",
    object_id: str = "",
    description: str = "",
    organisation_id: int | None = None,
    actor: Any = None,
) -> AuditEntry:
    """Audit a security event (a failed sign-in, a refused access) outside any record.

    Written in its own transaction so that the event survives the rollback of
    the request that caused it.
    """
    fields: dict[str, Any] = {}
    if actor is not None:
        fields = {"actor_id": actor.pk, "actor_name": actor.get_username()}
    with transaction.atomic():
        return append_entry(
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=description[:200],
            relationship_id=None,
            organisation_id=organisation_id,
            visibility=Visibility.JOINT,
            before=None,
            after=None,
            **fields,
        )


@dataclass(frozen=True)
class ChainReport:
    """The outcome of verifying the audit chain."""

    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    def __str__(self) -> str:
        if self.ok:
            return f"Audit chain intact: {self.checked} entries verified."
        return f"Audit chain broken at entry #{self.broken_at}: {self.reason}"


def verify_chain(entries: Iterable[AuditEntry] | None = None) -> ChainReport:
    """Walk the chain from the first entry and say where, if anywhere, it breaks."""
    rows = entries if entries is not None else AuditEntry.objects.order_by("seq").iterator(2000)
    previous_hash = "0" * 64
    expected_seq = 1
    checked = 0
    for entry in rows:
        if entry.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"entry #{expected_seq} is missing")
        if entry.prev_hash != previous_hash:
            return ChainReport(
                checked, entry.seq, "it does not follow the entry before it (one was removed)"
            )
        if entry.compute_hash() != entry.hash:
            return ChainReport(checked, entry.seq, "its content was changed after it was written")
        previous_hash = entry.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq, head.last_hash) != (expected_seq - 1, previous_hash):
        return ChainReport(
            checked,
            expected_seq,
            f"the chain should run to entry #{head.last_seq}; later entries were removed",
        )
    return ChainReport(checked)
