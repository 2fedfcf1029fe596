"""/stunden: log work, see one's own totals, change or delete one's own entries.

``/stunden <Menge> [<wann>] [für <Projekt>:] [<Beschreibung>]`` books work for the person
writing, in the chat's AG (in a private chat: their only AG). Reports, exports and
closing a month are ``handlers.hours.reports``; projects and budgets ``handlers.hours.projects``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from core.commands import Command, Where
from core.errors import UsageError
from core.i18n import N_
from core.input_text import MAX_NUMBER
from core.messages import Reply, ReplyBuilder, bold
from core.timefmt import format_day, format_moment
from core.when import Day, Moment
from handlers.hours import reports
from handlers.hours.amounts import format_minutes, parse_amount
from handlers.hours.budget import refuse_over_cap, tell_budget
from handlers.hours.projects import local_today
from handlers.shared.context import Context
from handlers.shared.membership import is_coordinator
from handlers.shared.numbers import item_number
from handlers.shared.periods import month_label
from handlers.shared.time_input import split_when
from storage import groups, hour_budgets, hours
from storage.hours import NewEntry
from storage.models import HourEntry, HourEventKind, Project, WorkingGroup

MAX_DESCRIPTION = 500
DAY_MINUTES = 24 * 60
# An amount is at most this many words: "1 Std 15 Min".
_AMOUNT_WORDS = 4
_PROJECT = re.compile(r"(?:^|\s)(?:für|fuer|for)\s+(?P<name>[^:]+?)\s*:\s*", re.IGNORECASE)
_PROJECT_AT_END = re.compile(r"(?:^|\s)(?:für|fuer|for)\s+(?P<name>[^:]+)$", re.IGNORECASE)
_DELETE = {"loeschen", "löschen", "delete", "entfernen", "remove"}
_EDIT = {"aendern", "ändern", "edit", "change", "korrigieren"}
_AMOUNT_EXAMPLES = "2, 2,5, 1:30, 90min, 1 Std 15 Min, 0,5 TW"
_DAY_EXAMPLES = "gestern, Montag, am 3.3., 20.3.2026"
_DEFAULT_PROJECT = N_("General")
_EVENT_TEXTS = {
    HourEventKind.CREATED: N_("{at}: logged {after} h by {name}"),
    HourEventKind.CHANGED: N_("{at}: changed from {before} h to {after} h by {name}"),
    HourEventKind.DELETED: N_("{at}: deleted ({before} h) by {name}"),
}


async def hours_command(context: Context, args: str) -> Reply:
    words = args.split()
    if not words:
        return await _overview(context)
    first, rest = words[0].casefold(), " ".join(words[1:])
    if first in _DELETE:
        return await _delete(context, rest)
    if first in _EDIT:
        return await _edit(context, rest)
    if sub := reports.subcommand(first):
        return await sub(context, rest)
    if len(words) == 1 and words[0].startswith("#") and item_number(words[0]) is not None:
        return await _show(context, words[0])
    return await _log(context, args)


# --- logging ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Booking:
    minutes: int
    day: date
    project_name: str | None
    description: str
    # "… für Pilot" at the end without a colon: a project if the AG has one of that name,
    # else part of the description ("Gespräch für die Stadt").
    trailing: str | None = None


async def _log(context: Context, args: str) -> Reply:
    group = await _booking_group(context)
    booking = _parse_booking(context, group, args)
    today = local_today(context, group)
    if booking.day > today:
        raise context.refuse(
            "Hours cannot be logged for the future ({day}).",
            day=format_day(booking.day, context.language),
        )
    await _refuse_closed(context, group, booking.day)
    project: Project | None = None
    if booking.trailing is not None:
        project = await hour_budgets.find_project(context.session, group.id, booking.trailing)
        if project is None:
            booking = _Booking(
                booking.minutes,
                booking.day,
                None,
                f"{booking.description} {_trailing_text(context, booking.trailing)}".strip(),
            )
            _refuse_long(context, booking.description)
    if project is None:
        project = await _project(context, group, booking.project_name)
    already = await hours.minutes_on_day(context.session, context.person.id, booking.day)
    _refuse_over_day(context, booking.day, already, booking.minutes)
    await refuse_over_cap(context, project, booking.day.year, booking.minutes)
    entry = await hours.add_entry(
        context.session,
        NewEntry(
            group_id=group.id,
            person_id=context.person.id,
            project_id=project.id,
            work_date=booking.day,
            minutes=booking.minutes,
            description=booking.description,
        ),
        context.now(),
    )
    reply = context.reply(
        "Logged #{number}: {amount} h on {day} · {project}",
        number=entry.id,
        amount=bold(format_minutes(entry.minutes)),
        day=format_day(entry.work_date, context.language),
        project=project.name,
    )
    if entry.description:
        reply.add("{description}", description=entry.description)
    await _week_line(context, group, entry.work_date, reply)
    notice = await tell_budget(context, group, project, entry.work_date.year)
    if notice is not None:
        reply.add(notice)
    return reply.build()


async def _booking_group(context: Context) -> WorkingGroup:
    """The chat's AG for a member; in a private chat the person's only AG."""
    if context.group is not None:
        if context.role is None:
            raise context.refuse(
                "Only members of {group} can log hours here. Join with {join}.",
                group=context.group.name,
                join=context.command_word("beitreten"),
            )
        return context.group
    own = await groups.groups_of_person(context.session, context.person.id)
    if len(own) == 1:
        return own[0][0]
    if not own:
        raise context.refuse("You are not a member of any AG yet, so you cannot log hours.")
    raise context.refuse(
        "You are a member of several AGs: please log hours in the chat of the AG they belong to."
    )


def _parse_booking(context: Context, group: WorkingGroup, args: str) -> _Booking:
    words = args.split()
    for count in range(min(_AMOUNT_WORDS, len(words)), 0, -1):
        minutes = parse_amount(" ".join(words[:count]), group.hours_per_day)
        if minutes is not None:
            break
    else:
        if words and re.match(r"^-\d", words[0]):
            raise context.refuse("Please give a positive amount, for example 2 or 1:30.")
        raise context.refuse(
            "I did not understand the amount {text}. Examples: {examples}",
            text=_quoted(context, words[0] if words else ""),
            examples=_AMOUNT_EXAMPLES,
        )
    if minutes == 0:
        raise context.refuse(
            "Zero hours are not logged. Examples: {examples}", examples=_AMOUNT_EXAMPLES
        )
    if minutes > DAY_MINUTES:
        raise context.refuse(
            "{amount} h is more than a day has. One entry may be at most 24 hours.",
            amount=format_minutes(minutes),
        )
    rest = " ".join(words[count:])
    project_name: str | None = None
    trailing: str | None = None
    if match := _PROJECT.search(rest):
        project_name = match["name"].strip()
        before, after = rest[: match.start()].strip(), rest[match.end() :].strip()
    elif match := _PROJECT_AT_END.search(rest):
        trailing = match["name"].strip()
        before, after = rest[: match.start()].strip(), ""
    else:
        before, after = rest, ""
    day, description = _day_and_text(context, group, before, after)
    _refuse_long(context, description)
    return _Booking(minutes, day, project_name, description, trailing)


def _refuse_long(context: Context, description: str) -> None:
    if len(description) > MAX_DESCRIPTION:
        raise context.refuse(
            "A description may be at most {limit} characters long.", limit=MAX_DESCRIPTION
        )


def _trailing_text(context: Context, name: str) -> str:
    """The words "für <name>" as they were written, for a description."""
    match = _PROJECT_AT_END.search(context.message.text)
    return match.group(0).strip() if match else name


def _day_and_text(
    context: Context, group: WorkingGroup, before: str, after: str
) -> tuple[date, str]:
    """The day the work was done and the description, from the words around "für X:".

    The day stands right after the amount or at the end ("Recherche gestern");
    incomplete dates are read as the past ("Montag" is the last Monday), as one logs work
    done. Whatever looks like a date is read as one or refused, never kept as
    description ("am 31.2."); no date at all is today.
    """
    when, before = split_when(
        context, before, group.timezone, "past", examples=_DAY_EXAMPLES, at_end=not after
    )
    if when is None and after:
        when, after = split_when(context, after, group.timezone, "past", examples=_DAY_EXAMPLES)
    description = " ".join(part for part in (before, after) if part)
    if isinstance(when, Moment):
        return when.at.date(), description
    if isinstance(when, Day):
        return when.on, description
    if when is not None:
        raise context.refuse("Hours are logged for one day, not for a series.")
    return local_today(context, group), description


async def _project(context: Context, group: WorkingGroup, name: str | None) -> Project:
    default_name = context.t(_DEFAULT_PROJECT)
    if name is None:
        return await hour_budgets.default_project(
            context.session, group.id, default_name, context.now()
        )
    project = await hour_budgets.find_project(context.session, group.id, name)
    if (
        project is None
        and hours.project_key(name) == hours.project_key(default_name)
        and await hour_budgets.find_default(context.session, group.id) is None
    ):
        # "für Allgemein:" names the default project before the first entry created it.
        return await hour_budgets.default_project(
            context.session, group.id, default_name, context.now()
        )
    if project is None:
        known = [p.name for p in await hour_budgets.projects_of(context.session, group.id)]
        raise context.refuse(
            "{group} has no project {name}. Projects: {known}. Coordinators create one "
            "with {example}.",
            group=group.name,
            name=_quoted(context, name),
            known=", ".join(known) or context.t("none yet"),
            example=f"{context.command_word('projekt')} {name}",
        )
    return project


def _refuse_over_day(context: Context, day: date, already: int, minutes: int) -> None:
    if already + minutes > DAY_MINUTES:
        raise context.refuse(
            "That would make {total} h on {day}: more than a day has. Already logged: {already} h.",
            total=format_minutes(already + minutes),
            day=format_day(day, context.language),
            already=format_minutes(already),
        )


async def _refuse_closed(context: Context, group: WorkingGroup, day: date) -> None:
    if await hours.is_closed(context.session, group.id, day):
        raise context.refuse(
            "{month} is closed in {group}: its hours can no longer be added, changed or deleted.",
            month=month_label(day, context.language),
            group=group.name,
        )


async def _week_line(context: Context, group: WorkingGroup, day: date, reply: ReplyBuilder) -> None:
    monday = day - timedelta(days=day.weekday())
    rows = await hours.totals(
        context.session,
        monday,
        monday + timedelta(days=6),
        group_id=group.id,
        person_id=context.person.id,
    )
    reply.add(
        context.t("Your week from {monday}: {total} h"),
        monday=format_day(monday, context.language),
        total=bold(format_minutes(sum(row.minutes for row in rows))),
    )


def _quoted(context: Context, text: str) -> str:
    return f"„{text}“" if context.language == "de" else f'"{text}"'


# --- one's own entries ---------------------------------------------------------------------


async def _overview(context: Context) -> Reply:
    """The person's totals this week, month and year per project, and their last entries."""
    group = context.group
    zone = group.timezone if group is not None else context.settings.timezone
    today = context.now().astimezone(ZoneInfo(zone)).date()
    group_id = group.id if group is not None else None
    periods = [
        (N_("This week"), today - timedelta(days=today.weekday()), today),
        (N_("This month"), today.replace(day=1), today),
        (N_("This year"), today.replace(month=1, day=1), today),
    ]
    sums: list[dict[int, int]] = []
    for _, start, end in periods:
        per_project: dict[int, int] = {}
        for row in await hours.totals(
            context.session, start, end, group_id=group_id, person_id=context.person.id
        ):
            per_project[row.project_id] = per_project.get(row.project_id, 0) + row.minutes
        sums.append(per_project)
    names = await hours.names_of_projects(context.session, list(set().union(*sums)))
    reply = context.reply("Your hours:")
    for (label, _, _), per_project in zip(periods, sums, strict=True):
        details = ", ".join(
            f"{names[pid]} {format_minutes(minutes)}"
            for pid, minutes in sorted(per_project.items(), key=lambda pair: names[pair[0]])
        )
        total = format_minutes(sum(per_project.values()))
        reply.add(
            context.t("{label}: {total} h") + (" ({details})" if details else ""),
            label=context.t(label),
            total=bold(total),
            details=details,
        )
    entries = await hours.last_entries(context.session, context.person.id, group_id)
    if entries:
        reply.add(context.t("Your last entries:"))
        for entry, project_name in entries:
            reply.add(_entry_line(context, entry, project_name))
    else:
        reply.add(
            context.t("No entries yet. Log work like this: {example}"),
            example=f"{context.command_word('stunden')} 2,5 gestern Recherche",
        )
    return reply.build()


def _entry_line(context: Context, entry: HourEntry, project_name: str) -> str:
    text = (
        f"#{entry.id} {format_day(entry.work_date, context.language)} "
        f"{format_minutes(entry.minutes)} h · {project_name}"
    )
    return f"{text} · {entry.description}" if entry.description else text


async def _own_entry(context: Context, text: str) -> tuple[HourEntry, WorkingGroup, list[str]]:
    """The person's own entry named by ``#N`` at the start of ``text``, and the words after."""
    words = text.split()
    number = item_number(words[0]) if words else None
    if number is None:
        raise UsageError()
    entry = await hours.entry_by_id(context.session, number) if number <= MAX_NUMBER else None
    if entry is None or entry.person_id != context.person.id:
        raise context.refuse(
            "You have no hour entry #{number}. You can change and delete only your own.",
            number=number,
        )
    group = await context.session.get(WorkingGroup, entry.group_id)
    assert group is not None  # the foreign key guarantees it
    await _refuse_closed(context, group, entry.work_date)
    return entry, group, words[1:]


async def _delete(context: Context, text: str) -> Reply:
    entry, _, _ = await _own_entry(context, text)
    project = await context.session.get(Project, entry.project_id)
    line = _entry_line(context, entry, project.name if project else "?")
    await hours.delete_entry(context.session, entry, context.person.id, context.now())
    return context.reply("Deleted: {entry}", entry=line).build()


async def _edit(context: Context, text: str) -> Reply:
    entry, group, rest = await _own_entry(context, text)
    minutes = parse_amount(" ".join(rest), group.hours_per_day)
    if minutes is None or minutes <= 0:
        raise context.refuse(
            "Please give the new amount, for example {example}. To remove the entry: {delete}",
            example=f"{context.command_word('stunden')} {context.t('edit')} #{entry.id} 1:30",
            delete=f"{context.command_word('stunden')} {context.t('delete')} #{entry.id}",
        )
    if minutes > DAY_MINUTES:
        raise context.refuse(
            "{amount} h is more than a day has. One entry may be at most 24 hours.",
            amount=format_minutes(minutes),
        )
    others = await hours.minutes_on_day(
        context.session, context.person.id, entry.work_date, without=entry.id
    )
    _refuse_over_day(context, entry.work_date, others, minutes)
    before = entry.minutes
    project = await context.session.get(Project, entry.project_id)
    if project is not None:
        await refuse_over_cap(context, project, entry.work_date.year, minutes - before)
    await hours.change_minutes(context.session, entry, minutes, context.person.id, context.now())
    reply = context.reply(
        "Changed #{number}: {before} h → {after} h",
        number=entry.id,
        before=format_minutes(before),
        after=bold(format_minutes(minutes)),
    )
    if project is not None:
        notice = await tell_budget(context, group, project, entry.work_date.year)
        if notice is not None:
            reply.add(notice)
    return reply.build()


async def _show(context: Context, word: str) -> Reply:
    """An entry with its audit trail: for its person and the AG's coordinators."""
    number = item_number(word)
    assert number is not None
    events = await hours.events_of(context.session, number) if number <= MAX_NUMBER else []
    if not events:
        raise context.refuse("There is no hour entry #{number}.", number=number)
    group = await context.session.get(WorkingGroup, events[0][0].group_id)
    entry = await hours.entry_by_id(context.session, number)
    own = entry is not None and entry.person_id == context.person.id
    creator = events[0][0].person_id == context.person.id
    if group is None or not (own or creator or await is_coordinator(context, group)):
        raise context.refuse("There is no hour entry #{number}.", number=number)
    reply = context.reply("Hour entry #{number} ({group}):", number=number, group=group.name)
    if entry is not None:
        project = await context.session.get(Project, entry.project_id)
        reply.add(_entry_line(context, entry, project.name if project else "?"))
    else:
        last = events[-1][0]
        reply.add(
            context.t("(deleted) {detail}"),
            detail=f"{format_day(last.work_date, context.language)} {last.description}".strip(),
        )
    for event, name in events:
        reply.add(
            context.t(_EVENT_TEXTS[event.kind]),
            at=format_moment(event.at, context.language, group.timezone),
            before=format_minutes(event.minutes_before or 0),
            after=format_minutes(event.minutes_after or 0),
            name=name,
        )
    return reply.build()


COMMANDS = [
    Command(
        name="stunden",
        alias="hours",
        usage=N_(
            "[<amount> [<when>] [for <project>:] [<description>]] | #N | delete #N | edit #N "
            "<amount> | report … | export … | close <month>"
        ),
        summary=N_("Logs your working hours; without arguments your totals and last entries."),
        details=N_(
            "Amounts: 2, 2,5, 2.5h, 1:30, 90min, 1 Std 15 Min, 0,5 TW (Tagewerk). Examples: "
            "/stunden 2 gestern für Leerstandsmanagement: Recherche Förderprogramme — "
            "/stunden 1:30 am 3.3. Protokoll — /stunden #12 (an entry with its history) — "
            "/stunden aendern #12 3 — /stunden loeschen #12 — /stunden bericht März "
            "@anna — /stunden bericht von 1.1. bis 30.6. für Pilotprojekt — /stunden export "
            "2026 — /stunden abschliessen März (coordinators)."
        ),
        handler=hours_command,
        where=Where.ANYWHERE,
    ),
]
