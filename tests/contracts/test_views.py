"""The contract, scope register and schedule pages, driven as a person would."""

from __future__ import annotations

import decimal
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accord.contracts.models import Contract, ScopeItem
from accord.core.testing.performance_factories import ScopeItemFactory
from accord.performance import schedules
from accord.performance import services as perf_services
from accord.performance.models import DataSource, ScheduleVersion, ServiceLevel
from accord.performance.views.schedule import STARTER, around_problems, numbered
from tests.contracts.conftest import MINISTRY_YAML, Team

D = decimal.Decimal

CONTRACT_POST = {
    "reference": "MWS-2026-014",
    "title": "Payroll and HR services",
    "start_date": "2026-01-01",
    "end_date": "2030-12-31",
    "currency": "cad",
    "timezone": "America/Vancouver",
    "fee_basis": "schedule",
    "monthly_fee": "",
    "fee_schedule": "2026-01 1,250,000\n\n# indexation on 1 April\n2026-04 1287500\n",
    "at_risk_percent": "12",
    "pool_percent": "250",
}


def client_for(person: object) -> Client:
    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    return client


def html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- contract


def test_a_manager_records_the_contract_through_the_form(team: Team) -> None:
    client = client_for(team.buyer_manager)
    url = reverse("contract_detail", kwargs={"pk": team.relationship.pk})
    empty = client.get(url)
    assert "No contract recorded yet" in html(empty)
    assert reverse("contract_add", kwargs={"pk": team.relationship.pk}) in html(empty)

    add_url = reverse("contract_add", kwargs={"pk": team.relationship.pk})
    form_page = client.get(add_url)
    assert 'list="time-zones"' in html(form_page)
    assert '<option value="America/Vancouver">' in html(form_page)
    response = client.post(add_url, CONTRACT_POST)
    assert response.status_code == 302
    assert response["Location"] == url
    contract = Contract.objects.get(relationship=team.relationship)
    assert contract.currency == "CAD"
    assert contract.monthly_fee is None
    assert contract.fee_schedule == {"2026-01": "1250000.00", "2026-04": "1287500.00"}
    assert contract.at_risk_percent == D("12")

    page = html(client.get(url))
    assert "Payroll and HR services" in page
    # The at-risk amount each fee step gives: 12 % of the fee.
    assert "CAD 1,250,000.00" in page
    assert "CAD 150,000.00" in page
    assert "2026-01 to 2026-03" in page
    assert "CAD 154,500.00" in page
    assert "2026-04 on" in page
    assert "250 %" in page


def test_fee_schedule_errors_name_their_lines(team: Team) -> None:
    client = client_for(team.buyer_manager)
    bad = {
        **CONTRACT_POST,
        "fee_schedule": "2026-13 100\nJan 2026 5\n2026-02 -5\n2026-03 1.234\n2026-05\n"
        "2026-06 12x\n2026-06 100\n2026-06 200",
    }
    response = client.post(reverse("contract_add", kwargs={"pk": team.relationship.pk}), bad)
    assert response.status_code == 200
    page = html(response)
    assert "Line 1: “2026-13” is not a month (YYYY-MM)." in page
    assert "Line 2: “Jan” is not a month (YYYY-MM)." in page
    assert "Line 3: the fee must be an amount of zero or more." in page
    assert "Line 4: 1.234 has more than two decimals (cents)." in page
    assert "Line 5: write a month and an amount" in page
    assert "Line 6: “12x” is not an amount." in page
    assert "Line 8: 2026-06 is given twice." in page
    assert 'id="id_fee_schedule_error"' in page
    assert not Contract.objects.exists()


def test_the_chosen_fee_basis_is_required_and_the_other_ignored(team: Team) -> None:
    client = client_for(team.buyer_manager)
    url = reverse("contract_add", kwargs={"pk": team.relationship.pk})
    response = client.post(url, {**CONTRACT_POST, "fee_basis": "monthly"})
    assert "Give the monthly fee." in html(response)
    assert not Contract.objects.exists()
    response = client.post(
        url, {**CONTRACT_POST, "fee_basis": "monthly", "monthly_fee": "100000", "timezone": "X/Y"}
    )
    assert "is not a time zone" in html(response)
    response = client.post(url, {**CONTRACT_POST, "fee_basis": "monthly", "monthly_fee": "100000"})
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.monthly_fee == D("100000")
    assert contract.fee_schedule == {}


def test_a_viewer_reads_but_may_not_record_the_contract(team: Team) -> None:
    client = client_for(team.buyer_viewer)
    page = html(client.get(reverse("contract_detail", kwargs={"pk": team.relationship.pk})))
    assert "No contract recorded yet" in page
    assert "Record the contract</a>" not in page
    add = client.get(reverse("contract_add", kwargs={"pk": team.relationship.pk}))
    assert add.status_code == 403


def test_adding_a_second_contract_leads_to_editing_the_first(
    team: Team, ministry_contract: Contract
) -> None:
    client = client_for(team.provider_manager)
    response = client.get(reverse("contract_add", kwargs={"pk": team.relationship.pk}))
    assert response["Location"] == reverse("contract_edit", kwargs={"pk": ministry_contract.pk})
    response = client.post(
        reverse("contract_add", kwargs={"pk": team.relationship.pk}), CONTRACT_POST
    )
    assert response.status_code == 302
    assert Contract.objects.count() == 1


def test_editing_terms_the_schedule_disagrees_with_is_refused_on_the_form(
    team: Team, ministry_contract: Contract
) -> None:
    perf_services.schedule_version_create(
        contract=ministry_contract, document=MINISTRY_YAML, actor=team.buyer_manager
    )
    client = client_for(team.buyer_manager)
    url = reverse("contract_edit", kwargs={"pk": ministry_contract.pk})
    form_page = html(client.get(url))
    assert "2026-01 1250000" in form_page  # the fee schedule, one step a line
    response = client.post(url, {**CONTRACT_POST, "at_risk_percent": "10"})
    assert response.status_code == 200
    assert "The schedule in force disagrees with these terms" in html(response)
    ministry_contract.refresh_from_db()
    assert ministry_contract.at_risk_percent == D("12")
    response = client.post(url, {**CONTRACT_POST, "title": "Payroll, HR and pensions"})
    assert response.status_code == 302
    ministry_contract.refresh_from_db()
    assert ministry_contract.title == "Payroll, HR and pensions"


def test_the_contract_page_lists_levels_sources_and_the_schedule(
    team: Team, ministry_contract: Contract
) -> None:
    version = perf_services.schedule_version_create(
        contract=ministry_contract,
        document=MINISTRY_YAML,
        summary="Schedule C as signed",
        actor=team.buyer_manager,
    )
    ServiceLevel.objects.filter(code="HR-REOPEN").update(retired=True)
    page = html(
        client_for(team.provider_manager).get(
            reverse("contract_detail", kwargs={"pk": team.relationship.pk})
        )
    )
    assert "Schedule C as signed" in page
    assert reverse("schedule_version", kwargs={"pk": version.pk}) in page
    level = ServiceLevel.objects.get(code="PAY-ACC")
    assert reverse("service_level_edit", kwargs={"pk": level.pk}) in page
    assert "≥ 99.9 %" in page
    assert "≥ 99.8 %" in page
    assert "≤ 30 payments" in page  # a key measurement where lower is better
    assert "1 retired service level" in page
    retired = page.index("retired service level")
    assert page.index("HR-REOPEN") > retired  # shown apart, under the retired heading
    source = DataSource.objects.get(name="tickets")
    assert reverse("source_edit", kwargs={"pk": source.pk}) in page
    assert 'allocated: <span class="">250 %</span>' in page


# ----------------------------------------------------------------- scope register


def test_the_scope_register_groups_and_filters(team: Team) -> None:
    ScopeItemFactory(
        relationship=team.relationship, status="in_scope", title="Payroll runs", clause="Sch. A 2.1"
    )
    ScopeItemFactory(
        relationship=team.relationship,
        status="out_of_scope",
        title="Pension administration",
        clause="Sch. A 2.7",
    )
    ScopeItemFactory(relationship=team.relationship, status="tbd", title="T4 slips", clause="")
    client = client_for(team.buyer_viewer)
    url = reverse("scope_list", kwargs={"pk": team.relationship.pk})
    page = html(client.get(url))
    headings = [page.index(h) for h in ("In scope", "Out of scope", "To be determined")]
    assert headings == sorted(headings)
    assert (
        page.index("Payroll runs") < page.index("Pension administration") < page.index("T4 slips")
    )
    assert "Sch. A 2.7" in page
    assert "no clause" in page
    filtered = html(client.get(url, {"status": "out_of_scope"}))
    assert "Pension administration" in filtered
    assert "Payroll runs" not in filtered
    searched = html(client.get(url, {"q": "t4"}))
    assert "T4 slips" in searched
    assert "Payroll runs" not in searched
    # htmx asks for the rows only.
    rows = client.get(url, {"status": "tbd"}, HTTP_HX_REQUEST="true")
    assert html(rows).lstrip().startswith('<div id="scope-rows">')
    assert "Add to the register" not in page  # a viewer adds nothing


def test_scope_items_are_added_edited_and_deleted(team: Team) -> None:
    client = client_for(team.provider_manager)
    response = client.post(
        reverse("scope_add", kwargs={"pk": team.relationship.pk}),
        {
            "status": "tbd",
            "title": "Year-end slips",
            "description": "Who mails them",
            "clause": "Sch. A 4.2",
        },
    )
    item = ScopeItem.objects.get()
    assert response["Location"] == reverse("scope_detail", kwargs={"pk": item.pk})
    detail = html(client.get(response["Location"]))
    assert "To be determined" in detail
    assert "Sch. A 4.2" in detail
    client.post(
        reverse("scope_edit", kwargs={"pk": item.pk}),
        {"status": "in_scope", "title": "Year-end slips", "clause": "Sch. A 4.2"},
    )
    item.refresh_from_db()
    assert item.status == "in_scope"
    assert item.description == ""
    confirm = client.get(reverse("scope_delete", kwargs={"pk": item.pk}))
    assert "cannot be undone" in html(confirm)
    response = client.post(reverse("scope_delete", kwargs={"pk": item.pk}))
    assert response["Location"] == reverse("scope_list", kwargs={"pk": team.relationship.pk})
    assert not ScopeItem.objects.exists()


# ---------------------------------------------------------------------- schedule


def test_uploading_the_ministry_schedule_makes_version_1(
    team: Team, ministry_contract: Contract
) -> None:
    client = client_for(team.buyer_manager)
    url = reverse("schedule_edit", kwargs={"pk": ministry_contract.pk})
    upload = SimpleUploadedFile("schedule-c.yaml", MINISTRY_YAML.encode(), "application/yaml")
    response = client.post(url, {"document": "", "file": upload, "summary": "As signed"})
    assert response.status_code == 302
    version = ScheduleVersion.objects.get(contract=ministry_contract)
    assert (version.number, version.summary, version.document) == (1, "As signed", MINISTRY_YAML)
    assert ServiceLevel.objects.filter(contract=ministry_contract).count() == 9

    detail = html(client.get(response["Location"], follow=True))
    assert "Saved as version 1" in detail
    assert '<tr id="L160"' in detail  # the text, numbered
    assert "at_risk_percent: 12" in detail
    download = client.get(reverse("schedule_version_download", kwargs={"pk": version.pk}))
    assert download.content.decode() == MINISTRY_YAML
    assert download["Content-Disposition"] == (
        'attachment; filename="MWS-2026-014-schedule-v1.yaml"'
    )


def test_schedule_errors_are_shown_next_to_their_lines(
    team: Team, ministry_contract: Contract
) -> None:
    client = client_for(team.provider_manager)
    text = MINISTRY_YAML.replace("expected: 99.9", "expected: lots").replace(
        "office: ../calendars/bc-public-service.yaml", "office: my-calendar.yaml"
    )
    response = client.post(
        reverse("schedule_edit", kwargs={"pk": ministry_contract.pk}),
        {"document": text.replace("\n", "\r\n"), "summary": "try"},
    )
    assert response.status_code == 200
    page = html(response)
    assert not ScheduleVersion.objects.exists()
    # The list of problems links to the lines...
    assert (
        '<a href="#L51" data-line="51">line 51</a>: <code>service_levels[0].expected</code>' in page
    )
    assert '<a href="#L15" data-line="15">line 15</a>: <code>calendars.office</code>' in page
    # ...and each line with a problem is marked, its message right below it.
    marked = re.search(
        r'<tr id="L51" class="problem">.*?</tr>\s*<tr class="problem-message">'
        r"(.*?)</tr>",
        page,
        re.S,
    )
    assert marked is not None
    assert "service_levels[0].expected: must be a number" in marked.group(1)
    assert '<tr id="L15" class="problem">' in page
    assert '<tr id="L14">' in page  # a line without a problem is not marked
    # The person's text stays in the editor to be fixed (with plain line ends).
    textarea = re.search(r'<textarea name="document"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea is not None
    assert "expected: lots" in textarea.group(1)
    assert "office: my-calendar.yaml" in textarea.group(1)
    # The page explains where the commercial terms and calendars come from.
    assert "bc-public-service" in page
    assert "From the contract" in page


def test_an_uploaded_file_with_errors_lands_in_the_editor(
    team: Team, ministry_contract: Contract
) -> None:
    client = client_for(team.buyer_manager)
    text = MINISTRY_YAML.replace("at_risk_percent: 12", "at_risk_percent: 15")
    upload = SimpleUploadedFile("c.yaml", text.encode(), "application/yaml")
    response = client.post(
        reverse("schedule_edit", kwargs={"pk": ministry_contract.pk}), {"file": upload}
    )
    page = html(response)
    assert "credits.at_risk_percent" in page
    assert "on the contract" in page
    assert "at_risk_percent: 15" in re.search(r"<textarea.*?</textarea>", page, re.S).group(0)  # type: ignore[union-attr]


def test_a_file_that_is_not_text_is_refused(team: Team, ministry_contract: Contract) -> None:
    client = client_for(team.buyer_manager)
    upload = SimpleUploadedFile("c.yaml", b"\xff\xfe\x00bad", "application/yaml")
    response = client.post(
        reverse("schedule_edit", kwargs={"pk": ministry_contract.pk}), {"file": upload}
    )
    assert "not UTF-8 text" in html(response)
    empty = client.post(
        reverse("schedule_edit", kwargs={"pk": ministry_contract.pk}), {"document": "  \r\n"}
    )
    assert "Write the schedule in the text area or upload a file." in html(empty)
    assert not ScheduleVersion.objects.exists()


def test_saving_the_same_text_again_changes_nothing(
    team: Team, ministry_contract: Contract
) -> None:
    client = client_for(team.buyer_manager)
    url = reverse("schedule_edit", kwargs={"pk": ministry_contract.pk})
    client.post(url, {"document": MINISTRY_YAML})
    # The browser sends the text area back with CRLF line ends: still the same text.
    response = client.post(url, {"document": MINISTRY_YAML.replace("\n", "\r\n")}, follow=True)
    assert "Nothing changed" in html(response)
    assert ScheduleVersion.objects.count() == 1


def test_the_starter_schedule_is_offered_and_valid(team: Team, ministry_contract: Contract) -> None:
    client = client_for(team.buyer_manager)
    url = reverse("schedule_edit", kwargs={"pk": ministry_contract.pk})
    page = html(client.get(url))
    assert "Saving makes version 1." in page
    assert "kind: critical" in page
    response = client.post(url, {"document": STARTER, "summary": "first draft"})
    assert response.status_code == 302
    assert ServiceLevel.objects.get(contract=ministry_contract).code == "P1"


def test_a_version_page_shows_its_text_and_what_changed(
    team: Team, ministry_contract: Contract
) -> None:
    first = perf_services.schedule_version_create(
        contract=ministry_contract, document=MINISTRY_YAML, actor=team.buyer_manager
    )
    second = perf_services.schedule_version_create(
        contract=ministry_contract,
        document=MINISTRY_YAML.replace("    expected: 99.9\n", "    expected: 99.95\n"),
        summary="PAY-ACC expected 99.95",
        actor=team.provider_manager,
    )
    client = client_for(team.buyer_viewer)
    page = html(client.get(reverse("schedule_version", kwargs={"pk": second.pk})))
    assert "in force" in page
    assert '<span class="diff-remove">-    expected: 99.9</span>' in page
    assert '<span class="diff-add">+    expected: 99.95</span>' in page
    assert reverse("schedule_version", kwargs={"pk": first.pk}) in page
    old = html(client.get(reverse("schedule_version", kwargs={"pk": first.pk})))
    assert "superseded" in old
    history = html(client.get(reverse("schedule_detail", kwargs={"pk": ministry_contract.pk})))
    assert "PAY-ACC expected 99.95" in history
    assert "Edit or upload" not in history  # a viewer reads only


# ---------------------------------------------------------- one level, one source


@pytest.fixture
def in_force(team: Team, ministry_contract: Contract) -> ScheduleVersion:
    return perf_services.schedule_version_create(
        contract=ministry_contract, document=MINISTRY_YAML, actor=team.buyer_manager
    )


def level_post(**changes: str) -> dict[str, str]:
    return {
        "name": "Priority 2 inquiries resolved within 8 business hours",
        "kind": "critical",
        "expected": "90",
        "minimum": "85",
        "minimum_volume": "50",
        "allocation_percent": "40",
        **changes,
    }


def test_editing_a_level_saves_a_new_schedule_version(
    in_force: ScheduleVersion, team: Team
) -> None:
    level = ServiceLevel.objects.get(code="HR-P2")
    client = client_for(team.provider_manager)
    url = reverse("service_level_edit", kwargs={"pk": level.pk})
    form = html(client.get(url))
    assert 'value="90"' in form
    assert 'value="40"' in form
    response = client.post(url, level_post(expected="92"), follow=True)
    assert "HR-P2 saved as schedule version 2." in html(response)
    level.refresh_from_db()
    assert level.expected == D("92")
    version = ScheduleVersion.objects.get(number=2)
    assert version.summary == "HR-P2: expected 92"


def test_engine_errors_in_a_level_edit_appear_on_the_form(
    in_force: ScheduleVersion, team: Team
) -> None:
    level = ServiceLevel.objects.get(code="HR-P2")
    client = client_for(team.buyer_manager)
    url = reverse("service_level_edit", kwargs={"pk": level.pk})
    response = client.post(url, level_post(allocation_percent="60"))
    page = html(response)
    allocation = re.search(r'<p class="error" id="id_allocation_percent_error">(.*?)</p>', page)
    assert allocation is not None
    assert "more than the pool of 250%" in allocation.group(1)
    response = client.post(url, level_post(expected="150"))
    expected = re.search(r'<p class="error" id="id_expected_error">(.*?)</p>', html(response))
    assert expected is not None
    response = client.post(url, level_post(kind="key"))
    assert "A key measurement carries no credit" in html(response)
    assert ScheduleVersion.objects.count() == 1


def test_a_viewer_may_not_edit_a_level_or_a_source(in_force: ScheduleVersion, team: Team) -> None:
    client = client_for(team.buyer_viewer)
    level = ServiceLevel.objects.get(code="HR-P2")
    source = DataSource.objects.get(name="tickets")
    assert client.get(reverse("service_level_edit", kwargs={"pk": level.pk})).status_code == 403
    assert (
        client.post(
            reverse("source_edit", kwargs={"pk": source.pk}), {"import_format": "standard"}
        ).status_code
        == 403
    )
    outsider = client_for(team.outsider)
    assert outsider.get(reverse("source_edit", kwargs={"pk": source.pk})).status_code == 404


def test_editing_a_sources_import_settings(in_force: ScheduleVersion, team: Team) -> None:
    source = DataSource.objects.get(name="tickets")
    client = client_for(team.provider_manager)
    url = reverse("source_edit", kwargs={"pk": source.pk})
    assert "ticket_id" in html(client.get(url))
    response = client.post(url, {"import_format": "servicenow", "timezone": ""})
    error = re.search(r'<p class="error" id="id_timezone_error">(.*?)</p>', html(response))
    assert error is not None
    assert "carry no zone" in error.group(1)
    response = client.post(url, {"import_format": "servicenow", "timezone": "Europe/Atlantis"})
    assert "is not a time zone" in html(response)
    response = client.post(
        url, {"import_format": "servicenow", "timezone": "Europe/Lisbon", "description": "SNOW"}
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.import_format, source.timezone, source.description) == (
        "servicenow",
        "Europe/Lisbon",
        "SNOW",
    )


def test_a_long_register_shows_the_first_of_each_group_and_pages_the_rest(team: Team) -> None:
    for number in range(60):
        ScopeItemFactory(relationship=team.relationship, status="in_scope", title=f"S{number:02d}")
    client = client_for(team.buyer_viewer)
    url = reverse("scope_list", kwargs={"pk": team.relationship.pk})
    grouped = html(client.get(url))
    assert grouped.count('data-object="contracts.scopeitem:') == 25
    assert "All 60 in scope →" in grouped
    second = html(client.get(url, {"status": "in_scope", "page": 2}))
    assert second.count('data-object="contracts.scopeitem:') == 10
    assert "Page 2 of 2" in second
    assert "S59" in second


def test_only_the_lines_around_problems_are_repeated_below_the_editor() -> None:
    text = "\n".join(f"line{n}: {n}" for n in range(1, 21)) + "\n"
    problem = schedules.LineProblem("line10", "is wrong", 10)
    shown = around_problems(numbered(text, [problem]))
    assert [None if line is None else line.number for line in shown] == [
        None, 7, 8, 9, 10, 11, 12, 13, None,
    ]  # fmt: skip
    problem_line = shown[4]
    assert problem_line is not None
    assert problem_line.problems == ["line10: is wrong"]
    near_start = around_problems(numbered(text, [schedules.LineProblem("", "x", 1)]))
    assert [None if line is None else line.number for line in near_start] == [1, 2, 3, 4, None]
