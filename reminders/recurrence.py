"""The next time a repeating reminder is due, wall-clock time kept across DST changes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.when import Recurrence


def next_occurrence(rrule: str, after: datetime, timezone: str) -> datetime | None:
    """The rule's first occurrence after ``after`` (the one just sent), as UTC; None: none."""
    local = after.astimezone(ZoneInfo(timezone))
    for moment in Recurrence(rrule, local).occurrences(3):
        if moment > after:
            return moment
    return None
