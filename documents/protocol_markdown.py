"""A protocol as Markdown text, for chats that show Markdown and as a plain-text file."""

from __future__ import annotations

import re

from core.i18n import Translator
from documents import protocol_layout as blocks
from documents.protocol import Protocol

# Characters that would turn a person's text into emphasis, links, HTML or table cells.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
# A line that starts like a heading, list item or quote would change the structure.
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])", re.MULTILINE)
_NEXT_LINE_START = re.compile(r"(\n\s*)([#>+-]|\d+[.)])")


def escape(text: str) -> str:
    """Text placed after other text on its line, with Markdown's special characters literal."""
    return _NEXT_LINE_START.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", text))


def escape_block(text: str) -> str:
    """Text that starts a line of its own, escaped like :func:`escape`."""
    # Continuation lines are escaped already and now start with a backslash: no match twice.
    return _LINE_START.sub(r"\1\\\2", escape(text))


def _indented(text: str, indent: str) -> str:
    # Continuation lines of a list item must be indented, or they end the item.
    return escape(text).replace("\n", "  \n" + indent)


def render_markdown(protocol: Protocol, translator: Translator) -> str:
    """The protocol as Markdown, with the same sections as the PDF and the DOCX."""
    layout = blocks.layout_protocol(protocol, translator)
    text = ""
    previous: blocks.Block | None = None
    for block in layout.blocks:
        # Notes in a row form one tight list; everything else is separated by a blank line.
        if previous is not None:
            text += (
                "\n"
                if isinstance(block, blocks.Note) and isinstance(previous, blocks.Note)
                else "\n\n"
            )
        text += _block(block)
        previous = block
    return text + "\n"


def _block(block: blocks.Block) -> str:
    match block:
        case blocks.Heading(text=text, level=level):
            return "#" * level + " " + " ".join(escape(text).split("\n"))
        case blocks.Fields(rows=rows):
            return "\n".join(
                f"- **{escape(label)}:** {_indented(value, '  ')}" for label, value in rows
            )
        case blocks.Note(label=label, text=text, detail=detail):
            line = f"- **{escape(label)}:** " if label else "- "
            line += _indented(text, "  ")
            if detail:
                line += f"  \n  _{escape(detail)}_"
            return line
        case blocks.Paragraph(text=text):
            return escape_block(text)
        case blocks.Table(header=header, rows=rows):
            lines = [_table_row(header), "|" + "---|" * len(header)]
            lines.extend(_table_row(row) for row in rows)
            return "\n".join(lines)
        case blocks.Banner(text=text):
            return f"> **{escape(text)}**"
    raise TypeError(f"unknown block {block!r}")


def _table_row(cells: tuple[str, ...]) -> str:
    # A table row is one line: line breaks inside a cell become HTML breaks.
    return "| " + " | ".join(escape(cell).replace("\n", "<br>") for cell in cells) + " |"
