"""The bot's Matrix login: done once, then the same device on every start.

The device id and access token are written to ``store_path/credentials.json`` (0600) before
they are used, beside nio's key store, so the bot never appears as a new device.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from nio import AsyncClient, LoginResponse, WhoamiResponse

from bot.config import MatrixConfig
from bot.logging_setup import blank_in_logs


async def log_in(client: AsyncClient, config: MatrixConfig, store_path: Path) -> None:
    """Restore the saved device, or log in once and save it (0600) before use."""
    credentials = store_path / "credentials.json"
    if credentials.exists():
        saved = json.loads(credentials.read_text(encoding="utf-8"))
        blank_in_logs(saved["access_token"])
        client.restore_login(saved["user_id"], saved["device_id"], saved["access_token"])
        return
    if config.access_token:
        client.access_token = config.access_token
        who = await client.whoami()
        if not isinstance(who, WhoamiResponse) or not who.device_id:
            raise RuntimeError(f"matrix: the access token was not accepted: {who}")
        device_id, token = who.device_id, config.access_token
    else:
        response = await client.login(config.password, device_name=config.device_name)
        if not isinstance(response, LoginResponse):
            raise RuntimeError(f"matrix: login as {config.user_id} failed: {response}")
        device_id, token = response.device_id, response.access_token
    blank_in_logs(token)
    # Written before use and readable only by us: it is the key to the account.
    descriptor = os.open(credentials, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(
            {"user_id": config.user_id, "device_id": device_id, "access_token": token},
            handle,
        )
    client.restore_login(config.user_id, device_id, token)
