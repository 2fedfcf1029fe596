"""What a reading is relative to: now in the AG's zone, the direction, the AG's state.

Also the two helpers every resolver shares: :func:`pick` (the earliest candidate after
now, or the latest before it) and :func:`localize` (a wall-clock time that exists).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.when.components import Part
from core.when.errors import DATE_EXAMPLES, GENERAL_EXAMPLES
from core.when.values import Note, Prefer, WhenError

DEFAULT_DAY_PARTS: Mapping[str, time] = {
    "morgens": time(8),
    "vormittags": time(10),
    "mittags": time(12),
    "nachmittags": time(15),
    "abends": time(19),
}
P = TypeVar("P", bound=Part)


@dataclass(frozen=True)
class Context:
    """Now in the zone, the direction, the day parts' clock times and how it is used.

    ``deadline`` readings end a day ("in zwei Wochen" is that whole day, a bare
    calendar week its Friday); ``state`` is the AG's Bundesland for holidays by name
    and working days. ``notes`` collects what the confirmation should repeat.
    """

    now: datetime
    zone: ZoneInfo
    prefer: Prefer
    day_parts: Mapping[str, time]
    state: str | None = None
    deadline: bool = False
    notes: list[Note] = field(default_factory=list, compare=False)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def future(self) -> bool:
        return self.prefer == "future"

    def note(self, note: Note) -> None:
        if note not in self.notes:
            self.notes.append(note)


def make_context(
    now: datetime,
    tz: str,
    prefer: Prefer,
    day_parts: Mapping[str, time] | None,
    state: str | None = None,
    deadline: bool = False,
) -> Context:
    if now.tzinfo is None:
        raise ValueError("parse_when needs an aware 'now'")
    if prefer not in ("future", "past"):
        raise ValueError(f"prefer must be 'future' or 'past', not {prefer!r}")
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise WhenError(f"unknown time zone {tz!r}", ("Europe/Berlin",)) from None
    parts = dict(DEFAULT_DAY_PARTS)
    for name, value in (day_parts or {}).items():
        if name not in DEFAULT_DAY_PARTS:
            raise ValueError(f"unknown day part {name!r}; known: {', '.join(DEFAULT_DAY_PARTS)}")
        parts[name] = value
    return Context(now.astimezone(zone), zone, prefer, parts, state, deadline)


def only(parts: Sequence[Part], kind: type[P], name: str) -> P | None:
    """The one part of ``kind``; two of them are an error that names both."""
    found = [part for part in parts if isinstance(part, kind)]
    if len(found) > 1:
        shown = " and ".join(f'"{part.words}"' for part in found if part.words)
        raise WhenError(f"more than one {name}" + (f": {shown}" if shown else ""), GENERAL_EXAMPLES)
    return found[0] if found else None


def localize(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The aware moment for a wall-clock time; a time in the spring-forward gap is an error."""
    local = datetime.combine(day, wall, tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise WhenError(
            f"{day:%d.%m.%Y} {wall:%H:%M} does not exist in {zone.key}: the clocks jump "
            "forward then (summer time)",
            (f"{day:%d.%m.%Y} 03:00", f"{day:%d.%m.%Y} 01:30"),
        )
    return local


def pick(
    candidates: Iterable[date], wall: time | None, ctx: Context, today_counts: bool = True
) -> date:
    """The earliest candidate after now (future) or the latest at or before now (past).

    Without a time, days are compared: today counts unless ``today_counts`` is false.
    """
    if wall is None:
        after = ctx.today if today_counts else ctx.today + timedelta(days=1)
        before = ctx.today if today_counts else ctx.today - timedelta(days=1)
        fits = [day for day in candidates if (day >= after if ctx.future else day <= before)]
    else:
        fits = [
            day
            for day in candidates
            if (
                datetime.combine(day, wall, tzinfo=ctx.zone) > ctx.now
                if ctx.future
                else datetime.combine(day, wall, tzinfo=ctx.zone) <= ctx.now
            )
        ]
    if not fits:
        raise WhenError("no matching date found", DATE_EXAMPLES)
    return min(fits) if ctx.future else max(fits)


def pick_by_year(
    compute: Callable[[int], date | None], year: int | None, wall: time | None, ctx: Context
) -> date:
    """A day that recurs every year (Ende Mai, Ostermontag): the given year's, or picked.

    A day picked into another year than today's is noted ("nächstes Jahr").
    """
    if year is not None:
        found = compute(year)
        if found is None:
            raise WhenError(f"there is no such day in {year}", DATE_EXAMPLES)
        return found
    years = range(ctx.today.year - 2, ctx.today.year + 3)
    chosen = pick([d for d in (compute(y) for y in years) if d is not None], wall, ctx)
    note_year(chosen, ctx)
    return chosen


def note_year(day: date, ctx: Context) -> None:
    """ "bis 31.3." in July is next year's: the confirmation says so."""
    if day.year == ctx.today.year + 1 and ctx.future:
        ctx.note(Note("next_year"))
    elif day.year == ctx.today.year - 1 and not ctx.future:
        ctx.note(Note("last_year"))
