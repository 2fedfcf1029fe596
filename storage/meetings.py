"""Meetings of an AG: single meetings, series and their occurrences, agenda, answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import protocol_deadlines
from storage.models import (
    AgendaItem,
    Answer,
    Meeting,
    MeetingFormat,
    MeetingSeries,
    MeetingStatus,
    Membership,
    Person,
    Rsvp,
    WorkingGroup,
)


@dataclass(frozen=True)
class MeetingDraft:
    """What a new meeting (or every occurrence of a new series) consists of."""

    group_id: int
    title: str
    duration_minutes: int
    place: str | None
    link: str | None
    format: MeetingFormat
    created_by: int | None
    all_day: bool = False


async def _next_number(session: AsyncSession, group_id: int) -> int:
    highest = await session.scalar(
        select(func.max(Meeting.number)).where(Meeting.group_id == group_id)
    )
    return (highest or 0) + 1


async def add_meeting(
    session: AsyncSession,
    draft: MeetingDraft,
    starts_at: datetime,
    now: datetime,
    *,
    series_id: int | None = None,
) -> Meeting:
    meeting = Meeting(
        group_id=draft.group_id,
        number=await _next_number(session, draft.group_id),
        series_id=series_id,
        original_start=starts_at if series_id is not None else None,
        starts_at=starts_at,
        duration_minutes=draft.duration_minutes,
        title=draft.title,
        place=draft.place,
        link=draft.link,
        format=draft.format,
        all_day=draft.all_day,
        status=MeetingStatus.SCHEDULED,
        created_by=draft.created_by,
        created_at=now,
        updated_at=now,
    )
    group = await session.get(WorkingGroup, draft.group_id)
    assert group is not None
    protocol_deadlines.fix(meeting, group)
    session.add(meeting)
    await session.flush()
    return meeting


async def add_series(
    session: AsyncSession,
    group_id: int,
    rrule: str,
    first_local: datetime,
    timezone: str,
    materialised_until: datetime,
) -> MeetingSeries:
    series = MeetingSeries(
        group_id=group_id,
        rrule=rrule,
        first_local=first_local,
        timezone=timezone,
        materialised_until=materialised_until,
        cancelled=False,
    )
    session.add(series)
    await session.flush()
    return series


async def by_number(session: AsyncSession, group_id: int, number: int) -> Meeting | None:
    return await session.scalar(
        select(Meeting).where(Meeting.group_id == group_id, Meeting.number == number)
    )


@dataclass(frozen=True)
class UpcomingMeeting:
    meeting: Meeting
    group_name: str
    timezone: str


async def upcoming(
    session: AsyncSession,
    group_ids: list[int],
    after: datetime,
    *,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[UpcomingMeeting]:
    """Scheduled meetings of these AGs that have not ended yet, soonest first."""
    query = (
        select(Meeting, WorkingGroup.name, WorkingGroup.timezone)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(
            Meeting.group_id.in_(group_ids),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at >= after,
        )
        .order_by(Meeting.starts_at, Meeting.number)
        .limit(limit)
    )
    if until is not None:
        query = query.where(Meeting.starts_at < until)
    rows = await session.execute(query)
    return [UpcomingMeeting(meeting, name, zone) for meeting, name, zone in rows]


async def overlapping(
    session: AsyncSession, group_ids: list[int], start: datetime, end: datetime
) -> list[UpcomingMeeting]:
    """Scheduled meetings of these AGs that run at some time between ``start`` and ``end``.

    A meeting that ends when the span starts (or starts when it ends) does not overlap.
    """
    # The end is start plus duration, which SQL dialects add differently: look back by
    # the longest duration of these AGs and compare the ends here.
    longest = await session.scalar(
        select(func.max(Meeting.duration_minutes)).where(Meeting.group_id.in_(group_ids))
    )
    rows = await session.execute(
        select(Meeting, WorkingGroup.name, WorkingGroup.timezone)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(
            Meeting.group_id.in_(group_ids),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at < end,
            Meeting.starts_at > start - timedelta(minutes=longest or 0),
        )
        .order_by(Meeting.starts_at, WorkingGroup.name_key, Meeting.number)
    )
    return [
        UpcomingMeeting(meeting, name, zone)
        for meeting, name, zone in rows
        if meeting.starts_at + timedelta(minutes=meeting.duration_minutes) > start
    ]


async def past(
    session: AsyncSession,
    group_ids: list[int],
    before: datetime,
    *,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[UpcomingMeeting]:
    """Meetings of these AGs that began before ``before`` (cancelled ones too), latest first."""
    query = (
        select(Meeting, WorkingGroup.name, WorkingGroup.timezone)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .where(Meeting.group_id.in_(group_ids), Meeting.starts_at < before)
        .order_by(Meeting.starts_at.desc(), Meeting.number.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(Meeting.starts_at >= since)
    rows = await session.execute(query)
    return [UpcomingMeeting(meeting, name, zone) for meeting, name, zone in rows]


async def group_ids_of_person(session: AsyncSession, person_id: int) -> list[int]:
    rows = await session.scalars(
        select(Membership.group_id).where(Membership.person_id == person_id)
    )
    return list(rows)


async def all_of_group(session: AsyncSession, group_id: int) -> list[Meeting]:
    rows = await session.scalars(
        select(Meeting).where(Meeting.group_id == group_id).order_by(Meeting.starts_at)
    )
    return list(rows)


async def series_of_group(session: AsyncSession, group_id: int) -> dict[int, MeetingSeries]:
    rows = await session.scalars(select(MeetingSeries).where(MeetingSeries.group_id == group_id))
    return {series.id: series for series in rows}


async def series_to_extend(
    session: AsyncSession, group_ids: list[int] | None, before: datetime
) -> list[MeetingSeries]:
    """Running series of these AGs (None: all) whose occurrences end before ``before``."""
    query = select(MeetingSeries).where(
        MeetingSeries.cancelled.is_(False), MeetingSeries.materialised_until < before
    )
    if group_ids is not None:
        query = query.where(MeetingSeries.group_id.in_(group_ids))
    return list(await session.scalars(query))


async def latest_occurrence(session: AsyncSession, series_id: int) -> Meeting | None:
    return await session.scalar(
        select(Meeting)
        .where(Meeting.series_id == series_id)
        .order_by(Meeting.original_start.desc())
        .limit(1)
    )


async def cancel_series_from(
    session: AsyncSession, series_id: int, start: datetime, now: datetime
) -> int:
    """Cancel the series' occurrences from ``start`` on and stop the series; how many."""
    result = await session.execute(
        update(Meeting)
        .where(
            Meeting.series_id == series_id,
            Meeting.starts_at >= start,
            Meeting.status == MeetingStatus.SCHEDULED,
        )
        .values(status=MeetingStatus.CANCELLED, updated_at=now)
    )
    await session.execute(
        update(MeetingSeries).where(MeetingSeries.id == series_id).values(cancelled=True)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def agenda(session: AsyncSession, meeting_id: int) -> list[AgendaItem]:
    rows = await session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)
    )
    return list(rows)


async def agendas_of_group(session: AsyncSession, group_id: int) -> dict[int, list[AgendaItem]]:
    """Meeting id -> its TOPs in order, for every meeting of the AG that has any."""
    rows = await session.scalars(
        select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.group_id == group_id)
        .order_by(AgendaItem.meeting_id, AgendaItem.position)
    )
    found: dict[int, list[AgendaItem]] = {}
    for item in rows:
        found.setdefault(item.meeting_id, []).append(item)
    return found


async def add_agenda_item(
    session: AsyncSession, meeting_id: int, text: str, person_id: int, now: datetime
) -> AgendaItem:
    highest = await session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
    )
    item = AgendaItem(
        meeting_id=meeting_id,
        position=(highest or 0) + 1,
        text=text,
        proposed_by=person_id,
        created_at=now,
    )
    session.add(item)
    await session.flush()
    return item


async def remove_agenda_item(session: AsyncSession, meeting_id: int, position: int) -> str | None:
    """Remove TOP ``position`` and close the gap; the removed text, or None."""
    item = await session.scalar(
        select(AgendaItem).where(
            AgendaItem.meeting_id == meeting_id, AgendaItem.position == position
        )
    )
    if item is None:
        return None
    text = item.text
    await session.delete(item)
    await session.flush()
    await session.execute(
        update(AgendaItem)
        .where(AgendaItem.meeting_id == meeting_id, AgendaItem.position > position)
        .values(position=AgendaItem.position - 1)
    )
    return text


async def set_answer(
    session: AsyncSession,
    meeting_id: int,
    person_id: int,
    answer: Answer,
    now: datetime,
    reason: str | None = None,
) -> None:
    """The person's answer, replacing an earlier one (and its reason)."""
    await session.execute(
        delete(Rsvp).where(Rsvp.meeting_id == meeting_id, Rsvp.person_id == person_id)
    )
    session.add(
        Rsvp(
            meeting_id=meeting_id,
            person_id=person_id,
            answer=answer,
            answered_at=now,
            reason=reason,
        )
    )
    await session.flush()


@dataclass(frozen=True)
class Attendee:
    person_id: int
    display_name: str
    answer: Answer | None
    reason: str | None = None

    @property
    def name_with_reason(self) -> str:
        """``ben (Urlaub)``: the name, and the reason the person gave, if any."""
        return f"{self.display_name} ({self.reason})" if self.reason else self.display_name


async def attendees(session: AsyncSession, meeting: Meeting) -> list[Attendee]:
    """Every member of the meeting's AG with their answer (None: no answer yet)."""
    rows = await session.execute(
        select(Person.id, Person.display_name, Rsvp.answer, Rsvp.reason)
        .join(Membership, Membership.person_id == Person.id)
        .outerjoin(Rsvp, (Rsvp.person_id == Person.id) & (Rsvp.meeting_id == meeting.id))
        .where(Membership.group_id == meeting.group_id)
        .order_by(Person.sort_name, Person.id)
    )
    return [Attendee(pid, name, answer, reason) for pid, name, answer, reason in rows]
