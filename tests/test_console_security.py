"""The holes an attacker tried, closed: taking an AG over with /einrichten, changing another
AG's reminders, being linked into someone else's account, and input that breaks a database.

Every refusal is checked by what it left in the database or in the chat, not only by
its wording.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from storage import groups, people
from storage.models import ActionItem, ChatBinding, Reminder, ReminderStatus
from tests.harness import ConsoleBot, setup_code

ERROR_ID = re.compile(r"(Fehlernummer|error id): [0-9a-f]{8}")


async def _alpha(bot: ConsoleBot) -> None:
    """AG Alpha in chat ag-a: anna coordinates, bea is a member, one task of anna's."""
    await bot.say("::user anna", "::chat ag-a", "::admin", "/einrichten AG Alpha", "::noadmin")
    await bot.say("::user bea", "/beitreten")
    await bot.say("::user anna", "/aufgabe Haushalt prüfen @anna bis 30.4.")


async def _bindings(bot: ConsoleBot) -> dict[str, str]:
    """Chat id -> name of its AG."""
    async with bot.app.sessions() as session:
        rows = await session.execute(select(ChatBinding.chat_id, ChatBinding.group_id))
        names = {g.id: g.name for g in await groups.all_groups(session)}
        return {chat: names[group] for chat, group in rows}


# --- /einrichten: no takeover --------------------------------------------------------------


async def test_a_chat_admin_cannot_bind_a_chat_to_an_ag_that_exists(bot: ConsoleBot) -> None:
    await _alpha(bot)
    out = await bot.say("::user mallory", "::chat boese", "::admin", "/einrichten AG Alpha")
    assert "Nur ihre Koordinierenden" in out or "nur ihre Koordinierenden" in out
    assert "Noch wurde nichts geändert" in out
    assert "boese" not in await _bindings(bot)
    # From the unbound chat nothing of the AG can be read or changed.
    out = await bot.say(
        "/aufgaben", "/erledigt 1", "/stunden export", "/rolle @mallory koordination"
    )
    assert "Haushalt" not in out
    async with bot.app.sessions() as session:
        item = await session.get(ActionItem, 1)
        assert item is not None and item.closed_at is None
        mallory = await people.find_by_account(session, "console", "mallory")
        assert mallory is not None
        assert await groups.groups_of_person(session, mallory.id) == []


async def test_a_coordinator_confirms_the_code_in_the_ags_chat(bot: ConsoleBot) -> None:
    await _alpha(bot)
    out = await bot.say("::user carl", "::chat ag-a-2", "::admin", "/einrichten AG Alpha")
    code = setup_code(out)
    # A member of the AG cannot confirm, and neither can a chat of another AG.
    assert "dürfen nur die Koordinierenden der AG Alpha" in await bot.say(
        "::user bea", "::chat ag-a", f"/einrichten bestaetigen {code}"
    )
    await bot.say("::user zoe", "::chat ag-z", "::admin", "/einrichten AG Zeta")
    out = await bot.say(f"/einrichten bestaetigen {code}")
    assert "unbekannt" in out
    assert "ag-a-2" not in await _bindings(bot)
    out = await bot.say("::user anna", "::chat ag-a", f"/einrichten bestaetigen {code}")
    assert "[ag-a] Der Chat ag-a-2 gehört jetzt zur AG Alpha." in out
    assert "[ag-a-2] anna hat bestätigt: Dieser Chat gehört jetzt zur AG Alpha." in out
    assert (await _bindings(bot))["ag-a-2"] == "AG Alpha"
    # The code works once.
    assert "unbekannt" in await bot.say(f"/einrichten bestaetigen {code}")


async def test_the_code_expires_after_a_day(bot: ConsoleBot) -> None:
    await _alpha(bot)
    code = setup_code(await bot.say("::user carl", "::chat ag-a-2", "::admin", "/setup AG Alpha"))
    await bot.say("::now 2026-03-26T10:16")
    out = await bot.say("::user anna", "::chat ag-a", f"/setup confirm {code}")
    assert "abgelaufen" in out
    assert "ag-a-2" not in await _bindings(bot)


async def test_a_coordinator_or_global_admin_binds_a_chat_directly(bot: ConsoleBot) -> None:
    await _alpha(bot)
    out = await bot.say("::user anna", "::chat ag-a-2", "::admin", "/einrichten AG Alpha")
    assert "Dieser Chat gehört jetzt zu" in out
    out = await bot.say("::user root", "::chat ag-a-3", "/einrichten AG Alpha")
    assert "Dieser Chat gehört jetzt zu" in out
    bindings = await _bindings(bot)
    assert bindings["ag-a-2"] == bindings["ag-a-3"] == "AG Alpha"


async def test_moving_a_chat_into_an_existing_ag_needs_that_ags_coordinators(
    bot: ConsoleBot,
) -> None:
    await _alpha(bot)
    await bot.say("::user mallory", "::chat boese", "::admin", "/einrichten AG Boese")
    out = await bot.say("/einrichten AG Alpha", "/ja")
    assert "Noch wurde nichts geändert" in out
    assert (await _bindings(bot))["boese"] == "AG Boese"


# --- reminders of another AG ---------------------------------------------------------------


async def test_a_coordinator_of_another_ag_cannot_delete_or_snooze_its_reminders(
    bot: ConsoleBot,
) -> None:
    await _alpha(bot)
    out = await bot.say("::user anna", "::chat ag-a", "/erinnere hier morgen 9 Uhr; Raum buchen")
    number = re.search(r"#(\d+)", out)
    assert number
    await bot.say("::user cora", "::chat ag-b", "::admin", "/einrichten AG Beta")
    out = await bot.say(f"/erinnerung loeschen #{number[1]}", f"/schlummern #{number[1]} 1h")
    assert out.count("gehört nicht Ihnen") == 2
    out = await bot.say("::user adam", "::chat elsewhere", "::admin", f"/schlummern #{number[1]}")
    assert "gehört nicht Ihnen" in out
    async with bot.app.sessions() as session:
        rows = list(await session.scalars(select(Reminder).where(Reminder.text == "Raum buchen")))
    assert [row.status for row in rows] == [ReminderStatus.PENDING]
    # Its own coordinator still may, from the AG's chat.
    out = await bot.say("::user anna", "::chat ag-a", f"/erinnerung loeschen #{number[1]}")
    assert "gelöscht" in out


# --- linking accounts ----------------------------------------------------------------------


async def test_redeeming_a_code_names_the_owner_and_waits_for_yes(bot: ConsoleBot) -> None:
    await _alpha(bot)
    out = await bot.say("::user anna", "::dm", "/verknuepfen")
    code = re.search(r"/verknuepfen ([A-Z0-9]{8})", out)
    assert code
    out = await bot.say("::user bea", "::dm", f"/verknuepfen {code[1]}")
    assert "Teil von anna (Konsole @anna)" in out
    assert "/ja" in out
    async with bot.app.sessions() as session:
        bea = await people.find_by_account(session, "console", "bea")
        anna = await people.find_by_account(session, "console", "anna")
        assert bea is not None and anna is not None and bea.id != anna.id
    out = await bot.say("/nein")
    assert "nichts geändert" in out
    async with bot.app.sessions() as session:
        still = await people.find_by_account(session, "console", "bea")
        assert still is not None and still.id == bea.id
    # The code is used up: a tricked user cannot be asked again with it.
    assert "unbekannt" in await bot.say(f"/verknuepfen {code[1]}")


async def test_global_admin_rights_count_for_every_linked_account(bot: ConsoleBot) -> None:
    out = await bot.say("::user root", "::dm", "/verknuepfen")
    code = re.search(r"/verknuepfen ([A-Z0-9]{8})", out)
    assert code
    await bot.say("::user root-matrix", "::dm", f"/verknuepfen {code[1]}", "/ja")
    out = await bot.say("::chat neu", "/einrichten AG Neu")
    assert "AG Neu" in out and "angelegt" in out


# --- input hygiene -------------------------------------------------------------------------


async def test_control_characters_are_removed_and_text_is_nfc(bot: ConsoleBot) -> None:
    await _alpha(bot)
    out = await bot.say("::user anna", "::chat ag-a", "/aufgabe a\x00b\x07c Mu\u0308ll")
    assert not ERROR_ID.search(out)
    async with bot.app.sessions() as session:
        texts = set(await session.scalars(select(ActionItem.text)))
    assert "abc Müll" in texts


async def test_huge_numbers_are_refused_without_an_error_id(bot: ConsoleBot) -> None:
    await _alpha(bot)
    huge = "99999999999999999999"
    lines = [
        f"/mitglieder {huge}",
        f"/aufgabe #{huge}",
        f"/erledigt {huge}",
        f"/termin verschieben #{huge} morgen 10 Uhr",
        f"/tagesordnung 1 - {huge}",
        f"/stunden #{huge}",
        f"/schlummern #{huge}",
        f"/erinnerung loeschen #{huge}",
        f"/protokoll korrektur #1 {huge} x",
        f"/projekt Pilot budget {huge}",
        f"/stunden {huge}",
    ]
    for line in lines:
        out = await bot.say("::user anna", "::chat ag-a", line)
        assert out.startswith("[ag-a] "), (line, out)
        assert not ERROR_ID.search(out), (line, out)
