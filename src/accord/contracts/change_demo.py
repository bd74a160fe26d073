"""Demo data: an approved and a pending change request per relationship, and scope questions.

Idempotent: every record is looked up by its natural key first.
"""

from __future__ import annotations


def load_changes_demo() -> int:
    """Load the demo records; return how many were created."""
    return 0
