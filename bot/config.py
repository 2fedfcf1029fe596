"""The TOML configuration, validated into typed objects at start.

Secrets may come from environment variables (``AGBOT_...``), which win over
the file. Secret fields are excluded from ``repr`` so they never reach a log.
An invalid configuration raises :class:`ConfigError` naming the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url

from bot.limits import Limits
from core.i18n import LANGUAGES
from handlers.shared.context import BotSettings
from reminders.planning import DigestSchedule
from storage.database_url import DatabaseUrlError, async_database_url

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/agbot.db"
# Telegram's messages a second for one bot token, whichever process sends them.
TELEGRAM_PER_SECOND = 30
PLATFORMS = ("telegram", "matrix", "console")


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key."""


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = field(default=DEFAULT_DATABASE_URL, repr=False)
    # Migrate the schema on start; switch off when migrations are run as a separate step.
    auto_upgrade: bool = True


@dataclass(frozen=True)
class TelegramConfig:
    token: str = field(repr=False)
    mode: str = "polling"
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str = field(default="", repr=False)
    base_url: str = ""
    base_file_url: str = ""
    # How many bot processes send with this token. Telegram's 30 messages a second count per
    # token, so each process keeps to its share of them.
    processes: int = 1


@dataclass(frozen=True)
class MatrixConfig:
    homeserver: str
    user_id: str
    password: str = field(default="", repr=False)
    access_token: str = field(default="", repr=False)
    device_name: str = "AG-Bot"
    store_path: str = "data/matrix"
    pickle_key: str = field(default="", repr=False)
    allowed_inviters: tuple[str, ...] = ()
    command_prefix: str = "!"


@dataclass(frozen=True)
class ReminderConfig:
    # Meetings this far ahead have their reminder rows; the daily job moves the horizon on.
    horizon_days: int = 60
    # A reminder sent later than this after its time says so ("verspätet, fällig war …").
    late_after_minutes: int = 15
    # The coordinators' weekly digest; None: off.
    digest: DigestSchedule | None = field(default_factory=DigestSchedule)
    lease_seconds: int = 60
    sweep_seconds: int = 60
    max_attempts: int = 8


@dataclass(frozen=True)
class Config:
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    bot: BotSettings = field(default_factory=BotSettings)
    telegram: TelegramConfig | None = None
    matrix: MatrixConfig | None = None
    log_level: str = "INFO"
    reminders: ReminderConfig = field(default_factory=ReminderConfig)
    limits: Limits = field(default_factory=Limits)

    def secrets(self) -> list[str]:
        """Every secret value, for the log filter that blanks them out."""
        # The URL's password on its own, too: messages may show the URL in another form.
        values = [self.database.url, make_url(self.database.url).password or ""]
        if self.telegram:
            values += [self.telegram.token, self.telegram.webhook_secret]
        if self.matrix:
            values += [self.matrix.password, self.matrix.access_token, self.matrix.pickle_key]
        return [v for v in values if v and len(v) >= 6]


def load_config(path: Path | None, environ: Mapping[str, str]) -> Config:
    """Read ``path`` (None: defaults only) and apply environment overrides."""
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path} is not valid TOML: {error}") from None
    reader = _Reader(raw)
    database = _database(reader.section("database"), environ)
    bot = _bot(reader.section("bot"))
    telegram = _telegram(reader.section("telegram"), environ) if "telegram" in raw else None
    matrix = _matrix(reader.section("matrix"), environ) if "matrix" in raw else None
    log_level = reader.section("logging").text("level", "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError("[logging] level: must be DEBUG, INFO, WARNING or ERROR")
    reminders = _reminders(reader.section("reminders"), bot.timezone)
    bot = replace(bot, reminder_horizon_days=reminders.horizon_days)
    limits = _limits(reader.section("limits"))
    reader.finish()
    return Config(database, bot, telegram, matrix, log_level, reminders, limits)


class _Section:
    """Typed access to one table of the file that remembers which keys were read."""

    def __init__(self, name: str, values: dict[str, Any]) -> None:
        self.name = name
        self.values = values
        self.used: set[str] = set()

    def _get(self, key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        self.used.add(key)
        if key not in self.values:
            return default
        value = self.values[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise ConfigError(f"[{self.name}] {key}: expected {names}, got {value!r}")
        return value

    def text(self, key: str, default: str = "") -> str:
        return str(self._get(key, str, default))

    def number(self, key: str, default: int) -> int:
        return int(self._get(key, int, default))

    def flag(self, key: str, default: bool) -> bool:
        return bool(self._get(key, bool, default))

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._get(key, list, [])
        if not all(isinstance(v, str) for v in values):
            raise ConfigError(f"[{self.name}] {key}: expected a list of strings")
        return tuple(values)

    def unknown_keys(self) -> list[str]:
        return sorted(set(self.values) - self.used)


class _Reader:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.sections: dict[str, _Section] = {}

    def section(self, name: str) -> _Section:
        values = self.raw.get(name, {})
        if not isinstance(values, dict):
            raise ConfigError(f"[{name}] must be a table")
        self.sections[name] = _Section(name, values)
        return self.sections[name]

    def finish(self) -> None:
        for name in self.raw:
            if name not in self.sections:
                raise ConfigError(f"[{name}]: unknown section")
        for section in self.sections.values():
            for key in section.unknown_keys():
                raise ConfigError(f"[{section.name}] {key}: unknown key")


def _secret(
    section: _Section, key: str, environ: Mapping[str, str], variable: str, default: str = ""
) -> str:
    """A secret from the environment if set there, else from the file."""
    in_file = section.text(key, default)  # read first: the key counts as known either way
    return environ.get(variable) or in_file


def _database(section: _Section, environ: Mapping[str, str]) -> DatabaseConfig:
    url = _secret(section, "url", environ, "AGBOT_DATABASE_URL", DEFAULT_DATABASE_URL)
    where = "AGBOT_DATABASE_URL" if environ.get("AGBOT_DATABASE_URL") else "[database] url"
    return DatabaseConfig(
        url=database_url(url, where), auto_upgrade=section.flag("auto_upgrade", True)
    )


def database_url(text: str, where: str) -> str:
    """``text`` for the async driver; a ConfigError naming ``where`` it came from."""
    try:
        return async_database_url(text)
    except DatabaseUrlError as error:
        raise ConfigError(f"{where}: {error}") from None


def _bot(section: _Section) -> BotSettings:
    language = section.text("language", "de")
    if language not in LANGUAGES:
        raise ConfigError(f"[bot] language: must be one of {', '.join(LANGUAGES)}")
    timezone = section.text("timezone", "Europe/Berlin")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"[bot] timezone: unknown time zone {timezone!r}") from None
    admins = section.texts("admins")
    for admin in admins:
        platform, _, account = admin.partition(":")
        if platform not in PLATFORMS or not account:
            raise ConfigError(
                f"[bot] admins: {admin!r} must look like telegram:12345, "
                "matrix:@anna:example.org or console:anna"
            )
    name = section.text("name", "AGBot")
    if not name or any(c.isspace() for c in name):
        raise ConfigError("[bot] name: must be one word (the bot's username)")
    max_upload_mb = section.number("max_upload_mb", 20)
    if max_upload_mb < 1:
        raise ConfigError("[bot] max_upload_mb: must be at least 1")
    return BotSettings(
        bot_name=name,
        language=language,
        timezone=timezone,
        admins=frozenset(admins),
        max_upload_mb=max_upload_mb,
    )


def _telegram(section: _Section, environ: Mapping[str, str]) -> TelegramConfig:
    token = _secret(section, "token", environ, "AGBOT_TELEGRAM_TOKEN")
    if not token:
        raise ConfigError("[telegram] token: missing (or set AGBOT_TELEGRAM_TOKEN)")
    mode = section.text("mode", "polling")
    if mode not in ("polling", "webhook"):
        raise ConfigError("[telegram] mode: must be polling or webhook")
    config = TelegramConfig(
        token=token,
        mode=mode,
        webhook_url=section.text("webhook_url"),
        webhook_listen=section.text("webhook_listen", "127.0.0.1"),
        webhook_port=section.number("webhook_port", 8443),
        webhook_secret=_secret(section, "webhook_secret", environ, "AGBOT_TELEGRAM_WEBHOOK_SECRET"),
        base_url=section.text("base_url"),
        base_file_url=section.text("base_file_url"),
        processes=section.number("processes", 1),
    )
    if config.processes < 1:
        raise ConfigError("[telegram] processes: must be 1 or more")
    if mode == "webhook" and not (config.webhook_url and config.webhook_secret):
        raise ConfigError("[telegram] webhook_url and webhook_secret: required in webhook mode")
    return config


def _matrix(section: _Section, environ: Mapping[str, str]) -> MatrixConfig:
    homeserver = section.text("homeserver")
    user_id = section.text("user_id")
    if not homeserver.startswith(("http://", "https://")):
        raise ConfigError("[matrix] homeserver: must be an http(s) URL")
    if not (user_id.startswith("@") and ":" in user_id):
        raise ConfigError("[matrix] user_id: must look like @agbot:example.org")
    password = _secret(section, "password", environ, "AGBOT_MATRIX_PASSWORD")
    access_token = _secret(section, "access_token", environ, "AGBOT_MATRIX_ACCESS_TOKEN")
    if not (password or access_token):
        raise ConfigError(
            "[matrix] password or access_token: one is required "
            "(or set AGBOT_MATRIX_PASSWORD / AGBOT_MATRIX_ACCESS_TOKEN)"
        )
    return MatrixConfig(
        homeserver=homeserver,
        user_id=user_id,
        password=password,
        access_token=access_token,
        device_name=section.text("device_name", "AG-Bot"),
        store_path=section.text("store_path", "data/matrix"),
        pickle_key=_secret(section, "pickle_key", environ, "AGBOT_MATRIX_PICKLE_KEY"),
        allowed_inviters=section.texts("allowed_inviters"),
        command_prefix=section.text("command_prefix", "!"),
    )


def _limits(section: _Section) -> Limits:
    defaults = Limits()
    values = {
        name: section.number(name, getattr(defaults, name)) for name in Limits.__dataclass_fields__
    }
    for name, value in values.items():
        if value < 1:
            raise ConfigError(f"[limits] {name}: must be at least 1")
    return Limits(**values)


_WEEKDAYS = {
    **{name: index for index, name in enumerate(("mo", "di", "mi", "do", "fr", "sa", "so"))},
    **{name: index for index, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
}


def _reminders(section: _Section, timezone: str) -> ReminderConfig:
    numbers = {
        key: section.number(key, default)
        for key, default in (
            ("horizon_days", 60),
            ("late_after_minutes", 15),
            ("lease_seconds", 60),
            ("sweep_seconds", 60),
            ("max_attempts", 8),
        )
    }
    for key, value in numbers.items():
        if value < 1:
            raise ConfigError(f"[reminders] {key}: must be at least 1")
    return ReminderConfig(digest=_digest(section.text("digest", "mo 08:00"), timezone), **numbers)


def _digest(text: str, timezone: str) -> DigestSchedule | None:
    """``"mo 08:00"`` (German or English weekday) or ``"off"``."""
    if text.strip().casefold() in ("off", "aus"):
        return None
    day, _, clock = text.strip().casefold().partition(" ")
    hour, _, minute = clock.strip().partition(":")
    if day[:3] in _WEEKDAYS:
        day = day[:3]
    elif day[:2] in _WEEKDAYS:
        day = day[:2]
    if day not in _WEEKDAYS or not (hour.isdecimal() and minute.isdecimal()):
        raise ConfigError('[reminders] digest: must look like "mo 08:00" or be "off"')
    if int(hour) > 23 or int(minute) > 59:
        raise ConfigError("[reminders] digest: the time must be between 00:00 and 23:59")
    return DigestSchedule(_WEEKDAYS[day], time(int(hour), int(minute)), timezone)
