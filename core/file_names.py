"""File names every file system and mail program accepts: ASCII letters, digits and dashes,
German umlauts spelled out ("AG Öffentlichkeitsarbeit" → "AG-Oeffentlichkeitsarbeit")."""

from __future__ import annotations

import re
import unicodedata

_SPELLED_OUT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def ascii_name(text: str, fallback: str) -> str:
    """``text`` as ASCII words joined by dashes; ``fallback`` when nothing of it is left."""
    spelled = unicodedata.normalize("NFC", text).translate(_SPELLED_OUT)
    # Other accents go (é → e); letters without an ASCII form (Cyrillic …) go entirely.
    plain = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-") or fallback
