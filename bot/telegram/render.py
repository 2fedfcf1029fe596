"""Neutral replies as Telegram HTML: escaped, clickable mentions, split under 4096 characters.

Every line is rendered on its own and closes its own tags, so splitting between
lines never breaks a tag; a single over-long line is split inside its text,
before escaping, so no entity (``&amp;``) is cut either.
"""

from __future__ import annotations

from html import escape

from core.messages import Line, Reply, Span

# Telegram's limit counts the text after entity parsing; counting the HTML source is stricter.
MAX_MESSAGE_LENGTH = 4096
# Telegram refuses callback data over 64 bytes; such a choice is shown as text instead.
MAX_CALLBACK_DATA = 64


def render_span(span: Span, platform_account: str | None = None) -> str:
    text = escape(span.text, quote=False)
    if span.style == "bold":
        return f"<b>{text}</b>"
    if span.style == "code":
        return f"<code>{text}</code>"
    if span.style == "link" and span.url:
        return f'<a href="{escape(span.url)}">{text}</a>'
    if span.style == "mention" and span.person is not None:
        account = span.person.account_on("telegram")
        if account is not None and account.lstrip("-").isdigit():
            return f'<a href="tg://user?id={account}">{text}</a>'
    return text


def _split_span(span: Span, room: int) -> tuple[Span, Span]:
    """Split ``span`` so that the first part renders within ``room`` characters."""
    low, high = 0, len(span.text)
    # Binary search on the raw text: escaping makes the rendered length non-linear.
    while low < high:
        middle = (low + high + 1) // 2
        if len(render_span(Span(span.text[:middle], span.style, span.url, span.person))) <= room:
            low = middle
        else:
            high = middle - 1
    cut = max(low, 1)
    head = Span(span.text[:cut], span.style, span.url, span.person)
    tail = Span(span.text[cut:], span.style, span.url, span.person)
    return head, tail


def _render_long_line(line: Line, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    queue = list(line)
    while queue:
        span = queue.pop(0)
        rendered = render_span(span)
        if len(current) + len(rendered) <= limit:
            current += rendered
            continue
        room = limit - len(current)
        if room < 16 and current:  # too little room left: start a new message
            pieces.append(current)
            current = ""
            queue.insert(0, span)
            continue
        head, tail = _split_span(span, room)
        current += render_span(head)
        pieces.append(current)
        current = ""
        if tail.text:
            queue.insert(0, tail)
    if current:
        pieces.append(current)
    return pieces


def render_html(reply: Reply, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """The reply as one or more HTML messages, each at most ``limit`` characters."""
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in reply.lines:
        rendered = "".join(render_span(span) for span in line)
        pieces = [rendered] if len(rendered) <= limit else _render_long_line(line, limit)
        for piece in pieces:
            extra = len(piece) + (1 if current else 0)
            if current and size + extra > limit:
                messages.append("\n".join(current))
                current, size = [], 0
                extra = len(piece)
            current.append(piece)
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
