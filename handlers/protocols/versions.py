"""Publishing a protocol as a deliberate act, and what follows it: /protokoll hochladen asks
/ja first, /protokoll ersetzen publishes a new version (Fassung), /protokoll #N fassung 2
sends an earlier one, /protokoll genehmigt records the AG's approval.

Every publication is a ``ProtocolVersion`` with its own documents; the first one dates the
protocol (its deadline), later ones say which version they replace.
"""

from __future__ import annotations

from core.i18n import N_
from core.messages import IncomingFile, Reply, ReplyBuilder, Value, bold
from core.timefmt import format_moment
from handlers.protocols.delivery import deliver
from handlers.protocols.texts import (
    VERSION_LINE,
    build_document,
    end_minutes_command,
    local_day,
    meeting_day,
    outgoing,
    protocol_word,
    render_files,
)
from handlers.protocols.uploads import checked_files, stored_files
from handlers.shared.context import Context
from handlers.shared.questions import ask_yes_no
from storage import protocol_versions, protocols
from storage.models import (
    Meeting,
    Protocol,
    ProtocolEntryKind,
    ProtocolStatus,
    ProtocolVersion,
    WorkingGroup,
)
from storage.protocols import DocumentFile

_DELIVERED_TO = N_(
    "It goes to every chat of the AG and to everyone who asked for it. Answer {yes} or {no} "
    "within 5 minutes."
)


def _heading(context: Context, meeting: Meeting, group: WorkingGroup) -> dict[str, Value]:
    return {
        "title": bold(meeting.title),
        "number": meeting.number,
        "day": meeting_day(context, meeting, group),
    }


def _answer_words(context: Context) -> dict[str, Value]:
    return {"yes": context.command_word("ja"), "no": context.command_word("nein")}


def _names(files: list[tuple[IncomingFile, str]]) -> str:
    return ", ".join(file.name for file, _ in files)


async def publish_version(
    context: Context,
    group: WorkingGroup,
    meeting: Meeting,
    protocol: Protocol,
    uploaded: list[tuple[IncomingFile, str]] | None = None,
) -> Reply:
    """The protocol's next version, from the uploaded files or rendered from the minutes,
    stored and handed out."""
    now = context.now()
    first = protocol.status is not ProtocolStatus.PUBLISHED
    if first:
        protocol.status = ProtocolStatus.PUBLISHED
        protocol.published_at = now
        protocol.published_by = context.person.id
    version = await protocol_versions.add(
        context.session, protocol, now, context.person.id, from_minutes=uploaded is None
    )
    files: list[DocumentFile]
    if uploaded is None:
        document = await build_document(context, group, meeting, protocol, version)
        files = render_files(document, group, meeting)
    else:
        files = stored_files(group, meeting, uploaded, version.number)
    await protocols.set_documents(context.session, protocol.id, files, version.number)
    return await deliver(context, group, meeting, version, files)


# --- uploading -------------------------------------------------------------------------------


async def upload(context: Context, group: WorkingGroup, meeting: Meeting, args: str) -> Reply:
    accepted = checked_files(context, meeting, "upload")
    if meeting.starts_at > context.now():
        raise context.refuse("Meeting #{number} has not taken place yet.", number=meeting.number)
    protocol = await protocols.of_meeting(context.session, meeting.id)
    if protocol is not None and protocol.status is ProtocolStatus.PUBLISHED:
        raise context.refuse(
            "The protocol of #{number} is published already. A new version replaces it: {command}",
            number=meeting.number,
            command=f"{protocol_word(context, 'replace')} {meeting.number}",
        )
    if protocol is not None and protocol.status is ProtocolStatus.RUNNING:
        raise context.refuse(
            "The minutes of #{number} are still running. End them first with {command}.",
            number=meeting.number,
            command=end_minutes_command(context),
        )
    if not context.confirmed:
        return await _ask_upload(context, group, meeting, protocol, accepted, args)
    if protocol is None:
        protocol = await protocols.create(context.session, meeting, ProtocolStatus.DRAFT)
    return await publish_version(context, group, meeting, protocol, accepted)


async def _ask_upload(
    context: Context,
    group: WorkingGroup,
    meeting: Meeting,
    protocol: Protocol | None,
    accepted: list[tuple[IncomingFile, str]],
    args: str,
) -> Reply:
    """Which meeting, which day, and what becomes of a draft: a wrong file is easily sent."""
    reply = context.reply(
        "Publish {names} as the protocol of {title} (#{number}, {day})?",
        names=_names(accepted),
        **_heading(context, meeting, group),
    )
    lines = await protocols.entries(context.session, protocol.id) if protocol else []
    count = sum(1 for row in lines if row.entry.kind is not ProtocolEntryKind.TOPIC)
    if lines:
        reply.add(
            context.tn(
                "A draft with {count} entry was taken in the chat for this meeting; the file "
                "replaces it as the protocol.",
                "A draft with {count} entries was taken in the chat for this meeting; the file "
                "replaces it as the protocol.",
                count,
            ),
            count=count,
        )
    else:
        reply.add(context.t("No minutes were taken in the chat for this meeting."))
    reply.add(context.t(_DELIVERED_TO), **_answer_words(context))
    return await ask_yes_no(
        context,
        reply,
        command="protokoll",
        argument=args,
        yes_label=context.t("Yes, publish"),
        keep_files=True,
    )


# --- replacing -------------------------------------------------------------------------------


async def _published(context: Context, meeting: Meeting) -> tuple[Protocol, ProtocolVersion]:
    """The meeting's published protocol and its current version; refuses for any other."""
    protocol = await protocols.of_meeting(context.session, meeting.id)
    current = (
        await protocol_versions.latest(context.session, protocol.id)
        if protocol is not None and protocol.status is ProtocolStatus.PUBLISHED
        else None
    )
    if protocol is None or current is None:
        raise context.refuse(
            "The protocol of #{number} is not published yet. Publish it with {publish}, or "
            "upload a file with {upload}.",
            number=meeting.number,
            publish=f"{protocol_word(context, 'publish')} {meeting.number}",
            upload=f"{protocol_word(context, 'upload')} {meeting.number}",
        )
    return protocol, current


async def replace(context: Context, group: WorkingGroup, meeting: Meeting, args: str) -> Reply:
    """A new version: the attached file, or without a file the (corrected) minutes."""
    protocol, current = await _published(context, meeting)
    accepted = checked_files(context, meeting, "replace") if context.message.files else None
    if accepted is None and not await protocols.entries(context.session, protocol.id):
        raise context.refuse(
            "No minutes were taken for #{number}, so a new version needs a file: attach it as "
            "PDF or DOCX to {command}.",
            number=meeting.number,
            command=f"{protocol_word(context, 'replace')} {meeting.number}",
        )
    if context.confirmed:
        return await publish_version(context, group, meeting, protocol, accepted)
    reply = context.reply(
        "Replace version {version} of the protocol of {title} (#{number}, {day}), published "
        "{when}?",
        version=current.number,
        when=format_moment(current.published_at, context.language, group.timezone),
        **_heading(context, meeting, group),
    )
    if accepted is not None:
        reply.add(
            context.t("Version {next}: {names}"), next=current.number + 1, names=_names(accepted)
        )
    else:
        since = await protocol_versions.corrected_since(
            context.session, protocol.id, current.published_at
        )
        reply.add(
            context.tn(
                "Version {next}: the minutes as they are now ({count} correction since "
                "version {version}).",
                "Version {next}: the minutes as they are now ({count} corrections since "
                "version {version}).",
                since,
            ),
            next=current.number + 1,
            count=since,
            version=current.number,
        )
    reply.add(
        context.t("Version {version} stays retrievable with {command}."),
        version=current.number,
        command=_version_command(context, meeting, current.number),
    )
    reply.add(context.t(_DELIVERED_TO), **_answer_words(context))
    return await ask_yes_no(
        context,
        reply,
        command="protokoll",
        argument=args,
        yes_label=context.t("Yes, replace"),
        keep_files=True,
    )


def _version_command(context: Context, meeting: Meeting, number: int) -> str:
    """``/protokoll 3 fassung 1`` (``/protocol 3 version 1``)."""
    word = "fassung" if context.language == "de" else "version"
    return f"{context.command_word('protokoll')} {meeting.number} {word} {number}"


# --- earlier versions ------------------------------------------------------------------------


async def version_lines(
    context: Context, group: WorkingGroup, protocol: Protocol, meeting: Meeting, reply: ReplyBuilder
) -> None:
    """Under a published protocol: which version it is and how to get the earlier ones."""
    current = await protocol_versions.latest(context.session, protocol.id)
    if current is None or current.number == 1:
        return
    replaced = await protocol_versions.get(context.session, protocol.id, current.number - 1)
    assert replaced is not None
    reply.add(
        context.t(VERSION_LINE),
        number=current.number,
        date=local_day(context, replaced.published_at, group),
    )
    reply.add(
        context.t("Earlier versions: {command}"),
        command=_version_command(context, meeting, current.number - 1),
    )


async def send_version(
    context: Context, group: WorkingGroup, meeting: Meeting, number: int
) -> Reply:
    protocol, current = await _published(context, meeting)
    version = await protocol_versions.get(context.session, protocol.id, number)
    if version is None:
        raise context.refuse(
            "The protocol of #{meeting} has no version {number}; it has versions 1 to {last}.",
            meeting=meeting.number,
            number=number,
            last=current.number,
        )
    reply = context.reply(
        "Protocol of {title} (#{number}, {day}), version {version} of {last}, published {when}:",
        version=version.number,
        last=current.number,
        when=format_moment(version.published_at, context.language, group.timezone),
        **_heading(context, meeting, group),
    )
    if version.number < current.number:
        reply.add(
            context.t("Replaced by version {version}: {command}"),
            version=current.number,
            command=_version_command(context, meeting, current.number),
        )
    files = await protocols.documents(context.session, protocol.id, version.number)
    reply.files.extend(outgoing(files))
    return reply.build()


# --- approving -------------------------------------------------------------------------------


async def approve(context: Context, group: WorkingGroup, meeting: Meeting) -> Reply:
    """The AG approved the protocol: stored with the day, shown in the rendered document."""
    protocol, current = await _published(context, meeting)
    if protocol.approved_at is not None:
        raise context.refuse(
            "The protocol of #{number} was approved already on {day}.",
            number=meeting.number,
            day=local_day(context, protocol.approved_at, group),
        )
    if current.from_minutes and await protocol_versions.corrected_since(
        context.session, protocol.id, current.published_at
    ):
        # The AG approves what it has read; corrections since then are published first.
        raise context.refuse(
            "The minutes of #{number} have corrections that are not published yet. Publish "
            "them first with {command}, then approve the new version.",
            number=meeting.number,
            command=f"{protocol_word(context, 'replace')} {meeting.number}",
        )
    protocol.approved_at = current.approved_at = context.now()
    current.approved_by = context.person.id
    reply = context.reply(
        "✅ The protocol of {title} (#{number}, {day}) is approved, on {today}.",
        today=local_day(context, protocol.approved_at, group),
        **_heading(context, meeting, group),
    )
    if current.from_minutes:
        # The same version, now saying "Genehmigt am …"; later requests get this one.
        document = await build_document(context, group, meeting, protocol, current)
        files = render_files(document, group, meeting)
        await protocols.set_documents(context.session, protocol.id, files, current.number)
        reply.files.extend(outgoing(files))
    else:
        reply.add(
            context.t("The uploaded file stays as it is; the list of protocols shows the approval.")
        )
    return reply.build()
