"""Taking the minutes in the chat: /sitzung start|ende, and the running minutes that the
entry commands (``entries``; ``/aufgabe`` in handlers.tasks.commands) write into.

Coordinators start and end the minutes; every member of the AG contributes. Each entry
records its author and time; ending the minutes leaves a draft for /protokoll.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Choice, Reply, ReplyBuilder, Span, bold
from handlers.meetings.texts import find_meeting
from handlers.protocols.texts import (
    Minutes,
    due_text_of,
    end_minutes_command,
    protocol_word,
    running_minutes,
    told,
)
from handlers.shared.context import Context
from handlers.shared.membership import require_member
from handlers.shared.mentions import resolve_member
from handlers.tasks.texts import due_text
from storage import meetings, protocols, tasks
from storage.models import (
    Meeting,
    MeetingStatus,
    Protocol,
    ProtocolEntryKind,
    ProtocolStatus,
    WorkingGroup,
)

_START_WORDS = {"start", "beginn", "beginnen", "begin"}
_END_WORDS = {"ende", "end", "beenden", "stop"}


class EndedNow(Exception):
    """The minutes a command wanted had outlived their meeting and were ended just now."""

    def __init__(self, minutes: Minutes) -> None:
        super().__init__()
        self.minutes = minutes


def touching(
    handler: Callable[[Context, str], Awaitable[Reply]],
) -> Callable[[Context, str], Awaitable[Reply]]:
    """A minutes command that, finding only stale minutes, tells that they were ended.

    That answer is no refusal: the minutes' end is kept, so the chat is told once.
    """

    async def wrapped(context: Context, args: str) -> Reply:
        try:
            return await handler(context, args)
        except EndedNow as ended:
            reply = context.reply(
                "No minutes are being taken in {group}. A coordinator starts them with {command}.",
                group=context.require_group().name,
                command=f"{context.command_word('sitzung')} start",
            )
            return told(context, ended.minutes, reply.build())

    return wrapped


# --- /sitzung start | ende ------------------------------------------------------------------


async def minutes_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    word, _, rest = context.without_mentions(args).partition(" ")
    if word.casefold() in _START_WORDS:
        _require_coordinator(context, group)
        return await _start(context, group, rest.strip())
    if word.casefold() in _END_WORDS and not rest.strip():
        _require_coordinator(context, group)
        return await _end(context, group)
    raise UsageError()


def _require_coordinator(context: Context, group: WorkingGroup) -> None:
    if context.level < Permission.COORDINATOR:
        raise context.refuse(
            "Only the coordinators of {group} may start and end the minutes.", group=group.name
        )


async def _start(context: Context, group: WorkingGroup, word: str) -> Reply:
    minutes = await running_minutes(context, group)
    if minutes.meeting is not None:
        raise context.refuse(
            "The minutes of {title} (#{number}) are running already. End them with {command}.",
            title=minutes.meeting.title,
            number=minutes.meeting.number,
            command=end_minutes_command(context),
        )
    meeting = await find_meeting(context, group, word) if word else await _today(context, group)
    if meeting.status is MeetingStatus.CANCELLED:
        raise context.refuse("Meeting #{number} is cancelled.", number=meeting.number)
    if context.now() >= protocols.running_until(meeting, group):
        raise context.refuse(
            "Meeting #{number} is over; its minutes are no longer taken in the chat. "
            "Correct the draft with {correct} or upload the protocol with {upload}.",
            number=meeting.number,
            correct=f"{protocol_word(context, 'correct')} {meeting.number} …",
            upload=f"{protocol_word(context, 'upload')} {meeting.number}",
        )
    protocol = await protocols.of_meeting(context.session, meeting.id)
    if protocol is not None and protocol.status is ProtocolStatus.PUBLISHED:
        raise context.refuse(
            "The protocol of #{number} is published already.", number=meeting.number
        )
    chair = None
    if context.message.mentions:
        if len(context.message.mentions) > 1:
            raise UsageError()
        chair = await resolve_member(context, group, context.message.mentions[0])
    resumed = protocol is not None
    if protocol is None:
        protocol = await protocols.create(context.session, meeting, ProtocolStatus.RUNNING)
        protocol.minute_taker_id = context.person.id
        protocol.started_at = context.now()
    protocol.status = ProtocolStatus.RUNNING
    protocol.ended_at = None
    protocol.chat_platform = context.message.chat.platform
    protocol.chat_id = context.message.chat.chat_id
    if chair is not None:
        protocol.chair_id = chair.id
    # Who takes the minutes and who chairs was there (unless someone took them off the list).
    for person_id in {protocol.minute_taker_id, protocol.chair_id} - {None}:
        assert person_id is not None
        await protocols.count_as_present(context.session, protocol.id, person_id, context.now())
    continued = N_("The minutes of {title} (#{number}) continue.")
    started = N_("The minutes of {title} (#{number}) have started.")
    reply = context.reply(
        continued if resumed else started, title=bold(meeting.title), number=meeting.number
    )
    if chair is not None:
        reply.add(context.t("Chair: {name}"), name=chair.display_name)
    reply.add(
        context.t(
            "Everyone in the AG notes with {top}, {info}, {decision}, {task} and {present}; "
            "{undo} removes your last entry. {end} ends the minutes."
        ),
        top=context.command_word("top"),
        info=context.command_word("info"),
        decision=context.command_word("beschluss"),
        task=context.command_word("aufgabe"),
        present=context.command_word("anwesend"),
        undo=context.command_word("rueckgaengig"),
        end=end_minutes_command(context),
    )
    await offer_next_topic(context, meeting, protocol, reply)
    return told(context, minutes, reply.build())


async def _today(context: Context, group: WorkingGroup) -> Meeting:
    """The AG's meeting happening now, else the one of today nearest to now."""
    now = context.now()
    zone = ZoneInfo(group.timezone)
    today = now.astimezone(zone).date()
    candidates = [
        meeting
        for meeting in await protocols.meetings_between(
            context.session, group.id, now - timedelta(days=1), now + timedelta(days=1)
        )
        if meeting.starts_at.astimezone(zone).date() == today
        or meeting.starts_at
        <= now
        < meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
    ]
    if not candidates:
        raise context.refuse(
            "{group} has no meeting today. Name the meeting: {command}",
            group=group.name,
            command=f"{context.command_word('sitzung')} start #N",
        )

    def distance(meeting: Meeting) -> timedelta:
        end = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
        if meeting.starts_at <= now < end:
            return timedelta(0)
        return abs(meeting.starts_at - now)

    return min(candidates, key=distance)


async def _end(context: Context, group: WorkingGroup) -> Reply:
    protocol, meeting = await _running(context, group)
    protocol.status = ProtocolStatus.DRAFT
    protocol.ended_at = context.now()
    reply = context.reply(
        "The minutes of {title} (#{number}) have ended.",
        title=bold(meeting.title),
        number=meeting.number,
    )
    await summary_lines(context, group, protocol, reply)
    reply.blank().add(
        context.t(
            "The protocol is a draft, due {due}. Coordinators correct it with {correct} "
            "and publish it with {publish}."
        ),
        due=due_text_of(context, meeting, group),
        correct=f"{protocol_word(context, 'correct')} {meeting.number} …",
        publish=f"{protocol_word(context, 'publish')} {meeting.number}",
    )
    reply.choices.append(
        Choice(
            context.t("Publish"),
            f"{protocol_word(context, 'publish')} {meeting.number}",
        )
    )
    return reply.build()


async def summary_lines(
    context: Context, group: WorkingGroup, protocol: Protocol, reply: ReplyBuilder
) -> None:
    """Decisions, action items by person and who was present: the minutes in short."""
    rows = await protocols.entries(context.session, protocol.id)
    decisions = [r.entry for r in rows if r.entry.kind is ProtocolEntryKind.DECISION]
    reply.add(context.t("Decisions ({count}):"), count=len(decisions))
    for entry in decisions:
        reply.add("  {number}. {text}", number=entry.number, text=entry.text)
    by_person: dict[str, list[str]] = {}
    actions = [r.entry for r in rows if r.entry.kind is ProtocolEntryKind.ACTION]
    for entry in actions:
        if entry.item_id is None:
            continue
        item = await tasks.get_item(context.session, entry.item_id)
        if item is None:
            continue
        line = f"#{item.id} {item.text}"
        if item.due_at is not None:
            line += " – " + context.t("by {due}").format(
                due=due_text(context, item.due_at, item.due_all_day, group)
            )
        names = [name for _, name in await tasks.assignees_of(context.session, item.id)]
        for name in names or [context.t("nobody yet")]:
            by_person.setdefault(name, []).append(line)
    reply.add(context.t("Action items by person ({count}):"), count=len(actions))
    for name in sorted(by_person, key=str.casefold):
        reply.add_spans([Span("  "), bold(name)])
        for line in by_person[name]:
            reply.add("    • {line}", line=line)
    present = await protocols.present(context.session, protocol.id)
    reply.add(
        context.t("Present ({count}): {names}"),
        count=len(present),
        names=", ".join(name for _, name in present) or "–",
    )


# --- entries ---------------------------------------------------------------------------------


async def _running(context: Context, group: WorkingGroup) -> tuple[Protocol, Meeting]:
    """The AG's running minutes and their meeting; refuses when none run."""
    minutes = await running_minutes(context, group)
    if minutes.ended is not None:
        raise EndedNow(minutes)
    protocol, meeting = minutes.protocol, minutes.meeting
    if protocol is None or meeting is None:
        raise context.refuse(
            "No minutes are being taken in {group}. A coordinator starts them with {command}.",
            group=group.name,
            command=f"{context.command_word('sitzung')} start",
        )
    return protocol, meeting


async def contributing(context: Context) -> tuple[WorkingGroup, Protocol, Meeting]:
    group = context.require_group()
    require_member(context, group)
    protocol, meeting = await _running(context, group)
    return group, protocol, meeting


async def next_agenda_point(context: Context, meeting: Meeting, protocol: Protocol) -> str | None:
    """The first point of the meeting's agenda that has no TOP in the minutes yet."""
    taken = {
        row.entry.text.casefold()
        for row in await protocols.entries(context.session, protocol.id)
        if row.entry.kind is ProtocolEntryKind.TOPIC
    }
    for item in await meetings.agenda(context.session, meeting.id):
        if item.text.casefold() not in taken:
            return item.text
    return None


async def offer_next_topic(
    context: Context, meeting: Meeting, protocol: Protocol, reply: ReplyBuilder
) -> None:
    upcoming = await next_agenda_point(context, meeting, protocol)
    if upcoming is None:
        return
    reply.add(context.t("Next on the agenda: {title}"), title=upcoming)
    reply.choices.append(Choice(context.t("Next TOP"), context.command_word("top")))


COMMANDS = [
    Command(
        name="sitzung",
        alias="minutes",
        usage=N_("start [#N] [@chair] | end"),
        summary=N_("Starts or ends the minutes of a meeting in this chat."),
        details=N_(
            "Without a number: the AG's meeting happening now or today. While the minutes run, "
            "everyone in the AG notes with /top, /info, /beschluss, /aufgabe and /anwesend. "
            "Ending posts a summary; the protocol is then a draft."
        ),
        handler=touching(minutes_command),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
]
