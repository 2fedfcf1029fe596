"""What a reminder says and where it goes, decided when it is sent (so it is current).

A meeting reminder goes to its chat with the meeting's details and current agenda; a
task reminder and a personal one go to the person (``reminders.addressing``); the digest
is ``reminders.digest``. A reminder whose subject is gone (meeting cancelled, task
closed) renders to nothing and is withdrawn.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import N_, Translator
from core.messages import ChatRef, Choice, bold, mention
from core.timefmt import format_day, format_moment
from handlers.meetings.texts import answer_choices, meeting_lines
from handlers.shared.context import Context
from handlers.tasks.texts import done_choice, due_text
from reminders.addressing import (
    TOO_LATE,
    UNREACHABLE,
    Address,
    Outgoing,
    Rendered,
    RenderEnvironment,
    Withdrawn,
    address_of,
    bot_context,
    outgoing_to,
    reply_for,
)
from reminders.announcements import render_announcement
from reminders.budget import render_budget
from reminders.digest import render_digest
from reminders.protocols import render_protocol_delivery, render_protocol_due
from reminders.recurrence import next_occurrence
from reminders.unassigned import render_unassigned
from storage.models import (
    ActionItem,
    Meeting,
    MeetingStatus,
    Person,
    Reminder,
    ReminderKind,
    TaskStatus,
    WorkingGroup,
)
from storage.reminders import DAY_BEFORE, PlannedReminder, planned_like

log = logging.getLogger(__name__)


async def render(
    session: AsyncSession, env: RenderEnvironment, row: Reminder
) -> Rendered | Withdrawn | None:
    """The message for ``row``; None when there is nothing to remind of any more, Withdrawn
    when there is and it cannot be sent."""
    if row.kind is ReminderKind.MEETING:
        return await _meeting(session, env, row)
    if row.kind is ReminderKind.TASK:
        return await _task(session, env, row)
    if row.kind is ReminderKind.PERSONAL:
        return await _personal(session, env, row)
    if row.kind is ReminderKind.PROTOCOL_DUE:
        return await render_protocol_due(session, env, row)
    if row.kind is ReminderKind.PROTOCOL:
        return await render_protocol_delivery(session, env, row)
    if row.kind is ReminderKind.BUDGET:
        return await render_budget(session, env, row)
    if row.kind is ReminderKind.ANNOUNCEMENT:
        return render_announcement(row)
    if row.kind is ReminderKind.UNASSIGNED:
        return await render_unassigned(session, env, row)
    return await render_digest(session, env, row)


# --- meetings ---------------------------------------------------------------------------------


def until_text(translator: Translator, minutes: int) -> str:
    """How long until something, as in "in 24 Stunden", "in 2 Tagen", "in 30 Minuten"."""
    if minutes >= 2880:
        days = round(minutes / 1440)
        return translator.tn("{count} day", "{count} days", days).format(count=days)
    if minutes >= 60 and (minutes % 60 == 0 or minutes >= 90):
        hours = round(minutes / 60)
        return translator.tn("{count} hour", "{count} hours", hours).format(count=hours)
    return translator.tn("{count} minute", "{count} minutes", minutes).format(count=minutes)


def _minutes_until(moment: datetime, now: datetime, timezone: str) -> int:
    """Minutes on the wall clock from now until ``moment`` (a DST change is not an hour)."""
    zone = ZoneInfo(timezone)
    gap = moment.astimezone(zone).replace(tzinfo=None) - now.astimezone(zone).replace(tzinfo=None)
    return math.ceil(gap.total_seconds() / 60)


_ALL_DAY_TEXTS = {
    0: N_("🔔 Reminder: {title} (#{number}) is today, all day."),
    1: N_("🔔 Reminder: {title} (#{number}) is tomorrow, all day."),
}
_ALL_DAY_LATER = N_("🔔 Reminder: {title} (#{number}) is on {day}, all day.")


def _days_until(moment: datetime, now: datetime, timezone: str) -> int:
    """Calendar days from today until ``moment``'s day in the AG's time zone."""
    zone = ZoneInfo(timezone)
    return (moment.astimezone(zone).date() - now.astimezone(zone).date()).days


async def _meeting(
    session: AsyncSession, env: RenderEnvironment, row: Reminder
) -> Rendered | Withdrawn | None:
    meeting = await session.get(Meeting, row.meeting_id) if row.meeting_id is not None else None
    if meeting is None or meeting.status is not MeetingStatus.SCHEDULED:
        return None
    now = env.clock.now()
    group = await session.get(WorkingGroup, meeting.group_id)
    assert group is not None and row.chat_platform is not None and row.chat_id is not None
    # An all-day meeting is still ahead on its own day; a timed one until it begins.
    days_ahead = _days_until(meeting.starts_at, now, group.timezone)
    if (days_ahead < 0) if meeting.all_day else (meeting.starts_at <= now):
        log.info(
            "reminder %s withdrawn: meeting %s began before it could go out", row.id, meeting.id
        )
        return Withdrawn(TOO_LATE)
    chat = ChatRef(row.chat_platform, row.chat_id, False)
    context = bot_context(session, env, chat, group, None)
    reply = reply_for(context, env, row, group.timezone)
    if meeting.all_day:
        reply.add(
            context.t(_ALL_DAY_TEXTS.get(days_ahead, _ALL_DAY_LATER)),
            title=bold(meeting.title),
            number=meeting.number,
            day=format_day(
                meeting.starts_at.astimezone(ZoneInfo(group.timezone)).date(), context.language
            ),
        )
    else:
        reply.add(
            context.t("🔔 Reminder: {title} (#{number}) begins in {time}."),
            title=bold(meeting.title),
            number=meeting.number,
            # From now, not the planned offset: a late 24-hour reminder may go out an hour before.
            time=until_text(
                context.translator, _minutes_until(meeting.starts_at, now, group.timezone)
            ),
        )
    await meeting_lines(context, group, meeting, reply)
    reply.choices.extend(answer_choices(context, meeting))
    return Rendered(Outgoing(chat.platform, reply.build(), chat=chat))


# --- tasks ------------------------------------------------------------------------------------

_TASK_TEXTS = {
    DAY_BEFORE: N_("🔔 {name}, a reminder: task #{number} {text} is due tomorrow ({due})."),
    0: N_("🔔 {name}, a reminder: task #{number} {text} is due today ({due})."),
}


async def _task(
    session: AsyncSession, env: RenderEnvironment, row: Reminder
) -> Rendered | Withdrawn | None:
    item = await session.get(ActionItem, row.item_id) if row.item_id is not None else None
    if item is None or item.status is not TaskStatus.OPEN or item.due_at is None:
        return None
    group = await session.get(WorkingGroup, item.group_id)
    assert group is not None
    address = await address_of(session, env, row, group)
    if address is None:
        return Withdrawn(UNREACHABLE)
    context = bot_context(session, env, address.chat, group, address.person)
    reply = reply_for(context, env, row, group.timezone)
    private = address.account_id is not None
    reply.add(
        context.t(_TASK_TEXTS[row.offset_minutes]),
        name=address.person.display_name if private else mention(address.ref),
        number=item.id,
        text=bold(item.text),
        due=due_text(context, item.due_at, item.due_all_day, group),
    )
    if private:
        reply.add(context.t("AG: {group}"), group=group.name)
    reply.choices.append(done_choice(context, item.id))
    return Rendered(outgoing_to(address, reply.build()))


# --- personal reminders -----------------------------------------------------------------------


def snooze_choices(context: Context, reminder_id: int) -> list[Choice]:
    word = context.command_word("schlummern")
    return [
        Choice(context.t("In 1 hour"), f"{word} {reminder_id} 1h"),
        Choice(context.t("Tomorrow"), f"{word} {reminder_id} 1d"),
    ]


async def _personal(
    session: AsyncSession, env: RenderEnvironment, row: Reminder
) -> Rendered | Withdrawn | None:
    group = await session.get(WorkingGroup, row.group_id) if row.group_id is not None else None
    creator = await session.get(Person, row.created_by) if row.created_by is not None else None
    address: Address | None = None
    if row.person_id is None:  # "/erinnere hier": for the chat
        assert row.chat_platform is not None and row.chat_id is not None
        chat = ChatRef(row.chat_platform, row.chat_id, False)
    else:
        address = await address_of(session, env, row, group)
        if address is None:
            return Withdrawn(UNREACHABLE)
        chat = address.chat
    context = bot_context(session, env, chat, group, address.person if address else None)
    reply = reply_for(context, env, row, row.timezone)
    if address is not None and address.account_id is None:
        reply.add(
            context.t("🔔 {name}, a reminder: {text}"), name=mention(address.ref), text=row.text
        )
    else:
        reply.add(context.t("🔔 Reminder: {text}"), text=row.text)
    if creator is not None and creator.id != row.person_id:
        reply.add(context.t("(from {name})"), name=creator.display_name)
    follow_up: list[PlannedReminder] = []
    if row.recurrence:
        following = next_occurrence(row.recurrence, row.due_at, row.timezone)
        if following is not None:
            base = row.key.split("@", 1)[0]
            key = f"{base}@{following:%Y%m%dT%H%M}"
            follow_up.append(
                planned_like(row, key=key, due_at=following, recurrence=row.recurrence)
            )
            reply.add(
                context.t("Next time: {when}"),
                when=format_moment(following, context.language, row.timezone),
            )
    reply.choices.extend(snooze_choices(context, row.id))
    built = reply.build()
    outgoing = outgoing_to(address, built) if address else Outgoing(chat.platform, built, chat=chat)
    return Rendered(outgoing, follow_up)
