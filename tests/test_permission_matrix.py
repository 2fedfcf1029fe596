"""The permission matrix, generated from the command registry.

Every form of every registered command that names an object by number (``#N`` in its
usage) is tried against the objects of AG A by people who must not touch them: a
member and a coordinator of AG B, the admin of an unrelated chat, and a plain member
of A; each from A's chat, B's chat, an unrelated chat and a private chat. A refusal is
checked by its effect: A's rows stay as they were (a plain member may only add rows of
their own, such as an answer to an invitation), no file leaves, and outsiders read
nothing of A outside A's own chat. A new command with ``#N`` in its usage is covered
without anyone adding it here; a control run by A's coordinator shows that each
generated form is understood.

AG A belongs to the network Netz A (greta is its Geschäftsstelle), AG B to Netz B, whose
Geschäftsstelle gina is among the people tried: another network's Geschäftsstelle gets
nothing in A. The network commands (every command whose usage names a ``<network>``) are
generated the same way and tried by all of them, and from Netz A's own chat: nothing of
Netz A changes, nothing of AG A changes, and greta's name reaches nobody outside A's chats.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from core.i18n import Translator
from handlers import build_registry
from storage import people
from tests.group_rows import (
    changes,
    group_rows,
    network_rows,
    person_columns,
    references_person,
)
from tests.harness import ConsoleBot

SECRET = "GEHEIM"
# What each placeholder of a usage line becomes when a form is tried.
FILLERS = {
    "<when>": "in drei Wochen 10 Uhr",
    "<note>": "x",
    "<text>": "x",
    "<point>": "x",
    "<entry>": "1",
    "<number>": "1",
    "<amount>": "1",
    "@person": "@anna",
    "@chair": "@anna",
}
USAGE_ERROR = re.compile(r"^\[[^\]]+\] (Verwendung|Usage): ", re.MULTILINE)


@dataclass(frozen=True)
class Attacker:
    name: str
    role: str
    admin_of: str | None = None


ATTACKERS = [
    Attacker("mira", "member of AG B"),
    Attacker("cora", "coordinator of AG B"),
    Attacker("adam", "admin of an unrelated chat", admin_of="elsewhere"),
    Attacker("bea", "plain member of AG A"),
    Attacker("gina", "Geschäftsstelle of network B"),
]
CHATS = ["::chat ag-a", "::chat ag-b", "::chat elsewhere", "::dm"]


# --- forms from the registry ------------------------------------------------------------


def _parse(tokens: list[str]) -> list[list[object]]:
    """Alternatives (split at ``|`` on this level) of items: words or optional groups."""
    alternatives: list[list[object]] = [[]]
    while tokens:
        token = tokens.pop(0)
        if token == "]":
            break
        if token == "|":
            alternatives.append([])
        elif token == "[":
            alternatives[-1].append(_parse(tokens))
        else:
            alternatives[-1].append(token)
    return alternatives


def _expand(sequence: list[object]) -> list[list[str]]:
    """Every way of writing ``sequence``: each optional group left out or one of its forms."""
    choices: list[list[list[str]]] = []
    for item in sequence:
        if isinstance(item, str):
            choices.append([[item]])
        else:
            group = [form for alternative in item for form in _expand(alternative)]  # type: ignore[attr-defined]
            choices.append([[], *group])
    return [
        [word for part in combination for word in part]
        for combination in itertools.product(*choices)
    ]


def object_forms() -> list[tuple[str, str]]:
    """(command word, arguments with ``#N``) for every form that names an object by number."""
    forms: set[tuple[str, str]] = set()
    for command in build_registry():
        tokens = re.findall(r"\[|\]|\||[^\s\[\]|]+", command.usage)
        for alternative in _parse(tokens):
            for words in _expand(alternative):
                if "#N" not in words:
                    continue
                filled = [
                    FILLERS.get(word, "1" if word.startswith("<") else word) for word in words
                ]
                forms.add((command.name, " ".join(w for w in filled if w != "…")))
    return sorted(forms)


def test_the_forms_cover_every_command_that_takes_a_number() -> None:
    forms = object_forms()
    commands = {name for name, _ in forms}
    with_numbers = {c.name for c in build_registry() if "#N" in c.usage}
    assert commands == with_numbers
    # The kinds of objects people name by number are all there.
    assert {"termin", "aufgabe", "erledigt", "stunden", "erinnerung", "schlummern"} <= commands
    assert ("termin", "cancel #N series") in forms
    assert ("erinnerung", "delete #N") in forms
    assert len(forms) >= 30


def network_forms() -> list[tuple[str, str]]:
    """(command word, arguments) for every form of every command whose usage names a network.

    Each placeholder is tried with every value of :data:`NETWORK_FILLERS`, and a choice of
    two words (``office|none``) with each word.
    """
    forms: set[tuple[str, str]] = set()
    for command in build_registry():
        if "<network>" not in command.usage:
            continue
        usages = [command.usage]
        while any(_CHOICE.search(u) for u in usages):
            usages = [
                _CHOICE.sub(lambda m, pick=pick: m[pick], u, count=1)  # type: ignore[misc]
                for u in usages
                for pick in (1, 2)
            ]
        for usage in usages:
            tokens = re.findall(r"\[|\]|\||[^\s\[\]|]+", usage)
            for alternative in _parse(tokens):
                for words in _expand(alternative):
                    choices = [NETWORK_FILLERS.get(word, [word]) for word in words]
                    for filled in itertools.product(*choices):
                        forms.add((command.name, " ".join(filled)))
    return sorted(forms)


_CHOICE = re.compile(r"([^\s\[\]|]+)\|([^\s\[\]|]+)")
NETWORK_FILLERS = {
    "<network>": ["Netz A", "Netz B"],
    "<group>": ["AG Alpha", "AG Beta"],
    "<name>": ["AG Neu"],
    "<code>": ["ABCDEFGH"],
    "@person": ["@anna", "@mira", "@gina"],
}
NETWORK_CHATS = [*CHATS, "::chat netz-a"]


# --- the scenario ------------------------------------------------------------------------


async def _ag_a_with_objects(bot: ConsoleBot) -> None:
    """AG A (anna coordinates, bea is a member) with one object of every numbered kind."""
    await bot.say("::user anna", "::chat ag-a", "::admin", "/einrichten AG Alpha", "::noadmin")
    await bot.say("::user bea", "/beitreten")
    await bot.say(
        "::user anna",
        f"/termin {SECRET} Jour fixe | in zwei Wochen 14 Uhr | Rathaus",
        f"/termin {SECRET} Serie | jeden ersten Montag im Monat 10 Uhr",
        f"/tagesordnung 1 + {SECRET} Haushalt",
        f"/aufgabe {SECRET} Flyer @anna bis in drei Wochen",
        f"/aufgabe {SECRET} Plakat",
        f"/stunden 2 gestern {SECRET} Vorbereitung",
        f"/erinnere hier in zehn Tagen 9 Uhr; {SECRET} Raum buchen",
        f"/erinnere mich in zehn Tagen 9 Uhr; {SECRET} Unterlagen",
        "/termin Heute | heute 11 Uhr",
    )
    # Minutes of today's meeting, ended: a draft protocol with entries.
    meeting = await bot.say("/termine")
    today = re.search(r"#(\d+) [^\n]*: Heute", meeting)
    assert today, meeting
    await bot.say(
        f"/sitzung start #{today[1]}",
        f"/info {SECRET} Bericht",
        f"/beschluss {SECRET} Beschluss",
        "/sitzung ende",
    )


async def _ag_b(bot: ConsoleBot) -> None:
    await bot.say("::user cora", "::chat ag-b", "::admin", "/einrichten AG Beta", "::noadmin")
    await bot.say("::user mira", "/beitreten")
    await bot.say("::user cora", "/termin Jour fixe B | in zwei Wochen 9 Uhr", "/aufgabe B-Aufgabe")
    await bot.say("::user adam", "::chat elsewhere", "::admin", "/hilfe")


async def _networks(bot: ConsoleBot) -> None:
    """Netz A with AG A and greta as its Geschäftsstelle; Netz B with AG B and gina."""
    await bot.say("::user greta", "::dm", "/hilfe", "::user gina", "/hilfe")
    await bot.say("::user root", "/netzwerk anlegen Netz A", "/netzwerk anlegen Netz B")
    for network, group, office in (("A", "Alpha", "greta"), ("B", "Beta", "gina")):
        await bot.say(
            f"::chat netz-{network.lower()}",
            "::admin",
            f"/einrichten netzwerk Netz {network}",
            f"/netzwerk aufnehmen AG {group}",
            f"/netzwerk rolle @{office} geschaeftsstelle",
            "::noadmin",
        )


async def _network_id(bot: ConsoleBot, name: str) -> int:
    from storage import networks

    async with bot.app.sessions() as session:
        network = await networks.find_network(session, name)
    assert network is not None
    return network.id


async def _numbers_of_a(bot: ConsoleBot) -> list[int]:
    """The numbers AG A's objects are known by: meetings (the first of the series among
    them), tasks, hours and personal reminders."""
    rows = await group_rows(bot.app.engine, await _group_id(bot, "ag-a"))

    def column(table: str, name: str, **where: str) -> set[int]:
        values = [dict(row) for row in rows.get(table, set())]
        return {
            int(v[name])
            for v in values
            if all(v[key] == repr(value) for key, value in where.items())
        }

    meetings = sorted(column("meetings", "number"))
    numbers = {meetings[0], meetings[1], meetings[-1]}  # single, series, today's
    numbers |= column("action_items", "id") | column("hour_entries", "id")
    numbers |= {
        int(dict(row)["id"])
        for row in rows.get("reminders", set())
        if "PERSONAL" in dict(row)["kind"]
    }
    return sorted(numbers)


async def _group_id(bot: ConsoleBot, chat: str) -> int:
    from storage import groups

    async with bot.app.sessions() as session:
        group = await groups.group_for_chat(session, "console", chat)
    assert group is not None
    return group.id


async def _person_id(bot: ConsoleBot, name: str) -> int:
    async with bot.app.sessions() as session:
        person = await people.find_by_account(session, "console", name)
    assert person is not None
    return person.id


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*")) if root.exists() else set()


async def test_nobody_changes_or_reads_another_ags_objects_by_number(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await _ag_b(bot)
    await _ag_a_with_objects(bot)
    await _networks(bot)
    group_a = await _group_id(bot, "ag-a")
    numbers = await _numbers_of_a(bot)
    assert len(numbers) >= 6
    forms = object_forms()
    owners = person_columns()
    files = tmp_path / "files"
    violations: list[str] = []
    for attacker in ATTACKERS:
        attacker_id = await _person_id(bot, attacker.name) if attacker.name != "adam" else None
        outsider = attacker.name != "bea"
        for chat in CHATS:
            await bot.say(f"::user {attacker.name}", chat)
            if attacker.admin_of and chat == f"::chat {attacker.admin_of}":
                await bot.say("::admin")
            for name, args in forms:
                before = await group_rows(bot.app.engine, group_a)
                files_before = _files(files)
                printed = []
                for number in numbers:
                    line = f"/{name} {args.replace('#N', f'#{number}')}"
                    printed.append(await bot.say(line))
                after = await group_rows(bot.app.engine, group_a)
                where = f"{attacker.role} in {chat}: /{name} {args}"
                diff = changes(before, after)
                if not outsider and attacker_id is not None:
                    diff = _not_own(diff, attacker_id, owners)
                if diff:
                    violations.append(f"{where} changed {diff}")
                # What A's own chat shows anyone in it (invitations carry the agenda) is no
                # leak; from anywhere else an outsider reads nothing of A.
                if outsider and chat != "::chat ag-a" and any(SECRET in o for o in printed):
                    violations.append(f"{where} read {SECRET}: {printed}")
                if outsider and _files(files) - files_before:
                    violations.append(f"{where} received files")
    assert not violations, "\n".join(violations[:20])


def _not_own(
    diff: dict[str, object], person_id: int, owners: dict[str, set[str]]
) -> dict[str, object]:
    """The changes left after taking out new rows that belong to the person themself."""
    left: dict[str, object] = {}
    for table, change in diff.items():
        assert isinstance(change, dict)
        new = [row for row in change["new"] if not references_person(row, person_id, owners[table])]
        # A plain member's own answer may replace their earlier one; nothing else may go.
        gone = [
            row for row in change["gone"] if not references_person(row, person_id, owners[table])
        ]
        if new or gone:
            left[table] = {"gone": gone, "new": new}
    return left


async def test_each_generated_form_is_understood_by_the_ags_coordinator(bot: ConsoleBot) -> None:
    """The control: A's coordinator gets no usage error for any form, and many change A."""
    await _ag_b(bot)
    await _ag_a_with_objects(bot)
    await _networks(bot)
    group_a = await _group_id(bot, "ag-a")
    numbers = await _numbers_of_a(bot)
    await bot.say("::user anna", "::chat ag-a")
    misunderstood, changed = [], 0
    for name, args in object_forms():
        before = await group_rows(bot.app.engine, group_a)
        for number in numbers:
            out = await bot.say(f"/{name} {args.replace('#N', f'#{number}')}")
            if USAGE_ERROR.search(out):
                misunderstood.append(f"/{name} {args}: {out}")
                break
        if changes(before, await group_rows(bot.app.engine, group_a)):
            changed += 1
    assert not misunderstood, "\n".join(misunderstood)
    # Most forms change something when the right person uses them.
    assert changed >= 15, changed


def test_the_network_forms_cover_every_network_command() -> None:
    forms = network_forms()
    assert {name for name, _ in forms} == {"netzwerk", "einrichten"}
    for args in (
        "",
        "create Netz B",
        "admit AG Alpha",
        "release AG Beta",
        "role @gina office",
        "role @anna none",
    ):
        assert ("netzwerk", args) in forms
    assert ("einrichten", "network Netz A") in forms


async def test_nobody_outside_changes_or_reads_a_network(bot: ConsoleBot) -> None:
    await _ag_b(bot)
    await _ag_a_with_objects(bot)
    await _networks(bot)
    group_a, network_a = await _group_id(bot, "ag-a"), await _network_id(bot, "Netz A")
    attackers = [*ATTACKERS, Attacker("anna", "coordinator of AG A, not of the network")]
    violations: list[str] = []
    for attacker in attackers:
        for chat in NETWORK_CHATS:
            await bot.say(f"::user {attacker.name}", chat)
            if attacker.admin_of and chat == f"::chat {attacker.admin_of}":
                await bot.say("::admin")
            for name, args in network_forms():
                before = await network_rows(bot.app.engine, network_a)
                rows_before = await group_rows(bot.app.engine, group_a)
                out = await bot.say(f"/{name} {args}")
                where = f"{attacker.role} in {chat}: /{name} {args}"
                if diff := changes(before, await network_rows(bot.app.engine, network_a)):
                    violations.append(f"{where} changed {diff}")
                if diff := changes(rows_before, await group_rows(bot.app.engine, group_a)):
                    violations.append(f"{where} changed AG A: {diff}")
                # The Geschäftsstelle's name is shown in Netz A's chats and AG A's chat only.
                if chat in {"::chat ag-b", "::chat elsewhere", "::dm"} and "greta" in out:
                    violations.append(f"{where} read greta: {out}")
    assert not violations, "\n".join(violations[:20])


async def test_each_network_form_is_understood_by_the_geschaeftsstelle(bot: ConsoleBot) -> None:
    """The control: greta gets no usage error in Netz A's chat, and some forms change it."""
    await _ag_b(bot)
    await _ag_a_with_objects(bot)
    await _networks(bot)
    network_a = await _network_id(bot, "Netz A")
    await bot.say("::user greta", "::chat netz-a", "::admin")
    misunderstood, changed = [], 0
    for name, args in network_forms():
        before = await network_rows(bot.app.engine, network_a)
        out = await bot.say(f"/{name} {args}")
        if USAGE_ERROR.search(out):
            misunderstood.append(f"/{name} {args}: {out}")
        if changes(before, await network_rows(bot.app.engine, network_a)):
            changed += 1
    assert not misunderstood, "\n".join(misunderstood)
    # Granting the role to anna, mira and gina (taking it away comes first in the sorted
    # forms, when they do not have it yet; AG A and Netz B are not greta's to change).
    assert changed == 3, changed


def test_the_usage_lines_read_in_german_too() -> None:
    translator = Translator("de")
    for command in build_registry():
        if "#N" in command.usage:
            assert "#N" in translator.t(command.usage), command.name
