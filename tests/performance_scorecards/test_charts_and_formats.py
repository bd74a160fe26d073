"""The SVG charts and the formatting of values, without a database."""

from __future__ import annotations

import decimal
import re
import xml.etree.ElementTree as ET

import pytest

from accord.core import charts
from accord.performance import selectors

SVG = "{http://www.w3.org/2000/svg}"


def points(statuses: list[str], values: list[float | None]) -> list[charts.TrendPoint]:
    return [
        charts.TrendPoint(
            period=f"2026-{i + 1:02d}",
            label=f"M{i + 1}",
            value=value,
            expected=95.0,
            minimum=90.0 if i < 3 else 92.0,  # the minimum changed in April
            status=status,
            text=f"month {i + 1}: {value} <{status}>",
        )
        for i, (status, value) in enumerate(zip(statuses, values, strict=True))
    ]


def test_trend_chart_is_an_accessible_image_with_a_point_per_period() -> None:
    data = points(
        ["met", "missed_expected", "missed_minimum", "no_data", "met"],
        [97.0, 93.0, 85.0, None, 96.0],
    )
    svg = str(charts.trend_chart(data, title="P1 & co", description="Five months.",
                                 chart_id="t1", percent=True))  # fmt: skip
    root = ET.fromstring(svg)  # noqa: S314  (our own output: well-formed, every text escaped)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "t1-title t1-desc"
    assert root.find(f"{SVG}title").text == "P1 & co"
    assert root.find(f"{SVG}desc").text == "Five months."
    groups = [g for g in root.iter(f"{SVG}g") if g.get("data-period")]
    assert [g.get("data-period") for g in groups] == [p.period for p in data]
    assert [g.find(f"{SVG}title").text for g in groups][2] == "month 3: 85.0 <missed_minimum>"
    assert [g.get("class") for g in groups if "miss" in g.get("class").split()] == [
        "point missed_expected miss",
        "point missed_minimum miss",
    ]
    assert "no-value" in groups[3].get("class")
    # The value line breaks at the period without a value: two segments.
    values = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "values")
    assert values.get("d").count("M") == 2
    # The minimum steps up in April: its step line has a vertical join.
    minimum = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "target minimum")
    ys = {float(y) for y in re.findall(r"[ML][\d.]+ ([\d.]+)", minimum.get("d"))}
    assert len(ys) == 2


def test_trend_chart_of_percentages_stays_within_0_and_100() -> None:
    svg = str(charts.trend_chart(points(["met"], [100.0]), title="t", description="d",
                                 chart_id="c", percent=True))  # fmt: skip
    ticks = [float(t.replace(",", "")) for t in re.findall(r">(-?[\d,.]+) %</text>", svg)]
    assert ticks
    assert max(ticks) <= 100
    assert min(ticks) >= 0


def test_bar_chart_draws_credits_up_and_returns_down_from_zero() -> None:
    bars = [
        charts.Bar("2026-01", "Jan", decimal.Decimal("5000.00"), "January: 5,000.00"),
        charts.Bar("2026-02", "Feb", decimal.Decimal("0.00"), "February: 0.00"),
        charts.Bar("2026-03", "Mar", decimal.Decimal("-2500.00"), "March: -2,500.00"),
    ]
    svg = str(charts.bar_chart(bars, title="Net", description="d", chart_id="b"))
    root = ET.fromstring(svg)  # noqa: S314  (our own output)
    groups = [g for g in root.iter(f"{SVG}g") if g.get("data-month")]
    assert [g.get("class") for g in groups] == ["bar positive", "bar zero", "bar negative"]
    zero = float(next(line for line in root.iter(f"{SVG}line") if line.get("class") == "zero")
                 .get("y1"))  # fmt: skip
    up, _flat, down = (g.find(f"{SVG}rect") for g in groups)
    assert float(up.get("y")) + float(up.get("height")) == pytest.approx(zero, abs=0.1)
    assert float(down.get("y")) == pytest.approx(zero, abs=0.1)
    assert float(up.get("height")) == pytest.approx(2 * float(down.get("height")), rel=0.01)


@pytest.mark.parametrize(
    ("span", "step"), [(10, 2.5), (100, 25), (7, 2), (0.3, 0.1), (0, 1.0), (12345, 5000)]
)
def test_nice_steps(span: float, step: float) -> None:
    assert charts.nice_step(span) == pytest.approx(step)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (93.44, "percent", "93.4 %"),
        (100.0, "percent", "100.0 %"),
        (42.0, "seconds", "42 s"),
        (12.345, "minutes", "12.35 min"),
        (1234.0, "count", "1,234"),
        (3.0, "payments", "3 payments"),
        (None, "percent", "—"),
    ],
)
def test_values_are_shown_with_their_unit(value: float | None, unit: str, shown: str) -> None:
    assert selectors.format_value(value, unit) == shown


def test_targets_and_periods_in_words() -> None:
    assert selectors.format_target(decimal.Decimal("95.000"), "percent") == "95 %"
    assert selectors.format_target(decimal.Decimal("87.500"), "percent") == "87.5 %"
    assert selectors.format_target(None, "percent") == "—"
    assert selectors.format_percent(decimal.Decimal("37.500000")) == "37.5 %"
    assert selectors.period_words("2026-03") == "March 2026"
    assert selectors.period_words("2026-Q1") == "2026-Q1"
    assert selectors.period_heading("2026-03") == "Mar"
    assert selectors.period_heading("2026-Q2") == "Q2"
    assert selectors.period_short("2026-03") == "Mar 26"
    assert selectors.chosen_year("2025", [2026]) == 2025
    assert selectors.chosen_year("junk", [2024, 2026]) == 2026
    assert selectors.chosen_year(None, []) is None
