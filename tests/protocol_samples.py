"""A rich protocol for the document tests and the rendering benchmark.

German names and texts with umlauts, ß, € and „…", a TOP 0 of notes before the agenda,
a 3,000-character action item, and as many TOPs and entries as asked for.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from documents.protocol import ActionItemRow, Entry, EntryKind, Protocol, Topic

PRESENT = ("Jürgen Öztürk", "Bärbel Maß", "Zoë Weiß", "Łukasz Nowak", "Renée Fuß")
EXCUSED = ("Heike Süß",)
ABSENT = ("Otto Groß",)
CHAIR = "Jürgen Öztürk"
MINUTE_TAKER = "Bärbel Maß"
GROUP = "AG Straßenbäume & Grünflächen"
MEETING = "Jour fixe Grünflächenpflege"
PUBLISHED_AT = "Fr, 10.04.2026, 09:30 Uhr"
NEXT_MEETING = "Di, 05.05.2026, 14:00 Uhr"
START = datetime(2026, 4, 7, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def long_text_token(index: int) -> str:
    """A word of the long text that cannot wrap, so a reader can check it came through."""
    return f"Maßnahme-{index:03d}"


def long_text(length: int = 3_000) -> str:
    """Numbered sentences with umlauts, ß and €, cut to ``length`` characters at a word."""
    sentences: list[str] = []
    index = 1
    while sum(len(sentence) + 1 for sentence in sentences) < length:
        sentences.append(
            f"{long_text_token(index)}: Gehölzschnitt für 12,50 € je Baum an der Straße "
            f"„Am Weißen Hügel“ – bitte prüfen."
        )
        index += 1
    return " ".join(sentences)[:length].rsplit(" ", 1)[0]


def _kind(index: int) -> EntryKind:
    # Every third entry a decision and every third an action item: all kinds on every page.
    return (EntryKind.INFO, EntryKind.DECISION, EntryKind.ACTION)[index % 3]


def _entry(number: int, text: str) -> Entry:
    kind = _kind(number)
    at = START + timedelta(minutes=number)
    if kind is not EntryKind.ACTION:
        return Entry(number, kind, text, MINUTE_TAKER, at, corrected=number == 4)
    # Some action items have two people, every fifth nobody, every fourth no deadline.
    assignees: tuple[str, ...] = () if number % 5 == 0 else (PRESENT[number % len(PRESENT)],)
    if number % 7 == 0:
        assignees += (PRESENT[(number + 1) % len(PRESENT)],)
    due = None if number % 4 == 0 else f"Fr, {1 + number % 28:02d}.05.2026"
    return Entry(number, kind, text, MINUTE_TAKER, at, assignees, due, item_number=100 + number)


def rich_protocol(
    language: str = "de", *, topics: int = 40, entries: int = 100, published: bool = True
) -> Protocol:
    """A protocol with ``topics`` TOPs (plus TOP 0) and ``entries`` entries spread over them.

    Entry 2 is an action item with the 3,000-character text of :func:`long_text`.
    """
    texts = {
        1: "Begrüßung durch die Sitzungsleitung; Beschlussfähigkeit festgestellt.",
        2: long_text(),
    }
    all_entries = [
        _entry(
            number,
            texts.get(number, f"Punkt {number}: Pflege der Bäume für {number * 10} € prüfen."),
        )
        for number in range(1, entries + 1)
    ]
    # The first entry comes before the first TOP; the rest go round-robin over the TOPs.
    per_topic: dict[int, list[Entry]] = {number: [] for number in range(topics + 1)}
    per_topic[0].append(all_entries[0])
    for position, entry in enumerate(all_entries[1:]):
        per_topic[1 + position % topics].append(entry)
    topic_list = tuple(
        Topic(
            number,
            "" if number == 0 else f"Straßenbegleitgrün, Abschnitt {number} (Süd)",
            tuple(found),
        )
        for number, found in per_topic.items()
    )
    actions = [entry for entry in all_entries if entry.kind is EntryKind.ACTION]
    return Protocol(
        language=language,
        group_name=GROUP,
        meeting_title=MEETING,
        meeting_number=12,
        date="Di, 07.04.2026",
        time="14:00–15:30 Uhr",
        place="Rathaus Erfurt, Raum 2.14 und https://meet.example.org/ag-gruen",
        chair=CHAIR,
        minute_taker=MINUTE_TAKER,
        present=PRESENT,
        excused=EXCUSED,
        absent=ABSENT,
        topics=topic_list,
        decisions=tuple(entry for entry in all_entries if entry.kind is EntryKind.DECISION),
        action_items=tuple(
            ActionItemRow(entry.item_number or 0, entry.text, entry.assignees, entry.due)
            for entry in actions
        ),
        next_meeting=NEXT_MEETING,
        published_at=PUBLISHED_AT if published else None,
    )
