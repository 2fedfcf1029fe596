"""Dates the way an office writes them, through /termin, /aufgabe and /frist in the console.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START); the
AG's state is the default, Thüringen.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from tests.harness import ConsoleBot

BERLIN = ZoneInfo("Europe/Berlin")


async def ag_with_members(bot: ConsoleBot) -> None:
    """AG Innenstadt in chat ag: you coordinate, ben is a member."""
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::user you")


async def test_a_range_gives_the_meeting_its_duration(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    out = await bot.say("/termin Workshop | 7.5. 14–16 Uhr | Rathaus")
    assert "Do, 07.05.2026, 14:00 Uhr (2 Std.) – Präsenz, Rathaus" in out
    explicit = await bot.say("/termin Kurz | 8.5. 9:30–11:00 Uhr | Rathaus | 45 min")
    assert "Fr, 08.05.2026, 09:30 Uhr (45 Min.)" in explicit  # the stated duration wins
    moved = await bot.say("/termin verschieben 1 Dienstag KW 20 10-12:30 Uhr")
    assert "Di, 12.05.2026, 10:00 Uhr (KW 20, 2,5 Std.)" in moved


async def test_the_invitation_names_the_week_and_a_surprising_day(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    week = await bot.say("/termin Sitzung | Dienstag in KW 22 14 Uhr")
    assert "Di, 26.05.2026, 14:00 Uhr (KW 22, 1,5 Std.)" in week
    tomorrow = await bot.say("/termin Abstimmung | nächsten Donnerstag 10 Uhr")
    assert "Do, 26.03.2026, 10:00 Uhr (morgen, 1,5 Std.)" in tomorrow
    feast = await bot.say("/termin Andacht | Gründonnerstag halb elf")
    assert "Do, 02.04.2026, 10:30 Uhr (1,5 Std.)" in feast


async def test_a_week_without_its_day_and_unclear_words_are_refused_by_name(
    bot: ConsoleBot,
) -> None:
    await ag_with_members(bot)
    week = await bot.say("/termin Sitzung | KW 19")
    assert "nicht verstanden" in week and "Dienstag KW 19 10 Uhr" in week
    ambiguous = await bot.say("/termin Jour fixe | jeden vierten Montag 10 Uhr")
    assert "Nicht verstanden: „jeden vierten Montag“" in ambiguous
    assert "jeden vierten Montag im Monat" in ambiguous
    typo = await bot.say("/termin Sitzung | Mitwoch 10 Uhr")
    assert "Nicht verstanden: „mitwoch“" in typo and "Meinten Sie „Mittwoch“?" in typo
    spoken = await bot.say("/termin Sitzung | morgen halb drei")
    assert "halb drei nachmittags" in spoken
    assert "Keine Termine geplant" in await bot.say("/termine")


async def test_a_series_of_more_than_60_meetings_a_year_asks_first(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    asked = await bot.say("/termin Frühbesprechung | Mo–Fr 8 Uhr | Raum 1")
    assert "262 Termine" in asked and "/ja" in asked
    assert "Keine Termine geplant" in await bot.say("/termine")
    planned = await bot.say("/ja")
    assert "Frühbesprechung (#1)" in planned and "262 Termine geplant" in planned
    assert "#2 Fr, 27.03.2026, 08:00 Uhr" in planned
    week = await bot.say("/termine woche")
    assert week.count("Frühbesprechung") == 5  # Thursday to Wednesday, weekdays only


async def test_monthly_rules_never_become_daily(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    out = await bot.say("/termin Kasse | jeden ersten Werktag im Monat 9 Uhr")
    assert "Kasse (#1)" in out and "Mi, 01.04.2026, 09:00 Uhr" in out
    assert "12 Termine geplant" in out
    first = await bot.say("/termin Stammtisch | jeden ersten Tag im Monat 18 Uhr")
    assert "12 Termine geplant" in first


async def test_series_ends_and_left_out_months_reach_the_calendar_file(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag_with_members(bot)
    until = await bot.say("/termin Projektgruppe | jeden Montag 10 Uhr bis 30.6. | Rathaus")
    assert "14 Termine geplant" in until
    counted = await bot.say("/termin Kurs | alle zwei Wochen donnerstags 16 Uhr, 5 mal")
    assert "5 Termine geplant" in counted
    summer = await bot.say(
        "/termin Jour fixe | jeden ersten Dienstag im Monat 14 Uhr, Sommerpause Juli bis August"
    )
    assert "10 Termine geplant" in summer
    await bot.say("/kalender")
    calendar = Calendar.from_ical((tmp_path / "files" / "ag-innenstadt.ics").read_bytes())
    rules = {
        str(e["SUMMARY"]).removeprefix("AG Innenstadt: "): e["RRULE"]
        for e in calendar.walk("VEVENT")
    }
    assert rules["Projektgruppe"]["UNTIL"][0].date().isoformat() == "2026-06-30"
    assert rules["Kurs"]["COUNT"] == [5]
    assert 7 not in rules["Jour fixe"]["BYMONTH"] and 8 not in rules["Jour fixe"]["BYMONTH"]
    events = recurring_ical_events.of(calendar).between(
        datetime(2026, 3, 25, tzinfo=BERLIN), datetime(2027, 3, 25, tzinfo=BERLIN)
    )
    by_title: dict[str, list[datetime]] = {}
    for event in events:
        title = str(event["SUMMARY"]).removeprefix("AG Innenstadt: ")
        by_title.setdefault(title, []).append(event["DTSTART"].dt)
    assert len(by_title["Projektgruppe"]) == 14
    assert max(by_title["Projektgruppe"]).date().isoformat() == "2026-06-29"
    assert len(by_title["Kurs"]) == 5
    assert not [d for d in by_title["Jour fixe"] if d.month in (7, 8)]
    assert len(by_title["Jour fixe"]) == 10


async def test_deadline_words_in_tasks(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    week = await bot.say("/aufgabe Bericht an den Kreis bis KW 18")
    assert "Aufgabe #1 angelegt: Bericht an den Kreis" in week
    assert "Frist: Fr, 01.05.2026 (KW 18)" in week
    latest = await bot.say("/aufgabe Vorlage prüfen spätestens Montag")
    assert "Vorlage prüfen" in latest and "Frist: Mo, 30.03.2026" in latest
    weak = await bot.say("/aufgabe Stellungnahme zum Haushalt")
    assert "Stellungnahme zum Haushalt" in weak and "Frist" not in weak
    dated = await bot.say("/aufgabe Zuarbeit zum 30.6.")
    assert "Zuarbeit" in dated and "Frist: Di, 30.06.2026" in dated
    at_the_latest = await bot.say("/aufgabe Antrag bis spätestens Ende Mai")
    assert "Frist: So, 31.05.2026" in at_the_latest
    refused = await bot.say("/aufgabe Termin finden bis morgen 10-12 Uhr")
    assert "nicht verstanden" in refused


async def test_frist_reads_whole_days_and_says_next_year(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    await bot.say("/aufgabe Flyer drucken")
    two_weeks = await bot.say("/frist 1 in zwei Wochen")
    assert "Frist Mi, 08.04.2026" in two_weeks and "Uhr" not in two_weeks  # the whole day
    next_year = await bot.say("/frist 1 bis 20.3.")
    assert "Frist Sa, 20.03.2027 (nächstes Jahr)" in next_year
    end = await bot.say("/frist 1 bis zum Quartalsende")
    assert "Frist Di, 31.03.2026" in end
