"""Property-based: random command lines never crash the bot and always get a reply,
on every database: control characters, huge numbers and 100 kB lines included."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.command_line import parse_command_line
from handlers import build_registry
from tests.databases import backends, drop_database, fresh_database
from tests.harness import ConsoleBot

KNOWN_WORDS = sorted(
    {w for c in build_registry() for w in (c.name, c.alias, *c.hidden_aliases)} | {"verknüpfen"}
)
MARKUP = ["<b>", "</i>", "&amp;", "*", "_", "`", "```", "[x](http://e.org)", "<script>", "\\"]
# Every character except line breaks: the console reads one message per line.
TEXT = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)))
CONTROL = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127, 0x85, 0x9F)] + [
    "u\u0308",
    "\u200b",
    "\ufeff",
]
HUGE_NUMBERS = ["99999999999999999999", "#99999999999999999999", "2147483648", "-1", "0", "1e309"]
ERROR_ID = re.compile(r"(Fehlernummer|error id): [0-9a-f]{8}")


@st.composite
def command_lines(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["/", "!"]))
    word = draw(
        st.one_of(
            st.sampled_from(KNOWN_WORDS),
            st.text(
                st.characters(blacklist_characters="@\r\n", blacklist_categories=("Cs", "Z", "Cc")),
                min_size=1,
                max_size=30,
            ),
        )
    )
    if draw(st.booleans()):
        word = word.upper() if draw(st.booleans()) else word
    suffix = draw(st.sampled_from(["", "", "@AGBot", "@agbot"]))
    parts = draw(
        st.lists(
            st.one_of(
                TEXT,
                st.sampled_from(MARKUP),
                st.sampled_from(["@you", "@ben", "@nobody", "@", "#1", "koordination", "en"]),
                st.text(st.characters(blacklist_characters="\r\n"), min_size=2000, max_size=5000),
                # What breaks databases and parsers: NUL and other control characters,
                # decomposed umlauts, numbers no column holds, and very long lines.
                st.lists(st.sampled_from(CONTROL), min_size=1, max_size=5).map("".join),
                st.sampled_from(HUGE_NUMBERS),
                st.just("x" * 100_000),
            ),
            max_size=4,
        )
    )
    return f"{prefix}{word}{suffix} {' '.join(parts)}".rstrip()


@pytest.mark.parametrize("backend", backends())
def test_random_command_lines_always_get_a_reply(tmp_path: Path, backend: str) -> None:
    runner = asyncio.Runner()
    url = runner.run(fresh_database(backend, tmp_path))
    bot = runner.run(ConsoleBot.start(url, tmp_path))
    runner.run(bot.say("::chat fuzz", "::admin", "/einrichten AG Fuzz", "::user ben", "/join"))
    seen = 0

    @settings(
        max_examples=10_000,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(user=st.sampled_from(["you", "ben", "carla"]), line=command_lines())
    def one_line(user: str, line: str) -> None:
        nonlocal seen
        printed = runner.run(bot.say(f"::user {user}", line))
        assert printed.startswith("[fuzz] "), (line, printed)
        assert not ERROR_ID.search(printed), (line, printed)
        assert "Traceback" not in printed
        seen += 1

    try:
        one_line()
        assert seen >= 10_000
        # Whatever the random lines did (they may rename, rebind or leave), the chat still works.
        after = runner.run(bot.say("::user you", "/ag"))
        assert after.startswith("[fuzz] ") and "fuzz" in after.split("\n", 2)[1]
    finally:
        runner.run(bot.close())
        runner.run(drop_database(url))
        runner.close()


@settings(max_examples=2_000, deadline=None)
@given(text=st.text(), name=st.sampled_from(["AGBot", "Bot", "ÄGbot"]))
def test_the_command_parser_never_fails(text: str, name: str) -> None:
    parsed = parse_command_line(text, [name])
    if parsed is not None:
        assert parsed.word and "@" not in parsed.word
        assert not parsed.word[0].isspace()


def test_the_command_parser_understands_the_forms_people_type() -> None:
    assert parse_command_line("/hilfe", ["AGBot"]) is not None
    assert parse_command_line("!hilfe rolle", ["AGBot"]).args == "rolle"  # type: ignore[union-attr]
    assert parse_command_line("/hilfe@agbot", ["AGBot"]).word == "hilfe"  # type: ignore[union-attr]
    assert parse_command_line("/hilfe@OtherBot", ["AGBot"]) is None
    assert parse_command_line("AGBot: hilfe", ["AGBot"]).by_name  # type: ignore[union-attr]
    assert parse_command_line("hallo zusammen", ["AGBot"]) is None
    assert parse_command_line("/ hilfe", ["AGBot"]) is None
