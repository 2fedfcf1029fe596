"""Neutral replies as Telegram HTML: escaped, clickable mentions, split under Telegram's limit.

Telegram's 4,096 counts UTF-16 code units of the text after entity parsing: what a reader
sees, with an emoji outside the Basic Multilingual Plane counting twice, and neither tags
nor ``&amp;`` counting at all. Every span shows exactly its text, so a message is measured
on the spans, not on the HTML. Every line is rendered on its own and closes its own tags,
so splitting between lines never breaks a tag; a single over-long line is split inside its
text, before escaping, so no entity (``&amp;``) is cut either, and not inside a character
that is written as several (an emoji family, a letter with a combining accent) where that
can be avoided.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.html_spans import span_html
from core.messages import Reply, Span

# Telegram's limit, in UTF-16 code units of the text after entity parsing.
MAX_MESSAGE_LENGTH = 4096
# Telegram refuses callback data over 64 bytes; such a choice is shown as text instead.
MAX_CALLBACK_DATA = 64
# When less than this is left in a message, an over-long line goes on in the next one.
_MIN_ROOM = 16


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram's limits and offsets."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(line: Sequence[Span]) -> int:
    """What Telegram counts of a rendered line: the text of its spans, in UTF-16 units."""
    return sum(utf16_len(span.text) for span in line)


def _user_link(span: Span) -> str | None:
    """A text mention of a numeric Telegram id; a name without one stays plain text."""
    account = span.person.account_on("telegram") if span.person else None
    if account is not None and account.lstrip("-").isdigit():
        return f"tg://user?id={account}"
    return None


def render_span(span: Span) -> str:
    return span_html(span, bold_tag="b", mention_href=_user_link)


def _joins(text: str, index: int) -> bool:
    """Whether a cut before ``text[index]`` would split one visible character."""
    after, before = text[index], text[index - 1]
    return (
        unicodedata.combining(after) > 0
        or after in "\u200d\ufe0e\ufe0f"
        or before == "\u200d"
        or "\U0001f3fb" <= after <= "\U0001f3ff"  # skin tones
        or "\U000e0020" <= after <= "\U000e007f"  # flag tags
    )


def _cut_index(text: str, room: int) -> int:
    """How many code points of ``text`` fit into ``room`` UTF-16 units (at least one)."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > room:
            cut = index
            break
    else:
        return len(text)
    safe = cut
    while safe > 0 and _joins(text, safe):
        safe -= 1
    return max(safe or cut, 1)


def _split_line(line: Sequence[Span], limit: int) -> list[list[Span]]:
    """An over-long line as pieces of at most ``limit`` visible units each."""
    pieces: list[list[Span]] = []
    current: list[Span] = []
    size = 0
    queue = list(line)
    while queue:
        span = queue.pop(0)
        length = utf16_len(span.text)
        if size + length <= limit:
            current.append(span)
            size += length
            continue
        room = limit - size
        if room < _MIN_ROOM and current:  # too little room left: start a new message
            pieces.append(current)
            current, size = [], 0
            queue.insert(0, span)
            continue
        cut = _cut_index(span.text, room)
        current.append(Span(span.text[:cut], span.style, span.url, span.person))
        pieces.append(current)
        current, size = [], 0
        if span.text[cut:]:
            queue.insert(0, Span(span.text[cut:], span.style, span.url, span.person))
    if current:
        pieces.append(current)
    return pieces


def render_html(reply: Reply, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """The reply as one or more HTML messages, each showing at most ``limit`` UTF-16 units."""
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in reply.lines:
        length = visible_length(line)
        pieces = [list(line)] if length <= limit else _split_line(line, limit)
        for piece in pieces:
            piece_length = length if len(pieces) == 1 else visible_length(piece)
            extra = piece_length + (1 if current else 0)  # the line break counts as one
            if current and size + extra > limit:
                messages.append("\n".join(current))
                current, size = [], 0
                extra = piece_length
            current.append("".join(render_span(span) for span in piece))
            size += extra
    if current:
        messages.append("\n".join(current))
    # Telegram refuses empty or blank messages; an empty reply becomes no message.
    return [message for message in messages if message.strip()]


def keyboard_rows(reply: Reply, per_row: int = 3) -> list[list[tuple[str, str]]]:
    """(label, callback data) rows for the reply's choices that fit Telegram's limits."""
    usable = [
        (choice.label, choice.command)
        for choice in reply.choices
        if len(choice.command.encode()) <= MAX_CALLBACK_DATA
    ]
    return [usable[i : i + per_row] for i in range(0, len(usable), per_row)]
