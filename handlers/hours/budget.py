"""Year budgets of projects: the budget line and the 80 %/100 % notices.

The commands show the line; the reminder engine renders the notices planned here, so both
import this module (and nothing of the command modules).
"""

from __future__ import annotations

from core.i18n import N_
from handlers.hours.amounts import format_minutes
from handlers.shared.context import Context
from storage import groups, hour_budgets, reminders
from storage.models import Project, ReminderKind, Role, WorkingGroup
from storage.reminders import PlannedReminder


def budget_text(
    context: Context, group: WorkingGroup, year: int, used: int, budget: int | None
) -> str:
    """``2026: 290:00 h of 360:00 h used (81 %), 70:00 h left`` or without a budget."""
    if budget is None:
        return context.t("{year}: {used} h used, no budget").format(
            year=year, used=format_minutes(used)
        )
    template = (
        N_("{year}: {used} h of {budget} h used ({percent} %), {left} h left")
        if used <= budget
        else N_("{year}: {used} h of {budget} h used ({percent} %), {left} h over budget")
    )
    return context.t(template).format(
        year=year,
        used=format_minutes(used),
        budget=format_minutes(budget),
        percent=used * 100 // budget if budget else 0,
        left=format_minutes(abs(budget - used)),
    )


async def tell_budget(
    context: Context, group: WorkingGroup, project: Project, year: int
) -> str | None:
    """Plan the coordinators' notices when the project just reached 80 % or 100 %.

    Returns the line for the person whose booking reached it, or None.
    """
    crossed = await hour_budgets.crossed_thresholds(context.session, project.id, year)
    if crossed is None:
        return None
    budget, used, threshold = crossed
    now = context.now()
    for member in await groups.members_of(context.session, group.id, role=Role.COORDINATOR):
        await reminders.add(
            context.session,
            PlannedReminder(
                key=budget_key(project.id, year, threshold, member.person_id),
                kind=ReminderKind.BUDGET,
                due_at=now,
                group_id=group.id,
                person_id=member.person_id,
                timezone=group.timezone,
            ),
            now,
        )
    return context.t("Note: {project} has used {percent} % of its budget for {year}.").format(
        project=project.name, percent=used * 100 // budget.minutes, year=year
    )


def budget_key(project_id: int, year: int, threshold: int, person_id: int) -> str:
    return f"budget:{project_id}:{year}:{threshold}:{person_id}"


def parse_budget_key(key: str) -> tuple[int, int, int] | None:
    """(project id, year, threshold) of a budget reminder's key."""
    parts = key.split(":")
    if len(parts) != 5 or parts[0] != "budget" or not all(p.isdigit() for p in parts[1:]):
        return None
    return int(parts[1]), int(parts[2]), int(parts[3])
