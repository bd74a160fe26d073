"""Printing an evaluation: a table for people, JSON and CSV for programs."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from accord.engine.evaluate import Evaluation
from accord.engine.results import LevelResult

__all__ = ["as_csv", "as_json", "as_table"]

CSV_COLUMNS = (
    "code",
    "period",
    "period_start",
    "period_end",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "volume",
    "expected",
    "minimum",
    "status",
)


def as_json(evaluation: Evaluation) -> str:
    """The whole evaluation, credits and their explanations included."""
    return json.dumps(evaluation.to_dict(), indent=2, ensure_ascii=False, default=str)


def _breakdown(result: LevelResult) -> str:
    return ", ".join(f"{key}={value}" for key, value in result.breakdown.items())


def as_csv(evaluation: Evaluation) -> str:
    """One row per level, period and breakdown group (credits are in the JSON form)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in evaluation.results:
        row: dict[str, Any] = result.to_dict()
        row["breakdown"] = _breakdown(result)
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
    return buffer.getvalue()


def _value(result: LevelResult) -> str:
    if result.value is None:
        return "-"
    if result.volume and result.value == int(result.value) and abs(result.value) >= 1000:
        return f"{result.value:,.0f}"
    return f"{result.value:,.2f}"


def as_table(evaluation: Evaluation) -> str:
    """Aligned columns, the levels as a whole first, each followed by its breakdown."""
    header = ("level", "period", "group", "value", "expected", "minimum", "volume", "status")
    rows = [header]
    for result in evaluation.results:
        rows.append(
            (
                result.code,
                result.period,
                _breakdown(result),
                _value(result),
                str(result.expected),
                "-" if result.minimum is None else str(result.minimum),
                f"{result.volume:,}",
                result.status,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {3, 4, 5, 6}
    lines = [
        "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    out = [f"{evaluation.contract}: {evaluation.first} to {evaluation.last}", "", *lines]
    if evaluation.credits is not None:
        out += ["", *credit_lines(evaluation)]
    return "\n".join(out) + "\n"


def credit_lines(evaluation: Evaluation) -> list[str]:
    """The credits per month in words (the JSON form has every detail)."""
    assert evaluation.credits is not None
    report = evaluation.credits.to_dict()
    lines = [f"Service credits ({report.get('rounding', '')}):"]
    for month in report.get("months", []):
        lines.append(f"  {month['month']}: net {month['net']}")
        for line in month.get("lines", []):
            lines.append(f"    {line['code']}: {line['explanation']}")
        for line in month.get("earnbacks", []):
            lines.append(f"    earnback {line['code']}: {line['explanation']}")
    return lines
