"""The coordinators' weekly overview: per AG overdue tasks, tasks and meetings of the week,
open tasks nobody is responsible for, and the reminders that could not be delivered."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import N_
from core.messages import ReplyBuilder, Span, bold, mention
from core.timefmt import format_moment
from handlers.meetings.texts import start_text
from handlers.shared.context import Context
from handlers.tasks.texts import item_spans
from reminders.addressing import (
    UNREACHABLE,
    Rendered,
    RenderEnvironment,
    Withdrawn,
    address_of,
    bot_context,
    outgoing_to,
    reply_for,
)
from reminders.protocols import overdue_lines
from storage import groups, meetings, reminders, tasks
from storage.models import Reminder, ReminderKind, Role, WorkingGroup

DIGEST_DAYS = 7


async def render_digest(
    session: AsyncSession, env: RenderEnvironment, row: Reminder
) -> Rendered | Withdrawn | None:
    if row.person_id is None:
        return None
    coordinated = [
        group
        for group, role in await groups.groups_of_person(session, row.person_id)
        if role is Role.COORDINATOR and group.digest
    ]
    if not coordinated:
        return None
    address = await address_of(session, env, row, None)
    if address is None or address.account_id is None:
        return await _pointer_in_group_chat(session, env, row, coordinated[0])
    context = bot_context(session, env, address.chat, None, address.person)
    now = context.now()
    week_end = now + timedelta(days=DIGEST_DAYS)
    reply = reply_for(context, env, row, row.timezone)
    reply.add(context.t("📋 Weekly overview for {name}"), name=bold(address.person.display_name))
    for group in coordinated:
        reply.blank().add_spans([bold(group.name)])
        await _digest_group(context, group, reply, now, week_end)
    return Rendered(outgoing_to(address, reply.build()))


async def _pointer_in_group_chat(
    session: AsyncSession, env: RenderEnvironment, row: Reminder, group: WorkingGroup
) -> Rendered | Withdrawn:
    """The overview is private: a coordinator the bot cannot write to privately gets a
    short mention in the AG's chat instead (once a week, with the overview's row)."""
    address = await address_of(session, env, row, group)
    if address is None:
        return Withdrawn(UNREACHABLE)
    context = bot_context(session, env, address.chat, group, None)
    reply = context.reply(
        "{name}, your weekly overview is ready – please write to me privately once: {start}",
        name=mention(address.ref),
        start=context.command_word("start"),
    )
    return Rendered(outgoing_to(address, reply.build()))


async def _digest_group(
    context: Context, group: WorkingGroup, reply: ReplyBuilder, now: datetime, week_end: datetime
) -> None:
    session = context.session
    open_rows = await tasks.open_items(session, [group.id], due_before=week_end)
    overdue = [r for r in open_rows if r.is_overdue(now)]
    this_week = [r for r in open_rows if not r.is_overdue(now)]
    reply.add(context.t("Overdue ({count}):"), count=len(overdue))
    for r in overdue:
        reply.add_spans([Span("  "), *item_spans(context, r)])
    reply.add(context.t("Due this week ({count}):"), count=len(this_week))
    for r in this_week:
        reply.add_spans([Span("  "), *item_spans(context, r)])
    unassigned = await tasks.unassigned_items(session, [group.id])
    if unassigned:
        reply.add(context.t("Without anyone responsible ({count}):"), count=len(unassigned))
        for r in unassigned:
            reply.add_spans([Span("  "), *item_spans(context, r, with_assignees=False)])
    upcoming = await meetings.upcoming(session, [group.id], now, until=week_end)
    reply.add(context.t("Meetings this week ({count}):"), count=len(upcoming))
    for entry in upcoming:
        reply.add(
            "  • #{number} {when}: {title}",
            number=entry.meeting.number,
            when=start_text(context, entry.meeting, group.timezone),
            title=entry.meeting.title,
        )
    await overdue_lines(context, group, reply, now)
    failed = await reminders.failed_since(session, group.id, now - timedelta(days=DIGEST_DAYS))
    if failed:
        reply.add(context.t("Reminders that could not be delivered ({count}):"), count=len(failed))
        for reminder in failed:
            reply.add(
                "  • {when} – {what}: {error}",
                when=format_moment(reminder.due_at, context.language, group.timezone),
                what=_what(context, reminder),
                error=context.t(reminder.last_error) if reminder.last_error else "?",
            )


_KIND_NAMES = {
    ReminderKind.MEETING: N_("meeting reminder"),
    ReminderKind.TASK: N_("task reminder"),
    ReminderKind.PERSONAL: N_("reminder"),
    ReminderKind.DIGEST: N_("weekly overview"),
    ReminderKind.PROTOCOL_DUE: N_("protocol deadline reminder"),
    ReminderKind.PROTOCOL: N_("protocol delivery"),
    ReminderKind.BUDGET: N_("budget notice"),
    ReminderKind.ANNOUNCEMENT: N_("message to another chat"),
    ReminderKind.UNASSIGNED: N_("notice of tasks without anyone responsible"),
}


def _what(context: Context, reminder: Reminder) -> str:
    name = context.t(_KIND_NAMES[reminder.kind])
    if reminder.chat_id is not None:
        return f"{name} ({reminder.chat_platform}:{reminder.chat_id})"
    return name
