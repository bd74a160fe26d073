"""Template tags of issues: the relationship page's card."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from accord.core.choices import Visibility
from accord.governance.models import Forum
from accord.issues.clock import read_clock
from accord.issues.models import OPEN_STATUSES, Issue, IssueStatus

register = template.Library()

OPEN_STAGES = [IssueStatus.RAISED, IssueStatus.EXPLORING, IssueStatus.OPTIONS]


@register.inclusion_tag("issues/issues_card.html", takes_context=True)
def issues_card(context: dict[str, Any], relationship: Any) -> dict[str, Any]:
    """Open issues by stage, how many are overdue, and the next clock to run out (the
    earliest deadline still ahead), in three queries whatever the data."""
    user = context["request"].user
    now = timezone.now()
    visible = Issue.objects.restrict(user).filter(
        relationship=relationship, status__in=OPEN_STATUSES
    )
    rows = visible.values("status").annotate(
        n=Count("pk"), overdue=Count("pk", filter=Q(due_at__lte=now))
    )
    counts = {row["status"]: row["n"] for row in rows}
    overdue = sum(row["overdue"] for row in rows)
    nearest = (
        visible.filter(due_at__gt=now).select_related("forum").order_by("due_at", "pk").first()
    )
    state = None
    if nearest is not None:
        forums = list(
            Forum.objects.restrict(user)
            .filter(relationship=relationship, visibility=Visibility.JOINT)
            .order_by("tier", "pk")
        )
        state = read_clock(nearest, forums, now)
    return {
        "relationship": relationship,
        "stages": [(IssueStatus(s).label, counts.get(s, 0)) for s in OPEN_STAGES],
        "open_total": sum(counts.values()),
        "overdue": overdue,
        "nearest": nearest,
        "clock": state,
    }
