"""Replies as JSON and back: for what the bot keeps in the database to send later (the rest
of a long reply, a message for another chat)."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any, cast

from core.messages import Choice, Line, OutgoingFile, PersonRef, Reply, Span, SpanStyle


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


def reply_to_json(reply: Reply) -> str:
    """Lines, files and buttons of ``reply``; its deliveries are not part of a message."""
    return json.dumps(
        {
            "lines": [[_span(span) for span in line] for line in reply.lines],
            "files": [
                [f.name, f.mime_type, base64.b64encode(f.content).decode("ascii")]
                for f in reply.files
            ],
            "choices": [[c.label, c.command, c.emoji] for c in reply.choices],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def reply_from_json(text: str) -> Reply:
    data = json.loads(text)
    return Reply(
        lines=tuple(tuple(_read_span(item) for item in line) for line in data["lines"]),
        files=tuple(
            OutgoingFile(name, base64.b64decode(content), mime)
            for name, mime, content in data["files"]
        ),
        choices=tuple(Choice(label, command, emoji) for label, command, emoji in data["choices"]),
    )


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
