"""Hours in the console: logging in every amount format, dates, projects, refusals that change
nothing, own entries, reports for coordinators and members, budgets told once per threshold,
closed months, CSV and XLSX exports read back, and linked accounts counted once.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update

from storage.models import Reminder, ReminderKind, ReminderStatus
from tests.harness import ConsoleBot
from tests.test_console_language_and_linking import code_in


async def ag(bot: ConsoleBot) -> None:
    """AG Innenstadt in chat "ag", coordinated by anna, with the members ben and carla."""
    await bot.say("::user anna", "::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::user carla", "/beitreten", "::user anna")


def year_total(out: str) -> str:
    """The "Dieses Jahr" total of a /stunden overview."""
    match = re.search(r"Dieses Jahr: (\d+:\d\d) h", out)
    assert match, out
    return match.group(1)


# --- logging ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("2", "2:00"),
        ("2,5", "2:30"),
        ("2.5h", "2:30"),
        ("1:30", "1:30"),
        ("90min", "1:30"),
        ("1 Std 15 Min", "1:15"),
        ("0,5 TW", "4:00"),
        ("1h30", "1:30"),
        ("2 Stunden", "2:00"),
        ("1,25", "1:15"),
    ],
)
async def test_every_amount_format_is_logged_as_hours_and_minutes(
    bot: ConsoleBot, amount: str, shown: str
) -> None:
    await ag(bot)
    out = await bot.say("::user ben", f"/stunden {amount} Recherche")
    assert out.startswith(f"[ag] Erfasst #1: {shown} h am Mi, 25.03.2026 · Allgemein\n"), out
    assert "  Recherche\n" in out
    assert f"Ihre Woche ab Mo, 23.03.2026: {shown} h" in out
    assert year_total(await bot.say("/stunden")) == shown


async def test_a_tagewerk_follows_the_ags_setting(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/einstellungen tagewerk 7,5")
    out = await bot.say("::user ben", "/stunden 1 TW Workshop")
    assert "Erfasst #1: 7:30 h" in out


@pytest.mark.parametrize(
    ("when", "day"),
    [
        ("gestern", "Di, 24.03.2026"),
        ("Montag", "Mo, 23.03.2026"),
        ("am 3.3.", "Di, 03.03.2026"),
        ("20.3.2026", "Fr, 20.03.2026"),
        ("vorgestern", "Mo, 23.03.2026"),
    ],
)
async def test_dates_are_read_as_the_past(bot: ConsoleBot, when: str, day: str) -> None:
    await ag(bot)
    out = await bot.say("::user ben", f"/stunden 2 {when} Vorbereitung Sitzung")
    assert f"Erfasst #1: 2:00 h am {day} · Allgemein\n  Vorbereitung Sitzung\n" in out


async def test_a_named_project_and_the_default_project(bot: ConsoleBot) -> None:
    await ag(bot)
    out = await bot.say("/projekt Leerstandsmanagement budget 360")
    assert "Projekt Leerstandsmanagement angelegt." in out
    assert "Budget 2026: 360:00 h (45,0 TW) gespeichert." in out
    out = await bot.say(
        "::user ben", "/stunden 2 gestern für Leerstandsmanagement: Recherche Förderprogramme"
    )
    assert "Erfasst #1: 2:00 h am Di, 24.03.2026 · Leerstandsmanagement\n" in out
    assert "  Recherche Förderprogramme\n" in out
    # Case and spacing do not matter; without a project the AG's default is used.
    out = await bot.say("/stunden 1 für  leerstandsmanagement : Telefonat")
    assert "· Leerstandsmanagement\n  Telefonat" in out
    # Without a colon at the end: the project if the AG has it, else the description.
    out = await bot.say("/stunden 1 gestern für Leerstandsmanagement")
    assert "Erfasst #3: 1:00 h am Di, 24.03.2026 · Leerstandsmanagement\n  Ihre Woche" in out
    out = await bot.say("/stunden 1 Gespräch für die Stadt")
    assert "Erfasst #4: 1:00 h am Mi, 25.03.2026 · Allgemein\n  Gespräch für die Stadt\n" in out
    out = await bot.say("/stunden 1 für Allgemein: ausdrücklich")
    assert "· Allgemein\n  ausdrücklich" in out
    out = await bot.say("::user anna", "/projekt Leerstandsmanagement standard")
    assert "Stunden ohne Projektangabe werden jetzt darauf gebucht." in out
    out = await bot.say("::user ben", "/stunden 1 Abstimmung")
    assert "· Leerstandsmanagement\n  Abstimmung" in out
    out = await bot.say("/projekte")
    assert "• Leerstandsmanagement (Standard) – 2026: 5:00 h von 360:00 h verbraucht (1 %)" in out
    assert "• Allgemein – 2026: 2:00 h verbraucht, kein Budget" in out


async def test_english_works_too(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/sprache en", "/project Pilot budget 45 TW")
    out = await bot.say("::user ben", "/hours 2.5h yesterday for Pilot: interviews")
    assert out.startswith("[ag] Logged #1: 2:30 h on Tue, 24.03.2026 · Pilot\n  interviews\n"), out
    out = await bot.say("/hours")
    assert "This year: 2:30 h (Pilot 2:30)" in out


async def test_the_overview_shows_week_month_year_per_project_and_the_last_five(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("/projekt Pilot")
    await bot.say("::user ben")
    for day in range(1, 8):
        await bot.say(f"/stunden 1 am {day}.3. Eintrag {day}")
    await bot.say("/stunden 2 am 2.1. für Pilot: Januar", "/stunden 1:30 für Pilot: heute")
    out = await bot.say("/stunden")
    assert "Diese Woche: 1:30 h (Pilot 1:30)" in out
    assert "Dieser Monat: 8:30 h (Allgemein 7:00, Pilot 1:30)" in out
    assert "Dieses Jahr: 10:30 h (Allgemein 7:00, Pilot 3:30)" in out
    listed = re.findall(r"^  #(\d+) ", out, re.MULTILINE)
    assert listed == ["9", "7", "6", "5", "4"]


# --- refusals change nothing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("/stunden 2 morgen", "Stunden können nicht für die Zukunft erfasst werden (Do, 26.03."),
        ("/stunden 0", "Null Stunden werden nicht erfasst."),
        ("/stunden 0:00 Pause", "Null Stunden werden nicht erfasst."),
        ("/stunden -2", "Bitte geben Sie eine positive Menge an"),
        ("/stunden 25", "25:00 h sind mehr, als ein Tag hat."),
        ("/stunden 2 TW", "Bereits erfasst: 10:00 h."),  # 16 h alone would be fine
        ("/stunden viel", "Die Menge „viel“ habe ich nicht verstanden."),
        ("/stunden 2 für Unbekannt: x", "AG Innenstadt hat kein Projekt „Unbekannt“."),
        ("/stunden 2 jeden Montag", "Stunden werden für einen Tag erfasst, nicht für eine Serie."),
    ],
)
async def test_bad_input_is_refused_with_the_reason_and_nothing_is_logged(
    bot: ConsoleBot, command: str, reason: str
) -> None:
    await ag(bot)
    await bot.say("::user ben", "/stunden 10 Vorarbeit")
    out = await bot.say(command)
    assert reason in out
    if command == "/stunden 2 TW":  # 10 h + 16 h on one day
        assert "Das wären 26:00 h am Mi, 25.03.2026: mehr, als ein Tag hat." in out
    assert year_total(await bot.say("/stunden")) == "10:00"


async def test_only_members_log_hours(bot: ConsoleBot) -> None:
    await ag(bot)
    out = await bot.say("::user dora", "/stunden 2")
    assert "Stunden erfassen dürfen hier nur Mitglieder der AG Innenstadt." in out
    out = await bot.say("::dm", "/stunden 2")
    assert "Sie sind noch in keiner AG Mitglied" in out


async def test_in_a_private_chat_hours_go_to_the_only_ag(bot: ConsoleBot) -> None:
    await ag(bot)
    out = await bot.say("::user ben", "::dm", "/stunden 2 privat erfasst")
    assert "Erfasst #1: 2:00 h am Mi, 25.03.2026 · Allgemein" in out
    await bot.say("::user anna", "::chat ag2", "::admin", "/einrichten AG Zwei")
    out = await bot.say("::user ben", "/beitreten", "::dm", "/stunden 2")
    assert "Sie sind Mitglied mehrerer AGs" in out


# --- own entries ---------------------------------------------------------------------------


async def test_people_change_and_delete_their_own_entries_only(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::user ben", "/stunden 2 Recherche")
    out = await bot.say("::user carla", "/stunden aendern #1 3")
    assert "Sie haben keinen Stundeneintrag #1." in out
    out = await bot.say("/stunden loeschen #1")
    assert "Sie haben keinen Stundeneintrag #1." in out
    out = await bot.say("::user ben", "/stunden aendern #1 3:15")
    assert "Geändert #1: 2:00 h → 3:15 h" in out
    out = await bot.say("/stunden aendern #1 0")
    assert "Bitte geben Sie die neue Menge an" in out
    out = await bot.say("/stunden #1")
    assert "Stundeneintrag #1 (AG Innenstadt):" in out
    assert "3:15 h erfasst" not in out and "2:00 h erfasst von ben" in out
    assert "von 2:00 h auf 3:15 h geändert von ben" in out
    out = await bot.say("/stunden loeschen #1")
    assert "Gelöscht: #1 Mi, 25.03.2026 3:15 h · Allgemein · Recherche" in out
    assert year_total(await bot.say("/stunden")) == "0:00"
    # The audit trail outlives the entry, for its person and the coordinators.
    out = await bot.say("::user anna", "/stunden #1")
    assert "(gelöscht) Mi, 25.03.2026 Recherche" in out and "gelöscht (3:15 h) von ben" in out
    out = await bot.say("::user carla", "/stunden #1")
    assert "Es gibt keinen Stundeneintrag #1." in out


# --- closed months -----------------------------------------------------------------------------


async def test_a_closed_month_cannot_be_changed(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::user ben", "/stunden 2 am 3.2. Februar", "/stunden 1 am 4.2.")
    out = await bot.say("/stunden abschliessen Februar")
    assert "Einen Monat abschließen dürfen nur die Koordinierenden der AG Innenstadt." in out
    out = await bot.say("::user anna", "/stunden abschliessen Februar")
    assert "Februar 2026 ist abgeschlossen: 2 Einträge, 3:00 h." in out
    assert "ist bereits abgeschlossen" in await bot.say("/stunden abschliessen 02/2026")
    out = await bot.say("/stunden abschliessen April 2026")
    assert "April 2026 hat noch nicht begonnen." in out
    closed = "Februar 2026 ist in der AG Innenstadt abgeschlossen"
    await bot.say("::user ben")
    assert closed in await bot.say("/stunden 1 am 5.2.")
    assert closed in await bot.say("/stunden aendern #1 5")
    assert closed in await bot.say("/stunden loeschen #2")
    assert year_total(await bot.say("/stunden")) == "3:00"
    # March stays open.
    assert "Erfasst #3" in await bot.say("/stunden 1 am 3.3.")


# --- reports -----------------------------------------------------------------------------------


async def booked(bot: ConsoleBot) -> None:
    """ben and carla book on two projects in March and one entry in February."""
    await ag(bot)
    await bot.say("/projekt Pilot budget 100")
    await bot.say("::user ben", "/stunden 2 am 2.3. für Pilot: A", "/stunden 3 am 3.3. B")
    await bot.say("/stunden 1 am 2.2. Februar")
    await bot.say("::user carla", "/stunden 1:30 am 10.3. für Pilot: C", "::user anna")


async def test_a_coordinator_reports_per_person_and_project(bot: ConsoleBot) -> None:
    await booked(bot)
    out = await bot.say("/stunden bericht März")
    assert "Stunden der AG Innenstadt · März 2026" in out
    assert "• ben: 5:00 h (0,6 TW)\n  • carla: 1:30 h (0,2 TW)" in out
    assert "• Allgemein: 3:00 h\n" in out
    assert "• Pilot: 3:30 h – 2026: 3:30 h von 100:00 h verbraucht (3 %), Rest 96:30 h" in out
    assert "Summe: 6:30 h (0,8 TW) in 3 Einträgen" in out
    out = await bot.say("/stunden bericht Jahr @ben")
    assert "Stunden der AG Innenstadt · 2026\n  Person: ben" in out
    assert "Summe: 6:00 h (0,8 TW) in 3 Einträgen" in out
    out = await bot.say("/stunden bericht von 1.2. bis 2.3. für Pilot")
    assert "01.02.2026 – 02.03.2026" in out and "Projekt: Pilot" in out
    assert "Summe: 2:00 h (0,3 TW) in 1 Eintrag" in out
    out = await bot.say("/stunden bericht Q1")
    assert "Summe: 7:30 h" in out
    out = await bot.say("/stunden bericht letztes Quartal")
    assert "Den Zeitraum „letztes Quartal“ habe ich nicht verstanden." in out


async def test_a_member_gets_their_own_report_only(bot: ConsoleBot) -> None:
    await booked(bot)
    out = await bot.say("::user carla", "/stunden bericht März")
    assert "• carla: 1:30 h" in out and "ben" not in out
    out = await bot.say("/stunden bericht März @ben")
    assert "Mitglieder sehen nur Berichte über ihre eigenen Stunden." in out
    out = await bot.say("/stunden export")
    assert "Die Stunden der AG Innenstadt exportieren dürfen nur ihre Koordinierenden." in out


async def test_changes_show_in_the_report(bot: ConsoleBot) -> None:
    await booked(bot)
    await bot.say("::user ben", "/stunden aendern #2 4", "/stunden loeschen #3", "::user anna")
    out = await bot.say("/stunden bericht Jahr")
    assert "In diesem Zeitraum geändert oder gelöscht: 2" in out
    assert "• #2 geändert (3:00 → 4:00 h), ben" in out
    assert "• #3 gelöscht (1:00 h), ben" in out


# --- budgets -------------------------------------------------------------------------------------


async def test_budget_thresholds_are_told_to_the_coordinators_exactly_once_each(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("/projekt Pilot budget 10", "/rolle @carla koordination")
    await bot.say("::user ben")
    out = await bot.say("/stunden 7 am 23.3. für Pilot: a")
    assert "Budget" not in out
    out = await bot.say("/stunden 1 am 24.3. für Pilot: b")  # 8 of 10 hours: 80 %
    assert "⚠ Budget 2026 zu 80 % verbraucht: 8:00 h von 10:00 h" in out
    sent = await bot.say("::now 2026-03-25T10:20")
    assert sent.count("⚠ Pilot (AG Innenstadt) hat 80 % seines Budgets 2026 verbraucht.") == 2
    # Not reachable privately in the console: each is named in the AG's chat.
    assert "[ag] anna: ⚠ Pilot" in sent and "[ag] carla: ⚠ Pilot" in sent
    # Below 100 % no more notices; deleting and booking again does not repeat 80 %.
    await bot.say("/stunden 1 am 24.3. für Pilot: c", "/stunden loeschen #3")
    await bot.say("/stunden 1 am 24.3. für Pilot: d")
    assert "⚠" not in await bot.say("::now 2026-03-25T10:30")
    out = await bot.say("/stunden 2 am 22.3. für Pilot: e")  # 11 of 10 hours
    assert "⚠ Budget 2026 zu 110 % verbraucht: 11:00 h von 10:00 h" in out
    sent = await bot.say("::now 2026-03-25T10:40")
    assert sent.count("⚠ Pilot (AG Innenstadt) hat sein Budget 2026 ausgeschöpft.") == 2
    assert sent.count("⚠ Budget 2026 zu 110 % verbraucht: 11:00 h von 10:00 h") == 2
    await bot.say("/stunden 1 am 21.3. für Pilot: f")
    assert "⚠" not in await bot.say("::now 2026-03-25T10:50")


async def test_a_budget_in_tagewerke_and_for_another_year(bot: ConsoleBot) -> None:
    await ag(bot)
    out = await bot.say("/projekt Pilot budget 45 TW 2027")
    assert "Budget 2027: 360:00 h (45,0 TW) gespeichert." in out
    assert "2026: 0:00 h verbraucht, kein Budget" in out
    out = await bot.say("/projekt Pilot budget viel")
    assert "Das Budget „viel“ habe ich nicht verstanden." in out
    out = await bot.say("::user ben", "/projekt Eigenes")
    assert "/projekt dürfen nur die Koordinierenden der AG Innenstadt verwenden." in out


# --- exports -------------------------------------------------------------------------------------


async def test_exports_read_back_with_the_right_totals(bot: ConsoleBot, tmp_path: Path) -> None:
    await booked(bot)
    await bot.say("::user ben", "/stunden 0:45 am 11.3. =SUMME(A1:A9) Formel", "::user anna")
    out = await bot.say("/stunden export 2026")
    assert "Stunden der AG Innenstadt für 2026: 5 Einträge, 8:15 h." in out
    assert "file: stunden-ag-innenstadt-2026.csv" in out
    raw = (tmp_path / "files" / "stunden-ag-innenstadt-2026.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a byte order mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nr.", "Datum", "Person", "Projekt", "Stunden", "Beschreibung"]
    assert rows[1] == ["3", "02.02.2026", "ben", "Allgemein", "1,00", "Februar"]
    hours = sum(float(row[4].replace(",", ".")) for row in rows[1:])
    assert hours == pytest.approx(8.25)
    assert ["5", "11.03.2026", "ben", "Allgemein", "0,75", "'=SUMME(A1:A9) Formel"] in rows
    # The XLSX, its formulas and its budget sheet: tests/test_console_hour_export.py.


async def test_a_month_export_and_the_changes_sheet(bot: ConsoleBot, tmp_path: Path) -> None:
    await booked(bot)
    await bot.say("::user ben", "/stunden aendern #2 4", "::user anna")
    out = await bot.say("/stunden export März")
    assert "für März 2026: 3 Einträge, 7:30 h." in out
    workbook = openpyxl.load_workbook(tmp_path / "files" / "stunden-ag-innenstadt-2026-03.xlsx")
    changes = list(workbook["Änderungen"].iter_rows(min_row=2, values_only=True))
    assert len(changes) == 1
    assert changes[0][1:6] == (2, "geändert", "ben", 3.0, 4.0)


# --- linked accounts -----------------------------------------------------------------------------


async def test_linked_accounts_count_their_hours_once(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::user ben", "/stunden 2 am 23.3. a", "/stunden 1 am 24.3. b")
    await bot.say("::user ben2", "::chat ag", "/beitreten", "/stunden 3 am 23.3. c")
    code = code_in(await bot.say("::user ben", "::dm", "/verknuepfen"))
    out = await bot.say("::user ben2", "::dm", f"/verknuepfen {code}", "/ja")
    assert "sind jetzt eine Person" in out
    out = await bot.say("::user anna", "::chat ag", "/stunden bericht März")
    persons = re.findall(r"^  • (\w+): ", out, re.MULTILINE)
    assert persons.count("ben") + persons.count("ben2") == 1
    assert "Summe: 6:00 h (0,8 TW) in 3 Einträgen" in out
    out = await bot.say("::user ben", "/stunden")
    assert year_total(out) == "6:00"


async def test_long_texts_and_the_tagewerk_setting_are_checked(bot: ConsoleBot) -> None:
    await ag(bot)
    out = await bot.say("::user ben", "/stunden 2 " + "x" * 501)
    assert "Eine Beschreibung darf höchstens 500 Zeichen lang sein." in out
    out = await bot.say("::user anna", "/projekt " + "P" * 101)
    assert "Ein Projektname darf höchstens 100 Zeichen lang sein." in out
    out = await bot.say("/einstellungen tagewerk 20")
    assert "20 ist keine Stundenzahl für ein Tagewerk. Beispiele: 8, 7,8, 7:48." in out
    out = await bot.say("/einstellungen tagewerk 7:48")
    assert "Ein Tagewerk (TW): 7:48 h" in out
    assert year_total(await bot.say("::user ben", "/stunden")) == "0:00"


async def test_an_undelivered_budget_notice_shows_in_the_weekly_overview(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("::dm", "/start", "::chat ag", "/projekt Pilot budget 1")
    await bot.say("::user ben", "/stunden 1 für Pilot: alles")
    # The messenger refused the notice for good (the coordinator blocked the bot, say).
    async with bot.app.sessions() as session, session.begin():
        await session.execute(
            update(Reminder)
            .where(Reminder.kind == ReminderKind.BUDGET)
            .values(status=ReminderStatus.FAILED, last_error="Forbidden: bot was blocked")
        )
    await bot.say("::now 2026-03-29T12:00")  # the daily planning plans Monday's overview
    digest = await bot.say("::now 2026-03-30T08:00")
    assert "Nicht zugestellte Erinnerungen (1):" in digest
    assert "Budget-Hinweis: Forbidden: bot was blocked" in digest


async def test_reports_in_a_private_chat_are_about_the_only_ag(bot: ConsoleBot) -> None:
    await booked(bot)
    out = await bot.say("::dm", "/stunden bericht März")
    assert "Stunden der AG Innenstadt · März 2026" in out and "Summe: 6:30 h" in out
    out = await bot.say("::user carla", "::dm", "/stunden bericht März")
    assert "• carla: 1:30 h" in out and "ben" not in out
    await bot.say("::user anna", "::chat ag2", "::admin", "/einrichten AG Zwei")
    out = await bot.say("::dm", "/stunden export")
    assert "Sie gehören mehreren AGs an." in out and "file:" not in out
    assert "[AG Zwei: /stunden export AG Zwei]" in out
    assert "file: " in await bot.say("/stunden export AG Innenstadt")
