"""Clashes: meetings planned or moved onto a time when the AG already meets, or when another
AG that the planner coordinates does.

A clash is told, not refused: two meetings at once can be meant (a working session during
a plenum's break), and the coordinator decides. Meetings that only touch (one ends when the
other starts) do not clash.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from core.i18n import N_
from core.messages import Reply, ReplyBuilder
from handlers.meetings.series import extend_series
from handlers.meetings.texts import start_text
from handlers.shared.context import Context
from storage import groups, meetings
from storage.meetings import UpcomingMeeting
from storage.models import Meeting, Role, WorkingGroup

# A series planned onto a weekly appointment clashes every week: name the first few.
MAX_NAMED = 5


def _end(meeting: Meeting) -> datetime:
    return meeting.starts_at + timedelta(minutes=meeting.duration_minutes)


async def _compared_groups(context: Context, group: WorkingGroup) -> list[int]:
    """The AG itself and every other AG that the planner coordinates."""
    mine = await groups.groups_of_person(context.session, context.person.id)
    return sorted({group.id} | {other.id for other, role in mine if role is Role.COORDINATOR})


async def find_clashes(
    context: Context, group: WorkingGroup, planned: list[Meeting]
) -> list[tuple[Meeting, UpcomingMeeting]]:
    """(planned meeting, meeting it overlaps) for each clash, in the order of time."""
    if not planned:
        return []
    group_ids = await _compared_groups(context, group)
    # A series of another AG may not be planned as far ahead yet as the new one.
    await extend_series(context.session, group_ids, context.now())
    start = min(meeting.starts_at for meeting in planned)
    end = max(_end(meeting) for meeting in planned)
    others = await meetings.overlapping(context.session, group_ids, start, end)
    ours = {meeting.id for meeting in planned}
    return [
        (meeting, other)
        for meeting in planned
        for other in others
        if other.meeting.id not in ours
        and other.meeting.starts_at < _end(meeting)
        and meeting.starts_at < _end(other.meeting)
    ]


async def warn_of_clashes(
    context: Context, group: WorkingGroup, planned: list[Meeting], reply: Reply
) -> Reply:
    """The reply with a warning line per clash for the planner.

    Only the reply to the planner carries them: the invitation that goes to the AG's other
    chats stays as it is, and another AG's meetings are the planner's business.
    """
    clashes = await find_clashes(context, group, planned)
    if not clashes:
        return reply
    warning = ReplyBuilder()
    for meeting, other in clashes[:MAX_NAMED]:
        warning.add(
            context.t(
                "⚠ #{number} overlaps with a meeting of {group}: {title} (#{other}) on {when}"
            ),
            number=meeting.number,
            group=other.group_name,
            title=other.meeting.title,
            other=other.meeting.number,
            when=start_text(context, other.meeting, other.timezone),
        )
    if len(clashes) > MAX_NAMED:
        warning.add(
            context.tn(
                "… and {count} more clash", "… and {count} more clashes", len(clashes) - MAX_NAMED
            ),
            count=len(clashes) - MAX_NAMED,
        )
    clashing = {meeting.number for meeting, _ in clashes}
    hint = (
        N_("The meeting stays planned; to move it: {command} move {number} <when>")
        if len(clashing) == 1
        else N_("The meetings stay planned; to move one: {command} move {number} <when>")
    )
    warning.add(context.t(hint), command=context.command_word("termin"), number=min(clashing))
    return replace(reply, lines=reply.lines + tuple(warning.lines))
