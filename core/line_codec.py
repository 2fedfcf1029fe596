"""Reply lines as JSON and back: for replies the bot keeps in the database to send later."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from core.messages import Line, PersonRef, Span, SpanStyle


def pages_to_json(pages: Sequence[Sequence[Line]]) -> str:
    """Pages of lines of spans as compact JSON."""
    return json.dumps(
        [[[_span(span) for span in line] for line in page] for page in pages],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def pages_from_json(text: str) -> list[list[Line]]:
    return [
        [tuple(_read_span(item) for item in line) for line in page] for page in json.loads(text)
    ]


def _span(span: Span) -> dict[str, Any]:
    data: dict[str, Any] = {"t": span.text}
    if span.style != "plain":
        data["s"] = span.style
    if span.url is not None:
        data["u"] = span.url
    if span.person is not None:
        person = span.person
        data["p"] = [person.person_id, person.display_name, [list(a) for a in person.accounts]]
    return data


def _read_span(data: dict[str, Any]) -> Span:
    person = None
    if "p" in data:
        person_id, name, accounts = data["p"]
        person = PersonRef(person_id, name, tuple((str(p), str(a)) for p, a in accounts))
    return Span(
        data["t"], cast(SpanStyle, data.get("s", "plain")), url=data.get("u"), person=person
    )
