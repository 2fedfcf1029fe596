"""Shared pieces of the protocol commands: the document built from the minutes, its files,
the deadline and the status as people read them."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.file_names import ascii_name
from core.i18n import N_, Translator
from core.messages import OutgoingFile, Reply, bold, fmt
from core.timefmt import format_day, format_moment, format_time
from documents import protocol as doc
from documents.protocol_docx import render_docx
from documents.protocol_pdf import render_pdf
from handlers.meetings.texts import ALL_DAY, start_text, where_text
from handlers.shared.context import Context
from handlers.tasks.texts import due_text
from storage import meetings, protocol_versions, protocols, tasks
from storage.models import (
    Answer,
    Meeting,
    Person,
    Protocol,
    ProtocolEntryKind,
    ProtocolStatus,
    ProtocolVersion,
    WorkingGroup,
)
from storage.protocols import DocumentFile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ENTRY_KINDS = {
    ProtocolEntryKind.INFO: doc.EntryKind.INFO,
    ProtocolEntryKind.DECISION: doc.EntryKind.DECISION,
    ProtocolEntryKind.ACTION: doc.EntryKind.ACTION,
}
# The start of a protocol file's name ("Protokoll_…").
_FILE_PREFIX = N_("Protocol")
# Before the number of a later version in a file's name ("…_Fassung-2").
_VERSION_SUFFIX = N_("Version")
# Said wherever a later version of a protocol goes out.
VERSION_LINE = N_("Version {number}, replaces the version of {date}.")
STATUS_NAMES = {
    ProtocolStatus.RUNNING: N_("minutes running"),
    ProtocolStatus.DRAFT: N_("draft"),
    ProtocolStatus.PUBLISHED: N_("published"),
}


@dataclass(frozen=True)
class Minutes:
    """The AG's running minutes (None: none run) and the stale ones just ended, if any."""

    protocol: Protocol | None = None
    meeting: Meeting | None = None
    ended: Meeting | None = None


async def running_minutes(context: Context, group: WorkingGroup) -> Minutes:
    """The AG's running minutes; minutes that outlived their meeting become a draft now.

    Call it before anything else reads the minutes: ending them here (and telling the chat
    with ``told``) happens once, in the first command that commits afterwards.
    """
    protocol = await protocols.running_for_group(context.session, group.id)
    if protocol is None:
        return Minutes()
    meeting = await context.session.get(Meeting, protocol.meeting_id)
    assert meeting is not None
    until = protocols.running_until(meeting, group)
    if context.now() < until:
        return Minutes(protocol, meeting)
    protocol.status = ProtocolStatus.DRAFT
    protocol.ended_at = until
    await context.session.flush()
    return Minutes(ended=meeting)


def told(context: Context, minutes: Minutes, reply: Reply) -> Reply:
    """``reply``, headed by the news that stale minutes were ended (if they were)."""
    if minutes.ended is None:
        return reply
    notice = fmt(
        context.t(
            "The minutes of {title} (#{number}) were ended automatically after the meeting; "
            "the protocol is a draft now."
        ),
        title=bold(minutes.ended.title),
        number=minutes.ended.number,
    )
    return replace(reply, lines=(*notice, (), *reply.lines))


def due_text_of(context: Context, meeting: Meeting, group: WorkingGroup) -> str:
    """``Mi, 01.04.2026``: the day the meeting's protocol is due."""
    return format_day(protocols.due_day(meeting, group), context.language)


def is_overdue(context: Context, meeting: Meeting, group: WorkingGroup) -> bool:
    return context.now() > protocols.due_end(meeting, group)


def is_late(
    context: Context, meeting: Meeting, group: WorkingGroup, protocol: Protocol | None
) -> bool:
    """Not published, and past its due day: marked ⚠ in lists and the weekly overview."""
    published = protocol is not None and protocol.status is ProtocolStatus.PUBLISHED
    return not published and is_overdue(context, meeting, group)


def meeting_day(context: Context, meeting: Meeting, group: WorkingGroup) -> str:
    """``Di, 07.04.2026``: the meeting's day in the AG's time zone."""
    return local_day(context, meeting.starts_at, group)


def local_day(context: Context, moment: datetime, group: WorkingGroup) -> str:
    """``Di, 07.04.2026``: the day of ``moment`` in the AG's time zone."""
    return format_day(moment.astimezone(ZoneInfo(group.timezone)).date(), context.language)


def requests_suffix(context: Context, count: int) -> str:
    """`` · 2 offene Anforderungen`` after a meeting's line; nothing without requests."""
    if not count:
        return ""
    return " · " + context.tn("{count} open request", "{count} open requests", count).format(
        count=count
    )


def status_text(
    context: Context, meeting: Meeting, group: WorkingGroup, protocol: Protocol | None
) -> str:
    """``veröffentlicht am …``, ``Entwurf``, ``noch nicht begonnen`` – with ``überfällig``."""
    if protocol is not None and protocol.status is ProtocolStatus.PUBLISHED:
        assert protocol.published_at is not None
        published = context.t("published {when}").format(
            when=format_moment(protocol.published_at, context.language, group.timezone)
        )
        if protocol.approved_at is None:
            return published
        return context.t("{status}, approved on {day}").format(
            status=published, day=local_day(context, protocol.approved_at, group)
        )
    if protocol is None:
        status = context.t("not started")
    elif protocol.status is ProtocolStatus.RUNNING and context.now() >= protocols.running_until(
        meeting, group
    ):
        # Stale minutes are a draft (``running_minutes`` ends them when a command touches them).
        status = context.t(STATUS_NAMES[ProtocolStatus.DRAFT])
    else:
        status = context.t(STATUS_NAMES[protocol.status])
    if is_overdue(context, meeting, group):
        return context.t("{status}, overdue since {due}").format(
            status=status, due=due_text_of(context, meeting, group)
        )
    return context.t("{status}, due {due}").format(
        status=status, due=due_text_of(context, meeting, group)
    )


async def build_document(
    context: Context,
    group: WorkingGroup,
    meeting: Meeting,
    protocol: Protocol,
    version: ProtocolVersion | None = None,
) -> doc.Protocol:
    """The protocol document from the minutes, in the AG's language.

    Without ``version`` it is the draft; with it, that published version (the one it
    replaces and the AG's approval included).
    """
    session = context.session
    translator = Translator(group.language)
    language = translator.language
    zone = group.timezone
    names: dict[int, str] = {}

    async def name_of(person_id: int | None) -> str | None:
        if person_id is None:
            return None
        if person_id not in names:
            person = await session.get(Person, person_id)
            names[person_id] = person.display_name if person else "?"
        return names[person_id]

    # Texts in the AG's language, whoever asked for the document.
    own = replace(context, translator=translator, _refs={})
    topics: list[doc.Topic] = [doc.Topic(0, "")]
    topic_entries: dict[int, list[doc.Entry]] = {0: []}
    decisions: list[doc.Entry] = []
    items: list[doc.ActionItemRow] = []
    for row in await protocols.entries(session, protocol.id):
        entry = row.entry
        if entry.kind is ProtocolEntryKind.TOPIC:
            topics.append(doc.Topic(entry.number, entry.text))
            topic_entries[entry.number] = []
            continue
        assignees: tuple[str, ...] = ()
        due: str | None = None
        if entry.item_id is not None:
            item = await tasks.get_item(session, entry.item_id)
            if item is not None:
                assignees = tuple(name for _, name in await tasks.assignees_of(session, item.id))
                if item.due_at is not None:
                    due = due_text(own, item.due_at, item.due_all_day, group)
                items.append(doc.ActionItemRow(item.id, item.text, assignees, due))
        made = doc.Entry(
            number=entry.number,
            kind=_ENTRY_KINDS[entry.kind],
            text=entry.text,
            author=row.author_name or "?",
            at=entry.at.astimezone(ZoneInfo(zone)),
            assignees=assignees,
            due=due,
            item_number=entry.item_id,
            corrected=entry.corrected_at is not None,
        )
        # An entry whose TOP is gone (never expected) stays in the protocol, before the TOPs.
        topic_entries.get(entry.topic, topic_entries[0]).append(made)
        if entry.kind is ProtocolEntryKind.DECISION:
            decisions.append(made)
    finished = [
        doc.Topic(topic.number, topic.title, tuple(topic_entries.get(topic.number, ())))
        for topic in topics
        if topic.number or topic_entries[0]
    ]
    present_rows = await protocols.present(session, protocol.id)
    present_ids = {pid for pid, _ in present_rows}
    attendees = await meetings.attendees(session, meeting)
    excused = [
        a.name_with_reason
        for a in attendees
        if a.answer is Answer.NO and a.person_id not in present_ids
    ]
    absent = [
        a.display_name
        for a in attendees
        if a.answer is not Answer.NO and a.person_id not in present_ids
    ]
    end = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
    following = await meetings.upcoming(session, [group.id], end, limit=1)
    return doc.Protocol(
        language=language,
        group_name=group.name,
        meeting_title=meeting.title,
        meeting_number=meeting.number,
        date=format_day(meeting.starts_at.astimezone(ZoneInfo(zone)).date(), language),
        # An all-day meeting has no hours: midnight to midnight would read as a time.
        time=own.t(ALL_DAY)
        if meeting.all_day
        else f"{format_time(meeting.starts_at, 'en', zone)}–{format_time(end, language, zone)}",
        place=where_text(own, meeting),
        chair=await name_of(protocol.chair_id),
        minute_taker=await name_of(protocol.minute_taker_id),
        present=tuple(name for _, name in present_rows),
        excused=tuple(excused),
        absent=tuple(absent),
        topics=tuple(finished),
        decisions=tuple(decisions),
        action_items=tuple(items),
        next_meeting=(start_text(own, following[0].meeting, zone) if following else None),
        **await _release(own, group, protocol, version),
        guests=tuple(await protocols.guests(own.session, protocol.id)),
    )


async def _release(
    own: Context, group: WorkingGroup, protocol: Protocol, version: ProtocolVersion | None
) -> dict[str, Any]:
    """The document's fields on its publication, approval and corrections."""
    language, zone = own.language, group.timezone
    changes = tuple(
        doc.Change(
            number=row.number,
            topic=row.topic,
            before=row.before,
            after=row.after,
            at=format_moment(row.corrected_at, language, zone),
            by=row.corrected_by or "?",
        )
        for row in await protocol_versions.corrections(own.session, protocol.id)
    )
    if version is None:
        return {"published_at": None, "changes": changes}
    replaced = (
        await protocol_versions.get(own.session, protocol.id, version.number - 1)
        if version.number > 1
        else None
    )
    return {
        "published_at": format_moment(version.published_at, language, zone),
        "version": version.number,
        "replaces": local_day(own, replaced.published_at, group) if replaced else None,
        "approved_at": (
            local_day(own, protocol.approved_at, group) if protocol.approved_at else None
        ),
        "changes": changes,
    }


def file_stem(
    translator: Translator, group: WorkingGroup, meeting: Meeting, version: int = 1
) -> str:
    """``Protokoll_AG-Innenstadt_1_2026-03-27``: a name every file system accepts.

    A later version ends in ``_Fassung-2``, so it never overwrites the earlier file.
    """
    day = meeting.starts_at.astimezone(ZoneInfo(group.timezone)).date()
    name = ascii_name(group.name, "AG")
    stem = f"{translator.t(_FILE_PREFIX)}_{name}_{meeting.number}_{day:%Y-%m-%d}"
    if version > 1:
        suffix = ascii_name(translator.t(_VERSION_SUFFIX), "Version")
        stem = f"{stem}_{suffix}-{version}"
    return stem


def render_files(
    document: doc.Protocol, group: WorkingGroup, meeting: Meeting
) -> list[DocumentFile]:
    """The protocol as PDF and DOCX, in the AG's language."""
    translator = Translator(group.language)
    stem = file_stem(translator, group, meeting, document.version)
    if document.published_at is None:
        stem = f"{stem}_{translator.t('draft')}"
    return [
        DocumentFile(f"{stem}.pdf", PDF, render_pdf(document, translator)),
        DocumentFile(f"{stem}.docx", DOCX, render_docx(document, translator)),
    ]


def delivery_payload(version: int) -> str | None:
    """What a delivery row carries: the version it sends (none for version 1, as always)."""
    return None if version == 1 else json.dumps({"version": version})


def delivered_version(payload: str | None) -> int:
    """The version a delivery row sends."""
    if payload is None:
        return 1
    return int(json.loads(payload).get("version", 1))


def outgoing(files: list[DocumentFile]) -> tuple[OutgoingFile, ...]:
    return tuple(OutgoingFile(f.name, f.content, f.mime_type) for f in files)


_SUBCOMMANDS = {
    "correct": ("korrektur", "correct"),
    "publish": ("freigeben", "publish"),
    "upload": ("hochladen", "upload"),
    "replace": ("ersetzen", "replace"),
    "approve": ("genehmigt", "approved"),
}


def protocol_word(context: Context, which: str) -> str:
    """``/protokoll freigeben`` (``/protocol publish``) in the reader's language."""
    german, english = _SUBCOMMANDS[which]
    return f"{context.command_word('protokoll')} {german if context.language == 'de' else english}"


def end_minutes_command(context: Context) -> str:
    """``/sitzung ende`` (``/minutes end``) in the reader's language."""
    return f"{context.command_word('sitzung')} {'ende' if context.language == 'de' else 'end'}"
