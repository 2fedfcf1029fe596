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
            await tg.wait_for(lambda: tg.commands(), timeout=30, message="command menus")
            tg.push_message(501, 501, "/start")
            greeting = await tg.wait_for_message(501, contains="Guten Tag, Dora!", timeout=15)
            assert greeting["parse_mode"] == "HTML"
        finally:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)
            stderr = await log
        assert process.returncode == 0, stderr.decode()
        # The token is a secret: it never appears in the log.
        assert tg.token not in stderr.decode()
        assert "running as @AGBot" in stderr.decode()
