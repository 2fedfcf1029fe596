"""Projects and budgets: /projekt (create, set a year's budget, make default) and /projekte.

A budget is hours per calendar year, given in hours or Tagewerke. When bookings bring a
project to 80 % and to 100 % of its year's budget, every coordinator of the AG is told,
once per threshold and year, through the reminder engine (so nothing is lost when a
coordinator cannot be reached right now).
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Reply, ReplyBuilder, bold
from handlers.hours.amounts import format_days, format_minutes, parse_amount
from handlers.hours.budget import budget_text, tell_budget
from handlers.shared.context import Context
from storage import hour_budgets
from storage.models import Project, WorkingGroup

MAX_NAME = 100
# More than anyone plans for a year: 50 people full time.
MAX_BUDGET_MINUTES = 50 * 2000 * 60
_BUDGET = re.compile(r"\s+(?:budget)\s+", re.IGNORECASE)
_DEFAULT_WORDS = {"standard", "default"}
# "budget 360 h hart": bookings past the budget are refused, not only told.
_HARD_WORDS = {"hart", "hard", "fest", "strikt", "strict", "cap"}
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_CREATED = N_("Project {name} created.")
_SHOWN = N_("Project {name}:")
_SAVED = N_("Budget {year}: {hours} h ({days} TW) saved.")
_SAVED_HARD = N_("Budget {year}: {hours} h ({days} TW) saved, as a hard cap.")


def local_today(context: Context, group: WorkingGroup) -> date:
    """Today in the AG's time zone: the day hours are booked on by default."""
    return context.now().astimezone(ZoneInfo(group.timezone)).date()


async def project_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    text = " ".join(args.split())
    if not text:
        raise UsageError()
    budget_text: str | None = None
    make_default = False
    if match := _BUDGET.search(f" {text}"):
        name = f" {text}"[: match.start()].strip()
        budget_text = f" {text}"[match.end() :].strip()
    else:
        name = text
        last = name.rsplit(" ", 1)
        if len(last) == 2 and last[1].casefold() in _DEFAULT_WORDS:
            name, make_default = last[0], True
    if not name:
        raise UsageError()
    if len(name) > MAX_NAME:
        raise context.refuse("A project name may be at most {limit} characters.", limit=MAX_NAME)
    project = await hour_budgets.find_project(context.session, group.id, name)
    created = project is None
    if project is None:
        project = await hour_budgets.add_project(
            context.session, group.id, name, context.person.id, context.now()
        )
    reply = context.reply(_CREATED if created else _SHOWN, name=bold(project.name))
    if make_default:
        await hour_budgets.make_default(context.session, project)
        reply.add(context.t("Hours without a project are now booked on it."))
    if budget_text is not None:
        await _set_budget(context, group, project, budget_text, reply)
    await _budget_lines(context, group, project, local_today(context, group).year, reply)
    return reply.build()


async def _set_budget(
    context: Context, group: WorkingGroup, project: Project, text: str, reply: ReplyBuilder
) -> None:
    words = text.split()
    year = local_today(context, group).year
    hard = False
    while words and (_YEAR.match(words[-1]) or words[-1].casefold() in _HARD_WORDS):
        word = words.pop()
        if _YEAR.match(word):
            year = int(word)
        else:
            hard = True
    minutes = parse_amount(" ".join(words), group.hours_per_day)
    if minutes is None or minutes <= 0 or minutes > MAX_BUDGET_MINUTES:
        raise context.refuse(
            "I did not understand the budget {text}. Examples: budget 360, budget 45 TW, "
            "budget 120 h 2027, budget 360 h hard.",
            text=f"„{text}“" if context.language == "de" else f'"{text}"',
        )
    await hour_budgets.set_budget(
        context.session, project.id, year, minutes, context.person.id, context.now(), hard=hard
    )
    reply.add(
        context.t(_SAVED_HARD if hard else _SAVED),
        year=year,
        hours=format_minutes(minutes),
        days=format_days(minutes, group.hours_per_day),
    )
    notice = await tell_budget(context, group, project, year)
    if notice is not None:
        reply.add(notice)


async def _budget_lines(
    context: Context, group: WorkingGroup, project: Project, year: int, reply: ReplyBuilder
) -> None:
    used = await hour_budgets.used_in_year(context.session, project.id, year)
    budget = await hour_budgets.budget_of(context.session, project.id, year)
    minutes, hard = (budget.minutes, budget.hard) if budget else (None, False)
    reply.add(budget_text(context, group, year, used, minutes, hard=hard))


async def projects_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    if context.role is None and context.level < Permission.COORDINATOR:
        raise context.refuse(
            "Only members of {group} can see its projects. Join with {join}.",
            group=group.name,
            join=context.command_word("beitreten"),
        )
    year = local_today(context, group).year
    projects = await hour_budgets.projects_of(context.session, group.id)
    if not projects:
        return context.reply(
            "{group} has no projects yet. Coordinators create one with {example}.",
            group=bold(group.name),
            example=f"{context.command_word('projekt')} Pilotprojekt budget 360",
        ).build()
    budgets = await hour_budgets.budgets_of(context.session, group.id, year)
    used = await hour_budgets.used_by_project(context.session, group.id, year)
    capped = await hour_budgets.capped_projects(context.session, group.id, year)
    reply = context.reply("Projects of {group}:", group=bold(group.name))
    for project in projects:
        line = budget_text(
            context,
            group,
            year,
            used.get(project.id, 0),
            budgets.get(project.id),
            hard=project.id in capped,
        )
        marker = context.t(" (default)") if project.is_default else ""
        reply.add("• {name}{marker} – {line}", name=bold(project.name), marker=marker, line=line)
    return reply.build()


COMMANDS = [
    Command(
        name="projekt",
        alias="project",
        usage=N_("<name> [budget <hours or TW> [year] [hard]] | <name> default"),
        summary=N_("Creates a project of the AG, sets its budget for a year or makes it default."),
        details=N_(
            "Examples: /projekt Leerstandsmanagement budget 360 — /projekt Pilotprojekt budget "
            "45 TW 2027 — /projekt Pilot budget 360 h hart — /projekt Allgemein standard. "
            "Coordinators are told when a project reaches 80 % and 100 % of its year's "
            "budget; with hart (hard) bookings that would pass it are refused."
        ),
        handler=project_command,
        permission=Permission.COORDINATOR,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="projekte",
        alias="projects",
        usage="",
        summary=N_("Lists the AG's projects with hours used and budget this year."),
        details="",
        handler=projects_command,
        where=Where.GROUP,
        needs_group=True,
    ),
]
