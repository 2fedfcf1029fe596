"""The fields of /termin after the time are read for what they are, never merged into the
place: durations, "ganztägig", conference words whose link follows, links without
https://, and fields that are none of these, refused by name.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
from icalendar import Calendar
from sqlalchemy import select

from storage.models import Meeting, MeetingFormat, Reminder, ReminderKind
from tests.harness import ConsoleBot

BERLIN = ZoneInfo("Europe/Berlin")


async def ag(bot: ConsoleBot) -> None:
    """AG Innenstadt in the chats "ag" and "ag-zwei", coordinated by you; ben is a member."""
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::chat ag-zwei", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::chat ag", "::user ben", "/beitreten", "::user you")


# How an office writes each length in the reply.
LENGTH_SHOWN = {
    150: "2,5 Std.",
    120: "2 Std.",
    60: "1 Std.",
    90: "1,5 Std.",
    45: "45 Min.",
    180: "3 Std.",
}


async def stored(bot: ConsoleBot) -> list[Meeting]:
    async with bot.app.sessions() as session:
        return list((await session.execute(select(Meeting).order_by(Meeting.id))).scalars())


@pytest.mark.parametrize(
    ("field", "minutes"),
    [
        ("2,5 h", 150),
        ("2.5h", 150),
        ("2 Std.", 120),
        ("2 Stunden", 120),
        ("1 Stunde", 60),
        ("90 min", 90),
        ("45 Min.", 45),
        ("1:30 h", 90),
        ("1:30 Std.", 90),
        ("1 Std. 30 Min.", 90),
        ("1h30", 90),
        ("anderthalb Stunden", 90),
        ("ca. 3 h", 180),
        ("Dauer: 2,5 Std.", 150),
    ],
)
async def test_a_duration_in_every_common_form_sets_the_duration(
    bot: ConsoleBot, field: str, minutes: int
) -> None:
    await ag(bot)
    out = await bot.say(f"/termin Workshop | 7.5. 14 Uhr | Rathaus | {field}")
    assert [meeting.duration_minutes for meeting in await stored(bot)] == [minutes]
    assert f"Do, 07.05.2026, 14:00 Uhr ({LENGTH_SHOWN[minutes]}) – Präsenz, Rathaus\n" in out, out
    [meeting] = await stored(bot)
    assert (meeting.duration_minutes, meeting.place, meeting.all_day) == (
        minutes,
        "Rathaus",
        False,
    )
    assert meeting.format is MeetingFormat.IN_PERSON


async def test_ganztaegig_makes_an_all_day_meeting_and_an_all_day_event(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    out = await bot.say("/termin Klausurtagung | 7.5. | ganztägig | Rathaus")
    assert "Do, 07.05.2026 (ganztägig) – Präsenz, Rathaus" in out
    assert "[ag-zwei] Einladung" in out
    [meeting] = await stored(bot)
    assert meeting.all_day and meeting.duration_minutes == 24 * 60
    assert meeting.starts_at == datetime(2026, 5, 7, tzinfo=BERLIN)
    assert meeting.place == "Rathaus"
    assert "#1 Do, 07.05.2026, ganztägig: Klausurtagung – Präsenz, Rathaus" in await bot.say(
        "/termine"
    )
    moved = await bot.say("/termin verschieben 1 8.5.")
    assert "Fr, 08.05.2026 (ganztägig)" in moved and "war Do, 07.05.2026, ganztägig" in moved

    await bot.say("/kalender")
    calendar = Calendar.from_ical((tmp_path / "files" / "ag-innenstadt.ics").read_bytes())
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].dt == date(2026, 5, 8)  # a DATE, not a date-time
    assert event["DTEND"].dt == date(2026, 5, 9)
    assert not isinstance(event["DTSTART"].dt, datetime)
    assert b"DTSTART;VALUE=DATE:20260508" in calendar.to_ical()

    refused = await bot.say("/termin Klausur | 9.5. 10 Uhr | ganztägig")
    assert "Ein ganztägiger Termin hat ein Datum ohne Uhrzeit" in refused
    assert len(await stored(bot)) == 1


@pytest.mark.parametrize(
    "field",
    ["Anlage: Entwurf.pdf", "Tagesordnung: folgt", "2", "31.2.", "morgen", "Dauer: lang"],
)
async def test_a_field_that_is_none_of_the_known_ones_is_refused_by_name(
    bot: ConsoleBot, field: str
) -> None:
    await ag(bot)
    out = await bot.say(f"/termin Sitzung | 7.5. 14 Uhr | Rathaus | {field}")
    assert f"Das Feld „{field}“ kann ich nicht zuordnen" in out, out
    assert "Einladung" not in out
    assert await stored(bot) == []


@pytest.mark.parametrize(
    ("fields", "shown", "place", "meeting_format"),
    [
        ("Webex", "digital, Link folgt", None, MeetingFormat.DIGITAL),
        ("Teams", "digital, Link folgt", None, MeetingFormat.DIGITAL),
        ("Zoom", "digital, Link folgt", None, MeetingFormat.DIGITAL),
        ("online", "digital, Link folgt", None, MeetingFormat.DIGITAL),
        ("Rathaus | Zoom", "hybrid, Rathaus, Link folgt", "Rathaus", MeetingFormat.HYBRID),
    ],
)
async def test_a_conference_word_makes_the_meeting_digital_and_its_link_follows(
    bot: ConsoleBot, fields: str, shown: str, place: str | None, meeting_format: MeetingFormat
) -> None:
    await ag(bot)
    out = await bot.say(f"/termin Abstimmung | 7.5. 10 Uhr | {fields}")
    assert f"Do, 07.05.2026, 10:00 Uhr (1,5 Std.) – {shown}\n" in out, out
    [meeting] = await stored(bot)
    assert (meeting.format, meeting.place, meeting.link) == (meeting_format, place, None)

    told = await bot.say("/termin link #1 meet.example.org/abstimmung")
    assert "[ag] Der Link für Abstimmung (#1): https://meet.example.org/abstimmung" in told
    assert "[ag-zwei] Der Link für Abstimmung (#1): https://meet.example.org/abstimmung" in told
    assert "Link folgt" not in told
    [meeting] = await stored(bot)
    assert meeting.link == "https://meet.example.org/abstimmung"
    assert meeting.format is meeting_format
    async with bot.app.sessions() as session:
        payloads = (
            await session.execute(
                select(Reminder.payload).where(Reminder.kind == ReminderKind.ANNOUNCEMENT)
            )
        ).scalars()
        assert any("meet.example.org/abstimmung" in (p or "") for p in payloads)
    # The reminder a day ahead carries the link too.
    reminder = await bot.say("::now 2026-05-06T10:00")
    assert "https://meet.example.org/abstimmung" in reminder


async def test_only_coordinators_set_a_link_and_a_link_must_be_one(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/termin Abstimmung | 7.5. 10 Uhr | Webex")
    member = await bot.say("::user ben", "/termin link #1 https://x.webex.com/abc")
    assert "Der Link für" not in member
    refused = await bot.say("::user you", "/termin link #1 demnächst")
    assert "„demnächst“ ist kein Link." in refused
    [meeting] = await stored(bot)
    assert meeting.link is None


@pytest.mark.parametrize(
    ("field", "link"),
    [
        ("meet.example.org/raum", "https://meet.example.org/raum"),
        ("www.example.org/jf", "https://www.example.org/jf"),
        ("Webex: x.webex.com/meet/ag", "https://x.webex.com/meet/ag"),
        ("https://meet.example.org/ws", "https://meet.example.org/ws"),
    ],
)
async def test_a_link_without_its_scheme_is_a_link(bot: ConsoleBot, field: str, link: str) -> None:
    await ag(bot)
    out = await bot.say(f"/termin Workshop | 7.5. 14 Uhr | {field} | 2 h")
    assert f"Do, 07.05.2026, 14:00 Uhr (2 Std.) – digital, {link}\n" in out, out
    [meeting] = await stored(bot)
    assert (meeting.link, meeting.place, meeting.format) == (link, None, MeetingFormat.DIGITAL)
    assert meeting.starts_at + timedelta(minutes=meeting.duration_minutes) == datetime(
        2026, 5, 7, 16, tzinfo=BERLIN
    )


async def test_an_all_day_meeting_shows_its_date_never_midnight(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    await bot.say("::dm", "/start", "::chat ag")
    await bot.say("/termin Klausurtagung | 7.5. | ganztägig | Rathaus")
    shown = [
        await bot.say("/tagesordnung 1"),
        await bot.say("::user ben", "/zusage 1", "::user you"),
        # Meeting #2 overlaps the all-day meeting: the warning names it by its day.
        await bot.say("/termin Jour fixe | 7.5. 10 Uhr"),
        await bot.say("::now 2026-04-27T09:00", "::now 2026-05-04T08:00"),  # weekly overview
    ]
    await bot.say("::now 2026-05-07T09:00", "/sitzung start 1", "/sitzung ende")
    shown += [
        await bot.say("::now 2026-05-08T09:00", "/termine vergangen"),
        await bot.say("/protokoll 1"),
    ]
    for out in shown:
        assert "00:00 Uhr" not in out, out
    agenda, answer, clash, digest, past, _ = shown
    assert "Tagesordnung von Klausurtagung (#1), Do, 07.05.2026, ganztägig:" in agenda
    assert "Sie nehmen an Klausurtagung (#1) am Do, 07.05.2026, ganztägig teil." in answer
    assert "Klausurtagung (#1) am Do, 07.05.2026, ganztägig" in clash
    assert "• #1 Do, 07.05.2026, ganztägig: Klausurtagung" in digest
    assert "#1 Do, 07.05.2026, ganztägig: Klausurtagung – Präsenz, Rathaus" in past
    document = docx.Document(
        str(tmp_path / "files" / "Protokoll_AG-Innenstadt_1_2026-05-07_Entwurf.docx")
    )
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "ganztägig" in cells and not any("00:00" in cell for cell in cells), cells
