"""/aufgaben: the AG's open tasks by person, one person's, overdue ones, those closed recently
or in a period, and in a private chat the person's own tasks or the coordinator's overview
of their AGs."""

from __future__ import annotations

from datetime import timedelta

from core.commands import Command, Permission
from core.errors import UsageError
from core.i18n import N_
from core.messages import Reply, ReplyBuilder, Span, bold
from handlers.shared.context import Context
from handlers.shared.membership import require_member
from handlers.shared.mentions import resolve_member
from handlers.shared.time_input import read_period
from handlers.tasks.texts import done_choices, item_spans
from storage import groups, tasks
from storage.models import Role, WorkingGroup
from storage.tasks import ItemRow

# "erledigt" lists what was closed in this many days.
CLOSED_DAYS = 30
_MINE = {"meine", "mine", "ich", "me"}
_OVERDUE = {"ueberfaellig", "überfällig", "overdue"}
_DONE = {"erledigt", "done"}
_ALL = {"alle", "all"}
_TEXT = N_("<text>")


async def tasks_command(context: Context, args: str) -> Reply:
    text = context.without_mentions(args)
    first, _, period = text.partition(" ")
    if first.casefold() in _DONE and period.strip():
        return await _closed_in_period(context, period.strip())
    word = text.casefold()
    if context.is_private:
        return await _private(context, word)
    group = context.require_group()
    require_member(context, group)
    if context.message.mentions:
        if word or len(context.message.mentions) > 1:
            raise UsageError()
        person = await resolve_member(context, group, context.message.mentions[0])
        rows = await tasks.open_items(context.session, [group.id], person_id=person.id)
        heading = context.reply(
            "Open tasks of {name} in {group} ({count}):",
            name=bold(person.display_name),
            group=group.name,
            count=len(rows),
        )
        return _by_person(context, group, heading, rows, only=person.id)
    if word in _MINE:
        rows = await tasks.open_items(context.session, [group.id], person_id=context.person.id)
        heading = context.reply(
            "Your open tasks in {group} ({count}):", group=group.name, count=len(rows)
        )
        return _by_person(context, group, heading, rows, only=context.person.id)
    if word in _OVERDUE:
        rows = await tasks.open_items(context.session, [group.id], due_before=context.now())
        heading = context.reply(
            "Overdue tasks in {group} ({count}):", group=group.name, count=len(rows)
        )
        return _by_person(context, group, heading, rows)
    if word in _DONE:
        return await _closed(context, [group.id], None, group.name)
    if word and word not in _ALL:
        raise UsageError()
    rows = await tasks.open_items(context.session, [group.id])
    overdue = sum(row.is_overdue(context.now()) for row in rows)
    heading = context.reply(
        "Open tasks in {group}: {count}, {overdue} of them overdue",
        group=bold(group.name),
        count=len(rows),
        overdue=overdue,
    )
    return _by_person(context, group, heading, rows)


def _by_person(
    context: Context,
    group: WorkingGroup,
    reply: ReplyBuilder,
    rows: list[ItemRow],
    *,
    only: int | None = None,
) -> Reply:
    """The items grouped under each assignee (by name), items of nobody last."""
    if not rows:
        return context.reply(
            "No open tasks here. Create one with {command}.",
            command=f"{context.command_word('aufgabe')} {context.t(_TEXT)}",
        ).build()
    people: dict[int | None, tuple[str, list[ItemRow]]] = {}
    for row in rows:
        for person_id, name in row.assignees or ((None, ""),):
            if only is None or person_id == only:
                people.setdefault(person_id, (name, []))[1].append(row)
    ordered = sorted(people.items(), key=lambda entry: (entry[0] is None, entry[1][0].casefold()))
    for person_id, (name, items) in ordered:
        label = name if person_id is not None else context.t("Nobody yet")
        reply.add_spans([bold(label), Span(f" ({len(items)})")])
        for row in items:
            reply.add_spans(item_spans(context, row, with_assignees=False))
    reply.choices.extend(done_choices(context, rows))
    return reply.build()


async def _closed(
    context: Context, group_ids: list[int], person_id: int | None, where: str
) -> Reply:
    since = context.now() - timedelta(days=CLOSED_DAYS)
    rows = await tasks.closed_items(context.session, group_ids, since, person_id=person_id)
    reply = context.reply(
        "Closed in the last {days} days in {where} ({count}):",
        days=CLOSED_DAYS,
        where=where,
        count=len(rows),
    )
    for row in rows:
        reply.add_spans(item_spans(context, row, with_group=person_id is not None))
    return reply.build()


async def _closed_in_period(context: Context, text: str) -> Reply:
    """``/aufgaben erledigt März``: what was closed in any period, not only the last 30 days."""
    if context.is_private:
        if context.message.mentions:
            raise context.refuse("Another person's tasks are listed in the chat of their AG.")
        memberships = await groups.groups_of_person(context.session, context.person.id)
        group_ids = [group.id for group, _ in memberships]
        person_id: int | None = context.person.id
        where, zone = context.t("your AGs"), context.settings.timezone
    else:
        group = context.require_group()
        require_member(context, group)
        if context.message.mentions:
            raise UsageError()
        group_ids, person_id, where, zone = [group.id], None, group.name, group.timezone
    period = read_period(context, text, zone)
    since, until = period.moments(zone)
    rows = await tasks.closed_items(
        context.session, group_ids, since, until=until, person_id=person_id
    )
    reply = context.reply(
        "Closed · {period}, {where} ({count}):",
        period=period.label(context.language),
        where=where,
        count=len(rows),
    )
    for row in rows:
        reply.add_spans(item_spans(context, row, with_group=person_id is not None))
    return reply.build()


async def _private(context: Context, word: str) -> Reply:
    if context.message.mentions:
        raise context.refuse("Another person's tasks are listed in the chat of their AG.")
    if word in _ALL:
        return await _overview(context)
    memberships = await groups.groups_of_person(context.session, context.person.id)
    group_ids = [group.id for group, _ in memberships]
    if word in _DONE:
        return await _closed(context, group_ids, context.person.id, context.t("your AGs"))
    if word and word not in _MINE and word not in _OVERDUE:
        raise UsageError()
    due_before = context.now() if word in _OVERDUE else None
    rows = await tasks.open_items(
        context.session, group_ids, person_id=context.person.id, due_before=due_before
    )
    if not rows:
        return context.reply("You have no open tasks.").build()
    reply = context.reply(
        "Your open tasks ({count}, {overdue} overdue):",
        count=len(rows),
        overdue=sum(row.is_overdue(context.now()) for row in rows),
    )
    for row in rows:
        reply.add_spans(item_spans(context, row, with_assignees=False, with_group=True))
    reply.choices.extend(done_choices(context, rows))
    return reply.build()


async def _overview(context: Context) -> Reply:
    """Every AG the person coordinates: open and overdue items per person, overdue ones named."""
    if context.level >= Permission.GLOBAL_ADMIN:
        coordinated = await groups.all_groups(context.session)
    else:
        coordinated = [
            group
            for group, role in await groups.groups_of_person(context.session, context.person.id)
            if role is Role.COORDINATOR
        ]
    if not coordinated:
        raise context.refuse("The overview is for coordinators; you coordinate no AG.")
    ids = [group.id for group in coordinated]
    counts = await tasks.open_counts(context.session, ids, context.now())
    overdue = await tasks.open_items(context.session, ids, due_before=context.now())
    total = await tasks.count_open(context.session, ids)
    reply = context.reply(
        "Overview of your AGs: {count} open tasks, {overdue} overdue",
        count=total,
        overdue=len(overdue),
    )
    for group in coordinated:
        reply.blank()
        group_counts = [count for count in counts if count.group_id == group.id]
        if not group_counts:
            reply.add("{group}: {none}", group=bold(group.name), none=context.t("no open tasks"))
            continue
        reply.add_spans([bold(group.name)])
        for count in group_counts:
            name = count.person_name or context.t("Nobody yet")
            reply.add(
                context.t("  {name}: {open} open, {overdue} overdue"),
                name=name,
                open=count.open,
                overdue=count.overdue,
            )
            for row in overdue:
                if row.group_id == group.id and (
                    count.person_id in {pid for pid, _ in row.assignees}
                    or (count.person_id is None and not row.assignees)
                ):
                    reply.add_spans([Span("    "), *item_spans(context, row, with_assignees=False)])
    return reply.build()


COMMANDS = [
    Command(
        name="aufgaben",
        alias="tasks",
        usage=N_("[mine | @person | overdue | done [<period>] | all]"),
        summary=N_("Lists open tasks: the AG's by person; privately your own, or all your AGs."),
        details=N_(
            "In the AG chat: /aufgaben (all open, overdue first), /aufgaben meine, "
            "/aufgaben @ben, /aufgaben ueberfaellig, /aufgaben erledigt (last 30 days), "
            "/aufgaben erledigt März, /aufgaben erledigt 2026. "
            "Privately: your own tasks in every AG; /aufgaben alle gives coordinators the "
            "overview of every AG they coordinate."
        ),
        handler=tasks_command,
        permission=Permission.ANYONE,
    ),
]
