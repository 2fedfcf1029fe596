"""Protocols: /protokoll (get one, or ask for it), korrektur, freigeben, hochladen, and
/protokolle (the AG's meetings with the state of their protocols).

Publishing stores the documents as released, answers the chat of the command with them and
puts one outbox row (``ReminderKind.PROTOCOL``) per other chat of the AG and per person who
asked for them, so a restart loses no copy.
"""

from __future__ import annotations

import io
import zipfile

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_, Translator
from core.input_text import bounded_number
from core.messages import IncomingFile, Reply, ReplyBuilder, Value, bold
from handlers.meetings.texts import find_meeting
from handlers.protocols.publish_checks import ask_before_publishing
from handlers.protocols.texts import (
    DOCX,
    PDF,
    build_document,
    end_minutes_command,
    file_stem,
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
from handlers.shared.membership import require_member
from handlers.shared.numbers import meeting_number
from storage import groups, protocols, reminders, tasks
from storage.models import (
    Meeting,
    MeetingStatus,
    Protocol,
    ProtocolEntryKind,
    ProtocolStatus,
    ReminderKind,
    WorkingGroup,
)
from storage.protocols import DocumentFile
from storage.reminders import PlannedReminder

MAX_TEXT = 2000
LIST_LENGTH = 10
_CORRECT_WORDS = {"korrektur", "korrigieren", "correct", "correction"}
_PUBLISH_WORDS = {"freigeben", "freigabe", "publish"}
_UPLOAD_WORDS = {"hochladen", "upload"}


async def protocol_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    require_member(context, group)
    minutes = await running_minutes(context, group)
    return told(context, minutes, await _protocol(context, group, args))


async def _protocol(context: Context, group: WorkingGroup, args: str) -> Reply:
    word, _, rest = args.strip().partition(" ")
    folded = word.casefold()
    if folded in _CORRECT_WORDS | _PUBLISH_WORDS | _UPLOAD_WORDS:
        if context.level < Permission.COORDINATOR:
            raise context.refuse("Only coordinators of the AG can correct, publish or upload it.")
        number, _, text = rest.strip().partition(" ")
        if not number:
            raise UsageError()
        meeting = await find_meeting(context, group, number)
        if folded in _CORRECT_WORDS:
            return await _correct(context, group, meeting, text.strip())
        if text.strip():
            raise UsageError()
        if folded in _PUBLISH_WORDS:
            _require_held(context, meeting)
            return await _publish(context, group, meeting)
        _require_held(context, meeting)
        return await _upload(context, group, meeting)
    if rest or (word and meeting_number(word) is None):
        raise UsageError()
    meeting = await find_meeting(context, group, word) if word else await _last(context, group)
    return await _get(context, group, meeting)


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
        reply.files.extend(outgoing(await protocols.documents(context.session, protocol.id)))
        return reply.build()
    _require_held(context, meeting)
    if meeting.starts_at > context.now():
        raise context.refuse("Meeting #{number} has not taken place yet.", number=meeting.number)
    reply = context.reply(
        "The protocol of {title} (#{number}, {day}) is not published yet.", **heading
    )
    reply.add(context.t("Status: {status}"), status=status_text(context, meeting, group, protocol))
    if context.level >= Permission.COORDINATOR and protocol is not None:
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
    protocol = await _unpublished(context, meeting)
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
    return reply.build()


async def _unpublished(context: Context, meeting: Meeting) -> Protocol:
    protocol = await protocols.of_meeting(context.session, meeting.id)
    if protocol is None:
        raise context.refuse(
            "No minutes were taken for #{number}. Upload the protocol with {command}.",
            number=meeting.number,
            command=f"{protocol_word(context, 'upload')} {meeting.number}",
        )
    if protocol.status is ProtocolStatus.PUBLISHED:
        raise context.refuse(
            "The protocol of #{number} is published already.", number=meeting.number
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
    _released(context, protocol)
    document = await build_document(context, group, meeting, protocol)
    files = render_files(document, group, meeting)
    await protocols.set_documents(context.session, protocol.id, files)
    return await _deliver(context, group, meeting, protocol, files)


def _released(context: Context, protocol: Protocol) -> None:
    protocol.status = ProtocolStatus.PUBLISHED
    protocol.published_at = context.now()
    protocol.published_by = context.person.id


async def _deliver(
    context: Context,
    group: WorkingGroup,
    meeting: Meeting,
    protocol: Protocol,
    files: list[DocumentFile],
) -> Reply:
    """The documents for this chat, every other chat of the AG and everyone who asked."""
    now = context.now()
    session = context.session
    requests = await protocols.open_requests(session, meeting.id)
    here = context.message.chat
    chats = [
        binding
        for binding in await groups.chats_of(session, group.id)
        if binding.active and (binding.platform, binding.chat_id) != (here.platform, here.chat_id)
    ]
    stamp = now.strftime("%Y%m%dT%H%M%S")
    # The other chats' copies first: a request answered in a chat points to the files there.
    await reminders.add_missing(
        session,
        (
            PlannedReminder(
                key=f"protocol-chat:{meeting.id}:{binding.id}",
                kind=ReminderKind.PROTOCOL,
                due_at=now,
                group_id=group.id,
                chat_platform=binding.platform,
                chat_id=binding.chat_id,
                meeting_id=meeting.id,
                timezone=group.timezone,
                created_by=context.person.id,
            )
            for binding in chats
        ),
        now,
    )
    await reminders.add_missing(
        session,
        (
            PlannedReminder(
                key=f"protocol:{meeting.id}:{request.person_id}:{stamp}",
                kind=ReminderKind.PROTOCOL,
                due_at=now,
                group_id=group.id,
                person_id=request.person_id,
                chat_platform=request.chat_platform,
                chat_id=request.chat_id,
                meeting_id=meeting.id,
                timezone=group.timezone,
                created_by=context.person.id,
            )
            for request in requests
        ),
        now,
    )
    await protocols.mark_delivered(session, meeting.id, now)
    # Published: no more deadline reminders.
    await reminders.sync_protocol_due(session, meeting, now)
    heading: dict[str, Value] = {
        "title": bold(meeting.title),
        "number": meeting.number,
        "day": meeting_day(context, meeting, group),
    }
    reply = context.reply("📄 The protocol of {title} (#{number}, {day}) is published.", **heading)
    if chats:
        reply.add(
            context.tn(
                "Also sent to {count} other chat of the AG.",
                "Also sent to {count} other chats of the AG.",
                len(chats),
            ).format(count=len(chats))
        )
    if requests:
        reply.add(
            context.tn(
                "Sent as well to {count} person who asked for it (privately where possible).",
                "Sent as well to {count} people who asked for it (privately where possible).",
                len(requests),
            ).format(count=len(requests))
        )
    reply.files.extend(outgoing(files))
    return reply.build()


# --- uploading -------------------------------------------------------------------------------


def _kind_of(file: IncomingFile) -> str | None:
    """``pdf`` or ``docx`` by MIME type or file name; None for anything else."""
    name = file.name.casefold()
    if file.mime_type == PDF or name.endswith(".pdf"):
        return "pdf"
    if file.mime_type == DOCX or name.endswith(".docx"):
        return "docx"
    return None


def _content_fits(content: bytes, kind: str) -> bool:
    """Whether the bytes are what the name says: a PDF, or a Word document (a zip file)."""
    if kind == "pdf":
        return content.startswith(b"%PDF-")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _unique_names(stem: str, kinds: list[str]) -> list[str]:
    """``stem.pdf``, ``stem_2.pdf`` …: several files of one upload keep apart."""
    seen: dict[str, int] = {}
    names = []
    for kind in kinds:
        seen[kind] = seen.get(kind, 0) + 1
        count = seen[kind]
        names.append(f"{stem}.{kind}" if count == 1 else f"{stem}_{count}.{kind}")
    return names


async def _upload(context: Context, group: WorkingGroup, meeting: Meeting) -> Reply:
    files = context.message.files
    if not files:
        raise context.refuse(
            "Please attach the protocol as a PDF or Word (DOCX) file to {command}, or send the "
            "command in reply to the file.",
            command=f"{protocol_word(context, 'upload')} {meeting.number}",
        )
    accepted = [(file, kind) for file in files if (kind := _kind_of(file)) is not None]
    if not accepted:
        raise context.refuse(
            "{names} is not a PDF or Word (DOCX) file. Please upload the protocol as PDF or DOCX.",
            names=", ".join(file.name for file in files),
        )
    broken = [file.name for file, kind in accepted if not _content_fits(file.content, kind)]
    if broken:
        raise context.refuse(
            "{names} is not a readable PDF or Word (DOCX) file, although its name says so. "
            "Please save it again as PDF or DOCX and upload it.",
            names=", ".join(broken),
        )
    if any(len(file.content) > context.settings.max_upload_bytes for file, _ in accepted):
        raise context.refuse(
            "A protocol file may be at most {limit} MB.", limit=context.settings.max_upload_mb
        )
    if meeting.starts_at > context.now():
        raise context.refuse("Meeting #{number} has not taken place yet.", number=meeting.number)
    protocol = await protocols.of_meeting(context.session, meeting.id)
    if protocol is None:
        protocol = await protocols.create(context.session, meeting, ProtocolStatus.PUBLISHED)
    elif protocol.status is ProtocolStatus.PUBLISHED:
        raise context.refuse(
            "The protocol of #{number} is published already.", number=meeting.number
        )
    elif protocol.status is ProtocolStatus.RUNNING:
        raise context.refuse(
            "The minutes of #{number} are still running. End them first with {command}.",
            number=meeting.number,
            command=end_minutes_command(context),
        )
    _released(context, protocol)
    stem = file_stem(Translator(group.language), group, meeting)
    names = _unique_names(stem, [kind for _, kind in accepted])
    stored = [
        DocumentFile(name, PDF if kind == "pdf" else DOCX, file.content)
        for name, (file, kind) in zip(names, accepted, strict=True)
    ]
    await protocols.set_documents(context.session, protocol.id, stored)
    return await _deliver(context, group, meeting, protocol, stored)


# --- the overview ----------------------------------------------------------------------------


async def protocols_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    require_member(context, group)
    if args.strip():
        raise UsageError()
    minutes = await running_minutes(context, group)
    rows = await protocols.meetings_with_protocols(context.session, [group.id], context.now())
    reply = context.reply("Protocols of {group}:", group=bold(group.name))
    if not rows:
        reply.add(context.t("No meeting has taken place yet."))
    for row in rows[:LIST_LENGTH]:
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
    if len(rows) > LIST_LENGTH:
        reply.add(context.t("… and {count} earlier meetings."), count=len(rows) - LIST_LENGTH)
    reply.add(context.t("A protocol: {command}"), command=f"{context.command_word('protokoll')} #N")
    return told(context, minutes, reply.build())


COMMANDS = [
    Command(
        name="protokoll",
        alias="protocol",
        usage=N_("[#N] | correct #N <entry> <text> | publish #N | upload #N"),
        summary=N_("Sends a meeting's protocol as PDF and Word, or sends it when it is published."),
        details=N_(
            "Without a number: the AG's last meeting. Not published yet: you get it "
            "automatically when it is. Coordinators: /protokoll korrektur 3 2 <text> corrects "
            "entry 2, /protokoll freigeben 3 publishes it to every chat of the AG and to everyone "
            "who asked, /protokoll hochladen 3 with an attached PDF or DOCX publishes that file."
        ),
        handler=protocol_command,
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="protokolle",
        alias="protocols",
        usage="",
        summary=N_("The AG's meetings with the state of their protocols."),
        details="",
        handler=protocols_command,
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
]
