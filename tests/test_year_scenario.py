"""A year in a Geschäftsstelle: three AGs through the twelve months of 2026 on the console.

AG Verkehr meets monthly (Jour fixe, in person, two chats), AG Leerstand quarterly (digital)
and books a pilot project with a budget of 45 Tagewerke (360 h), AG Öffentlichkeitsarbeit
has single hybrid and digital meetings. Members answer invitations and propose TOPs; the
minutes are taken in the chat and published (some late, some as an uploaded file, some never); tasks
get deadlines, some are done, some end the year overdue; personal reminders repeat; the
year ends with reports and exports.

The scenario is data: the tables of ``tests/year_plan.py`` say what happens;
``tests/year_driver.py`` turns them into console lines and walks the clock from one due
reminder to the next (``::now``), so every reminder goes out exactly when it is due. The
checks here read the database (storage models through the app's sessions), the messages the
console received and the files the bot handed out, and compare them with what the tables
imply: each meeting's protocol status, deadline and attendance; hours against their totals;
every reminder row sent once, at its time, none lost, none doubled. To add to the year, add
a row to a table.

Measured on the 2-CPU development machine shared with other test runs, with
``.venv/bin/pytest -q tests/test_year_scenario.py --durations=1``: 14–19 s on SQLite and
29 s on PostgreSQL at load 1–3 (about 14 s of CPU), up to 39 s and 83 s at load 7. It must
stay under a minute on SQLite; if the year grows too slow, thin out the messages, not the
months.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import icalendar
import openpyxl
import pypdf
import recurring_ical_events
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ActionItem,
    ActionItemAssignee,
    ChatBinding,
    HourEntry,
    HourTotal,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    ProjectBudget,
    Protocol,
    ProtocolDocument,
    ProtocolPresence,
    ProtocolRequest,
    ProtocolStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    Rsvp,
    TaskStatus,
    WorkingGroup,
)
from tests.harness import ConsoleBot
from tests.year_driver import KeyedConsole, Year, group_named, set_up, timeline
from tests.year_plan import (
    AGS,
    ANSWERS,
    BUDGET_MINUTES,
    DAY_BEFORE,
    HOUR,
    ON_THE_DAY,
    PERSONAL,
    PILOT,
    PLANNED,
    TASKS,
    THRESHOLDS,
    UPLOADED,
    YEAR_END,
    ZONE,
    Sitting,
    booked_minutes,
    budget_reached,
    expected_days,
    expected_status,
    hours,
    mondays,
    nine,
    planning,
    published_moment,
    sitting_of,
    task_ag,
    task_deadline,
    task_people,
)

# --- the year --------------------------------------------------------------------------------


async def test_a_year_of_three_ags_ends_with_consistent_records(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    keyed = KeyedConsole(bot)
    bot.app.router.add_notifier("console", keyed)
    year = Year(bot, tmp_path / "files", keyed)
    upload = tmp_path / "Protokoll_unterschrieben.pdf"
    upload.write_bytes(UPLOADED)

    await set_up(year)
    for moment, action in timeline(year, upload):
        await year.walk_to(moment)
        await action()
    await year.walk_to(YEAR_END)

    assert not [m for m in year.out if "Verspätet" in m]  # the clock stopped at every due time
    assert not [m for m in year.out if "Verwendung:" in m or "nicht verstanden" in m]
    await check_meetings_and_protocols(year)
    await check_tasks(year)
    await check_hours(year)
    await check_reminders(year)


async def ids_of_people(session: AsyncSession) -> dict[str, int]:
    return {p.display_name: p.id for p in await session.scalars(select(Person))}


async def check_meetings_and_protocols(year: Year) -> None:
    """Every meeting where the tables put it, with its answers, minutes and protocol."""
    lists = {
        key: await year.as_(ag.coordinators[0], ag.chats[0], "/protokolle")
        for key, ag in AGS.items()
    }
    async with year.bot.app.sessions() as session:
        names = {v: k for k, v in (await ids_of_people(session)).items()}
        for key, ag in AGS.items():
            group = await group_named(session, ag.name)
            meetings = [
                m
                for m in await session.scalars(
                    select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.starts_at)
                )
                if m.starts_at.astimezone(ZONE).year == 2026
            ]
            days = {m.starts_at.astimezone(ZONE).date(): m for m in meetings}
            assert {d: m.status for d, m in days.items()} == expected_days(key), ag.name
            for day, meeting in days.items():
                sitting = sitting_of(key, day)
                formats = {p.format for p in PLANNED if p.ag == key and meeting.title in p.line}
                if sitting is not None:
                    formats = {planning(sitting).format}
                assert formats == {meeting.format}, (ag.name, day)
                where = f"{ag.name} #{meeting.number} {day}"
                answers = {
                    names[r.person_id]: r.answer
                    for r in await session.scalars(
                        select(Rsvp).where(Rsvp.meeting_id == meeting.id)
                    )
                }
                wanted = {p: ANSWERS[w] for p, w in sitting.answers} if sitting else {}
                assert answers == wanted, where
                protocol = await session.scalar(
                    select(Protocol).where(Protocol.meeting_id == meeting.id)
                )
                status = expected_status(sitting)
                assert (protocol.status if protocol else None) is status, where
                due = day + timedelta(days=ag.protocol_days)
                line = next(
                    (
                        row.strip()
                        for row in lists[key].splitlines()
                        if f"#{meeting.number} {meeting.title} (" in row
                    ),
                    "",
                )
                if meeting.status is MeetingStatus.CANCELLED:
                    assert protocol is None, where
                    continue
                if status is ProtocolStatus.PUBLISHED:
                    assert sitting is not None and protocol is not None
                    assert sitting.published is not None
                    assert protocol.published_at == published_moment(sitting), where
                    late = protocol.published_at > datetime.combine(due, time(23, 59, 59), ZONE)
                    assert late is (sitting.published > ag.protocol_days), where
                    assert not line or ("veröffentlicht am" in line and "⚠" not in line), line
                else:
                    # Every unpublished protocol of the year is overdue by 31 December; the
                    # list shows the latest meetings, the protocol itself every one.
                    if not line:
                        line = await year.as_(
                            ag.coordinators[0], ag.chats[0], f"/protokoll #{meeting.number}"
                        )
                    else:
                        assert line.startswith("⚠"), (where, line)
                    assert re.search(rf"überfällig seit \w\w, {due:%d\.%m\.%Y}", line), (
                        where,
                        line,
                    )
                if protocol is not None and sitting is not None and sitting.minutes:
                    present = {
                        names[p.person_id]
                        for p in await session.scalars(
                            select(ProtocolPresence).where(
                                ProtocolPresence.protocol_id == protocol.id
                            )
                        )
                    }
                    assert present == set(sitting.present), where
                    assert names[protocol.chair_id] == sitting.chair, where  # type: ignore[index]
                    assert names[protocol.minute_taker_id] == ag.coordinators[0], where  # type: ignore[index]
                if protocol is not None and sitting is not None:
                    await check_delivery(session, meeting, protocol, sitting, names)
    # The calendar file of each AG holds the meetings that take place, where they are now.
    for key, ag in AGS.items():
        out = await year.as_(ag.members[0], ag.chats[0], "/kalender")
        name = re.search(r"file: (\S+\.ics)", out)
        assert name, out
        calendar = icalendar.Calendar.from_ical((year.files / name[1]).read_bytes())
        events = recurring_ical_events.of(calendar).between(
            datetime(2026, 1, 1, tzinfo=ZONE), datetime(2027, 1, 1, tzinfo=ZONE)
        )
        held = {
            event["DTSTART"].dt.astimezone(ZONE).date()
            for event in events
            if str(event.get("STATUS", "")).upper() != "CANCELLED"
        }
        takes_place = expected_days(key)
        assert held == {d for d, st in takes_place.items() if st is MeetingStatus.SCHEDULED}
    # A published protocol reads back with what was said in the chat.
    first = year.files / "Protokoll_AG-Verkehr_1_2026-01-06.pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(first).pages)
    flat = " ".join(text.split())
    assert "Die Planung wird beauftragt." in flat and "Anwesend (3) anna, ben, carla" in flat


async def check_delivery(
    session: AsyncSession,
    meeting: Meeting,
    protocol: Protocol,
    sitting: Sitting,
    names: dict[int, str],
) -> None:
    """The documents kept as published, and the requests answered when it was published."""
    documents = list(
        await session.scalars(
            select(ProtocolDocument).where(ProtocolDocument.protocol_id == protocol.id)
        )
    )
    if protocol.status is not ProtocolStatus.PUBLISHED:
        assert documents == [], sitting
    elif sitting.upload:
        assert [d.content for d in documents] == [UPLOADED], sitting
    else:
        assert sorted(d.name.rsplit(".", 1)[1] for d in documents) == ["docx", "pdf"], sitting
    requests = {
        names[r.person_id]: r.delivered_at
        for r in await session.scalars(
            select(ProtocolRequest).where(ProtocolRequest.meeting_id == meeting.id)
        )
    }
    delivered = published_moment(sitting) if sitting.published is not None else None
    assert requests == {person: delivered for person in sitting.requests}, sitting


async def check_tasks(year: Year) -> None:
    """Each task with its people, deadline and state; the open ones are overdue."""
    listed = {
        key: await year.as_(ag.coordinators[0], ag.chats[0], "/aufgaben") for key, ag in AGS.items()
    }
    async with year.bot.app.sessions() as session:
        ids = await ids_of_people(session)
        names = {v: k for k, v in ids.items()}
        items = {i.text: i for i in await session.scalars(select(ActionItem))}
        assert set(items) == {task.text for task in TASKS}
        for task in TASKS:
            item = items[task.text]
            assert item.due_at is not None and item.due_all_day, task.text
            assert item.due_at.astimezone(ZONE).date() == task_deadline(task), task.text
            people = {
                names[a.person_id]
                for a in await session.scalars(
                    select(ActionItemAssignee).where(ActionItemAssignee.item_id == item.id)
                )
            }
            assert people == task_people(task), task.text
            if task.done is None:
                assert item.status is TaskStatus.OPEN, task.text
                assert f"⚠ #{item.id} {task.text}" in listed[task_ag(task)], task.text
            else:
                assert item.status is TaskStatus.DONE, task.text
                assert item.closed_at == task.done[0] and item.closed_by == ids[task.done[1]]


async def check_hours(year: Year) -> None:
    """Entries, monthly totals, the report, both exports and the budget agree."""
    chat = AGS["leerstand"].chats[0]
    coordinator = AGS["leerstand"].coordinators[0]
    bookings = [b for b in hours() if booked_minutes(b)]
    expected = sum(booked_minutes(b) for b in bookings)
    pilot = sum(booked_minutes(b) for b in bookings if b.project == PILOT)
    # June is closed: a late entry is refused (and the rows below show nothing was stored).
    refused = await year.as_("ben", chat, "/stunden 2 am 30.6. für Pilot Leerstand: Nachtrag")
    assert "abgeschlossen" in refused and "Erfasst" not in refused
    async with year.bot.app.sessions() as session:
        ids = await ids_of_people(session)
        entries = list(await session.scalars(select(HourEntry)))
        totals = list(await session.scalars(select(HourTotal)))
    assert sorted((e.description, e.minutes, e.work_date) for e in entries) == sorted(
        (b.description, booked_minutes(b), b.day) for b in bookings
    )
    for person in {b.person for b in bookings}:
        mine = sum(booked_minutes(b) for b in bookings if b.person == person)
        assert sum(t.minutes for t in totals if t.person_id == ids[person]) == mine, person
    assert sum(t.entries for t in totals) == len(entries)

    report = await year.as_(coordinator, chat, "/stunden bericht 2026")
    assert f"Summe: {clock(expected)}" in report and f"in {len(entries)} Einträgen" in report
    shown = re.findall(r"• (\w+): (\d+:\d\d)", report)
    by_person = {person: minutes_of(hm) for person, hm in shown if person in ids}
    assert set(by_person) == {b.person for b in bookings}
    assert sum(by_person.values()) == expected, report
    assert f"{PILOT}: {clock(pilot)}" in report

    exported = await year.as_(coordinator, chat, "/stunden export 2026")
    assert f"{len(entries)} Einträge" in exported
    names = re.findall(r"file: (\S+) \(", exported)
    csv_name = next(name for name in names if name.endswith(".csv"))
    raw = (year.files / csv_name).read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    column = next(i for i, title in enumerate(rows[0]) if "Stunden" in title)
    assert round(sum(float(r[column].replace(",", ".")) for r in rows[1:]) * 60) == expected
    assert len(rows) - 1 == len(entries)
    xlsx_name = next(name for name in names if name.endswith(".xlsx"))
    sheet = openpyxl.load_workbook(year.files / xlsx_name)["Einträge"]
    table = list(sheet.iter_rows(values_only=True))
    # The header row: below the sheet's title, a cell per column, one of them the hours.
    top = next(i for i, row in enumerate(table) if sum(v is not None for v in row) > 3)
    position = next(i for i, v in enumerate(table[top]) if str(v).startswith("Stunden"))
    numbers = [v for row in table[top + 1 :] if isinstance(v := row[position], int | float)]
    assert len(numbers) == len(entries) and round(sum(numbers) * 60) == expected

    async with year.bot.app.sessions() as session:
        budget = await session.scalar(select(ProjectBudget).where(ProjectBudget.year == 2026))
    assert budget is not None and budget.minutes == BUDGET_MINUTES
    assert budget.alerted_percent == THRESHOLDS[-1]


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def minutes_of(hours_and_minutes: str) -> int:
    hours, minutes = hours_and_minutes.split(":")
    return int(hours) * 60 + int(minutes)


async def check_reminders(year: Year) -> None:
    """Every reminder the tables imply was sent once, at its time; nothing else went out."""
    async with year.bot.app.sessions() as session:
        ids = await ids_of_people(session)
        rows = list(await session.scalars(select(Reminder)))
        bindings = list(await session.scalars(select(ChatBinding)))
        groups = {g.id: g for g in await session.scalars(select(WorkingGroup))}
        meetings = {m.id: m for m in await session.scalars(select(Meeting))}
        items = {i.text: i for i in await session.scalars(select(ActionItem))}
        coordinators = {
            (m.group_id, m.person_id)
            for m in await session.scalars(
                select(Membership).where(Membership.role == Role.COORDINATOR)
            )
        }
    end = YEAR_END.astimezone(UTC)
    assert [
        r
        for r in rows
        if r.due_at <= end and r.status not in (ReminderStatus.SENT, ReminderStatus.CANCELLED)
    ] == []
    assert [r for r in rows if r.due_at > end and r.status is not ReminderStatus.PENDING] == []
    sent = [r for r in rows if r.status is ReminderStatus.SENT]
    assert all(
        r.sent_at == r.due_at
        or r.kind in (ReminderKind.ANNOUNCEMENT, ReminderKind.PROTOCOL, ReminderKind.BUDGET)
        for r in sent
    )
    # The console received each sent row once, and nothing that is not a sent row.
    assert year.keyed.keys == Counter(r.key for r in sent)

    def of_kind(kind: ReminderKind) -> list[Reminder]:
        return [r for r in sent if r.kind is kind]

    # Meetings: every chat of the AG, a day and an hour before each held meeting.
    at_meetings = set()
    for meeting in meetings.values():
        if meeting.status is not MeetingStatus.SCHEDULED or meeting.starts_at > end:
            continue
        start = meeting.starts_at.astimezone(ZONE)  # a day before: the same wall-clock time
        for binding in bindings:
            if binding.group_id == meeting.group_id:
                at_meetings |= {
                    (meeting.id, binding.chat_id, start - timedelta(days=1)),
                    (meeting.id, binding.chat_id, start - HOUR),
                }
    assert {
        (r.meeting_id, r.chat_id, r.due_at) for r in of_kind(ReminderKind.MEETING)
    } == at_meetings
    assert len(at_meetings) == sum(
        1 for m in year.out if "🔔 Erinnerung: " in m and ") beginnt in " in m
    )

    # Protocols: each coordinator at 09:00 the day before the deadline and on the day, until
    # the protocol is out.
    protocol_due = set()
    for meeting in meetings.values():
        group = groups[meeting.group_id]
        key = next(k for k, ag in AGS.items() if ag.name == group.name)
        day = meeting.starts_at.astimezone(ZONE).date()
        if meeting.status is not MeetingStatus.SCHEDULED or day.year != 2026:
            continue
        sitting = sitting_of(key, day)
        out = published_moment(sitting) if sitting and sitting.published is not None else None
        due = day + timedelta(days=AGS[key].protocol_days)
        for group_id, coordinator in coordinators:
            for which in (DAY_BEFORE, ON_THE_DAY):
                moment = nine(due - timedelta(days=which))
                if group_id == group.id and moment <= YEAR_END and (out is None or out > moment):
                    protocol_due.add((meeting.id, coordinator, moment.astimezone(UTC)))
    assert {
        (r.meeting_id, r.person_id, r.due_at) for r in of_kind(ReminderKind.PROTOCOL_DUE)
    } == protocol_due
    assert len(protocol_due) == sum(1 for m in year.out if "📝" in m)

    # Tasks: each person responsible, at 09:00 the day before and on the day, unless done.
    task_due = set()
    for task in TASKS:
        deadline = task_deadline(task)
        for person in task_people(task):
            for which in (DAY_BEFORE, ON_THE_DAY):
                moment = nine(deadline - timedelta(days=which))
                if task.done is None or task.done[0] > moment:
                    task_due.add((items[task.text].id, ids[person], moment.astimezone(UTC)))
    assert {(r.item_id, r.person_id, r.due_at) for r in of_kind(ReminderKind.TASK)} == task_due
    assert len(task_due) == sum(1 for m in year.out if ", zur Erinnerung: Aufgabe #" in m)

    # The weekly overview: every coordinator, every Monday at 08:00.
    people = {person for _, person in coordinators}
    digests = {
        (p, datetime.combine(d, time(8), ZONE).astimezone(UTC)) for p in people for d in mondays()
    }
    assert {(r.person_id, r.due_at) for r in of_kind(ReminderKind.DIGEST)} == digests
    assert len(digests) == sum(1 for m in year.out if "📋 Wochenübersicht für" in m)

    # Personal reminders, as often as they were asked for.
    for personal in PERSONAL:
        came = [r for r in of_kind(ReminderKind.PERSONAL) if r.text == personal.text]
        assert len(came) == personal.times, personal.text
        assert sum(1 for m in year.out if f"Erinnerung: {personal.text}" in m) == personal.times

    # The budget: the coordinator was told at 80 % and at 100 %, once each.
    budget = of_kind(ReminderKind.BUDGET)
    emil = ids[AGS["leerstand"].coordinators[0]]
    told = {(emil, moment.astimezone(UTC)) for moment in budget_reached()}
    assert len(told) == len(THRESHOLDS)
    assert {(r.person_id, r.due_at) for r in budget} == told
    notices = [m for m in year.out if m.startswith("[dm:emil] ⚠") and PILOT in m]
    assert len(notices) == len(THRESHOLDS)
