"""Hour exports for spreadsheets: a CSV that German Excel opens correctly, and an XLSX.

The CSV is UTF-8 with a byte order mark, semicolon-separated, with decimal commas and
German dates: what Excel expects on a German system. The XLSX (openpyxl, written in
streaming mode so 100,000 entries stay fast) keeps hours as numbers, with a sheet of
totals per person and project and a sheet with the audit trail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.i18n import N_, Translator

# Spreadsheet programs run cells starting with these as formulas ("CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HOURS_FORMAT = "0.00"
_DATE_FORMAT = "DD.MM.YYYY"
_HEADINGS = (N_("No."), N_("Date"), N_("Person"), N_("Project"), N_("Hours"), N_("Description"))


@dataclass(frozen=True)
class HourRow:
    """One hour entry as exported."""

    number: int
    day: date
    person: str
    project: str
    minutes: int
    description: str


@dataclass(frozen=True)
class ChangeRow:
    """One change or deletion from the audit trail."""

    at: datetime  # in the AG's time zone
    number: int
    what: str  # "changed" / "deleted", already translated
    by: str
    minutes_before: int | None
    minutes_after: int | None
    detail: str


@dataclass
class HourTotals:
    """Minutes per person and project, summed while the rows are written."""

    by_person: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, row: HourRow) -> None:
        projects = self.by_person.setdefault(row.person, {})
        projects[row.project] = projects.get(row.project, 0) + row.minutes

    def by_project(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for projects in self.by_person.values():
            for project, minutes in projects.items():
                result[project] = result.get(project, 0) + minutes
        return dict(sorted(result.items(), key=lambda pair: pair[0].casefold()))


def hours_text(minutes: int) -> str:
    """``2,50``: hours with two decimals and a decimal comma."""
    value = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value}".replace(".", ",")


def _safe(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def render_csv(rows: Iterable[HourRow], translator: Translator) -> bytes:
    """The entries, one per line, for German Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([translator.t(heading) for heading in _HEADINGS])
    for row in rows:
        writer.writerow(
            [
                row.number,
                f"{row.day:%d.%m.%Y}",
                _safe(row.person),
                _safe(row.project),
                hours_text(row.minutes),
                _safe(row.description),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def render_xlsx(
    rows: Iterable[HourRow], changes: Iterable[ChangeRow], title: str, translator: Translator
) -> bytes:
    """Three sheets: the entries, totals per person and per project, and the changes."""
    t = translator.t
    workbook = Workbook(write_only=True)
    entries = workbook.create_sheet(t("Entries"))
    entries.append([title])
    entries.append(_bold_row(entries, [t(heading) for heading in _HEADINGS]))
    totals = HourTotals()
    # Styled cells cost several times a plain value, and an export may have 100,000 rows:
    # only dates and hours get a format, and only text that looks like a formula a cell.
    for row in rows:
        totals.add(row)
        # openpyxl's types ask for a datetime; with the format Excel shows a date.
        day = WriteOnlyCell(entries, value=datetime.combine(row.day, time()))
        day.number_format = _DATE_FORMAT
        amount = WriteOnlyCell(entries, value=row.minutes / 60)
        amount.number_format = _HOURS_FORMAT
        entries.append(
            [
                row.number,
                day,
                _plain(entries, row.person),
                _plain(entries, row.project),
                amount,
                _plain(entries, row.description),
            ]
        )
    _totals_sheet(workbook, totals, title, translator)
    _changes_sheet(workbook, changes, translator)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _totals_sheet(
    workbook: Workbook, totals: HourTotals, title: str, translator: Translator
) -> None:
    """Per person: a row per project and the person's total row; then totals per project."""
    t = translator.t
    sheet = workbook.create_sheet(t("Totals"))
    sheet.append([title])
    sheet.append(_bold_row(sheet, [t("Person"), t("Project"), t("Hours")]))
    grand_total = 0
    for person in sorted(totals.by_person, key=str.casefold):
        projects = totals.by_person[person]
        for project in sorted(projects, key=str.casefold):
            sheet.append(
                [_text(sheet, person), _text(sheet, project), _hours(sheet, projects[project])]
            )
        person_total = sum(projects.values())
        grand_total += person_total
        sheet.append(
            _bold_row(sheet, [t("Total {name}").format(name=person), "", person_total / 60])
        )
    sheet.append([])
    sheet.append(_bold_row(sheet, [t("Project"), "", t("Hours")]))
    for project, minutes in totals.by_project().items():
        sheet.append(_bold_row(sheet, [t("Total {name}").format(name=project), "", minutes / 60]))
    sheet.append([])
    sheet.append(_bold_row(sheet, [t("Total"), "", grand_total / 60]))


def _changes_sheet(
    workbook: Workbook, changes: Iterable[ChangeRow], translator: Translator
) -> None:
    t = translator.t
    sheet = workbook.create_sheet(t("Changes"))
    sheet.append(
        _bold_row(
            sheet, [t("When"), t("No."), t("What"), t("By"), t("Before"), t("After"), t("Entry")]
        )
    )
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


def _plain(sheet: WriteOnlyWorksheet, value: str) -> str | Cell:
    """The text as it is, or a text cell where openpyxl would take it for a formula."""
    return _text(sheet, value) if value.startswith("=") else value


def _text(sheet: WriteOnlyWorksheet, value: str) -> Cell:
    """A cell that stays text even when it starts with "=" (openpyxl would make a formula)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _hours(sheet: WriteOnlyWorksheet, minutes: int | None) -> Cell | None:
    if minutes is None:
        return None
    cell = WriteOnlyCell(sheet, value=minutes / 60)
    cell.number_format = _HOURS_FORMAT
    return cell


def _bold_row(sheet: WriteOnlyWorksheet, values: list[str | float | None]) -> list[Cell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        if isinstance(value, float):
            cell.number_format = _HOURS_FORMAT
        cells.append(cell)
    return cells
