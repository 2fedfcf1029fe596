"""`agbot run` with a [telegram] section: the real process against the emulator."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from tests.telegram_emulator import TelegramEmulator

ROOT = Path(__file__).resolve().parent.parent


async def test_agbot_run_serves_telegram_until_sigterm(tmp_path: Path) -> None:
    async with TelegramEmulator() as tg:
        tg.add_user(501, "Dora", username="dora")
        stderr = await _run_greet_and_stop(tg, tmp_path)
    # The token is a secret: it never appears in the log.
    assert tg.token not in stderr
    assert "running as @AGBot" in stderr


async def test_agbot_run_keeps_serving_when_the_command_menus_are_refused(tmp_path: Path) -> None:
    """The menus are cosmetic: a Bot API that refuses them must not end the process."""
    async with TelegramEmulator() as tg:
        tg.add_user(501, "Dora", username="dora")
        tg.fail_next("setMyCommands", status=500, times=1000)
        stderr = await _run_greet_and_stop(tg, tmp_path, wait_for_menus=False)
    assert "command menus not published" in stderr
    assert "running as @AGBot" in stderr


async def _run_greet_and_stop(
    tg: TelegramEmulator, tmp_path: Path, *, wait_for_menus: bool = True
) -> str:
    """Run ``agbot run``, greet it, stop it with SIGTERM: its log, after asserting rc 0."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.db"}"\n'
        '[logging]\nlevel = "DEBUG"\n'
        f'[telegram]\nbase_url = "{tg.base_url}"\nbase_file_url = "{tg.base_file_url}"\n',
        encoding="utf-8",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        "--config",
        str(config),
        cwd=ROOT,
        env={"AGBOT_TELEGRAM_TOKEN": tg.token, "PATH": "/usr/bin:/bin"},
        stderr=asyncio.subprocess.PIPE,
    )
    # Read the log while the bot runs: a full pipe would stop the bot mid-write.
    assert process.stderr is not None
    log = asyncio.create_task(process.stderr.read())
    try:
        if wait_for_menus:
            await tg.wait_for(lambda: tg.commands(), timeout=30, message="command menus")
        tg.push_message(501, 501, "/start")
        greeting = await tg.wait_for_message(501, contains="Guten Tag, Dora!", timeout=30)
        assert greeting["parse_mode"] == "HTML"
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=30)
        stderr = (await log).decode()
    assert process.returncode == 0, stderr
    return stderr
