"""Answers to invitations: /zusage, /absage, /vielleicht, and /teilnehmer to see them.

``/absage #3 wegen Urlaub`` keeps the reason, which the protocol names with the excused.
Without a number an answer goes to the AG's next meeting when it is the only one in the
coming 14 days; otherwise the candidates are offered as buttons.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Choice, Reply, bold
from handlers.meetings.texts import find_meeting, start_text
from handlers.shared.context import Context
from handlers.shared.numbers import meeting_number
from storage import meetings
from storage.meetings import UpcomingMeeting
from storage.models import Answer, Meeting, MeetingStatus, WorkingGroup

# An answer without a number is for the only meeting this close.
NEXT_DAYS = 14
MAX_REASON = 200
# "wegen Urlaub", "because of a training": the reason is what follows.
_REASON_START = re.compile(
    r"^(?:wegen|aufgrund|grund:?|because(?:\s+of)?|due\s+to|reason:?)\s+|^[-–:]\s*",
    re.IGNORECASE,
)
_COMMAND_WORDS = {Answer.YES: "zusage", Answer.NO: "absage", Answer.MAYBE: "vielleicht"}

_ANSWER_TEXTS = {
    Answer.YES: N_("Thank you, {name}: you will attend {title} (#{number}) on {when}."),
    Answer.NO: N_("Thank you, {name}: you will not attend {title} (#{number}) on {when}."),
    Answer.MAYBE: N_("Noted, {name}: maybe for {title} (#{number}) on {when}."),
}


def _answer(answer: Answer) -> Callable[[Context, str], Awaitable[Reply]]:
    async def handler(context: Context, args: str) -> Reply:
        group = context.require_group()
        first, _, rest = args.strip().partition(" ")
        if meeting_number(first) is not None:
            meeting = await find_meeting(context, group, first)
        else:
            found = await _the_next_meeting(context, group, answer)
            if isinstance(found, Reply):
                return found
            meeting, rest = found, args.strip()
        if meeting.status is MeetingStatus.CANCELLED:
            raise context.refuse("Meeting #{number} is cancelled.", number=meeting.number)
        if meeting.starts_at <= context.now():
            raise context.refuse("Meeting #{number} has already begun.", number=meeting.number)
        reason = _REASON_START.sub("", rest.strip(), count=1).strip() or None
        if reason is not None and len(reason) > MAX_REASON:
            raise context.refuse("A reason may be at most {limit} characters.", limit=MAX_REASON)
        await meetings.set_answer(
            context.session, meeting.id, context.person.id, answer, context.now(), reason
        )
        reply = context.reply(
            _ANSWER_TEXTS[answer],
            name=context.person.display_name,
            title=bold(meeting.title),
            number=meeting.number,
            when=start_text(context, meeting, group.timezone),
        )
        if reason is not None:
            reply.add(context.t("Reason: {reason}"), reason=reason)
        return reply.build()

    return handler


async def _the_next_meeting(
    context: Context, group: WorkingGroup, answer: Answer
) -> Meeting | Reply:
    """The only meeting of the AG in the coming 14 days, or a reply offering the candidates."""
    now = context.now()
    close = await meetings.upcoming(
        context.session, [group.id], now, until=now + timedelta(days=NEXT_DAYS)
    )
    if len(close) == 1:
        return close[0].meeting
    if close:
        reply = context.reply(
            "Which meeting do you mean? In the coming {days} days:", days=NEXT_DAYS
        )
        candidates = close
    else:
        candidates = await meetings.upcoming(context.session, [group.id], now, limit=1)
        if not candidates:
            raise context.refuse(
                "No meetings planned. Coordinators plan one with {command} <title> | <when>.",
                command=context.command_word("termin"),
            )
        reply = context.reply(
            "{group} has no meeting in the coming {days} days. The next one:",
            group=group.name,
            days=NEXT_DAYS,
        )
    for item in candidates:
        reply.add(
            "#{number} {when}: {title}",
            number=item.meeting.number,
            when=start_text(context, item.meeting, group.timezone),
            title=bold(item.meeting.title),
        )
    reply.choices.extend(_choices(context, candidates, answer))
    return reply.build()


def _choices(context: Context, items: list[UpcomingMeeting], answer: Answer) -> list[Choice]:
    word = context.command_word(_COMMAND_WORDS[answer])
    return [
        Choice(f"{item.meeting.title} (#{item.meeting.number})", f"{word} {item.meeting.number}")
        for item in items
    ]


async def attendees_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    if not args.strip():
        raise UsageError()
    meeting = await find_meeting(context, group, args.split()[0])
    everyone = await meetings.attendees(context.session, meeting)
    reply = context.reply(
        "Answers for {title} (#{number}):", title=bold(meeting.title), number=meeting.number
    )
    sections = (
        (N_("Attending ({count}): {names}"), Answer.YES),
        (N_("Not attending ({count}): {names}"), Answer.NO),
        (N_("Maybe ({count}): {names}"), Answer.MAYBE),
        (N_("No answer yet ({count}): {names}"), None),
    )
    for template, answer in sections:
        names = [person.name_with_reason for person in everyone if person.answer == answer]
        reply.add(context.t(template), count=len(names), names=", ".join(names) or "–")
    return reply.build()


COMMANDS = [
    Command(
        name="zusage",
        alias="yes",
        usage=N_("[#N] [<reason>]"),
        summary=N_("You will attend meeting #N (without a number: the AG's next one)."),
        details="",
        handler=_answer(Answer.YES),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="absage",
        alias="no",
        usage=N_("[#N] [<reason>]"),
        summary=N_("You will not attend meeting #N, with a reason if you like."),
        details=N_(
            "Examples: /absage 3 wegen Urlaub — /absage (the AG's only meeting in the coming "
            "14 days; else you choose). The protocol lists you as excused with the reason."
        ),
        handler=_answer(Answer.NO),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="vielleicht",
        alias="maybe",
        usage=N_("[#N] [<reason>]"),
        summary=N_("You may attend meeting #N (without a number: the AG's next one)."),
        details="",
        handler=_answer(Answer.MAYBE),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="teilnehmer",
        alias="attendees",
        usage="#N",
        summary=N_("Who answered what for meeting #N, and who did not answer."),
        details="",
        handler=attendees_command,
        where=Where.GROUP,
        needs_group=True,
    ),
]
