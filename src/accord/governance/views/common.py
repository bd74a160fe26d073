"""What every governance page shares: the relationship's clock, permission checks, forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from accord.core.choices import Action, Visibility
from accord.core.views import RestrictedObjectMixin, person_of
from accord.core.visibility import can
from accord.governance import selectors
from accord.governance.zones import relationship_zone, today_in
from accord.parties.models import Relationship

PAGE_SIZE = 25


def default_resolve_days(tier: int) -> dict[str, int]:
    """The issues clock's days per severity at a forum of ``tier``."""
    from accord.issues import clock

    return dict(clock.DEFAULT_RESOLVE_DAYS.get(tier, {}))


class GovernanceView(RestrictedObjectMixin, View):
    """A page of one relationship's governance, shown on the relationship's clock.

    :meth:`use_zone` activates the relationship's time zone for the rest of the
    request (forms parse and templates show local times); it is reset after.
    """

    zone: dt.tzinfo

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            timezone.deactivate()

    def use_zone(self, relationship: Relationship) -> dt.tzinfo:
        self.zone = relationship_zone(relationship, person_of(self.request))
        timezone.activate(self.zone)
        return self.zone

    def today(self) -> dt.date:
        return today_in(self.zone)

    def require(self, action: str, relationship: Relationship, what: str) -> None:
        if not can(person_of(self.request), action, relationship, Visibility.JOINT):
            raise PermissionDenied(f"Your role does not allow you to {what} here.")

    def may(self, action: str, relationship: Relationship) -> bool:
        return can(person_of(self.request), action, relationship, Visibility.JOINT)

    def people_choices(self, relationship: Relationship) -> tuple[Any, dict[int, str]]:
        """People with a role on the relationship, labelled with side and level."""
        user = person_of(self.request)
        roles = selectors.roles_by_person(user, relationship)
        people = selectors.people_of(user, relationship)
        labels = {
            pk: selectors.person_label(role.person, relationship, role)
            for pk, role in roles.items()
        }
        return people, labels

    def render_form(
        self,
        form: Any,
        relationship: Relationship,
        *,
        title: str,
        cancel_url: str,
        submit_label: str = "Save",
        intro: str = "",
        template: str = "governance/form.html",
    ) -> HttpResponse:
        context = {
            "form": form,
            "relationship": relationship,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
        }
        return render(self.request, template, context)


__all__ = ["Action", "GovernanceView", "PAGE_SIZE", "default_resolve_days"]
