"""The reminder rows on SQLite and PostgreSQL: claiming, leases, outcomes, planning twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from storage import reminder_claims
from storage.database import create_engine, session_factory, upgrade_schema
from storage.models import Reminder, ReminderStatus
from storage.reminder_claims import Outcome
from tests.reminder_rows import add_due_reminders

NOW = datetime(2026, 3, 25, 9, 15, tzinfo=UTC)
LEASE = timedelta(seconds=60)


async def _sessions(url: str):  # type: ignore[no-untyped-def]
    engine = create_engine(url)
    await upgrade_schema(engine)
    return engine, session_factory(engine)


async def _status_counts(sessions) -> dict[ReminderStatus, int]:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        rows = await session.execute(
            select(Reminder.status, func.count()).group_by(Reminder.status)
        )
        return {status: count for status, count in rows}


async def test_a_due_row_is_claimed_once_and_a_lapsed_lease_frees_it(database_url: str) -> None:
    engine, sessions = await _sessions(database_url)
    await add_due_reminders(sessions, [("console", "ag")], 3, NOW - timedelta(minutes=1))
    await add_due_reminders(
        sessions, [("console", "ag")], 1, NOW + timedelta(hours=1), prefix="later"
    )
    async with sessions() as session, session.begin():
        first = await reminder_claims.claim(session, NOW, "a", LEASE, 10)
    async with sessions() as session, session.begin():
        second = await reminder_claims.claim(session, NOW, "b", LEASE, 10)
    assert [row.text for row in first] == ["Erinnerung 0000", "Erinnerung 0001", "Erinnerung 0002"]
    assert second == []  # claimed rows are not due again while the lease runs
    async with sessions() as session:
        assert await reminder_claims.next_due(session) == NOW + LEASE
    # Worker a died: after the lease, b takes the rows.
    async with sessions() as session, session.begin():
        taken = await reminder_claims.claim(session, NOW + LEASE, "b", LEASE, 10)
    assert len(taken) == 3 and all(row.attempts == 2 for row in taken)
    # a comes back and reports: nothing changes, the rows are b's now.
    async with sessions() as session, session.begin():
        await reminder_claims.settle(session, "a", [Outcome(r.id) for r in first], NOW, {}, 8)
    assert (await _status_counts(sessions))[ReminderStatus.CLAIMED] == 3
    async with sessions() as session, session.begin():
        await reminder_claims.settle(
            session, "b", [Outcome(r.id, message_id="m") for r in taken], NOW, {}, 8
        )
    counts = await _status_counts(sessions)
    assert counts[ReminderStatus.SENT] == 3 and counts[ReminderStatus.PENDING] == 1
    await engine.dispose()


async def test_outcomes_retry_fail_or_withdraw(database_url: str) -> None:
    engine, sessions = await _sessions(database_url)
    await add_due_reminders(sessions, [("console", "ag")], 4, NOW - timedelta(minutes=1))
    async with sessions() as session, session.begin():
        rows = await reminder_claims.claim(session, NOW, "a", LEASE, 10)
    retry = NOW + timedelta(seconds=30)
    outcomes = [
        Outcome(rows[0].id, error="timeout"),
        Outcome(rows[1].id, error="Forbidden", permanent=True),
        Outcome(rows[2].id, withdrawn=True),
        Outcome(rows[3].id, message_id="$event"),
    ]
    async with sessions() as session, session.begin():
        await reminder_claims.settle(session, "a", outcomes, NOW, {rows[0].id: retry}, 8)
    async with sessions() as session:
        stored = {row.id: row for row in await session.scalars(select(Reminder))}
    assert stored[rows[0].id].status is ReminderStatus.PENDING
    assert (
        stored[rows[0].id].next_attempt_at == retry and stored[rows[0].id].last_error == "timeout"
    )
    assert stored[rows[1].id].status is ReminderStatus.FAILED
    assert stored[rows[2].id].status is ReminderStatus.CANCELLED
    assert stored[rows[3].id].status is ReminderStatus.SENT
    assert stored[rows[3].id].message_id == "$event"
    async with sessions() as session, session.begin():
        assert (
            await reminder_claims.claim(session, NOW + timedelta(seconds=29), "a", LEASE, 10) == []
        )
        again = await reminder_claims.claim(session, retry, "a", LEASE, 10)
    assert [row.id for row in again] == [rows[0].id]
    # The last allowed attempt fails too: then it is failed for good.
    async with sessions() as session, session.begin():
        await reminder_claims.settle(
            session, "a", [Outcome(rows[0].id, error="timeout")], NOW, {rows[0].id: retry}, 2
        )
    assert (await _status_counts(sessions))[ReminderStatus.FAILED] == 2
    await engine.dispose()


async def test_concurrent_claims_never_share_a_row(database_url: str) -> None:
    engine, sessions = await _sessions(database_url)
    await add_due_reminders(sessions, [("console", "ag")], 300, NOW - timedelta(minutes=1))

    async def worker(name: str) -> list[int]:
        taken: list[int] = []
        while True:
            async with sessions() as session, session.begin():
                rows = await reminder_claims.claim(session, NOW, name, LEASE, 25)
            if not rows:
                return taken
            taken += [row.id for row in rows]
            # Sent: a chat whose rows a worker holds is left to it until they are settled.
            async with sessions() as session, session.begin():
                outcomes = [Outcome(row.id, message_id="m") for row in rows]
                await reminder_claims.settle(session, name, outcomes, NOW, {}, 8)

    results = await asyncio.gather(*(worker(f"w{i}") for i in range(4)))
    every = [rid for taken in results for rid in taken]
    assert len(every) == 300 and len(set(every)) == 300
    await engine.dispose()


async def test_a_claim_takes_a_chats_share_and_leaves_a_held_chat_alone(
    database_url: str,
) -> None:
    engine, sessions = await _sessions(database_url)
    slow = await add_due_reminders(sessions, [("telegram", "-100")], 30, NOW - timedelta(hours=1))
    await add_due_reminders(sessions, [("console", "a"), ("console", "b")], 10, NOW, prefix="other")
    caps = {"telegram": 4}
    async with sessions() as session, session.begin():
        first = await reminder_claims.claim(session, NOW, "w1", LEASE, 100, chat_caps=caps)
    # Four of the slow chat (its oldest, in order), all ten of the others.
    assert [row.key for row in first if row.chat_platform == "telegram"] == slow[:4]
    assert len(first) == 14
    async with sessions() as session, session.begin():
        # The slow chat is held by w1: w2 takes none of it, though 26 of its rows are due.
        assert await reminder_claims.claim(session, NOW, "w2", LEASE, 100, chat_caps=caps) == []
        # A heartbeat keeps the rows w1 holds; a row it settled meanwhile drops out.
        await reminder_claims.settle(session, "w1", [Outcome(first[0].id, "m")], NOW, {}, 8)
        later = NOW + LEASE - timedelta(seconds=1)
        held = await reminder_claims.renew(session, "w1", [r.id for r in first], later + LEASE)
        assert held == {row.id for row in first[1:]}
        assert (
            await reminder_claims.renew(session, "w2", [r.id for r in first], later + LEASE)
            == set()
        )
    async with sessions() as session, session.begin():
        # Past the first lease but within the renewed one: still nobody else's.
        assert await reminder_claims.claim(session, NOW + LEASE, "w2", LEASE, 100) == []
        # Given back unsent: due at once, without counting as an attempt.
        await reminder_claims.release(session, "w1", [row.id for row in first[1:]], NOW + LEASE)
        again = await reminder_claims.claim(session, NOW + LEASE, "w2", LEASE, 100, chat_caps=caps)
    assert [row.key for row in again if row.chat_platform == "telegram"] == slow[1:5]
    assert [row.attempts for row in again if row.key in slow[1:4]] == [1, 1, 1]
    await engine.dispose()


async def test_planning_the_same_keys_twice_adds_nothing(database_url: str) -> None:
    engine, sessions = await _sessions(database_url)
    keys = await add_due_reminders(sessions, [("console", "ag")], 5, NOW)
    again = await add_due_reminders(sessions, [("console", "ag")], 5, NOW)
    assert keys == again
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Reminder)) == 5
    await engine.dispose()
