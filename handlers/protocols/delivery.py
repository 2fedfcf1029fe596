"""Handing a published version of a protocol out: the reply in this chat carries the files,
and one outbox row (``ReminderKind.PROTOCOL``) per other chat of the AG and per person who
asked for it, so a restart loses no copy.

A replacement (version 2 and on) goes the same way, to those who got the earlier version
as well, and says which version it replaces.
"""

from __future__ import annotations

from core.messages import Reply, Value, bold
from handlers.protocols.texts import (
    VERSION_LINE,
    delivery_payload,
    local_day,
    meeting_day,
    outgoing,
)
from handlers.shared.context import Context
from storage import groups, protocol_versions, protocols, reminders
from storage.models import Meeting, ProtocolVersion, ReminderKind, WorkingGroup
from storage.protocols import DocumentFile
from storage.reminders import PlannedReminder


async def deliver(
    context: Context,
    group: WorkingGroup,
    meeting: Meeting,
    version: ProtocolVersion,
    files: list[DocumentFile],
) -> Reply:
    """The documents for this chat, every other chat of the AG and everyone who asked."""
    now = context.now()
    session = context.session
    later = version.number > 1
    # A later version also goes to those who asked for an earlier one.
    requests = await protocols.open_requests(session, meeting.id, answered_too=later)
    here = context.message.chat
    chats = [
        binding
        for binding in await groups.chats_of(session, group.id)
        if binding.active and (binding.platform, binding.chat_id) != (here.platform, here.chat_id)
    ]
    stamp = now.strftime("%Y%m%dT%H%M%S")
    # Version 1 keeps the keys it always had; a later version is a copy of its own.
    tail = f":v{version.number}" if later else ""
    payload = delivery_payload(version.number)
    # The other chats' copies first: a request answered in a chat points to the files there.
    await reminders.add_missing(
        session,
        (
            PlannedReminder(
                key=f"protocol-chat:{meeting.id}:{binding.id}{tail}",
                kind=ReminderKind.PROTOCOL,
                due_at=now,
                group_id=group.id,
                chat_platform=binding.platform,
                chat_id=binding.chat_id,
                meeting_id=meeting.id,
                timezone=group.timezone,
                created_by=context.person.id,
                payload=payload,
            )
            for binding in chats
        ),
        now,
    )
    await reminders.add_missing(
        session,
        (
            PlannedReminder(
                key=f"protocol:{meeting.id}:{request.person_id}:{stamp}{tail}",
                kind=ReminderKind.PROTOCOL,
                due_at=now,
                group_id=group.id,
                person_id=request.person_id,
                chat_platform=request.chat_platform,
                chat_id=request.chat_id,
                meeting_id=meeting.id,
                timezone=group.timezone,
                created_by=context.person.id,
                payload=payload,
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
    if later:
        replaced = await protocol_versions.get(session, version.protocol_id, version.number - 1)
        assert replaced is not None
        reply.add(
            context.t(VERSION_LINE),
            number=version.number,
            date=local_day(context, replaced.published_at, group),
        )
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
