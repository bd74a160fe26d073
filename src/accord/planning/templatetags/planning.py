"""Template tags of planning: the relationship page's card."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from accord.core.models import Signature
from accord.core.signing import object_key
from accord.planning.models import Objective, ObjectiveStatus, PlanningCycle

register = template.Library()


@register.inclusion_tag("planning/plan_card.html", takes_context=True)
def plan_card(context: dict[str, Any], relationship: Any) -> dict[str, Any]:
    """This year's joint plan: in force or waiting for signatures, objectives by status.

    Three queries: the plan, its current version's signatures, its objectives' statuses.
    """
    user = context["request"].user
    year = timezone.localdate().year
    plan = PlanningCycle.objects.restrict(user).filter(relationship=relationship, year=year).first()
    card: dict[str, Any] = {
        "relationship": relationship,
        "year": year,
        "plan": plan,
        "plans_url": reverse("plan_list", kwargs={"pk": relationship.pk}),
    }
    if plan is None:
        return card
    sides = set(
        Signature.objects.restrict(user)
        .filter(object_type=object_key(plan)[0], object_id=str(plan.pk), version=plan.version)
        .values_list("side", flat=True)
    )
    statuses = Counter(
        Objective.objects.restrict(user).filter(cycle=plan).values_list("status", flat=True)
    )
    waiting = [side for side in ("buyer", "provider") if side not in sides]
    card.update(
        {
            "in_force": not waiting,
            "waiting_text": " and ".join(f"the {side}" for side in waiting),
            "total": sum(statuses.values()),
            "statuses": [
                (value, label, statuses[value])
                for value, label in ObjectiveStatus.choices
                if statuses[value]
            ],
        }
    )
    return card
