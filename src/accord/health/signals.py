"""What asks for a health refresh from other apps (owned by the signs area).

A scorecard run that succeeded changes sign 1 (end-customer satisfaction)
and the index; a note or an issue saved or deleted may change sign 6
(push-back citing the contract); a forum meeting or its attendance signs 5
and 7; a joint plan's objectives or signatures sign 3. Inputs of the health
app itself ask through their services.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accord.core.models import Signature
from accord.governance.models import Attendance, Meeting
from accord.health import refresh
from accord.issues.models import Issue
from accord.notes.models import Note
from accord.performance.models import RunStatus, ScorecardRun
from accord.planning.models import Objective, PlanningCycle


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


# Inputs of signs 3, 5, 6 and 7 that live in the planning, governance and issues apps.
# (A plan's own save matters too: an edit voids its signatures, so it leaves force.)
SIGN_INPUTS = (Issue, Meeting, Attendance, PlanningCycle, Objective)


def input_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    request_refresh(instance.relationship_id)


for model in SIGN_INPUTS:
    post_save.connect(input_changed, sender=model, dispatch_uid=f"health_{model.__name__}_saved")
    post_delete.connect(
        input_changed, sender=model, dispatch_uid=f"health_{model.__name__}_deleted"
    )


@receiver(post_save, sender=Signature, dispatch_uid="health_plan_signed")
def plan_signed(sender: Any, instance: Signature, **kwargs: Any) -> None:
    """A plan in force (both executives signed) changes what sign 3 counts."""
    if instance.object_type == "planning.planningcycle":
        request_refresh(instance.relationship_id)
