import django_filters

from accord.parties.models import Relationship, RelationshipStatus, Role


class RelationshipFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RelationshipStatus.choices)
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Relationship
        fields = ["status", "name", "buyer", "provider"]


class RoleFilterSet(django_filters.FilterSet):
    class Meta:
        model = Role
        fields = ["relationship", "person", "role"]
