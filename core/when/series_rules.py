"""Building the RFC 5545 rule that the series words describe.

A rule is only daily or weekly when the person said so (täglich, jeden Tag, werktags,
a weekday, wöchentlich, alle N Wochen): "jeden ersten Tag im Monat" is monthly on the
1st and "jeden ersten Werktag im Monat" monthly on the first of Monday to Friday
(``BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1``), never a daily or weekday series. Quarters are
calendar quarters: "jeden zweiten Donnerstag im Quartal" is the second Thursday of
January, April, July and October (``BYMONTH=1,4,7,10``); "letzten" counts from the
quarter's end (``BYMONTH=3,6,9,12``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from core.when.components import (
    CalDate,
    Every,
    ExceptMonths,
    Feast,
    Instant,
    Interval,
    LastDayOfMonth,
    MonthName,
    MonthScope,
    NthWorkday,
    Offset,
    OrdinalWeekdays,
    Part,
    PeriodPoint,
    QuarterScope,
    RelDay,
    WeekdayRef,
    WeekdaySet,
    WeekRef,
    WeekShift,
)
from core.when.context import only
from core.when.errors import SERIES_EXAMPLES, ambiguous_ordinal_weekday
from core.when.values import WhenError

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WORKDAYS = ("MO", "TU", "WE", "TH", "FR")
QUARTER_STARTS = (1, 4, 7, 10)
QUARTER_ENDS = (3, 6, 9, 12)
_PLURALS = ("montags", "dienstags", "mittwochs", "donnerstags", "freitags", "samstags", "sonntags")


@dataclass(frozen=True)
class SeriesRule:
    """The parts of an RRULE (without DTSTART)."""

    freq: str
    interval: int = 1
    byday: tuple[str, ...] = ()
    bymonthday: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    bysetpos: tuple[int, ...] = ()
    until: str = ""  # 20260630T215959Z
    count: int = 0

    def text(self, interval: int | None = None, bounded: bool = True) -> str:
        step = self.interval if interval is None else interval
        parts = [f"FREQ={self.freq}"]
        if step > 1:
            parts.append(f"INTERVAL={step}")
        if self.bymonth:
            parts.append("BYMONTH=" + ",".join(map(str, self.bymonth)))
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.bymonthday)))
        if self.byday:
            parts.append("BYDAY=" + ",".join(self.byday))
        if self.bysetpos:
            parts.append("BYSETPOS=" + ",".join(map(str, self.bysetpos)))
        if bounded and self.until:
            parts.append(f"UNTIL={self.until}")
        if bounded and self.count:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)


def series_rule(parts: Sequence[Part]) -> SeriesRule:
    """The RRULE that the series words describe (without its end)."""
    interval = only(parts, Interval, "repetition")
    every = only(parts, Every, '"jeden"')
    if interval is not None and every is not None:
        raise WhenError('"jeden" and a repetition word together', SERIES_EXAMPLES)
    _reject_single_dates(parts)
    unit = interval.unit if interval else None
    count = interval.count if interval else (every.interval if every else 1)
    quarterly = unit == "quarter" or any(isinstance(p, QuarterScope) for p in parts)
    scoped = quarterly or any(isinstance(p, MonthScope) for p in parts)
    if unit == "quarter":
        unit, count = "month", 1
    days, ordinals = _series_weekdays(parts)
    workdays = [n for p in parts if isinstance(p, NthWorkday) for n in p.ordinals]
    monthdays = [p.day for p in parts if isinstance(p, CalDate) and p.month is None]
    monthdays += [-1 for p in parts if isinstance(p, LastDayOfMonth)]
    yeardates = [(p.month, p.day) for p in parts if isinstance(p, CalDate) and p.month]
    kinds = sum(bool(kind) for kind in (days, ordinals, monthdays, yeardates, workdays))
    if kinds > 1:
        raise WhenError("a series repeats on weekdays or on dates, not both", SERIES_EXAMPLES)
    if days:
        if scoped:
            raise WhenError(
                "which one of the month? e.g. the first or the last",
                ("jeden ersten Montag im Monat", "jeden letzten Freitag im Quartal"),
            )
        rule = _weekly(days, unit, count)
    elif ordinals:
        rule = _monthly_by_weekday(ordinals, unit, count, scoped, every, parts)
    elif workdays:
        rule = _monthly_by_workday(workdays, unit, count)
    elif monthdays:
        rule = _monthly_by_date(monthdays, unit, count)
    elif yeardates:
        rule = _yearly(yeardates, unit, count)
    else:
        rule = _plain(unit, count, quarterly)
    if quarterly:
        rule = _in_quarters(rule, ordinals, workdays, monthdays)
    return _without_months(rule, only(parts, ExceptMonths, "months left out"))


def _reject_single_dates(parts: Sequence[Part]) -> None:
    for p in parts:
        single = isinstance(p, RelDay | WeekShift | MonthName | Offset | Instant | WeekRef)
        single = single or isinstance(p, PeriodPoint | Feast)
        if single or (isinstance(p, CalDate) and p.year is not None):
            raise WhenError(
                'a series takes its start with "ab", e.g. "jeden Montag ab 13.4."',
                SERIES_EXAMPLES,
            )
        if isinstance(p, WeekdayRef) and p.mode not in ("plain", "last"):
            raise WhenError(f'"{p.words}" does not fit a series', SERIES_EXAMPLES)


def _series_weekdays(parts: Sequence[Part]) -> tuple[set[int], list[tuple[int, int]]]:
    days: set[int] = set()
    ordinals: list[tuple[int, int]] = []
    for p in parts:
        if isinstance(p, WeekdaySet):
            days.update(p.weekdays)
        elif isinstance(p, WeekdayRef) and p.mode == "plain":
            days.add(p.weekday)
        elif isinstance(p, WeekdayRef):
            ordinals.append((-1, p.weekday))  # "jeden letzten Freitag (im Monat)"
        elif isinstance(p, OrdinalWeekdays):
            ordinals.extend((n, p.weekday) for n in p.ordinals)
    return days, ordinals


def _weekly(days: set[int], unit: str | None, count: int) -> SeriesRule:
    if unit == "day" and count % 7 == 0:
        unit, count = "week", count // 7
    if unit not in (None, "week"):
        raise WhenError("weekdays repeat weekly or every N weeks", SERIES_EXAMPLES)
    return SeriesRule("WEEKLY", count, tuple(WEEKDAY_CODES[d] for d in sorted(days)))


def _monthly_by_weekday(
    ordinals: list[tuple[int, int]],
    unit: str | None,
    count: int,
    scoped: bool,
    every: Every | None,
    parts: Sequence[Part],
) -> SeriesRule:
    if unit not in (None, "month") or (every is not None and every.interval != 1):
        raise WhenError('"the first Tuesday" repeats monthly', SERIES_EXAMPLES)
    if unit is None and not scoped and any(n not in (1, -1) for n, _ in ordinals):
        nth, weekday = next((n, d) for n, d in ordinals if n not in (1, -1))
        spoken = " ".join(p.words for p in parts if isinstance(p, Every | OrdinalWeekdays))
        raise ambiguous_ordinal_weekday(spoken or "jeden zweiten Dienstag", nth, _PLURALS[weekday])
    ordered = sorted(set(ordinals), key=lambda item: (item[1], item[0] % 100))
    return SeriesRule("MONTHLY", count, tuple(f"{n}{WEEKDAY_CODES[d]}" for n, d in ordered))


def _monthly_by_workday(workdays: list[int], unit: str | None, count: int) -> SeriesRule:
    if unit not in (None, "month"):
        raise WhenError(
            '"the first working day" repeats monthly', ("jeden ersten Werktag im Monat",)
        )
    positions = tuple(sorted(set(workdays), key=lambda n: n % 100))
    return SeriesRule("MONTHLY", count, WORKDAYS, bysetpos=positions)


def _monthly_by_date(monthdays: list[int], unit: str | None, count: int) -> SeriesRule:
    if unit not in (None, "month"):
        raise WhenError("a day of the month repeats monthly", ("monatlich am 15.",))
    return SeriesRule("MONTHLY", count, bymonthday=tuple(sorted(set(monthdays), key=_last_last)))


def _last_last(day: int) -> int:
    return day if day > 0 else 100 - day


def _yearly(yeardates: list[tuple[int, int]], unit: str | None, count: int) -> SeriesRule:
    if unit not in (None, "year") or len(yeardates) != 1:
        raise WhenError("a date repeats yearly", ("jährlich am 3.10.",))
    month, day = yeardates[0]
    return SeriesRule("YEARLY", count, bymonthday=(day,), bymonth=(month,))


def _plain(unit: str | None, count: int, quarterly: bool) -> SeriesRule:
    if unit == "day":
        return SeriesRule("DAILY", count)
    if unit == "weekday" and count == 1:
        return SeriesRule("WEEKLY", 1, WORKDAYS)
    missing = {
        "week": ("which weekday?", ("alle zwei Wochen donnerstags", "wöchentlich am Montag")),
        "month": ("which day of the month?", ("monatlich am 15.", "monatlich am ersten Montag")),
        "year": ("which date?", ("jährlich am 3.10.",)),
    }
    if quarterly:
        missing["month"] = (
            "which day of the quarter?",
            ("quartalsweise am ersten Mittwoch", "jeden zweiten Donnerstag im Quartal"),
        )
    reason, examples = missing.get(unit or "", ("repeats on which days?", SERIES_EXAMPLES))
    raise WhenError(f"a series needs its days: {reason}", examples)


def _in_quarters(
    rule: SeriesRule,
    ordinals: list[tuple[int, int]],
    workdays: list[int],
    monthdays: list[int],
) -> SeriesRule:
    """Once a quarter: in its first month, or in its last when counted from the end."""
    if rule.freq != "MONTHLY" or rule.interval != 1:
        raise WhenError("a quarter repeats on a day of the month", ("quartalsweise am 15.",))
    positions = [n for n, _ in ordinals] + workdays + monthdays
    if all(n < 0 for n in positions):
        return replace(rule, bymonth=QUARTER_ENDS)
    if all(n > 0 for n in positions):
        return replace(rule, bymonth=QUARTER_STARTS)
    raise WhenError("a quarter counts from its start or from its end, not both", SERIES_EXAMPLES)


def _without_months(rule: SeriesRule, left_out: ExceptMonths | None) -> SeriesRule:
    """ "außer im August": the rule's months without those (its BYMONTH)."""
    if left_out is None:
        return rule
    if rule.freq == "YEARLY":
        raise WhenError(
            "months can be left out of daily, weekly, monthly and quarterly series",
            ("jeden Montag 10 Uhr außer im August",),
        )
    months = tuple(m for m in (rule.bymonth or range(1, 13)) if m not in left_out.months)
    if not months:
        raise WhenError("no month is left for this series", ("jeden Montag außer im August",))
    return replace(rule, bymonth=months)


def check_spelled(rule: SeriesRule, parts: Sequence[Part]) -> None:
    """Never silently many: a daily or weekly rule needs words that say daily or weekly."""
    if rule.freq not in ("DAILY", "WEEKLY"):
        return
    spelled = any(
        isinstance(p, WeekdaySet)
        or (isinstance(p, WeekdayRef) and p.mode == "plain")
        or (isinstance(p, Interval) and p.unit in ("day", "weekday", "week"))
        for p in parts
    )
    if not spelled:
        raise WhenError("this series would repeat daily or weekly; say so", SERIES_EXAMPLES)
