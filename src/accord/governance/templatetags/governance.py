"""Template tags of governance: the relationship page's card."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("governance/governance_card.html", takes_context=True)
def governance_card(context: dict[str, Any], relationship: Any) -> dict[str, Any]:
    """Forums, the next and last meetings, open actions."""
    return {"relationship": relationship}
