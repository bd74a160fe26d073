"""Template tags of planning: the relationship page's card."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("planning/plan_card.html", takes_context=True)
def plan_card(context: dict[str, Any], relationship: Any) -> dict[str, Any]:
    """The year's joint plan: signatures and objectives by status."""
    return {"relationship": relationship}
