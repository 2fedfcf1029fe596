"""What a protocol document says, in order, as format-neutral blocks.

The Markdown, PDF and DOCX renderers all lay out the same blocks, so the wording, the order
of the sections and the translated labels live here once and the three files cannot drift
apart. A renderer only decides how a heading, a list of fields, a note, a table or the draft
banner looks in its format.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import Translator
from documents.protocol import ActionItemRow, Change, Entry, EntryKind, Protocol

# Shown where a field has no value, so an empty line never looks like a rendering error.
NO_VALUE = "–"


@dataclass(frozen=True)
class Heading:
    """A heading: level 1 is the document's title, 2 a section, 3 a TOP or a person."""

    text: str
    level: int


@dataclass(frozen=True)
class Fields:
    """Label/value pairs shown as an aligned list (the header, the participants, the agenda)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Note:
    """A bullet: an optional bold label ("Beschluss"), the text, and a small detail line."""

    label: str
    text: str
    detail: str = ""


@dataclass(frozen=True)
class Paragraph:
    """Plain running text."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table with a heading row; widths are relative shares of the line."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]


@dataclass(frozen=True)
class Banner:
    """A framed warning, used to mark a draft at the top and the end of the document."""

    text: str


Block = Heading | Fields | Note | Paragraph | Table | Banner


@dataclass(frozen=True)
class ProtocolLayout:
    """The blocks of one protocol plus what a paged format repeats on every page."""

    title: str
    running_head: str  # page header of paged formats, from the second page on
    status: str  # "Entwurf", "Veröffentlicht am …", "Genehmigt am …": every page's footer
    is_draft: bool
    language: str
    blocks: tuple[Block, ...]


def names_or_dash(names: tuple[str, ...]) -> str:
    """Names as a comma-separated list, or a dash when there are none."""
    return ", ".join(names) or NO_VALUE


def layout_protocol(protocol: Protocol, translator: Translator) -> ProtocolLayout:
    """The protocol's content as blocks, with every label in the translator's language."""
    t = translator.t
    is_draft = protocol.published_at is None
    title = t("Minutes: {title} (#{number})").format(
        title=protocol.meeting_title, number=protocol.meeting_number
    )
    status, footer = _status(protocol, translator)
    blocks: list[Block] = []
    draft_banner = Banner(
        t("DRAFT – not yet approved. Corrections are possible until it is published.")
    )
    if is_draft:
        blocks.append(draft_banner)
    blocks.append(Heading(title, 1))
    blocks.append(
        Fields(
            (
                (t("Working group"), protocol.group_name),
                (t("Date"), protocol.date),
                (t("Time"), protocol.time),
                (t("Place / format"), protocol.place or NO_VALUE),
                (t("Chair"), protocol.chair or NO_VALUE),
                (t("Minutes taken by"), protocol.minute_taker or NO_VALUE),
                (t("Status"), status),
            )
        )
    )
    blocks.append(Heading(t("Participants"), 2))
    participants = [(_counted(t("Present"), protocol.present), names_or_dash(protocol.present))]
    if protocol.guests:
        participants.append((_counted(t("Guests"), protocol.guests), "; ".join(protocol.guests)))
    participants += [
        (_counted(t("Excused"), protocol.excused), names_or_dash(protocol.excused)),
        (_counted(t("Absent"), protocol.absent), names_or_dash(protocol.absent)),
    ]
    blocks.append(Fields(tuple(participants)))
    blocks.extend(_agenda(protocol, translator, is_draft))
    blocks.extend(_decisions(protocol, translator))
    blocks.extend(_action_items(protocol, translator))
    blocks.append(Heading(t("Next meeting"), 2))
    blocks.append(Paragraph(protocol.next_meeting or t("not yet scheduled")))
    blocks.append(draft_banner if is_draft else Paragraph(status))
    blocks.extend(_changes(protocol, translator))
    return ProtocolLayout(
        title=title,
        running_head=f"{protocol.group_name} · {title} · {protocol.date}",
        status=footer,
        is_draft=is_draft,
        language=protocol.language,
        blocks=tuple(blocks),
    )


def _status(protocol: Protocol, translator: Translator) -> tuple[str, str]:
    """The status in full (header and end of the document) and short (every page's footer)."""
    t = translator.t
    if protocol.published_at is None:
        return t("Draft"), t("Draft")
    parts = [t("Published on {date}").format(date=protocol.published_at)]
    if protocol.version > 1:
        parts.append(
            t("Version {number}, replaces the version of {date}").format(
                number=protocol.version, date=protocol.replaces or NO_VALUE
            )
        )
    approved = None
    if protocol.approved_at is not None:
        approved = t("Approved on {date}").format(date=protocol.approved_at)
        parts.append(approved)
    footer = approved or parts[0]
    if protocol.version > 1:
        footer = t("Version {number}").format(number=protocol.version) + " · " + footer
    return "; ".join(parts), footer


def _changes(protocol: Protocol, translator: Translator) -> list[Block]:
    """The appendix: each correction with the text before it; the body shows the final text."""
    if not protocol.changes:
        return []
    t = translator.t
    blocks: list[Block] = [
        Heading(t("Appendix: changes from the draft"), 2),
        Paragraph(
            t(
                "Entries corrected after they were noted in the minutes; the protocol above "
                "shows their final text."
            )
        ),
    ]
    blocks.extend(_change_note(change, translator) for change in protocol.changes)
    return blocks


def _change_note(change: Change, translator: Translator) -> Note:
    t = translator.t
    label = t("No. {number}").format(number=change.number)
    if change.topic:
        label = f"{label} (TOP {change.topic})"
    detail = t("before: {text} · corrected {when} by {name}").format(
        text=change.before, when=change.at, name=change.by
    )
    return Note(label, change.after, detail)


def _counted(label: str, names: tuple[str, ...]) -> str:
    return f"{label} ({len(names)})"


def _topic_heading(number: int, title: str, translator: Translator) -> str:
    # Number 0 holds what was noted before the first TOP; it has no place in the agenda.
    if number == 0:
        return title or translator.t("Before the agenda")
    return f"TOP {number}: {title}"


def _agenda(protocol: Protocol, translator: Translator, is_draft: bool) -> list[Block]:
    t = translator.t
    numbered = [topic for topic in protocol.topics if topic.number != 0]
    blocks: list[Block] = [Heading(t("Agenda"), 2)]
    if numbered:
        blocks.append(Fields(tuple((f"TOP {topic.number}", topic.title) for topic in numbered)))
    else:
        blocks.append(Paragraph(t("No agenda points were noted.")))
    blocks.append(Heading(t("Proceedings"), 2))
    for topic in protocol.topics:
        blocks.append(Heading(_topic_heading(topic.number, topic.title, translator), 3))
        if not topic.entries:
            blocks.append(Paragraph(t("Nothing was noted.")))
        blocks.extend(_entry_note(entry, translator, is_draft) for entry in topic.entries)
    return blocks


def _entry_note(entry: Entry, translator: Translator, is_draft: bool) -> Note:
    t = translator.t
    labels: list[str] = []
    # A draft shows each entry's number: coordinators correct entries by it before publishing.
    if is_draft:
        labels.append(t("No. {number}").format(number=entry.number))
    details: list[str] = []
    if entry.kind is EntryKind.DECISION:
        labels.append(t("Decision"))
    elif entry.kind is EntryKind.ACTION:
        action = t("Action item")
        labels.append(action if entry.item_number is None else f"{action} #{entry.item_number}")
        details.append(_responsible(entry.assignees, translator))
        details.append(_deadline(entry.due, translator))
    # A published protocol shows the final text only; the appendix tells what was corrected.
    if entry.corrected and is_draft:
        details.append(t("corrected"))
    return Note(" · ".join(labels), entry.text, " · ".join(details))


def _responsible(names: tuple[str, ...], translator: Translator) -> str:
    if not names:
        return translator.t("Responsible: nobody yet")
    return translator.t("Responsible: {names}").format(names=", ".join(names))


def _deadline(due: str | None, translator: Translator) -> str:
    return translator.t("Deadline: {due}").format(due=due or translator.t("none"))


def _decisions(protocol: Protocol, translator: Translator) -> list[Block]:
    t = translator.t
    topic_of_entry = {
        entry.number: topic.number for topic in protocol.topics for entry in topic.entries
    }
    blocks: list[Block] = [Heading(t("Decisions"), 2)]
    if not protocol.decisions:
        blocks.append(Paragraph(t("No decisions were taken.")))
    for decision in protocol.decisions:
        topic_number = topic_of_entry.get(decision.number)
        label = f"TOP {topic_number}" if topic_number else ""
        blocks.append(Note(label, decision.text))
    return blocks


def _action_items(protocol: Protocol, translator: Translator) -> list[Block]:
    t = translator.t
    blocks: list[Block] = [Heading(t("Action items"), 2)]
    if not protocol.action_items:
        blocks.append(Paragraph(t("No action items were agreed.")))
        return blocks
    blocks.append(
        Table(
            header=(t("No."), t("Action item"), t("Responsible"), t("Deadline")),
            rows=tuple(
                (
                    f"#{row.number}",
                    row.text,
                    ", ".join(row.assignees) or t("not assigned"),
                    row.due or NO_VALUE,
                )
                for row in protocol.action_items
            ),
            widths=(8, 53, 22, 17),
        )
    )
    blocks.append(Heading(t("Action items by person"), 2))
    for name, rows in protocol.by_person().items():
        blocks.append(Heading(name or t("Not assigned"), 3))
        blocks.extend(_person_note(row, translator) for row in rows)
    return blocks


def _person_note(row: ActionItemRow, translator: Translator) -> Note:
    return Note(f"#{row.number}", row.text, _deadline(row.due, translator))
