"""The German states (Bundesländer) whose public holidays an AG's dates follow."""

from __future__ import annotations

from core.i18n import N_, Translator
from storage.models import WorkingGroup
from storage.models.groups import DEFAULT_STATE

__all__ = ["DEFAULT_STATE", "STATE_NAMES", "find_state", "group_state_name", "state_name"]

# ISO 3166-2 codes without "DE-", as the holidays package names the subdivisions.
STATE_NAMES = {
    "BW": N_("Baden-Württemberg"),
    "BY": N_("Bavaria"),
    "BE": N_("Berlin"),
    "BB": N_("Brandenburg"),
    "HB": N_("Bremen"),
    "HH": N_("Hamburg"),
    "HE": N_("Hesse"),
    "MV": N_("Mecklenburg-Western Pomerania"),
    "NI": N_("Lower Saxony"),
    "NW": N_("North Rhine-Westphalia"),
    "RP": N_("Rhineland-Palatinate"),
    "SL": N_("Saarland"),
    "SN": N_("Saxony"),
    "ST": N_("Saxony-Anhalt"),
    "SH": N_("Schleswig-Holstein"),
    "TH": N_("Thuringia"),
}


def state_name(translator: Translator, code: str) -> str:
    """``BY`` → "Bayern" (German) or "Bavaria"."""
    return translator.t(STATE_NAMES[code])


def group_state_name(translator: Translator, group: WorkingGroup) -> str:
    """The state whose holidays apply to ``group``; "Thüringen (Standard)" while none is set."""
    if group.state in STATE_NAMES:
        return state_name(translator, group.state)
    return translator.t("{state} (default)").format(state=state_name(translator, DEFAULT_STATE))


def find_state(text: str) -> str | None:
    """The code of ``BY``, ``DE-BY``, ``Bayern`` or ``Bavaria``; None for anything else.

    German names are understood in every language: they are what people write.
    """
    word = " ".join(text.split()).casefold().removeprefix("de-")
    german = Translator("de")
    for code, name in STATE_NAMES.items():
        if word in {code.casefold(), name.casefold(), german.t(name).casefold()}:
            return code
    return None
