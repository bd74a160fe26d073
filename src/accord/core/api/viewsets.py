"""Base viewsets: every query and lookup goes through ``restrict``."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import viewsets

from accord.core.choices import Action
from accord.core.selectors import get_for

ACTION_FOR_METHOD: dict[str, str] = {
    "list": Action.VIEW,
    "retrieve": Action.VIEW,
    "create": Action.ADD,
    "update": Action.CHANGE,
    "partial_update": Action.CHANGE,
    "destroy": Action.DELETE,
}


class RestrictedViewSetMixin:
    """Lists show what the caller may view; a lookup checks the action of the request.

    Hidden answers 404; visible but not permitted answers 403.
    """

    queryset: Any
    kwargs: dict[str, Any]
    request: Any
    select_related: ClassVar[tuple[str, ...]] = ()

    def get_queryset(self) -> Any:
        queryset = self.queryset.model.objects.restrict(self.request.user, Action.VIEW)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset

    def get_object(self) -> Any:
        action = ACTION_FOR_METHOD.get(getattr(self, "action", None) or "", Action.VIEW)
        obj = get_for(self.request.user, self.queryset.model, action, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)  # type: ignore[attr-defined]
        return obj


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class RestrictedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Writes go through services: subclasses implement ``perform_*`` with them."""

    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "delete", "head", "options"]  # type: ignore[misc]
