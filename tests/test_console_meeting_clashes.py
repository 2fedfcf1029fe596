"""Clashes: planning or moving a meeting onto a time when the AG, or another AG that the
planner coordinates, already meets gives a warning naming that meeting; it is planned anyway.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.models import Meeting, MeetingStatus
from tests.harness import ConsoleBot

CLASH = "überschneidet sich mit"


async def ag_with_members(bot: ConsoleBot) -> None:
    """AG Innenstadt in chat ag: you coordinate, ben is a member."""
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::user you")


async def scheduled(bot: ConsoleBot) -> list[tuple[str, datetime]]:
    """(title, start in UTC) of every meeting that takes place, in order."""
    async with bot.app.sessions() as session:
        rows = await session.execute(
            select(Meeting.title, Meeting.starts_at)
            .where(Meeting.status == MeetingStatus.SCHEDULED)
            .order_by(Meeting.starts_at, Meeting.title)
        )
        return [(title, start.astimezone(UTC)) for title, start in rows]


async def test_a_meeting_overlapping_one_of_the_same_ag_is_planned_with_a_warning(
    bot: ConsoleBot,
) -> None:
    await ag_with_members(bot)
    await bot.say("/termin Plenum | 7.4. 14 Uhr")  # until 15:30
    out = await bot.say("/termin Workshop | 7.4. 15 Uhr | Rathaus")
    assert "Workshop (#2)" in out
    assert (
        "⚠ #2 überschneidet sich mit einem Termin der AG Innenstadt: "
        "Plenum (#1) am Di, 07.04.2026, 14:00 Uhr" in out
    )
    assert "Der Termin bleibt geplant" in out
    assert await scheduled(bot) == [
        ("Plenum", datetime(2026, 4, 7, 12, tzinfo=UTC)),
        ("Workshop", datetime(2026, 4, 7, 13, tzinfo=UTC)),
    ]
    # A meeting that lies wholly inside another one clashes too; a cancelled one no more.
    assert "Plenum (#1)" in await bot.say("/termin Kurzabsprache | 7.4. 14:15 Uhr | 15 min")
    await bot.say("/termin absagen 1")
    out = await bot.say("/termin Nachgespräch | 7.4. 14:30 Uhr | 30 min")
    assert CLASH not in out and "Nachgespräch (#4)" in out


async def test_a_series_warns_about_the_occurrences_that_clash(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    await bot.say("/termin Haushaltsklausur | 5.5. 13 Uhr | 3 h")
    out = await bot.say("/termin Jour fixe | jeden ersten Dienstag im Monat 14 Uhr")
    assert "#3 überschneidet sich mit einem Termin der AG Innenstadt: Haushaltsklausur (#1)" in out
    assert out.count(CLASH) == 1  # only the May meeting (#3); April (#2) and later are free
    titles = [title for title, _ in await scheduled(bot)]
    assert titles.count("Jour fixe") == 12


async def test_a_meeting_of_another_ag_the_planner_coordinates_is_named(
    bot: ConsoleBot,
) -> None:
    await ag_with_members(bot)
    await bot.say("::chat kultur", "::admin", "/einrichten AG Kultur", "::noadmin")
    await bot.say("/termin Kulturrat | 7.4. 15 Uhr | Stadthalle")
    # In AG Sport, ben coordinates and you are only a member: its meetings are not yours
    # to arrange, so they are not compared.
    await bot.say("::user ben", "::chat sport", "::admin", "/einrichten AG Sport", "::noadmin")
    await bot.say("/termin Training | 7.4. 14 Uhr", "::user you", "/beitreten")
    out = await bot.say("::chat ag", "/termin Plenum | 7.4. 14 Uhr")
    assert (
        "⚠ #1 überschneidet sich mit einem Termin der AG Kultur: "
        "Kulturrat (#1) am Di, 07.04.2026, 15:00 Uhr" in out
    )
    assert "Training" not in out and "AG Sport" not in out
    assert ("Plenum", datetime(2026, 4, 7, 12, tzinfo=UTC)) in await scheduled(bot)
    # ben coordinates only AG Sport: he is warned about its meetings, not about those of
    # AG Kultur (not his) or AG Innenstadt (where he is a member).
    out = await bot.say("::user ben", "::chat sport", "/termin Turnier | 7.4. 15 Uhr")
    assert "Training (#1)" in out and "Kulturrat" not in out and "Plenum" not in out


async def test_moving_a_meeting_onto_a_clash_warns_and_moves_it(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    await bot.say("/termin Plenum | 7.4. 14 Uhr", "/termin Workshop | 8.4. 10 Uhr")
    out = await bot.say("/termin verschieben 2 7.4. 15 Uhr")
    assert "verschoben" in out
    assert "⚠ #2 überschneidet sich mit einem Termin der AG Innenstadt: Plenum (#1)" in out
    assert ("Workshop", datetime(2026, 4, 7, 13, tzinfo=UTC)) in await scheduled(bot)
    # Moving a meeting a little within its own time is no clash with itself.
    assert CLASH not in await bot.say("/termin verschieben 1 7.4. 13 Uhr")


async def test_meetings_that_only_touch_do_not_clash(bot: ConsoleBot) -> None:
    await ag_with_members(bot)
    await bot.say("/termin Plenum | 7.4. 14 Uhr")  # 14:00 to 15:30
    after = await bot.say("/termin Workshop | 7.4. 15:30 Uhr")
    before = await bot.say("/termin Vorbesprechung | 7.4. 13 Uhr | 60 min")
    moved = await bot.say("/termin verschieben 2 7.4. 15:30 Uhr")
    for out in (after, before, moved):
        assert CLASH not in out and "⚠" not in out
    assert len(await scheduled(bot)) == 3
