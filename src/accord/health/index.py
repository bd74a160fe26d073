"""The monthly health index (placeholder: the index helper writes it)."""

from __future__ import annotations

import datetime as dt

from accord.parties.models import Relationship


def compute_index(relationship: Relationship, months: list[dt.date]) -> None:
    """Write one HealthIndex per month of ``months`` from the joint inputs."""
