"""The fields of /termin after the time: place, link, duration, format and "ganztägig".

Each field is read for what it is, never merged into the place: "2,5 h", "2 Std.",
"1:30 h", "90 min", "anderthalb Stunden" are durations; "Webex", "Teams", "Zoom",
"online" make the meeting digital (its link follows with ``/termin link #N``); a link
without ``https://`` ("meet.example.org/raum") is a link; "Ort: …", "Link: …",
"Dauer: …", "Format: …" name their field. A field that looks like a date, or that names
a field of its own ("Anlage: …"), is refused naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.errors import Refusal
from core.when.split import looks_like_date
from handlers.shared.context import Context
from storage.models import MeetingFormat

MAX_DURATION = 24 * 60
_FORMATS = {
    "präsenz": MeetingFormat.IN_PERSON,
    "praesenz": MeetingFormat.IN_PERSON,
    "vor ort": MeetingFormat.IN_PERSON,
    "in person": MeetingFormat.IN_PERSON,
    "digital": MeetingFormat.DIGITAL,
    "virtuell": MeetingFormat.DIGITAL,
    "hybrid": MeetingFormat.HYBRID,
}
# Video conferences named without their link: digital, the link follows.
_CONFERENCES = {
    "online", "webex", "cisco webex", "teams", "ms teams", "microsoft teams", "zoom", "jitsi",
    "bigbluebutton", "bbb", "skype", "videokonferenz", "video", "videocall", "video call",
    "telko", "telefonkonferenz", "online meeting", "onlinemeeting", "online-meeting",
}  # fmt: skip
_ALL_DAY = {"ganztägig", "ganztaegig", "ganztags", "ganzer tag", "den ganzen tag", "all day"}
_LABELS = {
    **dict.fromkeys(("ort", "raum", "adresse", "place", "location", "room"), "place"),
    **dict.fromkeys(("link", "url", "einwahl", "zugang", "video", "join"), "link"),
    **dict.fromkeys(("dauer", "länge", "duration", "length"), "duration"),
    **dict.fromkeys(("format", "art", "form"), "format"),
}
_LABEL = re.compile(r"^(?P<label>[^\W\d][\w .-]{0,30}?)\s*:\s*(?P<value>.*)$", re.DOTALL)
_SCHEME_URL = re.compile(r"https?://\S+", re.IGNORECASE)
# A link without its scheme: www.…, or a domain with a path ("meet.example.org/raum").
_BARE_URL = re.compile(
    r"(?<![\w@/.])(?:www\.[\w-]+(?:\.[\w-]+)+(?:/\S*)?|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/\S*)",
    re.IGNORECASE,
)
_NUMBER = r"\d{1,3}(?:[.,]\d{1,2})?"
_HOURS = r"h|std|stde?|stunde|stunden|hours?|hrs?"
_MINUTES = r"m|min|mins|minute|minuten|minutes"
_LENGTH = re.compile(
    rf"^(?:(?P<hours>{_NUMBER})\s*(?:{_HOURS})\.?)?\s*(?:(?P<minutes>\d{{1,4}})\s*(?:{_MINUTES})\.?)?$",
    re.IGNORECASE,
)
_CLOCK_LENGTH = re.compile(rf"^(?P<hours>\d{{1,2}}):(?P<minutes>[0-5]\d)\s*(?:{_HOURS})\.?$", re.I)
_GLUED_LENGTH = re.compile(r"^(?P<hours>\d{1,2})h(?P<minutes>[0-5]\d)$", re.IGNORECASE)
_WORD_HOURS = {
    "eine halbe stunde": 30, "halbe stunde": 30, "eine stunde": 60, "anderthalb stunden": 90,
    "eineinhalb stunden": 90, "einhalb stunden": 90, "zwei stunden": 120,
    "zweieinhalb stunden": 150, "drei stunden": 180, "vier stunden": 240,
    "a half hour": 30, "half an hour": 30, "an hour": 60, "one hour": 60, "two hours": 120,
}  # fmt: skip
_VAGUE = re.compile(r"^(?:ca\.?|circa|etwa|ungefähr|rund|about)\s+", re.IGNORECASE)


@dataclass
class Fields:
    """What the fields after the time say; None where nothing was said."""

    duration: int | None = None
    format: MeetingFormat | None = None
    place: str | None = None
    link: str | None = None
    all_day: bool = False
    # A video conference was named without its link ("Webex"): the link follows.
    link_follows: bool = False

    def meeting_format(self) -> MeetingFormat:
        if self.format is not None:
            return self.format
        online = bool(self.link) or self.link_follows
        if online and self.place:
            return MeetingFormat.HYBRID
        return MeetingFormat.DIGITAL if online else MeetingFormat.IN_PERSON


def read_fields(context: Context, parts: list[str]) -> Fields:
    """The fields after the time, each read for what it is; refuses one that is none."""
    fields = Fields()
    places: list[str] = []
    for raw in parts:
        part = " ".join(raw.split())
        if part:
            _read_field(context, part, fields, places)
    fields.place = ", ".join(places) or None
    return fields


def _read_field(context: Context, part: str, fields: Fields, places: list[str]) -> None:
    folded = part.casefold()
    if folded in _ALL_DAY:
        fields.all_day = True
        return
    if folded in _FORMATS:
        fields.format = _FORMATS[folded]
        return
    if folded in _CONFERENCES:
        fields.link_follows = fields.link is None
        return
    length = parse_length(part)
    if length is not None:
        fields.duration = _checked_length(context, part, length)
        return
    link, rest = find_link(part)
    if link is not None:
        fields.link, fields.link_follows = link, False
        rest = rest.strip(" ,;-–")
        # "Webex: https://…", "Link: https://…": the words only name the link.
        label = rest.rstrip(":").strip().casefold()
        if not rest or label in _CONFERENCES or _LABELS.get(label) == "link":
            return
        part, folded = rest, rest.casefold()
    labelled = _LABEL.match(part)
    if labelled is not None:
        _labelled(context, part, labelled["label"], labelled["value"].strip(), fields, places)
        return
    if looks_like_date(part) or re.fullmatch(r"[\d\s.,:]+", part):
        raise _unknown(context, part)
    places.append(part)


def _labelled(
    context: Context, part: str, label: str, value: str, fields: Fields, places: list[str]
) -> None:
    """ "Ort: Rathaus", "Dauer: 2 h": the field the label names; another label is refused."""
    kind = _LABELS.get(label.casefold())
    if kind is None or not value:
        raise _unknown(context, part)
    if kind == "place":
        places.append(value)
    elif kind == "link":
        link, _ = find_link(value)
        if link is None and value.casefold() not in ("folgt", "follows", "tba"):
            raise _unknown(context, part)
        fields.link, fields.link_follows = link, link is None
    elif kind == "duration":
        length = parse_length(value)
        if length is None:
            raise _unknown(context, part)
        fields.duration = _checked_length(context, part, length)
    else:
        chosen = _FORMATS.get(value.casefold())
        if chosen is None and value.casefold() in _CONFERENCES:
            fields.link_follows = fields.link is None
            return
        if chosen is None:
            raise _unknown(context, part)
        fields.format = chosen


def parse_length(text: str) -> int | None:
    """A meeting's length in minutes ("2,5 h", "1:30 Std.", "90 min"), or None.

    A unit is needed: a bare "2" might be hours or a room.
    """
    text = _VAGUE.sub("", " ".join(text.split())).casefold()
    if text in _WORD_HOURS:
        return _WORD_HOURS[text]
    if match := _CLOCK_LENGTH.match(text) or _GLUED_LENGTH.match(text):
        return int(match["hours"]) * 60 + int(match["minutes"])
    match = _LENGTH.match(text)
    if match is None or (match["hours"] is None and match["minutes"] is None):
        return None
    hours = Decimal(match["hours"].replace(",", ".")) if match["hours"] else Decimal(0)
    minutes = hours * 60 + int(match["minutes"] or 0)
    return int(minutes.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def find_link(text: str) -> tuple[str | None, str]:
    """The link in ``text`` (with https:// added where it was left out) and the rest."""
    match = _SCHEME_URL.search(text) or _BARE_URL.search(text)
    if match is None:
        return None, text
    link = match.group(0).rstrip(".,;)")
    if not link.casefold().startswith(("http://", "https://")):
        link = f"https://{link}"
    return link, (text[: match.start()] + text[match.end() :]).strip()


def _checked_length(context: Context, part: str, minutes: int) -> int:
    if not 0 < minutes <= MAX_DURATION:
        raise context.refuse(
            "A meeting lasts more than nothing and at most a day, not {field}.",
            field=_quoted(context, part),
        )
    return minutes


def _unknown(context: Context, part: str) -> Refusal:
    return context.refuse(
        "I cannot place the field {field}: a field after the time is a place, a link, a "
        "duration (90 min, 2,5 h), a format (Präsenz, digital, hybrid) or ganztägig. "
        "Nothing was planned.",
        field=_quoted(context, part),
    )


def _quoted(context: Context, text: str) -> str:
    return f"„{text}“" if context.language == "de" else f'"{text}"'
