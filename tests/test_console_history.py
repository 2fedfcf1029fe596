"""Past meetings, completed tasks and protocols of a year are listable: ``/termine vergangen
[Zeitraum]``, ``/aufgaben erledigt [Zeitraum]`` and ``/protokolle [Jahr]``, in German and
English; the lists are compared with the rows stored.

The clock starts at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage.models import ActionItem, Meeting, MeetingStatus
from tests.harness import ConsoleBot
from tests.test_console_tasks import ag, numbers


def meeting_numbers(out: str) -> list[int]:
    """The meeting numbers of a list, in the order shown."""
    return [int(n) for n in re.findall(r"^  (?:[•⚠] )?#(\d+) ", out, re.MULTILINE)]


async def stored_meetings(
    bot: ConsoleBot, start: str, end: str, *, scheduled_only: bool = False
) -> list[int]:
    """Numbers of the stored meetings starting in [start, end) (days in Berlin), latest first."""
    berlin = ZoneInfo("Europe/Berlin")
    async with bot.app.sessions() as session:
        query = select(Meeting.number, Meeting.status).where(
            Meeting.starts_at >= datetime.fromisoformat(start).replace(tzinfo=berlin),
            Meeting.starts_at < datetime.fromisoformat(end).replace(tzinfo=berlin),
        )
        rows = (await session.execute(query.order_by(Meeting.starts_at.desc()))).all()
    return [n for n, status in rows if not scheduled_only or status == MeetingStatus.SCHEDULED]


async def test_past_meetings_are_listed_by_period(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say(
        "/termin Jour fixe | 1.4. 14 Uhr | Rathaus",  # 1
        "/termin Workshop | 15.4. 10 Uhr | Rathaus",  # 2
        "/termin Klausur | 6.5. 9 Uhr | Rathaus",  # 3
        "/termin Sommerfest | 20.6. 16 Uhr | Park",  # 4: still ahead
        "/termin absagen #2",
    )
    out = await bot.say("::now 2026-05-20T10:00", "/termine vergangen")
    assert "Vergangene Termine der AG Innenstadt:" in out
    assert meeting_numbers(out) == [3, 2, 1]  # the latest first
    assert meeting_numbers(out) == await stored_meetings(bot, "2026-01-01", "2026-05-20")
    assert "#2 Mi, 15.04.2026, 10:00 Uhr: Workshop (abgesagt)" in out
    out = await bot.say("/termine vergangen April")
    assert "Vergangene Termine der AG Innenstadt · April 2026:" in out
    assert meeting_numbers(out) == [2, 1] == await stored_meetings(bot, "2026-04-01", "2026-05-01")
    out = await bot.say("/meetings past May")
    assert meeting_numbers(out) == [3]
    assert "Keine vergangenen Termine · 2025." in await bot.say("/termine vergangen 2025")
    assert meeting_numbers(await bot.say("/termine")) == [4]  # the upcoming ones stay as they were
    assert "Den Zeitraum „Blumentag“ habe ich nicht verstanden" in await bot.say(
        "/termine vergangen Blumentag"
    )
    # In a private chat: the person's AGs.
    out = await bot.say("::user ben", "::dm", "/termine vergangen")
    assert "Ihre vergangenen Termine:" in out and meeting_numbers(out) == [3, 2, 1]


async def test_completed_tasks_are_listed_for_any_period(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say(
        "/aufgabe Flyer drucken @ben",
        "/aufgabe Förderantrag prüfen @ben",
        "/aufgabe Protokoll verteilen",
        "/aufgabe Raum buchen @carla",
    )
    await bot.say("/erledigt 1", "::now 2026-04-20T10:00", "/erledigt 2")
    await bot.say("::now 2026-06-10T10:00", "/streichen 3")
    out = await bot.say("::now 2026-09-01T10:00", "/aufgaben erledigt")
    assert "In den letzten 30 Tagen abgeschlossen, AG Innenstadt (0):" in out  # as before
    out = await bot.say("/aufgaben erledigt 2026")
    assert "Abgeschlossen · 2026, AG Innenstadt (3):" in out
    assert numbers(out) == [3, 2, 1]
    async with bot.app.sessions() as session:
        closed = await session.scalars(
            select(ActionItem.id)
            .where(ActionItem.closed_at.is_not(None))
            .order_by(ActionItem.closed_at.desc())
        )
        assert numbers(out) == list(closed)
    out = await bot.say("/aufgaben erledigt von 1.3. bis 30.4.")
    assert numbers(out) == [2, 1]
    assert numbers(await bot.say("/aufgaben erledigt Q2")) == [3, 2]
    out = await bot.say("/sprache en", "/tasks done April")
    assert "Closed · April 2026, AG Innenstadt (1):" in out and numbers(out) == [2]
    assert numbers(await bot.say("::user ben", "::dm", "/tasks done 2026")) == [2, 1]


async def test_protocols_of_a_year_are_all_listed(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/termin Jour fixe | jeden Montag 14 Uhr | Rathaus")
    await bot.say("::now 2027-01-20T10:00")
    out = await bot.say("/protokolle")
    assert "… und" in out  # the latest ten only
    out = await bot.say("/protokolle 2026")
    assert "Protokolle der AG Innenstadt · 2026:" in out
    listed = meeting_numbers(out)
    assert listed == await stored_meetings(bot, "2026-01-01", "2027-01-01", scheduled_only=True)
    assert len(listed) > 30  # every Monday from 30 March to 28 December 2026
    assert "… und" not in out
    out = await bot.say("/protocols 2027")
    assert meeting_numbers(out) == await stored_meetings(bot, "2027-01-01", "2027-01-20")
    assert "Kein Termin in diesem Zeitraum hat bisher stattgefunden." in await bot.say(
        "/protokolle 2025"
    )
    assert "Den Zeitraum „irgendwann“ habe ich nicht verstanden" in await bot.say(
        "/protokolle irgendwann"
    )
