"""A local Telegram Bot API emulator for tests.

`TelegramEmulator` is an aiohttp web server on 127.0.0.1 (a free port) that speaks the Bot API
wire format well enough for python-telegram-bot's real HTTP stack (``HTTPXRequest``, ``Bot``,
``Application`` with ``Updater.start_polling``, and webhook delivery).  Point PTB at it with::

    async with TelegramEmulator() as tg:
        bot = telegram.Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url)

Wire format (as sent by PTB and accepted by the real server): a request goes to
``{base_url}{token}/{method}`` (method names are case-insensitive) with its parameters as form
fields, ``application/x-www-form-urlencoded`` or ``multipart/form-data`` when files are
uploaded.  String values are sent as they are, every other value (numbers, booleans, objects,
lists) as a JSON-encoded string; a JSON body or a query string works as well.  Every answer is
JSON: ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": "...",
"parameters": {"retry_after": N} | {"migrate_to_chat_id": N}}``.

What the emulator offers:

* a small data model: users (`add_user`), chats (`add_chat`) and member statuses
  (`set_member_status`), answered by ``getChat``, ``getChatMember`` and
  ``getChatAdministrators``;
* incoming traffic: `push_message` (with the ``bot_command`` and ``mention`` entities real
  Telegram adds), `push_callback_query`, `push_my_chat_member`, `push_migration`,
  `push_document` and `push_update`, delivered by ``getUpdates`` long polling (``offset``,
  ``limit``, ``timeout``, ``allowed_updates``) or by `deliver_webhook` after ``setWebhook``;
* a record of every call the bot makes (`calls`, each a `Call` with decoded parameters,
  uploaded files and a ``time.monotonic()`` stamp) with helpers (`sent_messages`,
  `documents`, `answered_callbacks`, `commands`, `messages`) and `wait_for`, which never hangs;
* Telegram's own validation: HTML ``parse_mode`` is parsed like tdlib does (unsupported or
  unbalanced tags give ``400 Bad Request: can't parse entities: ...``), over-long texts
  (counted in UTF-16 code units of the text after entity parsing, as Telegram does) and
  empty texts are refused, edits that change nothing are refused, and so on;
* files: documents pushed with `push_document` (with a caption, or answered by a later
  `push_message(..., reply_to=...)`) are fetched like from the cloud Bot API: ``getFile``
  gives a ``file_path`` (``400 Bad Request: file is too big`` above 20 MB) and
  ``{base_file_url}{token}/{file_path}`` serves the bytes;
* fault injection: `fail_next` (429 with ``retry_after``, 403, 400 with ``migrate_to_chat_id``,
  5xx), `hang_next` (a method that answers only after a while), ``instant_polls`` (getUpdates
  answers at once whatever its ``timeout``, like some proxies), `garble_next` (the call is
  carried out, but its answer is a 200 with broken JSON, a result with a field of the wrong
  type, or the connection is reset after the request was read), `refuse_connections`
  (nothing listens for a while), `blocked_users`, bots kicked from groups, migrated groups;
* Telegram's flood limits, when built with ``flood_limits=FloodLimits()``: 30 sends a second
  per bot token (whoever sends with it), 20 a minute per group, one a second per private
  chat; a send past a limit is answered 429 with ``retry_after``.

Unknown chats are created on the fly (positive ids as private chats, ``-100…`` as supergroups,
other negative ids as groups) unless the emulator is built with ``strict_chats=True``; then
they answer ``400 Bad Request: chat not found`` like the real server.  ``Markdown`` and
``MarkdownV2`` texts are accepted without validation.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import inspect
import itertools
import json
import math
import mimetypes
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

JSONDict = dict[str, Any]

__all__ = [
    "Call",
    "EntityParseError",
    "TelegramEmulator",
    "WebhookDelivery",
    "auto_entities",
    "parse_html",
    "utf16_len",
]

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_ANSWER_LENGTH = 200
# The cloud Bot API's getFile refuses larger files ("file is too big").
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024

# The service accounts Telegram puts into ``from`` for messages sent on behalf of a chat.
GROUP_ANONYMOUS_BOT: JSONDict = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT: JSONDict = {
    "id": 136817688,
    "is_bot": True,
    "first_name": "Channel",
    "username": "Channel_Bot",
}

CHAT_TYPES = frozenset({"private", "group", "supergroup", "channel"})
MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})
# Without ``allowed_updates`` Telegram sends every update type except these.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
COMMAND_SCOPES = frozenset(
    [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ]
)

# Parameters whose form value is a plain string even when it looks like JSON ("42", "true").
STRING_PARAMS = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "ip_address",
        "language_code",
        "file_id",
        "document",
        "photo",
        "audio",
        "video",
        "animation",
        "voice",
        "video_note",
        "sticker",
        "thumbnail",
        "certificate",
        "description",
        "short_description",
        "name",
        "title",
        "first_name",
        "last_name",
        "phone_number",
        "emoji",
        "custom_title",
        "business_connection_id",
        "message_effect_id",
        "question",
        "explanation",
        "explanation_parse_mode",
        "address",
        "vcard",
        "game_short_name",
    ]
)

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
CALLBACK_QUERY_INVALID = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass
class Call:
    """One Bot API request the bot made.

    ``params`` holds the decoded parameters (JSON values are decoded, strings stay strings),
    ``files`` the uploaded multipart files as ``name -> (filename, content)``, ``at`` the
    ``time.monotonic()`` of arrival, ``status`` and ``response`` what the emulator answered.
    """

    method: str
    params: JSONDict
    files: dict[str, tuple[str, bytes]]
    at: float
    status: int = 0
    response: JSONDict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the emulator answered ``{"ok": true, ...}``."""
        return self.status == HTTPStatus.OK

    @property
    def result(self) -> Any:
        """The ``result`` of a successful call, else None."""
        return self.response.get("result")


@dataclass
class WebhookDelivery:
    """One update POSTed to the bot's webhook: what was sent and the HTTP status it answered."""

    update: JSONDict
    secret: str | None
    status: int
    body: bytes


@dataclass
class _Fault:
    method: str  # lower case
    status: int
    description: str
    parameters: JSONDict | None
    remaining: int
    chat_id: int | str | None


@dataclass
class _Hang:
    method: str  # lower case
    seconds: float
    remaining: int


@dataclass
class _Garble:
    method: str  # lower case
    how: str
    remaining: int
    chat_id: int | str | None


GARBLINGS = ("broken_json", "wrong_type", "reset")


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's flood limits for one bot token, as the emulator enforces them.

    A sending call that would pass a limit is answered 429 with the ``retry_after`` (whole
    seconds, rounded up) after which it would pass; only accepted calls count.
    """

    per_bot_per_second: int = 30
    per_group_per_minute: int = 20
    per_private_per_second: int = 1


FLOOD_COUNTED = frozenset({"sendmessage", "senddocument", "editmessagetext"})


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    content: bytes
    file_path: str


class _ApiError(Exception):
    """Raised inside a method handler; becomes the Bot API error answer."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad_request(description: str, parameters: JSONDict | None = None) -> _ApiError:
    return _ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: {description}", parameters)


def _forbidden(description: str) -> _ApiError:
    return _ApiError(HTTPStatus.FORBIDDEN, f"Forbidden: {description}")


# --------------------------------------------------------------------------------------------
# Text entities: HTML parse mode (after tdlib's parse_html) and automatic entities
# --------------------------------------------------------------------------------------------


class EntityParseError(ValueError):
    """HTML that Telegram refuses; the message is the text after ``can't parse entities: ``."""


_HTML_TAGS = frozenset(
    [
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    ]
)
_SIMPLE_TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_HTML_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_HTML_SPACES = " \t\r\n\f\v"
_NAME_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode ``&lt;``, ``&#60;``, ``&#x3c;`` … at ``pos`` (the ``;`` is optional, as in tdlib).

    Unknown named entities such as ``&laquo;`` are not decoded; the ``&`` then stays literal.
    """
    end = pos + 1
    if text.startswith("#", end):
        end += 1
        if text.startswith("x", end):
            end += 1
            digits = re.match(r"[0-9A-Fa-f]*", text[end:])
            base = 16
        else:
            digits = re.match(r"[0-9]*", text[end:])
            base = 10
        assert digits is not None
        if not digits.group() or end + len(digits.group()) - pos >= 10:
            return None
        code = int(digits.group(), base)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        end += len(digits.group())
        char = chr(code)
    else:
        name = re.match(r"[A-Za-z]*", text[end:])
        assert name is not None
        if name.group() not in _HTML_NAMED_ENTITIES:
            return None
        end += len(name.group())
        char = _HTML_NAMED_ENTITIES[name.group()]
    if text.startswith(";", end):
        end += 1
    return char, end


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-HTML into plain text and Bot API entities, or raise `EntityParseError`.

    Follows tdlib: supported tags are b/strong, i/em, u/ins, s/strike/del, tg-spoiler,
    span class="tg-spoiler", a href, code (class="language-…"), pre, blockquote (expandable),
    tg-emoji; ``</>`` closes the innermost tag; entities are ``&lt; &gt; &amp; &quot; &apos;``
    and numeric ones.  Error texts and byte offsets match the real server's.
    """

    def byte_offset(index: int) -> int:
        return len(text[:index].encode("utf-8"))

    def skip_spaces(index: int) -> int:
        while index < size and text[index] in _HTML_SPACES:
            index += 1
        return index

    size = len(text)
    out: list[str] = []
    out_u16 = 0
    # Open tags: (name, argument, utf-16 offset where it starts, index into ``out``).
    stack: list[tuple[str, str, int, int]] = []
    entities: list[JSONDict] = []
    i = 0
    while i < size:
        char = text[i]
        if char == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                out.append(decoded[0])
                out_u16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
        if char != "<":
            out.append(char)
            out_u16 += utf16_len(char)
            i += 1
            continue

        begin = i
        i += 1
        if i >= size or text[i] != "/":  # a start tag
            while i < size and text[i] not in _HTML_SPACES and text[i] != ">":
                i += 1
            if i >= size:
                raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
            name = text[begin + 1 : i].lower()
            if name not in _HTML_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{name}" at byte offset {byte_offset(begin)}'
                )
            argument = ""
            while True:
                i = skip_spaces(i)
                if i >= size:
                    raise EntityParseError(
                        f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}'
                    )
                if text[i] == ">":
                    break
                attr_begin = i
                while i < size and text[i] not in _HTML_SPACES and text[i] not in "=>":
                    i += 1
                attribute = text[attr_begin:i].lower()
                if not attribute:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{name}" at byte offset '
                        f"{byte_offset(begin)}"
                    )
                i = skip_spaces(i)
                if i >= size:
                    raise EntityParseError(
                        f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}'
                    )
                if text[i] != "=":
                    if name == "blockquote" and attribute == "expandable":
                        argument = "expandable"
                        continue
                    raise EntityParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{name}" at byte offset {byte_offset(begin)}'
                    )
                i = skip_spaces(i + 1)
                if i >= size:
                    raise EntityParseError(
                        f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}'
                    )
                value_chars: list[str] = []
                if text[i] in "'\"":
                    quote = text[i]
                    i += 1
                    while i < size and text[i] != quote:
                        decoded = _decode_html_entity(text, i) if text[i] == "&" else None
                        if decoded is not None:
                            value_chars.append(decoded[0])
                            i = decoded[1]
                        else:
                            value_chars.append(text[i])
                            i += 1
                    if i < size:
                        i += 1
                else:
                    token_begin = i
                    while i < size and text[i] in _NAME_TOKEN_CHARS:
                        i += 1
                    value_chars.append(text[token_begin:i].lower())
                    if i >= size or (text[i] not in _HTML_SPACES and text[i] != ">"):
                        offset = byte_offset(token_begin)
                        raise EntityParseError(
                            f"Unexpected end of name token at byte offset {offset}"
                        )
                if i >= size:
                    raise EntityParseError(
                        f"Unclosed start tag at byte offset {byte_offset(begin)}"
                    )
                value = "".join(value_chars)
                if name == "a" and attribute == "href":
                    argument = value
                elif name == "code" and attribute == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif name == "span" and attribute == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif name == "tg-emoji" and attribute == "emoji-id":
                    argument = value
            if name == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}'
                )
            stack.append((name, argument, out_u16, len(out)))
        else:  # an end tag
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            i += 1
            name_begin = i
            while i < size and text[i] not in _HTML_SPACES and text[i] != ">":
                i += 1
            end_name = text[name_begin:i].lower()
            i = skip_spaces(i)
            if i >= size or text[i] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            name, argument, start_u16, start_index = stack.pop()
            if end_name and end_name != name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{name}>", found "</{end_name}>"'
                )
            length = out_u16 - start_u16
            if length > 0:
                entity = _html_entity(name, argument, start_u16, length, out[start_index:])
                if entity is not None:
                    _append_html_entity(entities, entity)
        i += 1  # past ">"
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)  # only a pre entity carries a language
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _html_entity(
    name: str, argument: str, offset: int, length: int, inner: list[str]
) -> JSONDict | None:
    entity: JSONDict = {"offset": offset, "length": length}
    if name in _SIMPLE_TAG_ENTITIES:
        entity["type"] = _SIMPLE_TAG_ENTITIES[name]
    elif name == "a":
        url = argument or "".join(inner)
        user = re.fullmatch(r"tg://user\?id=(\d+)", url)
        if user:
            entity.update(type="text_mention", user={"id": int(user.group(1)), "is_bot": False})
        elif not url or any(c in _HTML_SPACES for c in url):
            return None  # like tdlib, a link without a usable URL is plain text
        else:
            entity.update(type="text_link", url=url)
    elif name == "code":
        entity["type"] = "code"
        if argument:
            entity["language"] = argument
    elif name == "pre":
        entity["type"] = "pre"
    elif name == "blockquote":
        entity["type"] = "expandable_blockquote" if argument == "expandable" else "blockquote"
    elif name == "tg-emoji":
        entity.update(type="custom_emoji", custom_emoji_id=argument)
    return entity


def _append_html_entity(entities: list[JSONDict], entity: JSONDict) -> None:
    """Merge ``<pre><code class="language-x">`` (either nesting order) into one ``pre``."""
    last = entities[-1] if entities else None
    if last is not None and (last["offset"], last["length"]) == (
        entity["offset"],
        entity["length"],
    ):
        if entity["type"] == "pre" and last["type"] == "code" and "language" in last:
            entities[-1] = {**entity, "language": last["language"]}
            return
        if entity["type"] == "code" and last["type"] == "pre" and "language" in entity:
            last["language"] = entity["language"]
            return
    entities.append(entity)


_COMMAND_RE = re.compile(r"(?<![\w/<>@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")
_MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")


def auto_entities(text: str) -> list[JSONDict]:
    """The entities Telegram detects by itself: ``bot_command`` (``/start``, ``/help@AGBot``)
    and ``mention`` (``@username``), with UTF-16 offsets."""
    found: list[tuple[int, int, str]] = []
    for match in _COMMAND_RE.finditer(text):
        found.append((match.start(), match.end(), "bot_command"))
    for match in _MENTION_RE.finditer(text):
        if not any(start <= match.start() < end for start, end, _ in found):
            found.append((match.start(), match.end(), "mention"))
    found.sort()
    return [
        {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])}
        for start, end, kind in found
    ]


def _merge_entities(explicit: list[JSONDict], detected: list[JSONDict]) -> list[JSONDict]:
    """Explicit entities plus the detected ones that do not overlap any of them."""

    def overlaps(a: JSONDict, b: JSONDict) -> bool:
        return bool(
            a["offset"] < b["offset"] + b["length"] and b["offset"] < a["offset"] + a["length"]
        )

    merged = list(explicit) + [d for d in detected if not any(overlaps(d, e) for e in explicit)]
    return sorted(merged, key=lambda e: (e["offset"], -e["length"]))


def _trim(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip leading and trailing whitespace as Telegram does, moving the entities along."""
    stripped = text.strip()
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


# --------------------------------------------------------------------------------------------
# The emulator
# --------------------------------------------------------------------------------------------

Handler = Callable[[Call], Awaitable[Any]]


class TelegramEmulator:
    """A Telegram Bot API server on 127.0.0.1 for tests; see the module docstring."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_first_name: str = "AG-Bot",
        bot_username: str = "AGBot",
        strict_chats: bool = False,
        instant_polls: bool = False,
        flood_limits: FloodLimits | None = None,
    ) -> None:
        self._token = token
        bot_id = int(token.split(":", 1)[0])
        self._bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.strict_chats = strict_chats
        # Answer getUpdates at once, ignoring its ``timeout``, as some self-hosted Bot API
        # servers and proxies do.
        self.instant_polls = instant_polls
        # None: every send is accepted however fast it comes (most tests want that).
        self.flood_limits = flood_limits
        self._accepted_sends: deque[float] = deque()
        self._accepted_per_chat: dict[str, deque[float]] = {}

        self.calls: list[Call] = []
        self.blocked_users: set[int] = set()
        self.pushed_updates: list[JSONDict] = []
        self.webhook_deliveries: list[WebhookDelivery] = []

        self._users: dict[int, JSONDict] = {}
        self._chats: dict[int, JSONDict] = {}
        self._members: dict[tuple[int, int], JSONDict] = {}
        self._migrated: dict[int, int] = {}
        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._callback_ids: set[str] = set()
        self._callback_counter = itertools.count(1)
        self._my_commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._faults: list[_Fault] = []
        self._hangs: list[_Hang] = []
        self._garbles: list[_Garble] = []
        self._site: web.TCPSite | None = None

        self._pending: list[JSONDict] = []
        self._update_counter = itertools.count(1)
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._webhook: JSONDict | None = None

        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._client: ClientSession | None = None

        self._methods: dict[str, tuple[str, Handler]] = {}
        for name, handler in [
            ("getMe", self._get_me),
            ("logOut", self._true),
            ("close", self._true),
            ("getUpdates", self._get_updates),
            ("setWebhook", self._set_webhook),
            ("deleteWebhook", self._delete_webhook),
            ("getWebhookInfo", self._get_webhook_info),
            ("sendMessage", self._send_message),
            ("editMessageText", self._edit_message_text),
            ("editMessageReplyMarkup", self._edit_message_reply_markup),
            ("deleteMessage", self._delete_message),
            ("sendDocument", self._send_document),
            ("getFile", self._get_file),
            ("sendChatAction", self._send_chat_action),
            ("answerCallbackQuery", self._answer_callback_query),
            ("setMyCommands", self._set_my_commands),
            ("getMyCommands", self._get_my_commands),
            ("deleteMyCommands", self._delete_my_commands),
            ("getChat", self._get_chat),
            ("getChatMember", self._get_chat_member),
            ("getChatAdministrators", self._get_chat_administrators),
            ("getChatMemberCount", self._get_chat_member_count),
            ("leaveChat", self._leave_chat),
        ]:
            self._methods[name.lower()] = (name, handler)

    # ---------------------------------------------------------------- lifecycle and addresses

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Start serving on 127.0.0.1 at a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._site = site
        self._port = self._runner.addresses[0][1]
        self._closing = False

    async def refuse_connections(self, seconds: float) -> None:
        """Stop listening (connections are refused) and listen again on the same port after
        ``seconds``; returns when it listens again."""
        assert self._runner is not None and self._site is not None
        await self._site.stop()
        # Kept-alive connections too: the client has to connect anew, and is refused.
        server = self._runner.server
        for handler in list(server.connections if server is not None else ()):
            handler.force_close()
        await asyncio.sleep(seconds)
        self._site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await self._site.start()

    async def stop(self) -> None:
        """Stop serving; waiting long polls return at once."""
        self._closing = True
        self._notify()
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def token(self) -> str:
        """The bot token the emulator accepts."""
        return self._token

    @property
    def bot_user(self) -> JSONDict:
        """The bot's own User object (id from the token, is_bot, first_name, username)."""
        return dict(self._bot_user)

    @property
    def port(self) -> int:
        """The TCP port the emulator listens on."""
        if self._port is None:
            raise RuntimeError("TelegramEmulator is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """PTB's ``base_url``: ``http://127.0.0.1:{port}/bot``."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's ``base_file_url``: ``http://127.0.0.1:{port}/file/bot``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ---------------------------------------------------------------------------- data model

    def add_user(
        self,
        id: int,
        first_name: str,
        username: str | None = None,
        language_code: str | None = "de",
        *,
        last_name: str | None = None,
        is_bot: bool = False,
    ) -> JSONDict:
        """Register a user; returns its User object."""
        user: JSONDict = {"id": id, "is_bot": is_bot, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[id] = user
        if self._chats.get(id, {}).get("type") == "private":
            self.add_chat(id, "private")  # the private chat shows the user's names
        return dict(user)

    def add_chat(
        self,
        id: int,
        type: str,
        title: str | None = None,
        is_forum: bool = False,
        *,
        username: str | None = None,
    ) -> JSONDict:
        """Register a chat (private, group, supergroup or channel); returns its Chat object.

        A private chat takes its names from the user with the same id (registered or not).
        """
        if type not in CHAT_TYPES:
            raise ValueError(f"unknown chat type {type!r}")
        chat: JSONDict = {"id": id, "type": type}
        if type == "private":
            user = self._user(id)
            chat["first_name"] = user["first_name"]
            for key in ("last_name", "username"):
                if key in user:
                    chat[key] = user[key]
        else:
            chat["title"] = title or f"Chat {id}"
            if username:
                chat["username"] = username
            if is_forum:
                chat["is_forum"] = True
        self._chats[id] = chat
        return dict(chat)

    def set_member_status(self, chat_id: int, user_id: int, status: str, **fields: Any) -> None:
        """Set a user's (or the bot's) status in a chat: creator, administrator, member,
        restricted, left or kicked.  Extra ChatMember fields (``custom_title=…``) override."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"unknown member status {status!r}")
        self._members[(chat_id, user_id)] = {"status": status, **fields}

    def member_status(self, chat_id: int, user_id: int) -> str:
        """A user's status in a chat as ``getChatMember`` reports it (default "member")."""
        return str(self._member_entry(chat_id, user_id)["status"])

    def messages(self, chat_id: int) -> list[JSONDict]:
        """The chat's history as Telegram holds it: pushed and sent messages, edits applied."""
        return [copy.deepcopy(m) for m in self._messages.get(chat_id, {}).values()]

    def message(self, chat_id: int, message_id: int) -> JSONDict:
        """One stored message (KeyError if it does not exist)."""
        return copy.deepcopy(self._messages[chat_id][message_id])

    # ----------------------------------------------------------------------- feeding updates

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue a raw update (``update_id`` is assigned unless present); returns it."""
        if "update_id" not in update:
            update = {"update_id": next(self._update_counter), **update}
        self._pending.append(update)
        self.pushed_updates.append(update)
        self._notify()
        return update

    def push_message(
        self,
        chat_id: int,
        user_id: int | None,
        text: str,
        *,
        entities: list[JSONDict] | None = None,
        message_thread_id: int | None = None,
        sender_chat_id: int | None = None,
        reply_to: int | JSONDict | None = None,
        extra: JSONDict | None = None,
    ) -> JSONDict:
        """A user writes ``text`` in a chat; returns the Message of the queued update.

        ``bot_command`` and ``mention`` entities are added like real Telegram does (``entities``
        given explicitly win where they overlap).  ``sender_chat_id`` sends on behalf of a chat
        (the group itself: anonymous admin; another chat: a channel), ``reply_to`` is a message
        id in this chat or a Message dict, ``extra`` adds raw Message fields.
        """
        chat = self._ensure_chat(chat_id)
        message = self._new_message(chat, self._sender(chat_id, user_id, sender_chat_id))
        if sender_chat_id is not None:
            message["sender_chat"] = dict(self._ensure_chat(sender_chat_id))
        if text:
            message["text"] = text
            found = _merge_entities(entities or [], auto_entities(text))
            if found:
                message["entities"] = found
        self._apply_thread_and_reply(message, chat, message_thread_id, reply_to)
        message.update(extra or {})
        self.push_update({"message": copy.deepcopy(message)})
        return copy.deepcopy(message)

    def push_document(
        self,
        chat_id: int,
        user_id: int | None,
        file_name: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        message_thread_id: int | None = None,
        reply_to: int | JSONDict | None = None,
    ) -> JSONDict:
        """A user sends a file; it can be fetched with ``getFile`` and downloaded.

        The caption gets ``caption_entities`` (``bot_command``, ``mention``) like real Telegram
        adds; ``mime_type`` defaults to what the file name suggests.
        """
        chat = self._ensure_chat(chat_id)
        message = self._new_message(chat, self._sender(chat_id, user_id, None))
        message["document"] = self._document_object(self._store_file(file_name, content, mime_type))
        if caption:
            message["caption"] = caption
            found = auto_entities(caption)
            if found:
                message["caption_entities"] = found
        self._apply_thread_and_reply(message, chat, message_thread_id, reply_to)
        self.push_update({"message": copy.deepcopy(message)})
        return copy.deepcopy(message)

    def push_callback_query(
        self, chat_id: int, user_id: int, data: str, message_id: int
    ) -> JSONDict:
        """A user presses an inline button with callback ``data`` under message ``message_id``;
        returns the CallbackQuery (its ``id`` is what ``answerCallbackQuery`` must answer)."""
        chat = self._ensure_chat(chat_id)
        stored = self._messages.get(chat_id, {}).get(message_id)
        message = (
            copy.deepcopy(stored)
            if stored is not None
            else {"chat": dict(chat), "message_id": message_id, "date": 0}  # inaccessible
        )
        query_id = str(4_000_000_000_000 + next(self._callback_counter))
        self._callback_ids.add(query_id)
        query: JSONDict = {
            "id": query_id,
            "from": self._user(user_id),
            "message": message,
            "chat_instance": str(-abs(chat_id) * 7 - 1),
            "data": data,
        }
        self.push_update({"callback_query": copy.deepcopy(query)})
        return query

    def push_my_chat_member(
        self, chat_id: int, user_id: int, old_status: str, new_status: str
    ) -> JSONDict:
        """The bot's status in a chat changes (added to or removed from a group, blocked or
        unblocked in a private chat), done by ``user_id``; returns the ChatMemberUpdated."""
        chat = self._ensure_chat(chat_id)
        bot_id = self._bot_user["id"]
        old_member = self._member_object(chat_id, bot_id, {"status": old_status})
        self.set_member_status(chat_id, bot_id, new_status)
        if chat["type"] == "private":
            if new_status == "kicked":
                self.blocked_users.add(chat_id)
            else:
                self.blocked_users.discard(chat_id)
        event: JSONDict = {
            "chat": dict(chat),
            "from": self._user(user_id),
            "date": int(time.time()),
            "old_chat_member": old_member,
            "new_chat_member": self._member_object(chat_id, bot_id),
        }
        self.push_update({"my_chat_member": copy.deepcopy(event)})
        return event

    def push_migration(
        self, old_chat_id: int, new_chat_id: int, user_id: int | None = None
    ) -> tuple[JSONDict, JSONDict]:
        """A group becomes a supergroup: a message with ``migrate_to_chat_id`` in the old group
        and one with ``migrate_from_chat_id`` in the new supergroup (which is created with the
        group's title and members).  Sending to the old group afterwards answers 400 with
        ``migrate_to_chat_id``.  Returns both messages."""
        old_chat = self._ensure_chat(old_chat_id)
        new_chat = self._chats.get(new_chat_id) or self.add_chat(
            new_chat_id, "supergroup", old_chat.get("title")
        )
        for (chat_id, member_id), entry in list(self._members.items()):
            if chat_id == old_chat_id:
                self._members.setdefault((new_chat_id, member_id), dict(entry))
        self._migrated[old_chat_id] = new_chat_id
        sender = self._user(user_id) if user_id is not None else None
        old_message = self._new_message(old_chat, sender)
        old_message["migrate_to_chat_id"] = new_chat_id
        new_message = self._new_message(self._chats[new_chat["id"]], sender)
        new_message["migrate_from_chat_id"] = old_chat_id
        self.push_update({"message": copy.deepcopy(old_message)})
        self.push_update({"message": copy.deepcopy(new_message)})
        return copy.deepcopy(old_message), copy.deepcopy(new_message)

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by a ``getUpdates`` offset."""
        return list(self._pending)

    # ------------------------------------------------------------------------------ webhooks

    @property
    def webhook_url(self) -> str:
        """The URL set by ``setWebhook`` ("" when none)."""
        return str(self._webhook["url"]) if self._webhook else ""

    @property
    def webhook_secret(self) -> str | None:
        """The ``secret_token`` given to ``setWebhook``, if any."""
        return self._webhook.get("secret_token") if self._webhook else None

    async def deliver_webhook(self, update: JSONDict, *, timeout: float = 10.0) -> int:
        """POST ``update`` to the webhook with the stored secret; returns the HTTP status."""
        return await self.deliver_webhook_with_secret(update, self.webhook_secret, timeout=timeout)

    async def deliver_webhook_with_secret(
        self, update: JSONDict, secret: str | None, *, timeout: float = 10.0
    ) -> int:
        """POST ``update`` with ``X-Telegram-Bot-Api-Secret-Token: secret`` (none if None)."""
        if not self._webhook:
            raise AssertionError("no webhook is set (the bot did not call setWebhook)")
        if "update_id" not in update:
            update = {"update_id": next(self._update_counter), **update}
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        if self._client is None:
            self._client = ClientSession()
        async with self._client.post(
            self._webhook["url"],
            data=json.dumps(update),
            headers=headers,
            timeout=ClientTimeout(total=timeout),
        ) as response:
            body = await response.read()
            status = response.status
        self.webhook_deliveries.append(WebhookDelivery(update, secret, status, body))
        self._notify()
        return status

    async def deliver_pending_webhook(self) -> list[int]:
        """POST every queued update to the webhook in order, dropping each one answered 2xx."""
        statuses = []
        for update in list(self._pending):
            status = await self.deliver_webhook(update)
            statuses.append(status)
            if 200 <= status < 300:
                self._pending.remove(update)
        return statuses

    # ---------------------------------------------------------------------- fault injection

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
        times: int = 1,
        chat_id: int | str | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (only those for ``chat_id`` if given)
        answer with Telegram's error: 429 ``Too Many Requests: retry after N`` with
        ``retry_after``, 403 ``bot was blocked by the user``, 400 (with ``migrate_to_chat_id``
        if given), 5xx server errors, or ``description`` for anything else."""
        parameters: JSONDict | None = None
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            default = f"Too Many Requests: retry after {retry_after}"
            parameters = {"retry_after": retry_after}
        elif migrate_to_chat_id is not None:
            default = "Bad Request: group chat was upgraded to a supergroup chat"
            parameters = {"migrate_to_chat_id": migrate_to_chat_id}
        elif status == HTTPStatus.FORBIDDEN:
            default = "Forbidden: bot was blocked by the user"
        elif status == HTTPStatus.CONFLICT:
            default = (
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            )
        else:
            try:
                default = HTTPStatus(status).phrase
            except ValueError:
                default = f"Error {status}"
        self._faults.append(
            _Fault(method.lower(), status, description or default, parameters, times, chat_id)
        )

    def hang_next(self, method: str, *, seconds: float = 30.0, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` wait ``seconds`` before they are handled
        (a server that does not answer); a fault from `fail_next` still applies afterwards."""
        self._hangs.append(_Hang(method.lower(), seconds, times))

    def garble_next(
        self, method: str, how: str, *, times: int = 1, chat_id: int | str | None = None
    ) -> None:
        """Carry out the next ``times`` calls of ``method`` (for ``chat_id`` if given) — a
        message is sent — but answer unreadably: ``broken_json`` (a 200 whose body is cut
        off), ``wrong_type`` (a 200 whose message has a date that is not a number) or
        ``reset`` (the connection is reset after the request was read)."""
        assert how in GARBLINGS, how
        self._garbles.append(_Garble(method.lower(), how, times, chat_id))

    # -------------------------------------------------------------------------------- records

    def calls_of(self, method: str, *, include_failed: bool = False) -> list[Call]:
        """The recorded calls of one method (case-insensitive), by default only successful."""
        wanted = method.lower()
        return [c for c in self.calls if c.method.lower() == wanted and (include_failed or c.ok)]

    def clear_calls(self) -> None:
        """Forget the recorded calls (the chats and their messages stay)."""
        self.calls.clear()

    def sent_messages(
        self, chat_id: int | str | None = None, *, include_failed: bool = False
    ) -> list[JSONDict]:
        """Parameters of the ``sendMessage`` calls (optionally to one chat): text, parse_mode,
        reply_parameters / reply_to_message_id, message_thread_id, reply_markup (decoded)…"""
        return [
            dict(c.params)
            for c in self.calls_of("sendMessage", include_failed=include_failed)
            if chat_id is None or _same_id(c.params.get("chat_id"), chat_id)
        ]

    def documents(
        self, chat_id: int | str | None = None, *, include_failed: bool = False
    ) -> list[JSONDict]:
        """Parameters of the ``sendDocument`` calls; ``document`` is replaced by a dict with
        ``file_name``, ``content`` (bytes), ``mime_type``, ``file_id`` and ``file_size``."""
        result = []
        for call in self.calls_of("sendDocument", include_failed=include_failed):
            if chat_id is not None and not _same_id(call.params.get("chat_id"), chat_id):
                continue
            document = (call.result or {}).get("document", {})
            stored = self._files.get(document.get("file_id", ""))
            upload = self._upload_for(call, "document")
            info: JSONDict = {
                "file_name": stored.file_name if stored else (upload[0] if upload else None),
                "content": stored.content if stored else (upload[1] if upload else b""),
                "mime_type": document.get("mime_type"),
                "file_id": document.get("file_id"),
                "file_size": document.get("file_size"),
            }
            result.append({**call.params, "document": info})
        return result

    def answered_callbacks(self) -> list[JSONDict]:
        """Parameters of the successful ``answerCallbackQuery`` calls."""
        return [dict(c.params) for c in self.calls_of("answerCallbackQuery")]

    def commands(self) -> list[JSONDict]:
        """The successful ``setMyCommands`` calls as ``{"commands", "scope", "language_code"}``
        (scope defaults to ``{"type": "default"}``, language_code to "")."""
        return [
            {
                "commands": c.params.get("commands", []),
                "scope": c.params.get("scope") or {"type": "default"},
                "language_code": c.params.get("language_code") or "",
            }
            for c in self.calls_of("setMyCommands")
        ]

    def current_commands(
        self, scope: JSONDict | None = None, language_code: str = ""
    ) -> list[JSONDict]:
        """The command list currently set for a scope and language (what getMyCommands says)."""
        key = (_scope_key(scope), language_code)
        return copy.deepcopy(self._my_commands.get(key, []))

    async def wait_for(
        self,
        predicate: Callable[..., Any],
        timeout: float = 5.0,
        *,
        message: str | None = None,
    ) -> Any:
        """Wait until ``predicate()`` (or ``predicate(emulator)``) is truthy and return its value.

        Re-checks on every call, update and webhook delivery and at least every 50 ms; raises
        AssertionError naming the predicate and the latest calls after ``timeout`` seconds.
        """
        check = functools.partial(predicate, self) if _takes_an_argument(predicate) else predicate
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = check()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"wait_for timed out after {timeout:g}s: {message or _describe(predicate)}\n"
                    f"latest calls:\n{self._describe_calls()}"
                )
            await self._wait_changed(min(remaining, 0.05))

    async def wait_for_message(
        self,
        chat_id: int | str | None = None,
        contains: str | None = None,
        *,
        timeout: float = 5.0,
    ) -> JSONDict:
        """Wait for a successful ``sendMessage`` (to ``chat_id``, with ``contains`` in its text)
        and return its parameters."""

        def find() -> JSONDict | None:
            for sent in self.sent_messages(chat_id):
                if contains is None or contains in str(sent.get("text", "")):
                    return sent
            return None

        what = f"a message to {chat_id!r}" + (f" containing {contains!r}" if contains else "")
        found: JSONDict = await self.wait_for(find, timeout, message=what)
        return found

    # ----------------------------------------------------------------------- HTTP plumbing

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return self._serve_file(path[len("/file/bot") :])
        if not path.startswith("/bot"):
            return _json_error(HTTPStatus.NOT_FOUND, "Not Found")
        token, _, method = path[len("/bot") :].partition("/")
        if token != self._token:
            return _json_error(HTTPStatus.UNAUTHORIZED, "Unauthorized")
        if not method:
            return _json_error(HTTPStatus.NOT_FOUND, "Not Found")
        params, files = await _read_params(request)
        known = self._methods.get(method.lower())
        call = Call(known[0] if known else method, params, files, time.monotonic())
        self.calls.append(call)
        try:
            if known is None:
                raise _ApiError(HTTPStatus.NOT_FOUND, "Not Found")
            await self._injected_hang(call)
            self._raise_injected_fault(call)
            self._enforce_flood_limits(call)
            result = await known[1](call)
            call.status, call.response = HTTPStatus.OK, {"ok": True, "result": result}
        except _ApiError as error:
            call.status, call.response = error.status, error.payload()
        self._notify()
        garble = self._garble_for(call) if call.ok else None
        if garble == "reset" and request.transport is not None:
            request.transport.abort()
            return web.Response()
        if garble == "broken_json":
            body = json.dumps(call.response).encode()
            return web.Response(body=body[: len(body) // 2], content_type="application/json")
        if garble == "wrong_type" and isinstance(call.result, dict):
            wrong = {**call.response, "result": {**call.result, "date": "gestern"}}
            return web.json_response(wrong)
        return web.json_response(call.response, status=call.status)

    def _garble_for(self, call: Call) -> str | None:
        for garble in self._garbles:
            if garble.method != call.method.lower():
                continue
            if garble.chat_id is not None and not _same_id(
                call.params.get("chat_id"), garble.chat_id
            ):
                continue
            garble.remaining -= 1
            if garble.remaining <= 0:
                self._garbles.remove(garble)
            return garble.how
        return None

    def _serve_file(self, rest: str) -> web.Response:
        token, _, file_path = rest.partition("/")
        if token != self._token:
            return _json_error(HTTPStatus.UNAUTHORIZED, "Unauthorized")
        for stored in self._files.values():
            if stored.file_path == file_path:
                return web.Response(body=stored.content, content_type=stored.mime_type)
        return _json_error(HTTPStatus.NOT_FOUND, "Not Found")

    async def _injected_hang(self, call: Call) -> None:
        for hang in self._hangs:
            if hang.method == call.method.lower():
                hang.remaining -= 1
                if hang.remaining <= 0:
                    self._hangs.remove(hang)
                await asyncio.sleep(hang.seconds)
                return

    def _raise_injected_fault(self, call: Call) -> None:
        for fault in self._faults:
            if fault.method != call.method.lower():
                continue
            if fault.chat_id is not None and not _same_id(
                call.params.get("chat_id"), fault.chat_id
            ):
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            raise _ApiError(fault.status, fault.description, fault.parameters)

    def _enforce_flood_limits(self, call: Call) -> None:
        limits = self.flood_limits
        if limits is None or call.method.lower() not in FLOOD_COUNTED:
            return
        chat = str(call.params.get("chat_id"))
        private = chat.isdigit()
        windows = [(self._accepted_sends, limits.per_bot_per_second, 1.0)]
        per_chat = self._accepted_per_chat.setdefault(chat, deque())
        if private:
            windows.append((per_chat, limits.per_private_per_second, 1.0))
        else:
            windows.append((per_chat, limits.per_group_per_minute, 60.0))
        wait = 0.0
        for sent, limit, period in windows:
            while sent and call.at - sent[0] >= period:
                sent.popleft()
            if len(sent) >= limit:
                wait = max(wait, sent[0] + period - call.at)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise _ApiError(
                HTTPStatus.TOO_MANY_REQUESTS,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        for sent, _, _ in windows:
            sent.append(call.at)

    def _notify(self) -> None:
        """Wake everything waiting for a change (long polls, wait_for)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_changed(self, timeout: float) -> None:
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def _describe_calls(self, count: int = 12) -> str:
        relevant = [c for c in self.calls if c.method != "getUpdates"][-count:]
        if not relevant:
            return "  (none besides getUpdates)"
        return "\n".join(
            f"  {c.method}({_short(c.params)}) -> {c.status} {_short(c.response)}" for c in relevant
        )

    # -------------------------------------------------------------------- model internals

    def _user(self, user_id: int) -> JSONDict:
        if user_id == self._bot_user["id"]:
            return dict(self._bot_user)
        user = self._users.get(user_id)
        return (
            dict(user)
            if user
            else {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        )

    def _ensure_chat(self, chat_id: int) -> JSONDict:
        """The chat, created on the fly if unknown (used for updates the test pushes)."""
        if chat_id not in self._chats:
            if chat_id > 0:
                self.add_chat(chat_id, "private")
            elif str(chat_id).startswith("-100"):
                self.add_chat(chat_id, "supergroup")
            else:
                self.add_chat(chat_id, "group")
        return self._chats[chat_id]

    def _resolve_chat(self, chat_id: Any) -> JSONDict:
        """The chat a request names by id or ``@username``, as the real server resolves it."""
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        if isinstance(chat_id, str):
            if chat_id.startswith("@"):
                for chat in self._chats.values():
                    if str(chat.get("username", "")).lower() == chat_id[1:].lower():
                        return chat
                raise _bad_request("chat not found")
            try:
                chat_id = int(chat_id)
            except ValueError:
                raise _bad_request("chat not found") from None
        if not isinstance(chat_id, int):
            raise _bad_request("chat not found")
        if chat_id in self._migrated:
            raise _bad_request(
                "group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat_id]},
            )
        if chat_id in self._chats:
            return self._chats[chat_id]
        if self.strict_chats:
            if chat_id in self._users:
                raise _forbidden("bot can't initiate conversation with a user")
            raise _bad_request("chat not found")
        return self._ensure_chat(chat_id)

    def _chat_for_sending(self, params: JSONDict) -> JSONDict:
        """Resolve ``chat_id`` and refuse like Telegram when the bot cannot write there."""
        chat = self._resolve_chat(params.get("chat_id"))
        chat_id = chat["id"]
        if chat["type"] == "private":
            if chat_id in self.blocked_users:
                raise _forbidden("bot was blocked by the user")
        elif chat["type"] in ("group", "supergroup"):
            status = self.member_status(chat_id, self._bot_user["id"])
            if status == "kicked":
                raise _forbidden(f"bot was kicked from the {chat['type']} chat")
            if status == "left":
                raise _forbidden(f"bot is not a member of the {chat['type']} chat")
        return chat

    def _member_entry(self, chat_id: int, user_id: int) -> JSONDict:
        return self._members.get((chat_id, user_id), {"status": "member"})

    def _member_object(self, chat_id: int, user_id: int, entry: JSONDict | None = None) -> JSONDict:
        """A ChatMember object with every field PTB requires for its status."""
        entry = dict(entry or self._member_entry(chat_id, user_id))
        status = entry.pop("status")
        member: JSONDict = {"status": status, "user": self._user(user_id)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=True,
                can_restrict_members=True,
                can_promote_members=False,
                can_change_info=True,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
                can_pin_messages=True,
            )
        elif status == "restricted":
            member.update(
                is_member=True,
                can_send_messages=False,
                can_send_audios=False,
                can_send_documents=False,
                can_send_photos=False,
                can_send_videos=False,
                can_send_video_notes=False,
                can_send_voice_notes=False,
                can_send_polls=False,
                can_send_other_messages=False,
                can_add_web_page_previews=False,
                can_change_info=False,
                can_invite_users=False,
                can_pin_messages=False,
                can_manage_topics=False,
                can_edit_tag=False,
                until_date=0,
            )
        elif status == "kicked":
            member["until_date"] = 0
        member.update(entry)
        return member

    def _sender(
        self, chat_id: int, user_id: int | None, sender_chat_id: int | None
    ) -> JSONDict | None:
        if sender_chat_id is None:
            if user_id is None:
                raise ValueError("push_message needs user_id or sender_chat_id")
            return self._user(user_id)
        return dict(GROUP_ANONYMOUS_BOT if sender_chat_id == chat_id else CHANNEL_BOT)

    def _new_message(self, chat: JSONDict, sender: JSONDict | None) -> JSONDict:
        """A Message stored in the chat with the chat's next message_id."""
        chat_id = chat["id"]
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        message: JSONDict = {"message_id": next(counter)}
        if sender is not None:
            message["from"] = sender
        message.update(date=int(time.time()), chat=dict(chat))
        self._messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def _apply_thread_and_reply(
        self,
        message: JSONDict,
        chat: JSONDict,
        thread_id: int | None,
        reply_to: int | JSONDict | None,
    ) -> None:
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            if chat.get("is_forum"):
                message["is_topic_message"] = True
        if isinstance(reply_to, int):
            target = self._messages.get(chat["id"], {}).get(reply_to)
            if target is None:
                raise ValueError(f"no message {reply_to} in chat {chat['id']} to reply to")
            reply_to = target
        if reply_to is not None:
            replied = copy.deepcopy(reply_to)
            replied.pop("reply_to_message", None)
            message["reply_to_message"] = replied

    def _store_file(self, file_name: str, content: bytes, mime_type: str | None) -> _StoredFile:
        number = next(self._file_counter)
        extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = _StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:08d}TestFileId",
            file_unique_id=f"AgAD{number:08d}",
            file_name=file_name,
            mime_type=mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream",
            content=content,
            file_path=f"documents/file_{number}.{extension}",
        )
        self._files[stored.file_id] = stored
        return stored

    @staticmethod
    def _document_object(stored: _StoredFile) -> JSONDict:
        return {
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }

    @staticmethod
    def _upload_for(call: Call, name: str) -> tuple[str, bytes] | None:
        value = call.params.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            return call.files.get(value[len("attach://") :])
        return call.files.get(name)

    def _find_message(self, params: JSONDict, not_found: str) -> JSONDict:
        chat = self._resolve_chat(params.get("chat_id"))
        message_id = _as_int(params.get("message_id"))
        message = self._messages.get(chat["id"], {}).get(message_id) if message_id else None
        if message is None:
            raise _bad_request(not_found)
        return message

    def _reply_target(self, chat: JSONDict, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id = _as_int(reply.get("message_id"))
            allow = bool(reply.get("allow_sending_without_reply"))
            if reply.get("chat_id") not in (None, chat["id"]):
                chat = self._resolve_chat(reply["chat_id"])
        else:
            message_id = _as_int(params.get("reply_to_message_id"))
            allow = bool(params.get("allow_sending_without_reply"))
        if not message_id:
            return None
        target = self._messages.get(chat["id"], {}).get(message_id)
        if target is None and not allow:
            raise _bad_request("message to be replied not found")
        return target

    def _bot_message(
        self,
        chat: JSONDict,
        params: JSONDict,
        content: JSONDict,
    ) -> JSONDict:
        """Store a message the bot sends and return the Message the API answers."""
        reply_to = self._reply_target(chat, params)
        message = self._new_message(chat, dict(self._bot_user))
        message.update(content)
        for entity in message.get("entities", []):
            if entity.get("type") == "text_mention":
                # Telegram answers with the whole user object of a tg://user?id= link.
                entity["user"] = self._user(int(entity["user"]["id"]))
        self._apply_thread_and_reply(
            message, chat, _as_int(params.get("message_thread_id")), reply_to
        )
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return copy.deepcopy(message)

    @staticmethod
    def _format_text(
        raw: Any, parse_mode: Any, entities: Any, *, caption: bool = False
    ) -> tuple[str, list[JSONDict]]:
        """Apply parse_mode and Telegram's checks; returns the plain text and its entities."""
        text = "" if raw is None else str(raw)
        mode = str(parse_mode or "").lower()
        if mode == "html":
            try:
                text, found = parse_html(text)
            except EntityParseError as error:
                raise _bad_request(f"can't parse entities: {error}") from None
            found = _merge_entities(found, auto_entities(text))
        elif mode in ("", "markdown", "markdownv2"):
            explicit = entities if isinstance(entities, list) and not mode else []
            found = _merge_entities(explicit, auto_entities(text))
        else:
            raise _bad_request("unsupported parse_mode")
        text, found = _trim(text, found)
        # Telegram counts the limits in UTF-16 code units of the text after entity parsing:
        # an emoji outside the BMP counts twice, tags and ``&amp;`` count as what they show.
        if caption:
            if utf16_len(text) > MAX_CAPTION_LENGTH:
                raise _bad_request("message caption is too long")
        elif not text:
            raise _bad_request("message text is empty")
        elif utf16_len(text) > MAX_MESSAGE_LENGTH:
            raise _bad_request("message is too long")
        return text, found

    # ------------------------------------------------------------------ Bot API methods

    async def _true(self, call: Call) -> bool:
        return True

    async def _get_me(self, call: Call) -> JSONDict:
        return {
            **self._bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, call: Call) -> list[JSONDict]:
        if self._webhook:
            raise _ApiError(
                HTTPStatus.CONFLICT,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older long poll still waiting is terminated with 409
        params = call.params
        offset = _as_int(params.get("offset")) or 0
        limit = min(max(_as_int(params.get("limit")) or 100, 1), 100)
        timeout = min(max(float(params.get("timeout") or 0), 0.0), 60.0)
        if self.instant_polls:
            timeout = 0.0
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            self._allowed_updates = list(allowed) if isinstance(allowed, list) and allowed else None
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise _ApiError(
                    HTTPStatus.CONFLICT,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            ready = [u for u in self._pending if self._is_allowed(u)][:limit]
            remaining = deadline - loop.time()
            if ready or remaining <= 0 or self._closing:
                return copy.deepcopy(ready)
            await self._wait_changed(remaining)

    def _is_allowed(self, update: JSONDict) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self._allowed_updates is None:
            return kind not in OPT_IN_UPDATE_TYPES
        return kind in self._allowed_updates

    async def _set_webhook(self, call: Call) -> bool:
        params = call.params
        url = str(params.get("url") or "")
        if not url:
            self._webhook = None
            return True
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = list(allowed) or None
        self._webhook = {
            "url": url,
            "secret_token": None if secret is None else str(secret),
            "max_connections": _as_int(params.get("max_connections")) or 40,
            "ip_address": params.get("ip_address"),
        }
        return True

    async def _delete_webhook(self, call: Call) -> bool:
        self._webhook = None
        if call.params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, call: Call) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._webhook:
            info["max_connections"] = self._webhook["max_connections"]
            if self._webhook.get("ip_address"):
                info["ip_address"] = self._webhook["ip_address"]
            if self._allowed_updates is not None:
                info["allowed_updates"] = list(self._allowed_updates)
        return info

    async def _send_message(self, call: Call) -> JSONDict:
        params = call.params
        chat = self._chat_for_sending(params)
        text, entities = self._format_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        content: JSONDict = {"text": text}
        if entities:
            content["entities"] = entities
        return self._bot_message(chat, params, content)

    async def _edit_message_text(self, call: Call) -> JSONDict | bool:
        params = call.params
        text, entities = self._format_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        if params.get("inline_message_id"):
            return True
        message = self._find_message(params, "message to edit not found")
        if message.get("from", {}).get("id") != self._bot_user["id"]:
            raise _bad_request("message can't be edited")
        if "text" not in message:
            raise _bad_request("there is no text in the message to edit")
        markup = _inline_markup(params.get("reply_markup"))
        if (
            text == message["text"]
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message["text"] = text
        _set_or_drop(message, "entities", entities or None)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    async def _edit_message_reply_markup(self, call: Call) -> JSONDict | bool:
        params = call.params
        if params.get("inline_message_id"):
            return True
        message = self._find_message(params, "message to edit not found")
        if message.get("from", {}).get("id") != self._bot_user["id"]:
            raise _bad_request("message can't be edited")
        markup = _inline_markup(params.get("reply_markup"))
        if markup == message.get("reply_markup"):
            raise _bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    async def _delete_message(self, call: Call) -> bool:
        message = self._find_message(call.params, "message to delete not found")
        del self._messages[message["chat"]["id"]][message["message_id"]]
        return True

    async def _send_document(self, call: Call) -> JSONDict:
        params = call.params
        chat = self._chat_for_sending(params)
        value = params.get("document")
        upload = self._upload_for(call, "document")
        if upload is not None:
            file_name, content = upload
            if not content:
                raise _bad_request("file must be non-empty")
            stored = self._store_file(file_name, content, None)
        elif isinstance(value, str) and value in self._files:
            stored = self._files[value]
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            stored = self._store_file(value.rstrip("/").rsplit("/", 1)[-1] or "file", b"", None)
        elif value:
            raise _bad_request("wrong file identifier/HTTP URL specified")
        else:
            raise _bad_request("there is no document in the request")
        caption, entities = self._format_text(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            caption=True,
        )
        content_fields: JSONDict = {"document": self._document_object(stored)}
        if caption:
            content_fields["caption"] = caption
            if entities:
                content_fields["caption_entities"] = entities
        return self._bot_message(chat, params, content_fields)

    async def _get_file(self, call: Call) -> JSONDict:
        stored = self._files.get(str(call.params.get("file_id") or ""))
        if stored is None:
            raise _bad_request("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_SIZE:
            raise _bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    async def _send_chat_action(self, call: Call) -> bool:
        self._chat_for_sending(call.params)
        return True

    async def _answer_callback_query(self, call: Call) -> bool:
        if str(call.params.get("callback_query_id") or "") not in self._callback_ids:
            raise _bad_request(CALLBACK_QUERY_INVALID.removeprefix("Bad Request: "))
        if len(str(call.params.get("text") or "")) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        return True

    def _commands_key(self, params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope")
        if scope is not None:
            if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPES:
                raise _bad_request("unsupported bot command scope type")
            if scope["type"].startswith("chat"):
                self._resolve_chat(scope.get("chat_id"))
        language_code = str(params.get("language_code") or "")
        if language_code and not re.fullmatch(r"[a-z]{2}", language_code):
            raise _bad_request("invalid language code specified")
        return _scope_key(scope), language_code

    async def _set_my_commands(self, call: Call) -> bool:
        commands = call.params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad_request("too many commands specified")
        for command in commands:
            name = str(command.get("command", "")) if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(call.params)
        if commands:
            self._my_commands[key] = copy.deepcopy(commands)
        else:
            self._my_commands.pop(key, None)
        return True

    async def _get_my_commands(self, call: Call) -> list[JSONDict]:
        return copy.deepcopy(self._my_commands.get(self._commands_key(call.params), []))

    async def _delete_my_commands(self, call: Call) -> bool:
        self._my_commands.pop(self._commands_key(call.params), None)
        return True

    async def _get_chat(self, call: Call) -> JSONDict:
        chat = self._resolve_chat(call.params.get("chat_id"))
        info: JSONDict = {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        return info

    async def _get_chat_member(self, call: Call) -> JSONDict:
        chat = self._resolve_chat(call.params.get("chat_id"))
        user_id = _as_int(call.params.get("user_id"))
        if not user_id:
            raise _bad_request("invalid user_id specified")
        return self._member_object(chat["id"], user_id)

    async def _get_chat_administrators(self, call: Call) -> list[JSONDict]:
        chat = self._resolve_chat(call.params.get("chat_id"))
        return [
            self._member_object(chat_id, user_id)
            for (chat_id, user_id), entry in self._members.items()
            if chat_id == chat["id"] and entry["status"] in ("creator", "administrator")
        ]

    async def _get_chat_member_count(self, call: Call) -> int:
        chat = self._resolve_chat(call.params.get("chat_id"))
        if chat["type"] == "private":
            return 2
        present = {"creator", "administrator", "member", "restricted"}
        members = {
            user_id
            for (chat_id, user_id), entry in self._members.items()
            if chat_id == chat["id"] and entry["status"] in present
        }
        if self.member_status(chat["id"], self._bot_user["id"]) in present:
            members.add(self._bot_user["id"])
        return len(members)

    async def _leave_chat(self, call: Call) -> bool:
        chat = self._resolve_chat(call.params.get("chat_id"))
        self.set_member_status(chat["id"], self._bot_user["id"], "left")
        return True


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


async def _read_params(request: web.Request) -> tuple[JSONDict, dict[str, tuple[str, bytes]]]:
    """Decode query string, form (urlencoded or multipart) or JSON body parameters."""
    params: JSONDict = {key: _decode_value(key, value) for key, value in request.query.items()}
    files: dict[str, tuple[str, bytes]] = {}
    if not request.body_exists:
        return params, files
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params, files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = (value.filename, value.file.read())
        else:
            params[key] = _decode_value(key, str(value))
    return params, files


def _decode_value(name: str, raw: str) -> Any:
    """PTB sends strings as they are and everything else JSON-encoded."""
    if name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _json_error(status: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": status, "description": description}, status=status
    )


def _as_int(value: Any) -> int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad_request(f"invalid integer value {value!r}") from None


def _same_id(a: Any, b: Any) -> bool:
    return a is not None and str(a) == str(b)


def _scope_key(scope: JSONDict | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _inline_markup(markup: Any) -> JSONDict | None:
    return markup if isinstance(markup, dict) and markup.get("inline_keyboard") else None


def _set_or_drop(target: JSONDict, key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def _takes_an_argument(function: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return any(p.kind in positional and p.default is p.empty for p in parameters)


def _describe(function: Callable[..., Any]) -> str:
    try:
        return inspect.getsource(function).strip()
    except (OSError, TypeError):
        return repr(function)


def _short(value: Any, limit: int = 200) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= limit else text[: limit - 1] + "…"
