"""The ``agbot`` command: run, console, db upgrade, matrix identity, parse-when."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import App, create_app, freeze_startup_objects
from bot.config import Config, ConfigError, database_url, load_config
from bot.console import PLATFORM, ConsoleAdapter, parse_console_time
from bot.console_terminal import Terminal, history_file
from bot.demo import fill_demo, intro
from bot.logging_setup import setup_logging
from bot.matrix.identity_cli import show_identity
from bot.parse_when_cli import add_parse_when_arguments, run_parse_when
from bot.runner import run_messengers
from core.clock import AdjustableClock
from storage.database import (
    DatabaseUnavailable,
    check_reachable,
    create_engine,
    upgrade_schema,
)

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "parse-when":
        return run_parse_when(args)  # needs no configuration
    try:
        config = load_config(args.config, os.environ)
        if getattr(args, "db", None):
            url = database_url(args.db, "--db")
            config = replace(config, database=replace(config.database, url=url))
    except ConfigError as error:
        print(f"agbot: invalid configuration: {error}", file=sys.stderr)
        return 2
    quiet = args.command == "console"
    # The console's stdout belongs to the bot's messages; logs go to stderr, warnings only.
    setup_logging("WARNING" if quiet else config.log_level, config.secrets())
    try:
        if args.command == "db":
            return asyncio.run(_db_upgrade(config))
        if args.command == "run":
            return asyncio.run(_run(config))
        if args.command == "matrix":
            return show_identity(config.matrix)
        return asyncio.run(_console(config, args.files, args.now, args.demo))
    except DatabaseUnavailable as error:
        print(f"agbot: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        # One line for the person at the terminal; the stack trace only with DEBUG logging.
        log.debug("stopped by an unexpected error", exc_info=True)
        print(
            f"agbot: stopped by an unexpected error: {type(error).__name__}: {error} "
            '(details in the log with [logging] level = "DEBUG")',
            file=sys.stderr,
        )
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agbot", description="AG-Bot for working groups")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start every configured messenger (console if none)")
    run.add_argument("--config", type=Path)

    console = commands.add_parser("console", help="talk to the bot on standard input/output")
    console.add_argument("--config", type=Path)
    console.add_argument("--db", help="database URL (overrides the config)")
    console.add_argument("--files", type=Path, help="folder for files the bot sends")
    console.add_argument("--now", help="start with the bot's clock at this ISO date-time")
    console.add_argument(
        "--demo", action="store_true", help="fill a fresh database with a sample AG"
    )

    db = commands.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    db.add_argument("--config", type=Path)
    db.add_argument("--db", help="database URL (overrides the config)")

    matrix = commands.add_parser("matrix", help="the Matrix account's cross-signing identity")
    matrix.add_argument("action", choices=["identity"])
    matrix.add_argument("--config", type=Path)

    add_parse_when_arguments(
        commands.add_parser("parse-when", help="show how the bot reads a date or time")
    )
    return parser


async def _db_upgrade(config: Config) -> int:
    engine = create_engine(config.database.url)
    try:
        await check_reachable(engine)
        await upgrade_schema(engine)
    finally:
        await engine.dispose()
    print("agbot: database is up to date")
    return 0


async def _run(config: Config) -> int:
    if config.telegram is not None or config.matrix is not None:
        return await run_messengers(config)
    print(
        "agbot: no messenger configured ([telegram] or [matrix]); starting the console. "
        "Type /hilfe, ::chat NAME, ::user NAME, ::admin. End with Ctrl-D.",
        file=sys.stderr,
    )
    return await _console(config, None, None, demo=False)


async def _console(config: Config, files: Path | None, now: str | None, demo: bool) -> int:
    zone = ZoneInfo(config.bot.timezone)
    try:
        clock = AdjustableClock(parse_console_time(now, zone) if now else None)
    except ValueError:
        print(f"agbot: --now needs an ISO date-time, not {now!r}", file=sys.stderr)
        return 2
    app = await create_app(config, clock)
    freeze_startup_objects()
    files_dir = files or Path(tempfile.mkdtemp(prefix="agbot-files-"))
    interactive = sys.stdin.isatty()
    terminal = Terminal(
        sys.stdin,
        sys.stdout,
        interactive=interactive,
        history=history_file() if interactive else None,
    )
    adapter = ConsoleAdapter(
        app.router, clock, terminal, files_dir, config.bot.timezone, app.reminders.clock_moved
    )
    loop = asyncio.get_running_loop()
    # Ctrl-C ends the console like Ctrl-D: after the line being handled, without a trace
    # (where the event loop has no signal handlers, Ctrl-C stops it as usual).
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, terminal.interrupt)
    terminal.start()
    try:
        # Reminders due while the bot was down go out now; then on time (or after ::now).
        await app.reminders.start()
        if demo:
            await _fill_demo(app, clock, config.bot.timezone, files_dir, adapter, terminal)
        while True:
            line = await terminal.read_line(f"{adapter.user}@{adapter.chat or 'dm'}> ")
            if not line:
                break
            await adapter.feed(line)
        if interactive:
            terminal.say_goodbye("[console] bye")
    finally:
        terminal.close()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
        await app.close()
    return 0


async def _fill_demo(
    app: App,
    clock: AdjustableClock,
    timezone: str,
    files: Path,
    console: ConsoleAdapter,
    terminal: Terminal,
) -> None:
    filled = await fill_demo(app, clock, timezone, files)
    # The demo typed into a console of its own; messages go to this one again.
    app.router.add_notifier(PLATFORM, console)
    if not filled:
        terminal.write("[console] the database already has data; no demo data added\n")
        return
    terminal.write("".join(f"{line}\n" for line in intro()))
    terminal.flush()
    # What fell due at the time the clock went back to is sent here.
    await app.reminders.clock_moved()


if __name__ == "__main__":
    sys.exit(main())
