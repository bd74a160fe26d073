"""The vocabulary every app shares: sides, visibilities, roles and actions."""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Side(models.TextChoices):
    """Which party of a relationship a person acts for."""

    BUYER = "buyer", "Buyer"
    PROVIDER = "provider", "Provider"


class Visibility(models.TextChoices):
    """Who may see a record that belongs to a relationship."""

    JOINT = "joint", "Joint (both sides)"
    BUYER = "buyer", "Buyer only"
    PROVIDER = "provider", "Provider only"

    @classmethod
    def for_side(cls, side: str) -> list[str]:
        """The visibilities a person on ``side`` may see and write."""
        return [cls.JOINT, cls(side)]

    @classmethod
    def choices_for_side(cls, side: str) -> list[tuple[str, str]]:
        allowed = cls.for_side(side)
        return [(value, label) for value, label in cls.choices if value in allowed]


class RoleName(models.TextChoices):
    """A person's role on one relationship."""

    EXECUTIVE = "executive", "Executive"
    MANAGER = "manager", "Manager"
    CONTRIBUTOR = "contributor", "Contributor"
    VIEWER = "viewer", "Viewer"


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"


# What each role may do to the records of its own side and the joint ones.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    RoleName.VIEWER: frozenset({Action.VIEW}),
    RoleName.CONTRIBUTOR: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
    RoleName.MANAGER: frozenset(Action),
    RoleName.EXECUTIVE: frozenset(Action),
}


# Roles that may sign joint records (excusals, objectives, change requests...) for their side.
SIGNATORY_ROLES: frozenset[str] = frozenset({RoleName.EXECUTIVE, RoleName.MANAGER})
# The annual joint plan is the executives' own commitment: only they sign it.
EXECUTIVE_ROLES: frozenset[str] = frozenset({RoleName.EXECUTIVE})


def roles_allowing(action: str) -> list[str]:
    """Role names that grant ``action``; an unknown action grants nothing."""
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]
