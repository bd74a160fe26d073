"""The excusal workflow through its services, on a contract whose February credit is real."""

from __future__ import annotations

import decimal

import pytest

from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.models import AuditEntry, Signature
from accord.core.signing import signatures, signed_sides
from accord.core.testing.factories import OrganisationFactory, UserFactory
from accord.core.testing.performance_factories import ContractFactory, ServiceLevelFactory
from accord.performance.excusals import (
    excusal_actions,
    excusal_decline,
    excusal_request,
    excusal_sign,
    excusal_update,
    excusal_withdraw,
)
from accord.performance.models import CreditMonth, Excusal, ExcusalStatus
from accord.performance.scorecards import latest_run
from tests.performance_excusals.scenario import Scenario

FEBRUARY_CREDIT = decimal.Decimal("5000.00")  # 50 % of 10 % of 100,000.00


def february(scenario: Scenario) -> CreditMonth:
    run = latest_run(scenario.contract)
    assert run is not None
    return CreditMonth.objects.get(run=run, month="2026-02")


def request(scenario: Scenario, who: str = "p_manager", month: str = "2026-02") -> Excusal:
    return excusal_request(
        contract=scenario.contract,
        service_level=scenario.level("P1"),
        month=month,
        reason="The buyer sent the February master data six days late.",
        actor=scenario.people[who],
    )


def test_the_scenario_has_a_february_credit(scenario: Scenario) -> None:
    month = february(scenario)
    assert month.net == FEBRUARY_CREDIT
    assert [line.service_level.code for line in month.lines.all()] == ["P1"]
    assert month.detail["excused"] == []


def test_request_by_a_manager_signs_for_the_provider_and_the_buyer_approval_removes_the_credit(
    scenario: Scenario,
) -> None:
    people = scenario.people
    run_before = latest_run(scenario.contract)
    excusal = request(scenario)
    assert excusal.status == ExcusalStatus.REQUESTED
    assert excusal.version == 1
    assert [(s.side, s.signer) for s in signatures(excusal)] == [("provider", people["p_manager"])]
    # Requesting changes nothing yet: the credit stands until both sides sign.
    assert latest_run(scenario.contract) == run_before

    excusal = excusal_sign(excusal=excusal, actor=people["b_manager"])

    excusal.refresh_from_db()
    assert excusal.status == ExcusalStatus.APPROVED
    assert excusal.decided_by == people["b_manager"]
    assert excusal.decided_at is not None
    run = latest_run(scenario.contract)
    assert run is not None
    assert run_before is not None
    assert run.pk > run_before.pk
    assert "approved" in run.reason
    assert run.excused == [["P1", "2026-02"]]
    month = february(scenario)
    assert month.net == decimal.Decimal("0.00")
    assert month.lines.count() == 0
    assert [item["code"] for item in month.detail["excused"]] == ["P1"]


def test_the_buyer_cannot_request(scenario: Scenario) -> None:
    for who in ("b_exec", "b_manager", "b_contributor"):
        with pytest.raises(PermissionDenied):
            request(scenario, who)
    assert not Excusal.objects.exists()


def test_a_provider_viewer_cannot_request(scenario: Scenario) -> None:
    with pytest.raises(PermissionDenied):
        request(scenario, "p_viewer")


def test_a_contributor_requests_without_signing(scenario: Scenario) -> None:
    excusal = request(scenario, "p_contributor")
    assert signed_sides(excusal) == set()
    excusal = excusal_sign(excusal=excusal, actor=scenario.people["b_manager"])
    assert excusal.status == ExcusalStatus.REQUESTED  # the provider has not signed yet
    assert february(scenario).net == FEBRUARY_CREDIT
    excusal = excusal_sign(excusal=excusal, actor=scenario.people["p_manager"])
    assert excusal.status == ExcusalStatus.APPROVED
    # The buyer's signature is the approval, whoever signed last.
    assert excusal.decided_by == scenario.people["b_manager"]
    assert february(scenario).net == decimal.Decimal("0.00")


def test_the_provider_cannot_approve_alone(scenario: Scenario) -> None:
    excusal = request(scenario)
    with pytest.raises(ValidationError, match="already signed"):
        excusal_sign(excusal=excusal, actor=scenario.people["p_manager"])
    excusal.refresh_from_db()
    assert excusal.status == ExcusalStatus.REQUESTED
    assert Signature.objects.count() == 1
    assert february(scenario).net == FEBRUARY_CREDIT


@pytest.mark.parametrize("who", ["b_contributor", "b_viewer", "p_contributor", "p_viewer"])
def test_only_signatories_sign(scenario: Scenario, who: str) -> None:
    excusal = request(scenario)
    with pytest.raises(PermissionDenied):
        excusal_sign(excusal=excusal, actor=scenario.people[who])
    excusal.refresh_from_db()
    assert excusal.status == ExcusalStatus.REQUESTED
    assert signed_sides(excusal) == {"provider"}


def test_decline(scenario: Scenario) -> None:
    people = scenario.people
    excusal = request(scenario)
    with pytest.raises(PermissionDenied):
        excusal_decline(excusal=excusal, note="no", actor=people["p_manager"])
    with pytest.raises(PermissionDenied):
        excusal_decline(excusal=excusal, note="no", actor=people["b_contributor"])
    with pytest.raises(ValidationError) as missing_note:
        excusal_decline(excusal=excusal, note="  ", actor=people["b_manager"])
    assert "note" in missing_note.value.message_dict

    excusal = excusal_decline(
        excusal=excusal, note="The data arrived on time.", actor=people["b_exec"]
    )
    excusal.refresh_from_db()
    assert excusal.status == ExcusalStatus.DECLINED
    assert excusal.decided_by == people["b_exec"]
    assert excusal.decision_note == "The data arrived on time."
    assert february(scenario).net == FEBRUARY_CREDIT
    with pytest.raises(ValidationError):
        excusal_sign(excusal=excusal, actor=people["b_manager"])
    with pytest.raises(ValidationError):
        excusal_update(excusal=excusal, reason="Again", actor=people["p_manager"])
    # A declined excusal is closed: the provider may ask again for the same month.
    assert request(scenario).status == ExcusalStatus.REQUESTED


def test_an_edit_after_the_buyer_signed_voids_the_signatures(scenario: Scenario) -> None:
    people = scenario.people
    excusal = request(scenario, "p_contributor")
    excusal = excusal_sign(excusal=excusal, actor=people["b_manager"])
    assert signed_sides(excusal) == {"buyer"}

    excusal = excusal_update(
        excusal=excusal, reason="The data came eight days late.", actor=people["p_contributor"]
    )
    assert excusal.version == 2
    assert signed_sides(excusal) == set()  # the buyer's version-1 signature no longer counts
    assert Signature.objects.filter(version=1, side="buyer").exists()  # but stays as history

    excusal = excusal_sign(excusal=excusal, actor=people["p_manager"])
    assert excusal.status == ExcusalStatus.REQUESTED
    assert february(scenario).net == FEBRUARY_CREDIT
    excusal = excusal_sign(excusal=excusal, actor=people["b_manager"])
    assert excusal.status == ExcusalStatus.APPROVED
    assert february(scenario).net == decimal.Decimal("0.00")


def test_an_edit_by_a_provider_signatory_signs_the_new_version(scenario: Scenario) -> None:
    people = scenario.people
    excusal = request(scenario)
    excusal = excusal_update(excusal=excusal, reason="Restated.", actor=people["p_manager"])
    assert excusal.version == 2
    assert [(s.side, s.version) for s in signatures(excusal)] == [("provider", 2)]
    # The same reason again is no new version.
    excusal = excusal_update(excusal=excusal, reason="Restated.", actor=people["p_manager"])
    assert excusal.version == 2


def test_only_the_provider_edits(scenario: Scenario) -> None:
    excusal = request(scenario)
    with pytest.raises(PermissionDenied):
        excusal_update(excusal=excusal, reason="Mine now", actor=scenario.people["b_manager"])
    with pytest.raises(PermissionDenied):
        excusal_update(excusal=excusal, reason="Mine now", actor=scenario.people["p_viewer"])
    excusal.refresh_from_db()
    assert (excusal.version, excusal.reason[:9]) == (1, "The buyer")


def test_requests_are_checked(scenario: Scenario) -> None:
    people = scenario.people
    request(scenario)
    with pytest.raises(ValidationError, match="already has an open excusal"):
        request(scenario)
    cases = [
        ({"service_level": scenario.level("P2")}, "service_level"),  # a key measurement
        ({"month": "2026-13"}, "month"),
        ({"month": "2025-12"}, "month"),  # before the contract starts
        ({"reason": "   "}, "reason"),
    ]
    for change, field in cases:
        arguments = {
            "contract": scenario.contract,
            "service_level": scenario.level("P1"),
            "month": "2026-03",
            "reason": "late data",
            "actor": people["p_manager"],
            **change,
        }
        with pytest.raises(ValidationError) as error:
            excusal_request(**arguments)
        assert field in error.value.message_dict, change
    # A level of another contract is refused the same way.
    other = ServiceLevelFactory(contract=ContractFactory())
    with pytest.raises(ValidationError) as error:
        excusal_request(
            contract=scenario.contract,
            service_level=other,
            month="2026-03",
            reason="late data",
            actor=people["p_manager"],
        )
    assert "service_level" in error.value.message_dict


def test_withdrawing_an_approved_excusal_brings_the_credit_back(scenario: Scenario) -> None:
    people = scenario.people
    excusal = excusal_sign(excusal=request(scenario), actor=people["b_manager"])
    assert february(scenario).net == decimal.Decimal("0.00")
    with pytest.raises(PermissionDenied):
        excusal_withdraw(excusal=excusal, actor=people["b_manager"])

    excusal = excusal_withdraw(excusal=excusal, actor=people["p_contributor"])

    assert excusal.status == ExcusalStatus.WITHDRAWN
    run = latest_run(scenario.contract)
    assert run is not None
    assert "withdrawn" in run.reason
    assert run.excused == []
    assert february(scenario).net == FEBRUARY_CREDIT
    with pytest.raises(ValidationError):
        excusal_withdraw(excusal=excusal, actor=people["p_manager"])


def test_withdrawing_a_request(scenario: Scenario) -> None:
    run_before = latest_run(scenario.contract)
    excusal = excusal_withdraw(excusal=request(scenario), actor=scenario.people["p_manager"])
    assert excusal.status == ExcusalStatus.WITHDRAWN
    assert latest_run(scenario.contract) == run_before  # nothing to recompute
    with pytest.raises(ValidationError):
        excusal_sign(excusal=excusal, actor=scenario.people["b_manager"])


def test_outsiders_get_not_found(scenario: Scenario) -> None:
    excusal = request(scenario)
    outsider = UserFactory(username="outsider", organisation=OrganisationFactory(name="Other"))
    with pytest.raises(NotFound):
        excusal_sign(excusal=excusal, actor=outsider)
    with pytest.raises(NotFound):
        excusal_update(excusal=excusal, reason="x", actor=outsider)
    with pytest.raises(NotFound):
        excusal_decline(excusal=excusal, note="x", actor=outsider)
    with pytest.raises(NotFound):
        excusal_withdraw(excusal=excusal, actor=outsider)
    with pytest.raises(NotFound):
        excusal_request(
            contract=scenario.contract,
            service_level=scenario.level("P1"),
            month="2026-03",
            reason="x",
            actor=outsider,
        )


def test_every_step_is_audited(scenario: Scenario) -> None:
    people = scenario.people
    excusal = request(scenario)
    excusal = excusal_sign(excusal=excusal, actor=people["b_manager"])
    entries = AuditEntry.objects.filter(
        object_type="performance.excusal", object_id=str(excusal.pk)
    ).order_by("seq")
    assert [(e.action, e.actor_name) for e in entries] == [
        ("create", "p_manager"),
        ("update", "b_manager"),
    ]
    assert entries[1].after["status"] == ExcusalStatus.APPROVED
    signed = AuditEntry.objects.filter(object_type="core.signature", action="create")
    assert sorted(e.actor_name for e in signed) == ["b_manager", "p_manager"]
    # Both sides see the excusal's history.
    for who in ("b_viewer", "p_viewer"):
        assert AuditEntry.objects.restrict(people[who]).filter(pk=entries[1].pk).exists()


def test_the_buttons_follow_the_rules(scenario: Scenario) -> None:
    people = scenario.people
    excusal = request(scenario)
    assert excusal_actions(excusal, people["b_manager"]) == {
        "sign": True, "decline": True, "edit": False, "withdraw": False,
    }  # fmt: skip
    assert excusal_actions(excusal, people["p_manager"]) == {
        "sign": False, "decline": False, "edit": True, "withdraw": True,
    }  # fmt: skip
    assert not any(excusal_actions(excusal, people["b_contributor"]).values())
    assert not any(excusal_actions(excusal, people["p_viewer"]).values())


def test_a_deactivated_manager_signs_nothing(scenario: Scenario) -> None:
    from accord.core import signing

    excusal = request(scenario)
    manager = scenario.people["b_manager"]
    manager.is_active = False
    manager.save()
    assert not signing.is_signatory(manager, scenario.relationship)
    with pytest.raises(PermissionDenied):
        signing.sign(excusal, actor=manager)
    with pytest.raises(NotFound):  # the service: a deactivated person sees nothing
        excusal_sign(excusal=excusal, actor=manager)
    assert signed_sides(excusal) == {"provider"}


def test_a_signature_racing_another_of_its_side_is_refused_cleanly(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.core import signing

    excusal = request(scenario)
    # As if the provider's first signature had not been committed when this one looked.
    monkeypatch.setattr(signing, "signed_sides", lambda obj: set())
    with pytest.raises(ValidationError, match="already signed"):
        signing.sign(excusal, actor=scenario.people["p_manager"])
    assert Signature.objects.count() == 1
