"""Hours: projects and their budgets, hour entries with their audit trail, totals, closed months.

Every write to ``hour_entries`` also adjusts ``hour_totals`` (minutes per AG, person,
project and month) in the same transaction, so reports over whole months read the
totals and only the partial months at the edges of a period read entries. Functions take
a session and never commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ClosedMonth,
    HourEntry,
    HourEntryEvent,
    HourEventKind,
    HourTotal,
    Person,
    Project,
)


def project_key(name: str) -> str:
    """``"  Leerstands-Management "`` and ``"leerstands-management"`` name one project."""
    return " ".join(name.split()).casefold()


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


# --- entries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewEntry:
    group_id: int
    person_id: int
    project_id: int
    work_date: date
    minutes: int
    description: str


async def add_entry(session: AsyncSession, new: NewEntry, now: datetime) -> HourEntry:
    entry = HourEntry(
        group_id=new.group_id,
        person_id=new.person_id,
        project_id=new.project_id,
        work_date=new.work_date,
        minutes=new.minutes,
        description=new.description,
        created_at=now,
        updated_at=now,
    )
    session.add(entry)
    await session.flush()
    await _add_to_totals(session, entry, entry.minutes, 1)
    _record(session, entry, HourEventKind.CREATED, new.person_id, now, None, entry.minutes)
    return entry


async def change_minutes(
    session: AsyncSession, entry: HourEntry, minutes: int, person_id: int, now: datetime
) -> None:
    before = entry.minutes
    entry.minutes = minutes
    entry.updated_at = now
    await _add_to_totals(session, entry, minutes - before, 0)
    _record(session, entry, HourEventKind.CHANGED, person_id, now, before, minutes)
    await session.flush()


async def delete_entry(
    session: AsyncSession, entry: HourEntry, person_id: int, now: datetime
) -> None:
    await _add_to_totals(session, entry, -entry.minutes, -1)
    _record(session, entry, HourEventKind.DELETED, person_id, now, entry.minutes, None)
    await session.delete(entry)
    await session.flush()


def _record(
    session: AsyncSession,
    entry: HourEntry,
    kind: HourEventKind,
    person_id: int,
    now: datetime,
    before: int | None,
    after: int | None,
) -> None:
    session.add(
        HourEntryEvent(
            entry_id=entry.id,
            group_id=entry.group_id,
            kind=kind,
            person_id=person_id,
            at=now,
            minutes_before=before,
            minutes_after=after,
            work_date=entry.work_date,
            description=entry.description,
        )
    )


async def _add_to_totals(
    session: AsyncSession, entry: HourEntry, minutes: int, entries: int
) -> None:
    """Add to the month's total of the entry's person and project (an upsert on both DBs)."""
    values = {
        "group_id": entry.group_id,
        "month": month_of(entry.work_date),
        "person_id": entry.person_id,
        "project_id": entry.project_id,
        "minutes": minutes,
        "entries": entries,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(HourTotal).values(values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["group_id", "month", "person_id", "project_id"],
            set_={
                "minutes": HourTotal.minutes + statement.excluded.minutes,
                "entries": HourTotal.entries + statement.excluded.entries,
            },
        )
    )


async def entry_by_id(session: AsyncSession, entry_id: int) -> HourEntry | None:
    return await session.get(HourEntry, entry_id)


async def events_of(session: AsyncSession, entry_id: int) -> list[tuple[HourEntryEvent, str]]:
    """The audit trail of one entry with the name of who did each step, oldest first."""
    rows = await session.execute(
        select(HourEntryEvent, func.coalesce(Person.display_name, "?"))
        .outerjoin(Person, Person.id == HourEntryEvent.person_id)
        .where(HourEntryEvent.entry_id == entry_id)
        .order_by(HourEntryEvent.id)
    )
    return [(event, name) for event, name in rows]


async def minutes_on_day(
    session: AsyncSession, person_id: int, day: date, *, without: int | None = None
) -> int:
    """What the person logged on ``day`` in all AGs (``without`` one entry being changed)."""
    query = select(func.coalesce(func.sum(HourEntry.minutes), 0)).where(
        HourEntry.person_id == person_id, HourEntry.work_date == day
    )
    if without is not None:
        query = query.where(HourEntry.id != without)
    return int(await session.scalar(query) or 0)


async def last_entries(
    session: AsyncSession, person_id: int, group_id: int | None, limit: int = 5
) -> list[tuple[HourEntry, str]]:
    """The person's newest entries (by work date) with their project's name."""
    query = (
        select(HourEntry, Project.name)
        .join(Project, Project.id == HourEntry.project_id)
        .where(HourEntry.person_id == person_id)
        .order_by(HourEntry.work_date.desc(), HourEntry.id.desc())
        .limit(limit)
    )
    if group_id is not None:
        query = query.where(HourEntry.group_id == group_id)
    return [(entry, name) for entry, name in (await session.execute(query))]


# --- totals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TotalRow:
    """Minutes and number of entries of one person on one project in a period."""

    group_id: int
    person_id: int
    project_id: int
    minutes: int
    entries: int


async def totals(
    session: AsyncSession,
    start: date,
    end: date,
    *,
    group_id: int | None = None,
    person_id: int | None = None,
    project_id: int | None = None,
) -> list[TotalRow]:
    """Minutes per AG, person and project from ``start`` to ``end`` (both included).

    Whole months come from ``hour_totals``; the days of a partial month at either end come
    from the entries. Both parts are summed by the database in one statement.
    """
    first_whole = start if start.day == 1 else next_month(start)
    after_whole = month_of(end + timedelta(days=1))  # first month not wholly inside
    # Typed loosely: the Select generics differ between SQLAlchemy 2.0 and 2.1.
    parts: list[Any] = []
    if first_whole < after_whole:
        parts.append(
            select(
                HourTotal.group_id,
                HourTotal.person_id,
                HourTotal.project_id,
                HourTotal.minutes,
                HourTotal.entries,
            ).where(
                HourTotal.month >= first_whole,
                HourTotal.month < after_whole,
                *_conditions(HourTotal, group_id, person_id, project_id),
            )
        )
        edges = [(start, first_whole - timedelta(days=1)), (after_whole, end)]
    else:
        edges = [(start, end)]
    for low, high in edges:
        if low > high:
            continue
        parts.append(
            select(
                HourEntry.group_id,
                HourEntry.person_id,
                HourEntry.project_id,
                HourEntry.minutes,
                literal(1),
            ).where(
                HourEntry.work_date >= low,
                HourEntry.work_date <= high,
                *_conditions(HourEntry, group_id, person_id, project_id),
            )
        )
    combined = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    columns = list(combined.c)
    rows = await session.execute(
        select(
            columns[0],
            columns[1],
            columns[2],
            func.sum(columns[3]),
            func.sum(columns[4]),
        ).group_by(columns[0], columns[1], columns[2])
    )
    return [
        TotalRow(group, person, project, int(minutes), int(count))
        for group, person, project, minutes, count in rows
        if count
    ]


def _conditions(
    table: type[HourTotal] | type[HourEntry],
    group_id: int | None,
    person_id: int | None,
    project_id: int | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if group_id is not None:
        conditions.append(table.group_id == group_id)
    if person_id is not None:
        conditions.append(table.person_id == person_id)
    if project_id is not None:
        conditions.append(table.project_id == project_id)
    return conditions


async def names_of_persons(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    rows = await session.execute(select(Person.id, Person.display_name).where(Person.id.in_(ids)))
    return {person_id: name for person_id, name in rows}


async def names_of_projects(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    rows = await session.execute(select(Project.id, Project.name).where(Project.id.in_(ids)))
    return {project_id: name for project_id, name in rows}


async def merge_totals(session: AsyncSession, keep_id: int, absorb_id: int) -> None:
    """Add the absorbed person's monthly totals to the kept person's (account linking)."""
    absorbed = (
        await session.scalars(select(HourTotal).where(HourTotal.person_id == absorb_id))
    ).all()
    for total in absorbed:
        kept = await session.get(
            HourTotal, (total.group_id, total.month, keep_id, total.project_id)
        )
        if kept is None:
            session.add(
                HourTotal(
                    group_id=total.group_id,
                    month=total.month,
                    person_id=keep_id,
                    project_id=total.project_id,
                    minutes=total.minutes,
                    entries=total.entries,
                )
            )
        else:
            kept.minutes += total.minutes
            kept.entries += total.entries
    await session.execute(delete(HourTotal).where(HourTotal.person_id == absorb_id))
    await session.flush()


# --- exports and the audit trail ----------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    entry_id: int
    work_date: date
    person: str
    project: str
    minutes: int
    description: str


async def export_rows(
    session: AsyncSession, group_id: int, start: date, end: date, chunk: int = 5000
) -> AsyncIterator[list[ExportRow]]:
    """The AG's entries from ``start`` to ``end`` in date order, streamed in chunks.

    Chunks, not rows: each step of an async iterator costs a switch into the driver's
    greenlet, about a second for 100,000 single rows.
    """
    result = await session.stream(
        select(
            HourEntry.id,
            HourEntry.work_date,
            Person.display_name,
            Project.name,
            HourEntry.minutes,
            HourEntry.description,
        )
        .join(Person, Person.id == HourEntry.person_id)
        .join(Project, Project.id == HourEntry.project_id)
        .where(
            HourEntry.group_id == group_id,
            HourEntry.work_date >= start,
            HourEntry.work_date <= end,
        )
        .order_by(HourEntry.work_date, Person.sort_name, HourEntry.id)
        .execution_options(yield_per=chunk)
    )
    async for partition in result.partitions():
        yield [ExportRow(*row) for row in partition]


async def changes_between(
    session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> list[tuple[HourEntryEvent, str]]:
    """Changes and deletions in the AG between two moments, with who made them."""
    rows = await session.execute(
        select(HourEntryEvent, func.coalesce(Person.display_name, "?"))
        .outerjoin(Person, Person.id == HourEntryEvent.person_id)
        .where(
            HourEntryEvent.group_id == group_id,
            HourEntryEvent.kind != HourEventKind.CREATED,
            HourEntryEvent.at >= start,
            HourEntryEvent.at < end,
        )
        .order_by(HourEntryEvent.at, HourEntryEvent.id)
    )
    return [(event, name) for event, name in rows]


# --- closed months ---------------------------------------------------------------------------


async def is_closed(session: AsyncSession, group_id: int, day: date) -> bool:
    return await session.get(ClosedMonth, (group_id, month_of(day))) is not None


async def close_month(
    session: AsyncSession, group_id: int, month: date, person_id: int, now: datetime
) -> bool:
    """Close ``month``; False when it was closed already."""
    if await session.get(ClosedMonth, (group_id, month)) is not None:
        return False
    session.add(ClosedMonth(group_id=group_id, month=month, closed_by=person_id, closed_at=now))
    await session.flush()
    return True
