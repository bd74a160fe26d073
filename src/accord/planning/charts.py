"""The plan's objectives by status: one horizontal bar per status (inline SVG, no script).

The chart is an image for assistive technology (``role="img"``, ``<title>``,
``<desc>``); each bar says its status and count in words beside it, and the
page lists the same counts, so colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accord.planning.models import ObjectiveStatus

WIDTH = 560
ROW = 28
LABEL = 120
RIGHT = 80


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(statuses: Sequence[str]) -> list[StatusCount]:
    """How many objectives are at each status, every status listed in the model's order."""
    return [
        StatusCount(value, str(label), sum(1 for s in statuses if s == value))
        for value, label in ObjectiveStatus.choices
    ]


def status_chart(counts: Sequence[StatusCount], *, chart_id: str, title: str) -> SafeString:
    """Bars of the number of objectives at each status."""
    total = sum(c.count for c in counts)
    top = max(total, 1)  # each bar is its share of all the objectives
    height = ROW * len(counts) + 8
    span = WIDTH - LABEL - RIGHT
    summary = ", ".join(f"{c.label}: {c.count}" for c in counts if c.count) or "no objectives"
    cid = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart plan-status" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" id="{cid}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(f"{total} objectives. {summary}.")}</desc>',
    ]
    for row, count in enumerate(counts):
        y = 4 + row * ROW
        length = span * count.count / top
        parts.append(
            f'<g class="bar status-{escape(count.status)}" data-status="{escape(count.status)}">'
            f"<title>{escape(f'{count.label}: {count.count}')}</title>"
            f'<text class="tick" x="{LABEL - 8}" y="{y + ROW / 2:.1f}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(count.label)}</text>'
            f'<rect x="{LABEL}" y="{y + 5}" width="{max(length, 1.5):.1f}" height="{ROW - 10}"/>'
            f'<text class="tick" x="{LABEL + length + 6:.1f}" y="{y + ROW / 2:.1f}" '
            f'dominant-baseline="middle">{count.count}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
