"""Reading a time a person wrote, for every command that takes one; refusing it with
examples when it is not understood."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from core.i18n import N_
from core.when import When, WhenError, parse_when
from handlers.context import Context

NOT_UNDERSTOOD = N_("I did not understand the time {text}. Examples: {examples}")


def read_when(
    context: Context,
    text: str,
    zone: str,
    *,
    examples: str,
    template: str = NOT_UNDERSTOOD,
) -> When:
    """``text`` as a moment, date or series in the future, seen from now in ``zone``.

    Refuses with ``template`` (``{text}``, ``{examples}``): the parser's suggestions, else
    ``examples``.
    """
    try:
        return parse_when(text, context.now().astimezone(ZoneInfo(zone)), zone, "future")
    except WhenError as error:
        raise context.refuse(
            template,
            text=f"„{text}“" if context.language == "de" else f'"{text}"',
            examples=", ".join(error.examples) or examples,
        ) from None
