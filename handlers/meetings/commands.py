"""Meetings: /termin (create, move, cancel) and /termine (what is coming up)."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Choice, Reply, bold
from core.timefmt import format_day, format_moment
from core.when import Day, Moment, Recurrence
from handlers.meetings.clashes import warn_of_clashes
from handlers.meetings.fields import Fields, read_fields
from handlers.meetings.links import set_link
from handlers.meetings.past import PAST_WORDS, past_meetings
from handlers.meetings.series import MAX_OCCURRENCES, SERIES_HORIZON, create_series, extend_series
from handlers.meetings.texts import (
    announce,
    answer_choices,
    find_meeting,
    holiday_name,
    meeting_lines,
    start_text,
    where_text,
)
from handlers.shared.context import Context
from handlers.shared.private_group import group_choices, named_group, own_groups
from handlers.shared.questions import ask_yes_no
from handlers.shared.states import DEFAULT_STATE
from handlers.shared.time_input import notes_text, read_when
from storage import dialogues, meetings, protocol_deadlines, reminders
from storage.meetings import MeetingDraft
from storage.models import Meeting, MeetingStatus, WorkingGroup

DEFAULT_DURATION = 90
MAX_TITLE = 200
# A series with more meetings than this in its first year is planned only after /ja.
CONFIRM_ABOVE = 60
DEFAULT_LIST_LENGTH = 5
DIALOGUE_TIMEOUT = timedelta(minutes=10)
DAY_MINUTES = 24 * 60
_MOVE_WORDS = {"verschieben", "move"}
_CANCEL_WORDS = {"absagen", "cancel"}
_SERIES_WORDS = {"serie", "series"}
_LINK_WORDS = {"link"}


def parse_time_or_refuse(
    context: Context, group: WorkingGroup, text: str, *, all_day: bool = False
) -> Moment | Recurrence:
    """A moment or a series in the future; refuses dates without a time and past times.

    An ``all_day`` meeting takes a date without a time instead: its moment is the
    day's local midnight (a series' occurrences are at 00:00 already).
    """
    when = read_when(
        context,
        text,
        group.timezone,
        examples="nächsten Dienstag 14 Uhr, 7.4. 10:30",
        state=group.state or DEFAULT_STATE,
    )
    if all_day:
        return _whole_days(context, group, text, when)
    if isinstance(when, Day) or (isinstance(when, Recurrence) and when.all_day):
        raise context.refuse(
            "A meeting needs a time of day, e.g. {example}.",
            example=f"{text.strip()} 14 Uhr" if context.language == "de" else f"{text.strip()} 2pm",
        )
    if isinstance(when, Moment) and when.at <= context.now():
        raise context.refuse(
            "{when} is in the past.", when=format_moment(when.at, context.language)
        )
    return when


def _whole_days(
    context: Context, group: WorkingGroup, text: str, when: Moment | Day | Recurrence
) -> Moment | Recurrence:
    if isinstance(when, Recurrence) and when.all_day:
        return when
    if not isinstance(when, Day):
        raise context.refuse(
            "An all-day meeting takes a date without a time of day, e.g. {example}.",
            example="7.5. | ganztägig",
        )
    midnight = datetime.combine(when.on, time(0), ZoneInfo(group.timezone))
    if when.on < context.now().astimezone(ZoneInfo(group.timezone)).date():
        raise context.refuse("{when} is in the past.", when=format_day(when.on, context.language))
    return Moment(midnight, timedelta(days=1), when.notes)


async def meeting_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    if not args.strip():
        return await _ask(context, {"step": "title"})
    first, _, rest = args.strip().partition(" ")
    if first.casefold() in _MOVE_WORDS:
        return await _move(context, group, rest)
    if first.casefold() in _CANCEL_WORDS:
        return await _cancel(context, group, rest)
    if first.casefold() in _LINK_WORDS:
        return await set_link(context, group, rest)
    parts = [part.strip() for part in args.split("|")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise UsageError()
    title = " ".join(parts[0].split())[:MAX_TITLE]
    fields = read_fields(context, parts[2:])
    when = parse_time_or_refuse(context, group, parts[1], all_day=fields.all_day)
    if isinstance(when, Recurrence) and not context.confirmed:
        count = when.count_within(SERIES_HORIZON, MAX_OCCURRENCES + 1)
        if count > CONFIRM_ABOVE:
            return await _confirm_many(context, args, count)
    draft = MeetingDraft(
        group_id=group.id,
        title=title,
        duration_minutes=_duration(fields, when),
        place=fields.place,
        link=fields.link,
        format=fields.meeting_format(),
        created_by=context.person.id,
        all_day=fields.all_day,
    )
    if isinstance(when, Recurrence):
        created = await create_series(context.session, group, draft, when, context.now())
    else:
        created = [await meetings.add_meeting(context.session, draft, when.at, context.now())]
    for meeting in created:
        await _plan_reminders(context, meeting)
    notes = notes_text(context, when.notes) if isinstance(when, Moment) else ""
    invitation = await announce(context, group, await _invitation(context, group, created, notes))
    return await warn_of_clashes(context, group, created, invitation)


def _duration(fields: Fields, when: Moment | Recurrence) -> int:
    """The stated duration, else the range's ("14–16 Uhr"), else 90 min; a whole day."""
    if fields.all_day:
        return DAY_MINUTES
    return fields.duration or _range_minutes(when) or DEFAULT_DURATION


def _range_minutes(when: Moment | Recurrence) -> int | None:
    """The duration a range gave ("14–16 Uhr": 120), in minutes."""
    return None if when.duration is None else int(when.duration.total_seconds() // 60)


async def _confirm_many(context: Context, args: str, count: int) -> Reply:
    """ "werktags 8 Uhr" is some 250 meetings a year: plan them only after /ja."""
    reply = context.reply(
        "This series has {count} meetings in its first year. Plan them all? Answer {yes} or "
        "{no} within 5 minutes.",
        count=count,
        yes=context.command_word("ja"),
        no=context.command_word("nein"),
    )
    return await ask_yes_no(
        context, reply, command="termin", argument=args, yes_label=context.t("Yes, plan them")
    )


# --- step by step: /termin without arguments ---------------------------------------------

_QUESTIONS = {
    "title": N_("New meeting: what is its title? ({cancel} ends this)"),
    "when": N_(
        "When? For example: nächsten Dienstag 14 Uhr, 7.4. 10:30, jeden ersten Dienstag 14 Uhr"
    ),
    "place": N_("Where? A place or a video link, or - for none."),
}


async def _ask(context: Context, state: dict[str, str]) -> Reply:
    chat = context.message.chat
    await dialogues.save_dialogue(
        context.session,
        platform=chat.platform,
        chat_id=chat.chat_id,
        person_id=context.person.id,
        command="termin",
        state=json.dumps(state),
        expires_at=context.now() + DIALOGUE_TIMEOUT,
    )
    question = _QUESTIONS[state["step"]]
    reply = context.reply(question, cancel=context.command_word("abbrechen"))
    reply.expects_answer = True
    return reply.build()


async def meeting_dialogue(context: Context, answer: str) -> Reply:
    """The next answer of the person planning a meeting step by step."""
    group = context.require_group()
    chat = context.message.chat
    state = await dialogues.current_dialogue(
        context.session,
        platform=chat.platform,
        chat_id=chat.chat_id,
        person_id=context.person.id,
        now=context.now(),
    )
    values: dict[str, str] = json.loads(state[1]) if state else {"step": "title"}
    step = values.pop("step")
    answer = answer.replace("|", "/")  # the parts are joined with | below
    if step == "title":
        return await _ask(context, {"step": "when", "title": answer[:MAX_TITLE]})
    if step == "when":
        parse_time_or_refuse(context, group, answer)  # a wrong time is asked again
        return await _ask(context, {"step": "place", **values, "when": answer})
    await dialogues.forget_pending(
        context.session, platform=chat.platform, chat_id=chat.chat_id, person_id=context.person.id
    )
    place = "" if answer.strip() == "-" else answer
    return await meeting_command(context, f"{values['title']} | {values['when']} | {place}")


async def _invitation(
    context: Context, group: WorkingGroup, created: list[Meeting], notes: str = ""
) -> Reply:
    first = created[0]
    reply = context.reply("Invitation to a meeting of {group}:", group=bold(group.name))
    await meeting_lines(context, group, first, reply, notes)
    if len(created) > 1:
        reply.add(
            context.t("A series: {count} meetings planned, next ones: {next}"),
            count=len(created),
            next=", ".join(
                f"#{m.number} {start_text(context, m, group.timezone)}" for m in created[1:4]
            ),
        )
        for meeting in created[1:]:
            holiday = holiday_name(group, meeting, context.language)
            if holiday:
                reply.add(
                    context.t("⚠ #{number} falls on {holiday}, a public holiday"),
                    number=meeting.number,
                    holiday=holiday,
                )
    point = context.t("<point>")
    reply.add(
        context.t("Agenda points: {agenda} — please answer: {yes} · {no} · {maybe}"),
        agenda=f"{context.command_word('tagesordnung')} {first.number} + {point}",
        yes=f"{context.command_word('zusage')} {first.number}",
        no=f"{context.command_word('absage')} {first.number}",
        maybe=f"{context.command_word('vielleicht')} {first.number}",
    )
    reply.choices.extend(answer_choices(context, first))
    return reply.build()


async def _move(context: Context, group: WorkingGroup, args: str) -> Reply:
    number, _, when_text = args.strip().partition(" ")
    if not number or not when_text.strip():
        raise UsageError(
            context.t("Move a meeting: {command} move #N <when>").format(
                command=context.command_word("termin")
            )
        )
    meeting = await find_meeting(context, group, number)
    when = parse_time_or_refuse(context, group, when_text, all_day=meeting.all_day)
    if isinstance(when, Recurrence):
        raise context.refuse("A meeting moves to one time, not to a series.")
    old = start_text(context, meeting, group.timezone)
    meeting.starts_at = when.at
    if not meeting.all_day:
        meeting.duration_minutes = _range_minutes(when) or meeting.duration_minutes
    meeting.updated_at = context.now()
    protocol_deadlines.fix(meeting, group)  # its protocol is due after its new day
    await _plan_reminders(context, meeting)
    reply = context.reply("Meeting moved (was {old}):", old=old)
    await meeting_lines(context, group, meeting, reply, notes_text(context, when.notes))
    reply.choices.extend(answer_choices(context, meeting))
    moved = await announce(context, group, reply.build())
    return await warn_of_clashes(context, group, [meeting], moved)


async def _cancel(context: Context, group: WorkingGroup, args: str) -> Reply:
    words = args.split()
    if (
        not words
        or len(words) > 2
        or (len(words) == 2 and words[1].casefold() not in _SERIES_WORDS)
    ):
        raise UsageError(
            context.t("Cancel a meeting: {command} cancel #N [series]").format(
                command=context.command_word("termin")
            )
        )
    meeting = await find_meeting(context, group, words[0])
    if meeting.status is MeetingStatus.CANCELLED:
        raise context.refuse("Meeting #{number} is already cancelled.", number=meeting.number)
    when = start_text(context, meeting, group.timezone)
    if len(words) == 2:
        if meeting.series_id is None:
            raise context.refuse(
                "Meeting #{number} is not part of a series.", number=meeting.number
            )
        count = await meetings.cancel_series_from(
            context.session, meeting.series_id, meeting.starts_at, context.now()
        )
        await reminders.cancel_for_series(context.session, meeting.series_id, meeting.starts_at)
        reply = context.reply(
            "Cancelled: the series {title} from {when} on ({count} meetings).",
            title=bold(meeting.title),
            when=when,
            count=count,
        )
    else:
        meeting.status = MeetingStatus.CANCELLED
        meeting.updated_at = context.now()
        await _plan_reminders(context, meeting)
        reply = context.reply(
            "Cancelled: {title} (#{number}) on {when}.",
            title=bold(meeting.title),
            number=meeting.number,
            when=when,
        )
    return await announce(context, group, reply.build())


async def _plan_reminders(context: Context, meeting: Meeting) -> None:
    """Plan, move or withdraw the meeting's reminders (within the horizon; later ones
    are planned by the reminder engine's daily job)."""
    horizon = context.settings.reminder_horizon
    await reminders.sync_meeting(context.session, meeting, context.now(), horizon)


async def meetings_command(context: Context, args: str) -> Reply:
    first, _, rest = args.strip().partition(" ")
    if first.casefold() in PAST_WORDS:
        return await past_meetings(context, rest.strip())
    group, args = await _listed_group(context, args)
    limit, until = _period(context, args)
    choices: list[Choice] = []
    if group is None:
        group_ids = await meetings.group_ids_of_person(context.session, context.person.id)
        heading = context.reply("Your upcoming meetings:")
        if len(group_ids) > 1:  # a button per AG for its meetings only
            own = [g for g in await own_groups(context) if g.id in group_ids]
            choices = group_choices(own, context.command_word("termine"), args)
    else:
        group_ids = [group.id]
        heading = context.reply("Upcoming meetings of {group}:", group=bold(group.name))
    await extend_series(context.session, group_ids, context.now())
    found = await meetings.upcoming(
        context.session, group_ids, context.now(), until=until, limit=limit
    )
    if not found:
        return context.reply(
            "No meetings planned. Coordinators plan one with {command} <title> | <when>.",
            command=context.command_word("termin"),
        ).build()
    heading.choices.extend(choices)
    for item in found:
        meeting = item.meeting
        name = f" [{item.group_name}]" if len(group_ids) > 1 else ""
        heading.add(
            "#{number} {when}: {title}{group} – {where}",
            number=meeting.number,
            when=start_text(context, meeting, item.timezone),
            title=bold(meeting.title),
            group=name,
            where=where_text(context, meeting),
        )
    return heading.build()


async def _listed_group(context: Context, args: str) -> tuple[WorkingGroup | None, str]:
    """The chat's AG; in a private chat the AG named first (``/termine AG Verkehr``), or
    None for the meetings of all the person's AGs."""
    if not context.is_private:
        return context.require_group(), args
    named = named_group(await own_groups(context), args)
    return named if named is not None else (None, args)


def _period(context: Context, args: str) -> tuple[int | None, datetime | None]:
    word = args.strip().casefold()
    if not word:
        return DEFAULT_LIST_LENGTH, None
    if word.isdecimal() and 0 < int(word) <= 100:
        return int(word), None
    days = {"woche": 7, "week": 7, "monat": 31, "month": 31, "jahr": 366, "year": 366}
    if word in days:
        return None, context.now() + timedelta(days=days[word])
    raise UsageError()


COMMANDS = [
    Command(
        name="termin",
        alias="meeting",
        usage=N_(
            "<title> | <when> [| <place or link>] [| 90 min] [| hybrid] [| all day] "
            "| move #N <when> | cancel #N [series] | link #N <URL>"
        ),
        summary=N_("Plans a meeting or a series and invites the AG."),
        details=N_(
            "Examples: /termin Jour fixe | jeden ersten Dienstag im Monat 14 Uhr | Rathaus, "
            "Raum 2.14 — /termin Workshop | 7.4. 10 Uhr | meet.example.org/ws | 2,5 h — "
            "/termin Klausur | 7.5. | ganztägig | Rathaus — /termin Abstimmung | 8.5. 10 Uhr | "
            "Webex (the link follows with /termin link #N <URL>). Also: /termin verschieben #N "
            "<when>, /termin absagen #N [serie]."
        ),
        handler=meeting_command,
        dialogue=meeting_dialogue,
        permission=Permission.COORDINATOR,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="termine",
        alias="meetings",
        usage=N_("[number | week | month] | past [<period>]"),
        summary=N_("Shows the upcoming meetings (in a private chat: of all your AGs)."),
        details=N_(
            "Examples: /termine monat — /termine vergangen (the last ten that took place) — "
            "/termine vergangen März — /termine vergangen 2025 — /termine vergangen von 1.1. "
            "bis 30.6.; in a private chat one AG's only: /termine AG Verkehr woche"
        ),
        handler=meetings_command,
    ),
]
