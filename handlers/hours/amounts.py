"""Amounts of work as people write them: ``2``, ``2,5``, ``2.5h``, ``1:30``, ``90min``,
``1 Std 15 Min``, ``0,5 TW`` (Tagewerk); and minutes shown back as ``2:30``.

Amounts become whole minutes: hours are never stored as floating-point numbers.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

_NUMBER = r"\d{1,5}(?:[.,]\d{1,2})?"
_HOURS = r"h|std|stunde|stunden|hour|hours|hr|hrs"
_MINUTES = r"m|min|mins|minute|minuten|minutes"
_DAYS = r"tw|tagewerk|tagewerke|pt|personentag|personentage|pd|person-day|person-days"
_HOURS_AND_MINUTES = re.compile(
    rf"^(?:(?P<hours>{_NUMBER})\s*(?:{_HOURS})\.?)?\s*"
    rf"(?:(?P<minutes>\d{{1,5}})\s*(?:{_MINUTES})\.?)?$",
    re.IGNORECASE,
)
_PLAIN = re.compile(rf"^(?P<hours>{_NUMBER})$")
_CLOCK = re.compile(r"^(?P<hours>\d{1,5}):(?P<minutes>[0-5]\d)(?:\s*(?:h|std)\.?)?$", re.IGNORECASE)
# "1h30": hours with minutes glued on, as people type on phones.
_GLUED = re.compile(rf"^(?P<hours>\d{{1,3}})\s*(?:{_HOURS})\.?\s*(?P<minutes>[0-5]?\d)$", re.I)
_TAGEWERK = re.compile(rf"^(?P<days>{_NUMBER})\s*(?:{_DAYS})\.?$", re.IGNORECASE)


def parse_amount(text: str, hours_per_day: float) -> int | None:
    """The amount in whole minutes (rounded), or None when ``text`` is not an amount.

    Zero and negative amounts are not amounts here: the caller decides what to say.
    A Tagewerk (person-day) is ``hours_per_day`` hours.
    """
    text = " ".join(text.split())
    if not text:
        return None
    if match := _PLAIN.match(text):
        return _minutes(_decimal(match["hours"]) * 60)
    if match := _CLOCK.match(text):
        return int(match["hours"]) * 60 + int(match["minutes"])
    if match := _GLUED.match(text):
        return int(match["hours"]) * 60 + int(match["minutes"])
    if match := _TAGEWERK.match(text):
        day = Decimal(str(hours_per_day)) * 60
        return _minutes(_decimal(match["days"]) * day)
    match = _HOURS_AND_MINUTES.match(text)
    if match is None or (match["hours"] is None and match["minutes"] is None):
        return None
    hours = _decimal(match["hours"]) if match["hours"] else Decimal(0)
    return _minutes(hours * 60 + int(match["minutes"] or 0))


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _minutes(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_minutes(minutes: int) -> str:
    """``2:30`` for 150 minutes; negative amounts keep their sign (``-0:45``)."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"


def format_days(minutes: int, hours_per_day: float) -> str:
    """Person-days with one decimal as Germans write it: ``45,0``."""
    days = Decimal(minutes) / (Decimal(str(hours_per_day)) * 60)
    return f"{days.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}".replace(".", ",")
