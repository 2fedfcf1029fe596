"""Protocols in storage on SQLite and PostgreSQL: numbering of TOPs and entries, presence,
documents as bytes, requests, the overview, deadlines across a change to summer time,
deadline reminder rows, merging persons who both appear in one protocol, and protocols
published before versions existed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import groups, meetings, people, protocol_deadlines, protocols, reminders
from storage.database import (
    create_engine,
    downgrade_schema,
    session_factory,
    upgrade_schema,
)
from storage.meetings import MeetingDraft
from storage.models import (
    Answer,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Person,
    Protocol,
    ProtocolDocument,
    ProtocolEntry,
    ProtocolEntryKind,
    ProtocolStatus,
    ProtocolVersion,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Role,
    Rsvp,
)
from storage.protocols import DocumentFile
from storage.reminders import PlannedReminder
from tests.databases import POSTGRES_URL, drop_database, fresh_database

NOW = datetime(2026, 3, 25, 9, 15, tzinfo=UTC)
HOUR = timedelta(hours=1)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def _person(session: AsyncSession, name: str) -> Person:
    return await people.person_for_account(session, people.SeenAccount("console", name, name), NOW)


async def _setup(url: str):  # type: ignore[no-untyped-def]
    """AG Innenstadt (anna coordinates, ben is a member) with meetings at 13:00 UTC on
    the 25th (#1) and the 27th of March (#2)."""
    engine = create_engine(url)
    await upgrade_schema(engine)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        ag = await groups.create_group(
            session, "AG Innenstadt", NOW, language="de", timezone="Europe/Berlin"
        )
        anna, ben = await _person(session, "anna"), await _person(session, "ben")
        await groups.add_member(session, ag.id, anna.id, Role.COORDINATOR, NOW)
        await groups.add_member(session, ag.id, ben.id, Role.MEMBER, NOW)
        draft = MeetingDraft(
            ag.id, "Jour fixe", 90, "Rathaus", None, MeetingFormat.IN_PERSON, anna.id
        )
        first = await meetings.add_meeting(session, draft, NOW + 4 * HOUR, NOW)
        second = await meetings.add_meeting(session, draft, NOW + 52 * HOUR, NOW)
        ids = (ag.id, anna.id, ben.id, first.id, second.id)
    return engine, sessions, ids


async def test_tops_and_entries_are_numbered_apart_and_entries_go_under_the_current_top(
    database_url: str,
) -> None:
    engine, sessions, (ag, anna, ben, first, _) = await _setup(database_url)
    async with sessions() as session, session.begin():
        meeting = await meetings.by_number(session, ag, 1)
        assert meeting is not None
        protocol = await protocols.create(session, meeting, ProtocolStatus.RUNNING)
        add = protocols.add_entry
        early = await add(session, protocol, ProtocolEntryKind.INFO, "vorab", anna, NOW)
        top1 = await add(session, protocol, ProtocolEntryKind.TOPIC, "Haushalt", anna, NOW)
        decision = await add(
            session, protocol, ProtocolEntryKind.DECISION, "angenommen", ben, NOW + HOUR
        )
        top2 = await add(session, protocol, ProtocolEntryKind.TOPIC, "Stadtfest", anna, NOW)
        later = await add(session, protocol, ProtocolEntryKind.INFO, "13.6.", anna, NOW + HOUR)
        assert [(e.number, e.topic) for e in (early, top1, decision, top2, later)] == [
            (1, 0),
            (1, 1),
            (2, 1),
            (2, 2),
            (3, 2),
        ]
        found = await protocols.entry_by_number(session, protocol.id, 2)
        assert found is not None and found.text == "angenommen"  # not TOP 2
        assert (await protocols.last_entry_by(session, protocol.id, anna)) is later
        assert (await protocols.last_entry_by(session, protocol.id, ben)) is decision
        assert sorted(await protocols.contributors(session, protocol.id)) == sorted([anna, ben])
        await protocols.remove_entry(session, later)
        again = await add(session, protocol, ProtocolEntryKind.INFO, "neu", anna, NOW + HOUR)
        assert again.number == 3
        rows = await protocols.entries(session, protocol.id)
        assert [row.author_name for row in rows][:2] == ["anna", "anna"]
        assert (await protocols.running_for_group(session, ag)) is protocol
        assert (await protocols.of_meeting(session, first)) is protocol
    await engine.dispose()


# SQLite lets one writer at a time, so the race exists only on PostgreSQL; CI sets the URL.
@pytest.mark.skipif(not POSTGRES_URL, reason="needs AGBOT_TEST_POSTGRES_URL (PostgreSQL)")
async def test_entries_added_at_the_same_moment_get_different_numbers(tmp_path: Path) -> None:
    url = await fresh_database("postgres", tmp_path)
    try:
        await _two_entries_at_once(url)
    finally:
        await drop_database(url)


async def _two_entries_at_once(database_url: str) -> None:
    engine, sessions, (ag, anna, ben, first, _) = await _setup(database_url)
    async with sessions() as session, session.begin():
        meeting = await meetings.by_number(session, ag, 1)
        assert meeting is not None
        protocol_id = (await protocols.create(session, meeting, ProtocolStatus.RUNNING)).id
    numbered = asyncio.Event()

    async def note(author: int, text: str, *, first_in: bool) -> int:
        async with sessions() as session, session.begin():
            if not first_in:
                await numbered.wait()
            protocol = await protocols.of_meeting(session, first)
            assert protocol is not None and protocol.id == protocol_id
            entry = await protocols.add_entry(
                session, protocol, ProtocolEntryKind.INFO, text, author, NOW
            )
            if first_in:
                numbered.set()
                await asyncio.sleep(0.3)  # the other command numbers meanwhile
            return entry.number

    numbers = await asyncio.gather(
        note(anna, "Annas Notiz", first_in=True), note(ben, "Bens Notiz", first_in=False)
    )
    assert sorted(numbers) == [1, 2]
    await engine.dispose()


async def test_presence_documents_and_requests(database_url: str) -> None:
    engine, sessions, (ag, anna, ben, first, second) = await _setup(database_url)
    pdf = b"%PDF-1.7\x00\xff\xfe binary \x00"
    async with sessions() as session, session.begin():
        meeting = await meetings.by_number(session, ag, 1)
        assert meeting is not None
        protocol = await protocols.create(session, meeting, ProtocolStatus.DRAFT)
        assert await protocols.add_present(session, protocol.id, [ben, anna, ben], anna, NOW) == [
            ben,
            anna,
        ]
        assert await protocols.add_present(session, protocol.id, [anna], anna, NOW) == []
        assert [name for _, name in await protocols.present(session, protocol.id)] == [
            "anna",
            "ben",
        ]
        await protocols.remove_present(session, protocol.id, [ben], anna, NOW)
        assert await protocols.taken_off(session, protocol.id) == {ben}
        # Taken off, ben stays off when he writes; anna is on the list already.
        await protocols.count_as_present(session, protocol.id, ben, NOW)
        assert [name for _, name in await protocols.present(session, protocol.id)] == ["anna"]
        assert await protocols.add_present(session, protocol.id, [ben], anna, NOW) == [ben]
        await protocols.remove_present(session, protocol.id, [ben], anna, NOW)
        await protocols.set_documents(
            session, protocol.id, [DocumentFile("a.pdf", "application/pdf", pdf)]
        )
        await protocols.set_documents(
            session,
            protocol.id,
            [
                DocumentFile("b.pdf", "application/pdf", pdf),
                DocumentFile("b.docx", "application/x", b"PK"),
            ],
        )
        assert await protocols.add_request(session, first, ben, ("console", "ag"), NOW)
        assert not await protocols.add_request(session, first, ben, ("console", "ag"), NOW)
        assert await protocols.add_request(session, first, anna, ("console", "dm:anna"), NOW)
    async with sessions() as session, session.begin():
        files = await protocols.documents(session, protocol.id)
        assert [(f.name, f.content) for f in files] == [("b.pdf", pdf), ("b.docx", b"PK")]
        assert [r.person_id for r in await protocols.open_requests(session, first)] == [anna, ben]
        overview = await protocols.meetings_with_protocols(session, [ag], NOW + 100 * HOUR)
        assert [(row.meeting.number, row.open_requests) for row in overview] == [(2, 0), (1, 2)]
        assert overview[1].protocol is not None and overview[0].protocol is None
        assert await protocols.meetings_with_protocols(session, [ag], NOW) == []  # none begun
        await protocols.mark_delivered(session, first, NOW + HOUR)
        assert await protocols.open_requests(session, first) == []
        # Asking again after the delivery is a new request.
        assert await protocols.add_request(session, first, ben, ("console", "ag"), NOW + HOUR)
        last = await protocols.last_meeting(session, ag, NOW + 5 * HOUR)
        assert last is not None and last.id == first
        (await session.get_one(type(last), second)).status = MeetingStatus.CANCELLED
        await session.flush()
        listed = await protocols.meetings_with_protocols(session, [ag], NOW + 100 * HOUR)
        assert [row.meeting.number for row in listed] == [1]
    await engine.dispose()


async def test_the_deadline_counts_days_in_the_ags_zone_across_summer_time(
    database_url: str,
) -> None:
    engine, sessions, (ag, _anna, _ben, _first, _second) = await _setup(database_url)
    async with sessions() as session, session.begin():
        group = await groups.find_group(session, "AG Innenstadt")
        meeting = await meetings.by_number(session, ag, 2)  # Fri 27.3., 14:15 in Berlin
        assert group is not None and meeting is not None
        # 3 April is Good Friday and 6 April Easter Monday: due Tuesday 7 April.
        assert str(protocols.due_day(meeting, group)) == "2026-04-07"
        # The end of 7 April in Berlin, in summer time (UTC+2).
        assert protocols.due_end(meeting, group) == datetime(2026, 4, 7, 21, 59, 59, tzinfo=UTC)
        group.protocol_days = 1
        # The stored day stays; the setting gives the next meetings Monday 30 March (not Sat).
        assert str(protocols.due_day(meeting, group)) == "2026-04-07"
        assert str(protocol_deadlines.deadline_for(meeting, group)) == "2026-03-30"
    await engine.dispose()


async def test_deadline_rows_go_to_coordinators_and_end_with_publishing(
    database_url: str,
) -> None:
    engine, sessions, (ag, anna, ben, _first, _) = await _setup(database_url)
    async with sessions() as session, session.begin():
        meeting = await meetings.by_number(session, ag, 1)
        assert meeting is not None
        await reminders.sync_meeting(session, meeting, NOW, timedelta(days=60))
        # A delivery row of the same meeting is not the meeting's to cancel.
        await reminders.add(
            session,
            PlannedReminder(
                key="protocol:test",
                kind=ReminderKind.PROTOCOL,
                due_at=NOW + 10 * HOUR,
                person_id=ben,
                meeting_id=meeting.id,
            ),
            NOW,
        )
        meeting.status = MeetingStatus.CANCELLED
        await reminders.sync_meeting(session, meeting, NOW, timedelta(days=60))
        rows = {r.key: r for r in await session.scalars(select(Reminder))}
        due_rows = [r for r in rows.values() if r.kind is ReminderKind.PROTOCOL_DUE]
        assert len(due_rows) == 2 and all(r.person_id == anna for r in due_rows)
        assert {r.due_at for r in due_rows} == {
            datetime(2026, 3, 31, 7, 0, tzinfo=UTC),  # 09:00 in Berlin, summer time
            datetime(2026, 4, 1, 7, 0, tzinfo=UTC),
        }
        assert all(r.status is ReminderStatus.CANCELLED for r in due_rows)  # cancelled meeting
        assert rows["protocol:test"].status is ReminderStatus.PENDING
        meeting.status = MeetingStatus.SCHEDULED
        await reminders.sync_protocol_due(session, meeting, NOW)
        protocol = await protocols.create(session, meeting, ProtocolStatus.PUBLISHED)
        await session.flush()
        await reminders.sync_protocol_due(session, meeting, NOW)
        waiting = await session.scalars(
            select(Reminder).where(
                Reminder.kind == ReminderKind.PROTOCOL_DUE,
                Reminder.status == ReminderStatus.PENDING,
            )
        )
        assert list(waiting) == []
        assert protocol.status is ProtocolStatus.PUBLISHED
    await engine.dispose()


async def test_merging_persons_who_are_both_in_one_protocol(database_url: str) -> None:
    engine, sessions, (ag, anna, ben, first, _) = await _setup(database_url)
    async with sessions() as session, session.begin():
        meeting = await meetings.by_number(session, ag, 1)
        assert meeting is not None
        protocol = await protocols.create(session, meeting, ProtocolStatus.DRAFT)
        protocol.minute_taker_id = ben
        await protocols.add_entry(session, protocol, ProtocolEntryKind.INFO, "x", ben, NOW)
        await protocols.add_present(session, protocol.id, [anna, ben], anna, NOW)
        await protocols.add_request(session, first, anna, ("console", "ag"), NOW)
        await protocols.add_request(session, first, ben, ("console", "ag"), NOW)
    async with sessions() as session, session.begin():
        keep = await session.get_one(Person, anna)
        absorb = await session.get_one(Person, ben)
        await people.merge_persons(session, keep, absorb)
    async with sessions() as session:
        assert await protocols.present(session, protocol.id) == [(anna, "anna")]
        assert [r.person_id for r in await protocols.open_requests(session, first)] == [anna]
        rows = await protocols.entries(session, protocol.id)
        assert [row.author_name for row in rows] == ["anna"]
        merged = await protocols.of_meeting(session, first)
        assert merged is not None and merged.minute_taker_id == anna
    await engine.dispose()


async def test_protocols_published_before_versions_become_version_1(database_url: str) -> None:
    """Migration 0016: a protocol published before it is version 1 with its documents; one
    rendered from the minutes can be rendered again (approval), an upload cannot."""
    engine, sessions, (_, anna_id, _, first_id, second_id) = await _setup(database_url)
    async with sessions() as session, session.begin():
        for meeting_id, files in (
            (first_id, [("p.pdf", "application/pdf"), ("p.docx", DOCX)]),
            (second_id, [("upload.pdf", "application/pdf")]),
        ):
            meeting = await session.get(Meeting, meeting_id)
            assert meeting is not None
            protocol = await protocols.create(session, meeting, ProtocolStatus.PUBLISHED)
            protocol.published_at, protocol.published_by = NOW, anna_id
            if meeting_id == first_id:
                await protocols.add_entry(
                    session, protocol, ProtocolEntryKind.INFO, "x", anna_id, NOW
                )
            await protocols.set_documents(
                session, protocol.id, [DocumentFile(n, m, b"%PDF-") for n, m in files]
            )
    await downgrade_schema(engine, "0014")
    await upgrade_schema(engine)
    async with sessions() as session:
        versions = await session.execute(
            select(
                ProtocolVersion.number, ProtocolVersion.from_minutes, ProtocolVersion.published_at
            ).order_by(ProtocolVersion.protocol_id)
        )
        assert [(n, bool(m), at) for n, m, at in versions] == [(1, True, NOW), (1, False, NOW)]
        assert set(await session.scalars(select(ProtocolDocument.version))) == {1}
        # Down and up again kept the minutes and documents (no table copied and dropped).
        assert len(list(await session.scalars(select(ProtocolDocument.id)))) == 3
        assert len(list(await session.scalars(select(ProtocolEntry.id)))) == 1
    await engine.dispose()


async def test_a_wave_one_database_keeps_its_protocols_and_answers_through_the_upgrade(
    database_url: str,
) -> None:
    """SQLite copies a table to change it; with foreign keys on, dropping the old copy of
    "meetings" deleted every protocol and RSVP hanging off it. Down to the revision of the
    first release and up again keeps them all."""
    engine, sessions, (_, anna_id, _, first_id, second_id) = await _setup(database_url)
    async with sessions() as session, session.begin():
        meeting = await session.get(Meeting, first_id)
        assert meeting is not None
        protocol = await protocols.create(session, meeting, ProtocolStatus.PUBLISHED)
        protocol.published_at, protocol.published_by = NOW, anna_id
        await protocols.add_entry(session, protocol, ProtocolEntryKind.INFO, "x", anna_id, NOW)
        await protocols.set_documents(
            session, protocol.id, [DocumentFile("p.pdf", "application/pdf", b"%PDF-")]
        )
        session.add(
            Rsvp(meeting_id=second_id, person_id=anna_id, answer=Answer.YES, answered_at=NOW)
        )
    await downgrade_schema(engine, "0011")
    await upgrade_schema(engine)
    async with sessions() as session:
        counts = {
            column.class_.__name__: len(list(await session.scalars(select(column))))
            for column in (Meeting.id, Protocol.id, ProtocolEntry.id, ProtocolDocument.id)
        }
        counts["Rsvp"] = len(list(await session.scalars(select(Rsvp.person_id))))
    assert counts == {
        "Meeting": 2,
        "Protocol": 1,
        "ProtocolEntry": 1,
        "ProtocolDocument": 1,
        "Rsvp": 1,
    }
    # Foreign keys hold again after the migration: a deleted meeting takes its protocol along.
    async with sessions() as session, session.begin():
        await session.delete(await session.get(Meeting, first_id))
    async with sessions() as session:
        assert list(await session.scalars(select(Protocol.id))) == []
    await engine.dispose()
