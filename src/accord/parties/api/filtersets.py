"""API filters. Related records are filtered by plain id: a choice filter over every
row would answer "not a valid choice" for a missing id but an empty list for a
hidden one, telling the two apart."""

import django_filters

from accord.parties.models import Relationship, RelationshipStatus, Role


class RelationshipFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RelationshipStatus.choices)
    name = django_filters.CharFilter(lookup_expr="icontains")
    buyer = django_filters.NumberFilter(field_name="buyer_id")
    provider = django_filters.NumberFilter(field_name="provider_id")

    class Meta:
        model = Relationship
        fields = ["status", "name", "buyer", "provider"]


class RoleFilterSet(django_filters.FilterSet):
    relationship = django_filters.NumberFilter(field_name="relationship_id")
    person = django_filters.NumberFilter(field_name="person_id")

    class Meta:
        model = Role
        fields = ["relationship", "person", "role"]
