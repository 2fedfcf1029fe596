"""Console scenarios for /sprache (per person in private chats, per AG in groups)
and /verknuepfen (one person, several accounts, joined by a one-time code).

German is the default language. English assertions use the message ids; German
ones are marked ``# German wording`` so they are easy to adjust. Account
linking is checked through what users see: /ag in a private chat lists the AGs
of both accounts, /mitglieder shows one person with the higher role.
"""

from __future__ import annotations

import re

import pytest

from tests.harness import ConsoleBot, setup_code

WF = "AG Wirtschaftsförderung"
VERKEHR = "AG Verkehr"


async def found_ag(bot: ConsoleBot, name: str, chat: str, user: str = "you") -> None:
    await bot.say(f"::user {user}", f"::chat {chat}", "::admin", f"/einrichten {name}", "::noadmin")


async def join(bot: ConsoleBot, chat: str, *users: str) -> None:
    for user in users:
        await bot.say(f"::user {user}", f"::chat {chat}", "/beitreten")


def listed_commands(out: str) -> set[str]:
    """The command words /hilfe lists, one per line."""
    return set(re.findall(r"^  (/\w+)", out, flags=re.MULTILINE))


def roles(out: str) -> dict[str, str]:
    """Name -> role from a /mitglieder reply."""
    return dict(re.findall(r"• (\S+) – (\S+)", out))


def code_in(out: str) -> str:
    """The one-time code of a /verknuepfen reply."""
    match = re.search(r"/(?:verknuepfen|link) ([A-Z0-9]{8})\b", out)
    assert match, out
    return match.group(1)


async def new_code(bot: ConsoleBot, user: str) -> str:
    return code_in(await bot.say(f"::user {user}", "::dm", "/verknuepfen"))


async def own_ags(bot: ConsoleBot, user: str) -> str:
    """What /ag says in ``user``'s private chat: the AGs they belong to."""
    return await bot.say(f"::user {user}", "::dm", "/ag")


# --- /sprache -------------------------------------------------------------------


async def test_german_is_the_default(bot: ConsoleBot) -> None:
    await found_ag(bot, WF, "ag-wf")
    await join(bot, "ag-wf", "ben")
    out = await bot.say("/mitglieder")
    assert f"Mitglieder der {WF} (2):" in out  # German wording
    assert roles(out) == {"you": "Koordination", "ben": "Mitglied"}  # German wording
    listed = listed_commands(await bot.say("/hilfe"))
    assert {"/hilfe", "/mitglieder", "/austreten"} <= listed
    assert "/members" not in listed
    listed = listed_commands(await bot.say("::dm", "/hilfe"))
    assert {"/hilfe", "/verknuepfen", "/sprache"} <= listed


async def test_language_in_a_private_chat_is_per_person(bot: ConsoleBot) -> None:
    out = await bot.say("/sprache en")
    assert out == "[dm:you] I will answer you in English from now on.\n"
    assert {"/help", "/link", "/language"} <= listed_commands(await bot.say("/hilfe"))
    out = await bot.say("/sprache")
    assert "Current language: English. Change it with /language de|en." in out
    # Another person's private chat stays German.
    listed = listed_commands(await bot.say("::user ben", "/hilfe"))
    assert "/verknuepfen" in listed and "/link" not in listed


async def test_personal_language_does_not_change_a_group_chat(bot: ConsoleBot) -> None:
    await found_ag(bot, WF, "ag-wf")
    await bot.say("::dm", "/language english")
    listed = listed_commands(await bot.say("::chat ag-wf", "/hilfe"))
    assert "/mitglieder" in listed and "/members" not in listed


async def test_personal_language_can_be_switched_back(bot: ConsoleBot) -> None:
    await bot.say("/sprache en")
    out = await bot.say("/language de")
    assert "/link" not in out
    assert {"/hilfe", "/verknuepfen"} <= listed_commands(await bot.say("/hilfe"))


async def test_personal_language_applies_to_the_hint_for_plain_text(bot: ConsoleBot) -> None:
    await bot.say("/sprache en")
    out = await bot.say("hello bot")
    assert "/help" in out
    assert "/hilfe" not in out


async def test_coordinator_sets_the_language_of_the_ag(bot: ConsoleBot) -> None:
    await found_ag(bot, WF, "ag-wf")
    await join(bot, "ag-wf", "ben")
    out = await bot.say("::user you", "/sprache en")
    assert out == f"[ag-wf] I will answer in English in the chats of {WF} from now on.\n"
    # Everyone in the AG's chats now gets English ...
    out = await bot.say("::user ben", "/members")
    assert roles(out) == {"you": "coordinator", "ben": "member"}
    assert {"/help", "/members"} <= listed_commands(await bot.say("/help"))
    # ... also in a second chat of the same AG (its coordinator confirmed the binding) ...
    out = await bot.say("::user carl", "::chat ag-wf-2", "::admin", f"/einrichten {WF}")
    await bot.say("::user you", "::chat ag-wf", f"/setup confirm {setup_code(out)}")
    out = await bot.say("::user carl", "::chat ag-wf-2", "/members")
    assert f"Members of {WF} (2):" in out
    # ... but ben's private chat stays German.
    listed = listed_commands(await bot.say("::user ben", "::dm", "/hilfe"))
    assert "/verknuepfen" in listed and "/link" not in listed


async def test_member_cannot_change_the_language_of_the_ag(bot: ConsoleBot) -> None:
    await found_ag(bot, WF, "ag-wf")
    await join(bot, "ag-wf", "ben")
    await bot.say("::user you", "/sprache en")
    out = await bot.say("::user ben", "/language de")
    assert out == f"[ag-wf] Only the coordinators of {WF} may change its language.\n"
    assert "/members" in listed_commands(await bot.say("/help"))


async def test_member_cannot_change_the_language_of_the_ag_in_german(bot: ConsoleBot) -> None:
    await found_ag(bot, WF, "ag-wf")
    await join(bot, "ag-wf", "ben")
    out = await bot.say("::user ben", "/sprache en")
    assert out == f"[ag-wf] Die Sprache der {WF} dürfen nur ihre Koordinierenden ändern.\n"
    listed = listed_commands(await bot.say("/hilfe"))
    assert "/mitglieder" in listed and "/members" not in listed


@pytest.mark.parametrize(
    ("user", "directives"),
    [
        pytest.param("dora", ["::admin"], id="chat-admin"),
        pytest.param("root", [], id="global-admin"),
    ],
)
async def test_admins_may_change_the_language_of_the_ag(
    bot: ConsoleBot, user: str, directives: list[str]
) -> None:
    await found_ag(bot, WF, "ag-wf")
    out = await bot.say(f"::user {user}", *directives, "/sprache en")
    assert f"in the chats of {WF}" in out
    assert "/members" in listed_commands(await bot.say("/help"))


# --- /verknuepfen -----------------------------------------------------------------


async def two_accounts_in_two_ags(bot: ConsoleBot) -> None:
    """anna is a member of AG Wirtschaftsförderung; anna-matrix coordinates AG Verkehr."""
    await found_ag(bot, WF, "ag-wf")
    await join(bot, "ag-wf", "anna")
    await found_ag(bot, VERKEHR, "ag-verkehr", user="anna-matrix")
    await join(bot, "ag-verkehr", "ben")
    for chat in ("ag-wf", "ag-verkehr"):
        await bot.say("::user root", f"::chat {chat}", "/sprache en")


async def test_linking_merges_memberships_and_roles(bot: ConsoleBot) -> None:
    await two_accounts_in_two_ags(bot)
    code = await new_code(bot, "anna")
    out = await bot.say("::user anna-matrix", "::dm", f"/verknuepfen {code}", "/ja")
    assert "console:anna" in out and "console:anna-matrix" in out

    for account in ("anna", "anna-matrix"):
        out = await own_ags(bot, account)
        assert WF in out and VERKEHR in out, account
    out = await bot.say("::chat ag-verkehr", "/members")
    assert roles(out) == {"anna": "coordinator", "ben": "member"}
    # The account that only had a membership now has the coordinator rights, too.
    out = await bot.say("::user anna", "::chat ag-verkehr", "/role @ben coordinator")
    assert f"ben now is coordinator in {VERKEHR}." in out


async def test_linking_two_members_of_the_same_ag_keeps_one_with_the_higher_role(
    bot: ConsoleBot,
) -> None:
    await found_ag(bot, WF, "ag-wf")
    await join(bot, "ag-wf", "anna", "anna-matrix")
    await bot.say("::user you", "/sprache en", "/role @anna-matrix coordinator")
    code = await new_code(bot, "anna")
    await bot.say("::user anna-matrix", "::dm", f"!verknuepfen {code}", "/ja")
    out = await bot.say("::chat ag-wf", "/members")
    assert f"Members of {WF} (2):" in out
    assert roles(out) == {"anna": "coordinator", "you": "coordinator"}


async def test_linking_with_a_wrong_code_is_refused(bot: ConsoleBot) -> None:
    await two_accounts_in_two_ags(bot)
    await new_code(bot, "anna")
    out = await bot.say("::user anna-matrix", "::dm", "/verknuepfen ABCDEFGH")
    assert out.startswith("[dm:anna-matrix] ")
    assert "/verknuepfen" in out
    assert WF not in await own_ags(bot, "anna-matrix")
    assert VERKEHR not in await own_ags(bot, "anna")


async def test_a_code_works_only_once(bot: ConsoleBot) -> None:
    await two_accounts_in_two_ags(bot)
    code = await new_code(bot, "anna")
    await bot.say("::user anna-matrix", "::dm", f"/verknuepfen {code}", "/ja")
    out = await bot.say("::user mallory", "::dm", f"/verknuepfen {code}", "/ja")
    assert "/verknuepfen" in out
    out = await own_ags(bot, "mallory")
    assert WF not in out and VERKEHR not in out
    out = await bot.say("::user anna", "::chat ag-wf", "/members")
    assert "mallory" not in out


async def test_a_new_code_replaces_the_old_one(bot: ConsoleBot) -> None:
    await two_accounts_in_two_ags(bot)
    old = await new_code(bot, "anna")
    new = await new_code(bot, "anna")
    await bot.say("::user anna-matrix", "::dm", f"/verknuepfen {old}", "/ja")
    assert WF not in await own_ags(bot, "anna-matrix")
    await bot.say("::user anna-matrix", "::dm", f"/verknuepfen {new}", "/ja")
    assert WF in await own_ags(bot, "anna-matrix")


async def test_code_may_be_typed_in_lower_case(bot: ConsoleBot) -> None:
    await two_accounts_in_two_ags(bot)
    code = await new_code(bot, "anna")
    await bot.say("::user anna-matrix", "::dm", f"/link {code.lower()}", "/ja")
    assert VERKEHR in await own_ags(bot, "anna")


@pytest.mark.parametrize(
    ("moment", "linked"),
    [
        pytest.param("2026-03-25T10:24", True, id="after-9-minutes"),
        pytest.param("2026-03-25T10:30", False, id="after-15-minutes"),
    ],
)
async def test_a_code_is_valid_for_ten_minutes(bot: ConsoleBot, moment: str, linked: bool) -> None:
    await two_accounts_in_two_ags(bot)
    code = await new_code(bot, "anna")  # at 10:15 Berlin time
    await bot.say(f"::now {moment}")
    out = await bot.say("::user anna-matrix", "::dm", f"/verknuepfen {code}", "/ja")
    assert ("console:anna," in out) is linked
    assert (WF in await own_ags(bot, "anna-matrix")) is linked
    assert (VERKEHR in await own_ags(bot, "anna")) is linked


async def test_own_code_from_the_same_account_is_refused(bot: ConsoleBot) -> None:
    await two_accounts_in_two_ags(bot)
    code = await new_code(bot, "anna")
    out = await bot.say(f"/verknuepfen {code}", "/ja")
    assert "console:anna" not in out
    out = await own_ags(bot, "anna")
    assert WF in out and VERKEHR not in out


async def test_linking_in_a_group_chat_is_refused(bot: ConsoleBot) -> None:
    await two_accounts_in_two_ags(bot)
    out = await bot.say("::user anna", "::chat ag-wf", "/link")
    assert out == "[ag-wf] /link only works in a private chat with me.\n"
    code = await new_code(bot, "anna")
    out = await bot.say("::user anna-matrix", "::chat ag-wf", f"/verknuepfen {code}")
    assert out == "[ag-wf] /link only works in a private chat with me.\n"
    assert WF not in await own_ags(bot, "anna-matrix")
    # The refused attempt did not use the code up.
    await bot.say("::user anna-matrix", "::dm", f"/verknuepfen {code}", "/ja")
    assert WF in await own_ags(bot, "anna-matrix")
