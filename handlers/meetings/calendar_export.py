"""/kalender: the AG's meetings as an iCalendar (.ics) file for Outlook and Thunderbird.

A series is one event with its RRULE (its end as UNTIL or COUNT, left-out months as
BYMONTH), cancelled occurrences as EXDATE and moved ones as overrides (RECURRENCE-ID);
times carry the AG's zone with a VTIMEZONE; all-day meetings are DATE values.
UIDs are derived from database ids, so re-importing updates instead of doubling.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from core.commands import Command, Where
from core.i18n import N_
from core.messages import OutgoingFile, Reply
from handlers.meetings.series import extend_series
from handlers.shared.context import Context
from storage import meetings
from storage.models import Meeting, MeetingSeries, MeetingStatus, WorkingGroup

UID_DOMAIN = "ag-bot"


def _event(meeting: Meeting, zone: ZoneInfo, uid: str, start: datetime | None = None) -> Event:
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
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.link:
        event.add("location", meeting.link)
    if meeting.link:
        event.add("url", meeting.link)
    event.add("description", f"#{meeting.number}")
    return event


def build_calendar(
    group: WorkingGroup, all_meetings: list[Meeting], series: dict[int, MeetingSeries]
) -> bytes:
    zone = ZoneInfo(group.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//AG-Bot//Sitzungen//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", group.name)
    by_series: dict[int, list[Meeting]] = {}
    for meeting in all_meetings:
        if meeting.series_id is None:
            if meeting.status is MeetingStatus.SCHEDULED:
                calendar.add_component(_event(meeting, zone, f"meeting-{meeting.id}@{UID_DOMAIN}"))
        else:
            by_series.setdefault(meeting.series_id, []).append(meeting)
    for series_id, occurrences in by_series.items():
        for component in _series_events(series[series_id], occurrences, zone):
            calendar.add_component(component)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _series_events(
    series: MeetingSeries, occurrences: list[Meeting], zone: ZoneInfo
) -> list[Event]:
    uid = f"series-{series.id}@{UID_DOMAIN}"
    occurrences.sort(key=lambda m: m.original_start or m.starts_at)
    first = occurrences[0]
    # The master event starts where the rule starts, even if that occurrence moved.
    master = _event(first, zone, uid, series.first_local.replace(tzinfo=zone))
    rule = dict(part.split("=", 1) for part in series.rrule.split(";"))
    scheduled = [m for m in occurrences if m.status is MeetingStatus.SCHEDULED]
    if series.cancelled:
        # The series ends with its last meeting that still takes place.
        last = max((m.original_start or m.starts_at for m in scheduled), default=None)
        if last is None:
            return []
        rule["UNTIL"] = last.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    if first.all_day and "UNTIL" in rule:
        # With a DATE DTSTART the UNTIL is a date too (RFC 5545 3.3.10): its local day.
        until = datetime.strptime(rule["UNTIL"][:15], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        rule["UNTIL"] = until.astimezone(zone).strftime("%Y%m%d")
        rule.pop("COUNT", None)
    # Parsed from its text, so that UNTIL becomes a date-time as icalendar writes it.
    master.add("rrule", vRecur.from_ical(";".join(f"{k}={v}" for k, v in rule.items())))
    events = [master]
    for meeting in occurrences:
        original = (meeting.original_start or meeting.starts_at).astimezone(zone)
        # An all-day series names its occurrences by date, as its DTSTART is a date.
        named = original.date() if first.all_day else original
        if meeting.status is MeetingStatus.CANCELLED:
            if not series.cancelled or original <= _last(scheduled, zone):
                master.add("exdate", named)
        elif meeting.starts_at != meeting.original_start:
            moved = _event(meeting, zone, uid)
            moved.add("recurrence-id", named)
            events.append(moved)
    return events


def _last(scheduled: list[Meeting], zone: ZoneInfo) -> datetime:
    return max((m.original_start or m.starts_at) for m in scheduled).astimezone(zone)


async def calendar_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    await extend_series(context.session, [group.id], context.now())
    all_meetings = await meetings.all_of_group(context.session, group.id)
    series = await meetings.series_of_group(context.session, group.id)
    content = build_calendar(group, all_meetings, series)
    name = "".join(c if c.isalnum() else "-" for c in group.name).strip("-").lower()
    reply = context.reply(
        "The meetings of {group} as a calendar file; import it into Outlook or Thunderbird.",
        group=group.name,
    )
    reply.files.append(OutgoingFile(f"{name or 'ag'}.ics", content, "text/calendar"))
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
