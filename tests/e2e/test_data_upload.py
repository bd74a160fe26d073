"""In a real browser: upload a file with htmx, watch the upload progress, land on the import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.performance.models import DataImport, DataSource, ImportStatus
from tests.e2e.browsing import sign_in
from tests.performance_data.helpers import (
    make_contract,
    make_schedule,
    make_setting,
    tickets_table,
    write_csv,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_shows_progress_then_the_import_and_its_scorecard_link(
    live_server: Any, new_page: Any, tmp_path: Path
) -> None:
    setting = make_setting()
    make_schedule(setting, make_contract(setting))
    source = DataSource.objects.get(name="tickets")
    # Big enough that storing and scoring it takes a moment after the upload ends.
    path = write_csv(tickets_table(rows=60_000), tmp_path / "tickets-2026-01.csv")

    page = new_page()
    sign_in(page, live_server.url, setting.contributor.username)
    page.goto(f"{live_server.url}/relationships/{setting.relationship.pk}/data/")
    page.get_by_label("Upload a file for tickets").set_input_files(str(path))
    page.get_by_role("button", name="Upload and import").click()

    # While the server works, the form shows how far the upload got.
    state = page.locator("form.upload .upload-state")
    page.wait_for_selector("form.upload progress:not([hidden])")
    assert "%" in state.inner_text() or "Uploaded" in state.inner_text()

    page.wait_for_url(f"{live_server.url}/imports/*/")
    record = DataImport.objects.get(source=source)
    assert record.status == ImportStatus.SUCCEEDED
    assert page.url.endswith(f"/imports/{record.pk}/")
    assert "Imported 60,000 rows from tickets-2026-01.csv" in page.content()
    assert page.get_by_role("link", name="Open the scorecard").is_visible()


def test_a_missing_file_is_named_next_to_the_field_without_leaving_the_page(
    live_server: Any, new_page: Any
) -> None:
    setting = make_setting()
    make_schedule(setting, make_contract(setting))
    page = new_page()
    sign_in(page, live_server.url, setting.manager.username)
    overview = f"{live_server.url}/relationships/{setting.relationship.pk}/data/"
    page.goto(overview)
    # The browser's own check would stop an empty required field: submit past it with htmx.
    page.eval_on_selector("form.upload input[type=file]", "input => input.required = false")
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_selector("form.upload .error")
    assert page.locator("form.upload .error").inner_text() == "Choose a file to upload."
    assert page.url == overview
