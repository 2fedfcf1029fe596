"""The daily planning job: rows for what is coming, so nothing is held in memory.

Series get their occurrences topped up, meetings within the horizon get their reminder
rows (one per offset and chat), and every coordinator gets a row for the next weekly
digest. Everything is keyed, so running it again (or in several processes) plans nothing
twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.meetings.series import extend_series
from storage import reminders
from storage.models import ReminderKind
from storage.reminders import PlannedReminder


@dataclass(frozen=True)
class DigestSchedule:
    """The weekly digest's weekday (0 = Monday) and local time."""

    weekday: int = 0
    at: time = time(8, 0)
    timezone: str = "Europe/Berlin"

    def next_after(self, now: datetime) -> datetime:
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        day = local.date() + timedelta(days=(self.weekday - local.weekday()) % 7)
        moment = datetime.combine(day, self.at, zone)
        if moment <= local:
            moment = datetime.combine(day + timedelta(days=7), self.at, zone)
        return moment.astimezone(UTC)

    def last_before(self, now: datetime) -> datetime:
        """The latest digest moment at or before ``now`` (within the last seven days)."""
        zone = ZoneInfo(self.timezone)
        following = self.next_after(now).astimezone(zone)
        return datetime.combine(following.date() - timedelta(days=7), self.at, zone).astimezone(UTC)


async def plan_ahead(
    sessions: async_sessionmaker[AsyncSession],
    now: datetime,
    horizon: timedelta,
    digest: DigestSchedule | None,
) -> None:
    """Top up series, plan the meeting reminders within ``horizon`` and the next digests."""
    async with sessions() as session, session.begin():
        await extend_series(session, None, now)
        for meeting in await reminders.meetings_to_plan(session, now, horizon):
            await reminders.sync_meeting(session, meeting, now, horizon)
        if digest is not None:
            # The next overview, and this week's if no row was waiting for it: a bot that
            # slept through Monday morning (or was down longer than a week) sends it late
            # instead of never. Only to those who coordinated already then.
            await reminders.add_missing(
                session,
                [
                    PlannedReminder(
                        key=f"digest:{person_id}:{due:%Y%m%d}",
                        kind=ReminderKind.DIGEST,
                        due_at=due,
                        person_id=person_id,
                        timezone=digest.timezone,
                    )
                    for due in (digest.last_before(now), digest.next_after(now))
                    for person_id in await reminders.digest_recipients(session, since=due)
                ],
                now,
            )
