"""Contract, scope, schedule, service level and data source services."""

from __future__ import annotations

import datetime
import decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accord.contracts import services as contract_services
from accord.contracts.models import Contract, ScopeItem, ScopeStatus
from accord.core.models import AuditEntry
from accord.core.testing.performance_factories import ContractFactory
from accord.performance import schedules
from accord.performance import services as perf_services
from accord.performance.models import DataSource, ImportFormat, ScheduleVersion, ServiceLevel
from tests.contracts.conftest import MINISTRY_YAML, Team, ministry_terms

D = decimal.Decimal


def line_text(document: str, line: int | None) -> str:
    assert line is not None
    return document.splitlines()[line - 1]


# --------------------------------------------------------------------- contracts


def test_contract_create_records_a_joint_contract_and_audits_it(team: Team) -> None:
    contract = contract_services.contract_create(
        relationship=team.relationship, actor=team.buyer_manager, **ministry_terms()
    )
    assert contract.visibility == "joint"
    assert contract.fee_schedule == {"2026-01": "1250000", "2026-04": "1287500"}
    entry = AuditEntry.objects.get(object_type="contracts.contract", object_id=str(contract.pk))
    assert entry.action == "create"
    assert entry.actor_id == team.buyer_manager.pk


def test_one_contract_per_relationship(team: Team) -> None:
    contract_services.contract_create(
        relationship=team.relationship, actor=team.buyer_manager, **ministry_terms()
    )
    with pytest.raises(ValidationError, match="already has a contract"):
        contract_services.contract_create(
            relationship=team.relationship, actor=team.provider_manager, **ministry_terms()
        )
    assert Contract.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fee_schedule": {}}, "monthly_fee"),  # neither fee
        ({"monthly_fee": D("1000")}, "fee_schedule"),  # both fees
        ({"fee_schedule": {"2026-13": "10"}}, "fee_schedule"),  # not a month
        ({"fee_schedule": {"2026-01": "-5"}}, "fee_schedule"),  # negative fee
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"currency": "dollars"}, "currency"),
        ({"end_date": datetime.date(2025, 1, 1)}, "end_date"),
        ({"at_risk_percent": D("-1")}, "at_risk_percent"),
    ],
)
def test_contract_create_validates_terms(team: Team, changes: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        contract_services.contract_create(
            relationship=team.relationship,
            actor=team.buyer_manager,
            **{**ministry_terms(), **changes},
        )
    assert field in caught.value.message_dict
    assert not Contract.objects.exists()


def test_contract_create_refuses_viewers_and_hides_from_outsiders(team: Team) -> None:
    with pytest.raises(PermissionDenied):
        contract_services.contract_create(
            relationship=team.relationship, actor=team.buyer_viewer, **ministry_terms()
        )
    with pytest.raises(Http404):
        contract_services.contract_create(
            relationship=team.relationship, actor=team.outsider, **ministry_terms()
        )
    assert not Contract.objects.exists()


def test_contract_update_changes_terms_and_validates_them(
    ministry_contract: Contract, team: Team
) -> None:
    contract_services.contract_update(
        contract=ministry_contract,
        actor=team.provider_manager,
        fee_schedule={},
        monthly_fee=D("1300000.00"),
    )
    ministry_contract.refresh_from_db()
    assert ministry_contract.monthly_fee == D("1300000.00")
    assert ministry_contract.fee_schedule == {}
    with pytest.raises(ValidationError) as caught:
        contract_services.contract_update(
            contract=ministry_contract, actor=team.provider_manager, currency="CA"
        )
    assert "currency" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        contract_services.contract_update(
            contract=ministry_contract, actor=team.buyer_viewer, title="Viewer's title"
        )


def test_contract_update_refuses_terms_the_schedule_in_force_disagrees_with(
    ministry_contract: Contract, team: Team
) -> None:
    perf_services.schedule_version_create(
        contract=ministry_contract, document=MINISTRY_YAML, actor=team.buyer_manager
    )
    with pytest.raises(ValidationError, match="at_risk_percent"):
        contract_services.contract_update(
            contract=ministry_contract, actor=team.buyer_manager, at_risk_percent=D("10")
        )
    ministry_contract.refresh_from_db()
    assert ministry_contract.at_risk_percent == D("12")
    # A term the schedule does not state may change freely.
    contract_services.contract_update(
        contract=ministry_contract, actor=team.buyer_manager, title="Renamed"
    )
    ministry_contract.refresh_from_db()
    assert ministry_contract.title == "Renamed"


# ------------------------------------------------------------------------- scope


def test_scope_items_are_created_updated_and_deleted_through_services(team: Team) -> None:
    item = contract_services.scope_item_create(
        relationship=team.relationship,
        actor=team.provider_manager,
        status=ScopeStatus.TO_BE_DETERMINED,
        title="Year-end T4 slips",
        description="Who prints and mails T4 slips.",
        clause="Sch. A §4.2",
    )
    assert item.visibility == "joint"
    contract_services.scope_item_update(
        item=item, actor=team.buyer_manager, status=ScopeStatus.IN_SCOPE
    )
    item.refresh_from_db()
    assert item.status == ScopeStatus.IN_SCOPE
    with pytest.raises(PermissionDenied):
        contract_services.scope_item_delete(item=item, actor=team.buyer_viewer)
    with pytest.raises(ValidationError):
        contract_services.scope_item_update(item=item, actor=team.buyer_manager, status="maybe")
    contract_services.scope_item_delete(item=item, actor=team.buyer_manager)
    assert not ScopeItem.objects.exists()


# --------------------------------------------------------------------- schedules


def test_schedule_version_create_mirrors_levels_and_sources(
    ministry_contract: Contract, team: Team
) -> None:
    version = perf_services.schedule_version_create(
        contract=ministry_contract,
        document=MINISTRY_YAML,
        summary="Schedule C as signed",
        actor=team.buyer_manager,
    )
    assert version.number == 1
    assert version.sha256 == schedules.document_sha256(MINISTRY_YAML)
    levels = {
        level.code: level for level in ServiceLevel.objects.filter(contract=ministry_contract)
    }
    assert list(levels) == [
        "PAY-ACC", "PAY-TIME", "PAY-ERR", "HR-P1", "HR-P2", "HR-P3", "HR-P4", "HR-RESP",
        "HR-REOPEN",
    ]  # fmt: skip
    assert levels["PAY-ACC"].expected == D("99.9")
    assert levels["PAY-ACC"].minimum == D("99.8")
    assert levels["PAY-ACC"].allocation_percent == D("60")
    assert levels["PAY-ERR"].kind == "key"
    assert levels["PAY-ERR"].allocation_percent is None
    assert levels["HR-P3"].breakdown == ["category"]
    assert levels["HR-P2"].calendar == "office"
    assert levels["HR-REOPEN"].period == "quarter"
    assert levels["HR-P1"].minimum_volume == 10
    sources = {s.name: s for s in DataSource.objects.filter(contract=ministry_contract)}
    assert set(sources) == {"payroll_runs", "tickets"}
    assert sources["tickets"].time_column == "opened_at"
    assert sources["tickets"].columns["reopened"] == "boolean"


def test_a_level_or_source_left_out_of_a_new_version_is_retired(
    ministry_contract: Contract, team: Team
) -> None:
    perf_services.schedule_version_create(
        contract=ministry_contract, document=MINISTRY_YAML, actor=team.buyer_manager
    )
    reopen = MINISTRY_YAML.index("  - code: HR-REOPEN")
    without = MINISTRY_YAML[:reopen] + MINISTRY_YAML[MINISTRY_YAML.index("credits:") :]
    version = perf_services.schedule_version_create(
        contract=ministry_contract, document=without, actor=team.buyer_manager
    )
    assert version.number == 2
    retired = ServiceLevel.objects.get(contract=ministry_contract, code="HR-REOPEN")
    assert retired.retired
    assert ServiceLevel.objects.filter(contract=ministry_contract, retired=False).count() == 8
    # Putting it back brings the same row back into service.
    perf_services.schedule_version_create(
        contract=ministry_contract, document=MINISTRY_YAML, actor=team.buyer_manager
    )
    retired.refresh_from_db()
    assert not retired.retired


def test_identical_text_makes_no_new_version(ministry_contract: Contract, team: Team) -> None:
    first = perf_services.schedule_version_create(
        contract=ministry_contract, document=MINISTRY_YAML, actor=team.buyer_manager
    )
    again = perf_services.schedule_version_create(
        contract=ministry_contract, document=MINISTRY_YAML, actor=team.provider_manager
    )
    assert again.pk == first.pk
    assert ScheduleVersion.objects.filter(contract=ministry_contract).count() == 1


def test_invalid_schedule_reports_every_problem_on_its_line(
    ministry_contract: Contract, team: Team
) -> None:
    document = MINISTRY_YAML.replace("expected: 99.9", "expected: lots").replace(
        "office: ../calendars/bc-public-service.yaml", "office: ../calendars/nowhere.yaml"
    )
    with pytest.raises(schedules.ScheduleInvalid) as caught:
        perf_services.schedule_version_create(
            contract=ministry_contract, document=document, actor=team.buyer_manager
        )
    problems = {p.place: p for p in caught.value.problems}
    # Both mistakes at once (the engine also notes that the broken level's allocation
    # now points at no valid level).
    assert {"calendars.office", "service_levels[0].expected"} <= set(problems)
    assert line_text(document, problems["calendars.office"].line) == (
        "  office: ../calendars/nowhere.yaml"
    )
    assert "no calendar" in problems["calendars.office"].message
    assert line_text(document, problems["service_levels[0].expected"].line) == (
        "    expected: lots"
    )
    assert "must be a number" in problems["service_levels[0].expected"].message
    # In the order of the lines, and nothing was saved.
    lines = [p.line or 0 for p in caught.value.problems]
    assert lines == sorted(lines)
    assert not ScheduleVersion.objects.exists()
    assert not ServiceLevel.objects.exists()


def test_a_yaml_syntax_error_names_its_line_once(ministry_contract: Contract, team: Team) -> None:
    document = "sources:\n  tickets: [oops\nservice_levels: []\n"
    with pytest.raises(schedules.ScheduleInvalid) as caught:
        perf_services.schedule_version_create(
            contract=ministry_contract, document=document, actor=team.buyer_manager
        )
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert problem.place == ""
    assert str(problem).startswith("line 3: not valid YAML")
    assert "<unicode string>" not in problem.message


def test_the_contract_decides_the_commercial_terms(ministry_contract: Contract, team: Team) -> None:
    """A schedule that leaves the terms out gets the contract's; a conflicting one is refused."""
    start = MINISTRY_YAML.index("  fee_schedule:")
    end = MINISTRY_YAML.index("  rounding:")
    without_terms = MINISTRY_YAML[:start] + MINISTRY_YAML[end:]
    schedule = schedules.build_schedule(ministry_contract, without_terms)
    assert schedule.credits is not None
    assert schedule.credits.at_risk_percent == D("12")
    assert schedule.credits.pool_percent == D("250")
    assert schedule.credits.fee_schedule[-1][1] == D("1287500")
    assert schedule.currency == "CAD"
    assert schedule.timezone == "America/Vancouver"

    conflicting = MINISTRY_YAML.replace("at_risk_percent: 12", "at_risk_percent: 15")
    with pytest.raises(schedules.ScheduleInvalid) as caught:
        perf_services.schedule_version_create(
            contract=ministry_contract, document=conflicting, actor=team.buyer_manager
        )
    (problem,) = caught.value.problems
    assert problem.place == "credits.at_risk_percent"
    assert line_text(conflicting, problem.line) == "  at_risk_percent: 15"
    assert problem.message.startswith("is 15 here but '12' on the contract")


def test_terms_stated_differently_but_equal_are_accepted(team: Team) -> None:
    """12 in the file and 12.000 on the contract, or CAD in both, are the same terms."""
    contract = ContractFactory(relationship=team.relationship, **ministry_terms())
    version = perf_services.schedule_version_create(
        contract=contract, document=MINISTRY_YAML, actor=team.buyer_manager
    )
    assert version.number == 1
    other_zone = MINISTRY_YAML.replace("timezone: America/Vancouver", "timezone: America/Toronto")
    with pytest.raises(schedules.ScheduleInvalid) as caught:
        schedules.build_schedule(contract, other_zone)
    assert [p.place for p in caught.value.problems] == ["timezone"]
    assert line_text(other_zone, caught.value.problems[0].line) == "timezone: America/Toronto"


def test_a_monthly_fee_contract_refuses_a_fee_schedule_in_the_file(team: Team) -> None:
    contract = ContractFactory(
        relationship=team.relationship,
        **{**ministry_terms(), "fee_schedule": {}, "monthly_fee": D("1250000")},
    )
    with pytest.raises(schedules.ScheduleInvalid) as caught:
        schedules.build_schedule(contract, MINISTRY_YAML)
    assert [p.place for p in caught.value.problems] == ["credits.fee_schedule"]
    assert "not used on the contract" in caught.value.problems[0].message


def test_viewers_may_not_change_the_schedule(ministry_contract: Contract, team: Team) -> None:
    with pytest.raises(PermissionDenied):
        perf_services.schedule_version_create(
            contract=ministry_contract, document=MINISTRY_YAML, actor=team.buyer_viewer
        )
    with pytest.raises(Http404):
        perf_services.schedule_version_create(
            contract=ministry_contract, document=MINISTRY_YAML, actor=team.outsider
        )


# ---------------------------------------------------------------- service levels


@pytest.fixture
def in_force(ministry_contract: Contract, team: Team) -> ScheduleVersion:
    return perf_services.schedule_version_create(
        contract=ministry_contract, document=MINISTRY_YAML, actor=team.buyer_manager
    )


def test_service_level_update_makes_a_new_version_with_the_new_target(
    in_force: ScheduleVersion, team: Team
) -> None:
    level = ServiceLevel.objects.get(code="HR-P2")
    version = perf_services.service_level_update(
        level=level,
        actor=team.provider_manager,
        name=level.name,
        kind="critical",
        expected=D("92.5"),
        minimum=D("85"),
        minimum_volume=50,
        allocation_percent=D("35"),
    )
    assert version.number == 2
    assert version.summary == "HR-P2: expected 92.5, allocation 35%"
    level.refresh_from_db()
    assert level.expected == D("92.5")
    assert level.allocation_percent == D("35")
    schedule = schedules.build_schedule(level.contract, version.document)
    assert schedule.level("HR-P2").expected == D("92.5")
    assert schedule.credits is not None
    allocation = schedule.credits.allocation("HR-P2")
    assert allocation is not None
    assert allocation.percent == D("35")
    # The earlier version keeps its text as written, comments included.
    in_force.refresh_from_db()
    assert "# indexation on 1 April" in in_force.document


def test_service_level_update_without_a_change_makes_no_version(
    in_force: ScheduleVersion, team: Team
) -> None:
    level = ServiceLevel.objects.get(code="HR-P1")
    version = perf_services.service_level_update(
        level=level,
        actor=team.buyer_manager,
        name=level.name,
        kind=level.kind,
        expected=D("95"),
        minimum=D("90.000"),
        minimum_volume=10,
        allocation_percent=D("50"),
    )
    assert version.pk == in_force.pk
    assert ScheduleVersion.objects.count() == 1


def test_making_a_level_key_removes_its_allocation(in_force: ScheduleVersion, team: Team) -> None:
    level = ServiceLevel.objects.get(code="HR-P3")
    version = perf_services.service_level_update(
        level=level, actor=team.buyer_manager, kind="key", minimum=None
    )
    assert "allocation removed" in version.summary
    level.refresh_from_db()
    assert level.kind == "key"
    assert level.allocation_percent is None
    assert level.minimum is None
    assert schedules.level_allocation(version.document, "HR-P3") is None


def test_an_engine_error_in_a_level_change_saves_nothing(
    in_force: ScheduleVersion, team: Team
) -> None:
    level = ServiceLevel.objects.get(code="HR-P2")
    with pytest.raises(schedules.ScheduleInvalid) as caught:
        perf_services.service_level_update(
            level=level, actor=team.buyer_manager, allocation_percent=D("45")
        )
    assert "more than the pool of 250%" in str(caught.value)
    with pytest.raises(schedules.ScheduleInvalid, match="expected"):
        perf_services.service_level_update(level=level, actor=team.buyer_manager, expected=D("120"))
    assert ScheduleVersion.objects.count() == 1
    level.refresh_from_db()
    assert level.allocation_percent == D("40")


def test_a_category_allocation_keeps_its_category(team: Team) -> None:
    """With categories the form edits the level's own %, not the effective one."""
    contract = ContractFactory(relationship=team.relationship, **ministry_terms())
    allocations = MINISTRY_YAML.index("  allocations:")
    document = MINISTRY_YAML[:allocations] + (
        "  categories: {pay: 60, inquiries: 40}\n"
        "  allocations:\n"
        "    PAY-ACC: {percent: 50, category: pay}\n"
        "    PAY-TIME: {percent: 50, category: pay}\n"
        "    HR-P1: {percent: 40, category: inquiries}\n"
        "    HR-P2: {percent: 30, category: inquiries}\n"
        "    HR-P3: {percent: 30, category: inquiries}\n"
        "  expected_miss_rule: {misses: 4, months: 12}\n"
    )
    perf_services.schedule_version_create(
        contract=contract, document=document, actor=team.buyer_manager
    )
    level = ServiceLevel.objects.get(contract=contract, code="PAY-ACC")
    assert level.allocation_percent == D("30")  # 60 % (category) x 50 % (level)
    assert schedules.level_allocation(document, "PAY-ACC") == D("50")
    version = perf_services.service_level_update(
        level=level, actor=team.buyer_manager, allocation_percent=D("40")
    )
    level.refresh_from_db()
    assert level.allocation_percent == D("24")  # 60 % x 40 %
    assert "category: pay" in version.document


def test_a_retired_level_cannot_be_edited(in_force: ScheduleVersion, team: Team) -> None:
    level = ServiceLevel.objects.get(code="HR-REOPEN")
    level.retired = True
    level.save()
    with pytest.raises(ValidationError, match="no longer in the schedule"):
        perf_services.service_level_update(level=level, actor=team.buyer_manager, expected=D("5"))


# ------------------------------------------------------------------ data sources


def test_data_source_update_sets_format_and_zone(in_force: ScheduleVersion, team: Team) -> None:
    source = DataSource.objects.get(name="tickets")
    perf_services.data_source_update(
        source=source,
        actor=team.provider_manager,
        import_format=ImportFormat.SERVICENOW,
        timezone="America/Vancouver",
        description="Incident export from the service desk",
    )
    source.refresh_from_db()
    assert (source.import_format, source.timezone) == ("servicenow", "America/Vancouver")
    with pytest.raises(ValidationError) as caught:
        perf_services.data_source_update(
            source=source, actor=team.provider_manager, import_format="servicenow", timezone=""
        )
    assert "timezone" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        perf_services.data_source_update(
            source=source, actor=team.provider_manager, import_format="csv", timezone="Nowhere"
        )
    assert set(caught.value.message_dict) == {"import_format", "timezone"}


def test_data_source_update_answers_outsiders_404_whatever_they_send(
    in_force: ScheduleVersion, team: Team
) -> None:
    source = DataSource.objects.get(name="tickets")
    with pytest.raises(Http404):
        perf_services.data_source_update(
            source=source, actor=team.outsider, import_format="bogus", timezone="Nowhere"
        )
    with pytest.raises(PermissionDenied):
        perf_services.data_source_update(
            source=source, actor=team.buyer_viewer, import_format="standard", timezone=""
        )
