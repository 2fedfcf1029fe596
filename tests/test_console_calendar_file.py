"""The calendar file (/kalender) as Outlook shows it: the AG's name in the title, agenda and
link in the description, the link as the place of a digital meeting, cancelled meetings
marked as cancelled, and file names of plain ASCII. Read back with icalendar.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from tests.harness import ConsoleBot

BERLIN = ZoneInfo("Europe/Berlin")
LINK = "https://meet.example.org/jf"


def read_calendar(tmp_path: Path, name: str) -> Calendar:
    return Calendar.from_ical((tmp_path / "files" / name).read_bytes())


def local(event: Any, key: str) -> datetime:
    moment: datetime = event[key].dt
    return moment.astimezone(BERLIN)


async def test_outlook_sees_the_ag_the_agenda_the_link_and_what_is_cancelled(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await bot.say("::chat ag", "::admin", "/einrichten AG Verkehr", "::noadmin")
    await bot.say(f"/termin Jour fixe | jeden ersten Dienstag im Monat 14 Uhr | {LINK}")
    await bot.say("/tagesordnung 2 + Haushalt 2027", "/tagesordnung 2 + Radverkehrskonzept")
    await bot.say("/termin absagen 3")  # June
    await bot.say("/termin Ortstermin | 8.4. 10 Uhr | Rathaus, Raum 2.14")  # 13
    await bot.say("/termin Workshop | 9.4. 10 Uhr | Rathaus | https://meet.example.org/ws")
    await bot.say("/termin Beirat | 10.4. 10 Uhr | Rathaus", "/termin absagen 15")
    out = await bot.say("/kalender")
    assert "file: ag-verkehr.ics" in out
    calendar = read_calendar(tmp_path, "ag-verkehr.ics")
    events = list(calendar.walk("VEVENT"))

    series = [e for e in events if "RRULE" in e]
    assert len(series) == 1
    master = series[0]
    assert str(master["SUMMARY"]) == "AG Verkehr: Jour fixe"
    assert str(master["LOCATION"]) == LINK  # digital: the link is where it takes place
    assert LINK in str(master["DESCRIPTION"])
    assert str(master["STATUS"]) == "CONFIRMED"
    assert "EXDATE" not in master  # cancelled occurrences are events of their own

    overrides = {local(e, "RECURRENCE-ID"): e for e in events if "RECURRENCE-ID" in e}
    may = overrides[datetime(2026, 5, 5, 14, tzinfo=BERLIN)]
    description = str(may["DESCRIPTION"])
    assert "Tagesordnung:\nTOP 1: Haushalt 2027\nTOP 2: Radverkehrskonzept" in description
    assert LINK in description and "/zusage 2" in description
    assert str(may["SUMMARY"]) == "AG Verkehr: Jour fixe" and str(may["LOCATION"]) == LINK
    june = overrides[datetime(2026, 6, 2, 14, tzinfo=BERLIN)]
    assert str(june["STATUS"]) == "CANCELLED" and str(june["UID"]) == str(master["UID"])
    assert str(june["SUMMARY"]) == "AG Verkehr: Jour fixe"
    assert "Termin #3 der AG Verkehr ist abgesagt." in str(june["DESCRIPTION"])
    assert "/zusage" not in str(june["DESCRIPTION"])

    by_title = {str(e["SUMMARY"]): e for e in events if "RRULE" not in e}
    visit = by_title["AG Verkehr: Ortstermin"]
    assert str(visit["LOCATION"]) == "Rathaus, Raum 2.14" and "URL" not in visit
    assert "Link" not in str(visit["DESCRIPTION"])
    workshop = by_title["AG Verkehr: Workshop"]  # hybrid: the room, and the link to join
    assert str(workshop["LOCATION"]) == "Rathaus"
    assert "https://meet.example.org/ws" in str(workshop["DESCRIPTION"])
    cancelled = by_title["AG Verkehr: Beirat"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert local(cancelled, "DTSTART") == datetime(2026, 4, 10, 10, tzinfo=BERLIN)

    taking_place = [
        (str(e["SUMMARY"]), local(e, "DTSTART"))
        for e in recurring_ical_events.of(calendar).between(
            datetime(2026, 4, 1, tzinfo=BERLIN), datetime(2026, 7, 31, tzinfo=BERLIN)
        )
        if str(e.get("STATUS")) != "CANCELLED"
    ]
    assert sorted(start for title, start in taking_place if title.endswith("Jour fixe")) == [
        datetime(2026, 4, 7, 14, tzinfo=BERLIN),
        datetime(2026, 5, 5, 14, tzinfo=BERLIN),
        datetime(2026, 7, 7, 14, tzinfo=BERLIN),
    ]
    assert "AG Verkehr: Beirat" not in {title for title, _ in taking_place}


async def test_file_names_are_ascii_and_a_cancelled_series_stays_visible_as_cancelled(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await bot.say("::chat oe", "::admin", "/einrichten AG Öffentlichkeitsarbeit", "::noadmin")
    await bot.say("/termin Redaktion | jeden Montag 9 Uhr", "/termin absagen 1 serie")
    assert "file: ag-oeffentlichkeitsarbeit.ics" in await bot.say("/kalender")
    calendar = read_calendar(tmp_path, "ag-oeffentlichkeitsarbeit.ics")
    assert calendar.get("x-wr-calname") == "AG Öffentlichkeitsarbeit"
    (series,) = calendar.walk("VEVENT")
    assert str(series["SUMMARY"]) == "AG Öffentlichkeitsarbeit: Redaktion"
    assert str(series["STATUS"]) == "CANCELLED"  # a calendar that imported it before updates

    await bot.say("::chat gs", "::admin", "/einrichten AG Grüne Straße", "::noadmin")
    assert "file: ag-gruene-strasse.ics" in await bot.say("/kalender")
    assert read_calendar(tmp_path, "ag-gruene-strasse.ics").get("x-wr-calname") == (
        "AG Grüne Straße"
    )
