"""Hour reports and exports through the real router (issue 8).

"AG Bench" (chat ``bench``) holds 1,000,000 hour entries of 2026 from 200 persons on 20
projects, each project with a budget; "AG Export" (chat ``export``) holds 100,000 entries.
The monthly totals are built from the entries with one ``INSERT … SELECT`` (what the
bot keeps in step entry by entry; tests/test_storage_hours.py checks both agree).
Measured, each after warm-up, as the coordinator ``user1``:

- ``/stunden bericht Jahr`` in AG Bench: totals per person and per project with budgets,
  target under 200 ms;
- ``/stunden export 2026`` in AG Export: CSV and XLSX of 100,000 entries, target under 5 s.

Usage::

    .venv/bin/python -m bench.hours [--postgres URL] [--runs N] [--warmup N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, literal, select
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
    ChatBinding,
    HourEntry,
    HourTotal,
    Membership,
    Person,
    Project,
    ProjectBudget,
    Role,
    WorkingGroup,
)

PERSONS = 200
PROJECTS = 20
REPORT_ENTRIES = 1_000_000
EXPORT_ENTRIES = 100_000
EXPORT_RUNS = 3
COORDINATOR = Sender("console", "user1", "user1", username="user1")
REPORT_CHAT = ChatRef("console", "bench", is_private=False, title="bench")
EXPORT_CHAT = ChatRef("console", "export", is_private=False, title="export")
CHUNK = 20_000


def _entries(
    group: int, count: int, first_project: int, rng: random.Random
) -> list[dict[str, Any]]:
    year_start = date(2026, 1, 1)
    return [
        {
            "group_id": group,
            "person_id": rng.randint(1, PERSONS),
            "project_id": first_project + rng.randrange(PROJECTS),
            "work_date": year_start + timedelta(days=rng.randrange(365)),
            "minutes": rng.randint(15, 90),
            "description": "Recherche Förderprogramme, Abstimmung mit dem Stadtmarketing",
            "created_at": START,
            "updated_at": START,
        }
        for _ in range(count)
    ]


async def fill(engine: AsyncEngine) -> None:
    rng = random.Random(8)
    persons, accounts = console_people(range(1, PERSONS + 1))
    groups = [
        {"id": g, "name": name, "name_key": name.casefold(), "timezone": "Europe/Berlin",
         "language": "de", "hours_per_day": 8, "created_at": START}
        for g, name in ((1, "AG Bench"), (2, "AG Export"))
    ]  # fmt: skip
    projects = [
        {"id": (g - 1) * PROJECTS + p, "group_id": g, "name": f"Projekt {p}",
         "name_key": f"projekt {p}", "is_default": p == 1, "created_at": START}
        for g in (1, 2) for p in range(1, PROJECTS + 1)
    ]  # fmt: skip
    budgets = [
        {"project_id": p, "year": 2026, "minutes": 360 * 60 * 50, "alerted_percent": 0,
         "set_at": START}
        for p in range(1, 2 * PROJECTS + 1)
    ]  # fmt: skip
    async with engine.begin() as connection:
        await connection.execute(insert(Person), persons)
        await connection.execute(insert(Account), accounts)
        await connection.execute(insert(WorkingGroup), groups)
        await connection.execute(
            insert(ChatBinding),
            [
                {"id": g, "group_id": g, "platform": "console", "chat_id": chat.chat_id,
                 "title": chat.title, "bound_at": START}
                for g, chat in ((1, REPORT_CHAT), (2, EXPORT_CHAT))
            ],
        )  # fmt: skip
        await connection.execute(
            insert(Membership),
            [
                {"group_id": g, "person_id": pid,
                 "role": Role.COORDINATOR if pid == 1 else Role.MEMBER, "joined_at": START}
                for g in (1, 2) for pid in range(1, PERSONS + 1)
            ],
        )  # fmt: skip
        await connection.execute(insert(Project), projects)
        await connection.execute(insert(ProjectBudget), budgets)
    for group, count, first_project in ((1, REPORT_ENTRIES, 1), (2, EXPORT_ENTRIES, 21)):
        for start in range(0, count, CHUNK):
            async with engine.begin() as connection:
                rows = _entries(group, min(CHUNK, count - start), first_project, rng)
                await connection.execute(insert(HourEntry), rows)
    async with engine.begin() as connection:
        month: Any = func.date_trunc("month", HourEntry.work_date).cast(HourEntry.work_date.type)
        if engine.dialect.name == "sqlite":
            month = func.date(HourEntry.work_date, "start of month")
        keys = (HourEntry.group_id, month, HourEntry.person_id, HourEntry.project_id)
        await connection.execute(
            insert(HourTotal).from_select(
                ["group_id", "month", "person_id", "project_id", "minutes", "entries"],
                select(*keys, func.sum(HourEntry.minutes), func.count(literal(1))).group_by(*keys),
            )
        )
    await finish_fill(
        engine,
        ("persons", "accounts", "working_groups", "chat_bindings", "projects", "hour_entries"),
    )


def check_report(reply: Reply) -> None:
    """Fail loudly when the answer is not the real report (an error reply is fast, too)."""
    body = reply.plain_text()
    assert "Summe:" in body and f"in {REPORT_ENTRIES} Einträgen" in body, body[:300]


def check_export(reply: Reply) -> None:
    assert f"{EXPORT_ENTRIES} Einträge" in reply.plain_text(), reply.plain_text()[:300]
    assert len(reply.files) == 2 and all(len(f.content) > 1_000_000 for f in reply.files)


async def run_backend(backend: str, url: str, runs: int, warmup: int) -> list[Result]:
    config = bench_config(url)
    app = await create_app(config, AdjustableClock(START))
    try:
        started = time.perf_counter()
        await fill(app.engine)
        print(f"{backend}: filled in {time.perf_counter() - started:.0f} s", flush=True)
        freeze_startup_objects()
        report = Incoming(REPORT_CHAT, COORDINATOR, "/stunden bericht Jahr")
        export = Incoming(EXPORT_CHAT, COORDINATOR, "/stunden export 2026")
        return [
            Result(
                backend, "bericht Jahr", await timed_calls(app, report, runs, warmup, check_report)
            ),
            Result(
                backend, "export 100k", await timed_calls(app, export, EXPORT_RUNS, 0, check_export)
            ),
        ]
    finally:
        await app.close()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return latency_arguments(
        "python -m bench.hours",
        "Year report over 1,000,000 hour entries and export of 100,000 through the router.",
        argv,
        runs=50,
        warmup=5,
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    results = asyncio.run(on_every_backend(run_backend, args.postgres, args.runs, args.warmup))
    print(
        f"{REPORT_ENTRIES} entries ({PERSONS} persons, {PROJECTS} projects) in the report's AG, "
        f"{EXPORT_ENTRIES} exported ({EXPORT_RUNS} runs); targets: report < 200 ms, export < 5 s"
    )
    print_table(results)


if __name__ == "__main__":
    main()
