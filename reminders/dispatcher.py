"""The dispatcher: claims due reminder rows, sends them through the adapters, records it.

One pass takes batches of due rows (atomically, so several processes can share a
database), renders each one, sends it, and marks it sent only after the messenger
confirmed. A send that failed for a passing reason is retried with backoff; one that
can never work (the bot was removed, the person blocked it) is marked failed and shows
up in the coordinators' digest. A process killed in the middle leaves its rows claimed
until their lease runs out; then another pass takes them again.

While a batch is being sent, a heartbeat renews the lease of the rows not yet settled,
so a chat that takes long (Telegram: 20 messages a minute into a group) is not taken
over and sent twice by another process. A batch takes of one chat only what its rate
lets through within the lease, and a row is sent only while its lease is known to hold:
if renewing fails (the database is gone), the rest of that chat is given back unsent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from reminders.addressing import Outgoing, Rendered, RenderEnvironment, Withdrawn
from reminders.notifier import DeliveryFailed, DeliveryUncertain, Notifier
from reminders.render import render
from storage import reminder_claims
from storage.models import Reminder, ReminderKind
from storage.reminder_claims import Outcome

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchSettings:
    batch_size: int = 200
    # How long a claimed row is this process's; a process killed mid-send frees it then.
    lease: timedelta = timedelta(seconds=60)
    max_attempts: int = 8
    first_retry: timedelta = timedelta(seconds=30)
    last_retry: timedelta = timedelta(hours=1)
    # Sends in flight at once (each chat's messages still go one after another).
    parallel: int = 32
    # Messages a minute one chat takes, by platform (Telegram: 20 into a group), and one
    # person's private chat (Telegram: one a second); a batch takes of one chat no more
    # than fit into most of the lease at that rate.
    chat_per_minute: Mapping[str, float] = field(default_factory=lambda: {"telegram": 20})
    private_per_minute: float = 60

    def per_lease(self, per_minute: float) -> int:
        """How many messages at ``per_minute`` fit into the lease, with room to spare."""
        return max(1, int(per_minute / 60 * self.lease.total_seconds() * _LEASE_SHARE))


# The share of a lease a chat's messages may fill; heartbeats renew it meanwhile anyway.
_LEASE_SHARE = 0.8


class Dispatcher:
    """Sends what is due; safe to run in several processes against one database."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        notifiers: Mapping[str, Notifier],
        environment: RenderEnvironment,
        settings: DispatchSettings | None = None,
        worker: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._notifiers = notifiers
        self._environment = environment
        self.settings = settings or DispatchSettings()
        self.worker = worker or uuid.uuid4().hex[:16]
        self._lock = asyncio.Lock()
        self._closed = False
        self.sent = 0
        # Recorded as sent though the messenger's answer was lost (see DeliveryUncertain).
        self.uncertain = 0

    async def run_due(self) -> int:
        """Send everything due now, batch by batch; how many rows were handled."""
        async with self._lock:
            handled = 0
            while not self._closed:
                # A batch may be smaller than batch_size while more is due (a chat's
                # share is capped): go on until nothing more can be taken.
                count = await self._one_batch()
                handled += count
                if count == 0:
                    break
            return handled

    async def send_announcements(self) -> int:
        """Send the announcements that are due now (a command just wrote them).

        Not behind the pass lock: a long pass must not delay a command's invitations, and
        claiming keeps a row from being sent by two passes.
        """
        if self._closed:
            return 0
        return await self._one_batch([ReminderKind.ANNOUNCEMENT])

    async def close(self) -> None:
        """Start no more passes; return once the running one (if any) has finished."""
        self._closed = True
        async with self._lock:
            return

    async def _one_batch(self, kinds: list[ReminderKind] | None = None) -> int:
        settings = self.settings
        claimed_at = time.monotonic()
        async with self._sessions() as session, session.begin():
            batch = await reminder_claims.claim(
                session,
                self._clock.now(),
                self.worker,
                settings.lease,
                settings.batch_size,
                chat_caps={p: settings.per_lease(n) for p, n in settings.chat_per_minute.items()},
                private_cap=settings.per_lease(settings.private_per_minute),
                kinds=kinds,
            )
        if not batch:
            return 0
        lease = _Lease(self, [row.id for row in batch], claimed_at)
        try:
            rendered = await self._render(batch)
            settler = _Settler(self)
            try:
                await self._send_all(batch, rendered, settler, lease)
            finally:
                await settler.finish()
        finally:
            await lease.end()
        return len(batch)

    async def _renew(self, ids: set[int]) -> set[int]:
        async with self._sessions() as session, session.begin():
            return await reminder_claims.renew(
                session, self.worker, ids, self._clock.now() + self.settings.lease
            )

    async def _release(self, ids: set[int]) -> None:
        async with self._sessions() as session, session.begin():
            await reminder_claims.release(session, self.worker, ids, self._clock.now())

    async def _settle(self, items: list[tuple[Reminder, Outcome]]) -> None:
        now = self._clock.now()
        retry_at = {row.id: now + self._backoff(row.attempts) for row, o in items if o.error}
        async with self._sessions() as session, session.begin():
            await reminder_claims.settle(
                session,
                self.worker,
                [outcome for _, outcome in items],
                now,
                retry_at,
                self.settings.max_attempts,
            )
        self.sent += sum(1 for _, o in items if o.error is None and not o.withdrawn)
        self.uncertain += sum(1 for _, o in items if o.uncertain is not None)

    def _backoff(self, attempts: int) -> timedelta:
        delay: timedelta = self.settings.first_retry * 2 ** max(0, attempts - 1)
        return min(delay, self.settings.last_retry)

    async def _render(
        self, batch: list[Reminder]
    ) -> dict[int, Rendered | Withdrawn | Exception | None]:
        results: dict[int, Rendered | Withdrawn | Exception | None] = {}
        async with self._sessions() as session:
            for row in batch:
                try:
                    results[row.id] = await render(session, self._environment, row)
                except Exception as error:  # a bug must not stop the other reminders
                    log.exception("reminder %s (%s) could not be rendered", row.id, row.key)
                    results[row.id] = error
        return results

    async def _send_all(
        self,
        batch: list[Reminder],
        rendered: Mapping[int, Rendered | Withdrawn | Exception | None],
        settler: _Settler,
        lease: _Lease,
    ) -> None:
        """Send concurrently across chats, in order within each chat.

        Each sent reminder is marked sent before the next one goes to the same chat, so
        a process killed mid-batch repeats at most the message in flight to each chat
        (none on Matrix, whose transaction ids make the repeat a no-op).
        """
        by_target: dict[str, list[tuple[Reminder, Rendered]]] = defaultdict(list)
        for row in batch:
            result = rendered[row.id]
            if result is None:
                settler.add(row, Outcome(row.id, withdrawn=True))
            elif isinstance(result, Withdrawn):
                settler.add(row, Outcome(row.id, withdrawn=True, error=result.reason))
            elif isinstance(result, Exception):
                settler.add(row, Outcome(row.id, error=f"rendering failed: {result!r}"))
            else:
                by_target[result.outgoing.where].append((row, result))
        gate = asyncio.Semaphore(self.settings.parallel)

        async def send_in_order(items: list[tuple[Reminder, Rendered]]) -> None:
            async with gate:
                for index, (row, result) in enumerate(items):
                    if not lease.holds(row.id):
                        # Not sure the row is still ours: give the rest of this chat back
                        # (in order) rather than risk sending what another process sends.
                        lease.give_back(r.id for r, _ in items[index:])
                        return
                    await settler.record(row, await self._send(row, result))

        await asyncio.gather(*(send_in_order(items) for items in by_target.values()))

    async def _send(self, row: Reminder, rendered: Rendered) -> Outcome:
        outgoing: Outgoing = rendered.outgoing
        notifier = self._notifiers.get(outgoing.platform)
        if notifier is None:
            return Outcome(row.id, error=f"no adapter for {outgoing.platform} is running")
        try:
            if outgoing.account_id is not None:
                message_id = await notifier.send_private(
                    outgoing.account_id, outgoing.reply, key=row.key
                )
            else:
                assert outgoing.chat is not None
                message_id = await notifier.send(outgoing.chat, outgoing.reply, key=row.key)
        except DeliveryFailed as failure:
            log.warning("reminder %s to %s failed: %s", row.id, outgoing.where, failure)
            return Outcome(row.id, error=str(failure), permanent=failure.permanent)
        except DeliveryUncertain as unsure:
            # Sending again could show it twice: recorded as sent, with the reason.
            log.warning(
                "reminder %s to %s may not have arrived (%s); recorded as sent, not repeated",
                row.id,
                outgoing.where,
                unsure,
            )
            return Outcome(
                row.id,
                message_id=unsure.message_id,
                follow_up=rendered.follow_up,
                uncertain=f"outcome unknown: {unsure}",
            )
        except Exception as error:
            # Adapters sort every outcome of a send into the two errors above; this is a
            # bug before anything was sent (rendering the reply), so trying again is safe.
            log.exception("reminder %s to %s failed", row.id, outgoing.where)
            return Outcome(row.id, error=repr(error))
        return Outcome(row.id, message_id=message_id, follow_up=rendered.follow_up)

    async def next_due(self) -> datetime | None:
        async with self._sessions() as session:
            return await reminder_claims.next_due(session)


class _Lease:
    """The claimed rows of one batch: renews their lease until the batch is done.

    A row counts as held while the last successful renewal (or the claim) is younger than
    the lease minus a safety margin, the time one send may still take.
    """

    def __init__(self, dispatcher: Dispatcher, ids: list[int], claimed_at: float) -> None:
        self._dispatcher = dispatcher
        lease = dispatcher.settings.lease.total_seconds()
        self._interval = lease / 4
        self._margin = lease / 3
        self._held = set(ids)
        self._valid_until = claimed_at + lease
        self._returned: set[int] = set()
        self._task = asyncio.get_running_loop().create_task(self._beat())

    def holds(self, row_id: int) -> bool:
        return row_id in self._held and time.monotonic() < self._valid_until - self._margin

    def give_back(self, ids: Iterable[int]) -> None:
        self._returned.update(ids)

    async def _beat(self) -> None:
        lease = self._dispatcher.settings.lease.total_seconds()
        while True:
            await asyncio.sleep(self._interval)
            started = time.monotonic()
            try:
                held = await self._dispatcher._renew(self._held)
            except Exception:
                log.exception("reminders: renewing the lease of %d rows failed", len(self._held))
                continue
            # Rows settled meanwhile drop out; a row taken by another process would too.
            self._held &= held
            self._valid_until = started + lease

    async def end(self) -> None:
        """Stop renewing; give back what was not sent."""
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        if self._returned:
            log.warning(
                "reminders: %d rows given back unsent (lease not kept)", len(self._returned)
            )
            try:
                await self._dispatcher._release(self._returned)
            except Exception:
                log.exception("reminders: giving back rows failed; their lease runs out")


class _Settler:
    """Group commit: outcomes that arrive while one commit runs go into the next one."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher
        self._waiting: list[tuple[Reminder, Outcome, asyncio.Future[None] | None]] = []
        self._wake = asyncio.Event()
        self._finishing = False
        self._task = asyncio.get_running_loop().create_task(self._run())

    def add(self, row: Reminder, outcome: Outcome) -> None:
        """Record an outcome without waiting for it to be committed."""
        self._waiting.append((row, outcome, None))
        self._wake.set()

    async def record(self, row: Reminder, outcome: Outcome) -> None:
        """Record an outcome and return once it is committed."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((row, outcome, done))
        self._wake.set()
        await done

    async def finish(self) -> None:
        """Commit what is left and stop."""
        self._finishing = True
        self._wake.set()
        await self._task

    async def _run(self) -> None:
        while True:
            if not self._waiting:
                if self._finishing:
                    return
                await self._wake.wait()
                self._wake.clear()
                continue
            items, self._waiting = self._waiting, []
            try:
                await self._dispatcher._settle([(row, outcome) for row, outcome, _ in items])
            except Exception as error:
                # The rows stay claimed; their lease runs out and another pass sends them.
                log.exception("reminders: recording %d outcomes failed", len(items))
                for _, _, done in items:
                    if done is not None and not done.done():
                        done.set_exception(error)
            else:
                for _, _, done in items:
                    if done is not None and not done.done():
                        done.set_result(None)
