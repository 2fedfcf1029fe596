"""Every user-facing text exists in German, with the same placeholders, in the formal "Sie"."""

from __future__ import annotations

import re
import string
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.i18n import LOCALE_DIR, Translator

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None, "reply": None, "refuse": None}


def _extracted() -> set[str]:
    messages: set[str] = set()
    for folder in ("bot", "core", "documents", "handlers", "reminders"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS, comment_tags=()
        ):
            messages.add(message[0] if isinstance(message, tuple) else message)
    return messages


def _german_catalog() -> dict[str, list[str]]:
    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "agbot.po").open("rb") as po_file:
        catalog = read_po(po_file, locale="de")
    result: dict[str, list[str]] = {}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = list(message.string) if isinstance(message.string, tuple) else [message.string]
        result[msgid] = strings if "fuzzy" not in message.flags else [""]
    return result


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_in_the_code_has_a_german_translation() -> None:
    catalog = _german_catalog()
    missing = sorted(m for m in _extracted() if not all(catalog.get(m, [""])))
    assert missing == [], f"untranslated (run make messages and translate): {missing}"


def test_german_translations_keep_the_placeholders() -> None:
    for msgid, strings in _german_catalog().items():
        for german in strings:
            assert _placeholders(german) == _placeholders(msgid), msgid


def test_german_texts_use_the_formal_sie() -> None:
    informal = re.compile(r"\b(du|dich|dir|dein\w*|euch|euer|eure\w*)\b", re.IGNORECASE)
    for msgid, strings in _german_catalog().items():
        for german in strings:
            assert not informal.search(german), f"informal address in: {german}"
        assert msgid


def test_translator_answers_in_german_and_english() -> None:
    assert Translator("de").t("Usage: {usage}") == "Verwendung: {usage}"
    assert Translator("en").t("Usage: {usage}") == "Usage: {usage}"
    # An unknown language falls back to German, the default of the bot.
    assert Translator("fr").language == "de"


# Placeholders that stand for an AG's full name ("AG Verkehr").
_AG_PLACEHOLDERS = ("{group}", "{current}", "{target}")
# "der AG Verkehr", "zur AG Verkehr", "Die AG Verkehr hat …"; or a label: "Budgets 2026 · AG
# Verkehr", "Stundeneintrag #3 (AG Verkehr)", "AG: AG Verkehr", a list item "• AG Verkehr".
_ARTICLE_BEFORE = re.compile(r"(?:\b(?:der|die|Der|Die|zur) |· |• |\(|: )$")


def test_an_ag_name_in_german_stands_with_its_article() -> None:
    checked = 0
    wrong = []
    for msgid, strings in _german_catalog().items():
        for text in strings:
            for placeholder in _AG_PLACEHOLDERS:
                start = text.find(placeholder)
                while start != -1:
                    checked += 1
                    if not _ARTICLE_BEFORE.search(text[:start]):
                        wrong.append(f"{msgid!r}: {text!r}")
                    start = text.find(placeholder, start + 1)
    assert checked > 50  # the catalog names AGs in many texts; the check reads them all
    assert not wrong, "\n".join(wrong)


def test_the_article_check_catches_a_bare_ag_name() -> None:
    for bare in ("Willkommen in {group}", "Einladung zu einem Termin von {group}", "{group} hat"):
        start = bare.find("{group}")
        assert not _ARTICLE_BEFORE.search(bare[:start]), bare
