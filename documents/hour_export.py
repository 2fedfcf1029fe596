"""Hour exports for spreadsheets: the rows they are made of, and a CSV that German Excel
opens correctly.

The CSV is UTF-8 with a byte order mark, semicolon-separated, with decimal commas and
German dates: what Excel expects on a German system. The XLSX is
``documents.hour_workbook``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from core.i18n import N_, Translator

# Spreadsheet programs run cells starting with these as formulas ("CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADINGS = (N_("No."), N_("Date"), N_("Person"), N_("Project"), N_("Hours"), N_("Description"))


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


@dataclass(frozen=True)
class BudgetRow:
    """A project's year: its budget (None without one), the minutes used, whether capped."""

    project: str
    budget_minutes: int | None
    used_minutes: int
    hard: bool


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
    writer.writerow([translator.t(heading) for heading in HEADINGS])
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
