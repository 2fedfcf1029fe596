"""Sample data for ``agbot console --demo``: a realistic AG a newcomer can explore at once.

The AG is built the way its people would have built it: console lines typed through the
real router, with the clock walked from about three months ago to now, so invitations,
minutes, published protocols, tasks (one overdue), hours against the pilot's budget and a
personal reminder are exactly what the commands make. Reminders that fell due on the way
went out into a console nobody reads, as if the bot had sent them on time.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App
from bot.console import ConsoleAdapter
from core.clock import AdjustableClock
from storage.models import ActionItem, Meeting, WorkingGroup

DEMO_CHAT = "ag-innenstadt"
GROUP = "AG Innenstadt"
COORDINATORS = ("anna", "frank")
MEMBERS = ("ben", "clara", "deniz", "elif")
SERIES = "Jour fixe | jeden ersten Dienstag im Monat 18 Uhr | Rathaus, Raum 2"
PROJECT = "Pilot"
BUDGET = "360 h"
# The story starts two weeks before the first of the three meetings held before today.
LEAD = timedelta(days=14)
# What each past meeting discussed: topic, info by ben, decision, and a task for a person
# due so many days later; the first meeting's task stays overdue, the second one's is done.
_SITTINGS = (
    (
        "Leerstand in der Fußgängerzone",
        "Zwölf Ladenlokale stehen leer, vier davon seit über einem Jahr.",
        "Das Pilotprojekt Zwischennutzung startet mit drei Ladenlokalen.",
        ("Eigentümer der leeren Ladenlokale anschreiben", "ben", 14, False),
    ),
    (
        "Zwischennutzung",
        "Zwei Eigentümer haben zugesagt, ein dritter prüft noch.",
        "Die Pop-up-Galerie zieht als erste Nutzung ein.",
        ("Mietverträge für die Zwischennutzung prüfen", "clara", 21, True),
    ),
    (
        "Quartiersspaziergang",
        "Der Spaziergang ist mit dem Stadtmarketing abgestimmt.",
        "Der Quartiersspaziergang findet im Frühjahr statt.",
        ("Route für den Quartiersspaziergang festlegen", "deniz", 45, False),
    ),
)
_BOOKINGS = (
    ("ben", 4, "Begehung der Ladenlokale"),
    ("clara", 3, "Gespräch mit dem Eigentümerverein"),
    ("deniz", 6, "Konzept Zwischennutzung"),
    ("ben", 2.5, "Fotodokumentation"),
    ("elif", 5, "Förderantrag vorbereiten"),
    ("clara", 4, "Ortstermin Pop-up-Galerie"),
)

Step = Callable[[], Awaitable[object]]


class _Demo:
    """The lines of the demo's people, typed into a console whose output is thrown away."""

    def __init__(self, app: App, clock: AdjustableClock, timezone: str, files: Path) -> None:
        self.app = app
        self.clock = clock
        self.zone = ZoneInfo(timezone)
        # The adapter registers itself as the console's notifier; cli.py takes it back after.
        self.console = ConsoleAdapter(
            app.router, clock, io.StringIO(), files, timezone, app.reminders.clock_moved
        )

    async def type(self, user: str, chat: str | None, *lines: str) -> None:
        """``lines`` typed by ``user`` in ``chat`` (None: their private chat)."""
        # Scripted lines are nobody's typing: they do not count against the minute's limit.
        self.app.router.reset_pace()
        await self.console.feed(f"::user {user}")
        await self.console.feed(f"::chat {chat}" if chat else "::dm")
        for line in lines:
            await self.console.feed(line)

    async def at(self, moment: datetime) -> None:
        """Move the clock forward to ``moment``; what fell due is sent on the way.

        A step planned before the story's start (answers to the first meeting) happens at
        the start.
        """
        if moment > self.clock.now():
            await self.console.feed(f"::now {moment.isoformat()}")

    async def begin(self, moment: datetime) -> None:
        """Put the clock back to where the story starts."""
        await self.console.feed(f"::now {moment.isoformat()}")

    async def meetings(self) -> list[Meeting]:
        async with self.app.sessions() as session:
            return list(
                await session.scalars(
                    select(Meeting)
                    .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
                    .where(WorkingGroup.name == GROUP)
                    .order_by(Meeting.starts_at)
                )
            )

    async def task_number(self, text: str) -> int:
        async with self.app.sessions() as session:
            number = await session.scalar(select(ActionItem.id).where(ActionItem.text == text))
        assert number is not None, text
        return number


async def has_data(app: App) -> bool:
    async with app.sessions() as session:
        return await session.scalar(select(WorkingGroup.id).limit(1)) is not None


async def fill_demo(app: App, clock: AdjustableClock, timezone: str, files: Path) -> bool:
    """Create the sample AG in an empty database; False if there is data already.

    The clock ends where it was (the real time again when it ran with the real time).
    """
    if await has_data(app):
        return False
    fixed = clock.fixed_at
    now = clock.now()
    demo = _Demo(app, clock, timezone, files)
    try:
        await _story(demo, now)
    finally:
        if fixed is None:
            clock.release()
        else:
            clock.set(fixed)
        app.router.reset_pace()
    return True


async def _story(demo: _Demo, now: datetime) -> None:
    zone = demo.zone
    today = now.astimezone(zone)
    start = datetime.combine(_first_held(today, len(_SITTINGS)) - LEAD, time(9, 0), zone)
    year = today.year
    await demo.begin(start)
    for person in (*COORDINATORS, *MEMBERS):
        await demo.type(person, None, "/start")
    first, *others = COORDINATORS
    await demo.type(first, DEMO_CHAT, "::admin", f"/einrichten {GROUP}", "::noadmin")
    for person in (*others, *MEMBERS):
        await demo.type(person, DEMO_CHAT, "/beitreten")
    for person in others:
        await demo.type(first, DEMO_CHAT, f"/rolle @{person} koordination")
    await demo.type(
        first,
        DEMO_CHAT,
        f"/termin {SERIES}",
        # The budget of this year, also when the story began in the last one.
        f"/projekt {PROJECT} budget {BUDGET} {year}",
        f"/projekt {PROJECT} standard",
    )
    steps: list[tuple[datetime, int, Step]] = []

    def step(moment: datetime, action: Step) -> None:
        steps.append((min(moment, now), len(steps), action))

    held = [m for m in await demo.meetings() if m.starts_at + timedelta(hours=2) < now]
    for meeting, sitting in zip(held[-len(_SITTINGS) :], _SITTINGS, strict=False):
        for moment, action in _sitting(demo, meeting, sitting):
            step(moment, action)
    for index, (person, amount, text) in enumerate(_BOOKINGS):
        # Every two weeks, the last one today (so this month's report has hours).
        day = today.date() - timedelta(days=14 * (len(_BOOKINGS) - 1 - index))
        step(
            datetime.combine(day, time(19, 0), zone),
            _typing(demo, person, DEMO_CHAT, _booking(amount, day, text)),
        )
    reminder_day = today.date() + timedelta(days=2)
    step(
        now,
        _typing(
            demo,
            first,
            None,
            f"/erinnere mich {reminder_day:%d.%m.%Y} 9 Uhr; Raum für den Jour fixe buchen",
        ),
    )
    step(
        now,
        _typing(
            demo,
            "frank",
            DEMO_CHAT,
            f"/aufgabe Plakate für den Quartiersspaziergang @elif bis "
            f"{today.date() + timedelta(days=10):%d.%m.%Y}",
        ),
    )
    for moment, _, action in sorted(steps, key=lambda s: s[:2]):
        await demo.at(moment)
        await action()


def _first_held(today: datetime, count: int) -> date:
    """The day of the Jour fixe (first Tuesday, 18:00) ``count`` meetings before today."""
    held: list[date] = []
    year, month = today.year, today.month
    while len(held) < count:
        first = date(year, month, 1)
        tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
        if datetime.combine(tuesday, time(20, 0), today.tzinfo) < today:
            held.append(tuesday)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return held[-1]


def _booking(amount: float, day: date, text: str) -> str:
    hours = f"{amount:g}".replace(".", ",")
    return f"/stunden {hours} am {day:%d.%m.%Y} {text}"


def _typing(demo: _Demo, user: str, chat: str | None, *lines: str) -> Step:
    async def act() -> None:
        await demo.type(user, chat, *lines)

    return act


def _sitting(
    demo: _Demo, meeting: Meeting, sitting: tuple[str, str, str, tuple[str, str, int, bool]]
) -> list[tuple[datetime, Step]]:
    """Answers a week before, the minutes at the meeting, the protocol published next day."""
    topic, info, decision, (task, owner, days, is_done) = sitting
    n = meeting.number
    begins = meeting.starts_at.astimezone(demo.zone)
    due = begins.date() + timedelta(days=days)

    async def answers() -> None:
        for person in ("anna", "frank", "ben", "clara", "deniz"):
            await demo.type(person, DEMO_CHAT, f"/zusage #{n}")
        await demo.type("elif", DEMO_CHAT, f"/absage #{n}")
        await demo.type("ben", DEMO_CHAT, f"/tagesordnung #{n} + {topic}")

    async def minutes() -> None:
        await demo.type("anna", DEMO_CHAT, f"/sitzung start #{n} @anna", "/top")
        await demo.type("ben", DEMO_CHAT, f"/info {info}")
        await demo.type(
            "anna",
            DEMO_CHAT,
            f"/beschluss {decision}",
            f"/aufgabe {task} @{owner} bis {due:%d.%m.%Y}",
            "/anwesend @anna @frank @ben @clara @deniz",
            "/sitzung ende",
        )

    async def publish() -> None:
        await demo.type("anna", DEMO_CHAT, f"/protokoll freigeben #{n}")

    async def done() -> None:
        await demo.type(owner, DEMO_CHAT, f"/erledigt #{await demo.task_number(task)}")

    steps: list[tuple[datetime, Step]] = [
        (begins - timedelta(days=6), answers),
        (begins + timedelta(minutes=2), minutes),
        (datetime.combine(begins.date() + timedelta(days=1), time(10, 0), demo.zone), publish),
    ]
    if is_done:
        steps.append((begins + timedelta(days=7), done))
    return steps


def intro() -> list[str]:
    """What the console prints after creating the demo: who and where to try it."""
    people = ", ".join([*(f"{p} (coordinator)" for p in COORDINATORS), *MEMBERS])
    return [
        f"[console] demo AG created: {GROUP} in ::chat {DEMO_CHAT} – a monthly Jour fixe, "
        f"past meetings with published protocols, tasks (one overdue), hours against the "
        f"{BUDGET} budget of project {PROJECT}, a personal reminder of anna",
        f"[console] users (speak as one with ::user NAME): {people}; you are not in the AG",
        f"[console] chats: ::chat {DEMO_CHAT} (the AG's group chat), ::dm (the current "
        "user's private chat with the bot)",
        f"[console] try: ::user anna, ::chat {DEMO_CHAT}, /termine, /protokolle, /aufgaben, "
        "/stunden bericht; then ::dm, /erinnerungen",
    ]
