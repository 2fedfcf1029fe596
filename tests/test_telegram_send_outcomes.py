"""Every outcome of a send over HTTP, against the Bot API emulator: delivered, not delivered
(sent again: connection refused, 429, 503, 4xx) or unknown (never sent again: an answer
that cannot be read, a connection reset after the request was read, 500/502/504).

Telegram has no idempotent send: a message whose answer was lost may have arrived, and a
repeat would show it twice. So an unknown outcome is counted and recorded as sent, and
a reminder reaches its chat at most once, never six times."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.messages import ChatRef, Choice, OutgoingFile, Reply, Span
from reminders.notifier import DeliveryFailed, DeliveryUncertain
from storage.models import Reminder, ReminderStatus
from tests.harness import START
from tests.reminder_rows import add_due_reminders
from tests.telegram_emulator import TelegramEmulator
from tests.test_telegram_adapter import GROUP, World, _start_world

REMINDER = Reply(lines=((Span("Erinnerung: Bericht abgeben"),),))
IN_GROUP = ChatRef("telegram", str(GROUP), False)


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    async with TelegramEmulator() as tg:
        started = await _start_world(tg, database_url)
        try:
            yield started
        finally:
            await started.adapter.stop()
            await started.app.close()


def arrived(world: World) -> list[str]:
    return [message["text"] for message in world.tg.sent_messages(GROUP)]


def attempts(world: World) -> int:
    return len(world.tg.calls_of("sendMessage", include_failed=True))


@pytest.mark.parametrize("how", ["broken_json", "wrong_type", "reset"])
async def test_an_unreadable_answer_is_counted_and_never_sent_again(
    world: World, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    world.tg.garble_next("sendMessage", how)
    with pytest.raises(DeliveryUncertain):
        await world.adapter.send(IN_GROUP, REMINDER, key="personal:1")
    assert arrived(world) == ["Erinnerung: Bericht abgeben"]
    assert attempts(world) == 1
    assert world.adapter.stats.unknown == 1 and world.adapter.stats.failed == 0
    assert any("may or may not have arrived" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("status", [500, 502, 504])
async def test_a_server_error_may_have_sent_the_message_so_it_is_not_repeated(
    world: World, status: int
) -> None:
    world.tg.fail_next("sendMessage", status=status)
    with pytest.raises(DeliveryUncertain):
        await world.adapter.send(IN_GROUP, REMINDER, key="personal:1")
    assert attempts(world) == 1
    assert world.adapter.stats.unknown == 1


@pytest.mark.parametrize(
    ("status", "waited"), [(429, 1.0), (503, 0.0)], ids=["429-retry-after", "503"]
)
async def test_a_refused_send_is_sent_again_and_arrives_once(
    world: World, status: int, waited: float
) -> None:
    world.tg.fail_next("sendMessage", status=status, retry_after=1)
    assert await world.adapter.send(IN_GROUP, REMINDER, key="personal:1") is not None
    assert arrived(world) == ["Erinnerung: Bericht abgeben"]
    calls = world.tg.calls_of("sendMessage", include_failed=True)
    assert [call.status for call in calls] == [status, 200]
    assert calls[1].at - calls[0].at >= waited
    assert world.adapter.stats.unknown == 0


async def test_a_403_is_not_delivered_for_good(world: World) -> None:
    world.tg.fail_next("sendMessage", status=403, description="Forbidden: bot was kicked")
    with pytest.raises(DeliveryFailed) as failed:
        await world.adapter.send(IN_GROUP, REMINDER, key="personal:1")
    assert failed.value.permanent
    assert arrived(world) == [] and attempts(world) == 1


async def test_a_refused_connection_is_sent_again_once_the_server_listens(world: World) -> None:
    listening_again = asyncio.create_task(world.tg.refuse_connections(0.12))
    await asyncio.sleep(0.02)
    assert await world.adapter.send(IN_GROUP, REMINDER, key="personal:1") is not None
    await listening_again
    assert arrived(world) == ["Erinnerung: Bericht abgeben"]
    assert world.adapter.stats.retried >= 1 and world.adapter.stats.unknown == 0


async def test_a_lost_answer_in_one_part_keeps_the_other_parts_files_and_buttons(
    world: World,
) -> None:
    long = tuple((Span(f"Zeile {n:03d} " + "x" * 90),) for n in range(100))
    reply = Reply(
        lines=long,
        files=(OutgoingFile("protokoll.md", b"# Protokoll\n", "text/markdown"),),
        choices=(Choice("Ja", "/ja"), Choice("Nein", "/nein")),
    )
    world.tg.garble_next("sendMessage", "reset")
    await world.adapter.deliver(GROUP, reply)
    texts = world.tg.sent_messages(GROUP)
    assert len(texts) == 3  # the first part (its answer lost) and the two after it
    assert texts[-1]["text"].rstrip().endswith("Zeile 099 " + "x" * 90)
    assert "reply_markup" in texts[-1]
    assert [d["document"]["file_name"] for d in world.tg.documents(GROUP)] == ["protokoll.md"]
    assert world.adapter.stats.unknown == 1


async def test_a_reminder_whose_answer_was_lost_is_recorded_sent_and_not_repeated(
    world: World,
) -> None:
    """Before: the dispatcher took the unreadable answer for a passing failure and sent
    the reminder again at every retry."""
    app = world.app
    [key] = await add_due_reminders(
        app.sessions, [("telegram", str(GROUP))], 1, START - timedelta(minutes=1)
    )
    world.tg.garble_next("sendMessage", "broken_json")
    assert await app.dispatcher.run_due() == 1
    for minutes in (1, 5, 30, 120):  # every retry time the backoff would have chosen
        app.clock.set(START + timedelta(minutes=minutes))  # type: ignore[attr-defined]
        await app.dispatcher.run_due()
    assert len(arrived(world)) == 1
    assert app.dispatcher.uncertain == 1
    async with app.sessions() as session:
        row = await session.scalar(select(Reminder).where(Reminder.key == key))
    assert row is not None and row.status is ReminderStatus.SENT
    assert row.last_error is not None and row.last_error.startswith("outcome unknown")
