"""Leaving an AG keeps nothing dangling: the person's open tasks lose them, the person and
the coordinators are told which tasks now have nobody responsible, and the coordinators'
next weekly overview lists those tasks.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

from sqlalchemy import select

from storage.models import (
    ActionItemAssignee,
    ActionItemEvent,
    Person,
    Reminder,
    ReminderKind,
    ReminderStatus,
    TaskEventKind,
)
from tests.harness import ConsoleBot
from tests.test_console_reminders import messages


async def ag(bot: ConsoleBot) -> None:
    """AG Innenstadt in chat ``ag``: you coordinate (reachable privately), ben and carla."""
    await bot.say("::user you", "::dm", "/start")
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::user carla", "/beitreten", "::user you")


async def assignees(bot: ConsoleBot) -> dict[int, set[str]]:
    """Task number -> the names of the people responsible for it."""
    async with bot.app.sessions() as session:
        rows = await session.execute(
            select(ActionItemAssignee.item_id, Person.display_name).join(
                Person, Person.id == ActionItemAssignee.person_id
            )
        )
        found: dict[int, set[str]] = {}
        for item_id, name in rows:
            found.setdefault(item_id, set()).add(name)
        return found


async def pending_task_reminders(bot: ConsoleBot) -> set[tuple[int | None, str]]:
    """(task number, person) of every task reminder still to be sent."""
    async with bot.app.sessions() as session:
        rows = await session.execute(
            select(Reminder.item_id, Person.display_name)
            .join(Person, Person.id == Reminder.person_id)
            .where(Reminder.kind == ReminderKind.TASK, Reminder.status == ReminderStatus.PENDING)
        )
        return {(item_id, name) for item_id, name in rows}


async def test_leaving_with_open_tasks_leaves_none_without_the_coordinators_knowing(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say(
        "/aufgabe Flyer drucken @ben bis Freitag",
        "/aufgabe Plakat @ben @carla bis 1.4.",
        "/aufgabe Raum buchen @carla",
        "/aufgabe Pressemitteilung @ben",
        "/aufgabe Alte Sache @ben",
        "/erledigt 5",
    )
    assert (1, "ben") in await pending_task_reminders(bot)

    out = await bot.say("::user ben", "/austreten")
    assert "Sie sind aus der AG Innenstadt ausgetreten." in out
    assert "Sie sind für 3 offene Aufgaben nicht mehr zuständig." in out
    assert "Jetzt ohne Zuständige (2):" in out
    assert "#1 Flyer drucken – bis Fr, 27.03.2026" in out and "#4 Pressemitteilung" in out
    assert "#2 Plakat" not in out and "#5" not in out  # carla keeps #2; #5 is done
    assert "Neu zuweisen: /zuweisen 1 @…" in out

    # The records: ben is on no open task, carla keeps hers, the done task is untouched.
    assert await assignees(bot) == {2: {"carla"}, 3: {"carla"}, 5: {"ben"}}
    assert {name for _, name in await pending_task_reminders(bot)} == {"carla"}
    async with bot.app.sessions() as session:
        left = await session.scalars(
            select(ActionItemEvent.item_id).where(ActionItemEvent.kind == TaskEventKind.LEFT)
        )
        assert sorted(left) == [1, 2, 4]
    history = await bot.say("::user you", "/aufgabe 1")
    assert "Zuständig: noch niemand" in history
    assert "ben ist aus der AG ausgetreten und nicht mehr zuständig" in history

    # The coordinator's notice was written in the same transaction, and goes out privately.
    async with bot.app.sessions() as session:
        notices = list(
            await session.scalars(select(Reminder).where(Reminder.kind == ReminderKind.UNASSIGNED))
        )
        assert [(n.status, n.payload) for n in notices] == [(ReminderStatus.PENDING, "[1, 4]")]
    sent = await bot.say("::now 2026-03-25T10:20")
    notice = [m for m in messages(sent) if m.startswith("[dm:you]")]
    assert len(notice) == 1, sent
    assert "ben ist aus der AG Innenstadt ausgetreten." in notice[0]
    assert "Jetzt ohne Zuständige (2):" in notice[0]
    assert "#1 Flyer drucken" in notice[0] and "#4 Pressemitteilung" in notice[0]
    assert "#2" not in notice[0]

    # The next weekly overview lists every open task nobody is responsible for.
    digest = await bot.say("::now 2026-03-30T08:00")
    assert "📋 Wochenübersicht für you" in digest
    section = digest.split("Ohne Zuständige (2):\n", 1)[1]
    assert section.startswith("    ⚠ #1 Flyer drucken – überfällig seit Fr, 27.03.2026\n")
    assert section.split("\n")[1] == "    • #4 Pressemitteilung"


async def test_a_notice_for_tasks_assigned_meanwhile_says_nothing(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/aufgabe Flyer drucken @ben")
    out = await bot.say("::user ben", "/austreten", "::user you", "/zuweisen 1 @carla")
    assert "Jetzt ohne Zuständige (1):" in out
    sent = await bot.say("::now 2026-03-25T10:20")
    assert "ausgetreten" not in sent
    digest = await bot.say("::now 2026-03-30T08:00")
    assert "Wochenübersicht" in digest and "Ohne Zuständige" not in digest


async def test_leaving_without_tasks_says_only_that(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/aufgabe Raum buchen @carla")
    out = await bot.say("::user ben", "/austreten")
    assert out == "[ag] Sie sind aus der AG Innenstadt ausgetreten.\n"
    async with bot.app.sessions() as session:
        assert not list(
            await session.scalars(select(Reminder).where(Reminder.kind == ReminderKind.UNASSIGNED))
        )
