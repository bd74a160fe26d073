"""The excusal workflow and the private records, through their pages."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from accord.core.models import AuditEntry
from accord.performance.models import CostOfQualityNote, CreditForecast, Excusal, ExcusalStatus
from tests.performance_excusals.scenario import Scenario


def client_for(scenario: Scenario, who: str) -> Client:
    client = Client()
    client.force_login(scenario.people[who])
    return client


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def request_through_the_page(scenario: Scenario, who: str = "p_manager") -> Excusal:
    level = scenario.level("P1")
    response = client_for(scenario, who).post(
        reverse("excusal_add", kwargs={"pk": scenario.relationship.pk}),
        {"service_level": level.pk, "month": "2026-02", "reason": "The buyer sent data late."},
    )
    excusal = Excusal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == excusal.get_absolute_url()
    return excusal


def test_request_and_co_sign_through_the_pages(scenario: Scenario) -> None:
    provider = client_for(scenario, "p_manager")
    level = scenario.level("P1")
    add_url = reverse("excusal_add", kwargs={"pk": scenario.relationship.pk})

    # The form comes prefilled from the scorecard's link, and offers critical levels only.
    form = text(provider.get(f"{add_url}?level={level.pk}&month=2026-02"))
    assert f'<option value="{level.pk}" selected>' in form
    assert 'value="2026-02"' in form
    assert scenario.level("P2").name not in form
    assert "← Payroll outsourcing" in form

    excusal = request_through_the_page(scenario)
    page = text(provider.get(excusal.get_absolute_url()))
    assert "Signed</span> by p_manager" in page
    assert "Not signed yet" in page  # the buyer's side
    assert "Sign for the provider" not in page  # the provider has signed
    assert reverse("excusal_edit", kwargs={"pk": excusal.pk}) in page
    assert "Credit CAD 5000.00" in page  # the credit the request is about

    buyer = client_for(scenario, "b_manager")
    page = text(buyer.get(excusal.get_absolute_url()))
    assert "Approve (sign for the buyer)" in page
    assert "Decline…" in page
    assert reverse("excusal_edit", kwargs={"pk": excusal.pk}) not in page

    response = buyer.post(reverse("excusal_sign", kwargs={"pk": excusal.pk}), follow=True)
    page = text(response)
    assert "the excusal is approved and credits recomputed" in page
    assert "Approved (co-signed)" in page
    assert "Excused:" in page
    assert "P1 missed its minimum in 2026-02" in page
    excusal.refresh_from_db()
    assert excusal.status == ExcusalStatus.APPROVED

    listing = text(buyer.get(reverse("excusal_list", kwargs={"pk": scenario.relationship.pk})))
    assert f'data-object="performance.excusal:{excusal.pk}"' in listing
    assert listing.count("✔ signed") == 2
    only_declined = buyer.get(
        reverse("excusal_list", kwargs={"pk": scenario.relationship.pk}), {"status": "declined"}
    )
    assert "data-object=" not in text(only_declined)
    assert "No excusals with this status yet." in text(only_declined)


def test_the_list_filter_answers_htmx_with_the_rows_only(scenario: Scenario) -> None:
    excusal = request_through_the_page(scenario)
    response = client_for(scenario, "b_viewer").get(
        reverse("excusal_list", kwargs={"pk": scenario.relationship.pk}),
        {"status": "requested"},
        HTTP_HX_REQUEST="true",
    )
    page = text(response)
    assert page.lstrip().startswith('<div id="excusal-rows">')
    assert f"performance.excusal:{excusal.pk}" in page


def test_the_buyer_cannot_request_and_sees_no_button(scenario: Scenario) -> None:
    buyer = client_for(scenario, "b_manager")
    add_url = reverse("excusal_add", kwargs={"pk": scenario.relationship.pk})
    assert buyer.get(add_url).status_code == 403
    level = scenario.level("P1")
    response = buyer.post(add_url, {"service_level": level.pk, "month": "2026-02", "reason": "x"})
    assert response.status_code == 403
    assert not Excusal.objects.exists()
    listing = text(buyer.get(reverse("excusal_list", kwargs={"pk": scenario.relationship.pk})))
    assert add_url not in listing
    provider_listing = client_for(scenario, "p_contributor").get(
        reverse("excusal_list", kwargs={"pk": scenario.relationship.pk})
    )
    assert add_url in text(provider_listing)


def test_form_errors_are_shown_next_to_the_fields(scenario: Scenario) -> None:
    request_through_the_page(scenario)
    response = client_for(scenario, "p_manager").post(
        reverse("excusal_add", kwargs={"pk": scenario.relationship.pk}),
        {"service_level": scenario.level("P1").pk, "month": "2026-02", "reason": "again"},
    )
    assert response.status_code == 200
    assert re.search(
        r'id="id_month_error">P1 already has an open excusal for 2026-02', text(response)
    )
    response = client_for(scenario, "p_manager").post(
        reverse("excusal_add", kwargs={"pk": scenario.relationship.pk}),
        {"service_level": scenario.level("P2").pk, "month": "2026-03", "reason": "key level"},
    )
    assert response.status_code == 200
    assert 'id="id_service_level_error"' in text(response)
    assert Excusal.objects.count() == 1


def test_a_contributor_cannot_sign_through_the_page(scenario: Scenario) -> None:
    excusal = request_through_the_page(scenario)
    contributor = client_for(scenario, "b_contributor")
    page = text(contributor.get(excusal.get_absolute_url()))
    assert "Approve" not in page
    assert "Only an executive or manager of either side signs excusals." in page
    response = contributor.post(reverse("excusal_sign", kwargs={"pk": excusal.pk}))
    assert response.status_code == 403
    excusal.refresh_from_db()
    assert excusal.status == ExcusalStatus.REQUESTED


def test_the_provider_signing_twice_gets_the_reason(scenario: Scenario) -> None:
    excusal = request_through_the_page(scenario)
    response = client_for(scenario, "p_manager").post(
        reverse("excusal_sign", kwargs={"pk": excusal.pk})
    )
    assert response.status_code == 200
    assert '<p class="error">The provider side has already signed version 1.</p>' in text(response)


def test_decline_through_the_page(scenario: Scenario) -> None:
    excusal = request_through_the_page(scenario)
    buyer = client_for(scenario, "b_exec")
    url = reverse("excusal_decline", kwargs={"pk": excusal.pk})
    response = buyer.post(url, {"note": ""})
    assert response.status_code == 200
    assert "<details open>" in text(response)
    assert 'id="id_note_error"' in text(response)
    response = buyer.post(url, {"note": "The data was on time."}, follow=True)
    page = text(response)
    assert "Excusal declined." in page
    assert "Why declined" in page
    assert "The data was on time." in page
    assert client_for(scenario, "p_manager").post(url, {"note": "x"}).status_code == 403


def test_edit_voids_the_buyers_signature_and_shows_the_history(scenario: Scenario) -> None:
    excusal = request_through_the_page(scenario, "p_contributor")
    client_for(scenario, "b_manager").post(reverse("excusal_sign", kwargs={"pk": excusal.pk}))
    edit_url = reverse("excusal_edit", kwargs={"pk": excusal.pk})
    provider = client_for(scenario, "p_contributor")
    assert "Saving a new reason makes version 2" in text(provider.get(edit_url))
    response = provider.post(edit_url, {"reason": "Eight days late, not six."})
    assert response.status_code == 302
    excusal.refresh_from_db()
    assert (excusal.version, excusal.reason) == (2, "Eight days late, not six.")
    page = text(client_for(scenario, "b_manager").get(excusal.get_absolute_url()))
    assert "Signatures of version 2" in page
    assert page.count("Not signed yet") == 2
    assert "Version 1: buyer signed by b_manager" in page
    assert "Approve (sign for the buyer)" in page  # the buyer must sign again
    assert client_for(scenario, "b_manager").get(edit_url).status_code == 403


def test_withdraw_through_the_page(scenario: Scenario) -> None:
    excusal = request_through_the_page(scenario)
    url = reverse("excusal_withdraw", kwargs={"pk": excusal.pk})
    assert client_for(scenario, "b_manager").post(url).status_code == 403
    response = client_for(scenario, "p_manager").post(url, follow=True)
    assert "Excusal withdrawn." in text(response)
    excusal.refresh_from_db()
    assert excusal.status == ExcusalStatus.WITHDRAWN
    assert client_for(scenario, "p_manager").post(url).status_code == 200  # nothing to withdraw


def test_the_audit_page_lists_the_excusals_history(scenario: Scenario) -> None:
    excusal = request_through_the_page(scenario)
    client_for(scenario, "b_manager").post(reverse("excusal_sign", kwargs={"pk": excusal.pk}))
    page = text(
        client_for(scenario, "p_viewer").get(reverse("excusal_audit", kwargs={"pk": excusal.pk}))
    )
    entries = AuditEntry.objects.filter(
        object_type="performance.excusal", object_id=str(excusal.pk)
    )
    assert entries.count() == 2
    for entry in entries:
        assert f'data-object="core.auditentry:{entry.pk}"' in page


def test_forecast_pages_are_the_buyers_alone(scenario: Scenario) -> None:
    rel = scenario.relationship.pk
    buyer = client_for(scenario, "b_manager")
    listing = text(buyer.get(reverse("forecast_list", kwargs={"pk": rel})))
    assert "Buyer only" in listing
    assert "No forecasts yet." in listing
    assert 'name="year"' in listing
    assert 'value="2026"' in listing
    response = buyer.post(reverse("forecast_add", kwargs={"pk": rel}), {"year": "2026", "note": ""})
    forecast = CreditForecast.objects.get()
    assert response.status_code == 302
    assert response["Location"] == forecast.get_absolute_url()
    page = text(buyer.get(forecast.get_absolute_url()))
    assert "How it was made" in page
    assert "1/3 × 50% × 10,000.00 at risk" in page
    assert str(forecast.total) in page
    assert f'data-object="performance.creditforecast:{forecast.pk}"' in text(
        buyer.get(reverse("forecast_list", kwargs={"pk": rel}))
    )
    response = buyer.post(reverse("forecast_add", kwargs={"pk": rel}), {"year": "2031"})
    assert response.status_code == 200
    assert 'id="id_year_error"' in text(response)

    for who in ("p_manager", "p_viewer"):
        provider = client_for(scenario, who)
        for url in (
            reverse("forecast_list", kwargs={"pk": rel}),
            reverse("forecast_add", kwargs={"pk": rel}),
            forecast.get_absolute_url(),
            reverse("forecast_delete", kwargs={"pk": forecast.pk}),
            reverse("forecast_audit", kwargs={"pk": forecast.pk}),
        ):
            assert provider.get(url).status_code == 404, (who, url)
        assert (
            provider.post(reverse("forecast_add", kwargs={"pk": rel}), {"year": "2026"}).status_code
            == 404
        )
    assert CreditForecast.objects.count() == 1

    viewer = client_for(scenario, "b_viewer")
    assert viewer.get(reverse("forecast_add", kwargs={"pk": rel})).status_code == 403
    assert 'action="/relationships' not in text(
        viewer.get(reverse("forecast_list", kwargs={"pk": rel}))
    )
    response = buyer.post(reverse("forecast_delete", kwargs={"pk": forecast.pk}))
    assert response.status_code == 302
    assert not CreditForecast.objects.exists()


def test_cost_note_pages_are_the_providers_alone(scenario: Scenario) -> None:
    rel = scenario.relationship.pk
    provider = client_for(scenario, "p_contributor")
    add_url = reverse("cost_note_add", kwargs={"pk": rel})
    level = scenario.level("P1")
    form = text(provider.get(f"{add_url}?level={level.pk}&month=2026-02"))
    assert f'<option value="{level.pk}" selected>' in form
    response = provider.post(
        add_url,
        {"month": "2026-02", "service_level": level.pk, "title": "Overtime", "amount": "4200",
         "body": "Two **weekend** shifts."},
    )  # fmt: skip
    note = CostOfQualityNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == note.get_absolute_url()
    page = text(provider.get(note.get_absolute_url()))
    assert "Provider only" in page
    assert "<strong>weekend</strong>" in page
    assert "4200.00" in page
    response = provider.post(
        reverse("cost_note_edit", kwargs={"pk": note.pk}),
        {"month": "2026-02", "service_level": "", "title": "Overtime", "amount": "-5", "body": ""},
    )
    assert response.status_code == 200
    assert 'id="id_amount_error"' in text(response)
    response = provider.post(
        reverse("cost_note_edit", kwargs={"pk": note.pk}),
        {"month": "2026-02", "service_level": "", "title": "Overtime", "amount": "", "body": ""},
    )
    note.refresh_from_db()
    assert response.status_code == 302
    assert note.service_level is None
    assert note.amount is None
    listing = text(provider.get(reverse("cost_note_list", kwargs={"pk": rel})))
    assert f'data-object="performance.costofqualitynote:{note.pk}"' in listing

    for who in ("b_manager", "b_exec", "b_viewer"):
        buyer = client_for(scenario, who)
        for url in (
            reverse("cost_note_list", kwargs={"pk": rel}),
            add_url,
            note.get_absolute_url(),
            reverse("cost_note_edit", kwargs={"pk": note.pk}),
            reverse("cost_note_delete", kwargs={"pk": note.pk}),
            reverse("cost_note_audit", kwargs={"pk": note.pk}),
        ):
            assert buyer.get(url).status_code == 404, (who, url)
    assert client_for(scenario, "p_viewer").get(add_url).status_code == 403
    assert provider.post(reverse("cost_note_delete", kwargs={"pk": note.pk})).status_code == 403
    manager = client_for(scenario, "p_manager")
    assert manager.post(reverse("cost_note_delete", kwargs={"pk": note.pk})).status_code == 302
    assert not CostOfQualityNote.objects.exists()
