"""The OpenAPI schema describes the new endpoints, valid and without warnings."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.management import call_command

PATHS = [
    "/api/v1/contracts/", "/api/v1/scope-items/", "/api/v1/schedule-versions/",
    "/api/v1/service-levels/{id}/", "/api/v1/data-sources/{id}/", "/api/v1/imports/",
    "/api/v1/scorecard-runs/", "/api/v1/results/", "/api/v1/credit-months/",
    "/api/v1/credit-lines/", "/api/v1/excusals/{id}/sign/", "/api/v1/excusals/{id}/decline/",
    "/api/v1/excusals/{id}/withdraw/", "/api/v1/forecasts/", "/api/v1/cost-notes/{id}/",
]  # fmt: skip


def test_schema_generates_without_warnings(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    # --fail-on-warn: any warning (an unnamed enum, an untyped field...) fails the command.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    missing = [path for path in PATHS if path not in schema["paths"]]
    assert not missing
    upload = schema["paths"]["/api/v1/imports/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"200", "201"} <= set(upload["responses"])
    results = schema["paths"]["/api/v1/results/"]["get"]
    assert "text/csv" in results["responses"]["200"]["content"]
    assert "run" in {parameter["name"] for parameter in results["parameters"]}
