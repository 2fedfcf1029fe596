"""Every database row that belongs to one AG, found by walking the foreign keys.

A row belongs to the AG when it points at it (``group_id``) or at a row that belongs
to it (a meeting's agenda item, a task's assignee, a protocol's entry …). The walk
follows the metadata, so a table added later is covered without anyone listing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import Base

Row = tuple[Any, ...]


async def group_rows(engine: AsyncEngine, group_id: int) -> dict[str, set[Row]]:
    """Table name -> the rows of that table that belong to AG ``group_id``."""
    everything: dict[str, list[dict[str, Any]]] = {}
    async with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            result = await connection.execute(select(table))
            everything[table.name] = [dict(row._mapping) for row in result]
    belonging: dict[str, list[dict[str, Any]]] = {
        "working_groups": [r for r in everything["working_groups"] if r["id"] == group_id]
    }
    # sorted_tables lists a table after the tables it points at.
    for table in Base.metadata.sorted_tables:
        if table.name in belonging:
            continue
        belonging[table.name] = [
            row for row in everything[table.name] if _points_into(table, row, belonging)
        ]
    return {name: {_frozen(row) for row in rows} for name, rows in belonging.items()}


def _points_into(
    table: Table, row: dict[str, Any], belonging: dict[str, list[dict[str, Any]]]
) -> bool:
    for column in table.columns:
        value = row[column.name]
        if value is None:
            continue
        for key in column.foreign_keys:
            target = key.column
            if target.table.name == "persons":
                continue  # a person belongs to no AG; their rows in other AGs are not ours
            if any(other[target.name] == value for other in belonging.get(target.table.name, ())):
                return True
    return False


def _frozen(row: dict[str, Any]) -> Row:
    return tuple(sorted((key, repr(value)) for key, value in row.items()))


def changes(before: dict[str, set[Row]], after: dict[str, set[Row]]) -> dict[str, Any]:
    """What differs between two snapshots: rows gone and rows new, per table."""
    found: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        gone = before.get(name, set()) - after.get(name, set())
        new = after.get(name, set()) - before.get(name, set())
        if gone or new:
            found[name] = {"gone": sorted(gone), "new": sorted(new)}
    return found


def references_person(row: Row, person_id: int, person_columns: Iterable[str]) -> bool:
    """Whether one of the row's columns that point at ``persons`` holds ``person_id``."""
    values = dict(row)
    return any(values.get(column) == repr(person_id) for column in person_columns)


def person_columns() -> dict[str, set[str]]:
    """Per table, the columns that point at ``persons.id``."""
    return {
        table.name: {
            column.name
            for column in table.columns
            if any(key.column.table.name == "persons" for key in column.foreign_keys)
        }
        for table in Base.metadata.sorted_tables
    }


NETWORK_TABLES = ("networks", "network_groups", "network_roles", "network_chats")


async def network_rows(engine: AsyncEngine, network_id: int | None = None) -> dict[str, set[Row]]:
    """The rows of the network tables (of one network, if given): who belongs where."""
    found: dict[str, set[Row]] = {}
    async with engine.connect() as connection:
        for name in NETWORK_TABLES:
            result = await connection.execute(select(Base.metadata.tables[name]))
            key = "id" if name == "networks" else "network_id"
            found[name] = {
                _frozen(dict(row._mapping))
                for row in result
                if network_id is None or row._mapping[key] == network_id
            }
    return found
