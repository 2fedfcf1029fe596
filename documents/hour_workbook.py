"""The XLSX hour export, ready to hand in to a funding body or the accounts office.

Four sheets: the entries (with a total row), totals per person and project, the year's
budgets per project (budget, used, remaining and percentage in hours and Tagewerke) and the
audit trail. Every sheet has its heading frozen and repeated on printed pages, and columns
wide enough for what they hold. Totals are Excel formulas over the entries (``SUM``,
``SUMIFS``), so a corrected cell corrects the totals; the hours themselves stay numbers.

openpyxl writes in streaming mode, so 100,000 entries stay fast; it stores no computed
values for formulas, and Excel and LibreOffice compute them when the file is opened.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.i18n import N_, Translator
from documents.hour_export import HEADINGS, BudgetRow, ChangeRow, HourRow

_HOURS_FORMAT = "0.00"
_PERCENT_FORMAT = "0.0%"
_DATE_FORMAT = "DD.MM.YYYY"
# The rows above the first entry: the title and the headings.
_FIRST_ROW = 3
# Wider than this a column is hard to print; longer texts wrap in Excel's cell view.
_MAX_WIDTH = 60
_BUDGET_HEADINGS = (
    N_("Project"),
    N_("Budget (h)"),
    N_("Budget (TW)"),
    N_("Used (h)"),
    N_("Used (TW)"),
    N_("Remaining (h)"),
    N_("Remaining (TW)"),
    N_("Used (%)"),
    N_("Hard cap"),
)
Value = str | float | int | None


@dataclass(frozen=True)
class HourWorkbook:
    """What goes into the export: the period's entries and changes, the year's budgets."""

    title: str
    group: str
    rows: Sequence[HourRow]
    changes: Sequence[ChangeRow]
    budget_year: int
    budgets: Sequence[BudgetRow]
    hours_per_day: float


@dataclass
class _Totals:
    """Which persons booked on which projects: the lines of the totals sheet."""

    by_person: dict[str, set[str]] = field(default_factory=dict)
    projects: set[str] = field(default_factory=set)

    def add(self, row: HourRow) -> None:
        self.by_person.setdefault(row.person, set()).add(row.project)
        self.projects.add(row.project)


@dataclass(frozen=True)
class _Entries:
    """Where the entries are, for the formulas of the other sheets."""

    sheet: str
    last_row: int  # below _FIRST_ROW when there are none

    def column(self, letter: str) -> str:
        return f"{_sheet_ref(self.sheet)}${letter}${_FIRST_ROW}:${letter}${self.last_row}"

    @property
    def empty(self) -> bool:
        return self.last_row < _FIRST_ROW


def render_xlsx(book: HourWorkbook, translator: Translator) -> bytes:
    workbook = Workbook(write_only=True)
    entries = _entries_sheet(workbook, book, translator)
    _totals_sheet(workbook, book, entries, translator)
    _budget_sheet(workbook, book, translator)
    _changes_sheet(workbook, book.changes, translator)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _entries_sheet(workbook: Workbook, book: HourWorkbook, translator: Translator) -> _Entries:
    t = translator.t
    sheet = workbook.create_sheet(t("Entries"))
    headings = [t(heading) for heading in HEADINGS]
    rows = book.rows
    _widths(
        sheet,
        [
            max(len(headings[0]), len(str(rows[-1].number)) if rows else 0),
            len("01.01.2026"),
            _longest(headings[2], (row.person for row in rows)),
            _longest(headings[3], (row.project for row in rows)),
            max(len(headings[4]), len("1000.00")),
            _longest(headings[5], (row.description for row in rows)),
        ],
    )
    _heading(sheet, book.title, headings)
    # Styled cells cost several times a plain value, and an export may have 100,000 rows:
    # only dates and hours get a format, and only text that looks like a formula a cell.
    for row in rows:
        # openpyxl's types ask for a datetime; with the format Excel shows a date.
        day = WriteOnlyCell(sheet, value=datetime.combine(row.day, time()))
        day.number_format = _DATE_FORMAT
        sheet.append(
            [
                row.number,
                day,
                _plain(sheet, row.person),
                _plain(sheet, row.project),
                _hours(sheet, row.minutes),
                _plain(sheet, row.description),
            ]
        )
    entries = _Entries(sheet.title, _FIRST_ROW + len(rows) - 1)
    total = 0 if entries.empty else f"=SUM(E{_FIRST_ROW}:E{entries.last_row})"
    sheet.append(_bold_row(sheet, [None, None, None, t("Total"), total]))
    return entries


def _totals_sheet(
    workbook: Workbook, book: HourWorkbook, entries: _Entries, translator: Translator
) -> None:
    """Per person a line per project and the person's total; then totals per project."""
    t = translator.t
    totals = _Totals()
    for row in book.rows:
        totals.add(row)
    sheet = workbook.create_sheet(t("Totals"))
    labels = [t("Total {name}").format(name=name) for name in [*totals.by_person, *totals.projects]]
    _widths(
        sheet,
        [
            _longest(t("Person"), [*totals.by_person, *labels]),
            _longest(t("Project"), totals.projects),
            max(len(t("Hours")), len("1000.00")),
        ],
    )
    _heading(sheet, book.title, [t("Person"), t("Project"), t("Hours")])
    line = _FIRST_ROW
    for person in sorted(totals.by_person, key=str.casefold):
        first = line
        for project in sorted(totals.by_person[person], key=str.casefold):
            formula = _sum_if(entries, ("C", person), ("D", project))
            sheet.append([_text(sheet, person), _text(sheet, project), _formula(sheet, formula)])
            line += 1
        label = t("Total {name}").format(name=person)
        sheet.append(_bold_row(sheet, [label, None, f"=SUM(C{first}:C{line - 1})"]))
        line += 1
    sheet.append([])
    sheet.append(_bold_row(sheet, [t("Project"), None, t("Hours")]))
    for project in sorted(totals.projects, key=str.casefold):
        label = t("Total {name}").format(name=project)
        sheet.append(_bold_row(sheet, [label, None, _sum_if(entries, ("D", project))]))
    sheet.append([])
    grand_total = 0 if entries.empty else f"=SUM({entries.column('E')})"
    sheet.append(_bold_row(sheet, [t("Total"), None, grand_total]))


def _budget_sheet(workbook: Workbook, book: HourWorkbook, translator: Translator) -> None:
    """Each project's year: budget, used, remaining (formulas) and percentage, h and TW."""
    t = translator.t
    sheet = workbook.create_sheet(t("Budgets"))
    headings = [t(heading) for heading in _BUDGET_HEADINGS]
    names = [budget.project for budget in book.budgets]
    _widths(sheet, [_longest(headings[0], names), *(len(h) for h in headings[1:])])
    per_day = f"{book.hours_per_day:g}"
    title = t("Budgets {year} · {group} (1 TW = {hours} h)").format(
        year=book.budget_year, group=book.group, hours=_clock(round(book.hours_per_day * 60))
    )
    _heading(sheet, title, headings)
    for line, budget in enumerate(book.budgets, start=_FIRST_ROW):
        cells: list[Value | Cell] = [
            _text(sheet, budget.project),
            _hours(sheet, budget.budget_minutes),
            None,
            _hours(sheet, budget.used_minutes),
            _formula(sheet, f"=D{line}/{per_day}"),
            None,
            None,
            None,
            t("yes") if budget.hard else None,
        ]
        if budget.budget_minutes:
            cells[2] = _formula(sheet, f"=B{line}/{per_day}")
            cells[5] = _formula(sheet, f"=B{line}-D{line}")
            cells[6] = _formula(sheet, f"=F{line}/{per_day}")
            cells[7] = _formula(sheet, f"=D{line}/B{line}", _PERCENT_FORMAT)
        sheet.append(cells)


def _changes_sheet(
    workbook: Workbook, changes: Iterable[ChangeRow], translator: Translator
) -> None:
    t = translator.t
    sheet = workbook.create_sheet(t("Changes"))
    changes = list(changes)
    headings = [t("When"), t("No."), t("What"), t("By"), t("Before"), t("After"), t("Entry")]
    _widths(
        sheet,
        [
            len("01.01.2026 10:00"),
            len(headings[1]) + 4,
            _longest(headings[2], (change.what for change in changes)),
            _longest(headings[3], (change.by for change in changes)),
            len(headings[4]) + 2,
            len(headings[5]) + 2,
            _longest(headings[6], (change.detail for change in changes)),
        ],
    )
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.append(_bold_row(sheet, list(headings)))
    for change in changes:
        when = WriteOnlyCell(sheet, value=change.at.replace(tzinfo=None))
        when.number_format = "DD.MM.YYYY HH:MM"
        sheet.append(
            [
                when,
                change.number,
                change.what,
                _text(sheet, change.by),
                _hours(sheet, change.minutes_before),
                _hours(sheet, change.minutes_after),
                _text(sheet, change.detail),
            ]
        )


# --- building blocks ---------------------------------------------------------------------------


def _heading(sheet: WriteOnlyWorksheet, title: str, headings: list[str]) -> None:
    """The title row, then the headings: frozen on screen and repeated on every printed page."""
    sheet.freeze_panes = f"A{_FIRST_ROW}"
    sheet.print_title_rows = f"{_FIRST_ROW - 1}:{_FIRST_ROW - 1}"
    sheet.append([_text(sheet, title)])
    sheet.append(_bold_row(sheet, list(headings)))


def _widths(sheet: WriteOnlyWorksheet, characters: list[int]) -> None:
    """Column widths in characters (set before the first row: streaming mode needs that)."""
    # The stubs miss it, but the streaming sheet has column dimensions (Worksheet._setup).
    dimensions = sheet.column_dimensions  # type: ignore[attr-defined]
    for index, width in enumerate(characters):
        dimensions[chr(ord("A") + index)].width = min(width, _MAX_WIDTH) + 2


def _longest(heading: str, texts: Iterable[str]) -> int:
    return max([len(heading), *(len(text) for text in texts)])


def _sum_if(entries: _Entries, *criteria: tuple[str, str]) -> str | int:
    """``=SUMIFS(…)`` of the entries' hours where each column equals its text exactly."""
    if entries.empty:
        return 0
    parts = [entries.column("E")]
    for column, text in criteria:
        parts += [entries.column(column), _criterion(text)]
    return f"=SUMIFS({','.join(parts)})"


def _criterion(text: str) -> str:
    """``"=Pilot"``: an exact match, with Excel's wildcards and quotes escaped.

    Without the ``=`` a name like ``>5`` or ``Team*`` would be read as a condition.
    """
    escaped = text.replace("~", "~~").replace("*", "~*").replace("?", "~?").replace('"', '""')
    return f'"={escaped}"'


def _sheet_ref(name: str) -> str:
    return "'" + name.replace("'", "''") + "'!"


def _clock(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}"


def _plain(sheet: WriteOnlyWorksheet, value: str) -> str | Cell:
    """The text as it is, or a text cell where openpyxl would take it for a formula."""
    return _text(sheet, value) if value.startswith("=") else value


def _text(sheet: WriteOnlyWorksheet, value: str) -> Cell:
    """A cell that stays text even when it starts with "=" (openpyxl would make a formula)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _formula(sheet: WriteOnlyWorksheet, formula: str | int, style: str = _HOURS_FORMAT) -> Cell:
    cell = WriteOnlyCell(sheet, value=formula)
    cell.number_format = style
    return cell


def _hours(sheet: WriteOnlyWorksheet, minutes: int | None) -> Cell | None:
    if minutes is None:
        return None
    cell = WriteOnlyCell(sheet, value=minutes / 60)
    cell.number_format = _HOURS_FORMAT
    return cell


def _bold_row(sheet: WriteOnlyWorksheet, values: list[Value]) -> list[Cell]:
    """A bold row; a text starting with "=" is a formula (only the ones written here)."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        if isinstance(value, float | int) or (isinstance(value, str) and value.startswith("=")):
            cell.number_format = _HOURS_FORMAT
        cells.append(cell)
    return cells
