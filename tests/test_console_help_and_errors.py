"""Console scenarios for command words, /hilfe and the replies to mistakes.

Every command answers to its German name and its English alias, with ``/`` or
``!``, and to ``/cmd@AGBot``; ``/cmd@OtherBot`` is for another bot. Unknown
commands get a suggestion, wrong arguments the usage line, refused actions the
role they need, unexpected errors an apology with an error id.

Assertions on English texts use the message ids (stable). Assertions on German
wording are marked ``# German wording`` so they are easy to adjust.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from storage import groups
from tests.harness import ConsoleBot

WF = "AG WF"


async def english_ag(bot: ConsoleBot, *members: str) -> None:
    """Set up AG WF in chat ag-wf as "you" (its coordinator), in English; ``members`` join."""
    await bot.say("::chat ag-wf", "::admin", f"/einrichten {WF}", "::noadmin", "/sprache en")
    for member in members:
        await bot.say(f"::user {member}", "/beitreten")
    await bot.say("::user you")


async def german_ag(bot: ConsoleBot, *members: str) -> None:
    """Like :func:`english_ag`, but the AG keeps the default language, German."""
    await bot.say("::chat ag-wf", "::admin", f"/einrichten {WF}", "::noadmin")
    for member in members:
        await bot.say(f"::user {member}", "/beitreten")
    await bot.say("::user you")


def listed_commands(out: str) -> set[str]:
    """The command words /hilfe lists, one per line."""
    return set(re.findall(r"^  (/\w+)", out, flags=re.MULTILINE))


# --- command words ------------------------------------------------------------

# (German name, English alias, user, chat, directives before, arguments, expected English text)
COMMANDS = [
    ("hilfe", "help", "ben", "ag-wf", [], "", f"Commands for you in {WF}:"),
    ("start", "start", "ben", "dm", [], "", "Hello ben!"),
    ("einrichten", "setup", "you", "ag-wf", ["::admin"], f" {WF}", "already belongs to AG WF"),
    ("ag", "group", "ben", "ag-wf", [], "", "Chats: console: ag-wf"),
    ("beitreten", "join", "carl", "ag-wf", [], "", f"Welcome to {WF}, carl!"),
    ("austreten", "leave", "ben", "ag-wf", [], "", f"You have left {WF}."),
    ("mitglieder", "members", "ben", "ag-wf", [], "", f"Members of {WF} (2):"),
    ("rolle", "role", "you", "ag-wf", [], " @ben coordinator", f"ben now is coordinator in {WF}."),
    ("sprache", "language", "you", "ag-wf", [], " en", "in the chats of AG WF from now on."),
    ("verknuepfen", "link", "ben", "dm", [], "", "Your code:"),
    ("ja", "confirm", "you", "ag-wf", ["::admin", "/setup AG Neu"], "", "AG Neu was created"),
    ("nein", "abort", "you", "ag-wf", ["::admin", "/setup AG Neu"], "", "Cancelled."),
]


def command_variants() -> list[pytest.ParameterSet]:
    variants = []
    for name, alias, user, chat, before, args, expected in COMMANDS:
        for word in dict.fromkeys((name, alias)):
            for prefix in ("/", "!"):
                variants.append(
                    pytest.param(
                        user, chat, before, f"{prefix}{word}{args}", expected, id=f"{prefix}{word}"
                    )
                )
    return variants


@pytest.mark.parametrize(("user", "chat", "before", "line", "expected"), command_variants())
async def test_every_command_answers_to_both_names_and_prefixes(
    bot: ConsoleBot, user: str, chat: str, before: list[str], line: str, expected: str
) -> None:
    await english_ag(bot, "ben")
    await bot.say("::user ben", "::dm", "/sprache en")
    where = "::dm" if chat == "dm" else f"::chat {chat}"
    await bot.say(f"::user {user}", where, *before)
    out = await bot.say(line)
    assert "Unknown command" not in out
    assert expected in out


async def test_umlauts_and_capitals_in_command_words(bot: ConsoleBot) -> None:
    out = await bot.say("/verknüpfen")
    assert re.search(r"/verknuepfen [A-Z0-9]{8}", out)
    await english_ag(bot, "ben")
    out = await bot.say("/MITGLIEDER")
    assert f"Members of {WF} (2):" in out


async def test_command_addressed_to_this_bot_is_accepted(bot: ConsoleBot) -> None:
    await english_ag(bot, "ben")
    for line in ("/mitglieder@AGBot", "/members@AGBot", "!members@agbot", "AGBot: members"):
        out = await bot.say(line)
        assert f"Members of {WF} (2):" in out, line
    out = await bot.say("/hilfe@AGBot", "::dm", "/hilfe@AGBot")
    assert out.count("[ag-wf] ") == 1
    assert out.count("[dm:you] ") == 1


async def test_command_addressed_to_another_bot_is_ignored(bot: ConsoleBot) -> None:
    await english_ag(bot, "ben")
    out = await bot.say("/members@OtherBot", "!hilfe@OtherBot", "/setup@OtherBot AG X")
    assert out == ""
    out = await bot.say("/group")
    assert "AG X" not in out


async def test_plain_talk_in_a_group_gets_no_answer(bot: ConsoleBot) -> None:
    await english_ag(bot, "ben")
    out = await bot.say("Guten Morgen zusammen!", "AGBot, wie geht's?", "@ben schau mal")
    assert out == ""


async def test_plain_talk_in_a_private_chat_points_to_help(bot: ConsoleBot) -> None:
    out = await bot.say("Hallo Bot")
    assert out.startswith("[dm:you] ")
    assert "/hilfe" in out


# --- unknown commands ---------------------------------------------------------


async def test_unknown_command_gets_a_suggestion_in_german(bot: ConsoleBot) -> None:
    await german_ag(bot, "ben")
    out = await bot.say("/mitgleider")
    assert "/mitglieder" in out
    assert "/hilfe" in out
    assert "Unbekannter Befehl" in out  # German wording
    # A typo of the English word is answered with the German word in a German AG.
    out = await bot.say("/memebrs")
    assert "/mitglieder" in out


async def test_unknown_command_gets_a_suggestion_in_english(bot: ConsoleBot) -> None:
    await english_ag(bot, "ben")
    out = await bot.say("/mitgleider")
    assert (
        out == "[ag-wf] Unknown command /mitgleider. Did you mean /members? All commands: /help\n"
    )


async def test_unknown_command_without_a_close_match_points_to_help(bot: ConsoleBot) -> None:
    await english_ag(bot)
    out = await bot.say("!xyzzy")
    assert out == "[ag-wf] Unknown command /xyzzy. All commands: /help\n"
    out = await bot.say("::dm", "/xyzzy")
    assert "/hilfe" in out


@pytest.mark.parametrize("word", ["bericht", "statistik", "report", "Statistik", "statistk"])
async def test_words_for_a_report_point_to_the_hours_report(bot: ConsoleBot, word: str) -> None:
    await german_ag(bot)
    out = await bot.say(f"/{word}")
    # German wording
    assert f"Unbekannter Befehl /{word}. Meinten Sie /stunden bericht? Alle Befehle: /hilfe" in out


async def test_words_for_a_report_point_to_the_hours_report_in_english(bot: ConsoleBot) -> None:
    await english_ag(bot)
    out = await bot.say("/report")
    expected = "Unknown command /report. Did you mean /hours report? All commands: /help"
    assert out == f"[ag-wf] {expected}\n"
    # The suggestion works: it is the report itself.
    assert "Unknown command" not in await bot.say("/hours report")


@pytest.mark.parametrize("word", ["xyzzyq", "umfrage", "poll", "status", "abstimmung"])
async def test_nothing_close_gets_no_suggestion_only_help(bot: ConsoleBot, word: str) -> None:
    await german_ag(bot)
    out = await bot.say(f"/{word}")
    # German wording
    assert out == f"[ag-wf] Unbekannter Befehl /{word}. Alle Befehle: /hilfe\n"


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("tremine", "/termine"), ("hlfe", "/hilfe"), ("einstelungen", "/einstellungen")],
)
async def test_typos_still_get_the_command_meant(bot: ConsoleBot, typo: str, meant: str) -> None:
    await german_ag(bot)
    assert f"Meinten Sie {meant}?" in await bot.say(f"/{typo}")


# --- wrong arguments ------------------------------------------------------------


@pytest.mark.parametrize(
    ("directives", "line", "usage"),
    [
        ([], "/role @ben boss", "Usage: /role @person coordinator|member"),
        ([], "/rolle koordination", "Usage: /role @person coordinator|member"),
        ([], "/language fr", "Usage: /language de|en"),
        ([], "/sprache de en", "Usage: /language de|en"),
        (["::admin"], "/setup", "Usage: /setup <name>"),
        ([], "/help nosuchcommand", "Usage: /help [command]"),
    ],
)
async def test_wrong_arguments_get_the_usage_line(
    bot: ConsoleBot, directives: list[str], line: str, usage: str
) -> None:
    await english_ag(bot, "ben")
    out = await bot.say(*directives, line)
    assert usage in out
    out = await bot.say("::noadmin", "/members")
    assert "• ben – member" in out
    assert "language English" in await bot.say("/group")


async def test_help_for_an_unknown_command_says_so(bot: ConsoleBot) -> None:
    await english_ag(bot)
    out = await bot.say("/help nosuchcommand")
    assert "I do not know the command /nosuchcommand." in out


async def test_wrong_arguments_in_german_get_the_usage_line(bot: ConsoleBot) -> None:
    await german_ag(bot, "ben")
    out = await bot.say("/rolle @ben chef")
    assert "Verwendung:" in out  # German wording
    assert "/rolle @" in out


# --- refusals name the role ---------------------------------------------------


async def test_refusals_name_the_role_needed(bot: ConsoleBot) -> None:
    await english_ag(bot, "ben")
    out = await bot.say("::user ben", "/role @ben coordinator")
    assert out == f"[ag-wf] Only the coordinators of {WF} may use /role.\n"
    out = await bot.say("/setup AG Neu")
    assert out == "[ag-wf] Only chat admins may use /setup.\n"
    out = await bot.say("/members")
    assert "• ben – member" in out
    assert "AG Neu" not in await bot.say("/group")


async def test_refusals_name_the_role_needed_in_german(bot: ConsoleBot) -> None:
    await german_ag(bot, "ben")
    out = await bot.say("::user ben", "/rolle @ben koordination")
    assert "dürfen nur die Koordinierenden der AG" in out  # German wording
    assert "/rolle" in out


async def test_commands_in_the_wrong_kind_of_chat_are_refused(bot: ConsoleBot) -> None:
    await english_ag(bot, "ben")
    out = await bot.say("/link")
    assert out == "[ag-wf] /link only works in a private chat with me.\n"
    out = await bot.say("::dm", "/sprache en", "/members")
    assert out.endswith("[dm:you] /members only works in a group chat.\n")


# --- /hilfe -----------------------------------------------------------------------


async def test_help_for_a_member_leaves_out_coordinator_and_admin_commands(bot: ConsoleBot) -> None:
    await english_ag(bot, "ben")
    out = await bot.say("::user ben", "/help")
    assert f"Commands for you in {WF}:" in out
    listed = listed_commands(out)
    assert {"/help", "/group", "/join", "/leave", "/members", "/language"} <= listed
    assert not {"/role", "/setup", "/link"} & listed
    assert "/members [page] – Lists the members of this chat's AG with their roles." in out


async def test_help_for_a_coordinator_adds_role(bot: ConsoleBot) -> None:
    await english_ag(bot, "ben")
    listed = listed_commands(await bot.say("/help"))
    assert {"/members", "/role"} <= listed
    assert "/setup" not in listed
    assert "/role @person coordinator|member" in await bot.say("/help")


@pytest.mark.parametrize(
    ("user", "directives"),
    [
        pytest.param("dora", ["::admin"], id="chat-admin"),
        pytest.param("root", [], id="global-admin"),
    ],
)
async def test_help_for_admins_adds_setup(
    bot: ConsoleBot, user: str, directives: list[str]
) -> None:
    await english_ag(bot, "ben")
    listed = listed_commands(await bot.say(f"::user {user}", *directives, "/help"))
    assert {"/setup", "/role", "/members"} <= listed


async def test_help_in_a_private_chat_lists_private_commands(bot: ConsoleBot) -> None:
    out = await bot.say("/sprache en", "/help")
    listed = listed_commands(out)
    assert {"/help", "/group", "/language", "/link"} <= listed
    assert not {"/members", "/join", "/leave", "/role", "/setup"} & listed


async def test_help_in_german_uses_german_command_words(bot: ConsoleBot) -> None:
    await german_ag(bot, "ben")
    listed = listed_commands(await bot.say("::user ben", "/hilfe"))
    assert {"/hilfe", "/ag", "/beitreten", "/austreten", "/mitglieder", "/sprache"} <= listed
    assert not {"/rolle", "/einrichten", "/members", "/help"} & listed
    listed = listed_commands(await bot.say("::user you", "/hilfe"))
    assert "/rolle" in listed


async def test_help_in_a_chat_without_ag_offers_setup_to_an_admin(bot: ConsoleBot) -> None:
    listed = listed_commands(await bot.say("::chat lobby", "/hilfe"))
    assert "/einrichten" not in listed
    assert "/mitglieder" not in listed
    listed = listed_commands(await bot.say("::admin", "/hilfe"))
    assert "/einrichten" in listed


@pytest.mark.parametrize("line", ["/help role", "/help /rolle", "!hilfe ROLE"])
async def test_help_with_a_command_shows_its_details(bot: ConsoleBot, line: str) -> None:
    await english_ag(bot, "ben")
    out = await bot.say("::user ben", line)
    assert out.startswith("[ag-wf] /role @person coordinator|member\n")
    assert "Gives a member of the AG the coordinator or member role." in out
    assert "Also works as: /rolle, /role" in out
    assert "Who may use it: coordinators of the AG, in group chats." in out


async def test_help_details_in_german(bot: ConsoleBot) -> None:
    out = await bot.say("/hilfe rolle")
    assert out.startswith("[dm:you] /rolle @")
    assert "/rolle, /role" in out


async def test_start_in_a_private_chat_greets_and_shows_help(bot: ConsoleBot) -> None:
    out = await bot.say("::user anna", "/start")
    assert out.startswith("[dm:anna] ")
    assert "anna" in out
    assert {"/hilfe", "/verknuepfen"} <= listed_commands(out)
    out = await bot.say("/sprache en", "/start")
    assert "Hello anna!" in out
    assert {"/help", "/link"} <= listed_commands(out)


# --- unexpected errors --------------------------------------------------------------


ORIGINAL_ADD_MEMBER = groups.add_member


async def failing_add_member(*args: Any, **kwargs: Any) -> None:
    """Writes the membership, then fails as a broken database would."""
    await ORIGINAL_ADD_MEMBER(*args, **kwargs)
    raise RuntimeError("disk on fire")


async def test_unexpected_error_gets_an_apology_with_an_id_and_changes_nothing(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await english_ag(bot)
    monkeypatch.setattr(groups, "add_member", failing_add_member)
    with caplog.at_level(logging.ERROR):
        out = await bot.say("::user ben", "/join")
    match = re.search(
        r"Sorry, something went wrong\. Nothing was changed\. "
        r"Please tell the office this error id: (\w+)",
        out,
    )
    assert match, out
    assert "Traceback" not in out and "disk on fire" not in out
    assert match.group(1) in caplog.text
    assert "disk on fire" in caplog.text
    monkeypatch.undo()
    out = await bot.say("/members")
    assert f"Members of {WF} (1):" in out
    assert "• ben" not in out


async def test_unexpected_error_apology_in_german(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await german_ag(bot)
    monkeypatch.setattr(groups, "add_member", failing_add_member)
    out = await bot.say("::user ben", "/beitreten")
    assert "Entschuldigung" in out  # German wording
    assert "Traceback" not in out
