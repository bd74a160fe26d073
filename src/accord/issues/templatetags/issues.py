"""Template tags of issues: the relationship page's card."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("issues/issues_card.html", takes_context=True)
def issues_card(context: dict[str, Any], relationship: Any) -> dict[str, Any]:
    """Open issues by stage and the escalation clock."""
    return {"relationship": relationship}
