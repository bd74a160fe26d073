"""What a service level is about: the end customer, quality, timeliness, cost...

Warning signs read it: a fall in a customer-focused level is sign 1; a
schedule whose every level is about cost and efficiency is sign 3. The focus
is guessed from the level's code and name when the level first appears, and
either side may correct it afterwards (a later schedule keeps the correction).
"""

from __future__ import annotations

import re

from django.db import models


class LevelFocus(models.TextChoices):
    CUSTOMER = "customer", "End-customer experience"
    QUALITY = "quality", "Quality and accuracy"
    TIMELINESS = "timeliness", "Timeliness and responsiveness"
    EFFICIENCY = "efficiency", "Cost and efficiency"
    COMPLIANCE = "compliance", "Compliance and security"
    OTHER = "other", "Other"


# First match wins: a "member satisfaction" level is about the customer even if it says "rate".
_KEYWORDS: list[tuple[str, str]] = [
    (LevelFocus.CUSTOMER, r"csat|satisf|nps|net promoter|complain|escalat|member|customer|"
                          r"citizen|employee experience"),
    (LevelFocus.EFFICIENCY, r"cost|saving|efficien|productiv|handle time|\baht\b|utili[sz]|"
                            r"occupancy|per (call|contact|ticket|payslip)|price"),
    (LevelFocus.COMPLIANCE, r"complian|securit|audit|privacy|breach|regulat"),
    (LevelFocus.QUALITY, r"accura|quality|error|resolution|\bfcr\b|right first|defect"),
    (LevelFocus.TIMELINESS, r"within|answer|speed|\basa\b|wait|abandon|on time|timel|"
                            r"respon|resolve|turnaround|latency|availab"),
]  # fmt: skip


def guess_focus(code: str, name: str) -> str:
    """The focus a level's code and name suggest (``other`` when nothing matches)."""
    text = f"{code} {name}".lower().replace("-", " ")
    for focus, pattern in _KEYWORDS:
        if re.search(pattern, text):
            return focus
    return LevelFocus.OTHER
