"""Limits per person and per chat ([limits]): each holds, a normal AG's day never meets one,
and a person flooding the bot does not silence anyone else."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.limits import Limits
from storage.models import ActionItem, HourEntry, Reminder, ReminderKind
from tests.harness import ConsoleBot

REFUSED = re.compile(r"Bitte langsamer|höchstens|zu lang")


class FakeSeconds:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def seconds() -> FakeSeconds:
    return FakeSeconds()


async def _bot(
    database_url: str, tmp_path: Path, seconds: FakeSeconds, **limits: int
) -> ConsoleBot:
    return await ConsoleBot.start(
        database_url,
        tmp_path / "files",
        admins=frozenset({"console:root"}),
        limits=replace(Limits(), **limits),
        monotonic=seconds,
    )


@pytest.fixture
async def limited(
    database_url: str, tmp_path: Path, seconds: FakeSeconds, request: pytest.FixtureRequest
) -> AsyncIterator[ConsoleBot]:
    bot = await _bot(database_url, tmp_path, seconds, **getattr(request, "param", {}))
    await bot.say("::chat ag", "::admin", "/einrichten AG Limits", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::user you")
    yield bot
    await bot.close()


async def _count(bot: ConsoleBot, model: type, *where: object) -> int:
    async with bot.app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


async def test_commands_per_minute_slow_down_once_then_silence(
    limited: ConsoleBot, seconds: FakeSeconds
) -> None:
    seconds.now += 60  # the set-up's commands are forgotten
    outs = [await limited.say("/mitglieder") for _ in range(20)]
    assert all(out.startswith("[ag] Mitglieder") for out in outs)
    assert await limited.say("/mitglieder") == (
        "[ag] Bitte langsamer: höchstens 20 Befehle pro Minute. "
        "In einer Minute antworte ich wieder.\n"
    )
    assert await limited.say("/mitglieder") == ""  # silence, no second warning
    assert await limited.say("/aufgabe Flut") == ""
    assert await _count(limited, ActionItem) == 0  # nothing done while silent
    # Someone else, in another chat, is answered as usual meanwhile.
    assert "Ihre Befehle" in await limited.say("::user carla", "::dm", "/hilfe")
    seconds.now += 61
    assert (await limited.say("::user you", "::chat ag", "/mitglieder")).startswith(
        "[ag] Mitglieder"
    )


async def test_chat_that_is_no_command_never_gets_a_slow_down(
    limited: ConsoleBot, seconds: FakeSeconds
) -> None:
    seconds.now += 60
    for _ in range(70):
        assert await limited.say("Guten Morgen zusammen") == ""
    assert (await limited.say("/mitglieder")).startswith("[ag] Mitglieder")


@pytest.mark.parametrize("limited", [{"waiting_reminders_per_person": 5}], indirect=True)
async def test_waiting_reminders_per_person(limited: ConsoleBot) -> None:
    for day in range(1, 6):
        out = await limited.say(f"/erinnere mich in {day} Tagen; Punkt {day}")
        assert "Erinnerung #" in out
    out = await limited.say("/erinnere mich in 6 Tagen; Punkt 6")
    assert "5 wartende Erinnerungen (höchstens 5)" in out and "/erinnerungen" in out
    personal = Reminder.kind == ReminderKind.PERSONAL
    assert await _count(limited, Reminder, personal) == 5
    # Deleting one makes room again.
    await limited.say("/erinnerung loeschen 1")
    assert "Erinnerung #" in await limited.say("/erinnere mich in 6 Tagen; Punkt 6")


@pytest.mark.parametrize("limited", [{"waiting_reminders_per_chat": 3}], indirect=True)
async def test_waiting_reminders_per_chat(limited: ConsoleBot) -> None:
    for user in ("you", "ben", "carla"):
        assert "Erinnerung #" in await limited.say(f"::user {user}", "/erinnere hier morgen; x")
    out = await limited.say("::user dora", "/erinnere hier morgen; x")
    assert "Dieser Chat hat bereits 3 wartende Erinnerungen (höchstens 3)" in out
    assert await _count(limited, Reminder, Reminder.chat_id == "ag") == 3


@pytest.mark.parametrize("limited", [{"tasks_per_day": 3}], indirect=True)
async def test_new_tasks_per_person_and_day(limited: ConsoleBot) -> None:
    for number in range(3):
        assert "angelegt" in await limited.say(f"/aufgabe Aufgabe {number}")
    out = await limited.say("/aufgabe Aufgabe 4")
    assert "innerhalb von 24 Stunden 3 Aufgaben angelegt; möglich sind höchstens 3" in out
    assert await _count(limited, ActionItem) == 3
    # Another person is not counted against it, and a day later it is open again.
    assert "angelegt" in await limited.say("::user ben", "/aufgabe Eigene")
    await limited.say("::now 2026-03-26T10:16")
    assert "angelegt" in await limited.say("::user you", "/aufgabe Aufgabe 4")


@pytest.mark.parametrize("limited", [{"hour_entries_per_day": 2}], indirect=True)
async def test_hour_entries_per_person_and_day(limited: ConsoleBot) -> None:
    assert "#1" in await limited.say("::user ben", "/stunden 1 gestern a")
    assert "#2" in await limited.say("/stunden 1 gestern b")
    out = await limited.say("/stunden 1 gestern c")
    assert "2 Stundeneinträge erfasst; möglich sind höchstens 2" in out
    assert await _count(limited, HourEntry) == 2


@pytest.mark.parametrize("limited", [{"reply_lines": 10}], indirect=True)
async def test_long_replies_come_in_pages(limited: ConsoleBot, seconds: FakeSeconds) -> None:
    for number in range(25):
        seconds.now += 5  # at a person's pace
        await limited.say(f"/aufgabe Schritt {number:02d}")
    first = await limited.say("/aufgaben")
    # Ten lines: the heading, the group's heading, six tasks, a blank line and the pointer.
    assert len(re.findall(r"Schritt \d\d", first)) == 6
    assert "Seite 1 von 4. Nächste Seite: /weiter" in first
    pages = [first]
    for page in (2, 3):
        pages.append(await limited.say("/weiter"))
        assert len(re.findall(r"Schritt \d\d", pages[-1])) == 8
        assert pages[-1].endswith(f"Seite {page} von 4. Nächste Seite: /weiter\n")
    pages.append(await limited.say("/weiter"))
    assert "Seite" not in pages[-1]
    shown = re.findall(r"Schritt (\d\d)", "".join(pages))
    assert sorted(shown) == [f"{n:02d}" for n in range(25)]
    assert "nichts weiter" in await limited.say("/weiter")
    # The rest belongs to the person who asked, in that chat.
    await limited.say("/aufgaben")
    assert "nichts weiter" in await limited.say("::user ben", "/weiter")


@pytest.mark.parametrize("limited", [{"message_characters": 100}], indirect=True)
async def test_a_message_longer_than_the_limit_is_refused(limited: ConsoleBot) -> None:
    out = await limited.say("/aufgabe " + "x" * 200)
    assert "für einen Befehl zu lang (höchstens 100 Zeichen)" in out
    assert await _count(limited, ActionItem) == 0


async def test_a_normal_ags_day_meets_no_limit(
    database_url: str, tmp_path: Path, seconds: FakeSeconds
) -> None:
    """The default limits: a coordinator's busy day (30 commands in bursts of ten a minute,
    20 reminders, 10 tasks, hours) and the chat's members never see a refusal."""
    bot = await _bot(database_url, tmp_path, seconds)
    try:
        out = await bot.say("::chat ag", "::admin", "/einrichten AG Alltag", "::noadmin")
        for user in ("ben", "carla"):
            out += await bot.say(f"::user {user}", "/beitreten")
        lines = [f"/erinnere hier in {n + 1} Tagen 9 Uhr; Punkt {n}" for n in range(20)]
        lines += [f"/aufgabe Schritt {n} @ben bis Freitag" for n in range(10)]
        await bot.say("::user you")
        for start in range(0, len(lines), 10):
            for line in lines[start : start + 10]:
                out += await bot.say(line)
            seconds.now += 60
        out += await bot.say("/stunden 3 gestern Vorbereitung", "/aufgaben", "/erinnerungen")
        assert not REFUSED.search(out), out
        assert await _count(bot, ActionItem) == 10
        assert await _count(bot, Reminder, Reminder.kind == ReminderKind.PERSONAL) == 20
    finally:
        await bot.close()
