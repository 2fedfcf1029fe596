"""Spans as HTML, the part both messengers' formats share; each adapter says how a bold span
is tagged and how a mention links to its person."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from core.messages import Span


def span_html(span: Span, *, bold_tag: str, mention_href: Callable[[Span], str | None]) -> str:
    """``span`` as escaped HTML; a mention without a link of this messenger is plain text."""
    text = escape(span.text, quote=False)
    if span.style == "bold":
        return f"<{bold_tag}>{text}</{bold_tag}>"
    if span.style == "code":
        return f"<code>{text}</code>"
    if span.style == "link" and span.url:
        return f'<a href="{escape(span.url)}">{text}</a>'
    if span.style == "mention" and span.person is not None:
        href = mention_href(span)
        if href is not None:
            return f'<a href="{escape(href)}">{text}</a>'
    return text
