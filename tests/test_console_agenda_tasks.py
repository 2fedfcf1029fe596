"""The "Offene Aufgaben" TOP of invitations, reminders and agendas lists what the meeting
has to talk about: the overdue tasks and those due before the meeting, at most ten, then
"und N weitere: /aufgaben".

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

import re

from sqlalchemy import select

from storage.models import ActionItem
from tests.harness import ConsoleBot
from tests.test_console_reminders import messages


async def ag(bot: ConsoleBot) -> None:
    await bot.say("::user you", "::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::user you")


def top_numbers(message: str) -> list[int]:
    """The task numbers listed under the "Offene Aufgaben" TOP of one message, in order."""
    top = message.split("Offene Aufgaben (", 1)[1]
    return [int(n) for n in re.findall(r"^    [•⚠] #(\d+)", top, re.MULTILINE)]


async def test_the_top_lists_overdue_tasks_and_those_due_before_the_meeting_at_most_ten(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    for n in range(1, 8):  # #1–#7: due tomorrow, overdue by the time of the meeting
        await bot.say(f"/aufgabe Altlast {n} @ben bis morgen")
    for n in range(8, 13):  # #8–#12: due the day before the meeting
        await bot.say(f"/aufgabe Vorbereitung {n} @ben bis 1.4.")
    await bot.say("/aufgabe Nach dem Termin @ben bis 30.4.", "/aufgabe Irgendwann @ben")
    async with bot.app.sessions() as session:
        assert len(list(await session.scalars(select(ActionItem)))) == 14

    invitation = await bot.say("::now 2026-03-28T09:00", "/termin Jour fixe | 2.4. 14 Uhr")
    assert "TOP 1: Offene Aufgaben (14, davon 7 überfällig)" in invitation
    # The seven overdue ones first, then the earliest due before the meeting: ten in all.
    assert top_numbers(invitation) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert "  … und 4 weitere: /aufgaben" in invitation
    assert "Nach dem Termin" not in invitation and "Irgendwann" not in invitation

    # The reminder 24 hours before says the same, read when it is sent.
    await bot.say("/erledigt 1", "/erledigt 2")
    reminder = [
        m for m in messages(await bot.say("::now 2026-04-01T14:00")) if "Erinnerung: Jour fixe" in m
    ]
    assert len(reminder) == 1
    assert "TOP 1: Offene Aufgaben (12, davon 5 überfällig)" in reminder[0]
    assert top_numbers(reminder[0]) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "… und 2 weitere: /aufgaben" in reminder[0]


async def test_tasks_due_later_are_only_counted(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/aufgabe Nach dem Termin @ben bis 30.4.", "/aufgabe Irgendwann")
    await bot.say("/termin Jour fixe | 2.4. 14 Uhr")
    agenda = await bot.say("/tagesordnung 1")
    assert "TOP 1: Offene Aufgaben (2, davon 0 überfällig)" in agenda
    assert top_numbers(agenda) == []
    assert "Keine davon ist vor dem Termin fällig; alle: /aufgaben" in agenda
