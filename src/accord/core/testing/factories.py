"""factory_boy factories for the tenancy and notes."""

from __future__ import annotations

import factory

from accord.core.choices import RoleName, Visibility
from accord.notes.models import Note
from accord.parties.models import Organisation, Relationship, Role, User

TEST_PASSWORD = "correct-horse-battery"  # noqa: S105


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "buyer"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.LazyAttribute(lambda p: f"{p.username}@example.org")
    password = factory.django.Password(TEST_PASSWORD)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    buyer = factory.SubFactory(OrganisationFactory, kind="buyer")
    provider = factory.SubFactory(OrganisationFactory, kind="provider")
    name = factory.Sequence(lambda n: f"Relationship {n}")
    status = "steady_state"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    relationship = factory.SubFactory(RelationshipFactory)
    person = factory.SubFactory(UserFactory)
    role = RoleName.MANAGER


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    relationship = factory.SubFactory(RelationshipFactory)
    title = factory.Sequence(lambda n: f"Note {n}")
    body = "Some *markdown*."
    visibility = Visibility.JOINT
