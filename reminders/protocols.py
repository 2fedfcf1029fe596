"""What the bot sends by itself about protocols: the coordinators' deadline reminders, the
published protocol for the AG's other chats and everyone who asked for it, and the digest's
overdue protocols."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import N_
from core.messages import ChatRef, ReplyBuilder, Value, bold, mention
from handlers.protocols.texts import (
    VERSION_LINE,
    delivered_version,
    due_text_of,
    is_late,
    local_day,
    meeting_day,
    outgoing,
    protocol_word,
    requests_suffix,
    status_text,
)
from handlers.shared.context import Context
from reminders.addressing import (
    Outgoing,
    Rendered,
    RenderEnvironment,
    address_of,
    bot_context,
    outgoing_to,
    reply_for,
)
from storage import groups, protocol_versions, protocols
from storage.models import (
    Meeting,
    MeetingStatus,
    ProtocolStatus,
    ProtocolVersion,
    Reminder,
    Role,
    WorkingGroup,
)
from storage.protocols import DocumentFile
from storage.reminders import DAY_BEFORE

log = logging.getLogger(__name__)
# The digest lists protocols of meetings up to this long ago that are overdue.
OVERDUE_WINDOW = timedelta(days=90)
_DUE_TEXTS = {
    DAY_BEFORE: N_("📝 {name}, the protocol of {title} (#{number}, {day}) is due tomorrow."),
    0: N_("📝 {name}, the protocol of {title} (#{number}, {day}) is due today."),
}


async def _meeting_and_group(
    session: AsyncSession, row: Reminder
) -> tuple[Meeting, WorkingGroup] | None:
    meeting = await session.get(Meeting, row.meeting_id) if row.meeting_id is not None else None
    if meeting is None or meeting.status is not MeetingStatus.SCHEDULED:
        return None
    group = await session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    return meeting, group


async def render_protocol_due(
    session: AsyncSession, env: RenderEnvironment, row: Reminder
) -> Rendered | None:
    """A coordinator is reminded that the protocol is due; nothing once it is published."""
    found = await _meeting_and_group(session, row)
    if found is None or row.person_id is None:
        return None
    meeting, group = found
    protocol = await protocols.of_meeting(session, meeting.id)
    if protocol is not None and protocol.status is ProtocolStatus.PUBLISHED:
        return None
    if await groups.role_in(session, group.id, row.person_id) is not Role.COORDINATOR:
        return None
    zone = ZoneInfo(group.timezone)
    reminded_on = row.due_at.astimezone(zone).date()
    due = protocols.due_day(meeting, group)
    if reminded_on + timedelta(days=row.offset_minutes) != due:
        return None  # the deadline moved (meeting or setting changed); its own rows remind
    today = env.clock.now().astimezone(zone).date()
    if today > due or (row.offset_minutes == DAY_BEFORE and today >= due):
        # Sent late (the bot was down): "due tomorrow" or "due today" would be wrong now.
        log.info("reminder %s withdrawn: the protocol's due day %s has passed it", row.id, due)
        return None
    address = await address_of(session, env, row, group)
    if address is None:
        return None
    context = bot_context(session, env, address.chat, group, address.person)
    reply = reply_for(context, env, row, group.timezone)
    private = address.account_id is not None
    reply.add(
        context.t(_DUE_TEXTS[row.offset_minutes]),
        name=address.person.display_name if private else mention(address.ref),
        title=bold(meeting.title),
        number=meeting.number,
        day=meeting_day(context, meeting, group),
    )
    if private:
        reply.add(context.t("AG: {group}"), group=group.name)
    reply.add(context.t("Status: {status}"), status=status_text(context, meeting, group, protocol))
    reply.add(
        context.t("Publish the minutes with {publish}, or upload a file with {upload}."),
        publish=f"{protocol_word(context, 'publish')} {meeting.number}",
        upload=f"{protocol_word(context, 'upload')} {meeting.number}",
    )
    return Rendered(outgoing_to(address, reply.build()))


async def render_protocol_delivery(
    session: AsyncSession, env: RenderEnvironment, row: Reminder
) -> Rendered | None:
    """The published protocol, as files, for another chat of the AG or a person who asked."""
    found = await _meeting_and_group(session, row)
    if found is None:
        return None
    meeting, group = found
    protocol = await protocols.of_meeting(session, meeting.id)
    if protocol is None or protocol.status is not ProtocolStatus.PUBLISHED:
        return None
    number = delivered_version(row.payload)
    files = await protocols.documents(session, protocol.id, number)
    replaced = await protocol_versions.get(session, protocol.id, number - 1) if number > 1 else None
    if row.person_id is None:
        return await _chat_copy(session, env, row, meeting, group, files, replaced)
    address = await address_of(session, env, row, group)
    if address is None or not files:
        return None
    context = bot_context(session, env, address.chat, group, address.person)
    reply = reply_for(context, env, row, group.timezone)
    heading: dict[str, Value] = {
        "title": bold(meeting.title),
        "number": meeting.number,
        "day": meeting_day(context, meeting, group),
    }
    if address.account_id is not None:
        reply.add(
            context.t("📄 {name}, here is the protocol you asked for: {title} (#{number}, {day})."),
            name=address.person.display_name,
            **heading,
        )
        reply.add(context.t("AG: {group}"), group=group.name)
        _version_line(context, reply, number, replaced, group)
        reply.files.extend(outgoing(files))
    else:
        # Not reachable privately: every chat of the AG gets the files when it is published.
        reply.add(
            context.t(
                "📄 {name}, the protocol you asked for is published: {title} (#{number}, {day}). "
                "{command} sends it again."
            ),
            name=mention(address.ref),
            command=f"{context.command_word('protokoll')} {meeting.number}",
            **heading,
        )
    return Rendered(outgoing_to(address, reply.build()))


async def _chat_copy(
    session: AsyncSession,
    env: RenderEnvironment,
    row: Reminder,
    meeting: Meeting,
    group: WorkingGroup,
    files: list[DocumentFile],
    replaced: ProtocolVersion | None,
) -> Rendered | None:
    """The announcement with the files for a chat of the AG (one still bound to it)."""
    if row.chat_platform is None or row.chat_id is None or not files:
        return None
    bound = any(
        binding.active and (binding.platform, binding.chat_id) == (row.chat_platform, row.chat_id)
        for binding in await groups.chats_of(session, group.id)
    )
    if not bound:
        log.info("reminder %s withdrawn: the chat no longer belongs to the AG", row.id)
        return None
    chat = ChatRef(row.chat_platform, row.chat_id, False)
    # A group chat speaks the AG's language, so every chat of the AG gets the same message.
    context = bot_context(session, env, chat, group, None)
    reply = reply_for(context, env, row, group.timezone)
    reply.add(
        context.t("📄 The protocol of {title} (#{number}, {day}) is published."),
        title=bold(meeting.title),
        number=meeting.number,
        day=meeting_day(context, meeting, group),
    )
    _version_line(context, reply, delivered_version(row.payload), replaced, group)
    reply.files.extend(outgoing(files))
    return Rendered(Outgoing(chat.platform, reply.build(), chat=chat))


def _version_line(
    context: Context,
    reply: ReplyBuilder,
    number: int,
    replaced: ProtocolVersion | None,
    group: WorkingGroup,
) -> None:
    """ "Fassung 2, ersetzt die Fassung vom …" for a later version; nothing for the first."""
    if replaced is not None:
        reply.add(
            context.t(VERSION_LINE),
            number=number,
            date=local_day(context, replaced.published_at, group),
        )


async def overdue_lines(
    context: Context, group: WorkingGroup, reply: ReplyBuilder, now: datetime
) -> None:
    """The digest's lines on the AG's overdue protocols (none: no lines)."""
    rows = await protocols.meetings_with_protocols(
        context.session, [group.id], now, since=now - OVERDUE_WINDOW
    )
    overdue = [row for row in rows if is_late(context, row.meeting, group, row.protocol)]
    if not overdue:
        return
    reply.add(context.t("Overdue protocols ({count}):"), count=len(overdue))
    for row in reversed(overdue):
        line = context.t("  ⚠ #{number} {title} ({day}) – due {due}").format(
            number=row.meeting.number,
            title=row.meeting.title,
            day=meeting_day(context, row.meeting, group),
            due=due_text_of(context, row.meeting, group),
        )
        reply.add("{line}", line=line + requests_suffix(context, row.open_requests))
