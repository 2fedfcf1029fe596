"""Due reminder rows for the tests that dispatch many at once (faults, scale-out)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import reminders
from storage.models import ReminderKind
from storage.reminders import PlannedReminder


async def add_due_reminders(
    sessions: async_sessionmaker[AsyncSession],
    chats: Sequence[tuple[str, str]],
    count: int,
    due: datetime,
    *,
    spread: timedelta = timedelta(0),
    prefix: str = "Erinnerung",
) -> list[str]:
    """``count`` chat reminders "<prefix> 0001" … spread over ``chats``; their keys."""
    plans = [
        PlannedReminder(
            key=f"test:{prefix}:{index:05d}",
            kind=ReminderKind.PERSONAL,
            due_at=due + spread * index / max(count, 1),
            chat_platform=chats[index % len(chats)][0],
            chat_id=chats[index % len(chats)][1],
            text=f"{prefix} {index:04d}",
        )
        for index in range(count)
    ]
    async with sessions() as session, session.begin():
        await reminders.add_missing(session, plans, due)
    return [plan.key for plan in plans]
