"""Meetings in the console: planning, series, moving, cancelling, agenda, answers, calendar.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
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
    """AG Innenstadt in chat ag: you coordinate, ben and carla are members."""
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::user carla", "/beitreten", "::user you")


async def test_a_coordinator_plans_a_meeting_and_the_invitation_says_it_all(
    bot: ConsoleBot,
) -> None:
    await ag_with_members(bot)
    out = await bot.say("/termin Workshop Leerstand | 7.4. 14 Uhr | Rathaus, Raum 2.14")
    assert "Einladung" in out and "AG Innenstadt" in out
    assert "Workshop Leerstand (#1)" in out
    assert "Di, 07.04.2026, 14:00 Uhr (1,5 Std.) – Präsenz, Rathaus, Raum 2.14" in out
    assert "[Zusage: /zusage 1]" in out and "[Absage: /absage 1]" in out
    listed = await bot.say("/termine")
    assert "#1 Di, 07.04.2026, 14:00 Uhr: Workshop Leerstand" in listed


async def test_members_cannot_plan_and_bad_times_create_nothing(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    refused = await bot.say("::user ben", "/termin Mein Termin | 7.4. 14 Uhr")
    assert "/termin dürfen nur die Koordinierenden der AG Innenstadt verwenden." in refused
    out = await bot.say("::user you", "/termin Sitzung | nächsten Blumentag")
    assert "habe ich nicht verstanden" in out and "Beispiele" in out
    assert "braucht eine Uhrzeit" in await bot.say("/termin Sitzung | 7.4.")
    assert "in der Vergangenheit" in await bot.say("/termin Sitzung | heute um 8 Uhr")
    assert "Verwendung: /termin" in await bot.say("/termin nur ein Titel")
    assert "Keine Termine geplant" in await bot.say("/termine")


async def test_a_meeting_on_a_public_holiday_gets_a_warning(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    out = await bot.say("/termin Sitzung | 3.4. 10 Uhr")  # Good Friday 2026
    assert "Karfreitag, gesetzlicher Feiertag" in out


async def test_a_series_with_a_link_moves_and_cancels_occurrence_by_occurrence(
    bot: ConsoleBot,
) -> None:
    await ag_with_members(bot)
    out = await bot.say(
        "/termin Jour fixe | jeden ersten Dienstag im Monat 14 Uhr | https://meet.example.org/jf"
    )
    assert "Jour fixe (#1)" in out and "Di, 07.04.2026, 14:00 Uhr" in out
    assert "digital, https://meet.example.org/jf" in out
    assert "Serie" in out and "#2 Di, 05.05.2026, 14:00 Uhr" in out

    moved = await bot.say("/termin verschieben 2 6.5. 10 Uhr")
    assert "verschoben" in moved and "Mi, 06.05.2026, 10:00 Uhr" in moved
    listed = await bot.say("/termine 3")
    assert "#1 Di, 07.04.2026, 14:00 Uhr" in listed
    assert "#2 Mi, 06.05.2026, 10:00 Uhr" in listed
    assert "#3 Di, 02.06.2026, 14:00 Uhr" in listed  # the others stay where they were

    assert "Abgesagt" in await bot.say("/termin absagen 1")
    assert "#1 " not in await bot.say("/termine 3")
    cancelled = await bot.say("/termin absagen 3 serie")
    assert "Abgesagt" in cancelled and "Serie" in cancelled
    after = await bot.say("/termine 10")
    assert "#2 Mi, 06.05.2026" in after and "#3 " not in after and "#4 " not in after


async def test_agenda_members_propose_coordinators_remove(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    await bot.say("/termin Plenum | 7.4. 14 Uhr")
    out = await bot.say("::user ben", "/tagesordnung 1 + Haushalt 2027")
    assert "TOP 1: Haushalt 2027" in out
    await bot.say("/tagesordnung + Leerstandskataster")  # the next meeting
    assert "entfernen dürfen nur die Koordinierenden der AG Innenstadt" in await bot.say(
        "/tagesordnung 1 - 1"
    )
    removed = await bot.say("::user you", "/tagesordnung #1 - 1")
    assert "Haushalt 2027" in removed
    shown = await bot.say("/tagesordnung 1")
    assert "TOP 1: Leerstandskataster" in shown and "Haushalt" not in shown


async def test_answers_and_the_attendee_list(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    await bot.say("/termin Plenum | 7.4. 14 Uhr")
    assert "Danke, ben" in await bot.say("::user ben", "/zusage 1")
    await bot.say("::user carla", "/absage #1")
    await bot.say("::user ben", "/vielleicht 1")  # a person may change the answer
    out = await bot.say("/teilnehmer 1")
    assert "Zusagen (0)" in out
    assert "Vielleicht (1): ben" in out
    assert "Absagen (1): carla" in out
    assert "Keine Antwort (1): you" in out
    assert "/zusage dürfen nur Mitglieder der AG Innenstadt verwenden." in await bot.say(
        "::user dora", "/zusage 1"
    )
    assert "keinen Termin 9" in await bot.say("::user ben", "/zusage 9")


async def test_invitations_reach_every_chat_of_the_ag(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    await bot.say("::chat ag-zwei", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    out = await bot.say("::chat ag", "/termin Plenum | 7.4. 14 Uhr")
    assert "[ag] Einladung" in out and "[ag-zwei] Einladung" in out


async def test_the_private_chat_lists_meetings_of_all_my_ags(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    await bot.say("::chat kultur", "::admin", "/einrichten AG Kultur", "::noadmin")
    await bot.say("/termin Kulturrat | 8.4. 18 Uhr", "::chat ag", "/termin Plenum | 7.4. 14 Uhr")
    out = await bot.say("::dm", "/termine")
    assert out.index("Plenum") < out.index("Kulturrat")
    assert "[AG Kultur]" in out and "[AG Innenstadt]" in out


async def test_the_calendar_file_round_trips(bot: ConsoleBot, tmp_path: Path) -> None:
    await ag_with_members(bot)
    await bot.say("/termin Workshop | 8.4. 10 Uhr | https://meet.example.org/ws | 3 h")
    await bot.say("/termin Jour fixe | jeden ersten Dienstag im Monat 14 Uhr | Rathaus")
    await bot.say("/termin verschieben 3 6.5. 10 Uhr", "/termin absagen 4")
    out = await bot.say("/kalender")
    assert "file: ag-innenstadt.ics" in out
    first_export = (tmp_path / "files" / "ag-innenstadt.ics").read_bytes()
    calendar = Calendar.from_ical(first_export)
    assert calendar.get("x-wr-calname") == "AG Innenstadt"
    assert any(c.name == "VTIMEZONE" for c in calendar.walk())

    events = recurring_ical_events.of(calendar).between(
        datetime(2026, 4, 1, tzinfo=BERLIN), datetime(2026, 7, 31, tzinfo=BERLIN)
    )
    starts = sorted(
        (str(e["SUMMARY"]).removeprefix("AG Innenstadt: "), e["DTSTART"].dt.astimezone(BERLIN))
        for e in events
        if e["STATUS"] != "CANCELLED"  # June stays in the file, marked cancelled
    )
    assert ("Workshop", datetime(2026, 4, 8, 10, tzinfo=BERLIN)) in starts
    jour_fixe = [start for title, start in starts if title == "Jour fixe"]
    assert jour_fixe == [
        datetime(2026, 4, 7, 14, tzinfo=BERLIN),
        datetime(2026, 5, 6, 10, tzinfo=BERLIN),  # moved
        datetime(2026, 7, 7, 14, tzinfo=BERLIN),  # June cancelled
    ]
    workshop = next(e for e in events if str(e["SUMMARY"]) == "AG Innenstadt: Workshop")
    assert (workshop["DTEND"].dt - workshop["DTSTART"].dt).total_seconds() == 3 * 3600

    await bot.say("/kalender")
    second_export = Calendar.from_ical((tmp_path / "files" / "ag-innenstadt.ics").read_bytes())
    uids = {str(c["UID"]) for c in calendar.walk("VEVENT")}
    assert uids == {str(c["UID"]) for c in second_export.walk("VEVENT")}  # stable


async def test_meetings_survive_a_restart(
    bot: ConsoleBot, database_url: str, tmp_path: Path
) -> None:
    await ag_with_members(bot)
    await bot.say("/termin Plenum | 7.4. 14 Uhr", "::user ben", "/zusage 1")
    await bot.close()
    again = await ConsoleBot.start(database_url, tmp_path / "files2")
    try:
        out = await again.say("::chat ag", "/teilnehmer 1")
        assert "Zusagen (1): ben" in out
    finally:
        await again.close()


async def test_step_by_step_planning_for_that_person_only(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    assert "Titel" in await bot.say("/termin")
    # Someone else talking in the chat meanwhile does not answer the bot's question.
    assert await bot.say("::user ben", "Ich bin gleich da") == ""
    assert "Wann?" in await bot.say("::user you", "Klausurtagung")
    wrong = await bot.say("nächsten Blumentag")
    assert "nicht verstanden" in wrong
    assert "Wo?" in await bot.say("7.4. 14 Uhr")
    out = await bot.say("Kloster Volkenroda")
    assert "Klausurtagung (#1)" in out and "Präsenz, Kloster Volkenroda" in out
    assert "Klausurtagung" not in await bot.say("Noch eine Nachricht")


async def test_cancel_leaves_the_dialogue_and_creates_nothing(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    await bot.say("/termin", "Klausurtagung")
    assert "Abgebrochen" in await bot.say("/abbrechen")
    assert await bot.say("7.4. 14 Uhr") == ""
    assert "Keine Termine geplant" in await bot.say("/termine")
    assert "nichts abzubrechen" in await bot.say("/abbrechen")


async def test_a_series_without_a_time_is_refused(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    out = await bot.say("/termin Sprechstunde | jeden Montag")
    assert "braucht eine Uhrzeit, z. B. jeden Montag 14 Uhr" in out
    assert "Keine Termine geplant" in await bot.say("/termine")


async def test_a_series_never_runs_dry(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    await bot.say("/termin Jour fixe | jeden ersten Dienstag im Monat 14 Uhr")
    out = await bot.say("/termine 20")
    assert out.count("Jour fixe") == 12  # a year ahead: April 2026 to March 2027
    later = await bot.say("::now 2027-03-01T09:00", "/termine 20")
    assert "#12 Di, 02.03.2027, 14:00 Uhr" in later
    assert "#13 Di, 06.04.2027, 14:00 Uhr" in later  # planned on when looked at
    assert "Di, 01.02.2028, 14:00 Uhr" in later
