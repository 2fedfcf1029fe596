"""Action items: /aufgabe (create or show), /erledigt, /wiedereroeffnen, /zuweisen, /frist,
/streichen and /notiz.

Who may do what: the assignees, the creator and the AG's coordinators close, reopen,
re-date and comment; only coordinators reassign other people's items and drop items.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from core.commands import Command, Permission
from core.errors import UsageError
from core.i18n import N_
from core.messages import Reply, ReplyBuilder, Span, bold, join_spans, mention
from core.timefmt import format_moment
from handlers.protocols.texts import running_minutes, told
from handlers.shared.context import Context
from handlers.shared.membership import is_coordinator, require_member
from handlers.shared.mentions import resolve_member
from handlers.shared.numbers import item_number
from handlers.shared.time_input import refuse_impossible_dates
from handlers.tasks.texts import (
    DEADLINE_EXAMPLES,
    STATUS_NAMES,
    Due,
    FoundItem,
    done_choice,
    due_confirmation,
    due_text,
    find_item,
    maybe_due,
    parse_due,
)
from storage import protocols, reminders, tasks
from storage.models import (
    Meeting,
    Person,
    ProtocolEntryKind,
    TaskEventKind,
    TaskStatus,
    WorkingGroup,
)
from storage.tasks import NewItem

MAX_TEXT = 1000
# "… bis Freitag" / "… by Friday": the deadline is what follows the last of these words;
# without them "… spätestens Montag", and "… zum 30.6." when a date follows ("zum Haushalt"
# is part of the text).
_DEADLINE = re.compile(r"(?:^|\s)(?:bis|by|until)\s+(?=\S)", re.IGNORECASE)
_AT_THE_LATEST = re.compile(r"(?:^|\s)(?:spätestens|spaetestens)\s+(?=\S)", re.IGNORECASE)
_WEAK_DEADLINE = re.compile(r"(?:^|\s)(?:zum|zur)\s+(?=\S)", re.IGNORECASE)
_NO_DEADLINE = {"keine", "keiner", "none", "-"}
_LEADING_BY = re.compile(r"^(?:bis|by|until)\s+", re.IGNORECASE)
_EVENT_TEXTS = {
    TaskEventKind.CREATED: N_("created by {name}"),
    TaskEventKind.ASSIGNED: N_("assigned to {detail} by {name}"),
    TaskEventKind.DUE: N_("deadline {detail}, set by {name}"),
    TaskEventKind.NOTE: N_("note by {name}: {detail}"),
    TaskEventKind.DONE: N_("done, by {name}"),
    TaskEventKind.REOPENED: N_("reopened by {name}"),
    TaskEventKind.DROPPED: N_("dropped by {name}"),
    TaskEventKind.LEFT: N_("{name} left the AG and is no longer responsible"),
}


async def task_command(context: Context, args: str) -> Reply:
    """``/aufgabe #N`` shows an item with its history; anything else creates one."""
    words = args.split()
    if len(words) == 1 and item_number(words[0]) is not None:
        return await _show(context, await find_item(context, words[0]))
    return await _create(context, args)


async def _create(context: Context, args: str) -> Reply:
    if context.is_private:
        raise context.refuse("Please create tasks in the chat of the AG they belong to.")
    group = context.require_group()
    require_member(context, group)
    text, due = _text_and_due(context, group, context.without_mentions(args))
    due_at, all_day = (due.at, due.all_day) if due else (None, False)
    if not text:
        raise UsageError()
    if len(text) > MAX_TEXT:
        raise context.refuse("A task may be at most {limit} characters long.", limit=MAX_TEXT)
    coordinator = await is_coordinator(context, group)
    assignees = await _mentioned_members(context, group)
    # While the AG's minutes run, the task is one of the meeting's action items, and any
    # member notes who takes it on.
    running = await running_minutes(context, group)
    minutes = running.protocol
    others = any(person.id != context.person.id for person in assignees)
    if not coordinator and minutes is None and others:
        raise context.refuse(
            "Only the coordinators of {group} may assign tasks to others. Create it without "
            "a mention and it is yours.",
            group=group.name,
        )
    if not assignees and not coordinator:
        assignees = [context.person]
    item = await tasks.add_item(
        context.session,
        NewItem(
            group_id=group.id,
            text=text,
            due_at=due_at,
            due_all_day=all_day,
            created_by=context.person.id,
            assignees=tuple(person.id for person in assignees),
            meeting_id=minutes.meeting_id if minutes else None,
        ),
        context.now(),
    )
    now = context.now()
    tasks.record(context.session, item, TaskEventKind.CREATED, context.person.id, now)
    if assignees and assignees != [context.person]:
        names = ", ".join(person.display_name for person in assignees)
        tasks.record(context.session, item, TaskEventKind.ASSIGNED, context.person.id, now, names)
    if due_at is not None:
        shown = due_text(context, due_at, all_day, group)
        tasks.record(context.session, item, TaskEventKind.DUE, context.person.id, now, shown)
    await reminders.sync_item(context.session, item, now)
    reply = context.reply("Task #{number} created: {text}", number=item.id, text=bold(item.text))
    await _assignee_line(context, reply, [(p.id, p.display_name) for p in assignees])
    if due is not None:
        reply.add(context.t("Deadline: {due}"), due=due_confirmation(context, due, group))
    if minutes is not None:
        entry = await protocols.add_entry(
            context.session,
            minutes,
            ProtocolEntryKind.ACTION,
            text,
            context.person.id,
            now,
            item_id=item.id,
        )
        reply.add(
            context.t("In the minutes: entry {number} (TOP {topic})"),
            number=entry.number,
            topic=entry.topic,
        )
    reply.choices.append(done_choice(context, item.id))
    return told(context, running, reply.build())


def _text_and_due(context: Context, group: WorkingGroup, text: str) -> tuple[str, Due | None]:
    """The task's text and its deadline, if the text ends with one.

    A day that does not exist is refused wherever it stands ("zum 31.2."), so that it
    never becomes part of the text.
    """
    refuse_impossible_dates(context, text, DEADLINE_EXAMPLES)
    for pattern in (_DEADLINE, _AT_THE_LATEST):
        keywords = list(pattern.finditer(text))
        if keywords:
            # "Abstimmung bis Klärung bis Freitag": the last "bis" starts the deadline.
            due = parse_due(context, group, text[keywords[-1].end() :])
            return text[: keywords[-1].start()].strip(), due
    for keyword in reversed(list(_WEAK_DEADLINE.finditer(text))):
        found = maybe_due(context, group, text[keyword.end() :])
        if found is not None:
            return text[: keyword.start()].strip(), found
    return text, None


async def _mentioned_members(context: Context, group: WorkingGroup) -> list[Person]:
    """The members mentioned in the message, each once; refuses non-members."""
    found: dict[int, Person] = {}
    for mentioned in context.message.mentions:
        person = await resolve_member(context, group, mentioned)
        found.setdefault(person.id, person)
    return list(found.values())


async def _assignee_line(
    context: Context, reply: ReplyBuilder, assignees: list[tuple[int, str]]
) -> None:
    if not assignees:
        reply.add(context.t("Responsible: nobody yet"))
        return
    refs = await context.person_refs(assignees)
    reply.add(context.t("Responsible: {names}"), names=join_spans(mention(ref) for ref in refs))


async def _show(context: Context, found: FoundItem) -> Reply:
    item, group = found.item, found.group
    reply = context.reply(
        "Task #{number} ({group}): {text}",
        number=item.id,
        group=group.name,
        text=bold(item.text),
    )
    status = context.t(STATUS_NAMES[item.status])
    if item.due_at is not None:
        due = due_text(context, item.due_at, item.due_all_day, group)
        if item.status is TaskStatus.OPEN and item.due_at < context.now():
            due = context.t("{due}, overdue").format(due=due)
        reply.add(context.t("Status: {status} · deadline: {due}"), status=status, due=due)
    else:
        reply.add(context.t("Status: {status} · no deadline"), status=status)
    reply.add(
        context.t("Responsible: {names}"),
        names=", ".join(name for _, name in found.assignees) or context.t("nobody yet"),
    )
    if item.meeting_id is not None:
        meeting = await context.session.get(Meeting, item.meeting_id)
        if meeting is not None:
            reply.add(
                context.t("From meeting #{number}: {title}"),
                number=meeting.number,
                title=meeting.title,
            )
    reply.add(context.t("History:"))
    for entry in await tasks.history(context.session, item.id):
        reply.add_spans(
            [
                Span(f"• {format_moment(entry.at, context.language, group.timezone)} – "),
                Span(
                    context.t(_EVENT_TEXTS[entry.kind]).format(
                        name=entry.person_name or "?", detail=entry.detail
                    )
                ),
            ]
        )
    if item.status is TaskStatus.OPEN:
        reply.choices.append(done_choice(context, item.id))
    return reply.build()


# --- changing an item -----------------------------------------------------------------------

Change = Callable[[Context, FoundItem, str], Awaitable[Reply]]


def _changing(
    change: Change, *, coordinators_only: bool = False
) -> Callable[[Context, str], Awaitable[Reply]]:
    """A handler that finds #N, checks the person's right to change it and runs ``change``."""

    async def handler(context: Context, args: str) -> Reply:
        word, _, rest = context.without_mentions(args).partition(" ")
        if not word:
            raise UsageError()
        found = await find_item(context, word)
        if coordinators_only and not found.is_coordinator:
            raise context.refuse(
                "Only coordinators of {group} can do that.", group=found.group.name
            )
        if not found.may_manage:
            raise context.refuse(
                "Only the people responsible for task #{number}, its creator and the "
                "coordinators of {group} can change it.",
                number=found.item.id,
                group=found.group.name,
            )
        reply = await change(context, found, rest.strip())
        # The deadline, the people or the status may have changed: so may the reminders.
        await reminders.sync_item(context.session, found.item, context.now())
        return reply

    return handler


async def _done(context: Context, found: FoundItem, rest: str) -> Reply:
    item = found.item
    if item.status is TaskStatus.DONE:
        raise context.refuse("Task #{number} is already done.", number=item.id)
    if item.status is TaskStatus.DROPPED:
        raise context.refuse(
            "Task #{number} was dropped. Reopen it first with {command}.",
            number=item.id,
            command=f"{context.command_word('wiedereroeffnen')} {item.id}",
        )
    tasks.close(context.session, item, TaskStatus.DONE, context.person.id, context.now())
    _note_from(context, found, rest)
    return context.reply(
        "Done: #{number} {text}. Thank you, {name}!",
        number=item.id,
        text=bold(item.text),
        name=context.person.display_name,
    ).build()


async def _reopen(context: Context, found: FoundItem, rest: str) -> Reply:
    item = found.item
    if item.status is TaskStatus.OPEN:
        raise context.refuse("Task #{number} is open.", number=item.id)
    if item.status is TaskStatus.DROPPED and not found.is_coordinator:
        raise context.refuse(
            "Only coordinators of {group} can reopen a dropped task.", group=found.group.name
        )
    tasks.reopen(context.session, item, context.person.id, context.now())
    _note_from(context, found, rest)
    reply = context.reply("Reopened: #{number} {text}", number=item.id, text=bold(item.text))
    reply.choices.append(done_choice(context, item.id))
    return reply.build()


async def _assign(context: Context, found: FoundItem, rest: str) -> Reply:
    item, group = found.item, found.group
    if rest or not context.message.mentions:
        raise UsageError()
    if found.item.status is not TaskStatus.OPEN:
        raise context.refuse("Task #{number} is closed.", number=item.id)
    people = await _mentioned_members(context, group)
    await tasks.set_assignees(context.session, item.id, (p.id for p in people))
    names = ", ".join(p.display_name for p in people)
    tasks.record(
        context.session, item, TaskEventKind.ASSIGNED, context.person.id, context.now(), names
    )
    reply = context.reply("Task #{number}: {text}", number=item.id, text=bold(item.text))
    await _assignee_line(context, reply, [(p.id, p.display_name) for p in people])
    return reply.build()


async def _due(context: Context, found: FoundItem, rest: str) -> Reply:
    item, group = found.item, found.group
    if not rest:
        raise UsageError()
    if item.status is not TaskStatus.OPEN:
        raise context.refuse("Task #{number} is closed.", number=item.id)
    # "/frist 3 bis Freitag" as well as "/frist 3 Freitag".
    rest = _LEADING_BY.sub("", rest)
    if rest.casefold() in _NO_DEADLINE:
        item.due_at, item.due_all_day = None, False
        shown = confirmed = context.t("none")
    else:
        due = parse_due(context, group, rest)
        item.due_at, item.due_all_day = due.at, due.all_day
        # The history keeps the date; "(nächstes Jahr)" is said once, in the reply.
        shown = due_text(context, due.at, due.all_day, group)
        confirmed = due_confirmation(context, due, group)
    tasks.record(context.session, item, TaskEventKind.DUE, context.person.id, context.now(), shown)
    return context.reply(
        "Task #{number} {text}: deadline {due}", number=item.id, text=bold(item.text), due=confirmed
    ).build()


async def _drop(context: Context, found: FoundItem, rest: str) -> Reply:
    item = found.item
    if item.status is not TaskStatus.OPEN:
        raise context.refuse("Task #{number} is closed.", number=item.id)
    tasks.close(context.session, item, TaskStatus.DROPPED, context.person.id, context.now())
    _note_from(context, found, rest)
    return context.reply(
        "Dropped: #{number} {text}. It stays in the history; {command} brings it back.",
        number=item.id,
        text=bold(item.text),
        command=f"{context.command_word('wiedereroeffnen')} {item.id}",
    ).build()


def _note_from(context: Context, found: FoundItem, text: str) -> None:
    """Keep what follows the number as a note: "/erledigt 3 Druck ist bestellt"."""
    if not text:
        return
    if len(text) > MAX_TEXT:
        raise context.refuse("A note may be at most {limit} characters long.", limit=MAX_TEXT)
    now = context.now()
    tasks.record(context.session, found.item, TaskEventKind.NOTE, context.person.id, now, text)


async def _note(context: Context, found: FoundItem, rest: str) -> Reply:
    item = found.item
    if not rest:
        raise UsageError()
    _note_from(context, found, rest)
    return context.reply(
        "Note on #{number} {text}: {note}", number=item.id, text=bold(item.text), note=rest
    ).build()


COMMANDS = [
    Command(
        name="aufgabe",
        alias="task",
        usage=N_("<text> [@person …] [by <when>] | #N"),
        summary=N_("Creates a task in this AG, or shows task #N with its history."),
        details=N_(
            "Examples: /aufgabe Flyer drucken @ben bis Freitag — /aufgabe Förderantrag prüfen "
            "bis 30.4. 12 Uhr — /aufgabe #12. Without a mention the task is yours (coordinators: "
            "nobody's yet); only coordinators assign tasks to others."
        ),
        handler=task_command,
        permission=Permission.ANYONE,
    ),
    Command(
        name="erledigt",
        alias="done",
        usage=N_("#N [<note>]"),
        summary=N_("Marks task #N as done."),
        details=N_("Text after the number is kept as a note: /erledigt 12 Flyer sind bestellt"),
        handler=_changing(_done),
    ),
    Command(
        name="wiedereroeffnen",
        alias="reopen",
        usage=N_("#N [<note>]"),
        summary=N_("Reopens a task that was done or dropped."),
        details="",
        handler=_changing(_reopen),
    ),
    Command(
        name="zuweisen",
        alias="assign",
        usage=N_("#N @person …"),
        summary=N_("Gives task #N to other people."),
        details=N_("Members reassign their own tasks; coordinators any task of the AG."),
        handler=_changing(_assign),
    ),
    Command(
        name="frist",
        alias="due",
        usage=N_("#N <when> | #N none"),
        summary=N_("Sets or removes the deadline of task #N."),
        details=N_("Examples: /frist 12 Freitag, /frist 12 30.4. 12 Uhr, /frist 12 keine"),
        handler=_changing(_due),
    ),
    Command(
        name="streichen",
        alias="drop",
        usage=N_("#N [<note>]"),
        summary=N_("Drops task #N (kept in the history)."),
        details="",
        handler=_changing(_drop, coordinators_only=True),
    ),
    Command(
        name="notiz",
        alias="note",
        usage=N_("#N <text>"),
        summary=N_("Adds a note to task #N."),
        details="",
        handler=_changing(_note),
    ),
]
