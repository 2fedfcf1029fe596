"""Counts of what one person or one chat has piled up, for the limits the router enforces."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ActionItem, HourEntry, Reminder, ReminderKind, ReminderStatus

_WAITING = (ReminderStatus.PENDING, ReminderStatus.CLAIMED)


async def waiting_reminders_created_by(session: AsyncSession, person_id: int) -> int:
    """Personal reminders this person set that have not gone out yet."""
    return await _count(
        select(func.count())
        .select_from(Reminder)
        .where(
            Reminder.kind == ReminderKind.PERSONAL,
            Reminder.status.in_(_WAITING),
            Reminder.created_by == person_id,
        ),
        session,
    )


async def waiting_reminders_for_chat(session: AsyncSession, platform: str, chat_id: str) -> int:
    """Personal reminders waiting to go into this chat."""
    return await _count(
        select(func.count())
        .select_from(Reminder)
        .where(
            Reminder.chat_platform == platform,
            Reminder.chat_id == chat_id,
            Reminder.status.in_(_WAITING),
            Reminder.kind == ReminderKind.PERSONAL,
        ),
        session,
    )


async def items_created_since(session: AsyncSession, person_id: int, since: datetime) -> int:
    return await _count(
        select(func.count())
        .select_from(ActionItem)
        .where(ActionItem.created_by == person_id, ActionItem.created_at >= since),
        session,
    )


async def hour_entries_created_since(session: AsyncSession, person_id: int, since: datetime) -> int:
    return await _count(
        select(func.count())
        .select_from(HourEntry)
        .where(HourEntry.person_id == person_id, HourEntry.created_at >= since),
        session,
    )


async def _count(query: Select[int], session: AsyncSession) -> int:
    return (await session.scalar(query)) or 0
