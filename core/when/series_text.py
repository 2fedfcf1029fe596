"""Describing a series rule in German, the way the parser reads it back.

"jeden Dienstag", "alle zwei Wochen montags", "monatlich am 15.", "jeden ersten Werktag
im Monat", "jeden zweiten Donnerstag im Quartal", "jeden Montag außer im August" and the
end: ", bis 30.06.2026" or ", 10 mal".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

from core.when.series_rules import QUARTER_ENDS, QUARTER_STARTS, WEEKDAY_CODES, WORKDAYS

_GERMAN_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_GERMAN_MONTHS = (
    *("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August"),
    *("September", "Oktober", "November", "Dezember"),
)
_GERMAN_NUMBERS: tuple[str, ...] = ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs")
_GERMAN_NUMBERS += ("sieben", "acht", "neun", "zehn", "elf", "zwölf")
_GERMAN_ORDINALS = {1: "ersten", 2: "zweiten", 3: "dritten", 4: "vierten", 5: "fünften"}
_GERMAN_ORDINALS |= {-1: "letzten", -2: "vorletzten"}
_WEEKDAY_BY_CODE = dict(zip(WEEKDAY_CODES, _GERMAN_WEEKDAYS, strict=True))


def german_count(number: int) -> str:
    return _GERMAN_NUMBERS[number] if number < len(_GERMAN_NUMBERS) else str(number)


def german_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]


def describe_series_de(
    rrule_text: str, zone: tzinfo | None = None, *, with_end: bool = True
) -> str:
    """The German words for an RRULE; ``zone`` shows an UNTIL as the AG's date."""
    parts = dict(part.split("=", 1) for part in rrule_text.split(";") if "=" in part)
    try:
        described = _describe(parts) + _months_left_out(parts)
    except (KeyError, ValueError):
        return f"Serie ({rrule_text})"
    return described + (series_end_de(rrule_text, zone) if with_end else "")


def series_end_de(rrule_text: str, zone: tzinfo | None = None) -> str:
    """ ", bis 30.06.2026", ", 10 mal" or ""."""
    parts = dict(part.split("=", 1) for part in rrule_text.split(";") if "=" in part)
    try:
        return _end(parts, zone)
    except ValueError:
        return ""


def _describe(parts: dict[str, str]) -> str:
    freq, step = parts.get("FREQ", ""), int(parts.get("INTERVAL", "1"))
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    monthdays = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    if freq == "DAILY" and not days and not monthdays:
        return "täglich" if step == 1 else f"alle {german_count(step)} Tage"
    if freq == "WEEKLY" and days:
        return _describe_weekly(days, step)
    if freq == "MONTHLY" and (days or monthdays):
        return _describe_monthly(parts, days, monthdays, step)
    if freq == "YEARLY" and len(monthdays) == 1 and "BYMONTH" in parts:
        every = "jährlich" if step == 1 else f"alle {german_count(step)} Jahre"
        return f"{every} am {monthdays[0]}.{int(parts['BYMONTH'])}."
    raise ValueError(freq)


def _describe_weekly(days: Sequence[str], step: int) -> str:
    if step == 1 and tuple(days) == WORKDAYS:
        return "werktags"
    names = [_WEEKDAY_BY_CODE[day] for day in days]
    if step == 1:
        return "jeden " + german_list(names)
    plural = [name.lower() + "s" for name in names]
    return f"alle {german_count(step)} Wochen {german_list(plural)}"


def _quarterly(parts: dict[str, str]) -> tuple[int, ...]:
    """The quarter months the rule is bound to (QUARTER_STARTS/ENDS), or ()."""
    months = {int(m) for m in parts.get("BYMONTH", "").split(",") if m}
    for quarter in (QUARTER_STARTS, QUARTER_ENDS):
        if months and months <= set(quarter) and len(months) > 1:
            return quarter
    return ()


def _describe_monthly(
    parts: dict[str, str], days: Sequence[str], monthdays: Sequence[int], step: int
) -> str:
    scope = "im Quartal" if _quarterly(parts) else "im Monat"
    positions = [int(p) for p in parts.get("BYSETPOS", "").split(",") if p]
    if positions and tuple(days) == WORKDAYS:
        which = german_list([_GERMAN_ORDINALS[p] for p in positions])
        return f"jeden {which} Werktag {scope}"
    if days:
        by_weekday: dict[str, list[str]] = {}
        for day in days:
            match = re.fullmatch(r"([+-]?[0-9]+)([A-Z]{2})", day)
            if match is None:
                raise ValueError(day)
            ordinal = _GERMAN_ORDINALS[int(match.group(1))]
            by_weekday.setdefault(_WEEKDAY_BY_CODE[match.group(2)], []).append(ordinal)
        which = german_list([f"{german_list(o)} {name}" for name, o in by_weekday.items()])
        if step == 1:
            return f"jeden {which} {scope}"
        return f"alle {german_count(step)} Monate am {which}"
    shown = german_list([f"{d}." if d > 0 else "letzten Tag" for d in monthdays])
    if _quarterly(parts):
        return f"quartalsweise am {shown}"
    every = {1: "monatlich", 3: "vierteljährlich", 6: "halbjährlich"}.get(step)
    return f"{every or f'alle {german_count(step)} Monate'} am {shown}"


def _months_left_out(parts: dict[str, str]) -> str:
    if "BYMONTH" not in parts or parts.get("FREQ") == "YEARLY":
        return ""
    months = {int(m) for m in parts["BYMONTH"].split(",")}
    base = set(_quarterly(parts) or range(1, 13))
    missing = sorted(base - months)
    if not missing:
        return ""
    return " außer im " + german_list([_GERMAN_MONTHS[m - 1] for m in missing])


def _end(parts: dict[str, str], zone: tzinfo | None) -> str:
    if "COUNT" in parts:
        return f", {int(parts['COUNT'])} mal"
    if "UNTIL" in parts:
        until = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        local = until.astimezone(zone) if zone is not None else until
        return f", bis {local:%d.%m.%Y}"
    return ""
