"""Server-rendered SVG charts of survey results: the perception gap and the trend across rounds.

Same conventions as :mod:`accord.core.charts`: an inline SVG with
``role="img"``, a ``<title>`` and ``<desc>``, every text escaped, a
``<title>`` per data point stating the numbers in words, and shape (not
only colour) telling the series apart. The pages show the same numbers in
a table.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accord.core import charts as core_charts
from accord.core.charts import _f, _open

WIDTH = 720
ROW = 34
TOP, BOTTOM = 34, 30
LABEL_W, GAP_W = 220, 110
SCALE_LO, SCALE_HI = 1.0, 5.0
# core.charts opens every svg with its own size; these charts set theirs.
_CORE_BOX = f'viewBox="0 0 {core_charts.WIDTH} {core_charts.HEIGHT}"'


@dataclass(frozen=True)
class GapRow:
    """One dimension of a side's gap chart."""

    code: str
    name: str
    self_mean: decimal.Decimal | None  # how the side rates itself
    other_mean: decimal.Decimal | None  # how the other side rates it
    gap: decimal.Decimal | None
    text: str  # the row in words


def signed(value: decimal.Decimal | None) -> str:
    """A gap with its sign: +1.20, -0.40, 0.00; "n/a" when unknown."""
    if value is None:
        return "n/a"
    return f"{value:+.2f}" if value else "0.00"


def gap_chart(
    rows: Sequence[GapRow], *, title: str, description: str, chart_id: str, self_label: str,
    other_label: str,
) -> SafeString:  # fmt: skip
    """Per dimension, a circle for the side's view of itself and a square for the other
    side's view of it, joined by a line, with the gap written at the end of the row."""
    height = TOP + BOTTOM + ROW * max(len(rows), 1)
    plot_left, plot_right = LABEL_W, WIDTH - GAP_W

    def x(value: float) -> float:
        return plot_left + (plot_right - plot_left) * (value - SCALE_LO) / (SCALE_HI - SCALE_LO)

    parts = _open(chart_id, title, description, "gap")
    parts[0] = parts[0].replace(_CORE_BOX, f'viewBox="0 0 {WIDTH} {height}"')
    # Legend and scale.
    parts.append(
        '<g class="legend" aria-hidden="true">'
        f'<circle class="self" cx="{plot_left + 6}" cy="14" r="5"/>'
        f'<text class="tick" x="{plot_left + 16}" y="18">{escape(self_label)}</text>'
        f'<rect class="other" x="{plot_left + 236}" y="9" width="10" height="10"/>'
        f'<text class="tick" x="{plot_left + 252}" y="18">{escape(other_label)}</text>'
        f'<text class="tick" x="{WIDTH - 8}" y="18" text-anchor="end">Gap</text></g>'
    )
    parts.append('<g class="axis" aria-hidden="true">')
    bottom = TOP + ROW * max(len(rows), 1)
    for tick in range(1, 6):
        tx = _f(x(tick))
        parts.append(
            f'<line class="grid" x1="{tx}" x2="{tx}" y1="{TOP}" y2="{bottom}"/>'
            f'<text class="tick" x="{tx}" y="{bottom + 18}" text-anchor="middle">{tick}</text>'
        )
    parts.append("</g>")
    for index, row in enumerate(rows):
        cy = TOP + ROW * index + ROW / 2
        kind = "gap" if row.gap is not None else "gap no-value"
        gap_attr = f' data-gap="{escape(signed(row.gap))}"' if row.gap is not None else ""
        parts.append(
            f'<g class="{kind}" data-dimension="{escape(row.code)}"{gap_attr}>'
            f"<title>{escape(row.text)}</title>"
            f'<text class="label" x="{LABEL_W - 10}" y="{_f(cy + 4)}" text-anchor="end">'
            f"{escape(row.name)}</text>"
        )
        if row.self_mean is not None and row.other_mean is not None:
            parts.append(
                f'<line class="span" x1="{_f(x(float(row.self_mean)))}" y1="{_f(cy)}" '
                f'x2="{_f(x(float(row.other_mean)))}" y2="{_f(cy)}"/>'
            )
        if row.other_mean is not None:
            ox = x(float(row.other_mean))
            parts.append(
                f'<rect class="other" x="{_f(ox - 5)}" y="{_f(cy - 5)}" width="10" height="10"/>'
            )
        if row.self_mean is not None:
            parts.append(
                f'<circle class="self" cx="{_f(x(float(row.self_mean)))}" cy="{_f(cy)}" r="5.5"/>'
            )
        parts.append(
            f'<text class="gap-value" x="{WIDTH - 8}" y="{_f(cy + 4)}" text-anchor="end">'
            f"{escape(signed(row.gap) if row.gap is not None else 'not shown')}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


@dataclass(frozen=True)
class TrendSeries:
    """One line of the trend chart: a value per round (None: not published)."""

    key: str
    name: str
    values: Sequence[decimal.Decimal | None]
    marker: str  # circle / square / diamond


HEIGHT = 260
T_LEFT, T_RIGHT, T_TOP, T_BOTTOM = 48, 16, 20, 44


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return f'<rect x="{_f(x - 4.5)}" y="{_f(y - 4.5)}" width="9" height="9"/>'
    if shape == "diamond":
        return (
            f'<path d="M{_f(x)} {_f(y - 6)} L{_f(x + 6)} {_f(y)} '
            f'L{_f(x)} {_f(y + 6)} L{_f(x - 6)} {_f(y)} Z"/>'
        )
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="4.5"/>'


def survey_trend_chart(
    labels: Sequence[str], series: Sequence[TrendSeries], *, title: str, description: str,
    chart_id: str,
) -> SafeString:  # fmt: skip
    """Lines across rounds on a 0-5 scale (ratings 1-5, absolute gaps 0-4)."""
    count = max(len(labels), 1)
    band = (WIDTH - T_LEFT - T_RIGHT) / count
    plot_h = HEIGHT - T_TOP - T_BOTTOM

    def x(index: int) -> float:
        return T_LEFT + (index + 0.5) * band

    def y(value: float) -> float:
        return T_TOP + plot_h * (1 - value / 5)

    parts = _open(chart_id, title, description, "survey-trend")
    parts[0] = parts[0].replace(_CORE_BOX, f'viewBox="0 0 {WIDTH} {HEIGHT}"')
    parts.append('<g class="axis" aria-hidden="true">')
    for tick in range(0, 6):
        ty = _f(y(tick))
        parts.append(
            f'<line class="grid" x1="{T_LEFT}" x2="{WIDTH - T_RIGHT}" y1="{ty}" y2="{ty}"/>'
            f'<text class="tick" x="{T_LEFT - 6}" y="{ty}" text-anchor="end" '
            f'dominant-baseline="middle">{tick}</text>'
        )
    for index, label in enumerate(labels):
        parts.append(
            f'<text class="tick" x="{_f(x(index))}" y="{HEIGHT - T_BOTTOM + 18}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</g>")
    for line in series:
        commands, pen = [], False
        for index, value in enumerate(line.values):
            if value is None:
                pen = False
                continue
            commands.append(f"{'L' if pen else 'M'}{_f(x(index))} {_f(y(float(value)))}")
            pen = True
        parts.append(f'<g class="series {escape(line.key)}" data-series="{escape(line.key)}">')
        if commands:
            parts.append(f'<path class="values" d="{" ".join(commands)}"/>')
        for index, value in enumerate(line.values):
            if value is None:
                continue
            label = labels[index] if index < len(labels) else ""
            parts.append(
                f'<g class="point" data-round="{escape(label)}">'
                f"<title>{escape(f'{label}: {line.name} {value:.2f}')}</title>"
                f"{_marker(line.marker, x(index), y(float(value)))}</g>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
