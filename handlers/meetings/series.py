"""Rules of meeting series that the commands and the reminder engine's daily job share:
how far ahead occurrences exist and how a running series is topped up."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.when import Recurrence
from storage import meetings
from storage.meetings import MeetingDraft
from storage.models import Meeting, WorkingGroup

# Occurrences of a series are created this far ahead (and at most this many: a daily
# series for a year).
SERIES_HORIZON = timedelta(days=366)
MAX_OCCURRENCES = 400
# Top series up when less than this is left of their year ahead.
EXTEND_EARLY = timedelta(days=31)
# How many occurrences from a series' start are looked at (a daily series for 13 years).
SERIES_SCAN_LIMIT = 5000


async def create_series(
    session: AsyncSession, group: WorkingGroup, draft: MeetingDraft, when: Recurrence, now: datetime
) -> list[Meeting]:
    """The series and its occurrences of the coming year (at most ``MAX_OCCURRENCES``)."""
    until = now + SERIES_HORIZON
    starts = [start for start in when.occurrences(MAX_OCCURRENCES) if start <= until]
    complete = len(starts) < MAX_OCCURRENCES  # else a daily series stopped at the cap
    series = await meetings.add_series(
        session,
        group.id,
        when.rrule,
        when.first.replace(tzinfo=None),
        group.timezone,
        until if complete or not starts else starts[-1],
    )
    return [
        await meetings.add_meeting(session, draft, start, now, series_id=series.id)
        for start in starts
    ]


async def extend_series(
    session: AsyncSession, group_ids: list[int] | None, now: datetime
) -> list[Meeting]:
    """Plan further occurrences of running series, so that a series never runs dry.

    Occurrences exist a year ahead; whoever looks at the meetings tops them up, and the
    reminder engine's daily job does for every AG (``group_ids`` None). Returns the
    meetings added.
    """
    added_meetings: list[Meeting] = []
    until = now + SERIES_HORIZON
    for series in await meetings.series_to_extend(session, group_ids, until - EXTEND_EARLY):
        template = await meetings.latest_occurrence(session, series.id)
        if template is None:
            continue
        zone = ZoneInfo(series.timezone)
        rule = Recurrence(series.rrule, series.first_local.replace(tzinfo=zone))
        draft = MeetingDraft(
            group_id=series.group_id,
            title=template.title,
            duration_minutes=template.duration_minutes,
            place=template.place,
            link=template.link,
            format=template.format,
            created_by=template.created_by,
            all_day=template.all_day,
        )
        added = 0
        for start in rule.occurrences(SERIES_SCAN_LIMIT):
            if start > until or added == MAX_OCCURRENCES:
                break
            if start > series.materialised_until and start > now:
                meeting = await meetings.add_meeting(
                    session, draft, start, now, series_id=series.id
                )
                added_meetings.append(meeting)
                series.materialised_until = start
                added += 1
        if added < MAX_OCCURRENCES:
            series.materialised_until = until
    return added_meetings
