"""Configuration: the example file is valid, env variables win, mistakes name the key,
secrets stay out of logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import batch_size
from bot.config import ConfigError, load_config
from bot.logging_setup import SecretFilter

ROOT = Path(__file__).resolve().parent.parent


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_config_is_valid() -> None:
    config = load_config(ROOT / "config.example.toml", {})
    assert config.bot.language == "de"
    assert config.bot.timezone == "Europe/Berlin"
    assert config.database.url.startswith("sqlite+aiosqlite://")
    assert config.telegram is None and config.matrix is None
    assert config.bot.max_upload_mb == 20
    assert config.bot.max_upload_bytes == 20 * 1024 * 1024


def test_no_file_gives_the_embedded_defaults() -> None:
    config = load_config(None, {})
    assert config.database.url == "sqlite+aiosqlite:///data/agbot.db"
    assert config.bot.admins == frozenset()


def test_environment_secrets_win_over_the_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[database]\nurl = "sqlite+aiosqlite:///file.db"\n'
        '[telegram]\ntoken = "from-file-123"\n'
        '[matrix]\nhomeserver = "https://m.example.org"\nuser_id = "@bot:example.org"\n'
        'password = "file-password"\n',
    )
    config = load_config(
        path,
        {
            "AGBOT_DATABASE_URL": "postgresql+asyncpg://agbot:pw@db/agbot",
            "AGBOT_TELEGRAM_TOKEN": "from-env-456",
            "AGBOT_MATRIX_PASSWORD": "env-password",
        },
    )
    assert config.database.url == "postgresql+asyncpg://agbot:pw@db/agbot"
    assert config.telegram is not None and config.telegram.token == "from-env-456"
    assert config.matrix is not None and config.matrix.password == "env-password"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[bot]\nlanguage = "fr"\n', "[bot] language"),
        ('[bot]\ntimezone = "Mars/Olympus"\n', "[bot] timezone"),
        ('[bot]\nadmins = ["anna"]\n', "[bot] admins"),
        ('[bot]\nadmins = "console:anna"\n', "[bot] admins"),
        ('[bot]\nlangauge = "de"\n', "[bot] langauge: unknown key"),
        ("[bot]\nmax_upload_mb = 0\n", "[bot] max_upload_mb: must be at least 1"),
        ('[bot]\nmax_upload_mb = "20"\n', "[bot] max_upload_mb: expected int"),
        ('[database]\nurl = "mysql://x"\n', "[database] url"),
        ("[telegram]\nmode = 'polling'\n", "[telegram] token"),
        ('[telegram]\ntoken = "t"\nmode = "push"\n', "[telegram] mode"),
        ('[telegram]\ntoken = "t"\nwebhook_port = "80"\n', "[telegram] webhook_port"),
        ('[telegram]\ntoken = "t"\nprocesses = 0\n', "[telegram] processes: must be 1"),
        ('[matrix]\nhomeserver = "matrix.org"\nuser_id = "@a:b"\npassword = "p"\n', "homeserver"),
        ('[matrix]\nhomeserver = "https://m.org"\nuser_id = "@a:b"\n', "password or access_token"),
        ("[chat]\nx = 1\n", "[chat]: unknown section"),
        ("[bot\n", "not valid TOML"),
    ],
)
def test_an_invalid_config_names_the_key(tmp_path: Path, text: str, named: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(_write(tmp_path, text), {})
    assert named in str(error.value)


@pytest.mark.parametrize(("processes", "batch"), [(1, 200), (3, 50), (30, 10)])
def test_processes_sharing_a_token_claim_batches_they_can_send_in_seconds(
    tmp_path: Path, processes: int, batch: int
) -> None:
    config = load_config(
        _write(tmp_path, f'[telegram]\ntoken = "t"\nprocesses = {processes}\n'), {}
    )
    assert config.telegram is not None and config.telegram.processes == processes
    # One process sends a batch alone anyway; shared, a batch is five seconds of its share.
    assert batch_size(config) == batch


def test_secrets_are_not_in_the_config_repr(tmp_path: Path) -> None:
    path = _write(tmp_path, '[telegram]\ntoken = "123456:SECRET-TOKEN"\n')
    config = load_config(path, {"AGBOT_DATABASE_URL": "postgresql+asyncpg://u:dbpass@h/d"})
    assert "SECRET-TOKEN" not in repr(config)
    assert "dbpass" not in repr(config)
    assert "123456:SECRET-TOKEN" in config.secrets()


def test_secrets_are_blanked_in_log_records(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("agbot.test-secrets")
    logger.addFilter(SecretFilter(["123456:SECRET-TOKEN"]))
    try:
        with caplog.at_level(logging.INFO, logger="agbot.test-secrets"):
            logger.info("calling https://api.telegram.org/bot%s/getMe", "123456:SECRET-TOKEN")
            try:
                raise RuntimeError("token 123456:SECRET-TOKEN rejected")
            except RuntimeError:
                logger.exception("request failed")
    finally:
        logger.filters.clear()
    assert "SECRET-TOKEN" not in caplog.text
    assert "bot***/getMe" in caplog.text
