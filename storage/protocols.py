"""Protocols of meetings: the minutes taken in the chat, published documents, requests.

A meeting has at most one protocol row. While the minutes run, entries are added under
the current TOP; ending them makes a draft; publishing stores the documents as released.
Requests are kept per meeting and person until publishing hands them to the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import protocol_deadlines
from storage.models import (
    Meeting,
    MeetingStatus,
    Person,
    Protocol,
    ProtocolDocument,
    ProtocolEntry,
    ProtocolEntryKind,
    ProtocolGuest,
    ProtocolPresence,
    ProtocolRequest,
    ProtocolStatus,
    WorkingGroup,
)

# A protocol due on a day is due until the end of that day in the AG's time zone.
END_OF_DAY = time(23, 59, 59)
# Minutes nobody ended run until the end of the meeting's day, or this long after the
# meeting's end when that is later (an evening meeting that runs past midnight).
MINUTES_GRACE = timedelta(hours=4)


# --- the deadline ----------------------------------------------------------------------------


def due_day(meeting: Meeting, group: WorkingGroup) -> date:
    """The day the meeting's protocol is due, as stored with the meeting
    (``storage.protocol_deadlines``; computed now only for a meeting without one)."""
    if meeting.protocol_due is not None:
        return meeting.protocol_due
    return protocol_deadlines.deadline_for(meeting, group)


def due_end(meeting: Meeting, group: WorkingGroup) -> datetime:
    """The moment (UTC) after which an unpublished protocol is overdue."""
    zone = ZoneInfo(group.timezone)
    return datetime.combine(due_day(meeting, group), END_OF_DAY, zone).astimezone(UTC)


def running_until(meeting: Meeting, group: WorkingGroup) -> datetime:
    """The moment (UTC) after which the meeting's minutes no longer count as running."""
    zone = ZoneInfo(group.timezone)
    day = meeting.starts_at.astimezone(zone).date()
    midnight = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    end = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
    return max(midnight, end + MINUTES_GRACE)


# --- the protocol row ------------------------------------------------------------------------


async def of_meeting(session: AsyncSession, meeting_id: int) -> Protocol | None:
    return await session.scalar(select(Protocol).where(Protocol.meeting_id == meeting_id))


async def running_for_group(session: AsyncSession, group_id: int) -> Protocol | None:
    """The AG's minutes marked as running, if any (at most one at a time).

    They may have outlived their meeting (``running_until``); handlers end such minutes.
    """
    return await session.scalar(
        select(Protocol)
        .where(Protocol.group_id == group_id, Protocol.status == ProtocolStatus.RUNNING)
        .limit(1)
    )


async def create(session: AsyncSession, meeting: Meeting, status: ProtocolStatus) -> Protocol:
    protocol = Protocol(meeting_id=meeting.id, group_id=meeting.group_id, status=status)
    session.add(protocol)
    await session.flush()
    return protocol


# --- entries ---------------------------------------------------------------------------------


def _numbering(kind: ProtocolEntryKind) -> list[ProtocolEntryKind]:
    """TOPs are counted apart from the entries noted under them."""
    if kind is ProtocolEntryKind.TOPIC:
        return [ProtocolEntryKind.TOPIC]
    return [k for k in ProtocolEntryKind if k is not ProtocolEntryKind.TOPIC]


async def current_topic(session: AsyncSession, protocol_id: int) -> ProtocolEntry | None:
    """The TOP entries are noted under now: the last one opened."""
    return await session.scalar(
        select(ProtocolEntry)
        .where(
            ProtocolEntry.protocol_id == protocol_id,
            ProtocolEntry.kind == ProtocolEntryKind.TOPIC,
        )
        .order_by(ProtocolEntry.number.desc())
        .limit(1)
    )


async def add_entry(
    session: AsyncSession,
    protocol: Protocol,
    kind: ProtocolEntryKind,
    text: str,
    author_id: int,
    now: datetime,
    *,
    item_id: int | None = None,
) -> ProtocolEntry:
    """A new line of the minutes, numbered after the last of its kind, under the current TOP;
    its author counts as present (``count_as_present``).

    The protocol row is locked first (PostgreSQL), so two entries noted at the same moment
    cannot get the same number.
    """
    await session.scalar(
        select(Protocol)
        .where(Protocol.id == protocol.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    highest = await session.scalar(
        select(func.max(ProtocolEntry.number)).where(
            ProtocolEntry.protocol_id == protocol.id, ProtocolEntry.kind.in_(_numbering(kind))
        )
    )
    topic = await current_topic(session, protocol.id)
    number = (highest or 0) + 1
    entry = ProtocolEntry(
        protocol_id=protocol.id,
        kind=kind,
        number=number,
        topic=number if kind is ProtocolEntryKind.TOPIC else (topic.number if topic else 0),
        text=text,
        author_id=author_id,
        at=now,
        item_id=item_id,
    )
    session.add(entry)
    await session.flush()
    await count_as_present(session, protocol.id, author_id, now)
    return entry


async def last_entry_by(
    session: AsyncSession, protocol_id: int, person_id: int
) -> ProtocolEntry | None:
    """The person's latest line of the minutes (what ``/rueckgaengig`` removes)."""
    return await session.scalar(
        select(ProtocolEntry)
        .where(ProtocolEntry.protocol_id == protocol_id, ProtocolEntry.author_id == person_id)
        .order_by(ProtocolEntry.at.desc(), ProtocolEntry.id.desc())
        .limit(1)
    )


async def remove_entry(session: AsyncSession, entry: ProtocolEntry) -> None:
    await session.delete(entry)
    await session.flush()


async def entry_by_number(
    session: AsyncSession, protocol_id: int, number: int
) -> ProtocolEntry | None:
    """Entry ``number`` (not a TOP) of the protocol."""
    return await session.scalar(
        select(ProtocolEntry).where(
            ProtocolEntry.protocol_id == protocol_id,
            ProtocolEntry.kind != ProtocolEntryKind.TOPIC,
            ProtocolEntry.number == number,
        )
    )


@dataclass(frozen=True)
class EntryRow:
    """A line of the minutes with its author's name."""

    entry: ProtocolEntry
    author_name: str | None


async def entries(session: AsyncSession, protocol_id: int) -> list[EntryRow]:
    """Every line of the minutes in the order it was written."""
    rows = await session.execute(
        select(ProtocolEntry, Person.display_name)
        .outerjoin(Person, Person.id == ProtocolEntry.author_id)
        .where(ProtocolEntry.protocol_id == protocol_id)
        .order_by(ProtocolEntry.at, ProtocolEntry.id)
    )
    return [EntryRow(entry, name) for entry, name in rows]


async def contributors(session: AsyncSession, protocol_id: int) -> list[int]:
    """Persons who wrote at least one line of the minutes."""
    rows = await session.scalars(
        select(ProtocolEntry.author_id)
        .where(ProtocolEntry.protocol_id == protocol_id, ProtocolEntry.author_id.is_not(None))
        .distinct()
    )
    return [pid for pid in rows if pid is not None]


# --- presence --------------------------------------------------------------------------------


async def _presence_rows(
    session: AsyncSession, protocol_id: int, person_ids: Sequence[int]
) -> dict[int, ProtocolPresence]:
    rows = await session.scalars(
        select(ProtocolPresence).where(
            ProtocolPresence.protocol_id == protocol_id,
            ProtocolPresence.person_id.in_(person_ids),
        )
    )
    return {row.person_id: row for row in rows}


async def add_present(
    session: AsyncSession,
    protocol_id: int,
    person_ids: Iterable[int],
    added_by: int,
    now: datetime,
) -> list[int]:
    """Record persons as present (those taken off before, too); the ones not present yet."""
    wanted = list(dict.fromkeys(person_ids))
    rows = await _presence_rows(session, protocol_id, wanted)
    new = []
    for pid in wanted:
        row = rows.get(pid)
        if row is None:
            session.add(
                ProtocolPresence(protocol_id=protocol_id, person_id=pid, added_by=added_by, at=now)
            )
        elif not row.present:
            row.present, row.added_by, row.at = True, added_by, now
        else:
            continue
        new.append(pid)
    await session.flush()
    return new


async def remove_present(
    session: AsyncSession,
    protocol_id: int,
    person_ids: Sequence[int],
    removed_by: int,
    now: datetime,
) -> None:
    """Take persons off the list. Their row stays, marked not present, so that writing in
    the minutes afterwards does not put them back (``count_as_present``)."""
    wanted = list(dict.fromkeys(person_ids))
    rows = await _presence_rows(session, protocol_id, wanted)
    for pid in wanted:
        row = rows.get(pid)
        if row is None:
            row = ProtocolPresence(protocol_id=protocol_id, person_id=pid)
            session.add(row)
        row.present, row.added_by, row.at = False, removed_by, now
    await session.flush()


async def count_as_present(
    session: AsyncSession, protocol_id: int, person_id: int, now: datetime
) -> None:
    """Whoever takes the minutes, chairs or writes in them was there: recorded as present,
    unless already on the list or taken off it."""
    if await session.get(ProtocolPresence, (protocol_id, person_id)) is None:
        row = ProtocolPresence(
            protocol_id=protocol_id, person_id=person_id, added_by=person_id, at=now
        )
        session.add(row)
        await session.flush()


async def present(session: AsyncSession, protocol_id: int) -> list[tuple[int, str]]:
    """(person id, name) of those recorded as present, by name."""
    rows = await session.execute(
        select(Person.id, Person.display_name)
        .join(ProtocolPresence, ProtocolPresence.person_id == Person.id)
        .where(ProtocolPresence.protocol_id == protocol_id, ProtocolPresence.present.is_(True))
        .order_by(Person.sort_name, Person.id)
    )
    return [(pid, name) for pid, name in rows]


async def taken_off(session: AsyncSession, protocol_id: int) -> set[int]:
    """Persons someone took off the list of those present."""
    rows = await session.scalars(
        select(ProtocolPresence.person_id).where(
            ProtocolPresence.protocol_id == protocol_id, ProtocolPresence.present.is_(False)
        )
    )
    return set(rows)


# --- guests ----------------------------------------------------------------------------------


async def guests(session: AsyncSession, protocol_id: int) -> list[str]:
    """The guests' names in the order they were recorded."""
    rows = await session.scalars(
        select(ProtocolGuest.name)
        .where(ProtocolGuest.protocol_id == protocol_id)
        .order_by(ProtocolGuest.id)
    )
    return list(rows)


async def add_guests(
    session: AsyncSession, protocol_id: int, names: Sequence[str], added_by: int, now: datetime
) -> list[str]:
    """Record guests; a name recorded already (in any case) is not added twice."""
    known = {name.casefold() for name in await guests(session, protocol_id)}
    new = []
    for name in names:
        if name.casefold() in known:
            continue
        known.add(name.casefold())
        session.add(ProtocolGuest(protocol_id=protocol_id, name=name, added_by=added_by, at=now))
        new.append(name)
    await session.flush()
    return new


async def remove_guest(session: AsyncSession, protocol_id: int, name: str) -> bool:
    """Remove the guest of that name (in any case); False when there is none."""
    for guest in await session.scalars(
        select(ProtocolGuest).where(ProtocolGuest.protocol_id == protocol_id)
    ):
        if guest.name.casefold() == name.casefold():
            await session.delete(guest)
            await session.flush()
            return True
    return False


# --- published documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentFile:
    name: str
    mime_type: str
    content: bytes


async def set_documents(
    session: AsyncSession, protocol_id: int, files: Sequence[DocumentFile], version: int = 1
) -> None:
    """Replace the documents of the protocol's ``version`` with ``files``."""
    await session.execute(
        delete(ProtocolDocument).where(
            ProtocolDocument.protocol_id == protocol_id, ProtocolDocument.version == version
        )
    )
    session.add_all(
        ProtocolDocument(
            protocol_id=protocol_id,
            version=version,
            name=f.name,
            mime_type=f.mime_type,
            content=f.content,
        )
        for f in files
    )
    await session.flush()


async def documents(
    session: AsyncSession, protocol_id: int, version: int | None = None
) -> list[DocumentFile]:
    """The documents of ``version``; without it, of the newest version."""
    if version is None:
        version = await session.scalar(
            select(func.max(ProtocolDocument.version)).where(
                ProtocolDocument.protocol_id == protocol_id
            )
        )
    rows = await session.scalars(
        select(ProtocolDocument)
        .where(ProtocolDocument.protocol_id == protocol_id, ProtocolDocument.version == version)
        .order_by(ProtocolDocument.id)
    )
    return [DocumentFile(row.name, row.mime_type, row.content) for row in rows]


# --- requests --------------------------------------------------------------------------------


async def add_request(
    session: AsyncSession, meeting_id: int, person_id: int, chat: tuple[str, str], now: datetime
) -> bool:
    """Record that the person wants the protocol; False when they had asked already."""
    existing = await session.get(ProtocolRequest, (meeting_id, person_id))
    if existing is not None and existing.delivered_at is None:
        return False
    if existing is not None:
        await session.delete(existing)
        await session.flush()
    session.add(
        ProtocolRequest(
            meeting_id=meeting_id,
            person_id=person_id,
            chat_platform=chat[0],
            chat_id=chat[1],
            requested_at=now,
        )
    )
    await session.flush()
    return True


async def open_requests(
    session: AsyncSession, meeting_id: int, *, answered_too: bool = False
) -> list[ProtocolRequest]:
    """Requests not delivered yet; ``answered_too``: every request (a new version goes to all)."""
    query = select(ProtocolRequest).where(ProtocolRequest.meeting_id == meeting_id)
    if not answered_too:
        query = query.where(ProtocolRequest.delivered_at.is_(None))
    rows = await session.scalars(
        query.order_by(ProtocolRequest.requested_at, ProtocolRequest.person_id)
    )
    return list(rows)


async def mark_delivered(session: AsyncSession, meeting_id: int, now: datetime) -> None:
    await session.execute(
        update(ProtocolRequest)
        .where(ProtocolRequest.meeting_id == meeting_id, ProtocolRequest.delivered_at.is_(None))
        .values(delivered_at=now)
    )


# --- overviews -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingProtocol:
    """A meeting of an AG with its protocol (None: nothing taken or uploaded yet)."""

    meeting: Meeting
    protocol: Protocol | None
    open_requests: int


async def last_meeting(session: AsyncSession, group_id: int, now: datetime) -> Meeting | None:
    """The AG's latest meeting that has begun (and was not cancelled)."""
    return await session.scalar(
        select(Meeting)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at <= now,
        )
        .order_by(Meeting.starts_at.desc(), Meeting.number.desc())
        .limit(1)
    )


async def meetings_between(
    session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> list[Meeting]:
    """The AG's scheduled meetings that start between ``start`` and ``end``."""
    rows = await session.scalars(
        select(Meeting)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at >= start,
            Meeting.starts_at <= end,
        )
        .order_by(Meeting.starts_at)
    )
    return list(rows)


async def meetings_with_protocols(
    session: AsyncSession, group_ids: Sequence[int], now: datetime, *, since: datetime | None = None
) -> list[MeetingProtocol]:
    """Meetings of these AGs that have begun, latest first, with protocol and open requests."""
    requests = (
        select(ProtocolRequest.meeting_id, func.count().label("open"))
        .where(ProtocolRequest.delivered_at.is_(None))
        .group_by(ProtocolRequest.meeting_id)
        .subquery()
    )
    query = (
        select(Meeting, Protocol, requests.c.open)
        .outerjoin(Protocol, Protocol.meeting_id == Meeting.id)
        .outerjoin(requests, requests.c.meeting_id == Meeting.id)
        .where(
            Meeting.group_id.in_(group_ids),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at <= now,
        )
        .order_by(Meeting.starts_at.desc(), Meeting.number.desc())
    )
    if since is not None:
        query = query.where(Meeting.starts_at >= since)
    rows = await session.execute(query)
    return [MeetingProtocol(meeting, protocol, count or 0) for meeting, protocol, count in rows]
