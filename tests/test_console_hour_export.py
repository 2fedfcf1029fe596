"""The XLSX hour export ready to hand in: column widths, a frozen header, totals as real Excel
formulas (evaluated here from the workbook read back, never from cached values) and a sheet
with each project's budget, use, rest and percentage for the year in h and TW.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from tests.harness import ConsoleBot
from tests.test_console_hours import booked

_REF = r"(?:'(?P<sheet>[^']+)'!)?\$?(?P<col>[A-Z]+)\$?(?P<row>\d+)"
_RANGE = re.compile(rf"^{_REF}:\$?(?P<col2>[A-Z]+)\$?(?P<row2>\d+)$")
_CELL = re.compile(_REF)
_FUNCTION = re.compile(r"(?P<name>SUMIFS|SUM)\((?P<args>[^()]*)\)")


class Formulas:
    """Evaluates the few formulas the export writes: SUM, SUMIFS with "=text" criteria and
    arithmetic of cell references, the way a spreadsheet program would."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook

    def value(self, sheet: str, ref: str) -> float | str | None:
        raw = self.workbook[sheet][ref].value
        if isinstance(raw, str) and raw.startswith("="):
            return self.evaluate(sheet, raw[1:])
        return raw  # type: ignore[no-any-return]

    def evaluate(self, sheet: str, expression: str) -> float:
        while match := _FUNCTION.search(expression):
            args = _split(match["args"])
            if match["name"] == "SUM":
                result = sum(sum(self._numbers(sheet, arg)) for arg in args)
            else:
                result = self._sumifs(sheet, args)
            expression = expression[: match.start()] + repr(result) + expression[match.end() :]
        expression = _CELL.sub(lambda m: repr(self._number(m["sheet"] or sheet, m)), expression)
        assert re.fullmatch(r"[\d.+\-*/() e]+", expression), expression
        return float(eval(expression))  # only numbers and operators are left

    def _cells(self, sheet: str, text: str) -> list[float | str | None]:
        match = _RANGE.match(text.strip())
        assert match, text
        name = match["sheet"] or sheet
        cells = self.workbook[name][f"{match['col']}{match['row']}:{match['col2']}{match['row2']}"]
        return [self.value(name, cell.coordinate) for row in cells for cell in row]

    def _numbers(self, sheet: str, text: str) -> list[float]:
        return [v for v in self._cells(sheet, text) if isinstance(v, int | float)]

    def _number(self, sheet: str, match: re.Match[str]) -> float:
        value = self.value(sheet, f"{match['col']}{match['row']}")
        assert isinstance(value, int | float) or value is None, value
        return float(value or 0)

    def _sumifs(self, sheet: str, args: list[str]) -> float:
        values = self._cells(sheet, args[0])
        keep = [True] * len(values)
        for criteria_range, criterion in zip(args[1::2], args[2::2], strict=True):
            assert criterion.startswith('"=') and criterion.endswith('"'), criterion
            wanted = re.sub(r"~(.)", r"\1", criterion[2:-1].replace('""', '"')).casefold()
            cells = self._cells(sheet, criteria_range)
            keep = [
                k and str(c or "").casefold() == wanted for k, c in zip(keep, cells, strict=True)
            ]
        return sum(float(v) for v, k in zip(values, keep, strict=True) if k and v is not None)


def _split(args: str) -> list[str]:
    """Arguments at the commas outside quotes."""
    parts, current, quoted = [], "", False
    for char in args:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


def rows_of(workbook: Workbook, sheet: str) -> dict[str, int]:
    """First cell's text → row number, for the rows of a sheet that have one."""
    return {
        str(row[0].value): row[0].row
        for row in workbook[sheet].iter_rows()
        if row[0].value is not None
    }


async def test_the_xlsx_export_is_ready_to_hand_in(bot: ConsoleBot, tmp_path: Path) -> None:
    await booked(bot)  # Pilot has a budget of 100 h; ben and carla booked in Feb and March
    await bot.say("::user ben", "/stunden 0:45 am 11.3. für Pilot: =SUMME(A1:A9) Formel")
    await bot.say("::user anna", "/projekt Allgemein budget 1 TW hart")
    out = await bot.say("/stunden export 2026")
    assert "file: stunden-ag-innenstadt-2026.xlsx" in out
    workbook = openpyxl.load_workbook(tmp_path / "files" / "stunden-ag-innenstadt-2026.xlsx")
    assert workbook.sheetnames == ["Einträge", "Summen", "Budgets", "Änderungen"]
    formulas = Formulas(workbook)

    entries = workbook["Einträge"]
    assert entries.freeze_panes == "A3" and entries.print_title_rows == "$2:$2"
    assert entries.column_dimensions["B"].width >= 11  # 01.01.2026 is not cut off
    assert entries.column_dimensions["F"].width >= len("=SUMME(A1:A9) Formel")
    last = entries.max_row
    assert entries[f"D{last}"].value == "Summe"
    assert str(entries[f"E{last}"].value).startswith("=SUM(")
    assert formulas.value("Einträge", f"E{last}") == pytest.approx(8.25)
    assert entries[f"F{last - 1}"].value == "=SUMME(A1:A9) Formel"  # text, not a formula
    assert entries[f"F{last - 1}"].data_type == "s"

    totals = workbook["Summen"]
    assert totals.freeze_panes == "A3"
    assert totals.column_dimensions["A"].width >= len("Summe Allgemein")
    row = rows_of(workbook, "Summen")
    expected = {
        "Summe ben": 6.75,
        "Summe carla": 1.5,
        "Summe Pilot": 4.25,
        "Summe Allgemein": 4.0,
        "Summe": 8.25,
    }
    for label, hours in expected.items():
        cell = totals[f"C{row[label]}"]
        assert str(cell.value).startswith("="), (label, cell.value)
        assert formulas.value("Summen", cell.coordinate) == pytest.approx(hours), label
    # Each person's line per project is a formula over the entries too.
    lines = {
        (r[0].value, r[1].value): r[2].coordinate
        for r in totals.iter_rows(min_row=3)
        if r[1].value and r[1].value != "Projekt"
    }
    assert {key: formulas.value("Summen", ref) for key, ref in lines.items()} == {
        ("ben", "Allgemein"): pytest.approx(4.0),
        ("ben", "Pilot"): pytest.approx(2.75),
        ("carla", "Pilot"): pytest.approx(1.5),
    }

    budgets = workbook["Budgets"]
    assert budgets.freeze_panes == "A3"
    header = [cell.value for cell in budgets[2]]
    assert header == [
        "Projekt",
        "Budget (h)",
        "Budget (TW)",
        "Verbraucht (h)",
        "Verbraucht (TW)",
        "Verbleibend (h)",
        "Verbleibend (TW)",
        "Verbraucht (%)",
        "Feste Grenze",
    ]
    row = rows_of(workbook, "Budgets")
    assert budgets["A1"].value == "Budgets 2026 · AG Innenstadt (1 TW = 8:00 h)"

    def line(project: str) -> list[float | str | None]:
        return [formulas.value("Budgets", f"{col}{row[project]}") for col in "BCDEFGHI"]

    assert line("Pilot") == pytest.approx([100, 12.5, 4.25, 0.53125, 95.75, 11.96875, 0.0425, None])
    assert budgets[f"H{row['Pilot']}"].number_format == "0.0%"
    assert line("Allgemein") == pytest.approx([8, 1, 4, 0.5, 4, 0.5, 0.5, "ja"])
    for col in "CFGH":  # TW, remaining and percentage follow the hours when edited
        assert str(budgets[f"{col}{row['Pilot']}"].value).startswith("=")


async def test_a_month_export_shows_the_whole_years_budget_use(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await booked(bot)
    await bot.say("/stunden export Februar")
    workbook = openpyxl.load_workbook(tmp_path / "files" / "stunden-ag-innenstadt-2026-02.xlsx")
    formulas = Formulas(workbook)
    row = rows_of(workbook, "Budgets")
    # February's export has 1 h, the budget sheet the year's 3:30 h of Pilot.
    assert formulas.value("Budgets", f"D{row['Pilot']}") == pytest.approx(3.5)
    assert formulas.value("Summen", f"C{rows_of(workbook, 'Summen')['Summe']}") == 1.0


async def test_an_empty_export_still_adds_up(bot: ConsoleBot, tmp_path: Path) -> None:
    await booked(bot)
    await bot.say("/sprache en", "/hours export 2025")
    workbook = openpyxl.load_workbook(tmp_path / "files" / "hours-ag-innenstadt-2025.xlsx")
    formulas = Formulas(workbook)
    assert workbook.sheetnames == ["Entries", "Totals", "Budgets", "Changes"]
    entries = workbook["Entries"]
    assert formulas.value("Entries", f"E{entries.max_row}") == 0
    assert formulas.value("Totals", f"C{rows_of(workbook, 'Totals')['Total']}") == 0
    assert rows_of(workbook, "Budgets").keys() == {
        "Budgets 2025 · AG Innenstadt (1 TW = 8:00 h)",
        "Project",
    }


async def test_an_export_of_an_ag_with_umlauts_has_an_ascii_file_name(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await bot.say("::user anna", "::chat oe", "::admin", "/einrichten AG Öffentlichkeitsarbeit")
    await bot.say("::noadmin", "/stunden 2 Pressetext")
    out = await bot.say("/stunden export 2026")
    # Before, the umlaut was dropped: "stunden-ag-ffentlichkeitsarbeit-2026".
    assert "file: stunden-ag-oeffentlichkeitsarbeit-2026.xlsx" in out, out
    workbook = openpyxl.load_workbook(
        tmp_path / "files" / "stunden-ag-oeffentlichkeitsarbeit-2026.xlsx"
    )
    assert "Summen" in workbook.sheetnames
