"""Neutral replies as Matrix events: plain ``body``, HTML ``formatted_body``, pills.

User-provided text is escaped in the HTML; a mention of a person with a Matrix
account becomes a pill (a ``matrix.to`` link) and is listed in ``m.mentions``.
Long replies are split at line boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from bot.html_spans import span_html
from core.messages import Choice, Line, Reply, Span

# Events may be 64 KiB; HTML plus body plus JSON escaping stay well below with this.
MAX_HTML_LENGTH = 16_000
# Reactions for choices that bring no emoji of their own, by position.
NUMBER_KEYS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣")


def choice_keys(reply: Reply) -> list[tuple[str, Choice]]:
    """The reaction key of each offered choice: its emoji, else its number (at most nine)."""
    keys: list[tuple[str, Choice]] = []
    for index, choice in enumerate(reply.choices[: len(NUMBER_KEYS)]):
        taken = {key for key, _ in keys}
        key = choice.emoji if choice.emoji and choice.emoji not in taken else NUMBER_KEYS[index]
        keys.append((key, choice))
    return keys


@dataclass(frozen=True)
class MatrixText:
    body: str
    formatted_body: str
    user_ids: tuple[str, ...]


def pill_url(user_id: str) -> str:
    return f"https://matrix.to/#/{quote(user_id, safe='@:')}"


def _render_span(span: Span, user_ids: list[str]) -> str:
    def pill(mentioned: Span) -> str | None:
        user_id = mentioned.person.account_on("matrix") if mentioned.person else None
        if user_id is None:
            return None
        user_ids.append(user_id)  # the event's m.mentions, so the person is notified
        return pill_url(user_id)

    return span_html(span, bold_tag="strong", mention_href=pill)


def _lines_with_choices(reply: Reply) -> list[Line]:
    lines = list(reply.lines)
    if reply.choices:
        lines.append(())
        for key, choice in choice_keys(reply):
            lines.append((Span(f"{key} {choice.label} ({choice.command})"),))
    return lines


def render_matrix(reply: Reply, limit: int = MAX_HTML_LENGTH) -> list[MatrixText]:
    """The reply as one or more Matrix texts; choices become a list of reaction keys."""
    texts: list[MatrixText] = []
    bodies: list[str] = []
    htmls: list[str] = []
    user_ids: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if bodies and any(b.strip() for b in bodies):
            texts.append(
                MatrixText("\n".join(bodies), "<br>".join(htmls), tuple(dict.fromkeys(user_ids)))
            )
        bodies.clear()
        htmls.clear()
        user_ids.clear()
        size = 0

    for line in _lines_with_choices(reply):
        html = "".join(_render_span(span, user_ids) for span in line)
        body = "".join(span.text for span in line)
        if len(html) > limit:
            # A single enormous line (pasted text): split its plain text, styles dropped.
            flush()
            for start in range(0, len(body), limit // 6):
                piece = body[start : start + limit // 6]
                texts.append(MatrixText(piece, escape(piece, quote=False), ()))
            continue
        if size + len(html) + 4 > limit:
            flush()
        bodies.append(body)
        htmls.append(html)
        size += len(html) + 4
    flush()
    return texts
