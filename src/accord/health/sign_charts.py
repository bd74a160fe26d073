"""SVG charts of the warning signs: a twelve-month sparkline per sign and a trend with
the watch and trigger lines.

Like :mod:`accord.core.charts`: server-rendered, escaped text, ``role="img"``
with a title and description, a ``<title>`` per point; the state is said by the
marker's shape as well as its colour (circle clear, triangle watch, cross
triggered, hollow ring no data).
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accord.core.charts import HEIGHT, LEFT, RIGHT, WIDTH, _f, _Frame, _line_path, _open

STATE_COLOURS = {
    "clear": "#2e7d32",
    "watch": "#b26a00",
    "triggered": "#c62828",
    "no_data": "#8a8a8a",
}


@dataclass(frozen=True)
class SignPoint:
    """One month of a sign."""

    month: str  # YYYY-MM
    label: str  # axis label, e.g. "Oct 26"
    value: decimal.Decimal | None
    state: str
    text: str  # in words, e.g. "2026-10: 52 % a year (triggered)"


def _marker(state: str, x: float, y: float, size: float) -> str:
    colour = STATE_COLOURS.get(state, STATE_COLOURS["no_data"])
    if state == "watch":
        return (
            f'<path fill="{colour}" d="M{_f(x)} {_f(y - size)} L{_f(x + size)} {_f(y + size)} '
            f'L{_f(x - size)} {_f(y + size)} Z"/>'
        )
    if state == "triggered":
        d = size
        return (
            f'<path stroke="{colour}" stroke-width="2.5" fill="none" d="M{_f(x - d)} {_f(y - d)} '
            f'L{_f(x + d)} {_f(y + d)} M{_f(x + d)} {_f(y - d)} L{_f(x - d)} {_f(y + d)}"/>'
        )
    if state == "clear":
        return f'<circle fill="{colour}" cx="{_f(x)}" cy="{_f(y)}" r="{_f(size * 0.8)}"/>'
    return (
        f'<circle fill="none" stroke="{colour}" stroke-width="1.5" cx="{_f(x)}" cy="{_f(y)}" '
        f'r="{_f(size * 0.7)}"/>'
    )


def sparkline(points: Sequence[SignPoint], *, chart_id: str, title: str) -> SafeString:
    """A small line of the value per month, each month's marker coloured and shaped by state."""
    width, height, pad = 180, 40, 6
    values = [float(p.value) for p in points if p.value is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    count = max(len(points), 1)

    def x(index: int) -> float:
        return pad + (width - 2 * pad) * (index + 0.5) / count

    def y(value: float | None) -> float:
        if value is None:
            return height - pad
        return pad + (height - 2 * pad) * (1 - (value - lo) / (hi - lo))

    cid = escape(chart_id)
    described = "; ".join(p.text for p in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" id="{cid}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(described)}</desc>',
    ]
    commands: list[str] = []
    pen = False
    for index, point in enumerate(points):
        if point.value is None:
            pen = False
            continue
        commands.append(f"{'L' if pen else 'M'}{_f(x(index))} {_f(y(float(point.value)))}")
        pen = True
    if commands:
        parts.append(
            f'<path fill="none" stroke="#555" stroke-width="1.2" d="{" ".join(commands)}"/>'
        )
    for index, point in enumerate(points):
        value = float(point.value) if point.value is not None else None
        parts.append(
            f'<g class="point {escape(point.state)}" data-month="{escape(point.month)}">'
            f"<title>{escape(point.text)}</title>{_marker(point.state, x(index), y(value), 4)}</g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


def sign_trend_chart(
    points: Sequence[SignPoint],
    *,
    watch_at: decimal.Decimal,
    trigger_at: decimal.Decimal,
    unit: str,
    chart_id: str,
    title: str,
) -> SafeString:
    """The value per month with the watch (dashed) and trigger (solid) lines."""
    numbers = [float(p.value) for p in points if p.value is not None]
    numbers += [float(watch_at), float(trigger_at)]
    lo, hi = min([0.0, *numbers]), max(numbers)
    pad = (hi - lo) * 0.1 or 1.0
    frame = _Frame(len(points), lo, hi + pad)
    description = (
        f"{title} per month, with the watch level at {watch_at} {unit} (dashed line) and the "
        f"trigger level at {trigger_at} {unit} (solid line). " + "; ".join(p.text for p in points)
    )
    parts = _open(chart_id, title, description, "trend sign-trend")
    parts += frame.axes()
    parts += frame.labels([p.label for p in points])
    for level, css, colour, dash in (
        (watch_at, "watch-line", STATE_COLOURS["watch"], ' stroke-dasharray="6 4"'),
        (trigger_at, "trigger-line", STATE_COLOURS["triggered"], ""),
    ):
        y = _f(frame.y(float(level)))
        parts.append(
            f'<line class="{css}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" '
            f'stroke="{colour}" stroke-width="1.5"{dash}><title>{escape(css.split("-")[0])} at '
            f"{escape(str(level))} {escape(unit)}</title></line>"
        )
    path = _line_path(frame, [float(p.value) if p.value is not None else None for p in points])
    if path:
        parts.append(
            f'<path class="values" fill="none" stroke="#333" stroke-width="2" d="{path}"/>'
        )
    parts.append('<g class="points">')
    bottom = HEIGHT - 44
    for index, point in enumerate(points):
        at = frame.y(float(point.value)) if point.value is not None else float(bottom)
        parts.append(
            f'<g class="point {escape(point.state)}" data-month="{escape(point.month)}">'
            f"<title>{escape(point.text)}</title>{_marker(point.state, frame.x(index), at, 6)}</g>"
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
