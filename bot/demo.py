"""Sample data for ``agbot console --demo``: a realistic AG a newcomer can explore at once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import Clock
from storage import groups, people
from storage.models import Role, WorkingGroup

DEMO_CHAT = "ag-innenstadt"
_MEMBERS = [
    ("anna", Role.COORDINATOR),
    ("ben", Role.MEMBER),
    ("clara", Role.MEMBER),
    ("deniz", Role.MEMBER),
    ("elif", Role.MEMBER),
    ("frank", Role.COORDINATOR),
]


async def fill_demo(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> bool:
    """Create the sample AG in an empty database; False if there is data already."""
    async with sessions() as session, session.begin():
        if await session.scalar(select(WorkingGroup.id).limit(1)) is not None:
            return False
        now = clock.now()
        group = await groups.create_group(
            session, "AG Innenstadt", now, language="de", timezone="Europe/Berlin"
        )
        group.state = "NW"
        founder = None
        for name, role in _MEMBERS:
            person = await people.person_for_account(
                session, people.SeenAccount("console", name, name.capitalize(), name), now
            )
            founder = founder or person
            await groups.add_member(session, group.id, person.id, role, now)
        assert founder is not None
        await groups.bind_chat(session, group, "console", DEMO_CHAT, DEMO_CHAT, founder.id, now)
        return True
