"""Limits that a normal AG never meets and an abuser always does, enforced by the router.

Commands per person and minute are counted in memory before anything touches the
database, so a flood costs almost nothing; what a command piled up (waiting reminders,
new tasks and hour entries) is counted in its transaction, only when it inserted such
rows, and a command over a limit is rolled back like any refusal.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import N_
from core.messages import ChatRef
from storage import quotas
from storage.database import inserted_kinds
from storage.models import ActionItem, HourEntry, Reminder

WINDOW_SECONDS = 60.0
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Limits:
    """``[limits]`` in the configuration; the defaults are documented in docs/SECURITY.md."""

    commands_per_minute: int = 20
    waiting_reminders_per_person: int = 50
    waiting_reminders_per_chat: int = 100
    tasks_per_day: int = 50
    hour_entries_per_day: int = 50
    reply_lines: int = 60
    message_characters: int = 10_000


class Pace(Enum):
    """What the router does with one more message of a person."""

    OK = "ok"
    SLOW_DOWN = "slow down"  # the first message over the limit: one polite reply
    SILENT = "silent"  # every further one until the window has passed


class CommandRate:
    """Messages per person in a sliding minute, in memory (each process counts its own)."""

    def __init__(self, per_minute: int, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._monotonic = monotonic
        self._seen: dict[str, deque[float]] = {}
        self._warned: set[str] = set()
        self._next_cleanup = 0.0

    def pace(self, who: str) -> Pace:
        now = self._monotonic()
        self._clean_up(now)
        times = self._seen.setdefault(who, deque())
        while times and times[0] <= now - WINDOW_SECONDS:
            times.popleft()
        if len(times) < self._limit:
            times.append(now)
            self._warned.discard(who)
            return Pace.OK
        if who in self._warned:
            return Pace.SILENT
        self._warned.add(who)
        return Pace.SLOW_DOWN

    def reset(self) -> None:
        """Start counting afresh, as if nobody had written this minute."""
        self._seen.clear()
        self._warned.clear()

    def _clean_up(self, now: float) -> None:
        """Forget people who were quiet for a minute, so the table does not grow forever."""
        if now < self._next_cleanup:
            return
        self._next_cleanup = now + WINDOW_SECONDS
        quiet = [who for who, times in self._seen.items() if not times or times[-1] <= now - 60]
        for who in quiet:
            del self._seen[who]
            self._warned.discard(who)


SLOW_DOWN = N_(
    "Please slow down: at most {limit} commands a minute. I will answer again in a minute."
)
TOO_LONG = N_("This message is too long for a command (at most {limit} characters).")
_TOO_MANY_REMINDERS = N_(
    "You already have {count} waiting reminders (at most {limit}). Please delete some "
    "first; {command} lists them."
)
_TOO_MANY_CHAT_REMINDERS = N_(
    "This chat already has {count} waiting reminders (at most {limit}). Please delete some "
    "first; {command} lists them."
)
_TOO_MANY_TASKS = N_(
    "You created {count} tasks within 24 hours; at most {limit} are possible. Please try "
    "again later."
)
_TOO_MANY_HOURS = N_(
    "You logged {count} hour entries within 24 hours; at most {limit} are possible. Please "
    "combine entries or try again later."
)


@dataclass(frozen=True)
class Exceeded:
    """A limit a command went over: the text (a msgid) and its values."""

    template: str
    count: int
    limit: int


async def exceeded_quota(
    session: AsyncSession, limits: Limits, person_id: int, chat: ChatRef, now: datetime
) -> Exceeded | None:
    """The first limit this command's new rows went over, or None."""
    kinds = inserted_kinds(session)
    if not kinds & {Reminder, ActionItem, HourEntry}:
        return None
    await session.flush()
    if Reminder in kinds:
        count = await quotas.waiting_reminders_created_by(session, person_id)
        if count > limits.waiting_reminders_per_person:
            return Exceeded(_TOO_MANY_REMINDERS, count - 1, limits.waiting_reminders_per_person)
        if not chat.is_private:
            count = await quotas.waiting_reminders_for_chat(session, chat.platform, chat.chat_id)
            if count > limits.waiting_reminders_per_chat:
                return Exceeded(
                    _TOO_MANY_CHAT_REMINDERS, count - 1, limits.waiting_reminders_per_chat
                )
    if ActionItem in kinds:
        count = await quotas.items_created_since(session, person_id, now - DAY)
        if count > limits.tasks_per_day:
            return Exceeded(_TOO_MANY_TASKS, count - 1, limits.tasks_per_day)
    if HourEntry in kinds:
        count = await quotas.hour_entries_created_since(session, person_id, now - DAY)
        if count > limits.hour_entries_per_day:
            return Exceeded(_TOO_MANY_HOURS, count - 1, limits.hour_entries_per_day)
    return None
