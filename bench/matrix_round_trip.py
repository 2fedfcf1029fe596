"""Round trip of a command through a real Synapse and the Matrix adapter (issue 4).

Starts its own Synapse (``tests.synapse_server.SynapseServer`` in a temporary
directory, stopped at the end even after an error), the bot
(``MatrixAdapter`` with a router from ``create_app`` on a temporary SQLite
file, long-polling with the production timeout of 30 s) and one person
(``tests.matrix_human.Human``, a matrix-nio client with end-to-end
encryption). The person creates a plain room and an encrypted room, invites
the bot, sets up an AG in each (``!einrichten``) and then sends the command
(``!ag`` by default) again and again, one after another: the next command
only after the reply to the previous one arrived.

Usage::

    .venv/bin/python -m bench.matrix_round_trip [--runs N] [--warmup N]

The figure is the time from just before ``Human.send_text`` to the moment
the person's sync hands the bot's reply (an ``m.notice`` in reply to that
command) to nio's event callbacks. That covers the person's send (and its
encryption), Synapse persisting the event and waking the bot's long-poll
sync, nio parsing (and decrypting) the sync response, the adapter and the
router with SQLite, the bot's send (and its encryption), Synapse again, and
the person's own long-poll sync with parsing and decryption. Both clients
run in this process and its event loop, Synapse in a separate process.

Every round trip is also cut into segments (``SEGMENTS``) at moments noted
by wrappers around both clients: the bot's sync answer arriving, the router
starting and finishing, the bot's ``room_send``, the person's sync answer
arriving, nio's callback, and the return of ``Human.wait_for_message``
(after the person's key housekeeping, so not part of the figure). For
comparison the script also reports: CPU time per round trip of this process
and of Synapse, HTTP requests per round trip, ``router.handle`` alone,
Synapse's own time per event send (from its access log, which it turns on),
whether each long-poll was already waiting when the event came, and how long
the bot goes without a waiting long-poll after a sync.

``--pause`` waits between round trips, ``--human-poll-ms`` changes the
person's long-poll timeout (the tests use 2 s), ``--command`` sends another
command, and ``--profile FILE`` writes a cProfile of the measured runs (both
clients, one event loop) for ``python -m pstats``. Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import itertools
import logging
import math
import os
import platform
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

from nio import RoomMessage

from bench.command_latency import bench_config
from bot.app import App, create_app, freeze_startup_objects
from bot.config import MatrixConfig
from bot.matrix.adapter import MatrixAdapter
from core.clock import AdjustableClock
from core.messages import Incoming, Reply
from tests.synapse_server import RegisteredUser, SynapseServer

# Loaded by name, so that mypy (strict on bench/) does not follow it into tests/, which it does
# not check and which is not written for the strict settings; `Person` states what is used.
matrix_human: Any = importlib.import_module("tests.matrix_human")


class Person(Protocol):
    """The part of ``tests.matrix_human.Human`` used here."""

    client: Any

    def checkpoint(self) -> int: ...

    async def send_text(self, room_id: str, body: str) -> str: ...

    async def wait_for_message(
        self, room_id: str, match: str | Callable[[Any], bool], *, since: int, timeout: float
    ) -> Any: ...

    async def create_room(self, name: str, *, encrypted: bool, invite: Sequence[str]) -> str: ...

    async def wait_for_join(self, room_id: str, user_id: str, timeout: float) -> None: ...

    async def close(self) -> None: ...


# The same fixed moment as the tests' bot; the clock does not move during a run.
START = datetime(2026, 3, 25, 9, 15, tzinfo=UTC)
PRODUCTION_SYNC_TIMEOUT_MS = 30_000  # MatrixAdapter's default, as `agbot run` uses it
REPLY_TIMEOUT = 30.0  # seconds to wait for one reply before the run fails
ROOM_KINDS = ("plain", "encrypted")
AG_NAMES = {"plain": "AG Bench", "encrypted": "AG Bench Geheim"}
# One round trip cut at its milestones: (segment, from, to, what happens in it). The
# milestones are moments (time.perf_counter()) noted by wrappers around both clients.
SEGMENTS = (
    ("person send", "start", "sent", "send_text: nio (encrypts), PUT, Synapse persists"),
    ("to bot", "sent", "bot_sync", "Synapse wakes the bot's long-poll; headers arrive"),
    ("bot reads", "bot_sync", "router_start", "nio reads, checks (decrypts); adapter"),
    ("router", "router_start", "router_end", "Router.handle with SQLite"),
    ("render", "router_end", "bot_send_start", "adapter renders the reply"),
    ("bot send", "bot_send_start", "bot_send_end", "room_send: nio (encrypts), PUT, persist"),
    ("to person", "bot_send_end", "human_sync", "Synapse wakes the person's long-poll"),
    ("person reads", "human_sync", "seen", "nio reads, checks (decrypts); callback"),
    ("TOTAL", "start", "seen", "the figure above"),
    ("afterwards", "seen", "returned", "person's key housekeeping until the waiter wakes"),
)


class AccessLoggedSynapse(SynapseServer):
    """The tests' Synapse, with its access log on: one line per request with its times."""

    def _log_config(self) -> dict[str, Any]:
        config = super()._log_config()
        config["loggers"] = {"synapse.access": {"level": "INFO"}}
        return config


# 2026-11-21 13:02:52,625 synapse.access.http.39103 INFO ... {@agbot-1:localhost} Processed
# request: 0.019sec/0.001sec ru=(0.001sec, 0.001sec) db=(0.002sec/0.002sec/10) ... "PUT /_m…/send/
_ACCESS = re.compile(
    r"^(\S+ \S+) synapse\.access\S* INFO .*?\{(@[^}]+)\} Processed request: "
    r"([\d.]+)sec/[\d.-]+sec ru=\(([\d.]+)sec, ([\d.]+)sec\).*?\"PUT \S+/send/",
    re.MULTILINE,
)


def synapse_send_times(
    log: str, window: tuple[float, float]
) -> dict[str, list[tuple[float, float]]]:
    """Synapse's own time for each PUT …/send/… in ``window``: user -> [(total, CPU)] seconds.

    Total runs from reading the request to sending the answer; CPU (user + system) counts only
    the request's own work, not the event persister's, which runs in its own context.
    """
    found: dict[str, list[tuple[float, float]]] = {}
    for match in _ACCESS.finditer(log):
        stamp, user, total, user_cpu, system_cpu = match.groups()
        when = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
        if window[0] <= when <= window[1]:
            found.setdefault(user, []).append((float(total), float(user_cpu) + float(system_cpu)))
    return found


def cpu_reference_ms() -> float:
    """Median of five runs of a fixed pure-Python loop: how fast this machine is right now.

    Shared virtual machines change speed from minute to minute; compare runs by this too.
    """
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number
        samples.append((time.perf_counter() - started) * 1e3)
    return statistics.median(samples)


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


@dataclass
class Probe:
    """Timestamps (``time.perf_counter()``) recorded by wrappers around both clients.

    Kept for the whole run; a round trip looks up what happened after its start.
    """

    bot_syncs: list[tuple[float, float]] = field(default_factory=list)
    human_syncs: list[tuple[float, float]] = field(default_factory=list)
    router: list[tuple[float, float]] = field(default_factory=list)
    bot_sends: list[tuple[float, float]] = field(default_factory=list)
    seen: dict[str, float] = field(default_factory=dict)
    # HTTP requests by (client, endpoint), counted over the whole run (not cleared).
    requests: Counter[tuple[str, str]] = field(default_factory=Counter)
    last_incoming: Incoming | None = None  # what the adapter last gave the router

    def bot_pauses(self, since: float) -> list[float]:
        """Seconds the bot spent between a sync that brought no command and its next sync.

        While it does, no long-poll is waiting: what it does there (nio's store, key
        housekeeping, saving the sync token) delays an event that arrives meanwhile.
        """
        syncs = [sync for sync in self.bot_syncs if sync[1] >= since]
        handled = [started for started, _ in self.router]
        return [
            left - came
            for (_, came), (left, _) in itertools.pairwise(syncs)
            if not any(came <= started <= left for started in handled)
        ]


def endpoint(path: str) -> str:
    """A request path without ids: ``sync``, ``rooms/send``, ``keys/query``, ``sendToDevice``."""
    parts = path.split("?", 1)[0].split("/")[4:]  # after /_matrix/client/v3
    if parts[:1] == ["rooms"] and len(parts) > 2:
        return f"rooms/{parts[2]}"
    return "/".join(parts[:2]) if parts[:1] == ["keys"] else parts[0]


def record_requests(
    client: Any, who: str, syncs: list[tuple[float, float]], counts: Counter[tuple[str, str]]
) -> None:
    """Wrap nio's low-level ``send``: count requests; note when a ``/sync`` left and came back.

    The answer counts as come when aiohttp has its headers; nio then reads and parses it.
    """
    original = client.send

    async def send(method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        response = await original(method, path, *args, **kwargs)
        kind = endpoint(path)
        counts[who, kind] += 1
        if kind == "sync":
            syncs.append((started, time.perf_counter()))
        return response

    client.send = send


def record_calls(owner: object, name: str, calls: list[tuple[float, float]]) -> None:
    """Wrap the coroutine method ``owner.name``: note when each call starts and ends."""
    original: Callable[..., Awaitable[Any]] = getattr(owner, name)

    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            calls.append((started, time.perf_counter()))

    setattr(owner, name, timed)


def instrument(bot: MatrixAdapter, app: App, human: Person, probe: Probe) -> None:
    record_requests(bot.client, "bot", probe.bot_syncs, probe.requests)
    record_requests(human.client, "person", probe.human_syncs, probe.requests)
    handle = app.router.handle

    async def timed_handle(message: Incoming) -> Reply | None:
        probe.last_incoming = message
        started = time.perf_counter()
        try:
            return await handle(message)
        finally:
            probe.router.append((started, time.perf_counter()))

    # The adapter holds the same router object, so it calls this wrapper.
    app.router.handle = timed_handle  # type: ignore[method-assign]
    record_calls(bot.client, "room_send", probe.bot_sends)
    bot_user = bot.client.user_id

    def on_message(room: Any, event: Any) -> None:
        if event.sender == bot_user:
            probe.seen[event.event_id] = time.perf_counter()

    # Runs inside the person's sync, right after nio parsed (and decrypted) the event; the
    # person's own callback (which records what it saw) comes before it.
    human.client.add_event_callback(on_message, RoomMessage)


def in_reply_to(event: Any) -> str | None:
    relates = event.source.get("content", {}).get("m.relates_to", {})
    answered: str | None = relates.get("m.in_reply_to", {}).get("event_id")
    return answered


@dataclass
class RoundTrip:
    """One command and its reply: milestone name -> seconds after the start."""

    marks: dict[str, float]


def _first_after(calls: Sequence[tuple[float, float]], moment: float) -> tuple[float, float]:
    for call in calls:
        if call[0] >= moment:
            return call
    return (math.nan, math.nan)


def _last_before(syncs: Sequence[tuple[float, float]], moment: float) -> tuple[float, float]:
    """The last sync whose answer came before ``moment``: it brought the event."""
    earlier = [sync for sync in syncs if sync[1] <= moment]
    return earlier[-1] if earlier else (math.nan, math.nan)


async def round_trip(
    human: Person, room_id: str, command: str, probe: Probe, *, encrypted: bool
) -> RoundTrip:
    """Send ``command`` once and wait for the bot's reply to exactly this message."""
    mark = human.checkpoint()
    sent_id: str | None = None

    def is_reply(event: Any) -> bool:
        return sent_id is not None and in_reply_to(event) == sent_id

    started = time.perf_counter()
    sent_id = await human.send_text(room_id, command)
    sent = time.perf_counter()
    reply = await human.wait_for_message(room_id, is_reply, since=mark, timeout=REPLY_TIMEOUT)
    returned = time.perf_counter()
    if encrypted and not reply.decrypted:
        raise AssertionError(f"the reply in the encrypted room came unencrypted: {reply}")
    seen = probe.seen[reply.event_id]
    router_start, router_end = _first_after(probe.router, started)
    send_start, send_end = _first_after(probe.bot_sends, started)
    bot_poll, bot_sync = _last_before(probe.bot_syncs, router_start)
    human_poll, human_sync = _last_before(probe.human_syncs, seen)
    moments = {
        "start": started,
        "sent": sent,
        "bot_poll": bot_poll,
        "bot_sync": bot_sync,
        "router_start": router_start,
        "router_end": router_end,
        "bot_send_start": send_start,
        "bot_send_end": send_end,
        "human_poll": human_poll,
        "human_sync": human_sync,
        "seen": seen,
        "returned": returned,
    }
    return RoundTrip({name: moment - started for name, moment in moments.items()})


def _stat_fields(pid: int | str) -> list[str]:
    """``/proc/<pid>/stat`` from field 3 (state) on: the command name may hold spaces."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def child_pid(marker: str) -> int | None:
    """The pid of this process's child whose command line contains ``marker`` (Linux)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int(_stat_fields(entry.name)[1]) != os.getpid():
                continue
            if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                return int(entry.name)
        except (OSError, IndexError, ValueError):
            continue
    return None


def cpu_seconds(pid: int | None) -> float:
    """User plus system CPU time of a process (Linux ``/proc``); nan when unknown."""
    if pid is None:
        return math.nan
    try:
        fields = _stat_fields(pid)
    except (OSError, IndexError):
        return math.nan
    # Fields 14 and 15 of stat are utime and stime (field 3 is index 0 here).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    """The round trips in one room kind, and the CPU time both processes spent on them."""

    kind: str
    command: str
    trips: list[RoundTrip]
    cpu_self: float  # CPU seconds of this process (bot and person)
    cpu_synapse: float  # CPU seconds of the Synapse process
    requests: Counter[tuple[str, str]]  # HTTP requests by (client, endpoint)
    window: tuple[float, float]  # wall clock (time.time()) of the measured runs
    bot_pauses: list[float]  # see Probe.bot_pauses
    router_alone: list[float] = field(default_factory=list)  # seconds per router.handle
    synapse_sends: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    def ms(self, milestone: str = "seen") -> list[float]:
        return [trip.marks[milestone] * 1e3 for trip in self.trips]


async def start_bot(
    synapse: SynapseServer, database_url: str, store: Path, user: RegisteredUser, sync_ms: int
) -> tuple[App, MatrixAdapter]:
    """The app and a started adapter, as ``agbot run`` builds them (see start_bot in tests)."""
    settings = bench_config(database_url)
    app = await create_app(settings, AdjustableClock(START))
    config = MatrixConfig(
        homeserver=synapse.url,
        user_id=user.user_id,
        password=user.password,
        store_path=str(store),
        pickle_key="bench-pickle-key",
        allowed_inviters=(":localhost",),
    )
    adapter = MatrixAdapter(config, app.router, app.sessions, app.clock, sync_timeout_ms=sync_ms)
    try:
        await adapter.start()
        await asyncio.wait_for(adapter.synced.wait(), 30)
    except BaseException:
        await adapter.stop()
        await app.close()
        raise
    return app, adapter


async def room_with_bot(human: Person, bot: MatrixAdapter, kind: str) -> str:
    """A room of ``kind`` with the bot in it and an AG set up there."""
    encrypted = kind == "encrypted"
    room_id = await human.create_room(
        f"Bench {kind}", encrypted=encrypted, invite=[bot.client.user_id]
    )
    await human.wait_for_join(room_id, bot.client.user_id, timeout=20)
    await asyncio.sleep(0.5)  # the bot's sync has seen its own join
    mark = human.checkpoint()
    await human.send_text(room_id, f"!einrichten {AG_NAMES[kind]}")
    await human.wait_for_message(room_id, "angelegt", since=mark, timeout=REPLY_TIMEOUT)
    return room_id


async def measure(
    human: Person,
    room_id: str,
    kind: str,
    probe: Probe,
    args: argparse.Namespace,
    profiler: cProfile.Profile | None,
    synapse_pid: int | None,
) -> Result:
    """``args.warmup`` unmeasured, then ``args.runs`` measured round trips in one room."""
    encrypted = kind == "encrypted"
    for _ in range(args.warmup):
        await round_trip(human, room_id, args.command, probe, encrypted=encrypted)
        await asyncio.sleep(args.pause)
    trips: list[RoundTrip] = []
    cpu_self, cpu_synapse = time.process_time(), cpu_seconds(synapse_pid)
    requests = probe.requests.copy()
    window_start, since = time.time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    try:
        for _ in range(args.runs):
            trips.append(await round_trip(human, room_id, args.command, probe, encrypted=encrypted))
            await asyncio.sleep(args.pause)
    finally:
        if profiler is not None:
            profiler.disable()
    return Result(
        kind,
        args.command,
        trips,
        time.process_time() - cpu_self,
        cpu_seconds(synapse_pid) - cpu_synapse,
        probe.requests - requests,
        (window_start, time.time()),
        probe.bot_pauses(since),
    )


async def router_alone(app: App, message: Incoming, runs: int) -> list[float]:
    """``router.handle`` for the adapter's last message, with nothing else going on."""
    handle = app.router.handle
    samples: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        await handle(message)
        samples.append(time.perf_counter() - started)
    return samples


async def run(synapse: SynapseServer, directory: Path, args: argparse.Namespace) -> list[Result]:
    matrix_human.SYNC_LONG_POLL_MS = args.human_poll_ms
    database_url = f"sqlite+aiosqlite:///{directory / 'bench.db'}"
    bot_user = synapse.new_user("agbot", displayname="AG-Bot")
    person = synapse.new_user("anna")
    app, bot = await start_bot(
        synapse, database_url, directory / "bot-store", bot_user, args.bot_sync_ms
    )
    human: Person | None = None
    try:
        human = await matrix_human.Human.login(
            synapse, person, directory / "human-store", encryption=True
        )
        rooms = {kind: await room_with_bot(human, bot, kind) for kind in args.rooms}
        probe = Probe()
        instrument(bot, app, human, probe)
        freeze_startup_objects()  # as agbot run does after start-up
        synapse_pid = child_pid("synapse.app.homeserver")
        profiler = cProfile.Profile() if args.profile else None
        results: list[Result] = []
        for kind in args.rooms:
            result = await measure(human, rooms[kind], kind, probe, args, profiler, synapse_pid)
            assert probe.last_incoming is not None
            await asyncio.sleep(0.5)  # let both clients handle the echoes of the last events
            result.router_alone = await router_alone(app, probe.last_incoming, args.runs)
            results.append(result)
        if profiler is not None:
            profiler.dump_stats(args.profile)
        if bot.stats.failed or bot.stats.retried:
            raise AssertionError(f"the bot had to retry or gave up: {bot.stats}")
        return results
    finally:
        if human is not None:
            await human.close()
        await bot.stop()
        await app.close()


def print_results(results: Sequence[Result], args: argparse.Namespace) -> None:
    print(
        f"\nRound trip of {args.command!r}: person sends -> person's sync delivers the reply "
        f"(bot long-poll {args.bot_sync_ms} ms, person long-poll {args.human_poll_ms} ms)"
    )
    header = (
        f"{'room':<10} {'runs':>5} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} "
        f"{'min ms':>8} {'max ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        samples = result.ms()
        print(
            f"{result.kind:<10} {len(samples):>5} {percentile(samples, 0.5):>8.2f} "
            f"{percentile(samples, 0.99):>8.2f} {statistics.fmean(samples):>8.2f} "
            f"{min(samples):>8.2f} {max(samples):>8.2f}"
        )

    print("\nCPU time per round trip (user + system, over all measured runs and pauses)")
    for result in results:
        runs = len(result.trips)
        print(
            f"{result.kind:<10} this process (bot and person) "
            f"{result.cpu_self / runs * 1e3:6.2f} ms, Synapse "
            f"{result.cpu_synapse / runs * 1e3:6.2f} ms"
        )

    print("\nHTTP requests per round trip")
    for result in results:
        runs = len(result.trips)
        for who in ("bot", "person"):
            counts = sorted(
                (kind, count) for (client, kind), count in result.requests.items() if client == who
            )
            listed = ", ".join(f"{kind} {count / runs:.2f}" for kind, count in counts)
            print(f"{result.kind:<10} {who:<6} {listed}")

    print("\nSegments: median ms (p99 in brackets); medians do not add up to the total")
    header = (
        f"{'segment':<13} "
        + " ".join(f"{result.kind:>19}" for result in results)
        + "  what happens"
    )
    print(header)
    print("-" * len(header))
    for name, begin, end, meaning in SEGMENTS:
        cells = []
        for result in results:
            samples = [
                (trip.marks[end] - trip.marks[begin]) * 1e3
                for trip in result.trips
                if not math.isnan(trip.marks[end] - trip.marks[begin])
            ]
            cell = (
                f"{percentile(samples, 0.5):7.2f} ({percentile(samples, 0.99):7.2f})"
                if samples
                else "-"
            )
            cells.append(f"{cell:>19}")
        print(f"{name:<13} " + " ".join(cells) + f"  {meaning}")

    print("\nFor comparison, with nothing else going on")
    for result in results:
        alone = [sample * 1e3 for sample in result.router_alone]
        print(
            f"{result.kind:<10} router.handle alone: p50 {percentile(alone, 0.5):.2f} ms, "
            f"p99 {percentile(alone, 0.99):.2f} ms ({len(alone)} calls)"
        )
        for user, sends in sorted(result.synapse_sends.items()):
            who = "bot" if user.startswith("@agbot") else "person"
            totals = [total * 1e3 for total, _ in sends]
            cpu = [used * 1e3 for _, used in sends]
            print(
                f"{result.kind:<10} Synapse's own time for the {who}'s PUT send (access log): "
                f"p50 {percentile(totals, 0.5):.0f} ms, p99 {percentile(totals, 0.99):.0f} ms, "
                f"request CPU p50 {percentile(cpu, 0.5):.0f} ms ({len(sends)} sends)"
            )

    print("\nLong polls: was the receiver's sync request already waiting for the event?")
    for result in results:
        runs = len(result.trips)
        bot_late = [max(0.0, t.marks["bot_poll"] - t.marks["sent"]) * 1e3 for t in result.trips]
        person_late = [
            max(0.0, t.marks["human_poll"] - t.marks["bot_send_end"]) * 1e3 for t in result.trips
        ]
        print(
            f"{result.kind:<10} bot: waiting in {bot_late.count(0.0)}/{runs} "
            f"(worst {max(bot_late):.2f} ms late); person: waiting in "
            f"{person_late.count(0.0)}/{runs} (late by {statistics.fmean(person_late):.2f} ms "
            f"on average, worst {max(person_late):.2f} ms)"
        )
        pauses = [pause * 1e3 for pause in result.bot_pauses]
        if pauses:
            print(
                f"{'':<10} bot from a sync without a command to its next sync request: "
                f"p50 {percentile(pauses, 0.5):.2f} ms, p99 {percentile(pauses, 0.99):.2f} ms, "
                f"max {max(pauses):.2f} ms ({len(pauses)} syncs)"
            )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.matrix_round_trip",
        description="Round trip of a command (person -> Synapse -> bot -> Synapse -> person) "
        "in a plain and an encrypted Matrix room.",
    )
    parser.add_argument("--runs", type=int, default=200, help="measured commands per room")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured commands first")
    parser.add_argument("--command", default="!ag", help="the command sent (default: !ag)")
    parser.add_argument(
        "--rooms",
        nargs="+",
        choices=ROOM_KINDS,
        default=list(ROOM_KINDS),
        help="which room kinds to measure",
    )
    parser.add_argument(
        "--bot-sync-ms",
        type=int,
        default=PRODUCTION_SYNC_TIMEOUT_MS,
        help="the bot's long-poll timeout (production: 30000)",
    )
    parser.add_argument(
        "--human-poll-ms",
        type=int,
        default=matrix_human.SYNC_LONG_POLL_MS,
        help="the person's long-poll timeout (the tests use 2000)",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds to wait after each reply before the next command (default 0)",
    )
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the measured runs")
    args = parser.parse_args(argv)
    if (
        args.runs < 1
        or min(args.warmup, args.pause) < 0
        or min(args.human_poll_ms, args.bot_sync_ms) < 1
    ):
        parser.error("--runs and the long-poll timeouts must be at least 1; --warmup, --pause >= 0")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    # nio warns "Missing session for device" once per room before the first Olm session is
    # made; that is expected here. Everything else (the adapter's retries) stays visible.
    logging.getLogger("nio.crypto").setLevel(logging.ERROR)
    print(
        f"Python {platform.python_version()}, Synapse {version('matrix-synapse')} (SQLite), "
        f"matrix-nio {version('matrix-nio')}, vodozemac {version('vodozemac')}, "
        f"aiohttp {version('aiohttp')}"
    )
    with tempfile.TemporaryDirectory(prefix="agbot_bench_") as name:
        directory = Path(name)
        synapse = AccessLoggedSynapse(directory / "synapse")
        reference = [cpu_reference_ms()]
        try:
            synapse.start()
            print(f"Synapse started in {synapse.startup_seconds:.1f} s on {synapse.url}")
            results = asyncio.run(run(synapse, directory, args))
            reference.append(cpu_reference_ms())
        finally:
            synapse.stop()
        log = synapse.log_path.read_text(encoding="utf8", errors="replace")
        for result in results:
            result.synapse_sends = synapse_send_times(log, result.window)
    print_results(results, args)
    print(
        f"\nCPU reference (a fixed Python loop, lower is faster): {reference[0]:.0f} ms before, "
        f"{reference[-1]:.0f} ms after"
    )


if __name__ == "__main__":
    main()
