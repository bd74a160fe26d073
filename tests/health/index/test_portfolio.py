"""The portfolio, the index pages and the health card."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.core.testing import health_factories as hf
from accord.core.testing.factories import (
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.core.testing.world import World
from accord.health.models import HealthIndex, SignCode, SignReading, SignState
from accord.health.portfolio import portfolio_rows

pytestmark = pytest.mark.django_db

AUG, SEPT = dt.date(2026, 8, 1), dt.date(2026, 9, 1)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def three() -> tuple[Any, dict[str, Any]]:
    """A buyer's manager on three relationships, with August and September indices."""
    buyer = OrganisationFactory(name="Buyer Co", kind="buyer")
    person = UserFactory(username="bm", organisation=buyer)
    rels = {}
    # name: (August, September, triggered in September)
    figures = {
        "Alpha": ("70.00", "60.00", ["attrition", "too_many_meetings"]),
        "Bravo": ("50.00", "80.00", []),
        "Charlie": ("65.00", "65.50", ["attrition"]),
    }
    for name, (aug, sept, triggered) in figures.items():
        rel = RelationshipFactory(name=name, buyer=buyer)
        RoleFactory(relationship=rel, person=person)
        hf.HealthIndexFactory(relationship=rel, month=AUG, score=Decimal(aug))
        hf.HealthIndexFactory(relationship=rel, month=SEPT, score=Decimal(sept),
                              triggered_signs=triggered)  # fmt: skip
        rels[name] = rel
    RelationshipFactory(name="Delta", buyer=buyer)  # no role: not in the portfolio
    return person, rels


def _names(rows: list[Any]) -> list[str]:
    return [row.relationship.name for row in rows]


def test_portfolio_sorts(three: tuple[Any, dict[str, Any]]) -> None:
    person, _rels = three
    assert _names(portfolio_rows(person, "name")) == ["Alpha", "Bravo", "Charlie"]
    assert _names(portfolio_rows(person, "-name")) == ["Charlie", "Bravo", "Alpha"]
    assert _names(portfolio_rows(person, "index")) == ["Alpha", "Charlie", "Bravo"]
    assert _names(portfolio_rows(person, "-index")) == ["Bravo", "Charlie", "Alpha"]
    # Changes: Alpha -10, Bravo +30, Charlie +0.5.
    assert _names(portfolio_rows(person, "change")) == ["Alpha", "Charlie", "Bravo"]
    assert _names(portfolio_rows(person, "-triggered")) == ["Alpha", "Charlie", "Bravo"]
    assert _names(portfolio_rows(person, "nonsense")) == ["Alpha", "Bravo", "Charlie"]
    rows = {row.relationship.name: row for row in portfolio_rows(person)}
    assert rows["Alpha"].change == Decimal("-10.00")
    assert rows["Charlie"].change == Decimal("0.50")
    assert rows["Alpha"].triggered_count == 2


def test_portfolio_page_links_sort_headers_and_exports(three: tuple[Any, dict[str, Any]]) -> None:
    person, rels = three
    client = _client(person)
    page = client.get(reverse("health_portfolio"), {"sort": "-index"}).content.decode()
    assert page.index("Bravo") < page.index("Charlie") < page.index("Alpha")
    assert 'aria-sort="descending"' in page
    assert "?sort=index" in page  # clicking the active column again flips the order
    assert "Delta" not in page
    assert page.count("<svg") >= 3  # one sparkline per relationship
    response = client.get(reverse("health_portfolio_csv"), {"sort": "-change"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["relationship", "buyer", "provider", "month", "index"]
    assert [row[0] for row in rows[1:]] == ["Bravo", "Charlie", "Alpha"]
    assert rows[1][4:7] == ["80.00", "30.00", "0"]


def test_portfolio_empty_state() -> None:
    person = UserFactory(username="lonely")
    page = _client(person).get(reverse("health_portfolio")).content.decode()
    assert "You hold no role on a relationship yet" in page


def _trigger_financial(world: World) -> None:
    reading = world.record("sign_reading", "R1.buyer")
    SignReading.objects.filter(pk=reading.pk).update(state=SignState.TRIGGERED)


def test_buyer_only_sign_shows_to_the_buyer_alone(world: World) -> None:
    _trigger_financial(world)
    words = SignCode.FINANCIAL_EROSION.label
    buyer = {r.relationship.name: r for r in portfolio_rows(world.people["a_manager"])}
    provider = {r.relationship.name: r for r in portfolio_rows(world.people["p_manager"])}
    (name,) = [n for n in buyer if n.startswith("R1")]
    assert SignCode.FINANCIAL_EROSION in buyer[name].triggered
    assert SignCode.FINANCIAL_EROSION not in provider[name].triggered
    assert buyer[name].triggered_count == provider[name].triggered_count + 1
    for persona, shown in (("a_manager", True), ("p_manager", False)):
        client = _client(world.people[persona])
        page = client.get(reverse("health_portfolio")).content.decode()
        assert (words in page) is shown
        export = b"".join(client.get(reverse("health_portfolio_csv")).streaming_content).decode()
        assert ("financial_erosion" in export) is shown
        rel = world.relationships["R1"]
        card = client.get(rel.get_absolute_url()).content.decode()
        assert ("Relationship health" in card) is True
        assert (words in card) is shown
        assert ("introspection" in card.lower()) is shown


def test_index_pages(world: World) -> None:
    index = world.record("health_index", "R1.joint")
    HealthIndex.objects.filter(pk=index.pk).update(
        components=[
            {"key": "service_levels", "label": "Service levels", "weight": 40,
             "effective_weight": 57.14, "score": 62.5, "contribution": 35.71,
             "explanation": "Four levels.", "source": {"route": "scorecard",
                                                       "pk": index.relationship_id}},
            {"key": "survey", "label": "Survey", "weight": 30, "effective_weight": 0.0,
             "score": None, "contribution": None, "explanation": "No round. Left out."},
            {"key": "signs", "label": "Warning signs", "weight": 30, "effective_weight": 42.86,
             "score": 65.0, "contribution": 27.86, "explanation": "One triggered."},
        ],
        score=Decimal("63.57"),
        triggered_signs=["attrition"],
    )  # fmt: skip
    client = _client(world.people["p_manager"])
    listing = client.get(reverse("health_index_list", kwargs={"pk": index.relationship_id}))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "63.57" in html
    assert 'data-month="2026-09"' in html
    detail = client.get(reverse("health_index_detail", kwargs={"pk": index.pk})).content.decode()
    for figure in ("57.14", "35.71", "27.86", "Four levels.", "rescaled", "contributions"):
        assert figure in detail
    assert reverse("scorecard", kwargs={"pk": index.relationship_id}) in detail
    export = client.get(reverse("health_index_csv", kwargs={"pk": index.relationship_id}))
    text = b"".join(export.streaming_content).decode()
    assert "2026-09,63.57,62.5,57.14,35.71,,0.0,,65.0,42.86,27.86,attrition" in text


def test_recompute_needs_change_on_joint(world: World) -> None:
    rel = world.relationships["R1"]
    url = reverse("health_refresh", kwargs={"pk": rel.pk})
    assert _client(world.people["a_viewer"]).post(url).status_code == 403
    assert _client(world.people["b_manager"]).post(url).status_code == 404
    response = _client(world.people["p_manager"]).post(url)
    assert response.status_code == 302
    assert HealthIndex.objects.filter(relationship=rel).count() >= 12
