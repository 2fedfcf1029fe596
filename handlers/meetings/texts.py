"""Shared pieces of the meeting commands: finding #N, describing a meeting, invitations."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo

import holidays

from core.i18n import N_
from core.messages import ChatRef, Choice, Delivery, Reply, ReplyBuilder, bold
from core.timefmt import format_day, format_length, format_moment
from handlers.shared.context import Context
from handlers.shared.numbers import meeting_number
from handlers.shared.states import DEFAULT_STATE
from handlers.tasks.texts import open_items_top
from storage import groups, meetings
from storage.models import Meeting, MeetingFormat, WorkingGroup

FORMAT_NAMES = {
    MeetingFormat.IN_PERSON: N_("in person"),
    MeetingFormat.DIGITAL: N_("digital"),
    MeetingFormat.HYBRID: N_("hybrid"),
}
ALL_DAY = N_("all day")
LINK_FOLLOWS = N_("link follows")


async def find_meeting(context: Context, group: WorkingGroup, word: str) -> Meeting:
    number = meeting_number(word)
    meeting = await meetings.by_number(context.session, group.id, number) if number else None
    if meeting is None:
        raise context.refuse(
            "There is no meeting {number} in {group}. The upcoming ones: {meetings}",
            number=word,
            group=group.name,
            meetings=context.command_word("termine"),
        )
    return meeting


def start_text(context: Context, meeting: Meeting, zone: str) -> str:
    """``Di, 07.04.2026, 14:00 Uhr``; an all-day meeting ``Do, 07.05.2026, ganztägig``."""
    if meeting.all_day:
        day = format_day(meeting.starts_at.astimezone(ZoneInfo(zone)).date(), context.language)
        return f"{day}, {context.t(ALL_DAY)}"
    return format_moment(meeting.starts_at, context.language, zone)


def when_text(context: Context, meeting: Meeting, zone: str, notes: str = "") -> str:
    """``Di, 07.04.2026, 14:00 Uhr (1,5 Std.)``; with notes ``… (KW 15, 1,5 Std.)``; all day
    ``Do, 07.05.2026 (ganztägig)``."""
    noted = f"{notes}, " if notes else ""
    if meeting.all_day:
        day = format_day(meeting.starts_at.astimezone(ZoneInfo(zone)).date(), context.language)
        return f"{day} ({noted}{context.t(ALL_DAY)})"
    moment = format_moment(meeting.starts_at, context.language, zone)
    return f"{moment} ({noted}{format_length(meeting.duration_minutes, context.language)})"


def where_text(context: Context, meeting: Meeting) -> str:
    """``Präsenz, Rathaus``; ``digital, https://…``; before its link ``digital, Link folgt``."""
    parts = [context.t(FORMAT_NAMES[meeting.format])]
    parts += [part for part in (meeting.place, meeting.link) if part]
    if meeting.format is not MeetingFormat.IN_PERSON and not meeting.link:
        parts.append(context.t(LINK_FOLLOWS))
    return ", ".join(parts)


@cache
def _holiday_calendar(state: str, year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays(
        "DE", subdiv=state, years=year, language="de" if language == "de" else "en_US"
    )


def holiday_name(group: WorkingGroup, meeting: Meeting, language: str) -> str | None:
    """The public holiday the meeting falls on in the AG's state, if any."""
    day = meeting.starts_at.astimezone(ZoneInfo(group.timezone)).date()
    calendar = _holiday_calendar(group.state or DEFAULT_STATE, day.year, language)
    name = calendar.get(day)
    return str(name) if name else None


async def meeting_lines(
    context: Context,
    group: WorkingGroup,
    meeting: Meeting,
    reply: ReplyBuilder,
    notes: str = "",
) -> None:
    """Title, time (with ``notes`` such as the calendar week), place, holiday warning and
    agenda of one meeting."""
    reply.add("{title} (#{number})", title=bold(meeting.title), number=meeting.number)
    reply.add(
        "{when} – {where}",
        when=when_text(context, meeting, group.timezone, notes),
        where=where_text(context, meeting),
    )
    holiday = holiday_name(group, meeting, context.language)
    if holiday:
        reply.add(context.t("⚠ {holiday}, public holiday"), holiday=holiday)
    items = await meetings.agenda(context.session, meeting.id)
    open_tasks = ReplyBuilder()
    await open_items_top(context, group, open_tasks, len(items) + 1, meeting.starts_at)
    if items or open_tasks.lines:
        reply.add(context.t("Agenda:"))
        for item in items:
            reply.add("TOP {position}: {text}", position=item.position, text=item.text)
        reply.lines.extend(open_tasks.lines)


def answer_choices(context: Context, meeting: Meeting) -> list[Choice]:
    return [
        Choice(context.t("Attend"), f"{context.command_word('zusage')} {meeting.number}", "✅"),
        Choice(context.t("Decline"), f"{context.command_word('absage')} {meeting.number}", "❌"),
        Choice(context.t("Maybe"), f"{context.command_word('vielleicht')} {meeting.number}", "❔"),
    ]


async def other_chats(context: Context, group: WorkingGroup) -> list[ChatRef]:
    """The AG's other active chats, for invitations and changes."""
    here = context.message.chat
    return [
        ChatRef(binding.platform, binding.chat_id, False, binding.title)
        for binding in await groups.chats_of(context.session, group.id)
        if binding.active and (binding.platform, binding.chat_id) != (here.platform, here.chat_id)
    ]


async def announce(context: Context, group: WorkingGroup, reply: Reply) -> Reply:
    """The reply, and the same message for every other chat of the AG."""
    deliveries = tuple(Delivery(chat, reply) for chat in await other_chats(context, group))
    return Reply(reply.lines, reply.files, reply.choices, deliveries=deliveries)
