"""Action items (Umsetzungsschritte) of the AGs: items, their assignees and their history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ActionItem,
    ActionItemAssignee,
    ActionItemEvent,
    Person,
    TaskEventKind,
    TaskStatus,
    WorkingGroup,
)

CLOSED = (TaskStatus.DONE, TaskStatus.DROPPED)


@dataclass(frozen=True)
class NewItem:
    """What a new action item consists of."""

    group_id: int
    text: str
    due_at: datetime | None
    due_all_day: bool
    created_by: int
    assignees: tuple[int, ...] = ()
    meeting_id: int | None = None


async def add_item(session: AsyncSession, new: NewItem, now: datetime) -> ActionItem:
    item = ActionItem(
        group_id=new.group_id,
        text=new.text,
        status=TaskStatus.OPEN,
        due_at=new.due_at,
        due_all_day=new.due_all_day,
        meeting_id=new.meeting_id,
        created_by=new.created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(item)
    await session.flush()
    session.add_all(ActionItemAssignee(item_id=item.id, person_id=pid) for pid in new.assignees)
    return item


async def get_item(session: AsyncSession, item_id: int) -> ActionItem | None:
    return await session.get(ActionItem, item_id)


async def assignees_of(session: AsyncSession, item_id: int) -> list[tuple[int, str]]:
    """(person id, display name) of the item's assignees, by name."""
    rows = await session.execute(
        select(Person.id, Person.display_name)
        .join(ActionItemAssignee, ActionItemAssignee.person_id == Person.id)
        .where(ActionItemAssignee.item_id == item_id)
        .order_by(Person.sort_name, Person.id)
    )
    return [(pid, name) for pid, name in rows]


async def set_assignees(session: AsyncSession, item_id: int, person_ids: Iterable[int]) -> None:
    await session.execute(delete(ActionItemAssignee).where(ActionItemAssignee.item_id == item_id))
    session.add_all(ActionItemAssignee(item_id=item_id, person_id=pid) for pid in set(person_ids))
    await session.flush()


def record(
    session: AsyncSession,
    item: ActionItem,
    kind: TaskEventKind,
    person_id: int,
    now: datetime,
    detail: str = "",
) -> None:
    """Add an entry to the item's history and mark the item as changed."""
    session.add(
        ActionItemEvent(item_id=item.id, kind=kind, person_id=person_id, detail=detail, at=now)
    )
    item.updated_at = now


def close(
    session: AsyncSession, item: ActionItem, status: TaskStatus, person_id: int, now: datetime
) -> None:
    item.status = status
    item.closed_at = now
    item.closed_by = person_id
    kind = TaskEventKind.DONE if status is TaskStatus.DONE else TaskEventKind.DROPPED
    record(session, item, kind, person_id, now)


def reopen(session: AsyncSession, item: ActionItem, person_id: int, now: datetime) -> None:
    item.status = TaskStatus.OPEN
    item.closed_at = None
    item.closed_by = None
    record(session, item, TaskEventKind.REOPENED, person_id, now)


@dataclass(frozen=True)
class HistoryEntry:
    kind: TaskEventKind
    person_name: str | None
    detail: str
    at: datetime


async def history(session: AsyncSession, item_id: int) -> list[HistoryEntry]:
    """Everything that happened to the item, oldest first."""
    rows = await session.execute(
        select(
            ActionItemEvent.kind, Person.display_name, ActionItemEvent.detail, ActionItemEvent.at
        )
        .outerjoin(Person, Person.id == ActionItemEvent.person_id)
        .where(ActionItemEvent.item_id == item_id)
        .order_by(ActionItemEvent.at, ActionItemEvent.id)
    )
    return [HistoryEntry(*row) for row in rows]


@dataclass
class ItemRow:
    """An action item as lists show it, with its AG and its assignees."""

    id: int
    group_id: int
    group_name: str
    timezone: str
    text: str
    status: TaskStatus
    due_at: datetime | None
    due_all_day: bool
    closed_at: datetime | None
    assignees: list[tuple[int, str]] = field(default_factory=list)

    def is_overdue(self, now: datetime) -> bool:
        return self.status is TaskStatus.OPEN and self.due_at is not None and self.due_at < now


_ROW_COLUMNS = (
    ActionItem.id,
    ActionItem.group_id,
    WorkingGroup.name,
    WorkingGroup.timezone,
    ActionItem.text,
    ActionItem.status,
    ActionItem.due_at,
    ActionItem.due_all_day,
    ActionItem.closed_at,
)


Listing = Select[*tuple[Any, ...]]


def _listing(*conditions: ColumnElement[bool]) -> Listing:
    """Items matching ``conditions`` with their AG, one row per assignee (or one without)."""
    return (
        select(*_ROW_COLUMNS, Person.id, Person.display_name)
        .join(WorkingGroup, WorkingGroup.id == ActionItem.group_id)
        .outerjoin(ActionItemAssignee, ActionItemAssignee.item_id == ActionItem.id)
        .outerjoin(Person, Person.id == ActionItemAssignee.person_id)
        .where(*conditions)
    )


async def _items(session: AsyncSession, query: Listing) -> list[ItemRow]:
    """Fold the rows of a :func:`_listing` into items; one query, in the query's order."""
    items: dict[int, ItemRow] = {}
    for row in await session.execute(query):
        item_id, group_id, group, zone, text, status, due, all_day, closed, person_id, name = row
        item = items.get(item_id)
        if item is None:
            item = items[item_id] = ItemRow(
                item_id, group_id, group, zone, text, status, due, all_day, closed
            )
        if person_id is not None:
            item.assignees.append((person_id, name))
    return list(items.values())


async def open_items(
    session: AsyncSession,
    group_ids: Sequence[int],
    *,
    person_id: int | None = None,
    due_before: datetime | None = None,
) -> list[ItemRow]:
    """Open items of these AGs by deadline (none last); optionally one person's, or overdue."""
    query = _listing(
        ActionItem.group_id.in_(group_ids), ActionItem.status == TaskStatus.OPEN
    ).order_by(
        ActionItem.due_at.is_(None), ActionItem.due_at, ActionItem.id, Person.sort_name, Person.id
    )
    if person_id is not None:
        query = query.where(_assigned_to(person_id))
    if due_before is not None:
        query = query.where(ActionItem.due_at < due_before)
    return await _items(session, query)


async def closed_items(
    session: AsyncSession,
    group_ids: Sequence[int],
    since: datetime,
    *,
    until: datetime | None = None,
    person_id: int | None = None,
) -> list[ItemRow]:
    """Items done or dropped since ``since`` (and up to ``until``), the latest first."""
    query = _listing(
        ActionItem.group_id.in_(group_ids),
        ActionItem.status.in_(CLOSED),
        ActionItem.closed_at >= since,
    )
    if until is not None:
        query = query.where(ActionItem.closed_at <= until)
    query = query.order_by(
        ActionItem.closed_at.desc(), ActionItem.id.desc(), Person.sort_name, Person.id
    )
    if person_id is not None:
        query = query.where(or_(_assigned_to(person_id), ActionItem.closed_by == person_id))
    return await _items(session, query)


def _assigned_to(person_id: int) -> ColumnElement[bool]:
    return ActionItem.id.in_(
        select(ActionItemAssignee.item_id).where(ActionItemAssignee.person_id == person_id)
    )


@dataclass(frozen=True)
class OpenCount:
    """Open and overdue items of one person (None: nobody) in one AG."""

    group_id: int
    person_id: int | None
    person_name: str | None
    open: int
    overdue: int


async def open_counts(
    session: AsyncSession, group_ids: Sequence[int], now: datetime
) -> list[OpenCount]:
    """Per AG and assignee: how many items are open and how many of them overdue."""
    overdue = func.sum(case((ActionItem.due_at < now, 1), else_=0))
    rows = await session.execute(
        select(
            ActionItem.group_id,
            Person.id,
            Person.display_name,
            func.count(),
            overdue,
        )
        .outerjoin(ActionItemAssignee, ActionItemAssignee.item_id == ActionItem.id)
        .outerjoin(Person, Person.id == ActionItemAssignee.person_id)
        .where(ActionItem.group_id.in_(group_ids), ActionItem.status == TaskStatus.OPEN)
        .group_by(ActionItem.group_id, Person.id, Person.display_name, Person.sort_name)
        .order_by(ActionItem.group_id, Person.sort_name.is_(None), Person.sort_name, Person.id)
    )
    return [
        OpenCount(gid, pid, name, int(count), int(late or 0))
        for gid, pid, name, count, late in rows
    ]


async def count_open(session: AsyncSession, group_ids: Sequence[int]) -> int:
    return (
        await session.scalar(
            select(func.count()).where(
                ActionItem.group_id.in_(group_ids), ActionItem.status == TaskStatus.OPEN
            )
        )
    ) or 0


async def release_person(session: AsyncSession, group_id: int, person_id: int) -> list[int]:
    """Take the person off every open item of the AG; the numbers of those items, in order."""
    item_ids = list(
        await session.scalars(
            select(ActionItem.id)
            .where(
                ActionItem.group_id == group_id,
                ActionItem.status == TaskStatus.OPEN,
                _assigned_to(person_id),
            )
            .order_by(ActionItem.id)
        )
    )
    if item_ids:
        await session.execute(
            delete(ActionItemAssignee).where(
                ActionItemAssignee.item_id.in_(item_ids), ActionItemAssignee.person_id == person_id
            )
        )
    return item_ids


async def items_by_id(session: AsyncSession, item_ids: Sequence[int]) -> list[ItemRow]:
    """These items as lists show them, by number."""
    query = _listing(ActionItem.id.in_(item_ids)).order_by(
        ActionItem.id, Person.sort_name, Person.id
    )
    return await _items(session, query)


async def unassigned_items(session: AsyncSession, group_ids: Sequence[int]) -> list[ItemRow]:
    """Open items of these AGs that nobody is responsible for, by deadline (none last)."""
    nobody = ~ActionItem.id.in_(select(ActionItemAssignee.item_id))
    query = _listing(
        ActionItem.group_id.in_(group_ids), ActionItem.status == TaskStatus.OPEN, nobody
    ).order_by(ActionItem.due_at.is_(None), ActionItem.due_at, ActionItem.id)
    return await _items(session, query)
