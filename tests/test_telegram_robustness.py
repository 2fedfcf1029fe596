"""The Telegram adapter against a misbehaving Bot API (the emulator): menus, admin lookups,
polling and the length limit. python-telegram-bot's real HTTP stack, no mocks."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.telegram.render import render_html, visible_length
from core.messages import Reply, Span
from tests.telegram_emulator import TelegramEmulator, utf16_len
from tests.test_telegram_adapter import ANNA, BEN, GROUP, World, _start_world


@asynccontextmanager
async def _world(
    database_url: str,
    prepare: Callable[[TelegramEmulator], None] = lambda tg: None,
    *,
    emulator: dict[str, Any] | None = None,
    **adapter_options: Any,
) -> AsyncIterator[World]:
    async with TelegramEmulator(**(emulator or {})) as tg:
        prepare(tg)
        world = await _start_world(tg, database_url, adapter_options=adapter_options)
        try:
            yield world
        finally:
            await world.adapter.stop()
            await world.app.close()


# --- 5: the command menus are cosmetic ------------------------------------------------------


async def test_failing_command_menus_do_not_stop_the_bot_and_are_published_later(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    def refuse_menus(tg: TelegramEmulator) -> None:
        tg.fail_next("setMyCommands", status=500, times=3)

    async with _world(database_url, refuse_menus, menu_retry_delays=(0.1,)) as world:
        # The bot is up although every menu was refused at the start…
        assert "Guten Tag, Anna!" in await world.say(ANNA, ANNA, "/start")
        assert any("command menus not published" in r.getMessage() for r in caplog.records)
        # …and the menus arrive once Telegram takes them again.
        await world.tg.wait_for(
            lambda: len(world.tg.commands()) == 4, timeout=5, message="all four menus"
        )
        assert world.tg.current_commands({"type": "all_group_chats"}, "de")


# --- 6: a failed admin lookup is not "not an admin" -----------------------------------------

CANNOT_CHECK = "Ihre Rechte in diesem Chat konnten gerade nicht geprüft werden"


async def test_a_failing_admin_lookup_asks_to_try_again_and_is_not_remembered(
    database_url: str,
) -> None:
    async with _world(database_url) as world:
        for status in (500, 429):
            world.tg.fail_next("getChatMember", status=status, retry_after=1)
            refused = await world.say(GROUP, ANNA, "/einrichten AG Wirtschaftsförderung")
            assert CANNOT_CHECK in refused
            assert "Bitte versuchen Sie es gleich noch einmal." in refused
            assert "Nur Chat-Admins" not in refused
        # Telegram answers again: Anna is an admin at once, not a member for a minute.
        assert "angelegt" in await world.say(GROUP, ANNA, "/einrichten AG Wirtschaftsförderung")
        # A definite "not an admin" still reads as before.
        assert "Nur Chat-Admins dürfen" in await world.say(GROUP, BEN, "/einrichten AG Ben")


async def test_an_admin_lookup_that_hangs_gives_up_in_time_and_says_so(database_url: str) -> None:
    async with _world(database_url, admin_lookup_timeout=0.5) as world:
        world.tg.hang_next("getChatMember", seconds=3)
        before = len(world.tg.sent_messages(GROUP))
        world.tg.push_message(GROUP, ANNA, "/einrichten AG Wirtschaftsförderung")
        reply = await world.tg.wait_for_message(GROUP, contains=CANNOT_CHECK, timeout=2.5)
        assert "Nur Chat-Admins" not in reply["text"]
        assert len(world.tg.sent_messages(GROUP)) == before + 1
        assert "angelegt" in await world.say(GROUP, ANNA, "/einrichten AG Wirtschaftsförderung")


async def test_in_english_the_failed_lookup_reads_the_same(database_url: str) -> None:
    async with _world(database_url) as world:
        await world.say(GROUP, ANNA, "/einrichten AG Wirtschaftsförderung")
        assert "English" in await world.say(GROUP, ANNA, "/sprache en")
        world.tg.fail_next("getChatMember", status=502)
        refused = await world.say(GROUP, BEN, "/rolle @anna mitglied")
        assert "Your rights in this chat could not be checked just now." in refused
        assert "Please try again in a moment." in refused


# --- 7: long polling never becomes a busy loop ----------------------------------------------


async def test_a_server_that_answers_polls_at_once_gets_a_few_requests_a_second(
    database_url: str,
) -> None:
    async with _world(database_url, emulator={"instant_polls": True}, poll_max_delay=1.0) as world:
        tg = world.tg
        await asyncio.sleep(0.5)  # past the start
        tg.clear_calls()
        started = time.monotonic()
        await asyncio.sleep(3)
        polls = [c for c in tg.calls_of("getUpdates") if c.at >= started]
        per_second = len(polls) / (time.monotonic() - started)
        assert per_second <= 3, f"{per_second:.0f} getUpdates per second"
        # Every poll asked for the long-poll timeout; the server just did not hold it.
        assert {int(c.params["timeout"]) for c in polls} == {1}
        # Still answering within the longest pause.
        before = time.monotonic()
        assert "Guten Tag, Anna!" in await world.say(ANNA, ANNA, "/start")
        assert time.monotonic() - before < 2


async def test_a_server_that_holds_long_polls_is_polled_at_full_speed(database_url: str) -> None:
    async with _world(database_url) as world:
        await asyncio.sleep(2.5)  # idle: each poll is held for its whole second
        before = time.monotonic()
        assert "Guten Tag, Anna!" in await world.say(ANNA, ANNA, "/start")
        assert time.monotonic() - before < 0.5  # no pause: the server waited as asked
        assert world.adapter.poll_request.early_answers == 0
        assert len(world.tg.calls_of("getUpdates")) <= 5


# --- 8: the length limit counts what Telegram counts ----------------------------------------


async def _deliver(world: World, reply: Reply) -> list[str]:
    """Deliver into the group; the texts as Telegram holds them (after entity parsing)."""
    world.tg.clear_calls()
    ids = await world.adapter.deliver(GROUP, reply)
    refused = [c for c in world.tg.calls_of("sendMessage", include_failed=True) if not c.ok]
    assert refused == [], refused[0].response
    assert world.adapter.stats.failed == 0
    by_id = {m["message_id"]: m for m in world.tg.messages(GROUP)}
    return [by_id[message_id]["text"] for message_id in ids]


async def test_emoji_count_twice_so_a_long_line_is_split_where_telegram_would_refuse(
    database_url: str,
) -> None:
    line = "Grüße 😀 " * 700  # 8 code points, 9 UTF-16 units each: 6300 units
    async with _world(database_url) as world:
        parts = await _deliver(world, Reply(lines=((Span(line),),)))
    # Full to the unit; Telegram trims the trailing space of the last part.
    assert [utf16_len(part) for part in parts] == [4096, 6300 - 4096 - 1]
    assert "".join(parts) == line.strip()


async def test_markup_and_escapes_do_not_count_so_nothing_is_split_early(
    database_url: str,
) -> None:
    # 40 lines of 101 visible units, most of them escaped or inside tags and links: their
    # HTML is about twice as long as what Telegram shows.
    line = (
        Span("Müller & Söhne <GmbH>", "bold"),
        Span(" – "),
        Span("Protokoll", "link", url="https://example.org/protokoll?a=1&b=2"),
        Span(" " + "ä" * 61 + " 😀 &&"),
    )
    assert visible_length(line) == 101
    lines = (line,) * 40  # 40 * 101 + 39 line breaks = 4079
    async with _world(database_url) as world:
        exactly = await _deliver(world, Reply(lines=(*lines, (Span("x" * 16),))))
        assert [utf16_len(part) for part in exactly] == [4096]  # one message, full to the unit
        over = await _deliver(world, Reply(lines=(*lines, (Span("x" * 17),))))
        assert [utf16_len(part) for part in over] == [4079, 17]  # split between lines
        assert len(render_html(Reply(lines=lines))[0]) > 6000  # the HTML is much longer


async def test_a_split_does_not_cut_an_emoji_family_apart(database_url: str) -> None:
    family = "👨\u200d👩\u200d👧"  # one visible character, 8 UTF-16 units
    line = "x" + family * 600
    async with _world(database_url) as world:
        parts = await _deliver(world, Reply(lines=((Span(line),),)))
    assert parts[0] == "x" + family * 511  # 4089 units: the 512th family would not fit
    assert all(part.replace(family, "") in ("", "x") for part in parts)
    assert "".join(parts) == line
