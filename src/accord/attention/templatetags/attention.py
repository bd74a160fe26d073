"""The main menu's "Needs my attention" link with its count."""

from __future__ import annotations

from typing import Any

from django import template

from accord.attention.inbox import attention_count

register = template.Library()


@register.inclusion_tag("attention/nav_link.html", takes_context=True)
def attention_link(context: dict[str, Any]) -> dict[str, Any]:
    """Unread notifications plus open actions due today or overdue (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"count": attention_count(user) if user is not None else 0}
