"""Importing the provider's monthly workforce figures from CSV.

Columns: ``month,headcount,joiners,leavers,moved_out`` and optionally ``note``
(a header row is required). The import is all or nothing: any bad row and
nothing is saved, with every error naming its row (the header is row 1) and
column. It is idempotent: a month already recorded is updated to the file's
figures ("updated"), or left alone when they are the same ("unchanged").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from accord.core.choices import Action
from accord.core.exceptions import ValidationError
from accord.core.selectors import get_for
from accord.health import inputs, refresh
from accord.health.models import WorkforceMonth
from accord.parties.models import Relationship

REQUIRED = ("month", "headcount", "joiners", "leavers", "moved_out")
OPTIONAL = ("note",)
NUMBERS = ("headcount", "joiners", "leavers", "moved_out")
MAX_ROWS = 1200


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return (
            f"{len(self.created)} month(s) added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged."
        )


def parse_rows(text: str) -> list[dict[str, Any]]:
    """The file's rows as clean values, or a ValidationError listing every problem."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = list(reader)
    if not rows:
        raise ValidationError({"file": ["The file is empty."]})
    header = [name.strip().lower() for name in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    problems: list[str] = []
    if missing:
        problems.append(f"row 1: missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"row 1: unknown column(s) {', '.join(unknown)}")
    if problems:
        raise ValidationError({"file": problems})
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError({"file": [f"At most {MAX_ROWS} rows at once."]})
    parsed: list[dict[str, Any]] = []
    seen: dict[dt.date, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue  # a blank line
        if len(raw) > len(header):
            problems.append(f"row {number}: more values than columns")
            continue
        cells = dict(zip(header, [cell.strip() for cell in raw], strict=False))
        row: dict[str, Any] = {"row": number, "note": cells.get("note", "")}
        try:
            row["month"] = inputs.parse_month(cells.get("month", ""))
        except ValidationError:
            problems.append(f"row {number}, column month: must be a month as YYYY-MM")
        else:
            if row["month"] in seen:
                problems.append(
                    f"row {number}, column month: {row['month']:%Y-%m} is already on "
                    f"row {seen[row['month']]}"
                )
            seen.setdefault(row["month"], number)
        for name in NUMBERS:
            text_value = cells.get(name, "")
            if not text_value.isdigit():
                problems.append(f"row {number}, column {name}: must be a whole number 0 or more")
                continue
            row[name] = int(text_value)
        parsed.append(row)
    if problems:
        raise ValidationError({"file": problems})
    if not parsed:
        raise ValidationError({"file": ["The file has no rows of figures."]})
    return parsed


@transaction.atomic
def workforce_import(*, relationship: Relationship | int, text: str, actor: Any) -> ImportReport:
    """Add or update the file's months (provider only); nothing is saved if any row is bad."""
    pk = relationship.pk if isinstance(relationship, Relationship) else relationship
    relationship = get_for(actor, Relationship, pk=pk)
    inputs._provider_writes(actor, relationship, Action.ADD)
    rows = parse_rows(text)
    report = ImportReport()
    present = {
        row.month: row
        for row in WorkforceMonth.objects.restrict(actor).filter(relationship=relationship)
    }
    with refresh.refreshes_deferred():
        for row in rows:
            number = row.pop("row")
            label = f"{row['month']:%Y-%m}"
            try:
                current = present.get(row["month"])
                if current is None:
                    inputs.workforce_month_create(relationship=relationship, actor=actor, **row)
                    report.created.append(label)
                    continue
                changes = {
                    name: value for name, value in row.items() if getattr(current, name) != value
                }
                if not changes:
                    report.unchanged.append(label)
                    continue
                inputs.workforce_month_update(row=current, actor=actor, **changes)
                report.updated.append(label)
            except ValidationError as error:
                messages = error.message_dict if hasattr(error, "error_dict") else {}
                detail = "; ".join(
                    f"column {name}: {' '.join(text)}" for name, text in messages.items()
                ) or " ".join(error.messages)
                raise ValidationError({"file": [f"row {number}, {detail}"]}) from error
    return report
