"""Demo data: a signed joint plan per relationship with objectives at different statuses.

Idempotent: every record is looked up by its natural key first.
"""

from __future__ import annotations


def load_planning_demo() -> int:
    """Load the demo records; return how many were created."""
    return 0
