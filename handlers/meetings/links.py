"""/termin link #N <URL>: the video link of a meeting planned as "Webex" or "Zoom" before
its link was known, told to every chat of the AG.

A link without ``https://`` ("meet.example.org/raum") is stored with it. A meeting in
person that gets a link becomes hybrid; the invitation's "Link folgt" becomes the link.
"""

from __future__ import annotations

from core.errors import UsageError
from core.messages import Reply, bold
from handlers.meetings.fields import find_link
from handlers.meetings.texts import announce, find_meeting, meeting_lines
from handlers.shared.context import Context
from storage.models import MeetingFormat, MeetingStatus, WorkingGroup


async def set_link(context: Context, group: WorkingGroup, args: str) -> Reply:
    """Sets the link of meeting #N and sends the meeting with it to the AG's chats."""
    number, _, text = args.strip().partition(" ")
    if not number or not text.strip():
        raise UsageError(
            context.t("Set a meeting's link: {command} link #N <URL>").format(
                command=context.command_word("termin")
            )
        )
    meeting = await find_meeting(context, group, number)
    if meeting.status is MeetingStatus.CANCELLED:
        raise context.refuse("Meeting #{number} is cancelled.", number=meeting.number)
    link, rest = find_link(text.strip())
    if link is None or rest:
        raise context.refuse(
            "{text} is not a link. Example: {example}",
            text=f"„{text.strip()}“" if context.language == "de" else f'"{text.strip()}"',
            example=f"{context.command_word('termin')} link {meeting.number} "
            "https://meet.example.org/jourfixe",
        )
    meeting.link = link
    if meeting.format is MeetingFormat.IN_PERSON:
        meeting.format = MeetingFormat.HYBRID if meeting.place else MeetingFormat.DIGITAL
    meeting.updated_at = context.now()
    reply = context.reply(
        "The link for {title} (#{number}): {link}",
        title=bold(meeting.title),
        number=meeting.number,
        link=link,
    )
    await meeting_lines(context, group, meeting, reply)
    return await announce(context, group, reply.build())
