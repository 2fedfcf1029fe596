"""A protocol as a PDF (A4) that a Geschäftsstelle can send out as it is.

fpdf2 lays out the blocks of :mod:`documents.protocol_layout` with DejaVu Sans, bundled in
``documents/fonts``: the core PDF fonts know no „…", – or €, and a fresh machine may have
no system fonts at all. Long texts wrap and flow over pages; the footer of every page says
whether this is a draft and "Seite 1 von 3".
"""

from __future__ import annotations

import math
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import CellBordersLayout, MethodReturnValue, TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from core.i18n import Translator
from documents import protocol_layout as blocks
from documents.protocol import Protocol

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVuSans"
BODY_SIZE = 10
LINE = 5.0  # mm per line of body text
SMALL_SIZE = 8.5
SMALL_LINE = 4.2
TABLE_SIZE = 9
TABLE_LINE = 4.4
CELL_PADDING = 1.2
# A table row longer than this many lines is split into continuation rows: fpdf2 cannot
# break one row over two pages, and a 3,000-character action item would not fit on one.
ROW_LINES = 10
NOTE_INDENT = 5.0
FIELD_WIDTHS = (28, 72)  # label and value of the header, participants and agenda lists
HEADING_SIZES = {1: 17.0, 2: 13.0, 3: 11.0}
# Space a heading needs below it on the same page, so it never ends a page alone.
KEEP_WITH_NEXT = 22.0
GREY = (90, 90, 90)
RULE_GREY = (170, 170, 170)
HEAD_FILL = (228, 232, 238)
DRAFT_RED = (160, 20, 20)
DRAFT_FILL = (253, 236, 234)


class _ProtocolPdf(FPDF):
    """FPDF with the protocol's running head, footer and draft watermark on every page."""

    def __init__(self, layout: blocks.ProtocolLayout, translator: Translator) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.layout = layout
        self.page_label = translator.t("Page {page} of {pages}")
        self.watermark = translator.t("DRAFT")
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(left=22, top=20, right=20)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(layout.title)
        self.set_lang(layout.language)
        self.set_creator("AG-Bot")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", SMALL_SIZE)
        self.set_text_color(*GREY)
        self.cell(0, SMALL_LINE, self.layout.running_head, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._rule()
        self.ln(4)
        self.set_text_color(0)

    def footer(self) -> None:
        # Drawn last and translucent, so tables and fills cannot hide it.
        if self.layout.is_draft:
            self._watermark()
        self.set_y(-14)
        self._rule()
        self.set_font(FONT, "B" if self.layout.is_draft else "", SMALL_SIZE)
        self.set_text_color(*(DRAFT_RED if self.layout.is_draft else GREY))
        # The status gets the room the page label ("Seite 2 von 3") does not need.
        label_width = self.epw / 4
        self.cell(self.epw - label_width, SMALL_LINE, self.layout.status)
        self.set_font(FONT, "", SMALL_SIZE)
        self.set_text_color(*GREY)
        # "{nb}" is fpdf2's alias for the total, filled in when the document is finished.
        label = self.page_label.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        self.cell(label_width, SMALL_LINE, label, align="R")
        self.set_text_color(0)

    def _rule(self) -> None:
        self.set_draw_color(*RULE_GREY)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_draw_color(0)

    def _watermark(self) -> None:
        self.set_font(FONT, "B", 80)
        with (
            self.local_context(text_color=DRAFT_RED, fill_opacity=0.12),
            self.rotation(angle=45, x=self.w / 2, y=self.h / 2),
        ):
            width = self.get_string_width(self.watermark)
            self.text(self.w / 2 - width / 2, self.h / 2 + 10, self.watermark)


def render_pdf(protocol: Protocol, translator: Translator) -> bytes:
    """The protocol as an A4 PDF with page numbers, in the translator's language."""
    layout = blocks.layout_protocol(protocol, translator)
    pdf = _ProtocolPdf(layout, translator)
    pdf.add_page()
    for block in layout.blocks:
        _block(pdf, block)
    return bytes(pdf.output())


def _block(pdf: FPDF, block: blocks.Block) -> None:
    match block:
        case blocks.Heading(text=text, level=level):
            _heading(pdf, text, level)
        case blocks.Fields(rows=rows):
            _table(pdf, None, rows, FIELD_WIDTHS, bold_first_column=True)
            pdf.ln(2)
        case blocks.Note():
            _note(pdf, block)
        case blocks.Paragraph(text=text):
            pdf.set_font(FONT, "", BODY_SIZE)
            pdf.multi_cell(0, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
        case blocks.Table(header=header, rows=rows, widths=widths):
            _table(pdf, header, rows, widths, bold_first_column=False)
            pdf.ln(3)
        case blocks.Banner(text=text):
            _banner(pdf, text)


def _heading(pdf: FPDF, text: str, level: int) -> None:
    size = HEADING_SIZES[level]
    if level > 1:
        pdf.ln(3 if level == 2 else 1.5)
    if pdf.get_y() + KEEP_WITH_NEXT > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if level <= 2:
        pdf.ln(0.8)
        pdf.set_draw_color(*RULE_GREY)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.set_draw_color(0)
    pdf.ln(2)


def _note(pdf: FPDF, note: blocks.Note) -> None:
    left = pdf.l_margin
    pdf.set_font(FONT, "", BODY_SIZE)
    pdf.set_x(left)
    pdf.cell(NOTE_INDENT, LINE, "•")
    # write() wraps at the left margin, so the margin moves in for the hanging indent.
    pdf.set_left_margin(left + NOTE_INDENT)
    if note.label:
        pdf.set_font(FONT, "B", BODY_SIZE)
        pdf.write(LINE, f"{note.label}: ")
        pdf.set_font(FONT, "", BODY_SIZE)
    pdf.write(LINE, note.text)
    pdf.ln(LINE)
    if note.detail:
        pdf.set_font(FONT, "", SMALL_SIZE)
        pdf.set_text_color(*GREY)
        pdf.write(SMALL_LINE, note.detail)
        pdf.ln(SMALL_LINE)
        pdf.set_text_color(0)
    pdf.set_left_margin(left)
    pdf.set_x(left)
    pdf.ln(1.2)


def _banner(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "B", BODY_SIZE)
    pdf.set_text_color(*DRAFT_RED)
    pdf.set_draw_color(*DRAFT_RED)
    pdf.set_fill_color(*DRAFT_FILL)
    pdf.multi_cell(
        0,
        LINE,
        text,
        border=1,
        fill=True,
        align="L",
        padding=2,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0)
    pdf.set_draw_color(0)
    pdf.set_fill_color(255)
    pdf.ln(4)


def _table(
    pdf: FPDF,
    header: tuple[str, ...] | None,
    rows: tuple[tuple[str, ...], ...],
    widths: tuple[int, ...],
    *,
    bold_first_column: bool,
) -> None:
    pdf.set_font(FONT, "", TABLE_SIZE if header else BODY_SIZE)
    line = TABLE_LINE if header else LINE
    share = pdf.epw / sum(widths)
    text_widths = [width * share - 2 * CELL_PADDING for width in widths]
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        text_align="LEFT",
        v_align="TOP",
        line_height=line,
        padding=CELL_PADDING if header else (0.6, CELL_PADDING, 0.6, 0),
        first_row_as_headings=header is not None,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
        borders_layout=TableBordersLayout.ALL if header else TableBordersLayout.NONE,
        repeat_headings=1,
    ) as table:
        if header:
            heading_row = table.row()
            for cell in header:
                heading_row.cell(cell)
        for row in rows:
            parts = _split_row(pdf, row, text_widths)
            for index, part in enumerate(parts):
                border = _part_border(index, len(parts)) if header else CellBordersLayout.INHERIT
                pdf_row = table.row()
                for column, cell in enumerate(part):
                    style = bold if bold_first_column and column == 0 else None
                    pdf_row.cell(cell, style=style, border=border)


def _part_border(index: int, count: int) -> CellBordersLayout:
    """Borders of one part of a split row: no line between the parts of one row."""
    if count == 1:
        return CellBordersLayout.INHERIT
    border = CellBordersLayout.LEFT | CellBordersLayout.RIGHT
    if index == 0:
        border |= CellBordersLayout.TOP
    if index == count - 1:
        border |= CellBordersLayout.BOTTOM
    return border


def _split_row(pdf: FPDF, row: tuple[str, ...], widths: list[float]) -> list[tuple[str, ...]]:
    """The row, or consecutive rows holding ROW_LINES wrapped lines of each cell at a time."""
    if all(_surely_short(pdf, cell, width) for cell, width in zip(row, widths, strict=True)):
        return [row]
    lines = [_wrapped(pdf, cell, width) for cell, width in zip(row, widths, strict=True)]
    parts = math.ceil(max(len(cell_lines) for cell_lines in lines) / ROW_LINES)
    if parts <= 1:
        return [row]
    return [
        tuple(
            "\n".join(cell_lines[part * ROW_LINES : (part + 1) * ROW_LINES]) for cell_lines in lines
        )
        for part in range(parts)
    ]


def _wrapped(pdf: FPDF, text: str, width: float) -> list[str]:
    """The lines fpdf2 wraps the text into at this width, without drawing them."""
    lines = pdf.multi_cell(width, text=text, dry_run=True, output=MethodReturnValue.LINES)
    assert isinstance(lines, list)  # what output=LINES returns
    return lines


def _surely_short(pdf: FPDF, text: str, width: float) -> bool:
    """Whether the text wraps to at most ROW_LINES lines, judged without wrapping it.

    Two consecutive wrapped lines together are wider than the column (the second's first
    word did not fit on the first), so a paragraph of width W takes fewer than
    2 W / width + 2 lines. Wrapping is the slow part of rendering; most cells are short.
    """
    paragraphs = text.count("\n") + 1
    return 2 * pdf.get_string_width(text) / width + 2 * paragraphs <= ROW_LINES
