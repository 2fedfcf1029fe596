"""Reminders in the console, driven by ``::now``: meetings, tasks, the weekly digest,
personal reminders, snoozing, settings, failed deliveries and restarts after down time.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from core.messages import ChatRef, Reply
from reminders.notifier import DeliveryFailed
from storage import groups, people
from storage.models import Reminder, ReminderKind, ReminderStatus
from tests.harness import ConsoleBot


async def ag(bot: ConsoleBot) -> None:
    """AG Innenstadt in chat ag: you coordinate; ben (reachable privately) and carla join."""
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::dm", "/start", "::chat ag")
    await bot.say("::user carla", "/beitreten", "::user you")


def messages(out: str) -> list[str]:
    """The messages in console output, each with its continuation lines."""
    found: list[str] = []
    for line in out.splitlines():
        if line.startswith("["):
            found.append(line)
        elif found:
            found[-1] += "\n" + line
    return found


# --- meetings ------------------------------------------------------------------------------


async def test_meeting_reminders_come_at_24_hours_and_1_hour_and_not_before(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("/termin Jour fixe | 27.3. 14 Uhr | Rathaus", "/tagesordnung 1 + Haushalt")
    assert "Erinnerung" not in await bot.say("::now 2026-03-26T13:59")
    day_before = messages(await bot.say("::now 2026-03-26T14:00"))
    assert len(day_before) == 1
    assert day_before[0].startswith("[ag] 🔔 Erinnerung: Jour fixe (#1) beginnt in 24 Stunden.")
    assert "Fr, 27.03.2026, 14:00 Uhr (1,5 Std.) – Präsenz, Rathaus" in day_before[0]
    assert "TOP 1: Haushalt" in day_before[0]  # the agenda as it is now
    assert "[Zusage: /zusage 1]" in day_before[0]
    assert "Verspätet" not in day_before[0]
    assert "Erinnerung" not in await bot.say("::now 2026-03-27T12:59")
    hour_before = messages(await bot.say("::now 2026-03-27T13:00"))
    assert len(hour_before) == 1 and "beginnt in 1 Stunde" in hour_before[0]
    assert "Erinnerung" not in await bot.say("::now 2026-03-27T15:00")  # nothing twice


async def test_an_all_day_meeting_is_reminded_in_the_morning_not_before_midnight(
    bot: ConsoleBot,
) -> None:
    # The AG's default offsets: 24 hours and 1 hour. For a meeting without a time they mean
    # the morning of the day before and the morning of the day, at 08:00.
    await ag(bot)
    await bot.say("/termin Klausur | Fr 27.3. | ganztägig | Rathaus")
    assert "Erinnerung" not in await bot.say("::now 2026-03-26T07:59")
    day_before = messages(await bot.say("::now 2026-03-26T08:00"))
    assert len(day_before) == 1
    assert day_before[0].startswith("[ag] 🔔 Erinnerung: Klausur (#1) ist morgen, ganztägig.")
    assert "Fr, 27.03.2026 (ganztägig) – Präsenz, Rathaus" in day_before[0]
    assert "Erinnerung" not in await bot.say("::now 2026-03-26T23:30")  # no "in 1 Stunde"
    on_the_day = messages(await bot.say("::now 2026-03-27T08:00"))
    assert len(on_the_day) == 1
    assert on_the_day[0].startswith("[ag] 🔔 Erinnerung: Klausur (#1) ist heute, ganztägig.")
    assert "Erinnerung" not in await bot.say("::now 2026-03-27T18:00")  # nothing twice
    async with bot.app.sessions() as session:
        rows = await session.execute(
            select(Reminder.due_at, Reminder.status).where(Reminder.kind == ReminderKind.MEETING)
        )
        assert sorted((due.isoformat(), status) for due, status in rows) == [
            ("2026-03-26T07:00:00+00:00", ReminderStatus.SENT),
            ("2026-03-27T07:00:00+00:00", ReminderStatus.SENT),
        ]


async def test_every_chat_of_the_ag_is_reminded(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::chat ag-2", "::admin", "/einrichten AG Innenstadt", "/ja", "::noadmin")
    await bot.say("::chat ag", "/termin Jour fixe | 27.3. 14 Uhr")
    out = messages(await bot.say("::now 2026-03-26T14:00"))
    assert sorted(message.split("]")[0] for message in out) == ["[ag", "[ag-2"]


async def test_moving_and_cancelling_withdraws_pending_reminders(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/termin Jour fixe | 27.3. 14 Uhr", "/termin Workshop | 28.3. 10 Uhr")
    await bot.say("/termin verschieben 1 30.3. 14 Uhr", "/termin absagen 2")
    assert "Erinnerung" not in await bot.say("::now 2026-03-28T12:00")
    moved = messages(await bot.say("::now 2026-03-29T14:00"))
    assert len(moved) == 1 and "Jour fixe (#1) beginnt in 24 Stunden" in moved[0]
    assert "Mo, 30.03.2026, 14:00 Uhr" in moved[0]


async def test_a_series_is_reminded_occurrence_by_occurrence(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/termin Jour fixe | jeden Montag 10 Uhr")
    first = messages(await bot.say("::now 2026-03-29T10:00"))
    assert len(first) == 1 and "Jour fixe (#1)" in first[0]
    assert "Jour fixe (#2)" in "".join(messages(await bot.say("::now 2026-04-05T10:00")))
    # Far beyond the 60 days planned at the start: the daily planning adds them.
    await bot.say("::now 2026-07-05T09:00")  # the daily planning runs before
    later = messages(await bot.say("::now 2026-07-05T10:00"))
    assert any("Mo, 06.07.2026, 10:00 Uhr" in message for message in later)


async def test_coordinators_set_the_offsets_and_existing_meetings_follow(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/termin Jour fixe | 30.3. 14 Uhr")
    out = await bot.say("/einstellungen erinnerungen 2d, 30min")
    assert "Erinnerungen vor Terminen: 2d, 30min" in out
    assert "Erinnerung" not in await bot.say("::now 2026-03-28T13:59")
    assert "beginnt in 2 Tagen" in await bot.say("::now 2026-03-28T14:00")
    assert "Erinnerung" not in await bot.say("::now 2026-03-29T14:00")  # no 24 hours any more
    assert "beginnt in 30 Minuten" in await bot.say("::now 2026-03-30T13:30")
    refused = await bot.say("::user ben", "::chat ag", "/einstellungen erinnerungen 1h")
    assert "dürfen nur die Koordinierenden der AG Innenstadt" in refused
    assert "keine Zeit vor dem Termin" in await bot.say(
        "::user you", "/einstellungen erinnerungen bald"
    )
    assert "Verwendung: /einstellungen" in await bot.say("/einstellungen farbe blau")
    assert "Erinnerungen vor Terminen: keine" in await bot.say("/einstellungen erinnerungen aus")


# --- tasks ---------------------------------------------------------------------------------


async def test_task_reminders_the_day_before_and_on_the_day_privately_or_with_a_mention(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("/aufgabe Flyer drucken @ben @carla bis Freitag")
    assert "Erinnerung" not in await bot.say("::now 2026-03-26T08:59")
    out = messages(await bot.say("::now 2026-03-26T09:00"))
    assert len(out) == 2
    private = next(m for m in out if m.startswith("[dm:ben]"))
    assert "ben, zur Erinnerung: Aufgabe #1 Flyer drucken ist morgen fällig (Fr, 27.03.2026)" in (
        private
    )
    assert "AG: AG Innenstadt" in private and "[✓ #1 erledigt: /erledigt 1]" in private
    # carla never wrote to the bot privately: a mention in the AG's chat instead.
    in_chat = next(m for m in out if m.startswith("[ag]"))
    assert "carla, zur Erinnerung: Aufgabe #1" in in_chat
    today = messages(await bot.say("::now 2026-03-27T09:00"))
    assert len(today) == 2 and all("ist heute fällig" in m for m in today)


async def test_done_dropped_and_redated_tasks_change_their_reminders(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/aufgabe Flyer @ben bis Freitag", "/aufgabe Plakat @ben bis Freitag")
    await bot.say("/aufgabe Raum @ben bis Freitag")
    await bot.say("::user ben", "::chat ag", "/erledigt 1", "::user you", "/streichen 2")
    await bot.say("/frist 3 1.4.")
    assert "Erinnerung" not in await bot.say("::now 2026-03-30T12:00")
    out = messages(await bot.say("::now 2026-03-31T09:00"))
    assert len(out) == 1 and "Aufgabe #3 Raum ist morgen fällig (Mi, 01.04.2026)" in out[0]


# --- the digest ----------------------------------------------------------------------------


async def test_the_weekly_digest_reaches_coordinators_privately_on_monday_at_eight(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("::dm", "/start", "::chat ag")  # you can be written to privately
    await bot.say("/aufgabe Flyer drucken @ben bis morgen", "/aufgabe Plakat @carla bis 1.4.")
    await bot.say("/termin Jour fixe | 31.3. 14 Uhr")
    assert "Wochenübersicht" not in await bot.say("::now 2026-03-30T07:59")
    out = messages(await bot.say("::now 2026-03-30T08:00"))
    digest = [m for m in out if m.startswith("[dm:you]")]
    assert len(digest) == 1
    text = digest[0]
    assert "📋 Wochenübersicht für you" in text and "AG Innenstadt" in text
    assert "Überfällig (1):" in text and "⚠ #1 Flyer drucken" in text and "· ben" in text
    assert "Diese Woche fällig (1):" in text and "#2 Plakat" in text
    assert "Termine diese Woche (1):" in text and "#1 Di, 31.03.2026, 14:00 Uhr: Jour fixe" in text
    assert not [m for m in out if m.startswith("[dm:ben]") and "Wochenübersicht" in m]


async def test_a_bot_away_over_monday_morning_sends_the_weeks_overview_late_not_never(
    bot: ConsoleBot,
) -> None:
    # Down (or asleep) from Wednesday until Monday five weeks later, 10:00: the daily planning
    # ran last before the AG existed, so no row waited for any of those Mondays.
    await ag(bot)
    await bot.say("::dm", "/start", "::chat ag", "/aufgabe Flyer drucken bis 27.3.")
    out = messages(await bot.say("::now 2026-05-04T10:00"))
    digest = [m for m in out if m.startswith("[dm:you]") and "📋 Wochenübersicht für you" in m]
    assert len(digest) == 1, out  # this week's, not one per missed week
    assert "⏰ Verspätet – fällig war Mo, 04.05.2026, 08:00 Uhr." in digest[0]
    assert "⚠ #1 Flyer drucken" in digest[0]
    on_time = messages(await bot.say("::now 2026-05-11T08:00"))
    assert [m for m in on_time if "📋 Wochenübersicht für you" in m and "Verspätet" not in m]
    async with bot.app.sessions() as session:
        rows = await session.execute(
            select(Reminder.due_at, Reminder.status).where(Reminder.kind == ReminderKind.DIGEST)
        )
        sent = sorted(due.isoformat() for due, status in rows if status is ReminderStatus.SENT)
    assert sent == ["2026-05-04T06:00:00+00:00", "2026-05-11T06:00:00+00:00"]


async def test_the_digest_can_be_switched_off_per_ag(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::dm", "/start", "::chat ag", "/einstellungen wochenuebersicht aus")
    assert "Wochenübersicht für" not in await bot.say("::now 2026-03-30T08:00")


class RefusingMessenger:
    """A messenger that has removed the bot from every chat (a permanent failure)."""

    async def send(self, chat: ChatRef, reply: Reply, *, key: str | None = None) -> str | None:
        raise DeliveryFailed("Forbidden: bot was kicked from the group chat", permanent=True)

    async def send_private(
        self, account_id: str, reply: Reply, *, key: str | None = None
    ) -> str | None:
        raise DeliveryFailed("Forbidden: bot was blocked by the user", permanent=True)


async def test_failed_deliveries_are_not_retried_and_appear_in_the_digest(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("::dm", "/start", "::chat ag")
    bot.app.router.add_notifier("fax", RefusingMessenger())
    async with bot.app.sessions() as session, session.begin():
        group = await groups.find_group(session, "AG Innenstadt")
        person = await people.find_by_account(session, "console", "you")
        assert group is not None and person is not None
        now = bot.app.clock.now()
        await groups.bind_chat(session, group, "fax", "-100", "Fax-Gruppe", person.id, now)
    await bot.say("/termin Jour fixe | 27.3. 14 Uhr")
    out = await bot.say("::now 2026-03-26T14:00")
    assert "[ag] 🔔 Erinnerung: Jour fixe" in out  # the console chat still gets it
    await bot.say("::now 2026-03-27T13:00")
    digest = await bot.say("::now 2026-03-30T08:00")
    # The invitation to the fax chat and both meeting reminders: nothing is dropped unseen.
    assert "Nicht zugestellte Erinnerungen (3):" in digest
    assert "Nachricht an einen anderen Chat (fax:-100): Forbidden: bot was kicked" in digest
    assert "Termin-Erinnerung (fax:-100): Forbidden: bot was kicked" in digest


# --- personal reminders --------------------------------------------------------------------


async def test_personal_reminders_for_me_here_and_someone_else(bot: ConsoleBot) -> None:
    await ag(bot)
    out = await bot.say("/erinnere mich morgen 9 Uhr; Ben anrufen")
    assert "Erinnerung #1 für Sie am Do, 26.03.2026, 09:00 Uhr: Ben anrufen" in out
    out = await bot.say("/erinnere hier übermorgen 14 Uhr Raum buchen")  # no ";"
    assert "für diesen Chat am Fr, 27.03.2026, 14:00 Uhr: Raum buchen" in out
    out = await bot.say("/erinnere @ben in 2 Stunden; Unterlagen schicken")
    assert "für ben am Mi, 25.03.2026, 12:15 Uhr: Unterlagen schicken" in out

    assert "Erinnerung" not in await bot.say("::now 2026-03-25T12:14")
    to_ben = messages(await bot.say("::now 2026-03-25T12:15"))
    assert to_ben[0].startswith("[dm:ben] 🔔 Erinnerung: Unterlagen schicken")
    assert "(von you)" in to_ben[0]
    mine = messages(await bot.say("::now 2026-03-26T09:00"))
    assert mine[0].startswith("[ag] 🔔 you, zur Erinnerung: Ben anrufen")
    assert "[In 1 Stunde: /schlummern 1 1h]" in mine[0]
    here = messages(await bot.say("::now 2026-03-27T14:00"))
    assert here[0].startswith("[ag] 🔔 Erinnerung: Raum buchen")


async def test_reminding_someone_needs_a_shared_ag_and_bad_input_changes_nothing(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("::user dora", "::dm", "/start")
    refused = await bot.say("::user you", "::dm", "/erinnere @dora morgen; Hallo")
    assert "nur Personen aus Ihren AGs" in refused
    assert "ist kein Mitglied" in await bot.say("::chat ag", "/erinnere @dora morgen; Hallo")
    assert "nicht verstanden" in await bot.say("/erinnere mich am Blumentag; Hallo")
    assert "keine Zeit" in await bot.say("/erinnere mich Hallo Welt")
    no_text = await bot.say("/erinnere mich in 10 Minuten")
    assert "Woran soll ich erinnern?" in no_text and "/erinnere mich in 10 Minuten; …" in no_text
    assert "Vergangenheit" in await bot.say("/erinnere mich heute 8 Uhr; zu spät")
    assert "Verwendung: /erinnere" in await bot.say("/erinnere jemanden morgen; Hallo")
    assert "Verwendung: /erinnere" in await bot.say("/erinnere mich morgen 9 Uhr;")
    assert "Es warten keine Erinnerungen" in await bot.say("/erinnerungen")


async def test_a_repeating_reminder_comes_every_week(bot: ConsoleBot) -> None:
    await ag(bot)
    out = await bot.say("/erinnere hier jeden Freitag 15 Uhr; Wochenbericht")
    assert "Fr, 27.03.2026, 15:00 Uhr" in out and "wiederholt sich" in out
    first = await bot.say("::now 2026-03-27T15:00")
    assert "Erinnerung: Wochenbericht" in first and "Nächstes Mal: Fr, 03.04.2026" in first
    listed = await bot.say("/erinnerungen")
    assert "Fr, 03.04.2026, 15:00 Uhr – Wochenbericht ↻" in listed
    following = re.search(r"#(\d+) Fr, 03.04.2026", listed)
    assert following is not None
    # Across the change to summer time the wall-clock time stays 15:00.
    second = await bot.say("::now 2026-04-03T15:00")
    assert "Wochenbericht" in second and "Nächstes Mal: Fr, 10.04.2026, 15:00 Uhr" in second
    listed = await bot.say("/erinnerungen")
    third = re.search(r"#(\d+) Fr, 10.04.2026", listed)
    assert third is not None and third[1] != following[1]
    assert "gelöscht" in await bot.say(f"/erinnerung loeschen {third[1]}")
    assert "Wochenbericht" not in await bot.say("::now 2026-04-10T15:00")


async def test_listing_deleting_and_snoozing(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say(
        "/erinnere mich morgen 9 Uhr; Ben anrufen", "/erinnere hier Freitag 10 Uhr; Lüften"
    )
    await bot.say("/termin Jour fixe | 30.3. 14 Uhr", "/aufgabe Bericht @you bis 1.4.")
    listed = await bot.say("/erinnerungen")
    assert "Di, 31.03.2026, 09:00 Uhr – Aufgabe #1" in listed  # your task's reminders too
    assert "#1 Do, 26.03.2026, 09:00 Uhr – Ben anrufen" in listed
    assert "#2 Fr, 27.03.2026, 10:00 Uhr – Lüften" in listed
    assert "Termin #1" in listed  # the meeting's reminders in this chat
    assert "Ben anrufen" not in await bot.say("::user carla", "::chat ag", "/erinnerungen")
    assert "gehört nicht Ihnen" in await bot.say("/erinnerung loeschen 1")
    assert "gelöscht" in await bot.say("::user you", "/erinnerung loeschen 2")
    assert "keine wartende Erinnerung #2" in await bot.say("/erinnerung loeschen 2")

    moved = await bot.say("/schlummern 1 2h")  # a waiting one moves
    assert "Erinnerung #1 kommt wieder am Mi, 25.03.2026, 12:15 Uhr" in moved
    assert "Ben anrufen" in await bot.say("::now 2026-03-25T12:15")
    again = await bot.say("/schlummern 1 1d")  # the button under a sent one
    assert "kommt wieder am Do, 26.03.2026, 12:15 Uhr" in again
    assert "Ben anrufen" not in await bot.say("::now 2026-03-26T12:14")
    assert "Ben anrufen" in await bot.say("::now 2026-03-26T12:15")
    assert "Verwendung: /schlummern" in await bot.say("/schlummern 1 irgendwann")


async def test_english_commands(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/language en")
    out = await bot.say("/remind me tomorrow 9am; call Ben")
    assert "Reminder #1 for you on Thu, 26.03.2026, 09:00: call Ben" in out
    assert "Waiting reminders (1):" in await bot.say("/reminders")
    assert "comes again" in await bot.say("/snooze 1 1h")
    assert "deleted" in await bot.say("/reminder delete 1")
    assert "Reminders before meetings: 1d, 1h" in await bot.say("/settings")


# --- restarts ------------------------------------------------------------------------------


async def test_reminders_due_while_the_bot_was_down_come_once_and_marked_late(
    database_url: str, tmp_path: Path
) -> None:
    first = await ConsoleBot.start(database_url, tmp_path / "files")
    try:
        await ag(first)
        await first.say("/termin Jour fixe | 27.3. 14 Uhr", "/aufgabe Flyer @ben bis Freitag")
        await first.say("/erinnere mich morgen 9 Uhr; Ben anrufen")
    finally:
        await first.close()
    # Down from Wednesday until Friday noon; a second run on the same database.
    second = await ConsoleBot.start(database_url, tmp_path / "files")
    try:
        out = messages(await second.say("::now 2026-03-27T12:00"))
        late = [m for m in out if "Verspätet – fällig war" in m]
        assert len(out) == len(late) == 4
        assert sum("Jour fixe (#1) beginnt in 2 Stunden" in m for m in out) == 1
        assert sum("Flyer ist morgen fällig" in m for m in out) == 1
        assert sum("Flyer ist heute fällig" in m for m in out) == 1
        assert sum("Ben anrufen" in m for m in out) == 1
        assert any("Verspätet – fällig war Do, 26.03.2026, 14:00 Uhr." in m for m in out)
        assert "Erinnerung" not in await second.say("::now 2026-03-27T12:30")
    finally:
        await second.close()
    third = await ConsoleBot.start(database_url, tmp_path / "files")
    try:
        out = messages(await third.say("::now 2026-03-27T13:00"))
        assert len(out) == 1 and "beginnt in 1 Stunde" in out[0] and "Verspätet" not in out[0]
    finally:
        await third.close()
