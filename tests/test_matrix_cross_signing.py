"""The bot's cross-signing identity on a real Synapse, checked the way another user's client
checks it: ``/keys/query`` as that user, then every signature of the chain verified."""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.matrix.signing import KEY_FILE, fingerprint, verify_json
from tests.matrix_bot import Bot, start_bot, stop_bot
from tests.synapse_server import RegisteredUser, SynapseServer


def trusted_chain(synapse: SynapseServer, viewer: RegisteredUser, bot: Bot) -> str:
    """The bot's master key, after checking master → self-signing → this device."""
    user_id, device_id = bot.user.user_id, bot.adapter.client.device_id
    answer: dict[str, Any] = synapse.request(
        "POST",
        "/_matrix/client/v3/keys/query",
        {"device_keys": {user_id: []}},
        access_token=viewer.access_token,
    )
    master = answer["master_keys"][user_id]
    self_signing = answer["self_signing_keys"][user_id]
    device = answer["device_keys"][user_id][device_id]
    assert master["usage"] == ["master"]
    (master_key,) = master["keys"].values()
    (self_signing_key,) = self_signing["keys"].values()
    assert verify_json(self_signing, user_id, master_key), "self-signing key not signed by master"
    assert verify_json(device, user_id, self_signing_key), "device not signed by self-signing key"
    # The device's own signature is still there (nio's upload is untouched).
    assert f"ed25519:{device_id}" in device["signatures"][user_id]
    return str(master_key)


async def test_the_bots_device_is_cross_signed_and_restarts_keep_the_identity(
    synapse: SynapseServer, database_url: str, tmp_path: Path
) -> None:
    viewer = synapse.new_user("anna")
    user = synapse.new_user("agbot", displayname="AG-Bot")
    store = tmp_path / "store"
    bot = await start_bot(synapse, database_url, store, user)
    try:
        master = trusted_chain(synapse, viewer, bot)
        assert bot.adapter.identity is not None and bot.adapter.identity.created
        assert bot.adapter.identity.master_key == master
        first_device = bot.adapter.client.device_id
    finally:
        await stop_bot(bot)
    key_file = store / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    bot = await start_bot(synapse, database_url, store, user)
    try:
        assert bot.adapter.client.device_id == first_device
        assert bot.adapter.identity is not None and not bot.adapter.identity.created
        assert trusted_chain(synapse, viewer, bot) == master
    finally:
        await stop_bot(bot)

    # A lost device store (but the key file kept): a new device, signed by the same identity.
    for path in store.iterdir():
        if path.name != KEY_FILE:
            path.unlink()
    bot = await start_bot(synapse, database_url, store, user)
    try:
        assert bot.adapter.client.device_id != first_device
        assert bot.adapter.identity is not None and not bot.adapter.identity.created
        assert trusted_chain(synapse, viewer, bot) == master
    finally:
        await stop_bot(bot)


async def test_lost_keys_mean_a_new_identity_published_with_the_password(
    synapse: SynapseServer, database_url: str, tmp_path: Path
) -> None:
    viewer = synapse.new_user("anna")
    user = synapse.new_user("agbot", displayname="AG-Bot")
    bot = await start_bot(synapse, database_url, tmp_path / "first", user)
    try:
        old = trusted_chain(synapse, viewer, bot)
    finally:
        await stop_bot(bot)
    # Everything lost: replacing the published identity needs the password (UIA).
    bot = await start_bot(synapse, database_url, tmp_path / "second", user)
    try:
        new = trusted_chain(synapse, viewer, bot)
        assert new != old
    finally:
        await stop_bot(bot)


async def test_with_only_an_access_token_the_bot_says_once_what_it_needs(
    synapse: SynapseServer, database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    viewer = synapse.new_user("anna")
    user = synapse.new_user("agbot", displayname="AG-Bot")
    # The first identity needs no password (MSC3967): a token is enough.
    login = synapse.login(user.user_id, user.password)
    only_token = {"password": "", "access_token": login["access_token"]}
    bot = await start_bot(synapse, database_url, tmp_path / "first", user, matrix=only_token)
    try:
        trusted_chain(synapse, viewer, bot)
    finally:
        await stop_bot(bot)
    # Its keys lost, a new identity would replace the published one: that needs the password.
    login = synapse.login(user.user_id, user.password)
    only_token = {"password": "", "access_token": login["access_token"]}
    with caplog.at_level(logging.WARNING, logger="bot.matrix.cross_signing"):
        bot = await start_bot(synapse, database_url, tmp_path / "second", user, matrix=only_token)
    try:
        assert bot.adapter.identity is None
        lines = [r.getMessage() for r in caplog.records if "password" in r.getMessage()]
        assert len(lines) == 1
        assert "AGBOT_MATRIX_PASSWORD" in lines[0] and login["access_token"] not in lines[0]
        assert bot.adapter.synced.is_set()  # the bot works all the same
    finally:
        await stop_bot(bot)


async def test_agbot_matrix_identity_prints_the_fingerprint(
    synapse: SynapseServer,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = synapse.new_user("agbot", displayname="AG-Bot")
    store = tmp_path / "store"
    bot = await start_bot(synapse, database_url, store, user)
    try:
        assert bot.adapter.identity is not None
        master = bot.adapter.identity.master_key
    finally:
        await stop_bot(bot)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[matrix]\nhomeserver = "{synapse.url}"\nuser_id = "{user.user_id}"\n'
        f'password = "unused"\nstore_path = "{store}"\n',
        encoding="utf-8",
    )
    monkeypatch.delenv("AGBOT_MATRIX_PASSWORD", raising=False)
    assert main(["matrix", "identity", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert fingerprint(master) in out
    assert user.user_id in out
