"""The notice to a coordinator that a member left the AG and open tasks now have nobody
responsible. The tasks are read when the notice is sent: one assigned meanwhile is left
out, and when none is left the notice has nothing to say."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.messages import bold, mention
from handlers.tasks.leaving import notice_items, unassigned_lines
from reminders.addressing import (
    UNREACHABLE,
    Rendered,
    RenderEnvironment,
    Withdrawn,
    address_of,
    bot_context,
    outgoing_to,
    reply_for,
)
from storage import tasks
from storage.models import Person, Reminder, TaskStatus, WorkingGroup


async def render_unassigned(
    session: AsyncSession, env: RenderEnvironment, row: Reminder
) -> Rendered | Withdrawn | None:
    group = await session.get(WorkingGroup, row.group_id) if row.group_id is not None else None
    if group is None:
        return None
    items = [
        item
        for item in await tasks.items_by_id(session, notice_items(row.payload))
        if item.status is TaskStatus.OPEN and not item.assignees and item.group_id == group.id
    ]
    if not items:
        return None
    address = await address_of(session, env, row, group)
    if address is None:
        return Withdrawn(UNREACHABLE)
    left = await session.get(Person, row.created_by) if row.created_by is not None else None
    context = bot_context(session, env, address.chat, group, address.person)
    reply = reply_for(context, env, row, group.timezone)
    template = context.t("{person} has left {group}.")
    if address.account_id is None:  # in the AG's chat: name whom it is for
        template = "{name}: " + template
    reply.add(
        template,
        name=mention(address.ref),
        person=left.display_name if left is not None else "?",
        group=bold(group.name),
    )
    unassigned_lines(context, reply, items)
    return Rendered(outgoing_to(address, reply.build()))
