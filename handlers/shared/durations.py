"""Durations as people write them in chat: ``2d``, ``1h``, ``90 min``, ``1 Std``, ``2 Tage``."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(
    r"^(?P<amount>\d{1,4})\s*(?P<unit>"
    r"d|t|tag|tage|tagen|day|days|h|std|stunde|stunden|hour|hours"
    r"|m|min|mins|minute|minuten|minutes|w|woche|wochen|week|weeks)\.?$",
    re.IGNORECASE,
)
_MINUTES = {"d": 1440, "t": 1440, "h": 60, "s": 60, "m": 1, "w": 10080}


def parse_duration(text: str) -> timedelta | None:
    """One duration, or None when ``text`` is not one."""
    match = _PART.match(text.strip())
    if match is None:
        return None
    minutes = int(match.group("amount")) * _MINUTES[match.group("unit")[0].casefold()]
    return timedelta(minutes=minutes) if minutes > 0 else None


def format_duration_short(delta: timedelta) -> str:
    """``2d``, ``1h``, ``30min``: how the settings show offsets (the same in both languages)."""
    minutes = int(delta.total_seconds() // 60)
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}min"
