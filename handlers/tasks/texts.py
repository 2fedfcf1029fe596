"""Shared pieces of the task commands: finding #N with its rights, deadlines, item lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from core.commands import Permission
from core.errors import UsageError
from core.i18n import N_
from core.input_text import MAX_NUMBER
from core.messages import Choice, ReplyBuilder, Span, bold
from core.timefmt import format_day, format_moment
from core.when import Day, Moment, When, WhenError, parse_when
from handlers.shared.context import Context
from handlers.shared.membership import is_coordinator, require_member
from handlers.shared.numbers import item_number
from handlers.shared.states import DEFAULT_STATE
from handlers.shared.time_input import notes_text, read_when
from storage import groups, tasks
from storage.models import ActionItem, TaskStatus, WorkingGroup
from storage.tasks import ItemRow

# A deadline given as a date is due at the end of that day in the AG's zone.
END_OF_DAY = time(23, 59, 59)
# Buttons under a list: as many as every messenger can show (Matrix offers nine reactions).
MAX_BUTTONS = 9
_DEADLINE_NOT_UNDERSTOOD = N_("I did not understand the deadline {text}. Examples: {examples}")
_BY = N_("by {due}")
_OVERDUE_SINCE = N_("overdue since {due}")
STATUS_NAMES = {
    TaskStatus.OPEN: N_("open"),
    TaskStatus.DONE: N_("done"),
    TaskStatus.DROPPED: N_("dropped"),
}


@dataclass(frozen=True)
class FoundItem:
    """An item with its AG and what the person asking may do with it."""

    item: ActionItem
    group: WorkingGroup
    assignees: list[tuple[int, str]]
    is_coordinator: bool
    is_involved: bool  # assignee or creator

    @property
    def may_manage(self) -> bool:
        """Close, reopen, re-date and comment."""
        return self.is_coordinator or self.is_involved


async def find_item(context: Context, word: str) -> FoundItem:
    """Item #N as this person may see it here; refuses unknown numbers and other AGs' items."""
    number = item_number(word)
    if number is None:
        raise UsageError()
    item = await tasks.get_item(context.session, number) if number <= MAX_NUMBER else None
    group = await _readable_group(context, item)
    if item is None or group is None:
        raise context.refuse("There is no task #{number} here.", number=number)
    assignees = await tasks.assignees_of(context.session, item.id)
    return FoundItem(
        item=item,
        group=group,
        assignees=assignees,
        is_coordinator=await is_coordinator(context, group),
        is_involved=item.created_by == context.person.id
        or any(pid == context.person.id for pid, _ in assignees),
    )


async def _readable_group(context: Context, item: ActionItem | None) -> WorkingGroup | None:
    """The item's AG if the person may read it here: in its AG's chat, or privately as member."""
    if item is None:
        return None
    if not context.is_private:
        group = context.require_group()
        if item.group_id != group.id:
            return None
        require_member(context, group)
        return group
    if (
        context.level < Permission.GLOBAL_ADMIN
        and await groups.role_in(context.session, item.group_id, context.person.id) is None
    ):
        return None
    return await context.session.get(WorkingGroup, item.group_id)


@dataclass(frozen=True)
class Due:
    """A deadline: the UTC moment, whether it was given as a date only, and what the
    confirmation repeats ("KW 18", "nächstes Jahr")."""

    at: datetime
    all_day: bool
    notes: str = ""


DEADLINE_EXAMPLES = "Freitag, 30.4., morgen 12 Uhr"


def parse_due(context: Context, group: WorkingGroup, text: str) -> Due:
    """A deadline in the future ("bis spätestens 8.5.", "Ende Mai", "KW 18")."""
    when = read_when(
        context,
        text,
        group.timezone,
        examples=DEADLINE_EXAMPLES,
        template=_DEADLINE_NOT_UNDERSTOOD,
        state=group.state or DEFAULT_STATE,
        deadline=True,
    )
    return _due_of(context, group, when)


def maybe_due(context: Context, group: WorkingGroup, text: str) -> Due | None:
    """The deadline ``text`` names, or None when it names none ("zum Haushalt")."""
    zone = ZoneInfo(group.timezone)
    now = context.now().astimezone(zone)
    state = group.state or DEFAULT_STATE
    try:
        when = parse_when(text, now, group.timezone, state=state, deadline=True)
    except WhenError:
        return None
    return _due_of(context, group, when)


def _due_of(context: Context, group: WorkingGroup, when: When) -> Due:
    zone = ZoneInfo(group.timezone)
    if isinstance(when, Day):
        due, all_day = datetime.combine(when.on, END_OF_DAY, zone).astimezone(UTC), True
    elif isinstance(when, Moment):
        due, all_day = when.at.astimezone(UTC), False
    else:
        raise context.refuse("A deadline is one date, not a series.")
    if due <= context.now():
        raise context.refuse(
            "The deadline {when} is in the past.", when=due_text(context, due, all_day, group)
        )
    return Due(due, all_day, notes_text(context, when.notes))


def due_confirmation(context: Context, due: Due, group: WorkingGroup) -> str:
    """``Fr, 01.05.2026 (KW 18)``: the deadline with what may surprise about it."""
    shown = due_text(context, due.at, due.all_day, group)
    return f"{shown} ({due.notes})" if due.notes else shown


def due_text(context: Context, due: datetime, all_day: bool, group: WorkingGroup | str) -> str:
    """``Fr, 27.03.2026`` for a date, ``Fr, 27.03.2026, 12:00 Uhr`` for a moment."""
    zone = group if isinstance(group, str) else group.timezone
    if all_day:
        return format_day(due.astimezone(ZoneInfo(zone)).date(), context.language)
    return format_moment(due, context.language, zone)


def item_spans(
    context: Context, row: ItemRow, *, with_assignees: bool = True, with_group: bool = False
) -> list[Span]:
    """One list line: ``#12 Flyer drucken – bis Fr, 27.03.2026 · Ben`` (⚠ when overdue)."""
    overdue = row.is_overdue(context.now())
    # One plain span after the number: lists of 200 items are built on every /aufgaben.
    rest = [" ", row.text]
    if with_group:
        rest.append(f" [{row.group_name}]")
    if row.status is not TaskStatus.OPEN:
        assert row.closed_at is not None
        closed = row.closed_at.astimezone(ZoneInfo(row.timezone)).date()
        rest += [
            " – ",
            context.t(STATUS_NAMES[row.status]),
            " ",
            format_day(closed, context.language),
        ]
    elif row.due_at is not None:
        due = due_text(context, row.due_at, row.due_all_day, row.timezone)
        rest += [" – ", context.t(_OVERDUE_SINCE if overdue else _BY).format(due=due)]
    if with_assignees:
        rest += [" · ", ", ".join(name for _, name in row.assignees) or context.t("nobody yet")]
    return [Span("⚠ " if overdue else "• "), bold(f"#{row.id}"), Span("".join(rest))]


def done_choice(context: Context, item_id: int, emoji: str | None = "✅") -> Choice:
    return Choice(
        context.t("✓ #{number} done").format(number=item_id),
        f"{context.command_word('erledigt')} {item_id}",
        emoji,
    )


def done_choices(context: Context, rows: list[ItemRow]) -> list[Choice]:
    """A "done" button for the first open items of a list (numbered where they are reactions)."""
    ids = list(dict.fromkeys(row.id for row in rows if row.status is TaskStatus.OPEN))
    return [done_choice(context, item_id, None) for item_id in ids[:MAX_BUTTONS]]


# How many open items the fixed last TOP of an agenda lists; the rest are counted.
AGENDA_ITEMS = 10


async def open_items_top(
    context: Context, group: WorkingGroup, reply: ReplyBuilder, position: int, before: datetime
) -> None:
    """The fixed last agenda point "Offene Aufgaben" of a meeting that starts at ``before``.

    It counts all the AG's open items and lists what the meeting has to talk about: the
    overdue ones, then those due before it starts, at most :data:`AGENDA_ITEMS`; the others
    are one line pointing to /aufgaben, so a long list does not bury the agenda.
    """
    rows = await tasks.open_items(context.session, [group.id])
    if not rows:
        return
    now = context.now()
    overdue = [row for row in rows if row.is_overdue(now)]
    reply.add(
        context.t("TOP {position}: Open tasks ({count}, {overdue} overdue)"),
        position=position,
        count=len(rows),
        overdue=len(overdue),
    )
    due_before = [
        row
        for row in rows
        if not row.is_overdue(now) and row.due_at is not None and row.due_at < before
    ]
    shown = (overdue + due_before)[:AGENDA_ITEMS]
    for row in shown:
        reply.add_spans([Span("  "), *item_spans(context, row)])
    if not shown:
        reply.add(
            context.t("  None is due before the meeting; all of them: {command}"),
            command=context.command_word("aufgaben"),
        )
    elif len(rows) > len(shown):
        reply.add(
            context.t("  … and {count} more: {command}"),
            count=len(rows) - len(shown),
            command=context.command_word("aufgaben"),
        )
