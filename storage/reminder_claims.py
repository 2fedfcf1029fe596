"""The dispatcher's side of the reminder rows: claiming due rows with a lease, renewing and
giving back the lease while a batch is sent, and recording the outcomes. Planning the rows
and what people see of them is ``storage.reminders``."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from storage.reminders import WAITING, PlannedReminder, new_row


async def claim(
    session: AsyncSession,
    now: datetime,
    worker: str,
    lease: timedelta,
    limit: int,
    *,
    chat_caps: Mapping[str, int] | None = None,
    private_cap: int | None = None,
    kinds: Sequence[ReminderKind] | None = None,
) -> list[Reminder]:
    """Take up to ``limit`` due rows (of ``kinds``, or any) for ``worker`` until
    ``now + lease``; oldest due first.

    A row whose lease ran out (its process died while sending) is due again. Of one chat
    at most ``chat_caps[platform]`` rows are taken (of one person's private reminders at
    most ``private_cap``): what can be sent within the lease at that chat's rate. A chat
    whose rows another dispatcher holds is left to it, so one chat is served by one
    process at a time, in order, and its rate is not shared out between processes.
    """
    caps = chat_caps or {}
    cap: ColumnElement[int] = case(
        (Reminder.chat_id.is_(None), private_cap or limit),
        *((Reminder.chat_platform == platform, n) for platform, n in caps.items()),
        else_=limit,
    )
    busy = aliased(Reminder)
    held_elsewhere = exists().where(
        busy.status == ReminderStatus.CLAIMED,
        busy.next_attempt_at > now,
        busy.chat_platform == Reminder.chat_platform,
        busy.chat_id == Reminder.chat_id,
    )
    is_due = and_(Reminder.status.in_(WAITING), Reminder.next_attempt_at <= now)
    if kinds is not None:
        is_due = and_(is_due, Reminder.kind.in_(kinds))
    ranked = (
        select(
            Reminder.id.label("id"),
            func.row_number()
            .over(
                partition_by=(Reminder.chat_platform, Reminder.chat_id, Reminder.person_id),
                order_by=(Reminder.due_at, Reminder.id),
            )
            .label("place"),
            cap.label("cap"),
        )
        .where(is_due, ~held_elsewhere)
        .subquery()
    )
    due = (
        select(Reminder.id)
        # The due condition again outside: PostgreSQL re-checks it on a row another
        # process claimed (and committed) after this statement's snapshot was taken.
        .where(Reminder.id.in_(select(ranked.c.id).where(ranked.c.place <= ranked.c.cap)), is_due)
        # By due time, not next attempt: a row given back or retried keeps its place in
        # its chat's order.
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
        # PostgreSQL: rows another process holds are skipped, not waited for. SQLite
        # ignores it; there a single process dispatches.
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed = await session.scalars(
        update(Reminder)
        .where(Reminder.id.in_(due))
        .values(
            status=ReminderStatus.CLAIMED,
            claimed_by=worker,
            next_attempt_at=now + lease,
            attempts=Reminder.attempts + 1,
        )
        .returning(Reminder)
        .execution_options(synchronize_session=False)
    )
    return sorted(claimed, key=lambda reminder: (reminder.due_at, reminder.id))


async def renew(
    session: AsyncSession, worker: str, ids: Collection[int], until: datetime
) -> set[int]:
    """Extend the lease of the rows ``worker`` still holds to ``until``; their ids.

    Rows already settled (sent, to be retried, failed), being settled, or taken by another
    process after the lease ran out are left alone and not in the answer.
    """
    if not ids:
        return set()
    mine = (
        select(Reminder.id)
        .where(
            Reminder.id.in_(list(ids)),
            Reminder.claimed_by == worker,
            Reminder.status == ReminderStatus.CLAIMED,
        )
        # PostgreSQL: a row locked now is being settled by this worker (it was sent); not
        # waiting for it keeps a heartbeat and a settling commit from deadlocking.
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    held = await session.scalars(
        update(Reminder)
        .where(Reminder.id.in_(mine))
        .values(next_attempt_at=until)
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )
    return set(held)


async def release(session: AsyncSession, worker: str, ids: Collection[int], now: datetime) -> None:
    """Give back claimed rows that were not sent (the lease could not be kept): due now,
    and the claim does not count as an attempt."""
    if not ids:
        return
    await session.execute(
        update(Reminder)
        .where(
            Reminder.id.in_(list(ids)),
            Reminder.claimed_by == worker,
            Reminder.status == ReminderStatus.CLAIMED,
        )
        .values(
            status=ReminderStatus.PENDING,
            next_attempt_at=now,
            attempts=Reminder.attempts - 1,
        )
        .execution_options(synchronize_session=False)
    )


@dataclass
class Outcome:
    """What happened to one claimed reminder."""

    reminder_id: int
    message_id: str | None = None
    error: str | None = None
    permanent: bool = False
    # Nothing to remind of any more (the meeting was cancelled meanwhile, say).
    withdrawn: bool = False
    # Sent, but the messenger's answer was lost: why (kept as the row's last error).
    uncertain: str | None = None
    follow_up: list[PlannedReminder] = field(default_factory=list)


async def settle(
    session: AsyncSession,
    worker: str,
    outcomes: Sequence[Outcome],
    now: datetime,
    retry_at: dict[int, datetime],
    max_attempts: int,
) -> None:
    """Record the outcomes of one batch: sent, to be retried, or failed for good.

    Only rows this worker still holds are changed: a row whose lease ran out and that
    another process took meanwhile is that process's now.
    """
    sent = [o for o in outcomes if o.error is None and not o.withdrawn]
    withdrawn = [o for o in outcomes if o.withdrawn]
    if withdrawn:
        # A withdrawal with a reason (nobody reachable, too late) keeps it in ``last_error``:
        # the coordinators' overview lists those; one without has nothing left to say.
        table = cast(Table, Reminder.__table__)
        await session.execute(
            update(table)
            .where(table.c.id == bindparam("rid"), table.c.claimed_by == worker)
            .values(status=ReminderStatus.CANCELLED, last_error=bindparam("why")),
            [{"rid": o.reminder_id, "why": o.error and o.error[:500]} for o in withdrawn],
        )
    if sent:
        # On the table, not the entity: one executemany with the worker condition kept.
        table = cast(Table, Reminder.__table__)
        await session.execute(
            update(table)
            .where(table.c.id == bindparam("rid"), table.c.claimed_by == worker)
            .values(
                status=ReminderStatus.SENT,
                sent_at=now,
                message_id=bindparam("mid"),
                last_error=func.coalesce(bindparam("note", type_=String()), table.c.last_error),
            ),
            [
                {
                    "rid": o.reminder_id,
                    "mid": o.message_id,
                    "note": o.uncertain and o.uncertain[:500],
                }
                for o in sent
            ],
        )
    for outcome in outcomes:
        if outcome.error is None or outcome.withdrawn:
            continue
        row = await session.get(Reminder, outcome.reminder_id)
        if row is None or row.claimed_by != worker:
            continue
        row.last_error = outcome.error[:500]
        if outcome.permanent or row.attempts >= max_attempts:
            row.status = ReminderStatus.FAILED
        else:
            row.status = ReminderStatus.PENDING
            row.next_attempt_at = retry_at[outcome.reminder_id]
    follow_ups = [plan for outcome in sent for plan in outcome.follow_up]
    if follow_ups:
        known = set(
            await session.scalars(
                select(Reminder.key).where(Reminder.key.in_([p.key for p in follow_ups]))
            )
        )
        session.add_all(new_row(plan, now) for plan in follow_ups if plan.key not in known)
    await session.flush()


async def next_due(session: AsyncSession) -> datetime | None:
    """When the next reminder falls due (or a lease runs out)."""
    value: datetime | None = await session.scalar(
        select(func.min(Reminder.next_attempt_at)).where(Reminder.status.in_(WAITING))
    )
    return value
