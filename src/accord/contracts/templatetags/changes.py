"""Template tags of changes: the relationship page's card."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db.models import Q
from django.utils import timezone

from accord.contracts.changes import with_signed_sides
from accord.contracts.models import ChangeRequest, ChangeStatus, ScopeQuestion
from accord.core.choices import Action, Side, Visibility
from accord.core.visibility import can

register = template.Library()

SHOWN = 5
RECENT = dt.timedelta(days=90)


@register.inclusion_tag("contracts/changes_card.html", takes_context=True)
def changes_card(context: dict[str, Any], relationship: Any) -> dict[str, Any]:
    """Change requests awaiting signatures, those approved lately, and open scope questions.

    Three queries whatever the numbers: the change requests (with the sides
    that signed their current version), the open questions, and whether the
    person may propose or ask.
    """
    user = context["request"].user
    side = relationship.side_of(user)
    since = timezone.now() - RECENT
    found = list(
        with_signed_sides(
            ChangeRequest.objects.restrict(user).filter(
                Q(status=ChangeStatus.PROPOSED)
                | Q(status=ChangeStatus.APPROVED, decided_at__gte=since),
                relationship=relationship,
            )
        ).order_by("-number")[: 4 * SHOWN]
    )
    pending = []
    for change in found:
        if change.status != ChangeStatus.PROPOSED:
            continue
        waiting = [
            s for s in (Side.BUYER, Side.PROVIDER) if not getattr(change, f"{s}_signed", False)
        ]
        pending.append({"change": change, "awaiting": waiting, "yours": side in waiting})
    approved = sorted(
        (c for c in found if c.status == ChangeStatus.APPROVED),
        key=lambda c: c.decided_at or since,
        reverse=True,
    )
    questions = list(
        ScopeQuestion.objects.restrict(user)
        .filter(relationship=relationship, resolution="")
        .order_by("created_at", "pk")[: SHOWN + 1]
    )
    return {
        "relationship": relationship,
        "side": side,
        "pending": pending[:SHOWN],
        "more_pending": len(pending) > SHOWN,
        "approved": approved[:3],
        "questions": questions[:SHOWN],
        "more_questions": len(questions) > SHOWN,
        "can_add": side is not None and can(user, Action.ADD, relationship, Visibility.JOINT),
    }
