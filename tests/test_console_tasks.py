"""Action items in the console: create, list, close, reopen, assign, re-date, drop, notes,
who may do what, AG isolation, private lists, the coordinator's overview, the agenda's last
TOP, restarts and linked accounts.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness import ConsoleBot


async def ag(
    bot: ConsoleBot, chat: str = "ag", name: str = "AG Innenstadt", user: str = "you"
) -> None:
    """An AG in ``chat`` coordinated by ``user``, with the members ben and carla."""
    await bot.say(f"::user {user}", f"::chat {chat}", "::admin", f"/einrichten {name}", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::user carla", "/beitreten", f"::user {user}")


def numbers(out: str) -> list[int]:
    """The task numbers in a list, in the order shown."""
    return [int(n) for n in re.findall(r"^  [•⚠] #(\d+)", out, re.MULTILINE)]


# --- creating ------------------------------------------------------------------------------


async def test_a_coordinator_assigns_a_task_with_a_deadline_and_the_reply_echoes_it(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    out = await bot.say("/aufgabe Flyer drucken @ben @carla bis Freitag")
    assert out.startswith("[ag] Aufgabe #1 angelegt: Flyer drucken\n")
    assert "Zuständig: ben, carla" in out
    assert "Frist: Fr, 27.03.2026\n" in out  # a date alone: the end of that day, shown as a date
    assert "[✓ #1 erledigt: /erledigt 1]" in out

    timed = await bot.say("/aufgabe Förderantrag prüfen @carla bis 30.4. 12 Uhr")
    assert "Aufgabe #2 angelegt" in timed and "Frist: Do, 30.04.2026, 12:00 Uhr" in timed
    both = await bot.say("/aufgabe Abstimmung bis Klärung @ben bis 3.4.")
    assert "Aufgabe #3 angelegt: Abstimmung bis Klärung" in both and "Frist: Fr, 03.04.2026" in both
    unassigned = await bot.say("/aufgabe Protokoll verteilen")
    assert "Aufgabe #4 angelegt" in unassigned and "Zuständig: noch niemand" in unassigned


async def test_a_member_creates_tasks_for_themselves_only(bot: ConsoleBot) -> None:
    await ag(bot)
    out = await bot.say("::user ben", "/aufgabe Raum buchen bis morgen")
    assert "Aufgabe #1 angelegt" in out and "Zuständig: ben" in out
    assert "Frist: Do, 26.03.2026" in out
    refused = await bot.say("/aufgabe Etwas für Carla @carla")
    assert (
        "Anderen Personen Aufgaben zuweisen dürfen nur die Koordinierenden der AG Innenstadt"
        in refused
    )
    assert "Aufgabe #2" not in await bot.say("/aufgaben")


async def test_refused_tasks_change_nothing(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::user dora", "/hilfe", "::user you")  # dora writes, but never joins
    out = await bot.say("/aufgabe Bericht @dora")
    assert "dora ist kein Mitglied der AG Innenstadt" in out and "/beitreten" in out
    assert "nicht verstanden" in await bot.say("/aufgabe Bericht bis zum Blumentag")
    assert "Vergangenheit" in await bot.say("/aufgabe Bericht bis 1.3.2026")
    assert "keine Serie" in await bot.say("/aufgabe Bericht bis jeden Montag")
    assert "höchstens 1000 Zeichen" in await bot.say("/aufgabe " + "x" * 1001)
    assert "Verwendung: /aufgabe" in await bot.say("/aufgabe bis Freitag")
    joined_not = await bot.say("::user dora", "/aufgabe Etwas")
    assert (
        "Die Aufgaben der AG Innenstadt sehen und ändern nur ihre Mitglieder." in joined_not
        and "/beitreten" in joined_not
    )
    assert "Hier gibt es keine offenen Aufgaben" in await bot.say("::user you", "/aufgaben")
    # The next task gets the first number: nothing was stored by the refusals.
    assert "Aufgabe #1 angelegt" in await bot.say("/aufgabe Bericht")


async def test_tasks_are_created_in_the_ag_chat_only(bot: ConsoleBot) -> None:
    await ag(bot)
    out = await bot.say("::dm", "/aufgabe Etwas")
    assert "im Chat der AG" in out


# --- lists ---------------------------------------------------------------------------------


async def plan(bot: ConsoleBot) -> None:
    """#1 ben by Friday, #2 ben+carla by 30.4. noon, #3 nobody, #4 carla by tomorrow."""
    await ag(bot)
    await bot.say(
        "/aufgabe Flyer drucken @ben bis Freitag",
        "/aufgabe Förderantrag prüfen @ben @carla bis 30.4. 12 Uhr",
        "/aufgabe Protokoll verteilen",
        "/aufgabe Raum buchen @carla bis morgen",
    )


async def test_the_list_groups_by_person_with_overdue_items_first_and_marked(
    bot: ConsoleBot,
) -> None:
    await plan(bot)
    out = await bot.say("/aufgaben")
    assert "Offene Aufgaben der AG Innenstadt: 4, davon 0 überfällig" in out
    ben, carla, nobody = out.index("ben (2)"), out.index("carla (2)"), out.index("Noch niemand")
    assert ben < carla < nobody
    assert numbers(out) == [1, 2, 4, 2, 3]  # per person by deadline, none last
    assert "⚠" not in out

    overdue = await bot.say("::now 2026-03-28T09:00", "/aufgaben")
    assert "4, davon 2 überfällig" in overdue
    assert "⚠ #1 Flyer drucken – überfällig seit Fr, 27.03.2026" in overdue
    assert "⚠ #4 Raum buchen – überfällig seit Do, 26.03.2026" in overdue
    assert "• #2 Förderantrag prüfen – bis Do, 30.04.2026, 12:00 Uhr" in overdue
    assert "[✓ #1 erledigt: /erledigt 1]" in overdue  # a done button per listed item

    only_overdue = await bot.say("/aufgaben ueberfaellig")
    assert sorted(numbers(only_overdue)) == [1, 4]


async def test_a_date_deadline_is_overdue_only_after_that_day(bot: ConsoleBot) -> None:
    await plan(bot)
    assert "⚠" not in await bot.say("::now 2026-03-27T23:59", "/aufgaben @ben")
    assert "⚠ #1" in await bot.say("::now 2026-03-28T00:00", "/aufgaben @ben")


async def test_mine_and_one_persons_list(bot: ConsoleBot) -> None:
    await plan(bot)
    mine = await bot.say("::user carla", "/aufgaben meine")
    assert "Ihre offenen Aufgaben in der AG Innenstadt (2):" in mine
    assert numbers(mine) == [4, 2]
    bens = await bot.say("/aufgaben @ben")
    assert "Offene Aufgaben von ben in der AG Innenstadt (2):" in bens
    assert numbers(bens) == [1, 2]
    assert "Verwendung: /aufgaben" in await bot.say("/aufgaben irgendwas")


async def test_done_lists_what_was_closed_in_the_last_thirty_days(bot: ConsoleBot) -> None:
    await plan(bot)
    await bot.say("::user ben", "/erledigt 1")
    await bot.say("::now 2026-04-20T10:00", "/erledigt 2", "::user you", "/streichen 3")
    out = await bot.say("/aufgaben erledigt")
    assert "In den letzten 30 Tagen abgeschlossen, AG Innenstadt (3):" in out
    assert numbers(out) == [3, 2, 1]  # the latest first
    assert "#3 Protokoll verteilen – gestrichen Mo, 20.04.2026" in out
    later = await bot.say("::now 2026-04-30T10:00", "/aufgaben erledigt")
    assert numbers(later) == [3, 2]  # #1 was done on 25.3., more than 30 days ago
    assert numbers(await bot.say("/aufgaben")) == [4]


# --- changing ------------------------------------------------------------------------------


async def test_the_assignee_closes_reopens_redates_and_comments(bot: ConsoleBot) -> None:
    await plan(bot)
    out = await bot.say("::user ben", "/erledigt #1")
    assert "Erledigt: #1 Flyer drucken. Danke, ben!" in out
    assert "bereits erledigt" in await bot.say("/erledigt 1")
    assert "Wieder eröffnet: #1" in await bot.say("/wiedereroeffnen 1")
    assert "ist offen" in await bot.say("/wiedereroeffnen 1")
    assert "Frist Mo, 06.04.2026" in await bot.say("/frist 1 6.4.")
    assert "Frist Di, 07.04.2026" in await bot.say("/frist 1 bis 7.4.")
    assert "Frist keine" in await bot.say("/frist 2 keine")
    assert "Notiz zu #1 Flyer drucken: Druckerei angefragt" in await bot.say(
        "/notiz 1 Druckerei angefragt"
    )
    listed = await bot.say("/aufgaben @ben")
    assert "#1 Flyer drucken – bis Di, 07.04.2026" in listed
    assert "#2 Förderantrag prüfen\n" in listed  # no deadline any more


async def test_others_may_read_but_not_change_an_item(bot: ConsoleBot) -> None:
    await plan(bot)
    await bot.say("::user dora", "/beitreten")
    for command in ("/erledigt 1", "/frist 1 morgen", "/notiz 1 Hallo", "/zuweisen 1 @dora"):
        out = await bot.say(command)
        assert "dürfen nur die Zuständigen" in out, command
    assert "Zuständig: ben" in await bot.say("/aufgabe #1")  # reading is fine
    assert "Das dürfen nur die Koordinierenden der AG Innenstadt." in await bot.say(
        "::user ben", "/streichen 1"
    )
    assert "Das dürfen nur die Koordinierenden" in await bot.say("/streichen 1")
    assert "⚠" not in await bot.say("/aufgabe #1") and "offen" in await bot.say("/aufgabe 1")


async def test_the_creator_may_change_what_they_created(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::user ben", "/aufgabe Raum buchen")
    out = await bot.say("/zuweisen 1 @carla")
    assert "Zuständig: carla" in out  # members pass their own tasks on
    assert "Notiz zu #1" in await bot.say("/notiz 1 Carla übernimmt")
    assert "Erledigt: #1" in await bot.say("/erledigt 1")


async def test_only_coordinators_drop_and_reopen_dropped_items(bot: ConsoleBot) -> None:
    await plan(bot)
    out = await bot.say("/streichen 1")
    assert "Gestrichen: #1 Flyer drucken" in out and "/wiedereroeffnen 1" in out
    assert "abgeschlossen" in await bot.say("/streichen 1")
    assert "wurde gestrichen" in await bot.say("::user ben", "/erledigt 1")
    assert "Eine gestrichene Aufgabe dürfen nur die Koordinierenden" in await bot.say(
        "/wiedereroeffnen 1"
    )
    assert "Wieder eröffnet" in await bot.say("::user you", "/wiedereroeffnen 1")


async def test_a_coordinator_reassigns_and_the_history_tells_everything(bot: ConsoleBot) -> None:
    await plan(bot)
    await bot.say("/zuweisen 3 @carla @ben", "::now 2026-03-26T08:00", "/frist 3 2.4. 9 Uhr")
    await bot.say("::user carla", "/notiz 3 Entwurf liegt vor", "::now 2026-03-27T16:30")
    await bot.say("/erledigt 3 an alle verteilt")  # the rest of the line is a note
    out = await bot.say("/aufgabe #3")
    assert "Aufgabe #3 (AG Innenstadt): Protokoll verteilen" in out
    assert "Status: erledigt · Frist: Do, 02.04.2026, 09:00 Uhr" in out
    assert "Zuständig: ben, carla" in out
    history = out[out.index("Verlauf:") :].splitlines()[1:]
    assert history == [
        "  • Mi, 25.03.2026, 10:15 Uhr – angelegt von you",
        "  • Mi, 25.03.2026, 10:15 Uhr – zugewiesen an carla, ben von you",
        "  • Do, 26.03.2026, 08:00 Uhr – Frist Do, 02.04.2026, 09:00 Uhr, gesetzt von you",
        "  • Do, 26.03.2026, 08:00 Uhr – Notiz von carla: Entwurf liegt vor",
        "  • Fr, 27.03.2026, 16:30 Uhr – erledigt von carla",
        "  • Fr, 27.03.2026, 16:30 Uhr – Notiz von carla: an alle verteilt",
    ]
    assert "[✓" not in out  # no done button on a closed item


async def test_bad_numbers_and_arguments_get_the_usage(bot: ConsoleBot) -> None:
    await plan(bot)
    assert "Verwendung: /erledigt #N" in await bot.say("/erledigt")
    assert "Verwendung: /erledigt #N" in await bot.say("/erledigt eins")
    assert "keine Aufgabe #99" in await bot.say("/erledigt 99")
    # Beyond what an id column holds: not found, not a database error.
    assert "keine Aufgabe #999999999999" in await bot.say("/aufgabe #999999999999")
    assert "Verwendung: /zuweisen" in await bot.say("/zuweisen 1")
    assert "Verwendung: /frist" in await bot.say("/frist 1")
    assert "nicht verstanden" in await bot.say("/frist 1 irgendwann")
    assert "Verwendung: /notiz" in await bot.say("/notiz 1")


async def test_english_aliases_and_texts(bot: ConsoleBot) -> None:
    await plan(bot)
    await bot.say("/sprache en")
    out = await bot.say("/task Book the hall @ben by 3.4.")
    assert "Task #5 created: Book the hall" in out and "Deadline: Fri, 03.04.2026" in out
    mine = await bot.say("::user ben", "/tasks mine")
    assert "Your open tasks in AG Innenstadt (3):" in mine
    assert "Done: #5" in await bot.say("/done 5")
    assert "Reopened: #5" in await bot.say("/reopen 5")
    assert "deadline Mon, 06.04.2026" in await bot.say("/due 5 6.4.")
    assert "Note on #5" in await bot.say("/note 5 Booked")
    assert "Responsible: carla" in await bot.say("::user you", "/assign 5 @carla")
    assert "Dropped: #5" in await bot.say("/drop 5")
    assert "#5 Book the hall – dropped" in await bot.say("/tasks done")
    assert "Overdue tasks in AG Innenstadt (2):" in await bot.say(
        "::now 2026-03-28T09:00", "/tasks overdue"
    )


# --- isolation and private chats -----------------------------------------------------------


async def test_an_ags_items_stay_in_that_ag(bot: ConsoleBot) -> None:
    await plan(bot)
    await ag(bot, "ag-verkehr", "AG Verkehr", user="dora")
    other = await bot.say("::user dora", "::chat ag-verkehr", "/aufgaben")
    assert "Hier gibt es keine offenen Aufgaben" in other and "Flyer" not in other
    assert "keine Aufgabe #1" in await bot.say("/aufgabe #1")
    assert "keine Aufgabe #1" in await bot.say("/erledigt 1")
    assert "keine Aufgabe #1" in await bot.say("::dm", "/aufgabe #1")
    assert "keine Aufgabe #1" in await bot.say("/erledigt 1")
    assert "⚠" not in await bot.say("::user ben", "::chat ag", "/aufgabe 1")  # still open
    assert "offen" in await bot.say("/aufgabe 1")


async def test_in_a_private_chat_a_person_sees_their_items_of_every_ag(bot: ConsoleBot) -> None:
    await plan(bot)
    await ag(bot, "ag-verkehr", "AG Verkehr", user="dora")
    await bot.say("/aufgabe Ampel prüfen @ben bis 1.4.")  # dora assigns ben in AG Verkehr
    out = await bot.say("::user ben", "::dm", "/aufgaben")
    assert "Ihre offenen Aufgaben (3, davon 0 überfällig):" in out
    assert "#1 Flyer drucken [AG Innenstadt]" in out and "#5 Ampel prüfen [AG Verkehr]" in out
    assert numbers(out) == [1, 5, 2]
    assert "Erledigt: #5" in await bot.say("/erledigt 5")  # privately, as the assignee
    assert numbers(await bot.say("/aufgaben erledigt")) == [5]
    assert "Aufgabe #2 (AG Innenstadt)" in await bot.say("/aufgabe #2")
    assert "im Chat ihrer AG" in await bot.say("/aufgaben @carla")


async def test_the_coordinators_overview_counts_per_ag_and_person(bot: ConsoleBot) -> None:
    await plan(bot)
    await ag(bot, "ag-verkehr", "AG Verkehr")
    await bot.say("::chat ag-verkehr", "/aufgabe Ampel prüfen @ben bis 1.4.")
    out = await bot.say("::now 2026-04-02T10:00", "::dm", "/aufgaben alle")
    assert "Übersicht Ihrer AGs: 5 offene Aufgaben, davon 3 überfällig" in out
    innenstadt, verkehr = out.index("AG Innenstadt"), out.index("AG Verkehr")
    assert innenstadt < verkehr
    block = out[innenstadt:verkehr]
    assert "ben: 2 offen, 1 überfällig" in block
    assert "carla: 2 offen, 1 überfällig" in block
    assert "Noch niemand zuständig: 1 offen, 0 überfällig" in block
    assert "⚠ #1 Flyer drucken" in block and "⚠ #4 Raum buchen" in block
    assert "ben: 1 offen, 1 überfällig" in out[verkehr:] and "⚠ #5 Ampel" in out[verkehr:]

    refused = await bot.say("::user ben", "/aufgaben alle")
    assert "Sie koordinieren keine AG" in refused
    admin = await bot.say("::user root", "/aufgaben alle")
    assert "5 offene Aufgaben" in admin


# --- meetings, restarts, linked accounts ---------------------------------------------------


async def test_the_agenda_ends_with_the_open_tasks(bot: ConsoleBot) -> None:
    await plan(bot)
    await bot.say("/tagesordnung 1 + Haushalt")  # no meeting yet: refused, nothing happens
    invitation = await bot.say("::now 2026-03-28T09:00", "/termin Jour fixe | 2.4. 14 Uhr")
    assert "TOP 1: Offene Aufgaben (4, davon 2 überfällig)" in invitation
    await bot.say("/tagesordnung 1 + Haushalt 2027")
    agenda = await bot.say("/tagesordnung 1")
    lines = agenda.splitlines()
    assert lines[1] == "  TOP 1: Haushalt 2027"
    assert lines[2] == "  TOP 2: Offene Aufgaben (4, davon 2 überfällig)"
    assert lines[3].startswith("    ⚠ #4 Raum buchen") and lines[4].startswith("    ⚠ #1 Flyer")
    # Due after the meeting (#2) or without a deadline (#3): counted, not listed.
    assert "#2 Förderantrag" not in agenda and "#3 Protokoll" not in agenda
    assert lines[5] == "    … und 2 weitere: /aufgaben"


async def test_items_survive_a_restart(database_url: str, tmp_path: Path) -> None:
    admins = frozenset({"console:root"})
    first = await ConsoleBot.start(database_url, tmp_path / "files", admins=admins)
    try:
        await plan(first)
        await first.say("::user ben", "/erledigt 1", "/notiz 2 läuft")
    finally:
        await first.close()
    second = await ConsoleBot.start(database_url, tmp_path / "files", admins=admins)
    try:
        out = await second.say("::user ben", "::chat ag", "/aufgaben")
        assert numbers(out) == [2, 4, 2, 3]  # ben: #2; carla: #4, #2; nobody: #3
        assert "Notiz von ben: läuft" in await second.say("/aufgabe #2")
        assert "Aufgabe #5 angelegt" in await second.say("/aufgabe Neu")
    finally:
        await second.close()


async def test_linked_accounts_see_the_items_of_both(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::user ben-matrix", "::chat ag", "/beitreten")
    await bot.say("::user you", "/aufgabe Flyer @ben", "/aufgabe Plakat @ben-matrix")
    await bot.say("/aufgabe Beides @ben @ben-matrix")
    out = await bot.say("::user ben", "::dm", "/verknuepfen")
    code = re.search(r"/verknuepfen ([A-Z0-9]{8})\b", out)
    assert code is not None
    assert "sind jetzt eine Person" in await bot.say(
        "::user ben-matrix", "::dm", f"/verknuepfen {code[1]}", "/ja"
    )
    for account in ("ben", "ben-matrix"):
        mine = await bot.say(f"::user {account}", "::dm", "/aufgaben")
        assert sorted(numbers(mine)) == [1, 2, 3], account  # #3 once, not twice
    listed = await bot.say("::chat ag", "/aufgaben")
    assert listed.count("#3 Beides") == 1
    assert "Zuständig: ben\n" in await bot.say("/aufgabe #3")
