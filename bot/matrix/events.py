"""What the bot reads out of a Matrix message's content: the text without the reply
fallback, the event it answers, and the people it mentions (pills, plain user ids,
``m.mentions``)."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import unquote

from core.messages import Mention

PLATFORM = "matrix"
_PILL = re.compile(r'<a\s+href="https://matrix\.to/#/(@[^"?]+)[^"]*"[^>]*>(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_USER_ID = re.compile(r"(?<![\w@])@[a-z0-9._=\-/+]+:[a-zA-Z0-9.\-]+(?::\d+)?")


def without_reply_fallback(body: str) -> str:
    """Drop the quoted "> <@user> …" lines clients put in front of a reply."""
    lines = body.split("\n")
    if lines and lines[0].startswith("> <@"):
        while lines and lines[0].startswith(">"):
            lines.pop(0)
        if lines and not lines[0].strip():
            lines.pop(0)
    return "\n".join(lines)


def replied_event_id(source: dict[str, Any]) -> str | None:
    """The event a message answers; a thread's fallback reply is no answer to a file."""
    relates = source.get("content", {}).get("m.relates_to")
    if not isinstance(relates, dict) or relates.get("is_falling_back"):
        return None
    replied = relates.get("m.in_reply_to")
    event_id = replied.get("event_id") if isinstance(replied, dict) else None
    return event_id if isinstance(event_id, str) else None


def thread_root(source: dict[str, Any]) -> str | None:
    """The root of the thread a message was sent in (``m.thread`` relation), else None."""
    relates = source.get("content", {}).get("m.relates_to")
    if not isinstance(relates, dict) or relates.get("rel_type") != "m.thread":
        return None
    root = relates.get("event_id")
    return root if isinstance(root, str) else None


def _pill_text(body: str, label: str, user_id: str) -> str:
    """How a pill stands in the plain ``body``: the handlers remove exactly that text.

    Clients write the link text (a display name, with or without "@") into ``body``, some
    with an "@" in front that the link text lacks, some the user id or "@localpart".
    """
    localpart = user_id[1:].split(":", 1)[0]
    bare = label.removeprefix("@")
    for candidate in (f"@{bare}", label, user_id, f"@{localpart}"):
        if candidate and re.search(rf"(?<!\w){re.escape(candidate)}(?!\w)", body):
            return candidate
    return label


def mentions(body: str, formatted_body: str | None, source: dict[str, Any]) -> tuple[Mention, ...]:
    found: list[Mention] = []
    seen: set[str] = set()
    if formatted_body:
        for user_id, inner in _PILL.findall(formatted_body):
            user_id = unquote(user_id)
            label = html.unescape(_TAG.sub("", inner)).strip() or user_id
            text = _pill_text(body, label, user_id)
            name = label.removeprefix("@") if label != user_id else None
            found.append(Mention(text, PLATFORM, account_id=user_id, display_name=name))
            seen.add(user_id)
    for user_id in _USER_ID.findall(body):
        if user_id not in seen:
            found.append(Mention(user_id, PLATFORM, account_id=user_id))
            seen.add(user_id)
    listed = source.get("content", {}).get("m.mentions", {}).get("user_ids", [])
    for user_id in listed:
        if isinstance(user_id, str) and user_id not in seen:
            found.append(Mention(user_id, PLATFORM, account_id=user_id))
            seen.add(user_id)
    return tuple(found)
