"""Related objects named by id are looked up through ``restrict`` too."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accord.core.choices import Action


class RestrictedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key that only resolves to records the requesting person may ``action``.

    A hidden id fails exactly like an id that does not exist.
    """

    def __init__(self, *, action: str = Action.VIEW, **kwargs: Any) -> None:
        self.action = action
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        queryset: Any = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return queryset.restrict(user, self.action)
