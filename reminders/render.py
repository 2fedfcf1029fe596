"""What a reminder says and where it goes, decided when it is sent (so it is current).

A meeting reminder goes to its chat with the meeting's details and current agenda; a
task reminder and a personal one go to the person's private chat where a messenger can
reach them there, else into the AG's (or the creating) chat with a mention; the digest
goes privately to a coordinator. A reminder whose subject is gone (meeting cancelled,
task closed) renders to nothing and is withdrawn.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.commands import CommandRegistry, Permission
from core.i18n import N_, Translator
from core.messages import (
    ChatRef,
    Choice,
    Incoming,
    PersonRef,
    Reply,
    ReplyBuilder,
    Sender,
    Span,
    bold,
    mention,
)
from core.timefmt import format_moment
from handlers.context import BotSettings, Context
from handlers.meeting_texts import answer_choices, meeting_lines
from handlers.task_texts import done_choice, due_text, item_spans
from reminders.recurrence import next_occurrence
from storage import groups, meetings, people, reminders, tasks
from storage.models import (
    ActionItem,
    Meeting,
    MeetingStatus,
    Person,
    Reminder,
    ReminderKind,
    Role,
    TaskStatus,
    WorkingGroup,
)
from storage.reminders import DAY_BEFORE, PlannedReminder, planned_like

log = logging.getLogger(__name__)
DIGEST_DAYS = 7
PRIVATE_PREFERENCE = ("telegram", "matrix", "console")


@dataclass(frozen=True)
class Outgoing:
    """One message to send: into ``chat``, or into the private chat of ``account_id``."""

    platform: str
    reply: Reply
    chat: ChatRef | None = None
    account_id: str | None = None

    @property
    def where(self) -> str:
        return f"{self.platform}:{self.chat.chat_id if self.chat else 'dm:' + str(self.account_id)}"


@dataclass(frozen=True)
class Rendered:
    """A reminder ready to send, and what to plan once it was sent (the next repetition)."""

    outgoing: Outgoing
    follow_up: list[PlannedReminder] = field(default_factory=list)


@dataclass(frozen=True)
class RenderEnvironment:
    """What rendering needs of the running bot."""

    settings: BotSettings
    registry: CommandRegistry[Context]
    clock: Clock
    # The running adapters by messenger (they register themselves as they start).
    notifiers: Mapping[str, object]
    prefixes: Mapping[str, str]
    late_after: timedelta

    @property
    def platforms(self) -> tuple[str, ...]:
        """The messengers that can carry messages now, in the order private chats are tried."""
        return tuple(p for p in PRIVATE_PREFERENCE if p in self.notifiers)


async def render(session: AsyncSession, env: RenderEnvironment, row: Reminder) -> Rendered | None:
    """The message for ``row``; None when there is nothing to remind of any more."""
    if row.kind is ReminderKind.MEETING:
        return await _meeting(session, env, row)
    if row.kind is ReminderKind.TASK:
        return await _task(session, env, row)
    if row.kind is ReminderKind.PERSONAL:
        return await _personal(session, env, row)
    return await _digest(session, env, row)


# --- building blocks --------------------------------------------------------------------------


def _context(
    session: AsyncSession,
    env: RenderEnvironment,
    chat: ChatRef,
    group: WorkingGroup | None,
    person: Person | None,
) -> Context:
    """A handler context for a message the bot writes by itself."""
    if chat.is_private and person is not None:
        language = person.language or env.settings.language
    else:
        language = group.language if group is not None else env.settings.language
    author = person or Person(id=0, display_name=env.settings.bot_name, sort_name="")
    return Context(
        session=session,
        message=Incoming(chat, Sender(chat.platform, "", env.settings.bot_name), ""),
        person=author,
        group=group,
        role=None,
        level=Permission.ANYONE,
        translator=Translator(language),
        clock=env.clock,
        settings=env.settings,
        registry=env.registry,
        prefix=env.prefixes.get(chat.platform, "/"),
    )


def _start(context: Context, env: RenderEnvironment, row: Reminder, zone: str) -> ReplyBuilder:
    """A reply that starts with "late, was due …" when it goes out later than the grace."""
    reply = context.reply()
    if context.now() - row.due_at > env.late_after:
        reply.add(
            context.t("⏰ Late – this was due {due}."),
            due=format_moment(row.due_at, context.language, zone),
        )
    return reply


@dataclass(frozen=True)
class _Address:
    """Where a reminder for a person goes, and how to name them there."""

    chat: ChatRef
    account_id: str | None  # set: the person's private chat on ``chat.platform``
    person: Person
    ref: PersonRef


async def _address(
    session: AsyncSession, env: RenderEnvironment, row: Reminder, group: WorkingGroup | None
) -> _Address | None:
    """The person's private chat on the first messenger that reaches them, else a chat."""
    person = await session.get(Person, row.person_id) if row.person_id is not None else None
    if person is None:
        return None
    accounts = (await people.accounts_of(session, [person.id])).get(person.id, [])
    ref = PersonRef(
        person.id, person.display_name, tuple((a.platform, a.account_id) for a in accounts)
    )
    for platform in env.platforms:
        for account in accounts:
            if account.platform == platform and account.reachable_privately:
                chat = ChatRef(platform, f"dm:{account.account_id}", True)
                return _Address(chat, account.account_id, person, ref)
    if row.chat_platform is not None and row.chat_id is not None:
        return _Address(ChatRef(row.chat_platform, row.chat_id, False), None, person, ref)
    if group is None:
        return None
    bindings = [b for b in await groups.chats_of(session, group.id) if b.active]
    own = {account.platform for account in accounts}
    # A chat on a messenger where the person has an account, so the mention reaches them.
    bindings.sort(key=lambda binding: binding.platform not in own)
    if not bindings:
        return None
    chosen = bindings[0]
    return _Address(
        ChatRef(chosen.platform, chosen.chat_id, False, chosen.title), None, person, ref
    )


def _outgoing(address: _Address, reply: Reply) -> Outgoing:
    if address.account_id is not None:
        return Outgoing(address.chat.platform, reply, account_id=address.account_id)
    return Outgoing(address.chat.platform, reply, chat=address.chat)


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


async def _meeting(session: AsyncSession, env: RenderEnvironment, row: Reminder) -> Rendered | None:
    meeting = await session.get(Meeting, row.meeting_id) if row.meeting_id is not None else None
    if meeting is None or meeting.status is not MeetingStatus.SCHEDULED:
        return None
    now = env.clock.now()
    if meeting.starts_at <= now:
        log.info(
            "reminder %s withdrawn: meeting %s began before it could go out", row.id, meeting.id
        )
        return None
    group = await session.get(WorkingGroup, meeting.group_id)
    assert group is not None and row.chat_platform is not None and row.chat_id is not None
    chat = ChatRef(row.chat_platform, row.chat_id, False)
    context = _context(session, env, chat, group, None)
    reply = _start(context, env, row, group.timezone)
    reply.add(
        context.t("🔔 Reminder: {title} (#{number}) begins in {time}."),
        title=bold(meeting.title),
        number=meeting.number,
        # From now, not the planned offset: a late 24-hour reminder may go out an hour before.
        time=until_text(context.translator, _minutes_until(meeting.starts_at, now, group.timezone)),
    )
    await meeting_lines(context, group, meeting, reply)
    reply.choices.extend(answer_choices(context, meeting))
    return Rendered(Outgoing(chat.platform, reply.build(), chat=chat))


# --- tasks ------------------------------------------------------------------------------------

_TASK_TEXTS = {
    DAY_BEFORE: N_("🔔 {name}, a reminder: task #{number} {text} is due tomorrow ({due})."),
    0: N_("🔔 {name}, a reminder: task #{number} {text} is due today ({due})."),
}


async def _task(session: AsyncSession, env: RenderEnvironment, row: Reminder) -> Rendered | None:
    item = await session.get(ActionItem, row.item_id) if row.item_id is not None else None
    if item is None or item.status is not TaskStatus.OPEN or item.due_at is None:
        return None
    group = await session.get(WorkingGroup, item.group_id)
    assert group is not None
    address = await _address(session, env, row, group)
    if address is None:
        return None
    context = _context(session, env, address.chat, group, address.person)
    reply = _start(context, env, row, group.timezone)
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
    return Rendered(_outgoing(address, reply.build()))


# --- personal reminders -----------------------------------------------------------------------


def snooze_choices(context: Context, reminder_id: int) -> list[Choice]:
    word = context.command_word("schlummern")
    return [
        Choice(context.t("In 1 hour"), f"{word} {reminder_id} 1h"),
        Choice(context.t("Tomorrow"), f"{word} {reminder_id} 1d"),
    ]


async def _personal(
    session: AsyncSession, env: RenderEnvironment, row: Reminder
) -> Rendered | None:
    group = await session.get(WorkingGroup, row.group_id) if row.group_id is not None else None
    creator = await session.get(Person, row.created_by) if row.created_by is not None else None
    address: _Address | None = None
    if row.person_id is None:  # "/erinnere hier": for the chat
        assert row.chat_platform is not None and row.chat_id is not None
        chat = ChatRef(row.chat_platform, row.chat_id, False)
    else:
        address = await _address(session, env, row, group)
        if address is None:
            return None
        chat = address.chat
    context = _context(session, env, chat, group, address.person if address else None)
    reply = _start(context, env, row, row.timezone)
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
    outgoing = _outgoing(address, built) if address else Outgoing(chat.platform, built, chat=chat)
    return Rendered(outgoing, follow_up)


# --- the coordinators' digest -----------------------------------------------------------------


async def _digest(session: AsyncSession, env: RenderEnvironment, row: Reminder) -> Rendered | None:
    address = await _address(session, env, row, None)
    if address is None or address.account_id is None:
        return None  # the digest is private; a coordinator nobody can reach gets none
    coordinated = [
        group
        for group, role in await groups.groups_of_person(session, address.person.id)
        if role is Role.COORDINATOR and group.digest
    ]
    if not coordinated:
        return None
    context = _context(session, env, address.chat, None, address.person)
    now = context.now()
    week_end = now + timedelta(days=DIGEST_DAYS)
    reply = _start(context, env, row, row.timezone)
    reply.add(context.t("📋 Weekly overview for {name}"), name=bold(address.person.display_name))
    for group in coordinated:
        reply.blank().add_spans([bold(group.name)])
        await _digest_group(context, group, reply, now, week_end)
    return Rendered(_outgoing(address, reply.build()))


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
    upcoming = await meetings.upcoming(session, [group.id], now, until=week_end)
    reply.add(context.t("Meetings this week ({count}):"), count=len(upcoming))
    for entry in upcoming:
        reply.add(
            "  • #{number} {when}: {title}",
            number=entry.meeting.number,
            when=format_moment(entry.meeting.starts_at, context.language, group.timezone),
            title=entry.meeting.title,
        )
    failed = await reminders.failed_since(session, group.id, now - timedelta(days=DIGEST_DAYS))
    if failed:
        reply.add(context.t("Reminders that could not be delivered ({count}):"), count=len(failed))
        for reminder in failed:
            reply.add(
                "  • {when} – {what}: {error}",
                when=format_moment(reminder.due_at, context.language, group.timezone),
                what=_what(context, reminder),
                error=reminder.last_error or "?",
            )


_KIND_NAMES = {
    ReminderKind.MEETING: N_("meeting reminder"),
    ReminderKind.TASK: N_("task reminder"),
    ReminderKind.PERSONAL: N_("reminder"),
    ReminderKind.DIGEST: N_("weekly overview"),
}


def _what(context: Context, reminder: Reminder) -> str:
    name = context.t(_KIND_NAMES[reminder.kind])
    if reminder.chat_id is not None:
        return f"{name} ({reminder.chat_platform}:{reminder.chat_id})"
    return name
