"""A protocol as a Word document (DOCX), for AGs that correct or file protocols in Word.

python-docx lays out the blocks of :mod:`documents.protocol_layout` on A4 with Word's own
styles (Title, Heading 1/2, List Bullet, Table Grid), so the document stays editable the
way people expect. Page numbers are Word fields, counted when the document is opened.
"""

from __future__ import annotations

import re
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from core.i18n import Translator
from documents import protocol_layout as blocks
from documents.protocol import Protocol

PAGE_WIDTH, LEFT_MARGIN, RIGHT_MARGIN = Mm(210), Mm(22), Mm(20)
TEXT_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN
BODY_SIZE = Pt(10.5)
SMALL_SIZE = Pt(8.5)
GREY = RGBColor(0x5A, 0x5A, 0x5A)
DRAFT_RED = RGBColor(0xA0, 0x14, 0x14)
DRAFT_FILL = "FDECEA"
HEAD_FILL = "E4E8EE"
# Word styles per layout level: the title, a section, a TOP or a person.
HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2"}
BULLET_STYLE = "List Bullet"
FIELD_LABEL_SHARE = 0.28
PAGE_PLACEHOLDER = re.compile(r"(\{page\}|\{pages\})")
# Characters XML 1.0 does not allow; tabs and line breaks are kept (python-docx maps them).
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_docx(protocol: Protocol, translator: Translator) -> bytes:
    """The protocol as a DOCX file (A4) in the translator's language."""
    layout = blocks.layout_protocol(protocol, translator)
    document = Document()
    _set_up_page(document, layout, translator)
    # python-docx looks a style name up anew for every paragraph, which was two thirds of
    # the time of a long protocol; the ids are looked up once and set directly instead.
    style_ids = {
        name: document.styles[name].style_id for name in (*HEADING_STYLES.values(), BULLET_STYLE)
    }
    for block in layout.blocks:
        _block(document, block, style_ids)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_up_page(
    document: DocxDocument, layout: blocks.ProtocolLayout, translator: Translator
) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, Mm(297)
    section.left_margin, section.right_margin = LEFT_MARGIN, RIGHT_MARGIN
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    document.styles["Normal"].font.size = BODY_SIZE
    properties = document.core_properties
    properties.title = NOT_IN_XML.sub("", layout.title)
    properties.language = layout.language
    properties.author = properties.last_modified_by = "AG-Bot"
    # The first page has the full header block; later pages repeat a one-line running head.
    section.different_first_page_header_footer = True
    head = section.header.paragraphs[0]
    _small(_run(head, layout.running_head))
    for footer in (section.first_page_footer, section.footer):
        _footer(footer.paragraphs[0], layout, translator)


def _footer(
    paragraph: DocxParagraph, layout: blocks.ProtocolLayout, translator: Translator
) -> None:
    status = _small(_run(paragraph, layout.status))
    if layout.is_draft:
        status.bold = True
        status.font.color.rgb = DRAFT_RED
    _small(paragraph.add_run("\t\t"))
    # "Seite {page} von {pages}": the placeholders become Word's PAGE and NUMPAGES fields.
    label = translator.t("Page {page} of {pages}")
    for part in PAGE_PLACEHOLDER.split(label):
        if part == "{page}":
            _field(paragraph, "PAGE")
        elif part == "{pages}":
            _field(paragraph, "NUMPAGES")
        elif part:
            _small(_run(paragraph, part))


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    run_properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(SMALL_SIZE.pt * 2)))
    run_properties.append(size)
    run.append(run_properties)
    text = OxmlElement("w:t")
    text.text = "1"  # shown until Word updates the field
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _small(run: Run) -> Run:
    run.font.size = SMALL_SIZE
    run.font.color.rgb = GREY
    return run


def _run(paragraph: DocxParagraph, text: str) -> Run:
    """A run of the text, without the control characters XML cannot hold.

    A text pasted into the chat can carry them (a vertical tab, a bell); python-docx would
    refuse the whole document.
    """
    return paragraph.add_run(NOT_IN_XML.sub("", text))


def _styled_paragraph(document: DocxDocument, style_id: str, text: str = "") -> DocxParagraph:
    paragraph = document.add_paragraph()
    paragraph._p.style = style_id
    _run(paragraph, text)
    return paragraph


def _block(document: DocxDocument, block: blocks.Block, style_ids: dict[str, str]) -> None:
    match block:
        case blocks.Heading(text=text, level=level):
            paragraph = _styled_paragraph(document, style_ids[HEADING_STYLES[level]], text)
            paragraph.paragraph_format.keep_with_next = True
        case blocks.Fields(rows=rows):
            _fields(document, rows)
        case blocks.Note(label=label, text=text, detail=detail):
            paragraph = _styled_paragraph(document, style_ids[BULLET_STYLE])
            if label:
                _run(paragraph, f"{label}: ").bold = True
            _run(paragraph, text)
            if detail:
                paragraph.add_run().add_break()
                _small(_run(paragraph, detail))
        case blocks.Paragraph(text=text):
            _run(document.add_paragraph(), text)
        case blocks.Table(header=header, rows=rows, widths=widths):
            _table(document, header, rows, widths)
        case blocks.Banner(text=text):
            paragraph = document.add_paragraph()
            run = _run(paragraph, text)
            run.bold = True
            run.font.color.rgb = DRAFT_RED
            _shade(paragraph._p.get_or_add_pPr(), DRAFT_FILL)


def _fields(document: DocxDocument, rows: tuple[tuple[str, str], ...]) -> None:
    table = document.add_table(rows=0, cols=2)
    label_width = int(TEXT_WIDTH * FIELD_LABEL_SHARE)
    for label, value in rows:
        label_cell, value_cell = table.add_row().cells
        _cell_text(label_cell, label, bold=True, width=label_width)
        _cell_text(value_cell, value, bold=False, width=TEXT_WIDTH - label_width)


def _table(
    document: DocxDocument,
    header: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    widths: tuple[int, ...],
) -> None:
    table = document.add_table(rows=1, cols=len(header), style="Table Grid")
    column_widths = [int(TEXT_WIDTH * share / sum(widths)) for share in widths]
    heading_row = table.rows[0]
    # Repeated at the top of every page the table runs over.
    heading_row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text, column_width in zip(heading_row.cells, header, column_widths, strict=True):
        _cell_text(cell, text, bold=True, width=column_width)
        _shade(cell._tc.get_or_add_tcPr(), HEAD_FILL)
    for row in rows:
        cells = table.add_row().cells
        for cell, text, column_width in zip(cells, row, column_widths, strict=True):
            _cell_text(cell, text, bold=False, width=column_width)
    document.add_paragraph()


def _cell_text(cell: _Cell, text: str, *, bold: bool, width: int) -> None:
    cell.width = Emu(width)
    run = _run(cell.paragraphs[0], text)
    run.bold = bold


def _shade(properties: BaseOxmlElement, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)
