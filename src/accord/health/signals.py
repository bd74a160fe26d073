"""What asks for a health refresh from other apps (owned by the signs area).

A scorecard run that succeeded changes sign 1 (end-customer satisfaction)
and the index; a note saved or deleted may change sign 6 (push-back citing
the contract). Inputs of the health app itself ask through their services.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accord.health import refresh
from accord.notes.models import Note
from accord.performance.models import RunStatus, ScorecardRun


def request_refresh(relationship_id: int) -> None:
    """Refresh after commit (or with the bulk load that defers refreshes)."""
    if refresh.is_deferred():
        refresh.refresh_later(relationship_id)
        return
    transaction.on_commit(lambda: refresh.refresh_later(relationship_id))


@receiver(post_save, sender=ScorecardRun, dispatch_uid="health_scorecard_run_saved")
def scorecard_run_saved(sender: Any, instance: ScorecardRun, **kwargs: Any) -> None:
    if instance.status == RunStatus.SUCCEEDED:
        request_refresh(instance.relationship_id)


@receiver(post_save, sender=Note, dispatch_uid="health_note_saved")
def note_saved(sender: Any, instance: Note, **kwargs: Any) -> None:
    request_refresh(instance.relationship_id)


@receiver(post_delete, sender=Note, dispatch_uid="health_note_deleted")
def note_deleted(sender: Any, instance: Note, **kwargs: Any) -> None:
    request_refresh(instance.relationship_id)
