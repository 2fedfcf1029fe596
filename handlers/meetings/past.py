"""/termine vergangen [Zeitraum]: the meetings that took place (or were cancelled), latest
first; without a period the last ten, in a private chat those of all the person's AGs."""

from __future__ import annotations

from core.i18n import N_
from core.messages import Reply, bold
from handlers.meetings.texts import start_text, where_text
from handlers.shared.context import Context
from handlers.shared.time_input import read_period
from storage import meetings
from storage.models import MeetingStatus

PAST_WORDS = {"vergangen", "vergangene", "vergangenen", "frueher", "früher", "past"}
# Without a period: this many of the latest meetings.
PAST_LIST_LENGTH = 10
_CANCELLED = N_(" (cancelled)")


async def past_meetings(context: Context, text: str) -> Reply:
    if context.is_private:
        group_ids = await meetings.group_ids_of_person(context.session, context.person.id)
        zone = context.settings.timezone
    else:
        group = context.require_group()
        group_ids, zone = [group.id], group.timezone
    now = context.now()
    if text:
        period = read_period(context, text, zone)
        since, until = period.moments(zone)
        found = await meetings.past(
            context.session, group_ids, min(now, until), since=since, limit=None
        )
        label = f" · {period.label(context.language)}"
    else:
        found = await meetings.past(context.session, group_ids, now, limit=PAST_LIST_LENGTH)
        label = ""
    if not found:
        return context.reply("No past meetings{period}.", period=label).build()
    if context.is_private:
        reply = context.reply("Your past meetings{period}:", period=label)
    else:
        reply = context.reply(
            "Past meetings of {group}{period}:",
            group=bold(context.require_group().name),
            period=label,
        )
    for item in found:
        meeting = item.meeting
        cancelled = meeting.status == MeetingStatus.CANCELLED
        reply.add(
            "#{number} {when}: {title}{group}{state} – {where}",
            number=meeting.number,
            when=start_text(context, meeting, item.timezone),
            title=bold(meeting.title),
            group=f" [{item.group_name}]" if context.is_private else "",
            state=context.t(_CANCELLED) if cancelled else "",
            where=where_text(context, meeting),
        )
    return reply.build()
