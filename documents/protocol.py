"""The content of a meeting protocol (Sitzungsprotokoll), apart from any file format.

Handlers fill these frozen types from the minutes taken in the chat; the renderers in
``documents.protocol_*`` turn them into Markdown, PDF and DOCX. Texts are already in the
AG's language and dates already formatted, so a renderer only lays them out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class EntryKind(enum.StrEnum):
    """What a line of the minutes is."""

    INFO = "info"
    DECISION = "decision"
    ACTION = "action"


@dataclass(frozen=True)
class Entry:
    """One line of the minutes under a TOP."""

    number: int  # the entry's number in the minutes, named by corrections
    kind: EntryKind
    text: str
    author: str
    at: datetime  # aware, in the AG's time zone
    assignees: tuple[str, ...] = ()  # action items
    due: str | None = None  # action items: the deadline as people read it
    item_number: int | None = None  # action items: the task's number (#N)
    corrected: bool = False


@dataclass(frozen=True)
class Topic:
    """A TOP with what was noted under it; number 0 holds entries before the first TOP."""

    number: int
    title: str
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class ActionItemRow:
    """A row of the protocol's table of action items."""

    number: int
    text: str
    assignees: tuple[str, ...]
    due: str | None


@dataclass(frozen=True)
class Change:
    """A correction of an entry, for the appendix: the text before and after."""

    number: int  # the entry's number
    topic: int  # its TOP (0: before the first TOP)
    before: str
    after: str
    at: str  # "Mi, 25.03.2026, 15:10 Uhr"
    by: str


@dataclass(frozen=True)
class Protocol:
    """Everything a protocol document shows, in the order it shows it."""

    language: str  # "de" or "en": the language of the headings
    group_name: str
    meeting_title: str
    meeting_number: int
    date: str  # "Di, 07.04.2026"
    time: str  # "14:00–15:30 Uhr"
    place: str  # the place, the link, or both for a hybrid meeting
    chair: str | None
    minute_taker: str | None
    present: tuple[str, ...]
    excused: tuple[str, ...]
    absent: tuple[str, ...]
    topics: tuple[Topic, ...]
    decisions: tuple[Entry, ...]
    action_items: tuple[ActionItemRow, ...]
    next_meeting: str | None  # "Di, 05.05.2026, 14:00 Uhr"
    published_at: str | None  # None: still a draft; else when this version was published
    version: int = 1  # the Fassung; 2 and on replace an earlier one
    replaces: str | None = None  # the day of the version this one replaces ("Mi, 25.03.2026")
    approved_at: str | None = None  # the day the AG approved the protocol
    changes: tuple[Change, ...] = ()  # corrections of entries, oldest first
    guests: tuple[str, ...] = ()  # present from outside the AG ("Frau Dr. Schmidt (Stadt Erfurt)")

    def by_person(self) -> dict[str, list[ActionItemRow]]:
        """The action items per responsible person, in name order; unassigned ones last."""
        grouped: dict[str, list[ActionItemRow]] = {}
        for row in self.action_items:
            for name in row.assignees or ("",):
                grouped.setdefault(name, []).append(row)
        return dict(sorted(grouped.items(), key=lambda pair: (pair[0] == "", pair[0].casefold())))
