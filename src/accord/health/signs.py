"""The eight warning signs (placeholder: the signs helper writes the rules)."""

from __future__ import annotations

import datetime as dt

from accord.parties.models import Relationship


def evaluate_signs(relationship: Relationship, months: list[dt.date]) -> None:
    """Write one SignReading per sign and month of ``months``."""
