"""The dispatcher: claims due reminder rows, sends them through the adapters, records it.

One pass takes batches of due rows (atomically, so several processes can share a
database), renders each one, sends it, and marks it sent only after the messenger
confirmed. A send that failed for a passing reason is retried with backoff; one that
can never work (the bot was removed, the person blocked it) is marked failed and shows
up in the coordinators' digest. A process killed in the middle leaves its rows claimed
until their lease runs out; then another pass takes them again.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from reminders.addressing import Outgoing, Rendered, RenderEnvironment, Withdrawn
from reminders.notifier import DeliveryFailed, Notifier
from reminders.render import render
from storage import reminders
from storage.models import Reminder, ReminderKind
from storage.reminders import Outcome

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
        self._settings = settings or DispatchSettings()
        self.worker = worker or uuid.uuid4().hex[:16]
        self._lock = asyncio.Lock()
        self._closed = False
        self.sent = 0

    async def run_due(self) -> int:
        """Send everything due now, batch by batch; how many rows were handled."""
        async with self._lock:
            handled = 0
            while not self._closed:
                count = await self._one_batch()
                handled += count
                if count < self._settings.batch_size:
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
        settings = self._settings
        async with self._sessions() as session, session.begin():
            batch = await reminders.claim(
                session, self._clock.now(), self.worker, settings.lease, settings.batch_size, kinds
            )
        if not batch:
            return 0
        rendered = await self._render(batch)
        settler = _Settler(self)
        try:
            await self._send_all(batch, rendered, settler)
        finally:
            await settler.finish()
        return len(batch)

    async def _settle(self, items: list[tuple[Reminder, Outcome]]) -> None:
        now = self._clock.now()
        retry_at = {row.id: now + self._backoff(row.attempts) for row, o in items if o.error}
        async with self._sessions() as session, session.begin():
            await reminders.settle(
                session,
                self.worker,
                [outcome for _, outcome in items],
                now,
                retry_at,
                self._settings.max_attempts,
            )
        self.sent += sum(1 for _, o in items if o.error is None and not o.withdrawn)

    def _backoff(self, attempts: int) -> timedelta:
        delay: timedelta = self._settings.first_retry * 2 ** max(0, attempts - 1)
        return min(delay, self._settings.last_retry)

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
        gate = asyncio.Semaphore(self._settings.parallel)

        async def send_in_order(items: list[tuple[Reminder, Rendered]]) -> None:
            async with gate:
                for row, result in items:
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
        except Exception as error:
            log.exception("reminder %s to %s failed", row.id, outgoing.where)
            return Outcome(row.id, error=repr(error))
        return Outcome(row.id, message_id=message_id, follow_up=rendered.follow_up)

    async def next_due(self) -> datetime | None:
        async with self._sessions() as session:
            return await reminders.next_due(session)


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
