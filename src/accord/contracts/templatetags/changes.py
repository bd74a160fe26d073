"""Template tags of changes: the relationship page's card."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("contracts/changes_card.html", takes_context=True)
def changes_card(context: dict[str, Any], relationship: Any) -> dict[str, Any]:
    """Change requests waiting for signatures and open scope questions."""
    return {"relationship": relationship}
