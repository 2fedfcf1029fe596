"""The name an AG goes by: always a word for a group first ("AG Verkehr").

Every German text names an AG with its article ("in der AG Verkehr", "Mitglieder der AG
Verkehr"). That only reads right when the name begins with a feminine word for a group, so
a name given without one ("Verkehr") becomes "AG Verkehr" when the AG is set up.
"""

from __future__ import annotations

# "AG", "AG-Verkehr", "Arbeitsgruppe", "Projektgruppe", "Steuerungsgruppe" …
_GROUP_WORDS = ("ag", "ag-", "arbeitsgemeinschaft")


def ag_name(name: str) -> str:
    """``name`` single-spaced, with "AG " in front unless it already starts with a group word."""
    words = name.split()
    first = words[0].casefold() if words else ""
    if first == "ag" or first.startswith(_GROUP_WORDS[1:]) or first.endswith("gruppe"):
        return " ".join(words)
    return " ".join(["AG", *words])
