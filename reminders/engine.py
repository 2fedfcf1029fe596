"""The reminder engine: APScheduler only decides *when* to look; the database knows *what*.

APScheduler 3 (in memory, no job store) runs three kinds of jobs: a wake-up at the
next due time, a safety sweep every minute, and the daily planning job. None of them
is a reminder: a restart loses nothing, because on start the engine plans, then sends
everything that fell due while the bot was down (marked late past the grace).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.clock import Clock
from reminders.dispatcher import Dispatcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineSettings:
    sweep: timedelta = timedelta(seconds=60)
    # The daily planning job's local time (and zone).
    plan_hour: int = 3
    timezone: str = "Europe/Berlin"


class ReminderEngine:
    """Starts and stops the scheduler; sends due reminders; plans ahead."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        plan: Callable[[], Awaitable[None]],
        clock: Clock,
        settings: EngineSettings | None = None,
    ) -> None:
        self._dispatcher = dispatcher
        self._plan = plan
        self._clock = clock
        self._settings = settings or EngineSettings()
        self._scheduler: AsyncIOScheduler | None = None
        self._arming: set[asyncio.Task[None]] = set()

    async def catch_up(self) -> int:
        """Plan ahead, then send what is due now (also what fell due while the bot was down)."""
        await self._plan()
        return await self._dispatcher.run_due()

    async def clock_moved(self) -> None:
        """The console's ``::now`` moved the bot's clock: send what is due by then."""
        await self.catch_up()
        await self._arm()

    async def start(self) -> None:
        settings = self._settings
        scheduler = AsyncIOScheduler(timezone=UTC)
        # No misfire grace limit and coalescing: a late wake-up still runs, once.
        options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=settings.sweep.total_seconds()),
            id="sweep",
            **options,
        )
        scheduler.add_job(
            self._daily,
            CronTrigger(hour=settings.plan_hour, timezone=settings.timezone),
            id="plan",
            **options,
        )
        scheduler.start()
        self._scheduler = scheduler
        sent = await self.catch_up()
        if sent:
            log.info("reminders: %d due at start handled", sent)
        await self._arm()

    async def stop(self) -> None:
        """Stop waking up; let a pass that is sending finish (cancelling it mid-query would
        leave the database connection hanging), so the rows it sent are marked sent."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        await asyncio.gather(*self._arming, return_exceptions=True)
        await self._dispatcher.close()

    async def tick(self) -> None:
        """Send what is due, then wake up again at the next due time."""
        try:
            await self._dispatcher.run_due()
        except Exception:
            log.exception("reminders: dispatching failed; the next sweep tries again")
        await self._arm()

    async def _daily(self) -> None:
        try:
            await self._plan()
        except Exception:
            log.exception("reminders: planning failed; the next run tries again")
        await self.tick()

    def poke(self) -> None:
        """Something may have been planned that is due sooner: look again (after a command)."""
        if self._scheduler is None:
            return
        task = asyncio.get_running_loop().create_task(self._arm())
        self._arming.add(task)
        task.add_done_callback(self._arming.discard)

    async def _arm(self) -> None:
        scheduler = self._scheduler
        if scheduler is None:
            return
        try:
            due = await self._dispatcher.next_due()
        except Exception:
            log.exception("reminders: cannot read the next due time")
            return
        if due is None:
            if scheduler.get_job("wake") is not None:
                scheduler.remove_job("wake")
            return
        delay = max(due - self._clock.now(), timedelta(0))
        # APScheduler runs on the real clock; the bot's clock may stand elsewhere (console).
        run_at = datetime.now(UTC) + delay
        scheduler.add_job(
            self.tick,
            DateTrigger(run_date=run_at),
            id="wake",
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )
