"""Template tags of governance: the relationship page's card."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import dateformat, timezone

from accord.governance.selectors import card_facts
from accord.governance.zones import relationship_zone

register = template.Library()


@register.inclusion_tag("governance/governance_card.html", takes_context=True)
def governance_card(context: dict[str, Any], relationship: Any) -> dict[str, Any]:
    """Forums, the next meeting, open and overdue actions (three queries)."""
    user = context["request"].user
    zone = relationship_zone(relationship, user)
    today = timezone.localtime(timezone.now(), zone).date()
    facts = card_facts(user, relationship, today)
    next_when = ""
    if facts.next_meeting is not None:
        # On the relationship's clock, not the server's.
        local = timezone.localtime(facts.next_meeting.next_at, zone)  # type: ignore[attr-defined]
        next_when = dateformat.format(local, "D j M Y, H:i")
    return {
        "relationship": relationship,
        "forums": facts.forums,
        "next": facts.next_meeting,
        "next_when": next_when,
        "open_actions": facts.open_actions,
        "overdue_actions": facts.overdue_actions,
    }
