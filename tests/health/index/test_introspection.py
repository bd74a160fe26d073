"""The buyer's introspection: validation, and never a trace of it for the provider."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accord.core.exceptions import NotFound, PermissionDenied
from accord.core.models import AuditEntry
from accord.core.testing.factories import UserFactory
from accord.core.testing.world import World
from accord.health import introspection as services
from accord.health.models import Introspection, IntrospectionAction

pytestmark = pytest.mark.django_db

SCORES = {"vision_score": 4, "innovation_score": 2, "commercial_score": 1,
          "culture_score": 3, "stakeholders_score": 5}  # fmt: skip
SECRET = "Lowest bidder, and we knew it"


def _create(world: World, persona: str = "a_manager", **overrides: Any) -> Introspection:
    fields: dict[str, Any] = {**SCORES, "commercial_note": SECRET, **overrides}
    return services.introspection_create(
        relationship=world.relationships["R1"], title="Before the reset",
        actor=world.people[persona], assessed_on=dt.date(2026, 10, 1), **fields,
    )  # fmt: skip


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_scores_and_mean(world: World) -> None:
    item = _create(world)
    assert item.visibility == "buyer"
    assert item.score == 3.0  # (4 + 2 + 1 + 3 + 5) / 5
    assert item.created_by == world.people["a_manager"]


@pytest.mark.parametrize("bad", [0, 6, "x", None])
def test_scores_are_one_to_five(world: World, bad: Any) -> None:
    with pytest.raises(ValidationError) as error:
        _create(world, vision_score=bad)
    assert "vision_score" in error.value.message_dict
    assert not Introspection.objects.filter(title="Before the reset").exists()


def test_only_the_buyer_writes_it(world: World) -> None:
    with pytest.raises(NotFound):
        _create(world, persona="p_manager")
    with pytest.raises(PermissionDenied):
        _create(world, persona="a_viewer")
    with pytest.raises(NotFound):
        _create(world, persona="b_manager")  # not on R1


def test_action_owner_is_a_buyer_person_on_the_relationship(world: World) -> None:
    item = _create(world)
    actor = world.people["a_manager"]
    ok = services.introspection_action_create(
        introspection=item, description="Share the vision", owner=world.people["a_exec"],
        due_on=dt.date(2026, 12, 1), actor=actor,
    )  # fmt: skip
    assert ok.owner == world.people["a_exec"]
    assert ok.visibility == "buyer"
    stranger = UserFactory(username="a_stranger", organisation=world.orgs["A"])  # no role
    for owner in (world.people["p_manager"], world.people["a_admin"], stranger):
        with pytest.raises(ValidationError) as error:
            services.introspection_action_create(
                introspection=item, description="x", owner=owner, actor=actor
            )
        assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.introspection_action_update(action=ok, owner=world.people["p_exec"], actor=actor)
    assert "owner" in error.value.message_dict
    toggled = services.introspection_action_toggle(action=ok, actor=actor)
    assert toggled.done is True
    assert services.introspection_action_toggle(action=toggled, actor=actor).done is False


def test_buyer_pages_work(world: World) -> None:
    client = _client(world.people["a_manager"])
    rel = world.relationships["R1"]
    data = {"title": "Our own part", "assessed_on": "2026-10-01", **SCORES,
            "commercial_note": SECRET}  # fmt: skip
    response = client.post(reverse("introspection_add", kwargs={"pk": rel.pk}), data)
    assert response.status_code == 302
    item = Introspection.objects.get(title="Our own part")
    detail = client.get(item.get_absolute_url()).content.decode()
    assert SECRET in detail
    assert "Step 1 of the reset plan" in detail
    assert "3.0" in detail
    bad = client.post(reverse("introspection_add", kwargs={"pk": rel.pk}),
                      {**data, "vision_score": 9})  # fmt: skip
    assert bad.status_code == 200
    assert 'class="error' in bad.content.decode()
    action = client.post(
        reverse("introspection_action_add", kwargs={"pk": item.pk}),
        {"description": "Reward ideas", "owner": world.people["a_exec"].pk},
    )
    assert action.status_code == 302
    refused = client.post(
        reverse("introspection_action_add", kwargs={"pk": item.pk}),
        {"description": "Reward ideas", "owner": world.people["p_exec"].pk},
    )
    assert 'class="error' in refused.content.decode()
    export = client.get(reverse("introspection_csv", kwargs={"pk": rel.pk}))
    assert SECRET in b"".join(export.streaming_content).decode()
    audit = client.get(reverse("introspection_audit", kwargs={"pk": item.pk})).content.decode()
    assert "health.introspectionaction" in audit


def test_never_visible_to_the_provider(world: World) -> None:
    item = _create(world)
    action = services.introspection_action_create(
        introspection=item, description="Pay for innovation", actor=world.people["a_manager"]
    )
    services.introspection_update(introspection=item, title="Renamed", actor=world.people["a_exec"])
    rel = world.relationships["R1"]
    for persona in ("p_manager", "p_exec", "p_admin", "p_viewer"):
        person = world.people[persona]
        client = _client(person)
        for url in (
            reverse("introspection_list", kwargs={"pk": rel.pk}),
            reverse("introspection_csv", kwargs={"pk": rel.pk}),
            reverse("introspection_add", kwargs={"pk": rel.pk}),
            item.get_absolute_url(),
            reverse("introspection_audit", kwargs={"pk": item.pk}),
            reverse("introspection_action_edit", kwargs={"pk": action.pk}),
        ):
            assert client.get(url).status_code == 404, (persona, url)
        for url in (rel.get_absolute_url(), reverse("relationship_audit", kwargs={"pk": rel.pk}),
                    reverse("health_portfolio")):  # fmt: skip
            page = client.get(url).content.decode()
            assert SECRET not in page
            assert "Renamed" not in page
            assert "Pay for innovation" not in page
        api = APIClient()
        api.force_authenticate(person)
        for endpoint in ("api:introspection-list", "api:introspection-action-list",
                         "api:auditentry-list"):  # fmt: skip
            body = api.get(reverse(endpoint)).content.decode()
            assert SECRET not in body
            assert "Pay for innovation" not in body
        csv_body = api.get(reverse("api:introspection-list"), {"format": "csv"}).content.decode()
        assert SECRET not in csv_body
        assert (
            api.get(reverse("api:introspection-detail", kwargs={"pk": item.pk})).status_code == 404
        )
        entries = AuditEntry.objects.restrict(person).filter(
            object_type__in=["health.introspection", "health.introspectionaction"]
        )
        assert not entries.exists()
    # The buyer sees all of it, audit included.
    buyer = world.people["a_manager"]
    assert (
        AuditEntry.objects.restrict(buyer)
        .filter(object_type="health.introspection", object_id=str(item.pk))
        .count()
        == 2
    )  # created, renamed
    api = APIClient()
    api.force_authenticate(buyer)
    body = api.get(reverse("api:introspection-detail", kwargs={"pk": item.pk})).json()
    assert body["actions"][0]["description"] == "Pay for innovation"


def test_api_validation_and_hidden_relationship(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.people["p_manager"])
    rel = world.relationships["R1"]
    body = {"relationship": rel.pk, "title": "Sneaky", "assessed_on": "2026-10-01", **SCORES}
    hidden = api.post(reverse("api:introspection-list"), body, format="json")
    ghost = api.post(reverse("api:introspection-list"), {**body, "relationship": 987654},
                     format="json")  # fmt: skip
    assert hidden.status_code == ghost.status_code == 400
    assert hidden.json()["error"]["fields"]["relationship"] == [
        m.replace("987654", str(rel.pk)) for m in ghost.json()["error"]["fields"]["relationship"]
    ]
    api.force_authenticate(world.people["a_manager"])
    bad = api.post(reverse("api:introspection-list"), {**body, "vision_score": 7}, format="json")
    assert bad.status_code == 400
    assert "vision_score" in bad.json()["error"]["fields"]
    assert not IntrospectionAction.objects.filter(description="Sneaky").exists()
