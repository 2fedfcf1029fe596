"""Latency of the task lists through the real router (issue 6).

The database holds 100,000 action items in 20 AGs of 5,000 items each, about
1.3 assignees per item, 2,000 persons. The measured AG ("AG Bench", chat
``bench``) has 200 open items (40 overdue) among 20 people, the rest closed;
its coordinator ``user1`` coordinates only that AG, so the overview covers 200
open items. Measured, each after warm-up:

- ``/aufgaben`` in the AG's chat (all 200 open items, grouped by person),
- ``/aufgaben alle`` in the coordinator's private chat (the overview),
- ``/aufgaben`` in the private chat of a member (their own items across AGs).

Target: p99 under 20 ms on SQLite and PostgreSQL.

Usage::

    .venv/bin/python -m bench.task_lists [--postgres URL] [--runs N] [--warmup N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.command_latency import (
    START,
    Result,
    bench_config,
    console_people,
    finish_fill,
    latency_arguments,
    on_every_backend,
    print_table,
    timed_calls,
)
from bot.app import create_app, freeze_startup_objects
from core.clock import AdjustableClock
from core.messages import ChatRef, Incoming, Reply, Sender
from storage.models import (
    Account,
    ActionItem,
    ActionItemAssignee,
    ChatBinding,
    Membership,
    Person,
    Role,
    TaskStatus,
    WorkingGroup,
)

GROUPS = 20
ITEMS_PER_GROUP = 5_000
PERSONS = 2_000
MEMBERS_PER_GROUP = 100
OPEN_IN_BENCH_AG = 200
OVERDUE_IN_BENCH_AG = 40
# Elsewhere about one item in 25 is still open.
OPEN_SHARE = 0.04
OVERDUE_SHARE = 0.2
COORDINATOR = Sender("console", "user1", "user1", username="user1")
MEMBER = Sender("console", "user2", "user2", username="user2")
GROUP_CHAT = ChatRef("console", "bench", is_private=False, title="bench")
CASES = (
    ("/aufgaben", GROUP_CHAT, COORDINATOR),
    ("/aufgaben alle", ChatRef("console", "dm:user1", is_private=True), COORDINATOR),
    ("/aufgaben (privat)", ChatRef("console", "dm:user2", is_private=True), MEMBER),
)


def _members(group: int) -> list[int]:
    """Person ids of one AG's members: AG 1 has persons 1–100, the others overlap it."""
    first = 1 + (group - 1) * 90
    return [1 + (first + i - 1) % PERSONS for i in range(MEMBERS_PER_GROUP)]


async def fill(engine: AsyncEngine) -> None:
    rng = random.Random(6)
    persons, accounts = console_people(range(1, PERSONS + 1))
    ags = [
        {
            "id": g,
            "name": "AG Bench" if g == 1 else f"AG {g}",
            "name_key": "ag bench" if g == 1 else f"ag {g}",
            "timezone": "Europe/Berlin",
            "language": "de",
            "hours_per_day": 8,
            "created_at": START,
        }
        for g in range(1, GROUPS + 1)
    ]
    memberships = [
        {
            "group_id": g,
            "person_id": pid,
            # user1 coordinates AG Bench only; in every other AG the first member does.
            "role": Role.COORDINATOR if (pid == 1) == (g == 1) and index == 0 else Role.MEMBER,
            "joined_at": START,
        }
        for g in range(1, GROUPS + 1)
        for index, pid in enumerate(_members(g))
    ]
    items: list[dict[str, Any]] = []
    assignees: list[dict[str, int]] = []
    for g in range(1, GROUPS + 1):
        members = _members(g)
        people = members[:20] if g == 1 else members
        for n in range(ITEMS_PER_GROUP):
            item_id = len(items) + 1
            is_open = n < OPEN_IN_BENCH_AG if g == 1 else rng.random() < OPEN_SHARE
            overdue = n < OVERDUE_IN_BENCH_AG if g == 1 else rng.random() < OVERDUE_SHARE
            due = START + timedelta(days=-rng.randint(1, 60) if overdue else rng.randint(1, 90))
            items.append(
                {
                    "id": item_id,
                    "group_id": g,
                    "text": f"Umsetzungsschritt {n} der AG {g}: Förderantrag prüfen",
                    "status": TaskStatus.OPEN if is_open else TaskStatus.DONE,
                    "due_at": None if n % 7 == 0 and not overdue else due,
                    "due_all_day": n % 2 == 0,
                    "created_by": people[0],
                    "created_at": START - timedelta(days=100),
                    "updated_at": START - timedelta(days=100),
                    "closed_at": None if is_open else START - timedelta(days=rng.randint(0, 90)),
                }
            )
            if n % 10 == 9:
                continue  # nobody responsible yet
            chosen = rng.sample(people, 2 if n % 3 == 0 else 1)
            assignees += [{"item_id": item_id, "person_id": pid} for pid in chosen]
    async with engine.begin() as connection:
        await connection.execute(insert(Person), persons)
        await connection.execute(insert(Account), accounts)
        await connection.execute(insert(WorkingGroup), ags)
        await connection.execute(
            insert(ChatBinding),
            [
                {
                    "id": 1,
                    "group_id": 1,
                    "platform": GROUP_CHAT.platform,
                    "chat_id": GROUP_CHAT.chat_id,
                    "title": GROUP_CHAT.title,
                    "bound_at": START,
                }
            ],
        )
        await connection.execute(insert(Membership), memberships)
        for start in range(0, len(items), 10_000):
            await connection.execute(insert(ActionItem), items[start : start + 10_000])
        for start in range(0, len(assignees), 10_000):
            await connection.execute(insert(ActionItemAssignee), assignees[start : start + 10_000])
    await finish_fill(
        engine, ("persons", "accounts", "working_groups", "chat_bindings", "action_items")
    )


def check(label: str, reply: Reply) -> None:
    """Fail loudly when a list is not the real one (an error reply is fast, too)."""
    body = reply.plain_text()
    if label == "/aufgaben":
        assert f"{OPEN_IN_BENCH_AG}, davon {OVERDUE_IN_BENCH_AG} überfällig" in body, body[:300]
        assert body.count("#") >= OPEN_IN_BENCH_AG, body[:300]
    elif label == "/aufgaben alle":
        assert f"{OPEN_IN_BENCH_AG} offene Aufgaben" in body, body[:300]
    else:
        assert "Ihre offenen Aufgaben" in body, body[:300]


async def run_backend(backend: str, url: str, runs: int, warmup: int) -> list[Result]:
    config = bench_config(url)
    app = await create_app(config, AdjustableClock(START))
    try:
        await fill(app.engine)
        freeze_startup_objects()
        results = []
        for label, chat, sender in CASES:
            command = label.split(" (")[0]
            message = Incoming(chat, sender, command)
            samples = await timed_calls(app, message, runs, warmup, partial(check, label))
            results.append(Result(backend, label, samples))
        return results
    finally:
        await app.close()


async def main_async(postgres: str | None, runs: int, warmup: int) -> list[Result]:
    return await on_every_backend(run_backend, postgres, runs, warmup)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return latency_arguments(
        "python -m bench.task_lists",
        "p50/p99/mean latency of /aufgaben and /aufgaben alle with 100,000 items.",
        argv,
        runs=500,
        warmup=50,
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    results = asyncio.run(main_async(args.postgres, args.runs, args.warmup))
    print(
        f"{GROUPS * ITEMS_PER_GROUP} items, AG with {ITEMS_PER_GROUP} items and "
        f"{OPEN_IN_BENCH_AG} open; target p99 < 20 ms"
    )
    print_table(results)


if __name__ == "__main__":
    main()
