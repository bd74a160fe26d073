"""Server-side SVG charts of the health index (same style as :mod:`accord.core.charts`).

The index trend (a line over twelve months, a ``<g data-month>`` with a
``<title>`` per month), a portfolio sparkline, and a stacked bar of one
month's contributions. Every text is escaped; each chart is ``role="img"``
with a title and description, and the pages show the same figures in tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accord.core.charts import LEFT, RIGHT, TOP, WIDTH, _f, _Frame, _open


@dataclass(frozen=True)
class IndexPoint:
    month: str  # YYYY-MM
    label: str  # axis label, e.g. "Mar 26"
    score: float | None
    text: str  # the month in words


def band(score: float) -> str:
    """A word for a score (colour is never the only signal)."""
    if score >= 70:
        return "healthy"
    if score >= 50:
        return "watch"
    return "at-risk"


def index_trend_chart(
    points: Sequence[IndexPoint], *, title: str, description: str, chart_id: str
) -> SafeString:
    """The index per month on a fixed 0-100 scale, with a marker per month."""
    frame = _Frame(len(points), 0.0, 100.0)
    parts = _open(chart_id, title, description, "trend health-trend")
    parts += frame.axes()
    parts += frame.labels([p.label for p in points])
    commands: list[str] = []
    pen_down = False
    for index, point in enumerate(points):
        if point.score is None:
            pen_down = False
            continue
        commands.append(
            f"{'L' if pen_down else 'M'}{_f(frame.x(index))} {_f(frame.y(point.score))}"
        )
        pen_down = True
    if commands:
        parts.append(f'<path class="values" d="{" ".join(commands)}"/>')
    parts.append('<g class="points">')
    for index, point in enumerate(points):
        x = frame.x(index)
        if point.score is None:
            marker = f'<circle class="no-value" cx="{_f(x)}" cy="{_f(TOP + frame.height)}" r="4"/>'
            kind = "no-value"
        else:
            marker = f'<circle cx="{_f(x)}" cy="{_f(frame.y(point.score))}" r="4.5"/>'
            kind = band(point.score)
        parts.append(
            f'<g class="point {kind}" data-month="{escape(point.month)}">'
            f"<title>{escape(point.text)}</title>{marker}</g>"
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


SPARK_W, SPARK_H = 120, 28


def sparkline(points: Sequence[IndexPoint], *, label: str) -> SafeString:
    """A small line of up to twelve months' index, 0-100, for a table cell."""
    count = max(len(points), 1)
    step = (SPARK_W - 4) / max(count - 1, 1)

    def y(score: float) -> float:
        return SPARK_H - 2 - (SPARK_H - 4) * score / 100

    commands: list[str] = []
    pen_down = False
    marks: list[str] = []
    for i, point in enumerate(points):
        if point.score is None:
            pen_down = False
            continue
        x = 2 + i * step
        commands.append(f"{'L' if pen_down else 'M'}{_f(x)} {_f(y(point.score))}")
        pen_down = True
        marks.append(
            f'<g data-month="{escape(point.month)}"><title>{escape(point.text)}</title>'
            f'<circle cx="{_f(x)}" cy="{_f(y(point.score))}" r="1.8"/></g>'
        )
    path = f'<path class="values" d="{" ".join(commands)}"/>' if commands else ""
    return mark_safe(  # noqa: S308  (every text is escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" width="{SPARK_W}" '
        f'height="{SPARK_H}" viewBox="0 0 {SPARK_W} {SPARK_H}" role="img" '
        f'aria-label="{escape(label)}">{path}{"".join(marks)}</svg>'
    )


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: float  # the contribution, in index points
    text: str


def contribution_chart(
    segments: Sequence[Segment], *, title: str, description: str, chart_id: str
) -> SafeString:
    """One horizontal bar from 0 to 100: each component's contribution stacked, the rest grey.

    The bar's filled length is the index; each segment says its component
    and points in its ``<title>`` and in a label under it.
    """
    height = 120
    width = WIDTH - LEFT - RIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart contributions" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'id="{escape(chart_id)}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
        f'<rect class="track" x="{LEFT}" y="20" width="{width}" height="40"/>',
    ]
    x = float(LEFT)
    for position, segment in enumerate(segments):
        length = width * max(segment.value, 0.0) / 100
        parts.append(
            f'<g class="segment segment-{position} {escape(segment.key)}" '
            f'data-component="{escape(segment.key)}"><title>{escape(segment.text)}</title>'
            f'<rect x="{_f(x)}" y="20" width="{_f(length)}" height="40"/>'
            f'<text class="tick" x="{_f(x + 2)}" y="78">{escape(segment.label)}</text></g>'
        )
        x += length
    for tick in (0, 25, 50, 75, 100):
        tx = LEFT + width * tick / 100
        parts.append(
            f'<text class="tick" x="{_f(tx)}" y="14" text-anchor="middle" '
            f'aria-hidden="true">{tick}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
