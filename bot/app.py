"""Wiring: database, registry and router for one configuration."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import TELEGRAM_PER_SECOND, Config
from bot.router import Router
from core.clock import Clock
from core.when import warm_up
from handlers import build_registry
from reminders.addressing import RenderEnvironment
from reminders.dispatcher import Dispatcher, DispatchSettings
from reminders.engine import EngineSettings, ReminderEngine
from reminders.planning import plan_ahead
from storage.database import check_reachable, create_engine, session_factory, upgrade_schema


@dataclass
class App:
    """Everything a running bot shares between its adapters."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    router: Router
    clock: Clock
    reminders: ReminderEngine
    dispatcher: Dispatcher

    async def close(self) -> None:
        await self.reminders.stop()
        await self.engine.dispose()


# What one claimed batch may hold when processes share a token: about this many seconds of
# sending at the process's share, so that the last batches are spread over the processes
# instead of one process sending a long batch alone while the others wait.
SHARED_BATCH_SECONDS = 5


def batch_size(config: Config) -> int:
    """Rows one dispatcher claims at a time."""
    default = DispatchSettings.batch_size
    if config.telegram is None or config.telegram.processes == 1:
        return default
    share = TELEGRAM_PER_SECOND // config.telegram.processes
    return max(10, min(default, share * SHARED_BATCH_SECONDS))


async def create_app(
    config: Config, clock: Clock, monotonic: Callable[[], float] | None = None
) -> App:
    """``monotonic``: the seconds the per-minute limits count in (tests pass their own)."""
    engine = create_engine(config.database.url)
    try:
        await check_reachable(engine)
        if config.database.auto_upgrade:
            await upgrade_schema(engine)
    except BaseException:
        await engine.dispose()
        raise
    sessions = session_factory(engine)
    # Building the holiday names and dateutil's rules takes a moment: at start, not on a
    # user's command.
    warm_up()
    registry = build_registry()
    router = Router(sessions, registry, config.bot, clock, config.limits, monotonic)
    settings = config.reminders
    environment = RenderEnvironment(
        settings=config.bot,
        registry=registry,
        clock=clock,
        notifiers=router.notifiers,
        prefixes=router.prefixes,
        late_after=timedelta(minutes=settings.late_after_minutes),
    )
    dispatcher = Dispatcher(
        sessions,
        clock,
        router.notifiers,
        environment,
        DispatchSettings(
            batch_size=batch_size(config),
            lease=timedelta(seconds=settings.lease_seconds),
            max_attempts=settings.max_attempts,
        ),
    )

    async def plan() -> None:
        horizon = timedelta(days=settings.horizon_days)
        await plan_ahead(sessions, clock.now(), horizon, settings.digest)

    reminders = ReminderEngine(
        dispatcher,
        plan,
        clock,
        EngineSettings(
            sweep=timedelta(seconds=settings.sweep_seconds), timezone=config.bot.timezone
        ),
    )
    router.after_commands(reminders.poke)
    router.announce_with(dispatcher.send_announcements)
    return App(engine, sessions, router, clock, reminders, dispatcher)


def freeze_startup_objects() -> None:
    """Take everything created during start-up out of the garbage collector's view.

    Imports, SQLAlchemy's mappers and the migration run leave about 85,000
    long-lived objects. A full collection walks all of them (25-40 ms on a small
    machine) and a busy command triggers one every few dozen calls, which set the
    p99 latency. Frozen objects are never collected: right for objects that live
    as long as the process. Call once, after the app and its adapters are built.
    """
    gc.collect()
    gc.freeze()
