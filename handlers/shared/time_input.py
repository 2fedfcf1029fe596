"""Reading a time or a period a person wrote, for every command that takes one; refusing it
with examples when it is not understood, and with the reason when it names a day that does
not exist ("Den 31.02. gibt es nicht."); splitting a date off free text; and the notes a
confirmation repeats ("tomorrow", "next year", "week 22")."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from zoneinfo import ZoneInfo

from core.errors import Refusal
from core.i18n import N_
from core.messages import ReplyBuilder, fmt
from core.when import Note, Prefer, When, WhenError, parse_when
from core.when.split import impossible_date, leading_when, trailing_when
from handlers.shared.context import Context
from handlers.shared.periods import Period, parse_period

NOT_UNDERSTOOD = N_("I did not understand the time {text}. Examples: {examples}")
_UNPLACED = N_("Not understood: {words}.")
_IMPOSSIBLE = N_("There is no such day: {day}")
_EXAMPLES = N_("Examples: {examples}")
_SUGGESTION = N_("Did you mean {suggestion}?")
_NOTES = {
    "today": N_("today"),
    "tomorrow": N_("tomorrow"),
    "day_after_tomorrow": N_("the day after tomorrow"),
    "this_week": N_("this week"),
    "next_year": N_("next year"),
    "last_year": N_("last year"),
}
_WEEK = N_("week {number}")
PERIOD_EXAMPLES = "Monat, Jahr, Vormonat, März, 03/2026, 2026, Q1, von 1.1. bis 30.6."


def read_when(
    context: Context,
    text: str,
    zone: str,
    *,
    examples: str,
    template: str = NOT_UNDERSTOOD,
    state: str | None = None,
    deadline: bool = False,
) -> When:
    """``text`` as a moment, date or series in the future, seen from now in ``zone``.

    ``state`` is the AG's Bundesland (holidays by name, working days); ``deadline``
    reads a deadline ("bis KW 18" is its Friday). Refuses with ``template``
    (``{text}``, ``{examples}``): the parser's suggestions, else ``examples``.
    """
    try:
        return parse_when(
            text,
            context.now().astimezone(ZoneInfo(zone)),
            zone,
            "future",
            state=state,
            deadline=deadline,
        )
    except WhenError as error:
        raise _refusal(context, error, text, template, examples) from None


def split_when(
    context: Context,
    text: str,
    zone: str,
    prefer: Prefer,
    *,
    examples: str,
    at_end: bool = True,
) -> tuple[When | None, str]:
    """The date at the start (else, with ``at_end``, at the end) of ``text``, and the rest.

    Whatever looks like a date is read as one or refused with the reason; a day that
    does not exist is refused anywhere in the text. No date: ``(None, text)``.
    """
    now = context.now().astimezone(ZoneInfo(zone))
    parse = partial(parse_when, now=now, tz=zone, prefer=prefer)
    try:
        found = leading_when(text, parse) or (trailing_when(text, parse) if at_end else None)
        impossible = impossible_date(text if found is None else found[1])
    except WhenError as error:
        raise _refusal(context, error, text, NOT_UNDERSTOOD, examples) from None
    if impossible is not None:
        raise _refusal(context, impossible, text, NOT_UNDERSTOOD, examples)
    return found if found is not None else (None, text)


def refuse_impossible_dates(context: Context, text: str, examples: str) -> None:
    """Refuses ``text`` when it names a day that does not exist ("bis 31.2.")."""
    error = impossible_date(text)
    if error is not None:
        raise _refusal(context, error, text, NOT_UNDERSTOOD, examples)


def _refusal(
    context: Context, error: WhenError, text: str, template: str, examples: str
) -> Refusal:
    """The refusal with the examples, the words not placed and the closest known word;
    for a day that does not exist, that reason."""
    if error.impossible:
        reply = ReplyBuilder(lines=fmt(context.t(_IMPOSSIBLE), day=error.impossible))
        # The command's own examples: they show the form a date takes there.
        reply.add(context.t(_EXAMPLES), examples=examples or ", ".join(error.examples))
        return Refusal(reply.build())
    reply = ReplyBuilder(
        lines=fmt(
            context.t(template),
            text=_quoted(context, text),
            examples=", ".join(error.examples) or examples,
        )
    )
    if error.words:
        reply.add(context.t(_UNPLACED), words=_quoted(context, error.words))
    if error.suggestion:
        reply.add(context.t(_SUGGESTION), suggestion=_quoted(context, error.suggestion))
    return Refusal(reply.build())


def _quoted(context: Context, text: str) -> str:
    return f"„{text}“" if context.language == "de" else f'"{text}"'


def notes_text(context: Context, notes: Sequence[Note]) -> str:
    """ "tomorrow, week 22" (German "morgen, KW 22") for a confirmation, or ""."""
    shown = [
        context.t(_WEEK).format(number=note.week)
        if note.kind == "week"
        else context.t(_NOTES[note.kind])
        for note in notes
    ]
    return ", ".join(shown)


def read_period(context: Context, text: str, timezone: str) -> Period:
    """The period ``text`` names, looking back from now in ``timezone``; refused if none."""
    period = parse_period(text, context.now().astimezone(ZoneInfo(timezone)), timezone)
    if period is None:
        raise context.refuse(
            "I did not understand the period {text}. Examples: {examples}",
            text=f"„{text}“" if context.language == "de" else f'"{text}"',
            examples=PERIOD_EXAMPLES,
        )
    return period
