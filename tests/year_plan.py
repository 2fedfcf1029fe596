"""The year 2026 of three AGs as data, and what the data implies (tests/test_year_scenario.py).

Each table says what happens: ``AGS`` (who is in which AG), ``PLANNED`` (the ``/termin``
lines), ``MOVED`` and ``CANCELLED``, ``SITTINGS`` (answers, agenda, minutes, attendance and
publishing around each meeting), ``TASKS``, ``MONTHLY_HOURS`` with ``HOUR_CHANGES`` and
``CLOSED`` months, and ``PERSONAL`` reminders. The functions at the end derive the records
the year must leave behind. To add to the year, add a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.models import Answer, MeetingFormat, MeetingStatus, ProtocolStatus

ZONE = ZoneInfo("Europe/Berlin")
YEAR_START = datetime(2026, 1, 2, 9, 0, tzinfo=ZONE)
YEAR_END = datetime(2026, 12, 31, 18, 0, tzinfo=ZONE)
HOUR = timedelta(hours=1)
DEFAULT_PROTOCOL_DAYS = 7


def at(day: str, clock: str = "10:00") -> datetime:
    """A moment of 2026 in Berlin: ``at("3.2.", "16:02")``."""
    d, m = (int(part) for part in day.strip(".").split("."))
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(2026, m, d, hour, minute, tzinfo=ZONE)


def day_of(text: str) -> date:
    return at(text).date()


# --- the AGs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ag:
    name: str
    chats: tuple[str, ...]  # the first is where commands are typed
    coordinators: tuple[str, ...]  # the first sets the AG up
    members: tuple[str, ...]
    protocol_days: int = (
        DEFAULT_PROTOCOL_DAYS  # set with /einstellungen protokollfrist when not the default
    )
    settings: tuple[str, ...] = ()  # further lines its first coordinator types at the start


AGS = {
    "verkehr": Ag("AG Verkehr", ("ag-verkehr", "ag-verkehr-bauamt"), ("anna",), ("ben", "carla")),
    "leerstand": Ag(
        "AG Leerstand",
        ("ag-leerstand",),
        ("emil",),
        ("ben", "fritz", "greta"),
        protocol_days=14,
        settings=("/projekt Pilot Leerstand budget 45 TW",),
    ),
    "oeffentlichkeit": Ag(
        "AG Öffentlichkeitsarbeit", ("ag-oeffentlichkeit",), ("hanna", "anna"), ("carla", "ida")
    ),
}
# Who wrote to the bot privately once (the others get reminders as mentions in the AG chat).
REACHABLE = ("anna", "emil", "hanna", "ben", "fritz")


# --- meetings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """A ``/termin`` line typed by the AG's first coordinator at ``on``."""

    ag: str
    on: datetime
    line: str
    format: MeetingFormat
    days: tuple[str, ...]  # the days of 2026 it puts meetings on


JOUR_FIXE_DAYS: tuple[str, ...] = (
    "6.1.",
    "3.2.",
    "3.3.",
    "7.4.",
    "5.5.",
    "2.6.",
    "7.7.",
    "4.8.",
    "1.9.",
)
JOUR_FIXE_DAYS += ("6.10.", "3.11.", "1.12.")
PLANNED = (
    Planned(
        "verkehr",
        at("2.1.", "09:30"),
        "Jour fixe | jeden ersten Dienstag im Monat 16 Uhr | Rathaus, Raum 2",
        MeetingFormat.IN_PERSON,
        JOUR_FIXE_DAYS,
    ),
    Planned(
        "leerstand",
        at("2.1.", "09:40"),
        "Quartalstreffen | quartalsweise am ersten Mittwoch 10 Uhr | https://meet.example.org/leer",
        MeetingFormat.DIGITAL,
        ("7.1.", "1.4.", "1.7.", "7.10."),
    ),
    Planned(
        "oeffentlichkeit",
        at("12.1."),
        "Redaktionssitzung | 12.2. 14 Uhr | Bürgerhaus, Saal 1 | https://meet.example.org/presse",
        MeetingFormat.HYBRID,
        ("12.2.",),
    ),
    Planned(
        "oeffentlichkeit",
        at("20.4."),
        "Pressegespräch Radverkehr | 19.5. 11 Uhr | https://meet.example.org/presse",
        MeetingFormat.DIGITAL,
        ("19.5.",),
    ),
    Planned(
        "oeffentlichkeit",
        at("17.8."),
        "Jahresplanung 2027 | 15.9. 14 Uhr | Bürgerhaus, Saal 1 | https://meet.example.org/presse",
        MeetingFormat.HYBRID,
        ("15.9.",),
    ),
    Planned(
        "oeffentlichkeit",
        at("19.10."),
        "Redaktionssitzung | 17.11. 14 Uhr | https://meet.example.org/presse",
        MeetingFormat.DIGITAL,
        ("17.11.",),
    ),
)
# (AG, when, the meeting's day, the change): one moved, one cancelled (the summer break).
MOVED = (("verkehr", at("27.4."), "5.5.", "6.5. 16 Uhr"),)
CANCELLED = (("verkehr", at("20.7."), "4.8."),)


@dataclass(frozen=True)
class Sitting:
    """What happens around one meeting (keyed by its AG and the day it takes place)."""

    ag: str
    day: str
    answers: tuple[tuple[str, str], ...] = ()  # (person, zusage|absage|vielleicht)
    agenda: tuple[tuple[str, str], ...] = ()  # (person, TOP) proposed the week before
    # Lines typed while the minutes run, by person; "/top" opens the next agenda point.
    minutes: tuple[tuple[str, str], ...] = ()
    chair: str | None = None
    present: tuple[str, ...] = ()  # recorded with /anwesend
    published: int | None = None  # days after the meeting (at 10:00); None: never
    upload: bool = False  # a finished file instead of publishing the chat's minutes
    requests: tuple[str, ...] = ()  # members asking for the protocol before it is out


def jour_fixe(
    day: str, topic: str, decision: str, task: str, writer: str = "carla", **more: object
) -> Sitting:
    """A Jour fixe of AG Verkehr the usual way: ben chairs, anna takes the minutes and
    publishes them two days later, ``writer`` reports."""
    fields: dict[str, object] = {
        "answers": (("ben", "zusage"), ("carla", "zusage"), ("anna", "zusage")),
        "agenda": (("ben", topic),),
        "minutes": (
            ("anna", "/top"),
            (writer, f"/info Sachstand {topic}"),
            ("ben", f"/beschluss {decision}"),
            ("anna", f"/aufgabe {task}"),
        ),
        "chair": "ben",
        "present": ("anna", "ben", "carla"),
        "published": 2,
    }
    fields.update(more)
    return Sitting("verkehr", day, **fields)  # type: ignore[arg-type]


SITTINGS = (
    jour_fixe(
        "6.1.",
        "Radweg Bahnhofstraße",
        "Die Planung wird beauftragt.",
        "Angebote Radweg einholen @ben bis 30.1.",
    ),
    jour_fixe(
        "3.2.",
        "Tempo 30 Schulweg",
        "Antrag an den Stadtrat.",
        "Antrag Tempo 30 formulieren @carla bis 27.2.",
        published=9,
    ),  # late
    jour_fixe(
        "3.3.",
        "Parkraumkonzept",
        "Zählung im April.",
        "Parkplätze zählen @ben @carla bis 24.4.",
        requests=("carla",),
    ),
    jour_fixe(
        "7.4.",
        "Busanbindung Gewerbegebiet",
        "Gespräch mit dem Verkehrsbetrieb.",
        "Termin Verkehrsbetrieb vereinbaren @ben bis 30.4.",
        writer="ben",  # carla is away
        answers=(("ben", "zusage"), ("carla", "absage"), ("anna", "zusage")),
        present=("anna", "ben"),
    ),
    jour_fixe(
        "6.5.", "Stadtradeln", "Die AG nimmt teil.", "Team Stadtradeln anmelden @carla bis 15.5."
    ),
    jour_fixe(
        "2.6.",
        "Baustellenkoordination",
        "Liste an das Bauamt.",
        "Baustellenliste pflegen @ben bis 30.6.",
        published=None,
    ),  # a draft for ever
    jour_fixe(
        "7.7.",
        "Sommerpause",
        "Im August kein Jour fixe.",
        "Rundmail Sommerpause @anna bis 10.7.",
        upload=True,
        published=1,
    ),
    Sitting("verkehr", "1.9.", answers=(("ben", "vielleicht"),), published=None),
    jour_fixe(
        "6.10.",
        "Ampel Marktplatz",
        "Prüfauftrag an die Verwaltung.",
        "Prüfauftrag Ampel schreiben @anna bis 30.10.",
        published=16,
    ),  # very late
    jour_fixe(
        "3.11.",
        "Winterdienst Radwege",
        "Stellungnahme abgeben.",
        "Stellungnahme Winterdienst @carla bis 4.12.",
    ),
    jour_fixe(
        "1.12.",
        "Jahresrückblick",
        "Bericht an den Ausschuss.",
        "Jahresbericht entwerfen @ben bis 18.12.",
        published=None,
    ),
    Sitting(
        "leerstand",
        "7.1.",
        answers=(("ben", "zusage"), ("fritz", "zusage"), ("greta", "vielleicht")),
        agenda=(("fritz", "Auftakt Pilotprojekt"),),
        minutes=(
            ("emil", "/top"),
            ("fritz", "/info Zwölf Ladenlokale stehen leer."),
            ("emil", "/beschluss Das Pilotprojekt startet im Januar."),
            ("emil", "/aufgabe Eigentümer anschreiben @fritz bis 13.2."),
        ),
        chair="emil",
        present=("ben", "emil", "fritz"),
        published=10,
    ),
    Sitting(
        "leerstand",
        "1.4.",
        answers=(("ben", "zusage"), ("fritz", "zusage"), ("greta", "absage")),
        agenda=(("ben", "Zwischenstand Pilot"),),
        minutes=(
            ("emil", "/top"),
            ("ben", "/info Vier Ladenlokale sind wieder vermietet."),
            ("emil", "/aufgabe Zwischenbericht an den Fördergeber @emil bis 30.4."),
        ),
        chair="emil",
        present=("ben", "emil", "fritz"),
        published=20,  # late: the deadline is 14 days
        requests=("greta",),
    ),
    Sitting("leerstand", "1.7.", answers=(("fritz", "zusage"),), upload=True, published=3),
    Sitting(
        "leerstand",
        "7.10.",
        answers=(("ben", "zusage"), ("fritz", "zusage"), ("greta", "zusage")),
        minutes=(
            ("emil", "/top Budget"),
            ("fritz", "/info Das Budget wird im November erreicht."),
            ("emil", "/aufgabe Verlängerung beantragen @greta bis 30.11."),
        ),
        chair="emil",
        present=("ben", "emil", "fritz", "greta"),
        published=None,
    ),
    Sitting(
        "oeffentlichkeit",
        "12.2.",
        answers=(("carla", "zusage"), ("ida", "zusage"), ("anna", "absage")),
        agenda=(("ida", "Pressemappe"),),
        minutes=(
            ("hanna", "/top"),
            ("ida", "/beschluss Die Pressemappe erscheint im März."),
            ("hanna", "/aufgabe Pressemappe gestalten @ida bis 20.3."),
        ),
        chair="hanna",
        present=("carla", "hanna", "ida"),
        published=5,
    ),
    Sitting(
        "oeffentlichkeit",
        "19.5.",
        answers=(("carla", "zusage"), ("ida", "vielleicht")),
        minutes=(("hanna", "/info Drei Redaktionen waren zugeschaltet."),),
        chair="hanna",
        present=("carla", "hanna"),
        published=1,
    ),
    Sitting(
        "oeffentlichkeit",
        "15.9.",
        answers=(("carla", "zusage"), ("ida", "zusage"), ("anna", "zusage")),
        agenda=(("carla", "Themen 2027"),),
        minutes=(
            ("hanna", "/top"),
            ("anna", "/beschluss Vier Kampagnen im Jahr 2027."),
            ("hanna", "/aufgabe Kampagnenplan 2027 @carla @ida bis 30.10."),
        ),
        chair="anna",
        present=("anna", "carla", "hanna", "ida"),
        published=12,  # late
    ),
    Sitting(
        "oeffentlichkeit",
        "17.11.",
        answers=(("ida", "zusage"),),
        minutes=(("hanna", "/info Der Newsletter geht im Dezember raus."),),
        chair="hanna",
        present=("hanna", "ida"),
        published=3,
    ),
)


# The finished file a coordinator uploads instead of publishing the chat's minutes.
UPLOADED = b"%PDF-1.4\n% Protokoll, unterschrieben eingescannt\n%%EOF\n"


# --- tasks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """A task made outside the minutes (``line``), or one of the minutes (``line`` None);
    ``text`` names it, ``done``: when and by whom it is closed."""

    text: str
    ag: str = ""
    on: datetime | None = None
    by: str = ""
    line: str | None = None
    done: tuple[datetime, str] | None = None


TASKS = (
    # From the minutes (the /aufgabe lines above); their deadline and people are in the line.
    Task("Angebote Radweg einholen", done=(at("28.1."), "ben")),
    Task("Antrag Tempo 30 formulieren", done=(at("2.3."), "carla")),  # after its deadline
    Task("Parkplätze zählen", done=(at("20.4."), "carla")),
    Task("Termin Verkehrsbetrieb vereinbaren"),  # overdue all year
    Task("Team Stadtradeln anmelden", done=(at("8.5."), "carla")),
    Task("Baustellenliste pflegen"),
    Task("Rundmail Sommerpause", done=(at("9.7."), "anna")),
    Task("Prüfauftrag Ampel schreiben", done=(at("29.10."), "anna")),
    Task("Stellungnahme Winterdienst"),
    Task("Jahresbericht entwerfen", done=(at("17.12."), "ben")),
    Task("Eigentümer anschreiben", done=(at("12.2."), "fritz")),
    Task("Zwischenbericht an den Fördergeber", done=(at("29.4."), "emil")),
    Task("Verlängerung beantragen"),
    Task("Pressemappe gestalten", done=(at("18.3."), "ida")),
    Task("Kampagnenplan 2027", done=(at("5.11."), "ida")),
    # Outside the minutes.
    Task(
        "Förderantrag Pilot vorbereiten",
        "leerstand",
        at("9.1."),
        "emil",
        "/aufgabe Förderantrag Pilot vorbereiten @fritz bis 27.2.",
        done=(at("26.2."), "fritz"),
    ),
    Task(
        "Website aktualisieren",
        "oeffentlichkeit",
        at("2.3."),
        "hanna",
        "/aufgabe Website aktualisieren @carla bis 31.3.",
    ),
    Task(
        "Leerstandskataster drucken",
        "leerstand",
        at("14.9."),
        "greta",
        "/aufgabe Leerstandskataster drucken bis 25.9.",
        done=(at("21.9."), "greta"),
    ),
)


# --- hours -----------------------------------------------------------------------------------

# (person, day of month, amount as typed, its minutes, project, description), every month;
# typed together at the end of the month ("am 9.1."), as people do when they catch up.
MONTHLY_HOURS = (
    ("ben", 2, "1 TW", 480, "Pilot Leerstand", "Auswertung Fragebögen"),
    ("ben", 9, "1 TW", 480, "Pilot Leerstand", "Begehung Ladenlokale"),
    ("ben", 23, "1 TW", 480, "Pilot Leerstand", "Eigentümergespräche"),
    ("fritz", 16, "4,5", 270, "Pilot Leerstand", "Datenbank pflegen"),
    ("fritz", 16, "1:30", 90, "Pilot Leerstand", "Telefonate"),
    ("fritz", 20, "2:30", 150, "Pilot Leerstand", "Exposés schreiben"),
    ("greta", 12, "90min", 90, "Allgemein", "Öffentlichkeitsarbeit"),
)
HOURS_TYPED_ON = 28  # day of the month, 17:00
# The pilot's budget (45 TW of 8 h, set in AGS) and its thresholds: 32:30 h a month on the
# pilot reach 80 % in September and 100 % in December.
PILOT, BUDGET_MINUTES, THRESHOLDS = "Pilot Leerstand", 360 * 60, (80, 100)
# (when, person, description of the entry, new amount or None to delete, new minutes).
HOUR_CHANGES = (
    (at("29.1."), "fritz", "Telefonate 01/2026", "2", 120),
    (at("2.3."), "greta", "Öffentlichkeitsarbeit 02/2026", None, 0),
)
# Months the coordinator closes (when, month word); a booking into one is then refused.
CLOSED = ((at("2.2."), "Januar"), (at("3.7."), "Juni"))


@dataclass(frozen=True)
class Booking:
    on: datetime
    person: str
    day: date
    amount: str
    minutes: int
    project: str
    description: str


def hours() -> Iterator[Booking]:
    for month in range(1, 13):
        for person, day, amount, minutes, project, description in MONTHLY_HOURS:
            yield Booking(
                datetime(2026, month, HOURS_TYPED_ON, 17, 0, tzinfo=ZONE),
                person,
                date(2026, month, day),
                amount,
                minutes,
                project,
                f"{description} {month:02d}/2026",
            )


def booked_minutes(booking: Booking) -> int:
    """The minutes an entry holds at the end of the year (0: deleted)."""
    for _, _, description, _, minutes in HOUR_CHANGES:
        if description == booking.description:
            return minutes
    return booking.minutes


def budget_reached() -> list[datetime]:
    """When the pilot's bookings passed each threshold (the moment the coordinators are told)."""
    changes = [(b.on, b.minutes) for b in hours() if b.project == PILOT]
    for when, _, description, _, minutes in HOUR_CHANGES:
        booking = next(b for b in hours() if b.description == description)
        if booking.project == PILOT:
            changes.append((when, minutes - booking.minutes))
    used = 0
    reached: list[datetime] = []
    for when, minutes in sorted(changes, key=lambda change: change[0]):
        used += minutes
        while (
            len(reached) < len(THRESHOLDS)
            and used * 100 >= THRESHOLDS[len(reached)] * BUDGET_MINUTES
        ):
            reached.append(when)
    return reached


# --- personal reminders ----------------------------------------------------------------------


@dataclass(frozen=True)
class Personal:
    """A ``/erinnere`` line; ``text`` is what it reminds of, ``times`` how often it comes."""

    person: str
    chat: str | None  # None: the private chat
    on: datetime
    line: str
    text: str
    times: int


PERSONAL = (
    Personal(
        "anna",
        None,
        at("2.1.", "11:00"),
        "/erinnere mich jeden ersten Montag im Monat 9 Uhr; Monatsbericht an die Geschäftsstelle",
        "Monatsbericht an die Geschäftsstelle",
        12,
    ),
    Personal(
        "emil",
        "ag-leerstand",
        at("5.6."),
        "/erinnere hier 15.6. 10 Uhr; Förderantrag Pilot einreichen",
        "Förderantrag Pilot einreichen",
        1,
    ),
    Personal(
        "ben",
        "ag-verkehr",
        at("1.9."),
        "/erinnere @carla 30.9. 9 Uhr; Verkehrszählung auswerten",
        "Verkehrszählung auswerten",
        1,
    ),
)


# --- what the tables imply --------------------------------------------------------------------

ANSWERS = {"zusage": Answer.YES, "absage": Answer.NO, "vielleicht": Answer.MAYBE}
DAY_BEFORE, ON_THE_DAY = 1, 0  # offset_minutes of the 09:00 reminders of tasks and protocols


def planning(sitting: Sitting) -> Planned:
    """The /termin line that put the sitting's meeting into the calendar."""
    for planned in PLANNED:
        if planned.ag == sitting.ag and sitting.day in planned.days + moved_days(planned.ag):
            return planned
    raise AssertionError(sitting)


def meeting_moment(sitting: Sitting) -> datetime:
    match = re.search(r"(\d{1,2}) Uhr", planning(sitting).line)
    assert match
    return at(sitting.day, f"{int(match[1]):02d}:00")


def moved_days(ag: str) -> tuple[str, ...]:
    return tuple(target.split()[0] for key, _, _, target in MOVED if key == ag)


def published_moment(sitting: Sitting) -> datetime:
    assert sitting.published is not None
    return datetime.combine(
        day_of(sitting.day) + timedelta(days=sitting.published), time(10, 0), ZONE
    )


DAY_BEFORE, ON_THE_DAY = 1, 0  # offset_minutes of the 09:00 reminders of tasks and protocols


def sitting_of(ag: str, day: date) -> Sitting | None:
    found = [s for s in SITTINGS if s.ag == ag and day_of(s.day) == day]
    assert len(found) <= 1, found
    return found[0] if found else None


def expected_days(key: str) -> dict[date, MeetingStatus]:
    """The AG's meetings of 2026 by day, with their status at the end of the year."""
    days: dict[date, MeetingStatus] = {}
    for planned in PLANNED:
        if planned.ag == key:
            days.update({day_of(day): MeetingStatus.SCHEDULED for day in planned.days})
    for ag, _, day, target in MOVED:
        if ag == key:
            del days[day_of(day)]
            days[day_of(target.split()[0])] = MeetingStatus.SCHEDULED
    for ag, _, day in CANCELLED:
        if ag == key:
            days[day_of(day)] = MeetingStatus.CANCELLED
    return days


def expected_status(sitting: Sitting | None) -> ProtocolStatus | None:
    if sitting is None:
        return None
    if sitting.published is not None:
        return ProtocolStatus.PUBLISHED
    return ProtocolStatus.DRAFT if sitting.minutes else None


def task_line(task: Task) -> tuple[str, str]:
    """The /aufgabe line that made the task, and who typed it."""
    if task.line is not None:
        return task.line, task.by
    for sitting in SITTINGS:
        for person, line in sitting.minutes:
            if line.startswith(f"/aufgabe {task.text} "):
                return line, person
    raise AssertionError(task)


def task_ag(task: Task) -> str:
    if task.ag:
        return task.ag
    line, _ = task_line(task)
    return next(s.ag for s in SITTINGS if any(m == line for _, m in s.minutes))


def task_deadline(task: Task) -> date:
    match = re.search(r" bis (\d{1,2}\.\d{1,2}\.)$", task_line(task)[0])
    assert match, task
    return day_of(match[1])


def task_people(task: Task) -> set[str]:
    line, by = task_line(task)
    named = set(re.findall(r"@(\w+)", line))
    return named or ({by} if by not in AGS[task_ag(task)].coordinators else set())


def nine(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), ZONE)


def mondays() -> list[date]:
    day = date(2026, 1, 5)
    found = []
    while day <= YEAR_END.date():
        found.append(day)
        day += timedelta(days=7)
    return found
