"""Console scenarios for working groups: /einrichten, /ag, /beitreten, /austreten,
/mitglieder, /rolle, confirmations, AG isolation and restart persistence.

Most scenarios switch the AG to English right after setting it up (``/sprache en``)
so that assertions can use the English message ids, which are stable; German
wording is checked in tests/test_console_language_and_linking.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.harness import ConsoleBot, setup_code

WF = "AG Wirtschaftsförderung"
VERKEHR = "AG Verkehr"


async def found_ag(
    bot: ConsoleBot, name: str = WF, chat: str = "ag-wf", *, user: str = "you", english: bool = True
) -> str:
    """``user`` binds ``chat`` to a new AG as chat admin; returns what the bot said."""
    out = await bot.say(f"::user {user}", f"::chat {chat}", "::admin", f"/einrichten {name}")
    await bot.say("::noadmin")
    if english:
        await bot.say("/sprache en")
    return out


async def join(bot: ConsoleBot, chat: str, *users: str) -> None:
    for user in users:
        await bot.say(f"::user {user}", f"::chat {chat}", "/beitreten")


async def roles(bot: ConsoleBot, chat: str = "ag-wf") -> dict[str, str]:
    """Name -> role as /mitglieder shows them in ``chat``."""
    out = await bot.say(f"::chat {chat}", "/mitglieder")
    return dict(re.findall(r"• (\S+) – (\S+)", out))


# --- /einrichten ------------------------------------------------------------


async def test_chat_admin_sets_up_ag_and_becomes_its_coordinator(bot: ConsoleBot) -> None:
    out = await bot.say("::chat ag-wf", "::admin", f"/einrichten {WF}")
    assert out.startswith("[ag-wf] ")
    assert WF in out
    assert "/beitreten" in out
    await bot.say("::noadmin", "/sprache en")
    assert await roles(bot) == {"you": "coordinator"}


async def test_global_admin_sets_up_ag_without_being_chat_admin(bot: ConsoleBot) -> None:
    out = await bot.say("::user root", "::chat ag-root", f"/einrichten {WF}")
    assert WF in out
    await bot.say("/sprache en")
    assert await roles(bot, "ag-root") == {"root": "coordinator"}


async def test_setup_without_chat_admin_rights_creates_nothing(bot: ConsoleBot) -> None:
    out = await bot.say("::chat ag-wf", f"/einrichten {WF}")
    assert "/einrichten" in out
    # If the refused attempt had created the AG, "you" would be its coordinator now.
    await found_ag(bot, user="carl")
    assert await roles(bot) == {"carl": "coordinator"}


async def test_setup_refuses_in_a_private_chat(bot: ConsoleBot) -> None:
    out = await bot.say("::user root", f"/einrichten {WF}")
    assert out.startswith("[dm:root] ")
    assert "/einrichten" in out
    out = await bot.say("/ag")
    assert WF not in out


async def test_setup_without_name_shows_usage(bot: ConsoleBot) -> None:
    await found_ag(bot)
    out = await bot.say("::admin", "/setup")
    assert "Usage: /setup <name>" in out


async def test_setup_refuses_an_overlong_name(bot: ConsoleBot) -> None:
    out = await bot.say("::chat ag-wf", "::admin", "/einrichten " + "x" * 101)
    assert "100" in out
    out = await bot.say("::dm", "/ag")
    assert "x" * 100 not in out


async def test_setup_of_the_same_ag_again_changes_nothing(bot: ConsoleBot) -> None:
    await found_ag(bot)
    out = await bot.say("::admin", f"/setup {WF}")
    assert f"This chat already belongs to {WF}." in out
    assert await roles(bot) == {"you": "coordinator"}


async def test_one_ag_is_bound_to_several_chats(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    # Another admin asks to bind a second chat; the AG name is matched regardless of case
    # and spaces. A coordinator of the AG confirms the code in the AG's chat.
    out = await bot.say(
        "::user carl", "::chat ag-wf-2", "::admin", "/setup ag   WIRTSCHAFTSFÖRDERUNG"
    )
    assert WF in out
    confirmed = await bot.say("::user you", "::chat ag-wf", f"/setup confirm {setup_code(out)}")
    assert f"[ag-wf-2] you confirmed it: this chat now belongs to {WF}." in confirmed
    out = await bot.say("::user carl", "::chat ag-wf-2", "/group")
    assert "Chats: console: ag-wf; console: ag-wf-2" in out
    assert "2 members" in out
    # Binding a chat does not make the admin a member.
    assert await roles(bot, "ag-wf-2") == {"you": "coordinator", "ben": "member"}
    out = await bot.say("::user ben", "/join")
    assert f"You are already a member of {WF}." in out


async def test_rebinding_asks_first_and_changes_nothing_without_an_answer(bot: ConsoleBot) -> None:
    await found_ag(bot)
    out = await bot.say("::admin", f"/setup {VERKEHR}")
    assert f"This chat belongs to {WF}. Move it to {VERKEHR}?" in out
    assert "/confirm" in out and "/abort" in out
    out = await bot.say("/group")
    assert WF in out and VERKEHR not in out
    out = await bot.say("::dm", "/ag")
    assert WF in out and VERKEHR not in out


async def test_no_cancels_rebinding(bot: ConsoleBot) -> None:
    await found_ag(bot)
    out = await bot.say("::admin", f"/setup {VERKEHR}", "/nein")
    assert "Cancelled. Nothing was changed." in out
    out = await bot.say("/ja")
    assert "There is nothing to confirm." in out
    out = await bot.say("/group")
    assert WF in out and VERKEHR not in out


async def test_yes_performs_rebinding(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    out = await bot.say("::user you", "::admin", f"/setup {VERKEHR}", "/ja")
    assert VERKEHR in out
    out = await bot.say("/group")
    assert VERKEHR in out and WF not in out
    assert await roles(bot) == {"you": "coordinator"}
    # The old AG keeps its members; it just has no chat here any more.
    out = await bot.say("::user ben", "::dm", "/ag")
    assert WF in out and VERKEHR not in out


async def test_only_the_person_asked_can_confirm(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await bot.say("::admin", f"/setup {VERKEHR}")
    out = await bot.say("::user ben", "::admin", "/confirm")
    assert "There is nothing to confirm." in out
    out = await bot.say("/group")
    assert WF in out and VERKEHR not in out


async def test_confirmation_checks_the_rights_again(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await bot.say("::admin", f"/setup {VERKEHR}", "::noadmin")
    out = await bot.say("/confirm")
    assert "Only chat admins may use /setup." in out
    out = await bot.say("/group")
    assert WF in out and VERKEHR not in out


async def test_confirmation_expires_after_five_minutes(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await bot.say("::admin", f"/setup {VERKEHR}", "::now 2026-03-25T10:21")
    out = await bot.say("/confirm")
    assert "There is nothing to confirm." in out
    out = await bot.say("/group")
    assert WF in out and VERKEHR not in out


# --- /ag ----------------------------------------------------------------------


async def test_group_shows_name_chats_members_coordinators_and_settings(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    out = await bot.say("/ag")
    assert out.startswith(f"[ag-wf] {WF}\n")
    assert "Chats: console: ag-wf" in out
    assert "2 members" in out
    assert "Coordinators: you" in out
    assert "language English" in out and "Europe/Berlin" in out


async def test_group_in_a_private_chat_lists_only_own_ags(bot: ConsoleBot) -> None:
    await found_ag(bot, WF, "ag-wf")
    await found_ag(bot, VERKEHR, "ag-verkehr", user="carl")
    await join(bot, "ag-wf", "ben")
    await join(bot, "ag-verkehr", "ben")
    out = await bot.say("::user ben", "::dm", "/sprache en", "/group")
    assert f"• {WF} (member)" in out
    assert f"• {VERKEHR} (member)" in out
    out = await bot.say("::user you", "::dm", "/ag")
    assert WF in out and VERKEHR not in out
    out = await bot.say("::user dora", "::dm", "/ag")
    assert WF not in out and VERKEHR not in out


# --- /beitreten, /austreten, /mitglieder -------------------------------------------


async def test_join_and_members(bot: ConsoleBot) -> None:
    await found_ag(bot)
    out = await bot.say("::user ben", "/beitreten")
    assert f"Welcome to {WF}, ben!" in out
    out = await bot.say("/mitglieder")
    assert f"Members of {WF} (2):" in out
    assert await roles(bot) == {"you": "coordinator", "ben": "member"}


async def test_joining_twice_keeps_one_membership(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    out = await bot.say("::user ben", "/join")
    assert f"You are already a member of {WF}." in out
    out = await bot.say("/members")
    assert f"Members of {WF} (2):" in out


async def test_join_in_a_chat_without_ag_is_refused(bot: ConsoleBot) -> None:
    out = await bot.say("::user ben", "::chat lobby", "/beitreten")
    assert out.startswith("[lobby] ")
    # Once the chat gets an AG, ben is not in it: the refused join left nothing behind.
    await found_ag(bot, chat="lobby")
    assert await roles(bot, "lobby") == {"you": "coordinator"}


async def test_member_leaves(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    out = await bot.say("::user ben", "/austreten")
    assert f"You have left {WF}." in out
    assert await roles(bot) == {"you": "coordinator"}
    out = await bot.say("::dm", "/ag")
    assert WF not in out


async def test_leaving_without_membership_is_refused(bot: ConsoleBot) -> None:
    await found_ag(bot)
    out = await bot.say("::user ben", "/leave")
    assert f"You are not a member of {WF}." in out


async def test_last_coordinator_cannot_leave_while_members_remain(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    out = await bot.say("::user you", "/leave")
    assert f"{WF} needs at least one coordinator" in out
    assert "/role" in out
    assert await roles(bot) == {"you": "coordinator", "ben": "member"}
    await bot.say("/role @ben coordinator")
    out = await bot.say("/leave")
    assert f"You have left {WF}." in out
    assert await roles(bot) == {"ben": "coordinator"}


async def test_last_member_may_leave(bot: ConsoleBot) -> None:
    await found_ag(bot)
    out = await bot.say("/leave", "/members")
    assert f"Members of {WF} (0):" in out
    assert "/join" in out


# --- /rolle -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "directives"),
    [
        pytest.param("you", [], id="coordinator"),
        pytest.param("dora", ["::admin"], id="chat-admin"),
        pytest.param("root", [], id="global-admin"),
    ],
)
async def test_role_may_be_given_by(bot: ConsoleBot, user: str, directives: list[str]) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    out = await bot.say(f"::user {user}", "::chat ag-wf", *directives, "/role @ben coordinator")
    assert f"ben now is coordinator in {WF}." in out
    assert await roles(bot) == {"you": "coordinator", "ben": "coordinator"}
    out = await bot.say("/rolle @ben mitglied")
    assert f"ben now is member in {WF}." in out
    assert await roles(bot) == {"you": "coordinator", "ben": "member"}


async def test_member_may_not_give_roles(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben", "carl")
    out = await bot.say("::user ben", "/role @carl coordinator")
    assert f"Only the coordinators of {WF} may use /role." in out
    out = await bot.say("/role @ben coordinator")
    assert f"Only the coordinators of {WF} may use /role." in out
    assert await roles(bot) == {"you": "coordinator", "ben": "member", "carl": "member"}


async def test_role_words_are_german_or_english_and_mentions_ignore_case(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    await bot.say("::user you", "/rolle @BEN Koordination")
    assert await roles(bot) == {"you": "coordinator", "ben": "coordinator"}
    await bot.say("/role @Ben member")
    assert await roles(bot) == {"you": "coordinator", "ben": "member"}


async def test_role_for_an_unknown_mention_is_refused(bot: ConsoleBot) -> None:
    await found_ag(bot)
    out = await bot.say("/role @zed coordinator")
    assert "I do not know @zed." in out
    assert await roles(bot) == {"you": "coordinator"}


async def test_role_for_a_non_member_is_refused_with_a_hint_to_join(bot: ConsoleBot) -> None:
    await found_ag(bot, english=False)
    await bot.say("::user zed", "::chat elsewhere", "/hilfe")
    out = await bot.say("::user you", "::chat ag-wf", "/rolle @zed koordination")
    assert "zed" in out
    assert "/beitreten" in out
    await bot.say("/sprache en")
    assert await roles(bot) == {"you": "coordinator"}


async def test_role_with_wrong_arguments_shows_usage(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    for line in ("/role @ben boss", "/role coordinator", "/role @ben", "/role @ben @you member"):
        out = await bot.say("::user you", line)
        assert "Usage: /role @person coordinator|member" in out, line
    assert await roles(bot) == {"you": "coordinator", "ben": "member"}


async def test_last_coordinator_cannot_be_demoted_while_members_remain(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    out = await bot.say("::user root", "::chat ag-wf", "/role @you member")
    assert f"{WF} needs at least one coordinator" in out
    assert await roles(bot) == {"you": "coordinator", "ben": "member"}


async def test_sole_coordinator_cannot_demote_themselves(bot: ConsoleBot) -> None:
    # "/hilfe rolle": "An AG always keeps at least one coordinator." That holds for an
    # AG whose only member is its coordinator, too.
    await found_ag(bot)
    out = await bot.say("/role @you member")
    assert f"{WF} needs at least one coordinator" in out
    assert await roles(bot) == {"you": "coordinator"}


# --- AG isolation -------------------------------------------------------------


async def test_a_chat_never_shows_another_ags_data(bot: ConsoleBot) -> None:
    await found_ag(bot, WF, "ag-wf")
    await join(bot, "ag-wf", "ben")
    await found_ag(bot, VERKEHR, "ag-verkehr", user="carl")
    await join(bot, "ag-verkehr", "dora")

    out = await bot.say("::user ben", "::chat ag-wf", "/members", "/group", "/help")
    assert WF in out
    for foreign in ("Verkehr", "ag-verkehr", "carl", "dora"):
        assert foreign not in out
    out = await bot.say("::user dora", "::chat ag-verkehr", "/members", "/group", "/help")
    assert VERKEHR in out
    for foreign in ("Wirtschaft", "ag-wf", "ben", "• you"):
        assert foreign not in out


async def test_coordinator_of_one_ag_has_no_rights_in_another(bot: ConsoleBot) -> None:
    await found_ag(bot, WF, "ag-wf")
    await join(bot, "ag-wf", "ben")
    await found_ag(bot, VERKEHR, "ag-verkehr", user="carl")
    await join(bot, "ag-verkehr", "dora")

    out = await bot.say("::user carl", "::chat ag-wf", "/role @ben coordinator")
    assert f"Only the coordinators of {WF} may use /role." in out
    out = await bot.say("::user you", "::chat ag-wf", "/role @dora coordinator")
    assert f"dora is not a member of {WF}." in out
    out = await bot.say("/role @carl member")
    assert f"carl is not a member of {WF}." in out
    assert await roles(bot, "ag-wf") == {"you": "coordinator", "ben": "member"}
    assert await roles(bot, "ag-verkehr") == {"carl": "coordinator", "dora": "member"}


# --- restart persistence -----------------------------------------------------------


async def test_a_restarted_bot_sees_the_same_ags_and_members(
    database_url: str, tmp_path: Path
) -> None:
    admins = frozenset({"console:root"})
    first = await ConsoleBot.start(database_url, tmp_path / "files", admins=admins)
    try:
        await found_ag(first, WF, "ag-wf")
        await found_ag(first, VERKEHR, "ag-verkehr", user="carl")
        await join(first, "ag-wf", "ben", "clara")
        await first.say("::user you", "::chat ag-wf", "/role @ben coordinator")
    finally:
        await first.close()

    second = await ConsoleBot.start(database_url, tmp_path / "files", admins=admins)
    try:
        out = await second.say("::chat ag-wf", "/members")
        # English: the AG's language setting survived the restart, too.
        assert f"Members of {WF} (3):" in out
        assert await roles(second) == {
            "ben": "coordinator",
            "you": "coordinator",
            "clara": "member",
        }
        assert await roles(second, "ag-verkehr") == {"carl": "coordinator"}
        out = await second.say("::user clara", "::dm", "/ag")
        assert WF in out and VERKEHR not in out
    finally:
        await second.close()


async def test_long_member_lists_come_in_pages_of_fifty(bot: ConsoleBot) -> None:
    await bot.say("::chat gross", "::admin", "/einrichten AG Groß")
    lines: list[str] = []
    for number in range(1, 120):
        lines += [f"::user m{number:03d}", "/beitreten"]
    await bot.say(*lines)

    first = await bot.say("::user you", "/mitglieder")
    assert "(120)" in first.splitlines()[0]
    assert first.count("• ") == 50
    assert "• you – Koordination" in first  # German wording: coordinators come first
    assert "Seite 1 von 3" in first and "/mitglieder 2" in first  # German wording

    last = await bot.say("/mitglieder 3")
    assert last.count("• ") == 20
    assert "m119" in last and "m001" not in last

    assert "Die Mitgliederliste der AG Groß endet mit Seite 3." in await bot.say(
        "/mitglieder 4"
    )  # German wording
    assert "Verwendung: /mitglieder [Seite]" in await bot.say("/mitglieder zwei")


# --- /einstellungen bundesland ----------------------------------------------


async def test_the_state_sets_whose_public_holidays_apply(bot: ConsoleBot) -> None:
    await found_ag(bot, english=False)
    assert "Bundesland Thüringen (Standard)" in await bot.say("/ag")
    # Reformationstag is a public holiday in Thüringen, Fronleichnam is not.
    assert "Reformationstag" in await bot.say("/termin Sitzung | 31.10. 10 Uhr")
    assert "Fronleichnam" not in await bot.say("/termin Sitzung | 4.6. 10 Uhr")

    out = await bot.say("/einstellungen bundesland BY")
    assert "Feiertage von: Bayern" in out
    overview = await bot.say("/ag")
    assert "Einstellungen: Sprache Deutsch, Zeitzone Europe/Berlin, Bundesland Bayern," in overview
    assert "ein Tagewerk (TW) = 8 Stunden" in overview
    assert "Fronleichnam, gesetzlicher Feiertag" in await bot.say(
        "/termin Sitzung | 4.6.2026 14 Uhr"
    )
    assert "Reformationstag" not in await bot.say("/termin Sitzung | 30.10.2026 10 Uhr")
    # The German name and the ISO form work too.
    assert "Feiertage von: Nordrhein-Westfalen" in await bot.say(
        "/einstellungen bundesland Nordrhein-Westfalen"
    )
    assert "Feiertage von: Sachsen" in await bot.say("/einstellungen bundesland de-sn")


async def test_a_wrong_state_is_refused_and_changes_nothing(bot: ConsoleBot) -> None:
    await found_ag(bot, english=False)
    await bot.say("/einstellungen bundesland BY")
    out = await bot.say("/einstellungen bundesland Bayerwald")
    assert "Bayerwald ist kein deutsches Bundesland" in out and "BY, HB, HE" in out
    assert "Bundesland Bayern," in await bot.say("/ag")


async def test_the_state_setting_in_english(bot: ConsoleBot) -> None:
    await found_ag(bot)
    out = await bot.say("/settings state Bavaria")
    assert "Public holidays of: Bavaria" in out
    assert "state Bavaria," in await bot.say("/ag")
    assert "is not a German state" in await bot.say("/settings state XX")
    assert "Public holidays of: Bavaria" in await bot.say("/settings")


async def test_only_coordinators_change_the_state(bot: ConsoleBot) -> None:
    await found_ag(bot)
    await join(bot, "ag-wf", "ben")
    assert "Public holidays" not in await bot.say("::user ben", "/settings state BY")
    assert "Thuringia (default)" in await bot.say("/ag")


# --- /einstellungen shows what is set ----------------------------------------


async def test_the_settings_show_the_current_values_and_how_to_change_each(
    bot: ConsoleBot,
) -> None:
    await found_ag(bot, english=False)
    shown = await bot.say("/einstellungen")
    assert "Einstellungen der AG Wirtschaftsförderung:" in shown
    # The value stands where the value belongs; the example next to it is another value.
    for line in (
        "Erinnerungen vor Terminen: 1d, 1h — ändern: /einstellungen erinnerungen 2d,1h",
        "Wochenübersicht für Koordinierende: an — ändern: /einstellungen wochenuebersicht aus",
        "Protokolle fällig: 7 Tage nach dem Termin — ändern: /einstellungen protokollfrist 10",
        "Ein Tagewerk (TW): 8:00 h — ändern: /einstellungen tagewerk 7,8",
        "Feiertage von: Thüringen (Standard) — ändern: /einstellungen bundesland BY",
    ):
        assert line in shown, shown

    await bot.say(
        "/einstellungen erinnerungen 2d,1h",
        "/einstellungen wochenuebersicht aus",
        "/einstellungen protokollfrist 1",
        "/einstellungen tagewerk 7,8",
    )
    changed = await bot.say("/einstellungen bundesland BY")
    assert "Gespeichert. Einstellungen der AG Wirtschaftsförderung:" in changed
    shown = await bot.say("/einstellungen")
    for line in (
        "Erinnerungen vor Terminen: 2d, 1h — ändern: /einstellungen erinnerungen 1d",
        "Wochenübersicht für Koordinierende: aus — ändern: /einstellungen wochenuebersicht an",
        "Protokolle fällig: 1 Tag nach dem Termin — ändern: /einstellungen protokollfrist 7",
        "Ein Tagewerk (TW): 7:48 h — ändern: /einstellungen tagewerk 8",
        "Feiertage von: Bayern — ändern: /einstellungen bundesland TH",
    ):
        assert line in changed and line in shown, shown
    overview = await bot.say("/ag")
    assert "Bundesland Bayern, ein Tagewerk (TW) = 7,8 Stunden" in overview

    off = await bot.say("/einstellungen erinnerungen aus")
    assert "Erinnerungen vor Terminen: keine — ändern: /einstellungen erinnerungen 2d,1h" in off


async def test_the_settings_in_english_show_the_current_values(bot: ConsoleBot) -> None:
    await found_ag(bot)
    out = await bot.say("/settings protocol 14")
    assert "Protocols due: 14 days after the meeting — change: /settings protocol 7" in out
    assert "Weekly overview for coordinators: on — change: /settings digest off" in out
    assert "One Tagewerk (TW): 8:00 h — change: /settings tagewerk 7.8" in out
    assert "Public holidays of: Thuringia (default) — change: /settings state BY" in out
    assert "Protocols due: 14 days" in await bot.say("/settings")
