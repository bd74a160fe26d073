"""Server-rendered SVG charts: a service level's trend and the credits per month.

No JavaScript chart library: the page gets a small inline SVG that works
without scripts, prints, and scales with the page. Each chart is an image
for assistive technology (``role="img"`` with ``<title>`` and ``<desc>``
naming what it shows); the pages put the same figures in a table next to
it. Colour is never the only signal: expected and minimum lines differ by
dash pattern, and misses by marker shape (and each point has a ``<title>``
in words).
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 20, 44
MAX_LABELS = 12


@dataclass(frozen=True)
class TrendPoint:
    """One period of a trend: the value and the targets in force then."""

    period: str
    label: str  # short axis label, e.g. "Mar 26"
    value: float | None
    expected: float | None
    minimum: float | None
    status: str  # met / missed_expected / missed_minimum / no_data / below_volume
    text: str  # the point in words, e.g. "March 2026: 93.4 % (missed expected)"


@dataclass(frozen=True)
class Bar:
    """One month's amount in a bar chart."""

    key: str
    label: str
    amount: decimal.Decimal
    text: str


def nice_step(span: float, ticks: int = 4) -> float:
    """A round tick interval (1, 2, 2.5 or 5 × a power of ten) near ``span / ticks``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _ticks(lo: float, hi: float) -> tuple[float, float, list[float]]:
    """A domain widened to round ticks, and the ticks."""
    step = nice_step(hi - lo)
    start = math.floor(lo / step) * step
    end = math.ceil(hi / step) * step
    if end <= start:
        end = start + step
    count = round((end - start) / step)
    return start, end, [start + i * step for i in range(count + 1)]


def _tick_text(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _f(number: float) -> str:
    return f"{number:.1f}"


class _Frame:
    """The plot area: maps a period index and a value to SVG coordinates."""

    def __init__(self, count: int, lo: float, hi: float) -> None:
        self.count = max(count, 1)
        self.lo, self.hi, self.ticks = _ticks(lo, hi)
        self.width = WIDTH - LEFT - RIGHT
        self.height = HEIGHT - TOP - BOTTOM
        self.band = self.width / self.count

    def x(self, index: int) -> float:
        return LEFT + (index + 0.5) * self.band

    def y(self, value: float) -> float:
        return TOP + self.height * (1 - (value - self.lo) / (self.hi - self.lo))

    def axes(self, unit_suffix: str = "") -> list[str]:
        parts = ['<g class="axis" aria-hidden="true">']
        for tick in self.ticks:
            y = _f(self.y(tick))
            parts.append(
                f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>'
                f'<text class="tick" x="{LEFT - 6}" y="{y}" text-anchor="end" '
                f'dominant-baseline="middle">{escape(_tick_text(tick))}{escape(unit_suffix)}'
                "</text>"
            )
        parts.append("</g>")
        return parts

    def labels(self, labels: Sequence[str]) -> list[str]:
        every = max(1, math.ceil(len(labels) / MAX_LABELS))
        parts = ['<g class="labels" aria-hidden="true">']
        for index, label in enumerate(labels):
            if index % every:
                continue
            parts.append(
                f'<text class="tick" x="{_f(self.x(index))}" y="{HEIGHT - BOTTOM + 18}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
        parts.append("</g>")
        return parts


def _open(chart_id: str, title: str, description: str, css_class: str) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" id="{cid}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
    ]


def _step_path(frame: _Frame, values: Sequence[float | None]) -> str:
    """A step line across each period's band (a target may change between periods)."""
    commands: list[str] = []
    pen_down = False
    for index, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        left = frame.x(index) - frame.band / 2
        right = frame.x(index) + frame.band / 2
        y = _f(frame.y(value))
        commands.append(f"{'L' if pen_down else 'M'}{_f(left)} {y} L{_f(right)} {y}")
        pen_down = True
    return " ".join(commands)


def _line_path(frame: _Frame, values: Sequence[float | None]) -> str:
    """A line through the values, broken where a period has none."""
    commands: list[str] = []
    pen_down = False
    for index, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{_f(frame.x(index))} {_f(frame.y(value))}")
        pen_down = True
    return " ".join(commands)


def _marker(status: str, x: float, y: float) -> str:
    """A marker whose shape says the status: circle met, triangle missed, cross minimum."""
    if status == "met":
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="4.5"/>'
    if status == "missed_expected":
        return (
            f'<path d="M{_f(x)} {_f(y - 6)} L{_f(x + 6)} {_f(y + 5)} L{_f(x - 6)} {_f(y + 5)} Z"/>'
        )
    if status == "missed_minimum":
        d = 5
        return (
            f'<path d="M{_f(x - d)} {_f(y - d)} L{_f(x + d)} {_f(y + d)} '
            f'M{_f(x + d)} {_f(y - d)} L{_f(x - d)} {_f(y + d)}"/>'
        )
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="4"/>'


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    title: str,
    description: str,
    chart_id: str,
    percent: bool = False,
) -> SafeString:
    """A line of the value per period, with the expected and minimum levels as step lines.

    Every period gets a point (a ``<g class="point" data-period=...>`` with a
    ``<title>``); a period without a value gets a hollow marker on the axis.
    """
    numbers = [v for p in points for v in (p.value, p.expected, p.minimum) if v is not None]
    lo, hi = (min(numbers), max(numbers)) if numbers else (0.0, 100.0)
    pad = (hi - lo) * 0.1 or max(abs(hi) * 0.1, 1.0)
    lo, hi = lo - pad, hi + pad
    if percent:
        lo, hi = max(lo, 0.0), min(hi, 100.0)
        if hi <= lo:
            lo, hi = 0.0, 100.0
    frame = _Frame(len(points), lo, hi)
    parts = _open(chart_id, title, description, "trend")
    parts += frame.axes(" %" if percent else "")
    parts += frame.labels([p.label for p in points])
    expected = _step_path(frame, [p.expected for p in points])
    if expected:
        parts.append(f'<path class="target expected" d="{expected}"/>')
    minimum = _step_path(frame, [p.minimum for p in points])
    if minimum:
        parts.append(f'<path class="target minimum" d="{minimum}"/>')
    values = _line_path(frame, [p.value for p in points])
    if values:
        parts.append(f'<path class="values" d="{values}"/>')
    parts.append('<g class="points">')
    for index, point in enumerate(points):
        has_value = point.value is not None
        y = frame.y(point.value) if point.value is not None else TOP + frame.height
        kind = point.status if has_value else f"{point.status} no-value"
        miss = " miss" if point.status in ("missed_expected", "missed_minimum") else ""
        parts.append(
            f'<g class="point {escape(kind)}{miss}" data-period="{escape(point.period)}">'
            f"<title>{escape(point.text)}</title>{_marker(point.status, frame.x(index), y)}</g>"
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


def bar_chart(bars: Sequence[Bar], *, title: str, description: str, chart_id: str) -> SafeString:
    """Bars of an amount per month from a zero line: credits up, net returns down."""
    amounts = [float(bar.amount) for bar in bars]
    lo, hi = min([0.0, *amounts]), max([0.0, *amounts])
    if hi == lo:
        hi = lo + 1.0
    frame = _Frame(len(bars), lo, hi)
    parts = _open(chart_id, title, description, "bars")
    parts += frame.axes()
    parts += frame.labels([bar.label for bar in bars])
    zero = frame.y(0.0)
    parts.append(
        f'<line class="zero" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_f(zero)}" y2="{_f(zero)}"/>'
    )
    parts.append('<g class="bars">')
    width = frame.band * 0.6
    for index, bar in enumerate(bars):
        y = frame.y(float(bar.amount))
        top, height = min(y, zero), abs(zero - y)
        sign = "negative" if bar.amount < 0 else "positive" if bar.amount > 0 else "zero"
        parts.append(
            f'<g class="bar {sign}" data-month="{escape(bar.key)}">'
            f"<title>{escape(bar.text)}</title>"
            f'<rect x="{_f(frame.x(index) - width / 2)}" y="{_f(top)}" '
            f'width="{_f(width)}" height="{_f(max(height, 0.5))}"/></g>'
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
