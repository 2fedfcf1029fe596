"""Answers to invitations: /zusage, /absage, /vielleicht, and /teilnehmer to see them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Reply, bold
from core.timefmt import format_moment
from handlers.meetings.texts import find_meeting
from handlers.shared.context import Context
from storage import meetings
from storage.models import Answer, MeetingStatus

_ANSWER_TEXTS = {
    Answer.YES: N_("Thank you, {name}: you will attend {title} (#{number}) on {when}."),
    Answer.NO: N_("Thank you, {name}: you will not attend {title} (#{number}) on {when}."),
    Answer.MAYBE: N_("Noted, {name}: maybe for {title} (#{number}) on {when}."),
}


def _answer(answer: Answer) -> Callable[[Context, str], Awaitable[Reply]]:
    async def handler(context: Context, args: str) -> Reply:
        group = context.require_group()
        if not args.strip():
            raise UsageError()
        meeting = await find_meeting(context, group, args.split()[0])
        if meeting.status is MeetingStatus.CANCELLED:
            raise context.refuse("Meeting #{number} is cancelled.", number=meeting.number)
        if meeting.starts_at <= context.now():
            raise context.refuse("Meeting #{number} has already begun.", number=meeting.number)
        await meetings.set_answer(
            context.session, meeting.id, context.person.id, answer, context.now()
        )
        return context.reply(
            _ANSWER_TEXTS[answer],
            name=context.person.display_name,
            title=bold(meeting.title),
            number=meeting.number,
            when=format_moment(meeting.starts_at, context.language, group.timezone),
        ).build()

    return handler


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
        names = [person.display_name for person in everyone if person.answer == answer]
        reply.add(context.t(template), count=len(names), names=", ".join(names) or "–")
    return reply.build()


COMMANDS = [
    Command(
        name="zusage",
        alias="yes",
        usage="#N",
        summary=N_("You will attend meeting #N."),
        details="",
        handler=_answer(Answer.YES),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="absage",
        alias="no",
        usage="#N",
        summary=N_("You will not attend meeting #N."),
        details="",
        handler=_answer(Answer.NO),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="vielleicht",
        alias="maybe",
        usage="#N",
        summary=N_("You may attend meeting #N."),
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
