"""The health card of a relationship's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from accord.core.choices import Side
from accord.health.portfolio import financial_triggers, latest_scored, previous_of, visible_indices
from accord.health.views.index import sign_labels

register = template.Library()

# (URL name, link words, buyer only): each area's main page, named in the brief.
AREA_LINKS = [
    ("health_index_list", "Health index", False),
    ("survey_round_list", "Surveys", False),
    ("sign_board", "Warning signs", False),
    ("workforce_list", "Workforce", False),
    ("meeting_log_list", "Meetings", False),
    ("proposal_list", "Improvement proposals", False),
    ("financial_indicator_list", "Provider finances (buyer only)", True),
    ("introspection_list", "Our introspection (buyer only)", True),
]


@register.inclusion_tag("health/index/card.html", takes_context=True)
def health_card(context: dict[str, Any], relationship: Any) -> dict[str, Any]:
    """The latest index, its trend arrow, the triggered signs and the health pages."""
    user = context["request"].user
    is_buyer = relationship.side_of(user) == Side.BUYER
    history = list(visible_indices(user, relationship).order_by("month"))
    latest = latest_scored(history)
    previous = previous_of(history, latest)
    change = None
    if latest and previous and latest.score is not None and previous.score is not None:
        change = latest.score - previous.score
    triggered = list(latest.triggered_signs) if latest else []
    if relationship.pk in financial_triggers(user, [relationship.pk]):
        triggered.append("financial_erosion")
    links = []
    for name, words, buyer_only in AREA_LINKS:
        if buyer_only and not is_buyer:
            continue
        links.append((reverse(name, kwargs={"pk": relationship.pk}), words))
    return {
        "relationship": relationship,
        "latest": latest,
        "change": change,
        "triggered": sign_labels(triggered),
        "links": links,
        "portfolio_url": reverse("health_portfolio"),
    }
