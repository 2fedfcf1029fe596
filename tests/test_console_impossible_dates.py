"""Dates in free text: whatever looks like a date in an hour entry, a task or a meeting is
read as one or refused with the reason, and never kept as text ("am 31.2." was once booked
for today with "am 31.2." as its description).

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from storage.models import ActionItem, HourEntry, Meeting
from tests.harness import ConsoleBot


async def ag(bot: ConsoleBot) -> None:
    """AG Innenstadt in chat "ag", coordinated by anna, with the member ben."""
    await bot.say("::user anna", "::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::user anna")


async def hour_entries(bot: ConsoleBot) -> list[tuple[date, int, str]]:
    async with bot.app.sessions() as session:
        rows = await session.execute(
            select(HourEntry.work_date, HourEntry.minutes, HourEntry.description).order_by(
                HourEntry.id
            )
        )
        return [(row[0], row[1], row[2]) for row in rows]


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("/stunden 2 am 31.2.", "Den 31.02. gibt es nicht."),
        ("/stunden 2 31.2. Recherche", "Den 31.02. gibt es nicht."),
        ("/stunden 1:30 am 30.02.2026 Sitzung", "Den 30.02.2026 gibt es nicht."),
        ("/stunden 2 am 32.3. Vorbereitung", "Den 32.03. gibt es nicht."),
        ("/stunden 2 Recherche am 31.4.", "Den 31.04. gibt es nicht."),
        ("/stunden 2 für Allgemein: Protokoll 29.2.2026", "Den 29.02.2026 gibt es nicht."),
        ("/stunden 2 Mitwoch Recherche", "Meinten Sie „Mittwoch“?"),
        ("/stunden 2 Recherche gesten", "Meinten Sie „gestern“?"),
        ("/stunden 2 Vorbereitung Sitzung morgen", "nicht für die Zukunft erfasst"),
    ],
)
async def test_an_hour_entry_with_an_impossible_date_is_refused_with_the_reason(
    bot: ConsoleBot, command: str, reason: str
) -> None:
    await ag(bot)
    out = await bot.say("::user ben", command)
    assert reason in out, out
    assert "Erfasst" not in out
    assert await hour_entries(bot) == []


@pytest.mark.parametrize(
    ("command", "day", "description"),
    [
        ("/stunden 2 Recherche gestern", date(2026, 3, 24), "Recherche"),
        ("/stunden 2 Telefonat Stadt am 3.3.", date(2026, 3, 3), "Telefonat Stadt"),
        ("/stunden 2 für Allgemein: Montag Bericht", date(2026, 3, 23), "Bericht"),
        # A date the text refers to stays text, and names no day of work.
        (
            "/stunden 2 Nachbereitung der Sitzung vom 3.3.",
            date(2026, 3, 25),
            "Nachbereitung der Sitzung vom 3.3.",
        ),
        ("/stunden 2 Julia angerufen", date(2026, 3, 25), "Julia angerufen"),
    ],
)
async def test_a_date_at_the_end_is_the_day_of_work_and_a_date_referred_to_stays_text(
    bot: ConsoleBot, command: str, day: date, description: str
) -> None:
    await ag(bot)
    out = await bot.say("::user ben", command)
    assert "Erfasst #1: 2:00 h" in out, out
    assert await hour_entries(bot) == [(day, 120, description)]


async def test_a_task_deadline_that_does_not_exist_is_refused_and_no_task_is_created(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    for command in (
        "/aufgabe Bericht schreiben bis 31.2.",
        "/aufgabe Stellungnahme zum 30.2.",
        "/aufgabe Bericht spätestens 31.06.2026",
        "/aufgabe 31.2. vorbereiten",
    ):
        out = await bot.say(command)
        assert "gibt es nicht." in out and "Beispiele: Freitag, 30.4." in out, out
        assert "angelegt" not in out
    out = await bot.say("/aufgabe Bericht an den Kreis bis 30.4.")
    assert "Frist: Do, 30.04.2026" in out
    async with bot.app.sessions() as session:
        items = (await session.execute(select(ActionItem.text))).scalars().all()
    assert items == ["Bericht an den Kreis"]
    moved = await bot.say("/frist 1 31.4.")
    assert "Den 31.04. gibt es nicht." in moved


async def test_a_meeting_on_a_day_that_does_not_exist_is_refused_with_the_reason(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    out = await bot.say("/termin Sitzung | 31.2. 14 Uhr | Rathaus")
    assert "Den 31.02. gibt es nicht." in out
    assert "Beispiele: nächsten Dienstag 14 Uhr" in out
    await bot.say("/termin Sitzung | 7.4. 14 Uhr | Rathaus")
    moved = await bot.say("/termin verschieben 1 30.4.2026 31:00")
    assert "Einladung" not in moved and "verschoben" not in moved
    moved = await bot.say("/termin verschieben 1 31.4. 10 Uhr")
    assert "Den 31.04. gibt es nicht." in moved
    async with bot.app.sessions() as session:
        starts = (await session.execute(select(Meeting.starts_at))).scalars().all()
    assert [moment.date() for moment in starts] == [date(2026, 4, 7)]
