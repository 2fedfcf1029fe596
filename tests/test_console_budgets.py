"""Budgets speak at the booking: the booking's own reply and the coordinators' notices show the
year's use in figures, and a hard cap refuses bookings that would pass it.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import HourEntry, ProjectBudget
from tests.harness import ConsoleBot
from tests.test_console_hours import ag


async def entries(bot: ConsoleBot) -> tuple[int, int]:
    """(number of hour entries, their minutes) as stored."""
    async with bot.app.sessions() as session:
        row = (
            await session.execute(
                select(func.count(HourEntry.id), func.coalesce(func.sum(HourEntry.minutes), 0))
            )
        ).one()
    return int(row[0]), int(row[1])


async def test_a_booking_past_80_and_100_percent_says_so_with_the_figures(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("/projekt Pilot budget 360 h")
    await bot.say("::user ben")
    for day in range(1, 21):  # 20 × 14:30 h = 290:00 h of 360:00 h: 80 %
        out = await bot.say(f"/stunden 14:30 am {day}.3. für Pilot: Arbeit")
    assert "⚠ Budget 2026 zu 80 % verbraucht: 290:00 h von 360:00 h" in out
    sent = await bot.say("::now 2026-03-25T10:20")
    assert sent.count("⚠ Budget 2026 zu 80 % verbraucht: 290:00 h von 360:00 h") == 1
    assert "[ag] anna: ⚠ Pilot (AG Innenstadt) hat 80 % seines Budgets 2026 verbraucht." in sent
    # Every booking above 80 % says where the budget stands.
    out = await bot.say("/stunden 1 am 21.3. für Pilot: mehr")
    assert "⚠ Budget 2026 zu 80 % verbraucht: 291:00 h von 360:00 h" in out
    out = await bot.say(
        "/stunden 20 am 22.2. für Pilot: a",
        "/stunden 20 am 23.2. für Pilot: b",
        "/stunden 20 am 24.2. für Pilot: c",
    )
    assert "⚠ Budget 2026 zu 97 % verbraucht: 351:00 h von 360:00 h" in out
    out = await bot.say("/stunden 22:30 am 25.2. für Pilot: d")
    assert "⚠ Budget 2026 zu 103 % verbraucht: 373:30 h von 360:00 h" in out
    out = await bot.say("/stunden 2 am 26.2. für Pilot: e")
    assert "⚠ Budget 2026 zu 104 % verbraucht: 375:30 h von 360:00 h" in out
    sent = await bot.say("::now 2026-03-25T10:30")
    assert "[ag] anna: ⚠ Pilot (AG Innenstadt) hat sein Budget 2026 ausgeschöpft." in sent
    assert "⚠ Budget 2026 zu 104 % verbraucht: 375:30 h von 360:00 h" in sent
    assert await entries(bot) == (26, 375 * 60 + 30)
    # A project without a budget and a budget under 80 % stay quiet.
    out = await bot.say("/stunden 1 am 26.2. Allgemeines")
    assert "Budget" not in out


async def test_a_hard_cap_refuses_what_would_pass_it_and_names_what_remains(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    out = await bot.say("/projekt Pilot budget 10 h hart")
    assert "Budget 2026: 10:00 h (1,3 TW) gespeichert, als feste Grenze." in out
    async with bot.app.sessions() as session:
        budget = await session.get(ProjectBudget, (1, 2026))
        assert budget is not None and budget.hard and budget.minutes == 600
    await bot.say("::user ben", "/stunden 7:30 am 23.3. für Pilot: a")
    out = await bot.say("/stunden 3 am 24.3. für Pilot: b")
    assert (
        "Das Budget 2026 von Pilot ist auf 10:00 h begrenzt: es bleiben 2:30 h, "
        "diese Buchung hat 3:00 h." in out
    )
    assert await entries(bot) == (1, 450)
    out = await bot.say("/stunden 2:30 am 24.3. für Pilot: b")
    assert "Erfasst #2: 2:30 h" in out
    assert "⚠ Budget 2026 zu 100 % verbraucht: 10:00 h von 10:00 h" in out
    # Raising an entry past the cap is refused too; lowering it is not.
    out = await bot.say("/stunden aendern #1 8")
    assert "es bleiben 0:00 h, diese Buchung hat 0:30 h." in out
    assert "Geändert #1: 7:30 h → 7:00 h" in await bot.say("/stunden aendern #1 7")
    assert await entries(bot) == (2, 570)
    # Hours of another project are not capped by it.
    assert "Erfasst #3" in await bot.say("/stunden 5 am 24.3. Allgemeines")
    # The cap is part of the budget: set again without "hart", it is lifted.
    await bot.say("::user anna")
    assert "feste Grenze" in await bot.say("/projekte")
    out = await bot.say("/projekt Pilot budget 10 h")
    assert "Budget 2026: 10:00 h (1,3 TW) gespeichert." in out
    out = await bot.say("::user ben", "/stunden 1 am 20.3. für Pilot: c")
    assert "⚠ Budget 2026 zu 105 % verbraucht: 10:30 h von 10:00 h" in out


async def test_a_hard_cap_in_english(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/sprache en", "/project Pilot budget 1 TW hard")
    out = await bot.say("::user ben", "/language en", "/hours 9 for Pilot: a")
    assert "The budget 2026 of Pilot is capped at 8:00 h: 8:00 h remain" in out
    out = await bot.say("/hours 7 for Pilot: a")
    assert "⚠ Budget 2026: 87 % used, 7:00 h of 8:00 h" in out
