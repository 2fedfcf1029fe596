"""Wiring: database, registry and router for one configuration."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Config
from bot.router import Router
from core.clock import Clock
from handlers import build_registry
from storage.database import create_engine, session_factory, upgrade_schema


@dataclass
class App:
    """Everything a running bot shares between its adapters."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    router: Router
    clock: Clock

    async def close(self) -> None:
        await self.engine.dispose()


async def create_app(config: Config, clock: Clock) -> App:
    engine = create_engine(config.database.url)
    if config.database.auto_upgrade:
        await upgrade_schema(engine)
    sessions = session_factory(engine)
    router = Router(sessions, build_registry(), config.bot, clock)
    return App(engine, sessions, router, clock)
