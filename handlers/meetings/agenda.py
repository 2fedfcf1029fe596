"""/tagesordnung: the numbered agenda (TOPs) of a meeting; members propose, coordinators remove."""

from __future__ import annotations

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.input_text import bounded_number
from core.messages import Reply, bold
from handlers.meetings.texts import find_meeting, start_text
from handlers.shared.context import Context
from handlers.tasks.texts import open_items_top
from storage import meetings
from storage.models import Meeting, WorkingGroup

MAX_ITEM = 500


async def agenda_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    words = args.split(maxsplit=1)
    if words and words[0].lstrip("#").isdecimal():
        meeting = await find_meeting(context, group, words[0])
        rest = words[1].strip() if len(words) > 1 else ""
    else:
        meeting = await _next_meeting(context, group)
        rest = args.strip()
    if rest.startswith("+"):
        return await _add(context, group, meeting, rest[1:].strip())
    if rest.startswith("-"):
        return await _remove(context, group, meeting, rest[1:].strip())
    if rest:
        raise UsageError()
    return await _show(context, group, meeting)


async def _next_meeting(context: Context, group: WorkingGroup) -> Meeting:
    found = await meetings.upcoming(context.session, [group.id], context.now(), limit=1)
    if not found:
        raise context.refuse("{group} has no upcoming meeting.", group=group.name)
    return found[0].meeting


async def _show(context: Context, group: WorkingGroup, meeting: Meeting) -> Reply:
    reply = context.reply(
        "Agenda of {title} (#{number}), {when}:",
        title=bold(meeting.title),
        number=meeting.number,
        when=start_text(context, meeting, group.timezone),
    )
    items = await meetings.agenda(context.session, meeting.id)
    for item in items:
        reply.add("TOP {position}: {text}", position=item.position, text=item.text)
    if not items:
        reply.add(
            context.t("No points yet. Propose one with {command}"),
            command=f"{context.command_word('tagesordnung')} {meeting.number} + …",
        )
    await open_items_top(context, group, reply, len(items) + 1, meeting.starts_at)
    return reply.build()


async def _add(context: Context, group: WorkingGroup, meeting: Meeting, text: str) -> Reply:
    if not text:
        raise UsageError()
    if context.role is None and context.level < Permission.COORDINATOR:
        raise context.refuse(
            "Only members of {group} can propose agenda points. Join with {join}.",
            group=group.name,
            join=context.command_word("beitreten"),
        )
    item = await meetings.add_agenda_item(
        context.session, meeting.id, text[:MAX_ITEM], context.person.id, context.now()
    )
    return context.reply(
        "Added to the agenda of #{number}: TOP {position}: {text}",
        number=meeting.number,
        position=item.position,
        text=item.text,
    ).build()


async def _remove(context: Context, group: WorkingGroup, meeting: Meeting, word: str) -> Reply:
    position = bounded_number(word)
    if position is None:
        raise UsageError()
    if context.level < Permission.COORDINATOR:
        raise context.refuse(
            "Only the coordinators of {group} may remove agenda points.", group=group.name
        )
    removed = await meetings.remove_agenda_item(context.session, meeting.id, position)
    if removed is None:
        raise context.refuse(
            "Meeting #{number} has no TOP {position}.", number=meeting.number, position=word
        )
    return context.reply(
        "Removed from the agenda of #{number}: {text}", number=meeting.number, text=removed
    ).build()


COMMANDS = [
    Command(
        name="tagesordnung",
        alias="agenda",
        usage=N_("[#N] [+ <point> | - <number>]"),
        summary=N_("Shows a meeting's agenda; members add points, coordinators remove them."),
        details=N_("Without a number: the next meeting. Example: /tagesordnung 3 + Haushalt 2027"),
        handler=agenda_command,
        where=Where.GROUP,
        needs_group=True,
    ),
]
