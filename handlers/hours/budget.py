"""Year budgets of projects: the budget line, the use at a booking, the 80 %/100 % notices
and the hard cap.

The commands show the line; the reminder engine renders the notices planned here, so both
import this module (and nothing of the command modules).
"""

from __future__ import annotations

from core.i18n import N_
from handlers.hours.amounts import format_minutes
from handlers.shared.context import Context
from storage import groups, hour_budgets, reminders
from storage.hour_budgets import BUDGET_THRESHOLDS
from storage.models import Project, ReminderKind, Role, WorkingGroup
from storage.reminders import PlannedReminder

# From this share of the year's budget on, every booking's reply shows the use.
WARN_PERCENT = BUDGET_THRESHOLDS[0]


def budget_text(
    context: Context,
    group: WorkingGroup,
    year: int,
    used: int,
    budget: int | None,
    *,
    hard: bool = False,
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
    text = context.t(template).format(
        year=year,
        used=format_minutes(used),
        budget=format_minutes(budget),
        percent=percent_of(used, budget),
        left=format_minutes(abs(budget - used)),
    )
    return text + context.t(", hard cap") if hard else text


def percent_of(used: int, budget: int) -> int:
    """Whole percent, rounded down: 79.9 % is not yet 80 %."""
    return used * 100 // budget if budget > 0 else 0


def usage_text(context: Context, year: int, used: int, budget: int) -> str:
    """``⚠ Budget 2026: 104 % used, 375:30 h of 360:00 h``: the booking's and the notice's line."""
    return context.t("⚠ Budget {year}: {percent} % used, {used} h of {budget} h").format(
        year=year,
        percent=percent_of(used, budget),
        used=format_minutes(used),
        budget=format_minutes(budget),
    )


async def refuse_over_cap(context: Context, project: Project, year: int, added: int) -> None:
    """Refuse adding ``added`` minutes to ``project`` in ``year`` when it would pass a hard cap.

    The budget row stays locked until the booking's transaction ends, so bookings at the
    same moment are checked one after the other.
    """
    if added <= 0:
        return
    budget = await hour_budgets.locked_budget(context.session, project.id, year)
    if budget is None or not budget.hard:
        return
    used = await hour_budgets.used_in_year(context.session, project.id, year)
    if used + added <= budget.minutes:
        return
    raise context.refuse(
        "The budget {year} of {project} is capped at {budget} h: {left} h remain, this "
        "booking has {amount} h.",
        year=year,
        project=project.name,
        budget=format_minutes(budget.minutes),
        left=format_minutes(max(budget.minutes - used, 0)),
        amount=format_minutes(added),
    )


async def tell_budget(
    context: Context, group: WorkingGroup, project: Project, year: int
) -> str | None:
    """The use of the year's budget once it is past 80 %, for the reply to a booking.

    Plans the coordinators' notices when the booking just reached 80 % or 100 %.
    """
    crossed = await hour_budgets.crossed_thresholds(context.session, project.id, year)
    if crossed is None:
        budget = await hour_budgets.budget_of(context.session, project.id, year)
        if budget is None or budget.minutes <= 0:
            return None
        used = await hour_budgets.used_in_year(context.session, project.id, year)
        if percent_of(used, budget.minutes) < WARN_PERCENT:
            return None
        return usage_text(context, year, used, budget.minutes)
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
    return usage_text(context, year, used, budget.minutes)


def budget_key(project_id: int, year: int, threshold: int, person_id: int) -> str:
    return f"budget:{project_id}:{year}:{threshold}:{person_id}"


def parse_budget_key(key: str) -> tuple[int, int, int] | None:
    """(project id, year, threshold) of a budget reminder's key."""
    parts = key.split(":")
    if len(parts) != 5 or parts[0] != "budget" or not all(p.isdigit() for p in parts[1:]):
        return None
    return int(parts[1]), int(parts[2]), int(parts[3])
