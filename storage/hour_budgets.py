"""Projects and their year budgets: what hours are booked against, and how much of a budget
is used (the 80 %/100 % notices ask here). The entries and totals are ``storage.hours``."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.hours import project_key
from storage.models import HourTotal, Project, ProjectBudget

# The thresholds of a year's budget the coordinators are told of, once each.
BUDGET_THRESHOLDS = (80, 100)


async def projects_of(session: AsyncSession, group_id: int) -> list[Project]:
    """The AG's projects, the default one first, then by name."""
    rows = await session.scalars(
        select(Project)
        .where(Project.group_id == group_id)
        .order_by(Project.is_default.desc(), Project.name_key)
    )
    return list(rows)


async def find_project(session: AsyncSession, group_id: int, name: str) -> Project | None:
    return await session.scalar(
        select(Project).where(Project.group_id == group_id, Project.name_key == project_key(name))
    )


async def add_project(
    session: AsyncSession,
    group_id: int,
    name: str,
    person_id: int | None,
    now: datetime,
    *,
    is_default: bool = False,
) -> Project:
    project = Project(
        group_id=group_id,
        name=" ".join(name.split()),
        name_key=project_key(name),
        is_default=is_default,
        created_by=person_id,
        created_at=now,
    )
    session.add(project)
    await session.flush()
    return project


async def default_project(
    session: AsyncSession, group_id: int, name: str, now: datetime
) -> Project:
    """The AG's default project; created with ``name`` the first time hours are logged."""
    project = await find_default(session, group_id)
    if project is not None:
        return project
    existing = await find_project(session, group_id, name)
    if existing is not None:
        existing.is_default = True
        return existing
    return await add_project(session, group_id, name, None, now, is_default=True)


async def find_default(session: AsyncSession, group_id: int) -> Project | None:
    return await session.scalar(
        select(Project).where(Project.group_id == group_id, Project.is_default.is_(True))
    )


async def make_default(session: AsyncSession, project: Project) -> None:
    for other in await projects_of(session, project.group_id):
        other.is_default = other.id == project.id
    await session.flush()


async def budget_of(session: AsyncSession, project_id: int, year: int) -> ProjectBudget | None:
    return await session.get(ProjectBudget, (project_id, year))


async def set_budget(
    session: AsyncSession,
    project_id: int,
    year: int,
    minutes: int,
    person_id: int | None,
    now: datetime,
    *,
    hard: bool = False,
) -> ProjectBudget:
    """Set a year's budget. Thresholds already told stay told: each is told once a year."""
    budget = await budget_of(session, project_id, year)
    if budget is None:
        budget = ProjectBudget(project_id=project_id, year=year, alerted_percent=0)
        session.add(budget)
    budget.minutes = minutes
    budget.hard = hard
    budget.set_by = person_id
    budget.set_at = now
    await session.flush()
    return budget


async def budgets_of(session: AsyncSession, group_id: int, year: int) -> dict[int, int]:
    """Project id → the year's budget in minutes, for the AG's projects that have one."""
    rows = await session.execute(
        select(ProjectBudget.project_id, ProjectBudget.minutes)
        .join(Project, Project.id == ProjectBudget.project_id)
        .where(Project.group_id == group_id, ProjectBudget.year == year)
    )
    return {project_id: minutes for project_id, minutes in rows}


async def capped_projects(session: AsyncSession, group_id: int, year: int) -> set[int]:
    """The AG's projects whose budget for ``year`` is a hard cap."""
    rows = await session.scalars(
        select(ProjectBudget.project_id)
        .join(Project, Project.id == ProjectBudget.project_id)
        .where(
            Project.group_id == group_id,
            ProjectBudget.year == year,
            ProjectBudget.hard.is_(True),
        )
    )
    return set(rows)


async def locked_budget(session: AsyncSession, project_id: int, year: int) -> ProjectBudget | None:
    """The year's budget, its row locked (PostgreSQL) until the transaction ends.

    A booking checks a hard cap under this lock, so two bookings at the same moment cannot
    both pass the check and together pass the cap.
    """
    return await session.scalar(
        select(ProjectBudget)
        .where(ProjectBudget.project_id == project_id, ProjectBudget.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def crossed_thresholds(
    session: AsyncSession, project_id: int, year: int
) -> tuple[ProjectBudget, int, int] | None:
    """(budget, used minutes, threshold) when bookings just reached a threshold not told yet.

    Marks the threshold as told, so it is returned once; a jump past several thresholds
    returns the highest. The budget row is locked first (PostgreSQL), so two bookings at
    the same moment cannot both tell the same threshold.
    """
    budget = await locked_budget(session, project_id, year)
    if budget is None or budget.minutes <= 0:
        return None
    used = await used_in_year(session, project_id, year)
    reached = [t for t in BUDGET_THRESHOLDS if used * 100 >= budget.minutes * t]
    if not reached or reached[-1] <= budget.alerted_percent:
        return None
    budget.alerted_percent = reached[-1]
    await session.flush()
    return budget, used, reached[-1]


async def used_in_year(session: AsyncSession, project_id: int, year: int) -> int:
    used = await session.scalar(
        select(func.coalesce(func.sum(HourTotal.minutes), 0)).where(
            HourTotal.project_id == project_id,
            HourTotal.month >= date(year, 1, 1),
            HourTotal.month < date(year + 1, 1, 1),
        )
    )
    return int(used or 0)


async def used_by_project(session: AsyncSession, group_id: int, year: int) -> dict[int, int]:
    """Minutes used per project of the AG in ``year``, in one scan of the year's totals."""
    rows = await session.execute(
        select(HourTotal.project_id, func.sum(HourTotal.minutes))
        .where(
            HourTotal.group_id == group_id,
            HourTotal.month >= date(year, 1, 1),
            HourTotal.month < date(year + 1, 1, 1),
        )
        .group_by(HourTotal.project_id)
    )
    return {project_id: int(minutes) for project_id, minutes in rows}
