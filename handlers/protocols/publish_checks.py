"""What a protocol should have before it is published: someone present and a chair.

A protocol without them is rarely what the AG wants to release, so ``/protokoll freigeben``
asks ``/ja`` first (``handlers.shared.questions``) instead of publishing at once.
"""

from __future__ import annotations

from core.messages import Reply, bold
from handlers.protocols.texts import meeting_day
from handlers.shared.context import Context
from handlers.shared.questions import ask_yes_no
from storage import protocols
from storage.models import Meeting, Protocol, WorkingGroup


async def ask_before_publishing(
    context: Context, group: WorkingGroup, meeting: Meeting, protocol: Protocol
) -> Reply | None:
    """The question to confirm when the protocol lacks presence or a chair; None when it
    lacks nothing or the person confirmed already."""
    if context.confirmed:
        return None
    gaps = []
    if not await protocols.present(context.session, protocol.id):
        gaps.append(context.t("⚠ Nobody is recorded as present."))
    if protocol.chair_id is None:
        gaps.append(context.t("⚠ No chair is set."))
    if not gaps:
        return None
    reply = context.reply(
        "Before the protocol of {title} (#{number}, {day}) is published:",
        title=bold(meeting.title),
        number=meeting.number,
        day=meeting_day(context, meeting, group),
    )
    for gap in gaps:
        reply.add("{gap}", gap=gap)
    reply.add(
        context.t("Publish it anyway? Answer {yes} or {no} within 5 minutes."),
        yes=context.command_word("ja"),
        no=context.command_word("nein"),
    )
    return await ask_yes_no(
        context,
        reply,
        command="protokoll",
        argument=f"freigeben {meeting.number}",
        yes_label=context.t("Yes, publish"),
    )
