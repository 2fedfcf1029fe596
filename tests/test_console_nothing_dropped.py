"""Messages for an AG's other chats (invitations, moves, cancellations) are written in the
command's transaction and survive a messenger that is down when the command runs.

The other chat is on a messenger whose adapter is a recording stand-in here: what matters is
what the bot hands to it, and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.messages import ChatRef, Incoming, Reply, Sender
from reminders.notifier import DeliveryFailed
from storage.models import Reminder, ReminderKind
from tests.harness import ConsoleBot, setup_code

TELEGRAM_CHAT = ChatRef("telegram", "-100777", False, "AG Innenstadt (Telegram)")


@dataclass
class FlakyMessenger:
    """Refuses every message while ``down``; records what it was given otherwise."""

    down: bool = False
    received: list[str] = field(default_factory=list)

    async def send(self, chat: ChatRef, reply: Reply, *, key: str | None = None) -> str | None:
        if self.down:
            raise DeliveryFailed("502 Bad Gateway", permanent=False)
        self.received.append(reply.plain_text())
        return str(len(self.received))

    async def send_private(
        self, account_id: str, reply: Reply, *, key: str | None = None
    ) -> str | None:
        return await self.send(ChatRef("telegram", account_id, True), reply, key=key)


async def ag_in_console_and_telegram(bot: ConsoleBot) -> FlakyMessenger:
    """AG Innenstadt in console chat ``ag`` and in a Telegram group; you coordinate."""
    await bot.say("::user you", "::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    messenger = FlakyMessenger()
    bot.app.router.add_notifier("telegram", messenger)
    asked = await bot.app.router.handle(
        Incoming(
            TELEGRAM_CHAT,
            Sender("telegram", "4711", "Tina", is_chat_admin=True),
            "/einrichten AG Innenstadt",
        )
    )
    assert asked is not None
    confirmed = await bot.say(f"/einrichten bestaetigen {setup_code(asked.plain_text())}")
    assert "AG Innenstadt" in confirmed
    messenger.received.clear()
    return messenger


async def test_an_invitation_waits_for_a_messenger_that_is_down(bot: ConsoleBot) -> None:
    messenger = await ag_in_console_and_telegram(bot)
    messenger.down = True
    out = await bot.say("/termin Jour fixe | 7.4. 14 Uhr | Rathaus")
    assert "[ag] Einladung" in out
    assert messenger.received == []

    messenger.down = False
    await bot.say("::now 2026-03-25T10:20:00+01:00")
    assert len(messenger.received) == 1
    assert "Einladung" in messenger.received[0] and "Jour fixe" in messenger.received[0]
    # Sent is sent: later passes do not repeat it.
    await bot.say("::now 2026-03-25T12:00:00+01:00")
    assert len(messenger.received) == 1


async def test_invitation_move_and_cancellation_reach_the_other_chat_once_each(
    bot: ConsoleBot,
) -> None:
    messenger = await ag_in_console_and_telegram(bot)
    await bot.say("/termin Jour fixe | 7.4. 14 Uhr | Rathaus")
    await bot.say("/termin verschieben 1 8.4. 15 Uhr")
    await bot.say("/termin absagen 1")
    assert len(messenger.received) == 3, messenger.received
    assert "Einladung" in messenger.received[0]
    assert "verschoben" in messenger.received[1]
    assert "Abgesagt: Jour fixe" in messenger.received[2]
    await bot.say("::now 2026-03-26T10:00:00+01:00")
    assert len(messenger.received) == 3


async def test_an_announcement_that_never_arrives_is_in_the_weekly_overview(
    bot: ConsoleBot,
) -> None:
    messenger = await ag_in_console_and_telegram(bot)
    await bot.say("::user you", "::dm", "/start")
    messenger.down = True
    await bot.say("::user you", "::chat ag", "/termin Jour fixe | 7.4. 14 Uhr | Rathaus")
    # Retried with backoff until the attempts are used up (an hour apart at the end) ...
    for hour in range(11, 23):
        await bot.say(f"::now 2026-03-25T{hour}:30:00+01:00")
    assert messenger.received == []
    # ... then the coordinators' next weekly overview names it.
    out = await bot.say("::now 2026-03-30T12:00:00+02:00")
    assert "[dm:you]" in out and "Wochenübersicht" in out, out
    assert "Nachricht an einen anderen Chat (telegram:-100777)" in out


async def test_a_chat_bound_after_planning_gets_the_meeting_reminders_at_once(
    bot: ConsoleBot,
) -> None:
    await bot.say("::user you", "::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("/termin Jour fixe | 26.3. 14 Uhr | Rathaus")
    messenger = FlakyMessenger()
    bot.app.router.add_notifier("telegram", messenger)
    asked = await bot.app.router.handle(
        Incoming(
            TELEGRAM_CHAT,
            Sender("telegram", "4711", "Tina", is_chat_admin=True),
            "/einrichten AG Innenstadt",
        )
    )
    assert asked is not None
    await bot.say(f"/einrichten bestaetigen {setup_code(asked.plain_text())}")
    # Before any daily planning runs (moving the console's clock would start one), the new
    # chat already has its rows: a crash or a planning failure now cannot leave it out.
    async with bot.app.sessions() as session:
        kinds = await session.scalars(
            select(Reminder.kind).where(Reminder.chat_id == TELEGRAM_CHAT.chat_id)
        )
        # The welcome, and the reminders 24 h and 1 h before the meeting.
        expected = [ReminderKind.ANNOUNCEMENT, ReminderKind.MEETING, ReminderKind.MEETING]
        assert sorted(kinds) == sorted(expected)


async def test_a_year_of_weekly_overviews_reaches_every_coordinator_or_is_announced(
    bot: ConsoleBot,
) -> None:
    """Five coordinators; only ``you`` ever opens a private chat with the bot."""
    await bot.say("::user you", "::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    others = ["ben", "cora", "dana", "emil"]
    for name in others:
        await bot.say(f"::user {name}", "/beitreten")
    await bot.say("::user you", "::dm", "/start", "::chat ag")
    for name in others:
        out = await bot.say(f"/rolle @{name} koordination")
        assert f"{name}, ich kann Ihnen noch nicht privat schreiben" in out
    out = await bot.say("/ag")
    assert "Privat nicht erreichbar" in out
    unreachable_line = next(line for line in out.splitlines() if "Privat nicht erreichbar" in line)
    assert all(name in unreachable_line for name in others) and "you" not in unreachable_line

    # The daily planning (it runs whenever the clock moves) plans each Monday's overview.
    await bot.say("::now 2026-03-29T12:00:00+02:00")
    missed = []
    monday = datetime(2026, 3, 30, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    for week in range(52):
        day = monday + timedelta(weeks=week)
        out = await bot.say(f"::now {day.isoformat()}")
        told = {"you": out.count("[dm:you] ") and out.count("Wochenübersicht für you")}
        for name in others:
            told[name] = out.count(f"[ag] {name}, Ihre Wochenübersicht liegt bereit")
        missed += [(day.date(), name) for name, count in told.items() if count != 1]
    assert missed == []
