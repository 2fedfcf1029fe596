"""The bot's cross-signing identity on the homeserver: created once, reused, signing each device.

Element marks every message from a device its owner has not cross-signed with a red shield,
and clients in "exclude insecure devices" mode (MSC4153) neither send keys to such a device
nor read it. matrix-nio has no API for cross-signing, so this module does the three requests
itself on nio's HTTP session:

1. ``/keys/query`` for the bot's own account: the published master key and the device's keys;
2. when the bot holds no private keys for the published master key (first start, or the key
   file is gone): new keys, uploaded with ``/keys/device_signing/upload``. Homeservers accept
   the first upload without further authentication (MSC3967); replacing an existing identity
   needs user-interactive authentication, done with the configured password;
3. when the device is not yet signed by the self-signing key (a new device, or a new
   identity): the signature, uploaded with ``/keys/signatures/upload``.

The keys and their file format are in ``bot/matrix/signing.py``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from nio import AsyncClient

from bot.matrix.signing import KEY_FILE, CrossSigningKeys, KeyFileError, fingerprint

log = logging.getLogger(__name__)

_KEYS_QUERY = "/_matrix/client/v3/keys/query"
_DEVICE_SIGNING_UPLOAD = "/_matrix/client/v3/keys/device_signing/upload"
_SIGNATURES_UPLOAD = "/_matrix/client/v3/keys/signatures/upload"
_TIMEOUT = 30.0


class CrossSigningError(Exception):
    """A request of the cross-signing set-up failed (the text says which and why)."""


@dataclass(frozen=True)
class Identity:
    """What the set-up found or did."""

    master_key: str
    created: bool  # a new identity was published this time
    device_signed: bool  # the device carries the self-signing key's signature now

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.master_key)


async def ensure_identity(
    client: AsyncClient, store_path: Path, *, password: str, pickle_key: str
) -> Identity | None:
    """Make the bot's device cross-signed; None when that is not possible now (logged why)."""
    user_id, device_id = client.user_id, client.device_id
    path = store_path / KEY_FILE
    try:
        keys = CrossSigningKeys.load(path, user_id, pickle_key)
    except KeyFileError as error:
        # Never overwrite keys that may only need the right pickle_key.
        log.error("matrix: cross-signing keys not used: %s", error)
        return None
    try:
        published, device = await _own_keys(client, user_id, device_id)
        created = False
        if keys is None or not keys.matches(published):
            if published:
                log.warning(
                    "matrix: the account's published cross-signing identity is not the one "
                    "in %s; publishing %s (people who verified the bot will see that its "
                    "identity changed)",
                    path,
                    "that one" if keys is not None else "a new one",
                )
            if keys is None:
                keys = CrossSigningKeys.generate(user_id)
                # Saved before the upload: once published, the keys must not be lost.
                keys.save(path, pickle_key)
            if not await _upload_identity(client, keys, password):
                return None
            created = True
        signed = device is not None and keys.device_is_signed(device)
        if device is not None and not signed:
            await _upload_device_signature(client, keys, device)
            signed = True
    except (aiohttp.ClientError, TimeoutError) as error:
        raise CrossSigningError(f"homeserver not reachable: {error!r}") from error
    if device is None:
        log.warning("matrix: device %s has no published keys to sign yet", device_id)
    return Identity(keys.master_public, created, signed)


async def _own_keys(
    client: AsyncClient, user_id: str, device_id: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    status, answer = await _request(client, _KEYS_QUERY, {"device_keys": {user_id: []}})
    if status != 200:
        raise CrossSigningError(f"keys/query answered {status}: {answer}")
    master = answer.get("master_keys", {}).get(user_id)
    device = answer.get("device_keys", {}).get(user_id, {}).get(device_id)
    return master, device


async def _upload_identity(client: AsyncClient, keys: CrossSigningKeys, password: str) -> bool:
    body = keys.upload_body()
    status, answer = await _request(client, _DEVICE_SIGNING_UPLOAD, body)
    if status == 401 and "flows" in answer:
        if not password:
            log.warning(
                "matrix: the homeserver wants the bot's password to publish its cross-signing "
                "identity; set [matrix] password (or AGBOT_MATRIX_PASSWORD) for one start, "
                "then it may be removed again (README, Matrix: cross-signing)"
            )
            return False
        body["auth"] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": client.user_id},
            "password": password,
            "session": answer.get("session"),
        }
        status, answer = await _request(client, _DEVICE_SIGNING_UPLOAD, body)
    if status != 200:
        log.error(
            "matrix: the cross-signing identity was refused (%s %s); the bot's messages "
            "stay marked as from an unverified device",
            status,
            answer.get("errcode", answer),
        )
        return False
    log.info("matrix: published the cross-signing identity %s", fingerprint(keys.master_public))
    return True


async def _upload_device_signature(
    client: AsyncClient, keys: CrossSigningKeys, device: dict[str, Any]
) -> None:
    signed = keys.sign_device(device)
    body = {client.user_id: {client.device_id: signed}}
    status, answer = await _request(client, _SIGNATURES_UPLOAD, body)
    failures = answer.get("failures") if isinstance(answer, dict) else None
    if status != 200 or failures:
        raise CrossSigningError(f"signatures/upload answered {status}: {failures or answer}")
    log.info("matrix: device %s signed by the bot's identity", client.device_id)


async def _request(client: AsyncClient, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    headers = {
        "Authorization": f"Bearer {client.access_token}",
        "Content-Type": "application/json",
    }
    response = await client.send("POST", path, json.dumps(body), headers, timeout=_TIMEOUT)
    async with response:
        try:
            answer = await response.json(content_type=None)
        except ValueError:
            answer = {}
        return response.status, answer if isinstance(answer, dict) else {}
