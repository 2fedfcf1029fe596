"""Translations: gettext catalogs (Babel) for German and English.

Message ids are English. The German catalog lives in
``core/locale/de/LC_MESSAGES/agbot.po`` and is compiled in memory when first
needed, so no binary ``.mo`` file has to be kept in step with it. Update it
with ``make messages`` after changing user-facing texts.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "agbot"


def N_(message: str) -> str:
    """Mark a text for extraction where it is translated later (command tables)."""
    return message


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translator:
    """Translates texts into one language; handlers get one per reply."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            language = DEFAULT_LANGUAGE
        self.language = language
        self._catalog = _catalog(language)

    def t(self, message: str) -> str:
        return self._catalog.gettext(message)

    def tn(self, singular: str, plural: str, count: int) -> str:
        return self._catalog.ngettext(singular, plural, count)
