"""The one visibility rule, in one place.

A person sees a record that belongs to a relationship when they hold a role on
that relationship and the record's visibility is ``joint`` or their own side.
The role must also grant the action (view, add, change, delete). Everything
else - pages, form choices, API endpoints, exports, audit views - asks this
module through ``Model.objects.restrict(user, action)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q, QuerySet

from accord.core.choices import Action, Side, Visibility, roles_allowing

if TYPE_CHECKING:
    from accord.parties.models import User

NOTHING = Q(pk__in=[])


def is_active_person(user: Any) -> bool:
    """Signed in, active and belonging to an organisation."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "organisation_id", None)
    )


def relationship_ids(user: User, action: str, side: str) -> QuerySet[Any]:
    """Ids of the relationships where ``user`` holds a role granting ``action`` on ``side``."""
    Role = apps.get_model("parties", "Role")
    party_field = "relationship__buyer_id" if side == Side.BUYER else "relationship__provider_id"
    return Role.objects.filter(
        person_id=user.pk,
        role__in=roles_allowing(action),
        **{party_field: user.organisation_id},
    ).values("relationship_id")


def scoped_q(user: Any, action: str, path: str = "relationship") -> Q:
    """Q selecting relationship records ``user`` may ``action``.

    ``path`` names the relationship from the model (``relationship`` for most
    records, ``note__relationship`` for a child of a note...).
    """
    if not is_active_person(user):
        return NOTHING
    query = NOTHING
    for side in (Side.BUYER, Side.PROVIDER):
        visibility_path = f"{path.rsplit('relationship', 1)[0]}visibility"
        query |= Q(
            **{
                f"{path}_id__in": relationship_ids(user, action, side),
                f"{visibility_path}__in": Visibility.for_side(side),
            }
        )
    return query


def relationship_q(user: Any, action: str = Action.VIEW, field: str = "pk") -> Q:
    """Q selecting relationships (``field``: their id) where a role of ``user`` grants ``action``.

    Relationship-level facts (its name, its people) are joint by nature, so a
    role on either side is enough.
    """
    if not is_active_person(user):
        return NOTHING
    Role = apps.get_model("parties", "Role")
    held = Role.objects.filter(person_id=user.pk, role__in=roles_allowing(action))
    return Q(**{f"{field}__in": held.values("relationship_id")})


def side_of(user: Any, relationship: Any) -> str | None:
    """The side ``user`` acts for on ``relationship``, or None when neither."""
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return None
    if relationship.buyer_id == org_id:
        return Side.BUYER
    if relationship.provider_id == org_id:
        return Side.PROVIDER
    return None


def can(user: Any, action: str, relationship: Any, visibility: str = Visibility.JOINT) -> bool:
    """Whether ``user`` may ``action`` a record of ``visibility`` on ``relationship``.

    The single-object form of :func:`scoped_q`, for create checks where no
    record exists yet to filter on.
    """
    if not is_active_person(user):
        return False
    side = side_of(user, relationship)
    if side is None or visibility not in Visibility.for_side(side):
        return False
    return relationship_ids(user, action, side).filter(relationship_id=relationship.pk).exists()
