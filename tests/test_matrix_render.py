"""How choices become reactions on Matrix: their own emoji where they mean yes or no,
numbers for lists (a list of nine "done" buttons must not read ✅ ❌ ❔)."""

from __future__ import annotations

from bot.matrix.render import choice_keys, render_matrix
from core.messages import Choice, Reply, Span


def _reply(*choices: Choice) -> Reply:
    return Reply(lines=((Span("Frage"),),), choices=choices)


def test_answers_keep_their_emoji_and_lists_are_numbered() -> None:
    answers = _reply(Choice("Zusage", "/zusage 1", "✅"), Choice("Absage", "/absage 1", "❌"))
    assert [key for key, _ in choice_keys(answers)] == ["✅", "❌"]
    done = _reply(*(Choice(f"✓ #{n} erledigt", f"/erledigt {n}") for n in range(1, 12)))
    keys = [key for key, _ in choice_keys(done)]
    assert keys == ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]  # nine at most
    body = render_matrix(done)[0].body
    assert "1️⃣ ✓ #1 erledigt (/erledigt 1)" in body and "/erledigt 10" not in body


def test_a_repeated_emoji_falls_back_to_the_number() -> None:
    twice = _reply(Choice("A", "/a", "✅"), Choice("B", "/b", "✅"))
    assert [key for key, _ in choice_keys(twice)] == ["✅", "2️⃣"]
