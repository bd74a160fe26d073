"""The survey instrument that ships with Accord, drawn from the practices in the articles.

Each dimension has a statement about the relationship (rated once) and a
statement about each side (rated for one's own side and for the other side:
the pair the perception gap compares). The data migration creates it; keep
this text stable, since closed rounds point at it.
"""

from __future__ import annotations

NAME = "Accord relationship health survey"
DESCRIPTION = (
    "Nine dimensions of a healthy outsourcing partnership. Rate each statement from "
    "1 (strongly disagree) to 5 (strongly agree); leave a rating empty if you have no view."
)

# code, name, description, statement about the relationship, statement about a side
DIMENSIONS: list[tuple[str, str, str, str, str]] = [
    ("expectations", "Expectation alignment",
     "Both sides share one understanding of what success looks like.",
     "What each side expects of the other is stated clearly and understood the same way.",
     "This side states its expectations clearly and early."),
    ("communication", "Openness of communication",
     "Concerns are voiced early, both ways, without fear.",
     "Bad news travels quickly and is received constructively.",
     "This side raises concerns early and listens to the other's challenges."),
    ("flexibility", "Flexibility",
     "The partnership adapts when either side's world changes.",
     "When circumstances change we adapt together without losing the contract's intent.",
     "This side is willing to adapt rather than cite the letter of the contract."),
    ("trust", "Trust",
     "Each side believes the other acts in the partnership's interest.",
     "We can rely on commitments made in this relationship.",
     "This side keeps its commitments and acts in the partnership's interest."),
    ("objectives", "Joint objectives",
     "A short list of objectives both sides own.",
     "We have a short list of joint objectives for the year that both sides work towards.",
     "This side owns its part of the joint objectives."),
    ("executives", "Executive engagement",
     "Executives of both sides stay involved.",
     "Executives of both sides give the relationship regular attention.",
     "This side's executives are visible and engaged in the relationship."),
    ("value", "Value beyond savings",
     "Success is measured by more than cost.",
     "Success is measured by service quality and outcomes, not only by savings.",
     "This side looks for value beyond the price."),
    ("innovation", "Innovation",
     "Improvement ideas come forward and are rewarded.",
     "Improvement ideas are put forward, considered and rewarded.",
     "This side proposes improvements without being asked."),
    ("governance", "Governance effectiveness",
     "Meetings and forums decide things and resolve issues on time.",
     "Our governance meetings are worth the time and resolve issues at the right level.",
     "This side comes to governance prepared and follows through on actions."),
]  # fmt: skip
