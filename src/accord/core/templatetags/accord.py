"""Template helpers: safe Markdown, record keys for tests and scripts, sides."""

from __future__ import annotations

from typing import Any

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str) -> str:
    """Markdown to HTML, then cleaned by an allow-list so no script or handler survives."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "fenced_code"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return mark_safe(render_markdown(text))  # noqa: S308  (cleaned by nh3 above)


@register.filter
def object_key(obj: Any) -> str:
    """``app.model:pk``: the stable name of a record, used as ``data-object`` on its row."""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}:{obj.pk}"
