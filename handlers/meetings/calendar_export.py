"""/kalender: the AG's meetings as an iCalendar (.ics) file for Outlook and Thunderbird.

A series is one event with its RRULE (its end as UNTIL or COUNT, left-out months as
BYMONTH); an occurrence that was moved, cancelled or has its own agenda is an override
(RECURRENCE-ID). Cancelled meetings stay in the file with STATUS:CANCELLED rather than
disappearing, so that a calendar which imported the file before marks them cancelled
(Outlook reads a cancelled override as a deleted occurrence). Times carry the AG's zone
with a VTIMEZONE; all-day meetings are DATE values. UIDs are derived from database ids,
so re-importing updates instead of doubling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from core.commands import Command, Where
from core.file_names import ascii_name
from core.i18n import N_
from core.messages import OutgoingFile, Reply
from handlers.meetings.series import extend_series
from handlers.shared.context import Context
from storage import meetings
from storage.models import (
    AgendaItem,
    Meeting,
    MeetingFormat,
    MeetingSeries,
    MeetingStatus,
    WorkingGroup,
)

UID_DOMAIN = "ag-bot"
_STATUS = {MeetingStatus.SCHEDULED: "CONFIRMED", MeetingStatus.CANCELLED: "CANCELLED"}


@dataclass(frozen=True)
class CalendarTexts:
    """The words of the file in the reader's language, so that building it needs no context.

    The templates are translated; the AG's name and the command words are filled in when
    a meeting is described, all at once (a name with braces stays as it is).
    """

    group: str
    yes: str  # "/zusage"
    no: str  # "/absage"
    meetings: str  # "/termine"
    link: str  # "Link: {url}"
    agenda: str  # "Agenda:"
    point: str  # "TOP {position}: {text}"
    meeting: str  # "Meeting #{number} of {group}; answer with {yes} or {no}"
    series: str  # "A regular meeting of {group}; … {command}"
    cancelled: str  # "Meeting #{number} of {group} is cancelled."


def _texts(context: Context, group: WorkingGroup) -> CalendarTexts:
    return CalendarTexts(
        group=group.name,
        yes=context.command_word("zusage"),
        no=context.command_word("absage"),
        meetings=context.command_word("termine"),
        link=context.t("Link: {url}"),
        agenda=context.t("Agenda:"),
        point=context.t("TOP {position}: {text}"),
        meeting=context.t("Meeting #{number} of {group}; answer with {yes} or {no}"),
        series=context.t("A regular meeting of {group}; the number of each meeting: {command}"),
        cancelled=context.t("Meeting #{number} of {group} is cancelled."),
    )


def _description(
    meeting: Meeting, agenda: list[AgendaItem] | None, texts: CalendarTexts, series: bool
) -> str:
    """Link first (Outlook shows the description's start), then the agenda, then how to
    answer: the whole series points to /termine, one meeting names its number, a
    cancelled one says so."""
    blocks: list[str] = []
    if meeting.link:
        blocks.append(texts.link.format(url=meeting.link))
    if agenda:
        points = [texts.point.format(position=item.position, text=item.text) for item in agenda]
        blocks.append("\n".join([texts.agenda, *points]))
    number = meeting.number
    if series:
        blocks.append(texts.series.format(group=texts.group, command=texts.meetings))
    elif meeting.status is MeetingStatus.CANCELLED:
        blocks.append(texts.cancelled.format(number=number, group=texts.group))
    else:
        blocks.append(
            texts.meeting.format(
                number=number,
                group=texts.group,
                yes=f"{texts.yes} {number}",
                no=f"{texts.no} {number}",
            )
        )
    return "\n\n".join(blocks)


def _location(meeting: Meeting) -> str | None:
    """Where people go: for a digital meeting the link, otherwise the room."""
    if meeting.format is MeetingFormat.DIGITAL and meeting.link:
        return meeting.link
    return meeting.place or meeting.link


def _event(
    meeting: Meeting,
    group: WorkingGroup,
    zone: ZoneInfo,
    uid: str,
    description: str,
    start: datetime | None = None,
) -> Event:
    """A VEVENT for the meeting, starting at ``start`` (default: when it takes place)."""
    event = Event()
    start = start or meeting.starts_at.astimezone(zone)
    event.add("uid", uid)
    event.add("dtstamp", meeting.updated_at)
    if meeting.all_day:
        # An all-day event: DATE values, the end the day after (RFC 5545 3.6.1).
        event.add("dtstart", start.date())
        event.add("dtend", start.date() + timedelta(days=1))
    else:
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=meeting.duration_minutes))
    # Calendars of several AGs side by side: the AG's name tells them apart.
    event.add("summary", f"{group.name}: {meeting.title}")
    location = _location(meeting)
    if location:
        event.add("location", location)
    if meeting.link:
        event.add("url", meeting.link)
    event.add("description", description)
    event.add("status", _STATUS[meeting.status])
    return event


def build_calendar(
    group: WorkingGroup,
    all_meetings: list[Meeting],
    series: dict[int, MeetingSeries],
    agendas: dict[int, list[AgendaItem]],
    texts: CalendarTexts,
) -> bytes:
    zone = ZoneInfo(group.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//AG-Bot//Sitzungen//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", group.name)
    by_series: dict[int, list[Meeting]] = {}
    for meeting in all_meetings:
        if meeting.series_id is None:
            description = _description(meeting, agendas.get(meeting.id), texts, series=False)
            uid = f"meeting-{meeting.id}@{UID_DOMAIN}"
            calendar.add_component(_event(meeting, group, zone, uid, description))
        else:
            by_series.setdefault(meeting.series_id, []).append(meeting)
    for series_id, occurrences in by_series.items():
        for component in _series_events(
            series[series_id], occurrences, group, agendas, texts, zone
        ):
            calendar.add_component(component)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _series_events(
    series: MeetingSeries,
    occurrences: list[Meeting],
    group: WorkingGroup,
    agendas: dict[int, list[AgendaItem]],
    texts: CalendarTexts,
    zone: ZoneInfo,
) -> list[Event]:
    uid = f"series-{series.id}@{UID_DOMAIN}"
    occurrences.sort(key=lambda m: m.original_start or m.starts_at)
    first = occurrences[0]
    # The master event starts where the rule starts, even if that occurrence moved.
    master = _event(
        first,
        group,
        zone,
        uid,
        _description(first, None, texts, series=True),
        series.first_local.replace(tzinfo=zone),
    )
    rule = dict(part.split("=", 1) for part in series.rrule.split(";"))
    scheduled = [_original(m) for m in occurrences if m.status is MeetingStatus.SCHEDULED]
    last = max(scheduled, default=None)
    if series.cancelled:
        # The series ends with its last meeting that still takes place; with none left,
        # the whole series is cancelled (and stays in the file as such).
        ends = last or max(_original(m) for m in occurrences)
        rule["UNTIL"] = ends.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
        rule.pop("COUNT", None)
    if first.all_day and "UNTIL" in rule:
        # With a DATE DTSTART the UNTIL is a date too (RFC 5545 3.3.10): its local day.
        until = datetime.strptime(rule["UNTIL"][:15], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        rule["UNTIL"] = until.astimezone(zone).strftime("%Y%m%d")
    # The series' state, not that of its first occurrence (which has an override if cancelled).
    ended = series.cancelled and last is None
    master.pop("STATUS")
    master.add("status", _STATUS[MeetingStatus.CANCELLED if ended else MeetingStatus.SCHEDULED])
    # Parsed from its text, so that UNTIL becomes a date-time as icalendar writes it.
    master.add("rrule", vRecur.from_ical(";".join(f"{k}={v}" for k, v in rule.items())))
    if ended:
        return [master]
    events = [master]
    for meeting in occurrences:
        original = _original(meeting)
        if series.cancelled and last is not None and original > last:
            continue  # beyond the rule's end: no occurrence to override
        agenda = agendas.get(meeting.id)
        moved = meeting.starts_at != meeting.original_start
        if agenda or moved or meeting.status is MeetingStatus.CANCELLED:
            description = _description(meeting, agenda, texts, series=False)
            override = _event(meeting, group, zone, uid, description)
            # An all-day series names its occurrences by date, as its DTSTART is a date.
            local = original.astimezone(zone)
            override.add("recurrence-id", local.date() if first.all_day else local)
            events.append(override)
    return events


def _original(meeting: Meeting) -> datetime:
    """When the rule puts the occurrence, even if it was moved."""
    return meeting.original_start or meeting.starts_at


async def calendar_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    await extend_series(context.session, [group.id], context.now())
    all_meetings = await meetings.all_of_group(context.session, group.id)
    series = await meetings.series_of_group(context.session, group.id)
    agendas = await meetings.agendas_of_group(context.session, group.id)
    content = build_calendar(group, all_meetings, series, agendas, _texts(context, group))
    # "ag-oeffentlichkeitsarbeit.ics": mail programs and Outlook mangle other letters.
    name = ascii_name(group.name, "ag").lower()
    reply = context.reply(
        "The meetings of {group} as a calendar file; import it into Outlook or Thunderbird.",
        group=group.name,
    )
    reply.files.append(OutgoingFile(f"{name}.ics", content, "text/calendar"))
    return reply.build()


COMMANDS = [
    Command(
        name="kalender",
        alias="calendar",
        usage="",
        summary=N_("Sends the AG's meetings as a calendar file (.ics)."),
        details="",
        handler=calendar_command,
        where=Where.GROUP,
        needs_group=True,
    ),
]
