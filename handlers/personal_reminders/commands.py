"""Personal reminders: /erinnere, /erinnerungen, /erinnerung loeschen, /schlummern.

``/erinnere mich|hier|@person <wann>; <Text>`` — one-off or repeating ("jeden Freitag
15 Uhr; Wochenbericht"). Without ";" the longest leading time expression is the time.
A reminder for another person needs that person in the same AG.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.commands import Command, Permission
from core.errors import UsageError
from core.i18n import N_
from core.input_text import bounded_number
from core.messages import Reply, bold
from core.timefmt import format_moment
from core.when import Day, Moment, Recurrence, WhenError, parse_when
from handlers.shared.context import Context
from handlers.shared.durations import parse_duration
from handlers.shared.mentions import resolve_member, resolve_person
from handlers.shared.time_input import read_when
from storage import groups, reminders
from storage.models import Meeting, Person, Reminder, ReminderKind, ReminderStatus
from storage.reminders import WAITING, PlannedReminder, planned_like

MAX_TEXT = 1000
MAX_WHEN_WORDS = 12
# A date without a time of day means this time.
DEFAULT_TIME = time(9, 0)
_ME = {"mich", "me", "mir"}
_HERE = {"hier", "here", "uns", "us"}
_DELETE = {"loeschen", "löschen", "delete", "entfernen", "remove"}
_EXAMPLE = N_("me tomorrow 9am; call Ben")
_DELETE_WORD = N_("delete")
_KIND_NAMES = {
    ReminderKind.MEETING: N_("meeting #{number}"),
    ReminderKind.TASK: N_("task #{number}"),
    ReminderKind.DIGEST: N_("weekly overview"),
    ReminderKind.PERSONAL: "{text}",
}


async def remind_command(context: Context, args: str) -> Reply:
    who, _, rest = context.without_mentions(args).partition(" ")
    target: Person | None = None
    if context.message.mentions:
        # "/erinnere @ben morgen; …": the mention was taken out, so ``who`` starts the time.
        if len(context.message.mentions) > 1:
            raise context.refuse("Please remind one person at a time.")
        target = await _fellow(context)
        rest = f"{who} {rest}".strip()
    elif who.casefold() in _ME:
        target = context.person
    elif who.casefold() in _HERE:
        target = None if not context.is_private else context.person
    else:
        raise UsageError()
    zone = context.group.timezone if context.group else context.settings.timezone
    when_text, text = _split(context, rest, zone)
    if not text:
        raise UsageError()
    if len(text) > MAX_TEXT:
        raise context.refuse("A reminder may be at most {limit} characters long.", limit=MAX_TEXT)
    due, rule = _first_time(context, when_text, zone)
    chat = context.message.chat
    reminder = await reminders.add(
        context.session,
        PlannedReminder(
            key=f"personal:{uuid.uuid4().hex}",
            kind=ReminderKind.PERSONAL,
            due_at=due,
            group_id=context.group.id if context.group else None,
            person_id=target.id if target else None,
            # Where the reminder goes when the person cannot be written to privately.
            chat_platform=None if chat.is_private else chat.platform,
            chat_id=None if chat.is_private else chat.chat_id,
            text=text,
            recurrence=rule,
            timezone=zone,
            created_by=context.person.id,
        ),
        context.now(),
    )
    whom = (
        context.t("this chat")
        if target is None
        else context.t("you")
        if target.id == context.person.id
        else target.display_name
    )
    reply = context.reply(
        "Reminder #{number} for {whom} on {when}: {text}",
        number=reminder.id,
        whom=whom,
        when=format_moment(due, context.language, zone),
        text=bold(text),
    )
    if rule:
        reply.add(context.t("It repeats: {rule}."), rule=when_text)
    return reply.build()


async def _fellow(context: Context) -> Person:
    """The mentioned person, who must share an AG with the sender."""
    mentioned = context.message.mentions[0]
    if context.group is not None:
        return await resolve_member(context, context.group, mentioned)
    person = await resolve_person(context, mentioned)
    mine = {
        group.id for group, _ in await groups.groups_of_person(context.session, context.person.id)
    }
    theirs = {group.id for group, _ in await groups.groups_of_person(context.session, person.id)}
    if not mine & theirs:
        raise context.refuse(
            "You can only remind people who are in one of your AGs; {name} is not.",
            name=person.display_name,
        )
    return person


def _split(context: Context, rest: str, zone: str) -> tuple[str, str]:
    """(time, text): before and after ";", else the longest leading time expression."""
    if ";" in rest:
        when_text, _, text = rest.partition(";")
        return when_text.strip(), text.strip()
    words = rest.split()
    now = context.now().astimezone(ZoneInfo(zone))
    # No time expression is longer than this; longer prefixes are not even tried.
    for count in range(min(len(words), MAX_WHEN_WORDS), 0, -1):
        candidate = " ".join(words[:count])
        try:
            parse_when(candidate, now, zone, "future")
        except WhenError:
            continue
        if count == len(words):
            raise context.refuse(
                "What should I remind of? Add it after a semicolon: {example}",
                example=f"{context.message.text.strip()}; …",
            )
        return candidate, " ".join(words[count:])
    raise context.refuse(
        "I found no time at the start. Write it like this: {example}",
        example=f"{context.command_word('erinnere')} {context.t(_EXAMPLE)}",
    )


def _first_time(context: Context, text: str, zone: str) -> tuple[datetime, str | None]:
    """The first time the reminder is due, and its repetition rule if it repeats."""
    local_zone = ZoneInfo(zone)
    when = read_when(context, text, zone, examples="morgen 9 Uhr, Freitag 15 Uhr")
    if isinstance(when, Recurrence):
        first = when.first
        rule = when.rrule
        if when.all_day:
            first = datetime.combine(first.date(), DEFAULT_TIME, local_zone)
            rule = f"{rule};BYHOUR={DEFAULT_TIME.hour};BYMINUTE=0"
        for moment in Recurrence(rule, first).occurrences(3):
            if moment > context.now():
                return moment, rule
        raise context.refuse("That series has no time in the future.")
    at = (
        datetime.combine(when.on, DEFAULT_TIME, local_zone)
        if isinstance(when, Day)
        else when.at
        if isinstance(when, Moment)
        else None
    )
    assert at is not None
    if at <= context.now():
        raise context.refuse(
            "{when} is in the past.", when=format_moment(at, context.language, zone)
        )
    return at, None


# --- listing, deleting, snoozing -----------------------------------------------------------


async def reminders_command(context: Context, args: str) -> Reply:
    if args.strip():
        raise UsageError()
    chat = context.message.chat
    here = None if chat.is_private else (chat.platform, chat.chat_id)
    rows = await reminders.waiting_for(context.session, context.person.id, here)
    if not rows:
        return context.reply(
            "No reminders are waiting. Set one with {command}",
            command=f"{context.command_word('erinnere')} {context.t(_EXAMPLE)}",
        ).build()
    reply = context.reply("Waiting reminders ({count}):", count=len(rows))
    for row in rows:
        reply.add(
            "#{number} {when} – {what}",
            number=row.id,
            when=format_moment(row.due_at, context.language, row.timezone),
            what=await _what(context, row),
        )
    reply.add(
        context.t("Delete one with {command}"),
        command=f"{context.command_word('erinnerung')} {context.t(_DELETE_WORD)} #N",
    )
    return reply.build()


async def _what(context: Context, row: Reminder) -> str:
    template = context.t(_KIND_NAMES[row.kind])
    if row.kind is ReminderKind.MEETING and row.meeting_id is not None:
        meeting = await context.session.get(Meeting, row.meeting_id)
        return template.format(number=meeting.number if meeting else "?")
    if row.kind is ReminderKind.TASK:
        return template.format(number=row.item_id)
    text = template.format(text=row.text)
    return f"{text} ↻" if row.recurrence else text


async def reminder_command(context: Context, args: str) -> Reply:
    """``/erinnerung loeschen #N``."""
    action, _, number = args.strip().partition(" ")
    if action.casefold() not in _DELETE or not number.strip():
        raise UsageError()
    row = await _find(context, number, waiting_only=True)
    row.status = ReminderStatus.CANCELLED
    return context.reply("Reminder #{number} deleted.", number=row.id).build()


async def snooze_command(context: Context, args: str) -> Reply:
    """``/schlummern #N 1h``: a waiting reminder moves, one that went out comes again."""
    number, _, duration_text = args.strip().partition(" ")
    delta = parse_duration(duration_text or "1h")
    if not number or delta is None or delta > timedelta(days=31):
        raise UsageError()
    row = await _find(context, number, waiting_only=False)
    due = context.now() + delta
    if row.status in WAITING:
        row.due_at = row.next_attempt_at = due
        snoozed = row
    else:
        snoozed = await reminders.add(
            context.session,
            planned_like(
                row, key=f"{row.key.split('@', 1)[0]}~{uuid.uuid4().hex[:12]}", due_at=due
            ),
            context.now(),
        )
    return context.reply(
        "Reminder #{number} comes again on {when}.",
        number=snoozed.id,
        when=format_moment(due, context.language, row.timezone),
    ).build()


async def _find(context: Context, word: str, *, waiting_only: bool) -> Reminder:
    """Reminder #N if this person may change it: theirs, or their chat's as coordinator."""
    digits = word.strip().lstrip("#")
    number = bounded_number(digits)
    row = await context.session.get(Reminder, number) if number is not None else None
    if row is None or (waiting_only and row.status not in WAITING):
        raise context.refuse("There is no waiting reminder #{number}.", number=digits or word)
    if context.person.id in (row.person_id, row.created_by):
        return row
    # A chat's reminder is also its AG's coordinators' to change: in that AG, not here.
    if (
        row.person_id is None
        and row.group_id is not None
        and await context.level_in(row.group_id) >= Permission.COORDINATOR
    ):
        return row
    raise context.refuse("Reminder #{number} is not yours.", number=row.id)


COMMANDS = [
    Command(
        name="erinnere",
        alias="remind",
        usage=N_("me|here|@person <when>; <text>"),
        summary=N_("Reminds you, this chat or someone of your AG, once or repeatedly."),
        details=N_(
            "Examples: /erinnere mich morgen 9 Uhr; Ben anrufen — /erinnere hier jeden Freitag "
            "15 Uhr; Wochenbericht — /erinnere @ben in 2 Stunden Unterlagen schicken"
        ),
        handler=remind_command,
    ),
    Command(
        name="erinnerungen",
        alias="reminders",
        usage="",
        summary=N_("Lists your waiting reminders and those of this chat."),
        details="",
        handler=reminders_command,
    ),
    Command(
        name="erinnerung",
        alias="reminder",
        usage=N_("delete #N"),
        summary=N_("Deletes a waiting reminder."),
        details="",
        handler=reminder_command,
    ),
    Command(
        name="schlummern",
        alias="snooze",
        usage=N_("#N [1h | 30min | 1d]"),
        summary=N_("Brings a reminder again later (also a button under each reminder)."),
        details="",
        handler=snooze_command,
    ),
]
