"""The operational data pages: sources and imports, uploading, one import's outcome."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accord.contracts.models import Contract
from accord.core.testing.factories import UserFactory
from accord.core.testing.performance_factories import DataImportFactory
from accord.performance.models import DataImport, DataSource, ImportStatus
from tests.performance_data.helpers import (
    Setting,
    make_contract,
    make_schedule,
    tickets_table,
    upload,
    write_csv,
    write_parquet,
)


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def overview(setting: Setting) -> str:
    return reverse("data_overview", kwargs={"pk": setting.relationship.pk})


def post_file(client: Client, source: DataSource, path: Path, **extra: Any) -> Any:
    with path.open("rb") as handle:
        return client.post(
            reverse("import_add", kwargs={"pk": source.pk}), {"file": handle}, **extra
        )


def listed_imports(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-object="performance\.dataimport:(\d+)"', html)]


# --------------------------------------------------------------------------- overview


def test_without_a_contract_the_page_says_what_comes_first(setting: Setting) -> None:
    response = client_for(setting.manager).get(overview(setting))
    assert response.status_code == 200
    assert "No contract yet" in response.text
    assert reverse("contract_detail", kwargs={"pk": setting.relationship.pk}) in response.text
    assert "Upload a file" not in response.text


def test_without_a_schedule_the_page_says_so(setting: Setting, contract: Contract) -> None:
    response = client_for(setting.manager).get(overview(setting))
    assert "No schedule yet" in response.text
    assert contract.reference in response.text
    assert reverse("schedule_edit", kwargs={"pk": contract.pk}) in response.text
    assert "No contract yet" not in response.text


def test_the_sources_are_listed_with_their_columns_and_an_upload_form(
    setting: Setting, tickets: DataSource
) -> None:
    response = client_for(setting.contributor).get(overview(setting))
    html = response.text
    assert response.status_code == 200
    assert f'data-object="performance.datasource:{tickets.pk}"' in html
    for column, kind in tickets.columns.items():
        assert f"<code>{column}</code>" in html
        assert f"<td>{kind}</td>" in html
    assert "opened_at" in html
    upload_url = reverse("import_add", kwargs={"pk": tickets.pk})
    assert f'action="{upload_url}"' in html
    assert 'hx-encoding="multipart/form-data"' in html
    assert "htmx:xhr:progress" in html or "hx-on::xhr:progress" in html
    assert "<progress" in html
    assert reverse("source_edit", kwargs={"pk": tickets.pk}) in html
    assert "No imports yet" in html


def test_a_viewer_sees_the_sources_but_no_upload_form(
    setting: Setting, tickets: DataSource
) -> None:
    html = client_for(setting.viewer).get(overview(setting)).text
    assert f'data-object="performance.datasource:{tickets.pk}"' in html
    assert reverse("import_add", kwargs={"pk": tickets.pk}) not in html
    assert reverse("source_edit", kwargs={"pk": tickets.pk}) not in html
    assert "Your role lets you see the data" in html


def test_an_outsider_gets_not_found(setting: Setting, tickets: DataSource) -> None:
    assert client_for(setting.outsider).get(overview(setting)).status_code == 404


def test_the_imports_are_listed_newest_first_and_filtered(
    setting: Setting, tickets: DataSource
) -> None:
    older = DataImportFactory(source=tickets, status=ImportStatus.FAILED, original_name="a.csv")
    newer = DataImportFactory(
        source=tickets, status=ImportStatus.SUCCEEDED, original_name="b.csv", error_count=0
    )
    client = client_for(setting.manager)

    assert listed_imports(client.get(overview(setting)).text) == [newer.pk, older.pk]
    failed = client.get(overview(setting), {"status": "failed"}).text
    assert listed_imports(failed) == [older.pk]
    none = client.get(overview(setting), {"status": "queued", "source": tickets.pk}).text
    assert listed_imports(none) == []
    assert "No imports match these filters" in none
    # htmx asks for the rows alone.
    rows = client.get(
        overview(setting), {"status": "succeeded"}, HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="import-rows",
    )  # fmt: skip
    assert rows.text.lstrip().startswith('<div id="import-rows">')
    assert listed_imports(rows.text) == [newer.pk]
    assert "<html" not in rows.text


def test_the_imports_are_paginated_keeping_the_filters(
    setting: Setting, tickets: DataSource
) -> None:
    made = [DataImportFactory(source=tickets, status=ImportStatus.FAILED) for _ in range(30)]
    client = client_for(setting.manager)
    first = client.get(overview(setting), {"status": "failed"}).text
    assert len(listed_imports(first)) == 25
    assert "status=failed&amp;page=2" in first
    second = client.get(overview(setting), {"status": "failed", "page": 2}).text
    assert sorted(listed_imports(first) + listed_imports(second)) == sorted(m.pk for m in made)


def test_the_overview_counts_rows_and_months(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    upload(
        tickets, write_csv(tickets_table("2026-01", 120, 1), tmp_path / "a.csv"), setting.manager
    )
    upload(tickets, write_csv(tickets_table("2026-03", 80, 2), tmp_path / "b.csv"), setting.manager)
    html = client_for(setting.viewer).get(overview(setting)).text
    assert "200 in 2 imports" in html
    assert "2026-01 to 2026-03 (3 months, America/Vancouver)" in html


# --------------------------------------------------------------------------- uploading


def test_uploading_a_file_leads_to_its_import(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = write_parquet(tickets_table(rows=150), tmp_path / "tickets-jan.parquet")
    client = client_for(setting.contributor)

    response = post_file(client, tickets, path)

    record = DataImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import_detail", kwargs={"pk": record.pk})
    assert record.status == ImportStatus.SUCCEEDED
    assert (Path(settings.DATA_DIR) / record.stored_path).is_file()
    page = client.get(response["Location"])
    html = page.text
    assert "Imported 150 rows from tickets-jan.parquet" in html  # the message
    assert record.sha256 in html
    assert "America/Vancouver" in html  # the time span is shown in the contract's zone
    assert "Scorecard runs computed with this import" in html
    assert f'href="{reverse("scorecard", kwargs={"pk": setting.relationship.pk})}"' in html
    assert f"#{record.runs.get().pk}" in html


def test_the_same_file_again_says_so_and_leads_to_the_first_import(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = write_csv(tickets_table(rows=60), tmp_path / "tickets.csv")
    client = client_for(setting.manager)
    first = post_file(client, tickets, path)
    again = post_file(client, tickets, path, follow=True)

    record = DataImport.objects.get()
    assert first["Location"] == again.redirect_chain[0][0]
    assert again.redirect_chain[0][0] == reverse("import_detail", kwargs={"pk": record.pk})
    assert f"already imported into tickets as import #{record.pk}" in again.text


def test_an_upload_without_a_file_is_refused_next_to_the_field(
    setting: Setting, tickets: DataSource
) -> None:
    client = client_for(setting.manager)
    url = reverse("import_add", kwargs={"pk": tickets.pk})
    response = client.post(url, {})
    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert "Choose a file to upload." in response.text
    assert "<html" in response.text  # a whole page without JavaScript
    fragment = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "Choose a file to upload." in fragment.text
    assert fragment.text.lstrip().startswith("<form")
    assert not DataImport.objects.exists()


def test_an_htmx_upload_sends_the_browser_to_the_import(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = write_csv(tickets_table(rows=40), tmp_path / "tickets.csv")
    response = post_file(client_for(setting.manager), tickets, path, HTTP_HX_REQUEST="true")
    record = DataImport.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("import_detail", kwargs={"pk": record.pk})


def test_a_viewer_may_not_upload_and_an_outsider_finds_no_source(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = write_csv(tickets_table(rows=20), tmp_path / "tickets.csv")
    assert post_file(client_for(setting.viewer), tickets, path).status_code == 403
    assert post_file(client_for(setting.outsider), tickets, path).status_code == 404
    assert not DataImport.objects.exists()


# --------------------------------------------------------------------------- one import


def test_a_failed_import_shows_its_errors_and_that_nothing_was_stored(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    path = tmp_path / "tickets.csv"
    lines = ["ticket_id,priority,category,opened_at,responded_at,resolved_at,reopened"]
    lines += [f"INC{i},high,pay,2026-01-05T09:00:00Z,,,false" for i in range(130)]
    lines.append("INC999,1,pay,soon,,,maybe")
    path.write_text("\n".join(lines) + "\n")
    client = client_for(setting.manager)

    response = post_file(client, tickets, path, follow=True)

    record = DataImport.objects.get()
    assert record.status == ImportStatus.FAILED
    html = response.text
    assert "Nothing was stored" in html
    assert "132 errors" in html
    assert "the first 100 are listed below" in html
    assert re.search(r"<code>priority</code></td><td class=\"num\">130</td>", html)
    assert re.search(r"<code>opened_at</code></td><td class=\"num\">1</td>", html)
    # The error table: row, column, value and message of the first 100.
    table = html.split('class="table error-list"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 100  # header and rows
    assert '<td class="num">2</td><td><code>priority</code></td>' in table
    assert '<code class="value">high</code>' in table
    assert "not an integer" in table


def test_a_running_import_polls_its_progress_and_reloads_when_done(
    setting: Setting, tickets: DataSource
) -> None:
    record = DataImportFactory(
        source=tickets, status=ImportStatus.RUNNING, progress_done=40, progress_total=100,
        error_count=0, errors=[], errors_by_column={}, finished_at=None,
    )  # fmt: skip
    client = client_for(setting.manager)
    url = reverse("import_detail", kwargs={"pk": record.pk})

    page = client.get(url).text
    assert f'hx-get="{url}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert 'value="40"' in page
    assert "Remove this import" not in page  # not while it runs

    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.text.lstrip().startswith('<div id="import-progress"')
    assert 'hx-trigger="every 1s"' in fragment.text

    DataImport.objects.filter(pk=record.pk).update(status=ImportStatus.SUCCEEDED, progress_done=100)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "every 1s" not in client.get(url).text


def test_an_outsider_cannot_open_an_import(setting: Setting, tickets: DataSource) -> None:
    record = DataImportFactory(source=tickets)
    url = reverse("import_detail", kwargs={"pk": record.pk})
    assert client_for(setting.outsider).get(url).status_code == 404
    assert client_for(setting.viewer).get(url).status_code == 200


def test_removing_an_import_asks_first_then_deletes_its_file(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    record, _ = upload(
        tickets, write_csv(tickets_table(rows=30), tmp_path / "t.csv"), setting.manager
    )
    stored = Path(settings.DATA_DIR) / record.stored_path
    url = reverse("import_delete", kwargs={"pk": record.pk})
    assert client_for(setting.contributor).post(url).status_code == 403
    manager = client_for(setting.manager)
    assert "Remove the import" in manager.get(url).text

    response = manager.post(url)

    assert response.status_code == 302
    assert response["Location"] == overview(setting)
    assert not DataImport.objects.exists()
    assert not stored.exists()


@pytest.mark.parametrize("with_schedule", [False, True])
def test_the_overview_follows_the_contract_state(with_schedule: bool, setting: Setting) -> None:
    """A contract without a schedule and one with it: the overview follows each state."""
    contract = make_contract(setting)
    if with_schedule:
        make_schedule(setting, contract)
    html = client_for(setting.manager).get(overview(setting)).text
    assert ("No schedule yet" in html) is not with_schedule
    assert ("Upload a file for tickets" in html) is with_schedule


def test_removing_a_running_import_is_refused_with_a_message(
    setting: Setting, tickets: DataSource
) -> None:
    running = DataImportFactory(source=tickets, status=ImportStatus.RUNNING, finished_at=None)
    url = reverse("import_delete", kwargs={"pk": running.pk})
    response = client_for(setting.manager).post(url, follow=True)
    assert response.redirect_chain[0][0] == reverse("import_detail", kwargs={"pk": running.pk})
    assert "cannot be removed while it runs" in response.text
    assert DataImport.objects.filter(pk=running.pk).exists()


def test_a_source_no_longer_in_the_schedule_refuses_files_next_to_the_field(
    tmp_path: Path, setting: Setting, tickets: DataSource
) -> None:
    DataSource.objects.filter(pk=tickets.pk).update(retired=True)
    path = write_csv(tickets_table(rows=10), tmp_path / "tickets.csv")
    response = post_file(client_for(setting.manager), tickets, path)
    assert response.status_code == 200
    assert "no longer in the schedule" in response.text
    assert not DataImport.objects.exists()


def test_an_admin_without_a_role_is_told_why_nothing_shows(
    setting: Setting, tickets: DataSource
) -> None:
    admin = UserFactory(
        username="data_admin", organisation=setting.relationship.buyer, is_org_admin=True
    )
    DataImportFactory(source=tickets)
    response = client_for(admin).get(overview(setting))
    assert response.status_code == 200
    assert "No role on this relationship" in response.text
    assert "No contract yet" not in response.text
    assert listed_imports(response.text) == []
