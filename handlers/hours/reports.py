"""/stunden bericht, /stunden export and /stunden abschliessen: reports, spreadsheet exports
and closing a month.

Coordinators see everyone's hours of their AG; members get reports of their own only.
Totals are summed by the database (``storage.hours.totals``).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from core.errors import UsageError
from core.file_names import ascii_name
from core.i18n import N_, Translator
from core.messages import OutgoingFile, Reply, ReplyBuilder, bold
from documents.hour_export import BudgetRow, ChangeRow, HourRow, render_csv
from documents.hour_workbook import HourWorkbook, render_xlsx
from handlers.hours.amounts import format_days, format_minutes
from handlers.hours.budget import budget_text
from handlers.hours.projects import local_today
from handlers.shared.context import Context
from handlers.shared.membership import is_coordinator
from handlers.shared.mentions import resolve_member
from handlers.shared.periods import Period
from handlers.shared.private_group import group_for
from handlers.shared.time_input import read_period
from storage import groups, hour_budgets, hours
from storage.models import HourEventKind, Project, WorkingGroup

_REPORT = {"bericht", "report", "auswertung"}
_EXPORT = {"export", "exportieren"}
_CLOSE = {"abschliessen", "abschließen", "close"}
_PROJECT = re.compile(r"(?:^|\s)(?:für|fuer|for)\s+(?P<name>.+)$", re.IGNORECASE)
# Changes listed in a report; the export has all of them.
_CHANGES_SHOWN = 10
_CHANGE_NAMES = {HourEventKind.CHANGED: N_("changed"), HourEventKind.DELETED: N_("deleted")}

_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Subcommand = Callable[[Context, str], Awaitable[Reply]]


def _word(context: Context, german: str, english: str) -> str:
    """A subcommand word in the reader's language, like the command words."""
    return german if context.language == "de" else english


def subcommand(word: str) -> Subcommand | None:
    """The handler of ``/stunden <word> …`` for reports, exports and closing, if it is one."""
    if word in _REPORT:
        return report
    if word in _EXPORT:
        return export
    if word in _CLOSE:
        return close
    return None


def _period(context: Context, group: WorkingGroup, text: str, default: str) -> Period:
    return read_period(context, text or default, group.timezone)


async def report(context: Context, args: str) -> Reply:
    group, args = await _report_group(context, args, _word(context, "bericht", "report"))
    coordinator = await is_coordinator(context, group)
    member = await groups.role_in(context.session, group.id, context.person.id) is not None
    if not member and not coordinator:
        raise context.refuse("Only members of {group} can see its hours.", group=group.name)
    text = context.without_mentions(args)
    project: Project | None = None
    if match := _PROJECT.search(text):
        project = await _named_project(context, group, match["name"].strip())
        text = text[: match.start()].strip()
    period = _period(context, group, text, "monat")
    person_id = await _reported_person(context, group, coordinator)
    rows = await hours.totals(
        context.session,
        period.start,
        period.end,
        group_id=group.id,
        person_id=person_id,
        project_id=project.id if project else None,
    )
    heading = context.t("Hours {group} · {period}").format(
        group=group.name, period=period.label(context.language)
    )
    reply = context.reply("{heading}", heading=bold(heading))
    if person_id is not None and person_id != context.person.id:
        names = await hours.names_of_persons(context.session, [person_id])
        reply.add(context.t("Person: {name}"), name=names.get(person_id, "?"))
    if project is not None:
        reply.add(context.t("Project: {name}"), name=project.name)
    if not rows:
        reply.add(context.t("No hours in this period."))
        return reply.build()
    await _report_lines(context, group, period, rows, reply)
    if coordinator and project is None:
        await _changes(context, group, period, person_id, reply)
    return reply.build()


def entries_text(context: Context, count: int) -> str:
    """``1 Eintrag`` / ``3 Einträge``."""
    return context.tn("{count} entry", "{count} entries", count).format(count=count)


async def _report_group(context: Context, args: str, word: str) -> tuple[WorkingGroup, str]:
    """The chat's AG; in a private chat the AG named first or the person's only AG, and the
    arguments without its name. ``word``: the subcommand the AG buttons repeat."""
    return await group_for(context, args, f"{context.command_word('stunden')} {word}")


async def _reported_person(context: Context, group: WorkingGroup, coordinator: bool) -> int | None:
    """Whose hours: the mentioned member (coordinators), oneself (members), or everyone."""
    mentions = context.message.mentions
    if len(mentions) > 1:
        raise context.refuse("Please name one person at a time.")
    if mentions:
        person = await resolve_member(context, group, mentions[0])
        if not coordinator and person.id != context.person.id:
            raise context.refuse("Members see reports of their own hours only.")
        return person.id
    return None if coordinator else context.person.id


async def _named_project(context: Context, group: WorkingGroup, name: str) -> Project:
    project = await hour_budgets.find_project(context.session, group.id, name)
    if project is None:
        known = [p.name for p in await hour_budgets.projects_of(context.session, group.id)]
        raise context.refuse(
            "{group} has no project {name}. Projects: {known}.",
            group=group.name,
            name=f"„{name}“" if context.language == "de" else f'"{name}"',
            known=", ".join(known) or context.t("none yet"),
        )
    return project


async def _report_lines(
    context: Context,
    group: WorkingGroup,
    period: Period,
    rows: list[hours.TotalRow],
    reply: ReplyBuilder,
) -> None:
    per_person: dict[int, int] = {}
    per_project: dict[int, int] = {}
    for row in rows:
        per_person[row.person_id] = per_person.get(row.person_id, 0) + row.minutes
        per_project[row.project_id] = per_project.get(row.project_id, 0) + row.minutes
    persons = await hours.names_of_persons(context.session, list(per_person))
    projects = await hours.names_of_projects(context.session, list(per_project))
    per_day = group.hours_per_day
    reply.add(context.t("By person:"))
    for pid, minutes in sorted(per_person.items(), key=lambda pair: persons[pair[0]].casefold()):
        reply.add(
            "• {name}: {hours} h ({days} TW)",
            name=persons[pid],
            hours=format_minutes(minutes),
            days=format_days(minutes, per_day),
        )
    reply.add(context.t("By project:"))
    one_year = period.start.year == period.end.year
    year = period.start.year
    budgets = await hour_budgets.budgets_of(context.session, group.id, year) if one_year else {}
    used = await hour_budgets.used_by_project(context.session, group.id, year) if budgets else {}
    for pid, minutes in sorted(per_project.items(), key=lambda pair: projects[pair[0]].casefold()):
        line = f"• {projects[pid]}: {format_minutes(minutes)} h"
        if pid in budgets:
            line += " – " + budget_text(context, group, year, used.get(pid, 0), budgets[pid])
        reply.add("{line}", line=line)
    total = sum(per_person.values())
    count = sum(row.entries for row in rows)
    reply.add(
        context.t("Total: {hours} h ({days} TW) {in_entries}"),
        hours=bold(format_minutes(total)),
        days=format_days(total, per_day),
        in_entries=context.tn("in {count} entry", "in {count} entries", count).format(count=count),
    )


async def _changes(
    context: Context,
    group: WorkingGroup,
    period: Period,
    person_id: int | None,
    reply: ReplyBuilder,
) -> None:
    """The audit trail of the period: entries changed or deleted while it was current.

    Only the person of an entry changes it, so a person's report shows their own changes.
    """
    start, end = period.moments(group.timezone)
    changes = await hours.changes_between(context.session, group.id, start, end)
    if person_id is not None:
        changes = [(event, name) for event, name in changes if event.person_id == person_id]
    if not changes:
        return
    reply.add(context.t("Changed or deleted in this period: {count}"), count=len(changes))
    for event, name in changes[:_CHANGES_SHOWN]:
        amounts = format_minutes(event.minutes_before or 0)
        if event.minutes_after is not None:
            amounts += f" → {format_minutes(event.minutes_after)}"
        reply.add(
            "• #{number} {what} ({amounts} h), {name}",
            number=event.entry_id,
            what=context.t(_CHANGE_NAMES[event.kind]),
            amounts=amounts,
            name=name,
        )


async def export(context: Context, args: str) -> Reply:
    group, args = await _report_group(context, args, _word(context, "export", "export"))
    if not await is_coordinator(context, group):
        raise context.refuse("Only coordinators can export the hours of {group}.", group=group.name)
    period = _period(context, group, args.strip(), "jahr")
    zone = ZoneInfo(group.timezone)
    rows = [
        HourRow(row.entry_id, row.work_date, row.person, row.project, row.minutes, row.description)
        async for chunk in hours.export_rows(context.session, group.id, period.start, period.end)
        for row in chunk
    ]
    start, end = period.moments(group.timezone)
    changes = [
        ChangeRow(
            at=event.at.astimezone(zone),
            number=event.entry_id,
            what=context.t(_CHANGE_NAMES[event.kind]),
            by=name,
            minutes_before=event.minutes_before,
            minutes_after=event.minutes_after,
            detail=f"{event.work_date:%d.%m.%Y} {event.description}".strip(),
        )
        for event, name in await hours.changes_between(context.session, group.id, start, end)
    ]
    label = period.label(context.language)
    title = context.t("Hours {group} · {period}").format(group=group.name, period=label)
    stem = _file_stem(context.t("hours"), group.name, period)
    reply = context.reply(
        "Hours of {group} for {period}: {entries}, {hours} h.",
        group=bold(group.name),
        period=label,
        entries=entries_text(context, len(rows)),
        hours=format_minutes(sum(row.minutes for row in rows)),
    )
    # The budget sheet is about the year the period ends in: "for the year" as reported.
    year = period.end.year
    book = HourWorkbook(
        title=title,
        group=group.name,
        rows=rows,
        changes=changes,
        budget_year=year,
        budgets=await _budget_rows(context, group, year),
        hours_per_day=group.hours_per_day,
    )
    # Seconds of work for a big year: in a thread, so the bot keeps answering other chats.
    csv_file, xlsx_file = await asyncio.to_thread(_render, book, context.translator)
    reply.files.append(OutgoingFile(f"{stem}.csv", csv_file, "text/csv"))
    reply.files.append(OutgoingFile(f"{stem}.xlsx", xlsx_file, _XLSX_TYPE))
    return reply.build()


def _render(book: HourWorkbook, translator: Translator) -> tuple[bytes, bytes]:
    return render_csv(book.rows, translator), render_xlsx(book, translator)


async def _budget_rows(context: Context, group: WorkingGroup, year: int) -> list[BudgetRow]:
    """The AG's projects that have a budget or hours in ``year``, the default one first."""
    budgets = await hour_budgets.budgets_of(context.session, group.id, year)
    used = await hour_budgets.used_by_project(context.session, group.id, year)
    capped = await hour_budgets.capped_projects(context.session, group.id, year)
    return [
        BudgetRow(
            project.name, budgets.get(project.id), used.get(project.id, 0), project.id in capped
        )
        for project in await hour_budgets.projects_of(context.session, group.id)
        if project.id in budgets or used.get(project.id)
    ]


def _file_stem(word: str, group_name: str, period: Period) -> str:
    """``stunden-ag-test-2026-03``: only letters, digits and dashes, for every file system."""
    if period.kind == "month":
        span = f"{period.start:%Y-%m}"
    elif period.kind == "year":
        span = f"{period.start.year}"
    else:
        span = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    # "stunden-ag-oeffentlichkeitsarbeit-2026": umlauts spelled out as in every file name.
    return f"{word}-{ascii_name(group_name, 'ag').lower()}-{span}"


async def close(context: Context, args: str) -> Reply:
    group, args = await _report_group(context, args, _word(context, "abschliessen", "close"))
    if not await is_coordinator(context, group):
        raise context.refuse("Only coordinators can close a month of {group}.", group=group.name)
    if not args.strip():
        raise UsageError()
    period = _period(context, group, args.strip(), "")
    if period.kind != "month":
        raise context.refuse(
            "Please name one month to close, for example {example}.",
            example=f"{context.command_word('stunden')} {context.t('close')} März",
        )
    if period.start > local_today(context, group):
        raise context.refuse("{month} has not begun yet.", month=period.label(context.language))
    if not await hours.close_month(
        context.session, group.id, period.start, context.person.id, context.now()
    ):
        return context.reply(
            "{month} was closed already.", month=period.label(context.language)
        ).build()
    rows = await hours.totals(context.session, period.start, period.end, group_id=group.id)
    return context.reply(
        "{month} is closed: {entries}, {hours} h. Its hours can no longer be added, "
        "changed or deleted.",
        month=bold(period.label(context.language)),
        entries=entries_text(context, sum(row.entries for row in rows)),
        hours=format_minutes(sum(row.minutes for row in rows)),
    ).build()
