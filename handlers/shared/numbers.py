"""Numbers people give for objects: ``#12`` or ``12`` for task 12, ``#7`` for meeting 7."""

from __future__ import annotations

import re

# Tasks are numbered across the deployment, meetings within their AG: fewer digits suffice.
_ITEM_NUMBER = re.compile(r"^#?(\d{1,12})$")
_MEETING_NUMBER = re.compile(r"^#?(\d{1,6})$")


def item_number(word: str) -> int | None:
    """``12`` or ``#12`` → 12."""
    match = _ITEM_NUMBER.match(word.strip())
    return int(match.group(1)) if match else None


def meeting_number(word: str) -> int | None:
    """``7`` or ``#7`` → 7."""
    match = _MEETING_NUMBER.match(word.strip())
    return int(match.group(1)) if match else None
