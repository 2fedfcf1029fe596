"""Protocol documents (issue 9): PDF, DOCX and Markdown rendered and read back.

The PDF is read with pypdf and the DOCX with python-docx, the way a person's viewer or Word
would show them: the sections, names, umlauts, ß, € and „…" must come back as text, long
texts must not be cut off, and a draft must say so.
"""

from __future__ import annotations

import re
from dataclasses import replace
from io import BytesIO

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from pypdf import PdfReader

from core.i18n import Translator
from documents.protocol import ActionItemRow, Protocol
from documents.protocol_docx import render_docx
from documents.protocol_markdown import render_markdown
from documents.protocol_pdf import render_pdf
from tests.protocol_samples import (
    ABSENT,
    CHAIR,
    EXCUSED,
    GROUP,
    MINUTE_TAKER,
    NEXT_MEETING,
    PRESENT,
    PUBLISHED_AT,
    long_text,
    rich_protocol,
)

GERMAN_SECTIONS = (
    "Teilnehmende",
    "Tagesordnung",
    "Verlauf der Sitzung",
    "Beschlüsse",
    "Aufgaben",
    "Aufgaben nach Zuständigen",
    "Nächste Sitzung",
)
ENGLISH_SECTIONS = (
    "Participants",
    "Agenda",
    "Proceedings",
    "Decisions",
    "Action items",
    "Action items by person",
    "Next meeting",
)
LONG_TEXT_TOKENS = re.findall(r"Maßnahme-\d{3}", long_text())


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, as a PDF viewer's copy and paste would give it."""
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def docx_document(data: bytes) -> DocxDocument:
    return Document(BytesIO(data))


def styled(document: DocxDocument, style: str) -> list[str]:
    """The texts of the paragraphs in a Word style, in document order."""
    return [
        paragraph.text
        for paragraph in document.paragraphs
        if paragraph.style is not None and paragraph.style.name == style
    ]


def table_with_header(document: DocxDocument, first_cell: str) -> DocxTable:
    for table in document.tables:
        if table.rows[0].cells[0].text == first_cell and len(table.columns) == 4:
            return table
    raise AssertionError(f"no table starting with {first_cell!r}")


def cell_texts(table: DocxTable) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


def empty_protocol() -> Protocol:
    """A meeting where nothing was noted, no chair was named and nothing follows."""
    return replace(
        rich_protocol(topics=1, entries=1),
        chair=None,
        minute_taker=None,
        excused=(),
        absent=(),
        topics=(),
        decisions=(),
        action_items=(),
        next_meeting=None,
    )


# PDF


def test_pdf_has_every_section_name_and_special_character_as_text() -> None:
    protocol = rich_protocol()
    pages = pdf_pages(render_pdf(protocol, Translator("de")))
    text = "\n".join(pages)

    assert len(pages) > 1
    assert pages[0].index("Protokoll: Jour fixe Grünflächenpflege (#12)") < pages[0].index(
        "Teilnehmende"
    )
    positions = [text.index(section + "\n") for section in GERMAN_SECTIONS]
    assert positions == sorted(positions), "sections out of order"
    for line in (
        f"Arbeitsgruppe {GROUP}",
        "Datum Di, 07.04.2026",
        "Uhrzeit 14:00–15:30 Uhr",
        "Ort / Format Rathaus Erfurt, Raum 2.14 und https://meet.example.org/ag-gruen",
        f"Sitzungsleitung {CHAIR}",
        f"Protokollführung {MINUTE_TAKER}",
        f"Anwesend (5) {', '.join(PRESENT)}",
        f"Entschuldigt (1) {EXCUSED[0]}",
        f"Abwesend (1) {ABSENT[0]}",
        "TOP 40 Straßenbegleitgrün, Abschnitt 40 (Süd)",
        "TOP 40: Straßenbegleitgrün, Abschnitt 40 (Süd)",
        "Vor Eintritt in die Tagesordnung",
        "• Beschluss: Begrüßung durch die Sitzungsleitung; Beschlussfähigkeit festgestellt.",
        "• TOP 3: Punkt 4: Pflege der Bäume für 40 € prüfen.",  # decisions name their TOP
        "Zuständig: Zoë Weiß · Frist: Fr, 03.05.2026",
        "Nr. Aufgabe Zuständig Frist",
        NEXT_MEETING,
        f"Veröffentlicht am {PUBLISHED_AT}",
    ):
        assert line in text, line
    assert "„Am Weißen Hügel“ – bitte prüfen." in text
    assert "12,50 € je Baum" in text
    assert "ENTWURF" not in text and "Entwurf" not in text
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in page


def test_pdf_long_text_wraps_and_is_complete_in_notes_table_and_by_person() -> None:
    text = "\n".join(pdf_pages(render_pdf(rich_protocol(), Translator("de"))))

    # The 3,000-character action item stands under its TOP, in the table and under its person.
    assert len(LONG_TEXT_TOKENS) > 30
    for token in LONG_TEXT_TOKENS:
        assert text.count(token) == 3, token
    longest_line = max(len(line) for line in text.splitlines())
    assert longest_line < 120, "a line ran off the page instead of wrapping"


def test_pdf_draft_is_marked_on_every_page_and_numbers_entries() -> None:
    pages = pdf_pages(render_pdf(rich_protocol(published=False), Translator("de")))

    assert pages[0].startswith("ENTWURF – noch nicht freigegeben.")
    assert "Status Entwurf" in pages[0]
    for page in pages:
        assert "Entwurf Seite" in page  # the footer of every page
    text = "\n".join(pages)
    assert "Veröffentlicht am" not in text
    # Coordinators correct a draft by entry number (/protokoll korrektur #N <Nr> <Text>).
    assert "• Nr. 1 · Beschluss: Begrüßung" in text
    assert "• Nr. 2 · Aufgabe #102: Maßnahme-001" in text
    assert "• Nr. 4 · Beschluss: Punkt 4: Pflege der Bäume für 40 € prüfen.\nkorrigiert" in text


def test_pdf_in_english() -> None:
    pages = pdf_pages(render_pdf(rich_protocol("en", published=False), Translator("en")))
    text = "\n".join(pages)

    for heading in ("Minutes: Jour fixe Grünflächenpflege (#12)", *ENGLISH_SECTIONS):
        assert heading in text
    assert f"Chair {CHAIR}" in text and f"Minutes taken by {MINUTE_TAKER}" in text
    assert "DRAFT – not yet approved." in text
    assert f"Draft Page 1 of {len(pages)}" in pages[0]
    assert "Tagesordnung" not in text and "Seite" not in text


def test_pdf_of_a_meeting_where_nothing_was_noted() -> None:
    text = "\n".join(pdf_pages(render_pdf(empty_protocol(), Translator("de"))))

    assert "Sitzungsleitung –" in text and "Protokollführung –" in text
    assert "Entschuldigt (0) –" in text
    assert "Es wurden keine Tagesordnungspunkte festgehalten." in text
    assert "Es wurden keine Beschlüsse gefasst." in text
    assert "Es wurden keine Aufgaben vereinbart." in text
    assert "noch nicht festgelegt" in text
    assert "Seite 1 von 1" in text


# DOCX


def test_docx_headings_header_fields_and_footer() -> None:
    protocol = rich_protocol()
    document = docx_document(render_docx(protocol, Translator("de")))

    assert styled(document, "Title") == ["Protokoll: Jour fixe Grünflächenpflege (#12)"]
    assert styled(document, "Heading 1") == list(GERMAN_SECTIONS)
    topic_headings = [text for text in styled(document, "Heading 2") if text.startswith("TOP")]
    assert topic_headings == [
        f"TOP {n}: Straßenbegleitgrün, Abschnitt {n} (Süd)" for n in range(1, 41)
    ]
    header_fields = cell_texts(document.tables[0])
    assert ("Arbeitsgruppe", GROUP) in header_fields
    assert ("Sitzungsleitung", CHAIR) in header_fields
    assert ("Status", f"Veröffentlicht am {PUBLISHED_AT}") in header_fields
    participants = cell_texts(document.tables[1])
    assert participants[0] == ("Anwesend (5)", ", ".join(PRESENT))
    notes = styled(document, "List Bullet")
    assert (
        "Beschluss: Begrüßung durch die Sitzungsleitung; Beschlussfähigkeit festgestellt." in notes
    )
    footer = document.sections[0].footer.paragraphs[0]
    assert footer.text.startswith(f"Veröffentlicht am {PUBLISHED_AT}")
    instructions = [field.get(qn("w:instr")) for field in footer._p.iter(qn("w:fldSimple"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Seite" in footer.text and "von" in footer.text


def test_docx_action_item_table_cells() -> None:
    protocol = rich_protocol()
    document = docx_document(render_docx(protocol, Translator("de")))

    rows = cell_texts(table_with_header(document, "Nr."))
    assert rows[0] == ("Nr.", "Aufgabe", "Zuständig", "Frist")
    assert len(rows) == 1 + len(protocol.action_items)
    assert rows[1] == ("#102", long_text(), "Zoë Weiß", "Fr, 03.05.2026")
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["#105"][2] == "nicht zugewiesen"
    assert by_number["#108"][3] == "–"  # no deadline
    assert by_number["#114"][2] == "Renée Fuß, Jürgen Öztürk"
    # The heading row repeats on every page the table runs over.
    assert (
        table_with_header(document, "Nr.").rows[0]._tr.find(f".//{qn('w:tblHeader')}") is not None
    )


def test_docx_action_items_grouped_by_person() -> None:
    protocol = rich_protocol()
    document = docx_document(render_docx(protocol, Translator("de")))

    grouped: dict[str, list[str]] = {}
    person: str | None = None
    in_section = False
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style == "Heading 1":
            in_section = paragraph.text == "Aufgaben nach Zuständigen"
        elif in_section and style == "Heading 2":
            person = paragraph.text
            grouped[person] = []
        elif in_section and person is not None and style == "List Bullet":
            grouped[person].append(paragraph.text.split(":")[0])

    expected_names = [name or "Nicht zugewiesen" for name in protocol.by_person()]
    assert list(grouped) == expected_names
    assert expected_names[-1] == "Nicht zugewiesen"
    for name, rows in protocol.by_person().items():
        assert grouped[name or "Nicht zugewiesen"] == [f"#{row.number}" for row in rows]
    assert "#102" in grouped["Zoë Weiß"]


def test_docx_draft_in_english() -> None:
    document = docx_document(render_docx(rich_protocol("en", published=False), Translator("en")))

    assert styled(document, "Heading 1") == list(ENGLISH_SECTIONS)
    assert document.paragraphs[0].text.startswith("DRAFT – not yet approved.")
    assert document.sections[0].footer.paragraphs[0].text.startswith("Draft")
    assert "No. 2 · Action item #102: " in "\n".join(styled(document, "List Bullet"))
    assert cell_texts(table_with_header(document, "No."))[0] == (
        "No.",
        "Action item",
        "Responsible",
        "Deadline",
    )


def test_pasted_control_characters_and_emoji_do_not_stop_any_document() -> None:
    # Text copied into the chat from elsewhere can carry a bell or a vertical tab.
    protocol = replace(
        rich_protocol(topics=2, entries=3),
        meeting_title="Sommerfest 🎉\x07 Planung\x0b2026",
        present=("Anna\x00 Schmidt",),
    )
    translator = Translator("de")

    document = docx_document(render_docx(protocol, translator))
    assert styled(document, "Title") == ["Protokoll: Sommerfest 🎉 Planung2026 (#12)"]
    assert ("Anwesend (1)", "Anna Schmidt") in cell_texts(document.tables[1])
    assert "Sommerfest 🎉" in render_markdown(protocol, translator)
    # DejaVu Sans has no emoji: the PDF leaves it out and keeps the rest of the title.
    assert "Sommerfest" in pdf_pages(render_pdf(protocol, translator))[0]


# Markdown


def test_markdown_structure() -> None:
    protocol = rich_protocol()
    markdown = render_markdown(protocol, Translator("de"))
    lines = markdown.splitlines()

    assert lines[0] == "# Protokoll: Jour fixe Grünflächenpflege (#12)"
    assert [line[3:] for line in lines if line.startswith("## ")] == list(GERMAN_SECTIONS)
    assert "### TOP 40: Straßenbegleitgrün, Abschnitt 40 (Süd)" in lines
    assert f"- **Sitzungsleitung:** {CHAIR}" in lines
    assert f"- **Anwesend (5):** {', '.join(PRESENT)}" in lines
    assert (
        "- **Beschluss:** Begrüßung durch die Sitzungsleitung; Beschlussfähigkeit festgestellt."
        in lines
    )
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| Nr. | Aufgabe | Zuständig | Frist |"
    assert len(table) == 2 + len(protocol.action_items)
    assert f"| #102 | {long_text()} | Zoë Weiß | Fr, 03.05.2026 |" in table
    assert "### Nicht zugewiesen" in lines
    assert lines[-1] == f"Veröffentlicht am {PUBLISHED_AT}"
    assert "Entwurf" not in markdown


def test_markdown_keeps_peoples_text_literal() -> None:
    tricky = ActionItemRow(7, "Kosten | Nutzen *prüfen*\n# kein Titel", ("Zoë Weiß",), None)
    protocol = replace(rich_protocol(topics=2, entries=3), action_items=(tricky,))
    lines = render_markdown(protocol, Translator("de")).splitlines()

    row = next(line for line in lines if line.startswith("| #7 "))
    assert row == r"| #7 | Kosten \| Nutzen \*prüfen\*<br>\# kein Titel | Zoë Weiß | – |"
    assert "# kein Titel" not in lines


def test_markdown_draft_in_english() -> None:
    markdown = render_markdown(rich_protocol("en", published=False), Translator("en"))
    lines = markdown.splitlines()

    assert (
        lines[0]
        == "> **DRAFT – not yet approved. Corrections are possible until it is published.**"
    )
    assert lines[-1] == lines[0]
    assert [line[3:] for line in lines if line.startswith("## ")] == list(ENGLISH_SECTIONS)
    assert "- **Status:** Draft" in lines
    assert "| No. | Action item | Responsible | Deadline |" in lines
    assert "- **No. 2 · Action item #102:** Maßnahme-001" in markdown


@pytest.mark.parametrize("language", ["de", "en"])
def test_all_three_formats_say_the_same(language: str) -> None:
    protocol = rich_protocol(language, topics=3, entries=9, published=False)
    translator = Translator(language)
    pdf_text = " ".join(" ".join(pdf_pages(render_pdf(protocol, translator))).split())
    docx = docx_document(render_docx(protocol, translator))
    markdown = render_markdown(protocol, translator)

    for heading in styled(docx, "Heading 1") + styled(docx, "Heading 2"):
        assert heading in pdf_text
        assert f"# {heading}" in markdown
