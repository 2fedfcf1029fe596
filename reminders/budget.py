"""The notice to a coordinator that a project reached 80 % or 100 % of its year's budget.

The numbers are read when the notice is sent, so it shows the use as it is then, in the
same line the booking's reply shows.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.messages import bold, mention
from handlers.hours.budget import parse_budget_key, usage_text
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
from storage import hour_budgets
from storage.models import Project, Reminder, WorkingGroup


async def render_budget(
    session: AsyncSession, env: RenderEnvironment, row: Reminder
) -> Rendered | Withdrawn | None:
    parsed = parse_budget_key(row.key)
    project = await session.get(Project, parsed[0]) if parsed else None
    group = await session.get(WorkingGroup, row.group_id) if row.group_id is not None else None
    if parsed is None or project is None or group is None:
        return None
    _, year, threshold = parsed
    budget = await hour_budgets.budget_of(session, project.id, year)
    if budget is None:
        return None
    address = await address_of(session, env, row, group)
    if address is None:
        return Withdrawn(UNREACHABLE)
    used = await hour_budgets.used_in_year(session, project.id, year)
    context = bot_context(session, env, address.chat, group, address.person)
    reply = reply_for(context, env, row, group.timezone)
    if threshold >= 100:
        template = context.t("⚠ {project} ({group}) has used up its budget for {year}.")
    else:
        template = context.t(
            "⚠ {project} ({group}) has used {threshold} % of its budget for {year}."
        )
    if address.account_id is None:  # in the AG's chat: name whom it is for
        template = "{name}: " + template
    reply.add(
        template,
        name=mention(address.ref),
        project=bold(project.name),
        group=group.name,
        threshold=threshold,
        year=year,
    )
    reply.add(usage_text(context, year, used, budget.minutes))
    return Rendered(outgoing_to(address, reply.build()), [])
