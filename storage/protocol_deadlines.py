"""The day a meeting's protocol is due, stored with the meeting.

It is fixed when the meeting is planned (or moved): ``protocol_days`` after the meeting's
day in the AG's time zone, moved to the next working day when it falls on a weekend or a
public holiday of the AG's state. A changed setting (the days or the state) applies to the
meetings that have not ended yet (``refresh``); a meeting that took place keeps the
deadline that applied to it, so "on time" is never rewritten afterwards.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Meeting, WorkingGroup
from storage.models.groups import DEFAULT_STATE

# Meetings that began this long ago may still be running; older ones have surely ended.
_LONGEST_MEETING = timedelta(days=7)


@cache
def _holidays(state: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DE", subdiv=state, years=year))


def next_working_day(day: date, state: str | None) -> date:
    """``day``, or the first day after it that is Monday to Friday and no public holiday
    of ``state`` (None: the default state)."""
    while day.weekday() >= 5 or day in _holidays(state or DEFAULT_STATE, day.year):
        day += timedelta(days=1)
    return day


def deadline_for(meeting: Meeting, group: WorkingGroup) -> date:
    """The due day the AG's current settings give the meeting's protocol."""
    local = meeting.starts_at.astimezone(ZoneInfo(group.timezone)).date()
    return next_working_day(local + timedelta(days=group.protocol_days), group.state)


def fix(meeting: Meeting, group: WorkingGroup) -> None:
    """Store the due day for a meeting that is planned or moved now."""
    meeting.protocol_due = deadline_for(meeting, group)


def has_ended(meeting: Meeting, now: datetime) -> bool:
    return meeting.starts_at + timedelta(minutes=meeting.duration_minutes) <= now


async def refresh(session: AsyncSession, group: WorkingGroup, now: datetime) -> list[Meeting]:
    """After the AG's deadline settings changed: the meetings that have not ended get the
    new due day; those whose due day changed are returned (their reminders follow)."""
    rows = await session.scalars(
        select(Meeting).where(
            Meeting.group_id == group.id, Meeting.starts_at > now - _LONGEST_MEETING
        )
    )
    changed = []
    for meeting in rows:
        if has_ended(meeting, now):
            continue
        due = deadline_for(meeting, group)
        if due != meeting.protocol_due:
            meeting.protocol_due = due
            changed.append(meeting)
    await session.flush()
    return changed
