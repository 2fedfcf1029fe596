"""Long replies in pages: the router cuts every reply longer than ``[limits] reply_lines``,
and /weiter shows the next page.

One place for all commands: a list of 3,000 tasks is one page and a pointer, not
30 messages into the chat. The rest is kept for an hour per person and chat.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from core.commands import Command
from core.i18n import N_
from core.line_codec import pages_from_json, pages_to_json
from core.messages import Line, Reply, fmt
from handlers.shared.context import Context
from storage import reply_pages

KEPT_FOR = timedelta(hours=1)
_FOOTER = N_("Page {page} of {pages}. Next page: {command}")


async def first_page(context: Context, reply: Reply, page_size: int) -> Reply:
    """``reply`` itself when it fits, else its first page with a pointer to the next."""
    if reply.refused or len(reply.lines) <= page_size:
        return reply
    lines = list(reply.lines)
    # Each page ends with a blank line and the pointer, and still fits the limit.
    size = max(1, page_size - 2)
    pages = [lines[start : start + size] for start in range(0, len(lines), size)]
    return replace(reply, lines=await _show(context, pages, 1, len(pages)))


async def more_command(context: Context, args: str) -> Reply:
    chat = context.message.chat
    stored = await reply_pages.take_rest(
        context.session,
        platform=chat.platform,
        chat_id=chat.chat_id,
        person_id=context.person.id,
        now=context.now(),
    )
    if stored is None:
        raise context.refuse("There is nothing more to show.")
    pages = pages_from_json(stored.rest)
    return Reply(tuple(await _show(context, pages, stored.page + 1, stored.pages)))


async def _show(
    context: Context, pages: list[list[Line]], page: int, total: int
) -> tuple[Line, ...]:
    """The first of ``pages`` (page number ``page``), keeping the others for /weiter."""
    shown, rest = pages[0], pages[1:]
    chat = context.message.chat
    if not rest:
        return tuple(shown)
    await reply_pages.keep_rest(
        context.session,
        platform=chat.platform,
        chat_id=chat.chat_id,
        person_id=context.person.id,
        rest=pages_to_json(rest),
        page=page,
        pages=total,
        expires_at=context.now() + KEPT_FOR,
    )
    footer = fmt(context.t(_FOOTER), page=page, pages=total, command=context.command_word("weiter"))
    return (*shown, (), *footer)


COMMANDS = [
    Command(
        name="weiter",
        alias="more",
        usage="",
        summary=N_("Shows the next page of a long answer."),
        details=N_("Long answers come in pages; the rest is kept for an hour."),
        handler=more_command,
    ),
]
