"""Reminder rows: planning them for meetings and tasks, claiming, marking, listing.

Planning is idempotent: every reminder has a unique key, a sync inserts the keys that
should exist and cancels the pending ones that no longer should (a moved meeting, a
task done). Claiming is atomic: on PostgreSQL the due rows are locked with
``FOR UPDATE SKIP LOCKED`` so several processes share the work; on SQLite a single
conditional ``UPDATE … RETURNING`` does the same for the one process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    and_,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage import protocols
from storage.models import (
    ActionItem,
    ActionItemAssignee,
    ChatBinding,
    Meeting,
    MeetingStatus,
    Membership,
    Protocol,
    ProtocolStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    TaskStatus,
    WorkingGroup,
)

WAITING = (ReminderStatus.PENDING, ReminderStatus.CLAIMED)
# Task reminders go out at this local time, the day before the deadline and on the day.
TASK_REMINDER_TIME = time(9, 0)
DAY_BEFORE, ON_THE_DAY = 1, 0


@dataclass(frozen=True)
class PlannedReminder:
    """A reminder that should exist; turned into a row unless its key exists already."""

    key: str
    kind: ReminderKind
    due_at: datetime
    group_id: int | None = None
    person_id: int | None = None
    chat_platform: str | None = None
    chat_id: str | None = None
    meeting_id: int | None = None
    item_id: int | None = None
    offset_minutes: int = 0
    text: str = ""
    recurrence: str | None = None
    timezone: str = "Europe/Berlin"
    created_by: int | None = None
    payload: str | None = None


def planned_like(
    row: Reminder, *, key: str, due_at: datetime, recurrence: str | None = None
) -> PlannedReminder:
    """A new reminder like ``row`` at another time: its next repetition, a snoozed copy."""
    return PlannedReminder(
        key=key,
        kind=row.kind,
        due_at=due_at,
        group_id=row.group_id,
        person_id=row.person_id,
        chat_platform=row.chat_platform,
        chat_id=row.chat_id,
        meeting_id=row.meeting_id,
        item_id=row.item_id,
        offset_minutes=row.offset_minutes,
        text=row.text,
        recurrence=recurrence,
        timezone=row.timezone,
        created_by=row.created_by,
    )


def new_row(plan: PlannedReminder, now: datetime) -> Reminder:
    return Reminder(
        key=plan.key,
        kind=plan.kind,
        status=ReminderStatus.PENDING,
        due_at=plan.due_at,
        next_attempt_at=plan.due_at,
        group_id=plan.group_id,
        person_id=plan.person_id,
        chat_platform=plan.chat_platform,
        chat_id=plan.chat_id,
        meeting_id=plan.meeting_id,
        item_id=plan.item_id,
        offset_minutes=plan.offset_minutes,
        text=plan.text,
        recurrence=plan.recurrence,
        timezone=plan.timezone,
        created_by=plan.created_by,
        created_at=now,
        attempts=0,
        payload=plan.payload,
    )


async def add(session: AsyncSession, plan: PlannedReminder, now: datetime) -> Reminder:
    reminder = new_row(plan, now)
    session.add(reminder)
    await session.flush()
    return reminder


async def sync(
    session: AsyncSession,
    subject: ColumnElement[bool],
    planned: Iterable[PlannedReminder],
    now: datetime,
) -> None:
    """Make the pending reminders of ``subject`` (a column condition) be ``planned``.

    Keys that exist already (pending, sent or failed) are not planned again, so a
    reminder that went out is never repeated; pending ones that are no longer planned
    are cancelled. A planned reminder whose time has passed is kept if it exists (it is
    sent late) but not created (a meeting planned an hour ahead gets no 24-hour reminder).
    """
    wanted = {plan.key: plan for plan in planned}
    existing = await session.execute(select(Reminder.key, Reminder.status).where(subject))
    known: dict[str, ReminderStatus] = {key: status for key, status in existing}
    stale = [key for key, status in known.items() if status in WAITING and key not in wanted]
    if stale:
        await session.execute(
            update(Reminder)
            .where(Reminder.key.in_(stale), Reminder.status.in_(WAITING))
            .values(status=ReminderStatus.CANCELLED)
        )
    session.add_all(
        new_row(plan, now) for key, plan in wanted.items() if key not in known and plan.due_at > now
    )
    await session.flush()


def parse_offsets(text: str) -> list[int]:
    """``"1440,60"`` → [1440, 60] (minutes before a meeting)."""
    return [int(part) for part in text.split(",") if part.strip()]


def reminder_time(starts_at: datetime, offset_minutes: int, timezone: str) -> datetime:
    """``offset_minutes`` before ``starts_at``; whole days keep the wall-clock time, so
    "2 days before" a 14:00 meeting is 14:00 even across a change to summer time."""
    if offset_minutes % 1440:
        return starts_at - timedelta(minutes=offset_minutes)
    zone = ZoneInfo(timezone)
    local = starts_at.astimezone(zone).replace(tzinfo=None) - timedelta(days=offset_minutes // 1440)
    return local.replace(tzinfo=zone).astimezone(UTC)


# An all-day meeting has no hour to count back from: its reminders go out in the morning.
ALL_DAY_REMINDER_HOUR = 8


def all_day_reminder_time(starts_at: datetime, offset_minutes: int, timezone: str) -> datetime:
    """08:00 on the day ``offset_minutes`` reaches back to, in whole days: 24 hours before an
    all-day meeting is the morning of the day before, 1 hour before the morning of the day."""
    zone = ZoneInfo(timezone)
    day = starts_at.astimezone(zone).date() - timedelta(days=offset_minutes // 1440)
    local = datetime.combine(day, time(ALL_DAY_REMINDER_HOUR), tzinfo=zone)
    return local.astimezone(UTC)


async def sync_meeting(
    session: AsyncSession, meeting: Meeting, now: datetime, horizon: timedelta
) -> None:
    """One reminder per offset and active chat of the AG, for a meeting within the horizon."""
    group = await session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    planned: list[PlannedReminder] = []
    if meeting.status is MeetingStatus.SCHEDULED and meeting.starts_at <= now + horizon:
        chats = await session.execute(
            select(ChatBinding.id, ChatBinding.platform, ChatBinding.chat_id).where(
                ChatBinding.group_id == group.id, ChatBinding.active.is_(True)
            )
        )
        start = meeting.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M")
        for binding_id, platform, chat_id in chats:
            dues: set[datetime] = set()
            for offset in parse_offsets(group.meeting_reminders):
                if meeting.all_day:
                    due = all_day_reminder_time(meeting.starts_at, offset, group.timezone)
                else:
                    due = reminder_time(meeting.starts_at, offset, group.timezone)
                if due in dues:
                    continue  # "2h,1h" before an all-day meeting: one morning reminder
                dues.add(due)
                planned.append(
                    PlannedReminder(
                        key=f"meeting:{meeting.id}:{start}:{offset}:{binding_id}",
                        kind=ReminderKind.MEETING,
                        due_at=due,
                        group_id=group.id,
                        chat_platform=platform,
                        chat_id=chat_id,
                        meeting_id=meeting.id,
                        offset_minutes=offset,
                        timezone=group.timezone,
                    )
                )
    # Only the meeting's own reminders: its protocol has rows of other kinds.
    subject = and_(Reminder.meeting_id == meeting.id, Reminder.kind == ReminderKind.MEETING)
    await sync(session, subject, planned, now)
    await sync_protocol_due(session, meeting, now, plan=meeting.starts_at <= now + horizon)


async def sync_protocol_due(
    session: AsyncSession, meeting: Meeting, now: datetime, *, plan: bool = True
) -> None:
    """Each coordinator is reminded at 09:00 the day before the protocol is due and on the day,
    until it is published (or the meeting is cancelled). ``plan``: False only withdraws
    (a meeting moved beyond the planning horizon)."""
    group = await session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    planned: list[PlannedReminder] = []
    published = await session.scalar(
        select(Protocol.id).where(
            Protocol.meeting_id == meeting.id, Protocol.status == ProtocolStatus.PUBLISHED
        )
    )
    if plan and meeting.status is MeetingStatus.SCHEDULED and published is None:
        zone = ZoneInfo(group.timezone)
        day = protocols.due_day(meeting, group)
        coordinators = await session.scalars(
            select(Membership.person_id).where(
                Membership.group_id == group.id, Membership.role == Role.COORDINATOR
            )
        )
        for person_id in coordinators:
            for which in (DAY_BEFORE, ON_THE_DAY):
                at = datetime.combine(day - timedelta(days=which), TASK_REMINDER_TIME, zone)
                planned.append(
                    PlannedReminder(
                        key=f"protocol-due:{meeting.id}:{day:%Y%m%d}:{person_id}:{which}",
                        kind=ReminderKind.PROTOCOL_DUE,
                        due_at=at.astimezone(UTC),
                        group_id=group.id,
                        person_id=person_id,
                        meeting_id=meeting.id,
                        offset_minutes=which,
                        timezone=group.timezone,
                    )
                )
    subject = and_(Reminder.meeting_id == meeting.id, Reminder.kind == ReminderKind.PROTOCOL_DUE)
    await sync(session, subject, planned, now)


async def sync_item(session: AsyncSession, item: ActionItem, now: datetime) -> None:
    """Each assignee is reminded at 09:00 the day before the deadline and on the day."""
    planned: list[PlannedReminder] = []
    if item.status is TaskStatus.OPEN and item.due_at is not None:
        group = await session.get(WorkingGroup, item.group_id)
        assert group is not None
        zone = ZoneInfo(group.timezone)
        due_day = item.due_at.astimezone(zone).date()
        assignees = await session.scalars(
            select(ActionItemAssignee.person_id).where(ActionItemAssignee.item_id == item.id)
        )
        stamp = item.due_at.astimezone(UTC).strftime("%Y%m%dT%H%M")
        for person_id in assignees:
            for which in (DAY_BEFORE, ON_THE_DAY):
                day = due_day - timedelta(days=which)
                at = datetime.combine(day, TASK_REMINDER_TIME, zone).astimezone(UTC)
                if at >= item.due_at:
                    continue  # a deadline before 09:00 on its day gets the day before only
                planned.append(
                    PlannedReminder(
                        key=f"task:{item.id}:{stamp}:{person_id}:{which}",
                        kind=ReminderKind.TASK,
                        due_at=at,
                        group_id=group.id,
                        person_id=person_id,
                        item_id=item.id,
                        offset_minutes=which,
                        timezone=group.timezone,
                    )
                )
    await sync(session, Reminder.item_id == item.id, planned, now)


async def meetings_to_plan(
    session: AsyncSession, now: datetime, horizon: timedelta, group_id: int | None = None
) -> list[Meeting]:
    """Scheduled meetings that start within the horizon (the daily job plans their rows)."""
    query = select(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.starts_at > now,
        Meeting.starts_at <= now + horizon,
    )
    if group_id is not None:
        query = query.where(Meeting.group_id == group_id)
    return list(await session.scalars(query.order_by(Meeting.starts_at)))


# --- what people see -----------------------------------------------------------------------


async def waiting_for(
    session: AsyncSession, person_id: int, chat: tuple[str, str] | None
) -> list[Reminder]:
    """A person's waiting reminders (personal and task ones) and a chat's; soonest first."""
    mine = and_(
        Reminder.kind.in_((ReminderKind.PERSONAL, ReminderKind.TASK)),
        Reminder.person_id == person_id,
    )
    condition = mine
    if chat is not None:
        condition = or_(
            mine,
            and_(
                Reminder.chat_platform == chat[0],
                Reminder.chat_id == chat[1],
                Reminder.person_id.is_(None),
            ),
        )
    rows = await session.scalars(
        select(Reminder)
        .where(condition, Reminder.status.in_(WAITING))
        .order_by(Reminder.due_at, Reminder.id)
        .limit(100)
    )
    return list(rows)


async def failed_since(session: AsyncSession, group_id: int, since: datetime) -> list[Reminder]:
    """The AG's reminders since ``since`` that failed or were withdrawn with a reason."""
    rows = await session.scalars(
        select(Reminder)
        .where(
            Reminder.group_id == group_id,
            or_(
                Reminder.status == ReminderStatus.FAILED,
                and_(Reminder.status == ReminderStatus.CANCELLED, Reminder.last_error.is_not(None)),
            ),
            Reminder.due_at >= since,
        )
        .order_by(Reminder.due_at)
    )
    return list(rows)


async def add_missing(
    session: AsyncSession, planned: Iterable[PlannedReminder], now: datetime
) -> int:
    """Insert the planned reminders whose keys do not exist yet; how many were new."""
    wanted = {plan.key: plan for plan in planned}
    if not wanted:
        return 0
    known = set(await session.scalars(select(Reminder.key).where(Reminder.key.in_(wanted))))
    new = [new_row(plan, now) for key, plan in wanted.items() if key not in known]
    session.add_all(new)
    await session.flush()
    return len(new)


async def digest_recipients(session: AsyncSession, *, since: datetime) -> list[int]:
    """Persons who coordinate at least one AG that wants the weekly digest, members of it
    since ``since`` at the latest."""
    rows = await session.scalars(
        select(Membership.person_id)
        .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
        .where(
            Membership.role == Role.COORDINATOR,
            WorkingGroup.digest.is_(True),
            Membership.joined_at <= since,
        )
        .distinct()
        .order_by(Membership.person_id)
    )
    return list(rows)


async def cancel_for_series(session: AsyncSession, series_id: int, start: datetime) -> None:
    """Withdraw the pending reminders of a series' meetings from ``start`` on."""
    await session.execute(
        update(Reminder)
        .where(
            Reminder.status.in_(WAITING),
            Reminder.meeting_id.in_(
                select(Meeting.id).where(Meeting.series_id == series_id, Meeting.starts_at >= start)
            ),
        )
        .values(status=ReminderStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
