"""The change request workflow through its services: co-signing, and what approval applies."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import pytest

from accord.attention.models import Notification, NotificationKind
from accord.contracts.changes import (
    change_actions,
    change_decline,
    change_propose,
    change_sign,
    change_update,
    change_withdraw,
)
from accord.contracts.models import ChangeRequest, ChangeStatus, Contract, ScopeItem
from accord.contracts.services import contract_update, scope_item_delete
from accord.core.exceptions import NotFound, PermissionDenied, ValidationError
from accord.core.models import AuditEntry, Signature
from accord.core.signing import signatures, signed_sides
from accord.core.testing.performance_factories import SMALL_SCHEDULE
from accord.performance.models import ScheduleVersion, ServiceLevel
from accord.performance.services import current_version
from tests.changes.scenario import MINISTRY_YAML, Scenario

D = decimal.Decimal


def propose(scenario: Scenario, who: str = "b_manager", **fields: Any) -> ChangeRequest:
    data: dict[str, Any] = {
        "title": "Year-end T4 reissue service",
        "kind": "scope",
        "rationale": "A federal rule change means reissued T4 slips every February.",
        "impact_cost": D("42000"),
        "impact_people": "Two analysts for three weeks.",
        "new_scope_status": "in_scope",
        "new_scope_title": "Year-end T4 reissue",
        "new_scope_description": "Reissue corrected T4 slips by the end of February.",
    }
    data.update(fields)
    return change_propose(contract=scenario.contract, actor=scenario[who], **data)


def sides(change: ChangeRequest) -> list[tuple[str, str]]:
    return [(s.side, s.signer.username) for s in signatures(change)]


def notified(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def audit_of(obj: Any) -> list[tuple[str, str]]:
    meta = obj._meta
    entries = AuditEntry.objects.filter(
        object_type=f"{meta.app_label}.{meta.model_name}", object_id=str(obj.pk)
    ).order_by("seq")
    return [(entry.action, entry.actor_name) for entry in entries]


# --------------------------------------------------------------------------- co-signing


def test_a_signatory_proposal_signs_for_its_side_and_asks_the_other(scenario: Scenario) -> None:
    change = propose(scenario)
    assert (change.number, change.version, change.status) == (1, 1, ChangeStatus.PROPOSED)
    assert change.proposed_by_side == "buyer"
    assert change.scope_action == "add"
    assert sides(change) == [("buyer", "b_manager")]
    # The provider's signatories are asked to sign; nobody else is.
    assert notified(NotificationKind.SIGNATURE_REQUESTED) == {"p_exec", "p_manager"}
    assert not ScopeItem.objects.filter(title="Year-end T4 reissue").exists()


def test_both_sides_signing_the_same_version_approves_and_adds_the_scope_item(
    scenario: Scenario,
) -> None:
    change = propose(scenario)
    change = change_sign(change=change, actor=scenario["p_manager"])

    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert change.decided_by == scenario["p_manager"]
    assert change.decided_at is not None
    item = change.applied_scope_item
    assert item is not None
    assert (item.status, item.title, item.clause) == ("in_scope", "Year-end T4 reissue", "CR-1")
    assert item.description == "Reissue corrected T4 slips by the end of February."
    # With history: the register entry was created by the signatory whose signature approved it.
    assert audit_of(item) == [("create", "p_manager")]
    assert ("update", "p_manager") in audit_of(change)
    # Both sides hear of the decision (not the person who made it).
    assert notified(NotificationKind.CHANGE_DECIDED) == {"b_exec", "b_manager", "p_exec"}


def test_numbers_count_per_contract(scenario: Scenario) -> None:
    first = propose(scenario)
    second = propose(scenario, "p_manager", new_scope_title="Something else")
    assert (first.code, second.code) == ("CR-1", "CR-2")
    assert second.proposed_by_side == "provider"


def test_an_edit_voids_the_signatures_and_the_editor_signs_the_new_version(
    scenario: Scenario,
) -> None:
    change = propose(scenario)
    Notification.objects.all().delete()

    change = change_update(
        change=change, actor=scenario["p_manager"], impact_cost=D("39000"), title="T4 reissue"
    )

    assert change.version == 2
    assert change.title == "T4 reissue"
    # The buyer's signature of version 1 stays, as history, but no longer counts.
    assert sides(change) == [("provider", "p_manager")]
    assert Signature.objects.filter(version=1, side="buyer").count() == 1
    assert notified(NotificationKind.SIGNATURES_VOIDED) == {"b_manager"}
    assert notified(NotificationKind.SIGNATURE_REQUESTED) == {"b_exec", "b_manager"}
    # The buyer signs version 2: approved.
    change = change_sign(change=change, actor=scenario["b_exec"])
    assert change.status == ChangeStatus.APPROVED


def test_the_same_content_again_is_no_new_version(scenario: Scenario) -> None:
    change = propose(scenario)
    change = change_update(change=change, actor=scenario["p_manager"], title=change.title)
    assert change.version == 1
    assert sides(change) == [("buyer", "b_manager")]


def test_an_edit_of_the_linked_scope_items_is_a_new_version(scenario: Scenario) -> None:
    change = propose(scenario)
    change = change_update(
        change=change, actor=scenario["b_contributor"], scope_items=[scenario.items["payroll"]]
    )
    assert change.version == 2
    # A contributor's edit signs nothing: both sides sign version 2.
    assert sides(change) == []
    assert list(change.scope_items.all()) == [scenario.items["payroll"]]


def test_a_contributor_proposes_without_signing_and_both_sides_are_asked(
    scenario: Scenario,
) -> None:
    change = propose(scenario, "p_contributor")
    assert signed_sides(change) == set()
    assert notified(NotificationKind.SIGNATURE_REQUESTED) == {
        "b_exec", "b_manager", "p_exec", "p_manager",
    }  # fmt: skip
    change = change_sign(change=change, actor=scenario["b_manager"])
    assert change.status == ChangeStatus.PROPOSED
    change = change_sign(change=change, actor=scenario["p_exec"])
    assert change.status == ChangeStatus.APPROVED


@pytest.mark.parametrize("who", ["b_contributor", "b_viewer", "p_contributor", "p_viewer"])
def test_only_signatories_sign(scenario: Scenario, who: str) -> None:
    change = propose(scenario)
    with pytest.raises(PermissionDenied):
        change_sign(change=change, actor=scenario[who])
    assert Signature.objects.count() == 1
    assert change_actions(change, scenario[who]).sign is False


def test_an_outsider_does_not_find_it(scenario: Scenario) -> None:
    change = propose(scenario)
    for service in (change_sign, change_withdraw):
        with pytest.raises(NotFound):
            service(change=change, actor=scenario.outsider)
    with pytest.raises(NotFound):
        change_decline(change=change, note="no", actor=scenario.outsider)
    with pytest.raises(NotFound):
        change_propose(
            contract=scenario.contract, actor=scenario.outsider, title="x", kind="term",
            rationale="x", new_end_date=datetime.date(2029, 12, 31),
        )  # fmt: skip


def test_a_side_signs_a_version_once(scenario: Scenario) -> None:
    change = propose(scenario)
    with pytest.raises(ValidationError, match="already signed"):
        change_sign(change=change, actor=scenario["b_exec"])
    change.refresh_from_db()
    assert change.status == ChangeStatus.PROPOSED


def test_viewers_cannot_propose(scenario: Scenario) -> None:
    for who in ("b_viewer", "p_viewer"):
        with pytest.raises(PermissionDenied):
            propose(scenario, who)
    assert not ChangeRequest.objects.exists()


# --------------------------------------------------------------------------- decline, withdraw


def test_the_side_that_did_not_propose_declines_with_a_note(scenario: Scenario) -> None:
    change = propose(scenario)
    for who in ("b_exec", "b_manager", "p_contributor", "p_viewer"):
        with pytest.raises(PermissionDenied):
            change_decline(change=change, note="No.", actor=scenario[who])
    with pytest.raises(ValidationError) as error:
        change_decline(change=change, note="  ", actor=scenario["p_manager"])
    assert "note" in error.value.message_dict
    change = change_decline(change=change, note="Not this year.", actor=scenario["p_manager"])
    assert (change.status, change.decision_note) == (ChangeStatus.DECLINED, "Not this year.")
    assert change.decided_by == scenario["p_manager"]
    # Declined is final: no signing, editing or withdrawing it.
    with pytest.raises(ValidationError, match="declined"):
        change_sign(change=change, actor=scenario["p_exec"])
    with pytest.raises(ValidationError, match="final"):
        change_update(change=change, actor=scenario["b_manager"], title="Again")
    with pytest.raises(ValidationError, match="declined"):
        change_withdraw(change=change, actor=scenario["b_manager"])
    assert not ScopeItem.objects.filter(title="Year-end T4 reissue").exists()
    assert notified(NotificationKind.CHANGE_DECIDED) == {"b_exec", "b_manager", "p_exec"}


def test_only_the_proposing_side_withdraws(scenario: Scenario) -> None:
    change = propose(scenario)
    for who in ("p_exec", "p_manager", "p_contributor", "b_viewer"):
        with pytest.raises(PermissionDenied):
            change_withdraw(change=change, actor=scenario[who])
    change = change_withdraw(change=change, actor=scenario["b_contributor"])
    assert change.status == ChangeStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="withdrawn"):
        change_sign(change=change, actor=scenario["p_manager"])


def test_the_buttons_follow_the_rules(scenario: Scenario) -> None:
    change = propose(scenario)
    buyer = change_actions(change, scenario["b_exec"])
    provider = change_actions(change, scenario["p_manager"])
    viewer = change_actions(change, scenario["p_viewer"])
    assert (buyer.sign, buyer.decline, buyer.edit, buyer.withdraw) == (False, False, True, True)
    assert (provider.sign, provider.decline, provider.edit, provider.withdraw) == (
        True, True, True, False,
    )  # fmt: skip
    assert not viewer.any


# --------------------------------------------------------------------------- scope


def test_a_scope_change_of_an_existing_item_updates_it_with_history(scenario: Scenario) -> None:
    retro = scenario.items["retro"]
    change = propose(
        scenario, "p_manager", title="Retro pay as a priced project", kind="scope",
        scope_item=retro, new_scope_status="in_scope", new_scope_title="",
        new_scope_description="A priced project per collective agreement.",
    )  # fmt: skip
    assert change.scope_action == "change"
    assert list(change.scope_items.all()) == [retro]  # the item it changes, it touches

    change_sign(change=change, actor=scenario["b_manager"])

    retro.refresh_from_db()
    assert (retro.status, retro.title) == ("in_scope", "Retroactive pay")  # empty keeps
    assert retro.description == "A priced project per collective agreement."
    entry = AuditEntry.objects.filter(
        object_type="contracts.scopeitem", object_id=str(retro.pk), action="update"
    ).get()
    assert entry.actor_name == "b_manager"
    assert (entry.before["status"], entry.after["status"]) == ("tbd", "in_scope")
    change.refresh_from_db()
    assert change.applied_scope_item == retro


def test_a_scope_change_says_what_is_missing(scenario: Scenario) -> None:
    with pytest.raises(ValidationError) as error:
        propose(scenario, new_scope_status="", new_scope_title="")
    assert set(error.value.message_dict) == {"new_scope_status", "new_scope_title"}
    with pytest.raises(ValidationError) as error:
        propose(
            scenario, scope_item=scenario.items["payroll"], new_scope_status="in_scope",
            new_scope_title="", new_scope_description="",
        )  # fmt: skip
    assert "new_scope_status" in error.value.message_dict
    assert not ChangeRequest.objects.exists()


def test_scope_items_of_another_relationship_are_refused(scenario: Scenario) -> None:
    other = build_other_item(scenario)
    with pytest.raises(ValidationError) as error:
        propose(scenario, scope_item=other)
    assert "scope_item" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        propose(scenario, scope_items=[other])
    assert "scope_items" in error.value.message_dict


def build_other_item(scenario: Scenario) -> ScopeItem:
    from accord.core.testing.performance_factories import ScopeItemFactory

    return ScopeItemFactory()  # type: ignore[no-any-return]


def test_the_fields_of_other_kinds_are_ignored(scenario: Scenario) -> None:
    change = propose(
        scenario, kind="term", new_end_date=datetime.date(2029, 12, 31),
        schedule_document="not: looked at",
    )  # fmt: skip
    assert (change.new_scope_title, change.schedule_document, change.scope_action) == ("", "", "")


# --------------------------------------------------------------------------- service levels


RAISED = SMALL_SCHEDULE.replace("expected: 95", "expected: 97")


def test_a_service_level_change_makes_a_new_schedule_version(scenario: Scenario) -> None:
    change = propose(
        scenario, "p_manager", kind="service_level", title="Raise P1 to 97 %",
        schedule_document=RAISED,
    )  # fmt: skip
    assert current_version(scenario.contract).number == 1  # type: ignore[union-attr]

    change = change_sign(change=change, actor=scenario["b_exec"])

    version = current_version(scenario.contract)
    assert version is not None
    assert (version.number, version.summary) == (2, "CR-1: Raise P1 to 97 %")
    assert version.document == RAISED
    assert version.created_by == scenario["b_exec"]
    assert change.applied_schedule_version == version
    level = ServiceLevel.objects.get(contract=scenario.contract, code="P1")
    assert level.expected == D("97")
    assert audit_of(version) == [("create", "b_exec")]


def test_the_ministry_example_schedule_is_put_in_force(ministry: Scenario) -> None:
    change = propose(
        ministry, kind="service_level", title="Schedule C as renegotiated",
        schedule_document=MINISTRY_YAML,
    )  # fmt: skip
    change_sign(change=change, actor=ministry["p_exec"])
    codes = set(
        ServiceLevel.objects.filter(contract=ministry.contract, retired=False).values_list(
            "code", flat=True
        )
    )
    assert {"PAY-ACC", "PAY-TIME", "HR-P1", "HR-REOPEN"} <= codes
    assert ServiceLevel.objects.get(contract=ministry.contract, code="P1").retired


def test_an_invalid_schedule_is_refused_when_proposed_naming_the_line(
    scenario: Scenario,
) -> None:
    broken = RAISED.replace("expected: 97", "expected: ninety-seven")
    line = broken.splitlines().index("    expected: ninety-seven") + 1
    with pytest.raises(ValidationError) as error:
        propose(scenario, kind="service_level", schedule_document=broken)
    messages = error.value.message_dict["schedule_document"]
    assert any(m.startswith(f"line {line}:") and "expected" in m for m in messages), messages
    assert not ChangeRequest.objects.exists()


def test_the_schedule_in_force_is_no_change(scenario: Scenario) -> None:
    with pytest.raises(ValidationError, match="schedule in force"):
        propose(scenario, kind="service_level", schedule_document=SMALL_SCHEDULE)


# --------------------------------------------------------------------------- price and term


def test_a_price_change_sets_the_monthly_fee(scenario: Scenario) -> None:
    change = propose(scenario, "p_manager", kind="price", new_monthly_fee=D("104500"))
    change_sign(change=change, actor=scenario["b_manager"])
    contract = Contract.objects.get(pk=scenario.contract.pk)
    assert contract.monthly_fee == D("104500.00")
    entry = AuditEntry.objects.filter(
        object_type="contracts.contract", object_id=str(contract.pk), action="update"
    ).get()
    assert entry.actor_name == "b_manager"
    assert (entry.before["monthly_fee"], entry.after["monthly_fee"]) == ("100000.00", "104500.00")


def test_a_price_change_from_a_month_adds_a_fee_step(scenario: Scenario) -> None:
    change = propose(scenario, kind="price", new_monthly_fee=D("104500"), new_fee_from="2027-01")
    change_sign(change=change, actor=scenario["p_exec"])
    contract = Contract.objects.get(pk=scenario.contract.pk)
    assert contract.monthly_fee is None
    assert contract.fee_schedule == {"2026-01": "100000.00", "2027-01": "104500.00"}


def test_a_fee_schedule_needs_the_month_of_the_new_fee(ministry: Scenario) -> None:
    with pytest.raises(ValidationError) as error:
        propose(ministry, kind="price", new_monthly_fee=D("1300000"))
    assert "new_fee_from" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        propose(ministry, kind="price", new_monthly_fee=D("1300000"), new_fee_from="2031-01")
    assert "outside the contract's term" in error.value.message_dict["new_fee_from"][0]
    change = propose(ministry, kind="price", new_monthly_fee=D("1300000"), new_fee_from="2027-04")
    change_sign(change=change, actor=ministry["p_manager"])
    ministry.contract.refresh_from_db()
    assert ministry.contract.fee_schedule == {
        "2026-01": "1250000", "2026-04": "1287500", "2027-04": "1300000.00",
    }  # fmt: skip


def test_a_term_change_sets_the_end_date(scenario: Scenario) -> None:
    with pytest.raises(ValidationError) as error:
        propose(scenario, kind="term", new_end_date=datetime.date(2025, 12, 31))
    assert "after that" in error.value.message_dict["new_end_date"][0]
    change = propose(scenario, kind="term", new_end_date=datetime.date(2030, 12, 31))
    change_sign(change=change, actor=scenario["p_manager"])
    scenario.contract.refresh_from_db()
    assert scenario.contract.end_date == datetime.date(2030, 12, 31)


# --------------------------------------------------------------------------- failures roll back


def test_a_failure_while_applying_rolls_the_signature_and_approval_back(
    scenario: Scenario,
) -> None:
    retro = scenario.items["retro"]
    change = propose(
        scenario, scope_item=retro, new_scope_status="out_of_scope", new_scope_title=""
    )
    # Between proposal and approval the item leaves the register.
    scope_item_delete(item=retro, actor=scenario["b_manager"])

    with pytest.raises(ValidationError) as error:
        change_sign(change=change, actor=scenario["p_manager"])

    assert "no longer in the register" in str(error.value)
    change.refresh_from_db()
    assert change.status == ChangeStatus.PROPOSED
    assert sides(change) == [("buyer", "b_manager")]  # the provider's signature is gone too
    assert not ScopeItem.objects.filter(title="Retroactive pay").exists()  # nothing added
    assert not Notification.objects.filter(kind=NotificationKind.CHANGE_DECIDED).exists()


def test_a_schedule_that_no_longer_fits_the_contract_is_not_applied(scenario: Scenario) -> None:
    stating = "currency: CAD\n" + RAISED
    change = propose(scenario, kind="service_level", schedule_document=stating)
    # The schedule in force does not state the currency, so the contract may change it...
    contract_update(contract=scenario.contract, actor=scenario["b_manager"], currency="USD")

    with pytest.raises(ValidationError) as error:
        change_sign(change=change, actor=scenario["p_manager"])

    assert "line 1" in " ".join(error.value.message_dict["schedule_document"])
    change.refresh_from_db()
    assert change.status == ChangeStatus.PROPOSED
    assert signed_sides(change) == {"buyer"}
    assert ScheduleVersion.objects.filter(contract=scenario.contract).count() == 1
