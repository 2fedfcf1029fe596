"""What leaving an AG does to the person's tasks: they are taken off every open task of it,
each task's history says so, and the coordinators learn which tasks now have nobody
responsible.

``/austreten`` calls :func:`release_tasks`; the reminder engine renders the coordinators'
notice with :func:`unassigned_lines`, so both import this module and neither the other.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from core.messages import ReplyBuilder, Span
from handlers.shared.context import Context
from handlers.tasks.texts import item_spans
from storage import groups, people, reminders, tasks
from storage.models import Person, ReminderKind, Role, TaskEventKind, WorkingGroup
from storage.reminders import PlannedReminder
from storage.tasks import ItemRow


@dataclass(frozen=True)
class Released:
    """The open tasks the person was taken off, and those of them nobody is left for."""

    released: list[ItemRow]
    unassigned: list[ItemRow]


async def release_tasks(context: Context, group: WorkingGroup, person: Person) -> Released:
    """Take ``person`` off the AG's open tasks and plan the coordinators' notice.

    Called in the command's transaction, before the membership goes: the notice rows are
    written with it, so the coordinators are told exactly when the leaving is stored.
    """
    session, now = context.session, context.now()
    item_ids = await tasks.release_person(session, group.id, person.id)
    for item_id in item_ids:
        item = await tasks.get_item(session, item_id)
        assert item is not None
        tasks.record(session, item, TaskEventKind.LEFT, person.id, now)
        await reminders.sync_item(session, item, now)  # withdraws the person's task reminders
    rows = await tasks.items_by_id(session, item_ids)
    unassigned = [row for row in rows if not row.assignees]
    if unassigned:
        await _plan_notices(context, group, person, unassigned)
    return Released(rows, unassigned)


async def _plan_notices(
    context: Context, group: WorkingGroup, person: Person, unassigned: list[ItemRow]
) -> None:
    """One notice per coordinator who can be written to privately; the others read the
    reply in the AG's chat and find the tasks in their next weekly overview."""
    coordinators = [
        member.person_id
        for member in await groups.members_of(context.session, group.id, role=Role.COORDINATOR)
        if member.person_id != person.id
    ]
    reachable = await people.reachable_privately(context.session, coordinators)
    payload = json.dumps([row.id for row in unassigned])
    for coordinator in coordinators:
        if coordinator not in reachable:
            continue
        await reminders.add(
            context.session,
            PlannedReminder(
                key=f"unassigned:{uuid.uuid4().hex}",
                kind=ReminderKind.UNASSIGNED,
                due_at=context.now(),
                group_id=group.id,
                person_id=coordinator,
                timezone=group.timezone,
                created_by=person.id,
                payload=payload,
            ),
            context.now(),
        )


def notice_items(payload: str | None) -> list[int]:
    """The task numbers a notice row names (none for a row that names none)."""
    try:
        numbers = json.loads(payload or "[]")
    except ValueError:
        return []
    if not isinstance(numbers, list):
        return []
    return [n for n in numbers if isinstance(n, int)]


def unassigned_lines(context: Context, reply: ReplyBuilder, rows: list[ItemRow]) -> None:
    """``Now nobody is responsible for (2):`` with the tasks and how to assign them."""
    reply.add(context.t("Now nobody is responsible for ({count}):"), count=len(rows))
    for row in rows:
        reply.add_spans([Span("  "), *item_spans(context, row, with_assignees=False)])
    reply.add(
        context.t("Assign anew: {command}"),
        command=f"{context.command_word('zuweisen')} {rows[0].id} @…",
    )
