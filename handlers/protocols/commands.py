"""Protocols: /protokoll (get one, or ask for it), korrektur, freigeben, and /protokolle (the
AG's meetings with the state of their protocols).

Uploading, replacing, earlier versions and the approval are in ``versions``; handing a
published version out is ``delivery``.
"""

from __future__ import annotations

from core.commands import Command, Permission
from core.errors import UsageError
from core.i18n import N_
from core.input_text import bounded_number
from core.messages import Reply, ReplyBuilder, Value, bold
from handlers.meetings.texts import find_meeting
from handlers.protocols import versions
from handlers.protocols.publish_checks import ask_before_publishing
from handlers.protocols.texts import (
    build_document,
    end_minutes_command,
    is_late,
    meeting_day,
    outgoing,
    protocol_word,
    render_files,
    requests_suffix,
    running_minutes,
    status_text,
    told,
)
from handlers.shared.context import Context
from handlers.shared.membership import require_member_in
from handlers.shared.numbers import meeting_number
from handlers.shared.private_group import group_for
from handlers.shared.time_input import read_period
from storage import protocol_versions, protocols, tasks
from storage.models import (
    Meeting,
    MeetingStatus,
    Protocol,
    ProtocolEntryKind,
    ProtocolStatus,
    WorkingGroup,
)

MAX_TEXT = 2000
LIST_LENGTH = 10
_YEAR = N_("year")
_CORRECT_WORDS = {"korrektur", "korrigieren", "correct", "correction"}
_PUBLISH_WORDS = {"freigeben", "freigabe", "publish"}
_UPLOAD_WORDS = {"hochladen", "upload"}
_REPLACE_WORDS = {"ersetzen", "replace"}
_APPROVE_WORDS = {"genehmigt", "genehmigen", "approved", "approve"}
_VERSION_WORDS = {"fassung", "version"}
_COORDINATOR_WORDS = (
    _CORRECT_WORDS | _PUBLISH_WORDS | _UPLOAD_WORDS | _REPLACE_WORDS | _APPROVE_WORDS
)


async def protocol_command(context: Context, args: str) -> Reply:
    group, args = await group_for(context, args)
    await require_member_in(context, group)
    minutes = await running_minutes(context, group)
    return told(context, minutes, await _protocol(context, group, args))


async def _protocol(context: Context, group: WorkingGroup, args: str) -> Reply:
    word, _, rest = args.strip().partition(" ")
    folded = word.casefold()
    if folded in _COORDINATOR_WORDS:
        if await context.level_in(group.id) < Permission.COORDINATOR:
            raise context.refuse(
                "Only the coordinators of {group} may correct, publish, upload, replace or "
                "approve a protocol.",
                group=group.name,
            )
        number, _, text = rest.strip().partition(" ")
        if not number:
            raise UsageError()
        meeting = await find_meeting(context, group, number)
        if folded in _CORRECT_WORDS:
            return await _correct(context, group, meeting, text.strip())
        if text.strip():
            raise UsageError()
        _require_held(context, meeting)
        if folded in _PUBLISH_WORDS:
            return await _publish(context, group, meeting)
        if folded in _REPLACE_WORDS:
            return await versions.replace(context, group, meeting, args.strip())
        if folded in _APPROVE_WORDS:
            return await versions.approve(context, group, meeting)
        return await versions.upload(context, group, meeting, args.strip())
    if word and meeting_number(word) is None:
        raise UsageError()
    version = _version_asked(rest)
    meeting = await find_meeting(context, group, word) if word else await _last(context, group)
    if version is not None:
        return await versions.send_version(context, group, meeting, version)
    return await _get(context, group, meeting)


def _version_asked(rest: str) -> int | None:
    """``fassung 2`` after the number: that version; nothing: the current one."""
    if not rest.strip():
        return None
    words = rest.split()
    number = bounded_number(words[1]) if len(words) == 2 else None
    if words[0].casefold() not in _VERSION_WORDS or number is None or number < 1:
        raise UsageError()
    return number


def _require_held(context: Context, meeting: Meeting) -> None:
    """Refuses for a cancelled meeting: it gets no protocol, so nothing would be delivered."""
    if meeting.status is MeetingStatus.CANCELLED:
        raise context.refuse(
            "Meeting #{number} is cancelled, so it has no protocol to ask for, publish or upload.",
            number=meeting.number,
        )


async def _last(context: Context, group: WorkingGroup) -> Meeting:
    meeting = await protocols.last_meeting(context.session, group.id, context.now())
    if meeting is None:
        raise context.refuse("{group} has not met yet.", group=group.name)
    return meeting


# --- getting it ------------------------------------------------------------------------------


async def _get(context: Context, group: WorkingGroup, meeting: Meeting) -> Reply:
    protocol = await protocols.of_meeting(context.session, meeting.id)
    heading: dict[str, Value] = {
        "title": bold(meeting.title),
        "number": meeting.number,
        "day": meeting_day(context, meeting, group),
    }
    if protocol is not None and protocol.status is ProtocolStatus.PUBLISHED:
        reply = context.reply("Protocol of {title} (#{number}, {day}):", **heading)
        reply.add(
            context.t("Status: {status}"), status=status_text(context, meeting, group, protocol)
        )
        await versions.version_lines(context, group, protocol, meeting, reply)
        reply.files.extend(outgoing(await protocols.documents(context.session, protocol.id)))
        return reply.build()
    _require_held(context, meeting)
    if meeting.starts_at > context.now():
        raise context.refuse("Meeting #{number} has not taken place yet.", number=meeting.number)
    reply = context.reply(
        "The protocol of {title} (#{number}, {day}) is not published yet.", **heading
    )
    reply.add(context.t("Status: {status}"), status=status_text(context, meeting, group, protocol))
    if await context.level_in(group.id) >= Permission.COORDINATOR and protocol is not None:
        # Coordinators review the draft: its entries with their numbers, and the documents.
        await _draft_lines(context, protocol, reply)
        if protocol.status is ProtocolStatus.DRAFT:
            document = await build_document(context, group, meeting, protocol)
            reply.files.extend(outgoing(render_files(document, group, meeting)))
        return reply.build()
    chat = context.message.chat
    new = await protocols.add_request(
        context.session, meeting.id, context.person.id, (chat.platform, chat.chat_id), context.now()
    )
    noted = N_(
        "Noted: you will get it as soon as it is published, privately if I can write to you, "
        "else here."
    )
    again = N_("You asked for it already: you will get it as soon as it is published.")
    reply.add(context.t(noted if new else again))
    return reply.build()


async def _draft_lines(context: Context, protocol: Protocol, reply: ReplyBuilder) -> None:
    rows = await protocols.entries(context.session, protocol.id)
    for row in rows:
        entry = row.entry
        if entry.kind is ProtocolEntryKind.TOPIC:
            reply.add("TOP {number}: {text}", number=entry.number, text=bold(entry.text))
        else:
            reply.add(
                "  {number}. {text} ({author})",
                number=entry.number,
                text=entry.text,
                author=row.author_name or "?",
            )


# --- correcting ------------------------------------------------------------------------------


async def _correct(context: Context, group: WorkingGroup, meeting: Meeting, rest: str) -> Reply:
    number, _, text = rest.partition(" ")
    text = text.strip()
    position = bounded_number(number)
    if position is None or not text:
        raise UsageError()
    if len(text) > MAX_TEXT:
        raise context.refuse("An entry may be at most {limit} characters long.", limit=MAX_TEXT)
    protocol = await _with_minutes(context, meeting)
    entry = await protocols.entry_by_number(context.session, protocol.id, position)
    if entry is None:
        raise context.refuse(
            "The minutes of #{meeting} have no entry {number}.",
            meeting=meeting.number,
            number=number,
        )
    before = entry.text
    entry.text = text
    entry.corrected_by = context.person.id
    entry.corrected_at = context.now()
    # The history goes into the document's appendix; the body shows the final text.
    await protocol_versions.add_correction(
        context.session, entry, before, context.person.id, context.now()
    )
    if entry.item_id is not None:
        item = await tasks.get_item(context.session, entry.item_id)
        if item is not None:
            item.text = text[:1000]
            item.updated_at = context.now()
    reply = context.reply(
        "Corrected entry {number} of #{meeting}: {text}",
        number=entry.number,
        meeting=meeting.number,
        text=text,
    )
    reply.add(context.t("Before: {text}"), text=before)
    if protocol.status is ProtocolStatus.PUBLISHED:
        reply.add(
            context.t(
                "The protocol is published: the correction goes out as a new version with "
                "{command}."
            ),
            command=f"{protocol_word(context, 'replace')} {meeting.number}",
        )
    return reply.build()


async def _with_minutes(context: Context, meeting: Meeting) -> Protocol:
    """The meeting's protocol with minutes to correct, published or not."""
    protocol = await protocols.of_meeting(context.session, meeting.id)
    if protocol is None:
        raise context.refuse(
            "No minutes were taken for #{number}. Upload the protocol with {command}.",
            number=meeting.number,
            command=f"{protocol_word(context, 'upload')} {meeting.number}",
        )
    return protocol


async def _unpublished(context: Context, meeting: Meeting) -> Protocol:
    protocol = await _with_minutes(context, meeting)
    if protocol.status is ProtocolStatus.PUBLISHED:
        raise context.refuse(
            "The protocol of #{number} is published already. A new version replaces it: {command}",
            number=meeting.number,
            command=f"{protocol_word(context, 'replace')} {meeting.number}",
        )
    return protocol


# --- publishing ------------------------------------------------------------------------------


async def _publish(context: Context, group: WorkingGroup, meeting: Meeting) -> Reply:
    if meeting.starts_at > context.now():
        raise context.refuse("Meeting #{number} has not taken place yet.", number=meeting.number)
    protocol = await _unpublished(context, meeting)
    if protocol.status is ProtocolStatus.RUNNING:
        raise context.refuse(
            "The minutes of #{number} are still running. End them first with {command}.",
            number=meeting.number,
            command=end_minutes_command(context),
        )
    question = await ask_before_publishing(context, group, meeting, protocol)
    if question is not None:
        return question
    return await versions.publish_version(context, group, meeting, protocol)


# --- the overview ----------------------------------------------------------------------------


async def protocols_command(context: Context, args: str) -> Reply:
    group, args = await group_for(context, args)
    await require_member_in(context, group)
    minutes = await running_minutes(context, group)
    now = context.now()
    if args.strip():
        # "/protokolle 2025": every meeting of the period, not only the latest ten.
        period = read_period(context, args.strip(), group.timezone)
        since, until = period.moments(group.timezone)
        rows = await protocols.meetings_with_protocols(
            context.session, [group.id], min(now, until), since=since
        )
        shown = len(rows)
        reply = context.reply(
            "Protocols of {group} · {period}:",
            group=bold(group.name),
            period=period.label(context.language),
        )
        if not rows:
            reply.add(context.t("No meeting in this period has taken place so far."))
    else:
        rows = await protocols.meetings_with_protocols(context.session, [group.id], now)
        shown = LIST_LENGTH
        reply = context.reply("Protocols of {group}:", group=bold(group.name))
        if not rows:
            reply.add(context.t("No meeting has taken place yet."))
    for row in rows[:shown]:
        meeting = row.meeting
        marker = "⚠ " if is_late(context, meeting, group, row.protocol) else "• "
        line = context.t("{marker}#{number} {title} ({day}): {status}").format(
            marker=marker,
            number=meeting.number,
            title=meeting.title,
            day=meeting_day(context, meeting, group),
            status=status_text(context, meeting, group, row.protocol),
        )
        reply.add("{line}", line=line + requests_suffix(context, row.open_requests))
    if len(rows) > shown:
        reply.add(
            context.tn(
                "… and {count} earlier meeting: {command}",
                "… and {count} earlier meetings: {command}",
                len(rows) - shown,
            ),
            count=len(rows) - shown,
            command=f"{context.command_word('protokolle')} <{context.t(_YEAR)}>",
        )
    reply.add(context.t("A protocol: {command}"), command=f"{context.command_word('protokoll')} #N")
    return told(context, minutes, reply.build())


COMMANDS = [
    Command(
        name="protokoll",
        alias="protocol",
        usage=N_(
            "[#N [version <number>]] | correct #N <entry> <text> | publish #N | upload #N "
            "| replace #N | approved #N"
        ),
        summary=N_("Sends a meeting's protocol as PDF and Word, or sends it when it is published."),
        details=N_(
            "Without a number: the AG's last meeting. Not published yet: you get it "
            "automatically when it is. Coordinators: /protokoll korrektur 3 2 <text> corrects "
            "entry 2, /protokoll freigeben 3 publishes it to every chat of the AG and to everyone "
            "who asked, /protokoll hochladen 3 with an attached PDF or DOCX publishes that file "
            "(after /ja). /protokoll ersetzen 3, with a file or after corrections, publishes a "
            "new version; /protokoll 3 fassung 1 sends an earlier one. /protokoll genehmigt 3 "
            "records that the AG approved it."
        ),
        handler=protocol_command,
    ),
    Command(
        name="protokolle",
        alias="protocols",
        usage=N_("[<year or period>]"),
        summary=N_("The AG's meetings with the state of their protocols."),
        details=N_(
            "Without a year the latest ten meetings; /protokolle 2025 (or März, Q1, von 1.1. "
            "bis 30.6.) lists every meeting of that period. Also in a private chat with me; "
            "there, if you belong to several AGs, with the AG's name: /protokolle AG Verkehr "
            "2025, /protokoll AG Verkehr #3."
        ),
        handler=protocols_command,
    ),
]
