"""Entries of running minutes: /top, /info, /beschluss and /rueckgaengig (/anwesend is
``attendance``).

Every member of the AG contributes while a coordinator's /sitzung runs (``minutes``); each
entry records its author and time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Reply, bold
from handlers.protocols.minutes import (
    contributing,
    next_agenda_point,
    offer_next_topic,
    touching,
)
from handlers.shared.context import Context
from storage import protocols
from storage.models import (
    ActionItem,
    Protocol,
    ProtocolEntry,
    ProtocolEntryKind,
)

MAX_TEXT = 2000
MAX_TITLE = 500
_KIND_NAMES = {
    ProtocolEntryKind.INFO: N_("Info"),
    ProtocolEntryKind.DECISION: N_("Decision"),
    ProtocolEntryKind.ACTION: N_("Entry"),
}


async def topic_command(context: Context, args: str) -> Reply:
    _, protocol, meeting = await contributing(context)
    title = " ".join(args.split())
    if not title:
        upcoming = await next_agenda_point(context, meeting, protocol)
        if upcoming is None:
            raise context.refuse(
                "Every point of the agenda has its TOP. Give a title: {command}",
                command=f"{context.command_word('top')} {context.t('<title>')}",
            )
        title = upcoming
    if len(title) > MAX_TITLE:
        raise context.refuse("A TOP may be at most {limit} characters long.", limit=MAX_TITLE)
    entry = await protocols.add_entry(
        context.session,
        protocol,
        ProtocolEntryKind.TOPIC,
        title,
        context.person.id,
        context.now(),
    )
    reply = context.reply("TOP {number}: {title}", number=entry.number, title=bold(title))
    await offer_next_topic(context, meeting, protocol, reply)
    return reply.build()


def _noting(kind: ProtocolEntryKind) -> Callable[[Context, str], Awaitable[Reply]]:
    async def handler(context: Context, args: str) -> Reply:
        _, protocol, _ = await contributing(context)
        text = args.strip()
        if not text:
            raise UsageError()
        if len(text) > MAX_TEXT:
            raise context.refuse("An entry may be at most {limit} characters long.", limit=MAX_TEXT)
        entry = await protocols.add_entry(
            context.session, protocol, kind, text, context.person.id, context.now()
        )
        return context.reply(
            "{kind} {number} (TOP {topic}): {text}",
            kind=context.t(_KIND_NAMES[kind]),
            number=entry.number,
            topic=entry.topic,
            text=text,
        ).build()

    return handler


async def undo_command(context: Context, args: str) -> Reply:
    if args.strip():
        raise UsageError()
    _, protocol, _ = await contributing(context)
    entry = await protocols.last_entry_by(context.session, protocol.id, context.person.id)
    if entry is None:
        raise context.refuse("You have no entry in these minutes.")
    if entry.kind is ProtocolEntryKind.TOPIC:
        if await _has_entries(context, protocol, entry):
            raise context.refuse("TOP {number} has entries already; it stays.", number=entry.number)
        await protocols.remove_entry(context.session, entry)
        return context.reply(
            "Removed TOP {number}: {text}", number=entry.number, text=entry.text
        ).build()
    item_id = entry.item_id
    await protocols.remove_entry(context.session, entry)
    if item_id is not None:
        # The task came from this entry alone: undoing the entry undoes the task.
        item = await context.session.get(ActionItem, item_id)
        if item is not None:
            await context.session.delete(item)
            await context.session.flush()
        return context.reply(
            "Removed entry {number}: {text} (task #{item} deleted)",
            number=entry.number,
            text=entry.text,
            item=item_id,
        ).build()
    return context.reply(
        "Removed {kind} {number}: {text}",
        kind=context.t(_KIND_NAMES[entry.kind]),
        number=entry.number,
        text=entry.text,
    ).build()


async def _has_entries(context: Context, protocol: Protocol, topic: ProtocolEntry) -> bool:
    return any(
        row.entry.kind is not ProtocolEntryKind.TOPIC and row.entry.topic == topic.number
        for row in await protocols.entries(context.session, protocol.id)
    )


COMMANDS = [
    Command(
        name="top",
        alias="topic",
        usage=N_("[title]"),
        summary=N_("Opens the next TOP of the minutes (without a title: the next agenda point)."),
        details="",
        handler=touching(topic_command),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="info",
        alias="info",
        usage=N_("<text>"),
        summary=N_("Notes something in the minutes under the current TOP."),
        details="",
        handler=touching(_noting(ProtocolEntryKind.INFO)),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="beschluss",
        alias="decision",
        usage=N_("<text>"),
        summary=N_("Notes a decision in the minutes."),
        details="",
        handler=touching(_noting(ProtocolEntryKind.DECISION)),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="rueckgaengig",
        alias="undo",
        usage="",
        summary=N_("Removes your last entry of the running minutes."),
        details="",
        handler=touching(undo_command),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
]
