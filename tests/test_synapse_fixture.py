"""The test Synapse and the nio "human" work on their own, without any AG-Bot code.

These tests pin down the behaviour the Matrix adapter tests rely on: registration through
the shared-secret API, plain and encrypted message round trips, reactions, files, power
levels, fast failing waits, and a real 429 ``M_LIMIT_EXCEEDED`` from a per-user
``override_ratelimit`` that nio reports (instead of retrying forever) when
``max_limit_exceeded=0``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nio import (
    MegolmEvent,
    ReactionEvent,
    RoomEncryptedFile,
    RoomMessageFile,
    RoomMessageText,
    RoomSendError,
)

from tests.matrix_human import Human, Humans, MatrixRequestError
from tests.synapse_server import SynapseError, SynapseServer, synapse_fixture  # noqa: F401


@pytest.fixture
async def humans(synapse: SynapseServer, tmp_path: Path) -> AsyncIterator[Humans]:
    group = Humans(synapse, tmp_path / "humans")
    yield group
    await group.close()


async def _shared_room(anna: Human, bert: Human, *, encrypted: bool) -> str:
    """Anna creates a room and invites Bert; Bert joins; both see both as members."""
    room_id = await anna.create_room("AG Test", encrypted=encrypted, invite=[bert.user_id])
    assert await bert.wait_for_invite(room_id, inviter=anna.user_id) == room_id
    await bert.join(room_id)
    await anna.wait_for_join(room_id, bert.user_id)
    await bert.wait_for_join(room_id, anna.user_id)
    return room_id


def test_server_runs_and_registers_users(synapse: SynapseServer) -> None:
    assert synapse.running
    assert synapse.startup_seconds is not None
    versions = synapse.request("GET", "/_matrix/client/versions")
    assert "versions" in versions

    anna = synapse.new_user("anna")
    assert anna.user_id.startswith("@anna-") and anna.user_id.endswith(":localhost")
    whoami = synapse.request(
        "GET", "/_matrix/client/v3/account/whoami", access_token=anna.access_token
    )
    assert whoami["user_id"] == anna.user_id
    assert whoami["device_id"] == anna.device_id
    login = synapse.login(anna.user_id, anna.password)
    assert login["user_id"] == anna.user_id

    with pytest.raises(SynapseError) as err:
        synapse.register(anna.localpart)
    assert err.value.status == 400
    with pytest.raises(SynapseError) as err:
        synapse.request("POST", "/_matrix/client/v3/register", {"username": "x"})
    assert err.value.status in (401, 403)  # open registration is off


async def test_plain_room_round_trip(humans: Humans) -> None:
    anna = await humans.new("anna", encryption=False)
    bert = await humans.new("bert", encryption=False)
    room_id = await _shared_room(anna, bert, encrypted=False)

    sent = await anna.send_text(
        room_id,
        "Hallo Bert",
        formatted_body="<b>Hallo</b> Bert",
        mentions=[bert.user_id],
    )
    got = await bert.wait_for_message(room_id, "Hallo", sender=anna.user_id)
    assert isinstance(got, RoomMessageText)
    assert got.event_id == sent
    assert got.formatted_body == "<b>Hallo</b> Bert"
    assert got.source["content"]["m.mentions"] == {"user_ids": [bert.user_id]}

    mark = anna.checkpoint()
    await bert.send_text(room_id, "Hallo Anna", reply_to=sent)
    answer = await anna.wait_for_message(room_id, "Hallo Anna", since=mark)
    assert answer.source["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == sent
    await bert.wait_for_message(room_id, "Hallo Anna", include_own=True)  # own echo
    assert [m.body for m in bert.messages(room_id)] == ["Hallo Bert", "Hallo Anna"]
    assert [m.body for m in bert.messages(room_id, include_own=False)] == ["Hallo Bert"]


async def test_encrypted_room_round_trip(humans: Humans) -> None:
    anna = await humans.new("anna")
    bert = await humans.new("bert")
    room_id = await _shared_room(anna, bert, encrypted=True)
    assert anna.client.rooms[room_id].encrypted
    assert bert.client.rooms[room_id].encrypted

    await anna.send_text(room_id, "geheim 1")
    got = await bert.wait_for_message(room_id, "geheim 1")
    assert isinstance(got, RoomMessageText)
    assert got.decrypted
    assert got.session_id  # the megolm session that decrypted it
    assert got.source["type"] == "m.room.message"  # source is the decrypted payload

    await bert.send_text(room_id, "geheim 2")
    back = await anna.wait_for_message(room_id, "geheim 2", sender=bert.user_id)
    assert back.decrypted
    assert not anna.undecryptable(room_id)
    assert not bert.undecryptable(room_id)


async def test_encrypted_room_with_late_joiner(humans: Humans) -> None:
    """A member who joins after messages were sent can read everything sent after the join."""
    anna = await humans.new("anna")
    bert = await humans.new("bert")
    room_id = await _shared_room(anna, bert, encrypted=True)
    await anna.send_text(room_id, "vor Carla")
    await bert.wait_for_message(room_id, "vor Carla")

    carla = await humans.new("carla")
    await anna.invite(room_id, carla.user_id)
    await carla.wait_for_invite(room_id)
    await carla.join(room_id)
    await anna.wait_for_join(room_id, carla.user_id)
    await anna.send_text(room_id, "nach Carla")
    got = await carla.wait_for_message(room_id, "nach Carla")
    assert got.decrypted


async def test_reactions_plain_and_encrypted(humans: Humans) -> None:
    anna = await humans.new("anna")
    bert = await humans.new("bert")
    for encrypted in (False, True):
        room_id = await _shared_room(anna, bert, encrypted=encrypted)
        question = await anna.send_text(room_id, "Passt Dienstag?")
        await bert.wait_for_message(room_id, "Passt Dienstag?")
        await bert.react(room_id, question, "✅")
        reaction = await anna.wait_for_reaction(room_id, event_id=question, sender=bert.user_id)
        assert isinstance(reaction, ReactionEvent)
        assert reaction.key == "✅"
        if encrypted:
            # Element encrypts reactions; nio decrypts them into the same ReactionEvent.
            await bert.react(room_id, question, "❌", encrypt=True)
            secret = await anna.wait_for_reaction(room_id, key="❌")
            assert secret.reacts_to == question
            assert secret.source["type"] == "m.reaction"
            assert not anna.undecryptable(room_id)


async def test_files_plain_and_encrypted(humans: Humans) -> None:
    anna = await humans.new("anna")
    bert = await humans.new("bert")
    data = bytes(range(256)) * 40
    for encrypted, kind in ((False, RoomMessageFile), (True, RoomEncryptedFile)):
        room_id = await _shared_room(anna, bert, encrypted=encrypted)
        await anna.send_file(room_id, data, "protokoll.bin")
        event = await bert.wait_for_message(room_id, "protokoll.bin")
        assert isinstance(event, kind)
        assert event.body == "protokoll.bin"
        assert await bert.download(event) == data
        if encrypted:
            # The stored media is ciphertext; only the event's key decrypts it.
            assert await bert.download(event.url) != data


async def test_power_levels(synapse: SynapseServer, humans: Humans) -> None:
    anna = await humans.new("anna", encryption=False)
    bert = await humans.new("bert", encryption=False)
    carla = await humans.new("carla", encryption=False)
    capabilities = synapse.request(
        "GET", "/_matrix/client/v3/capabilities", access_token=anna.client.access_token
    )
    default_version = capabilities["capabilities"]["m.room_versions"]["default"]

    room_id = await anna.create_room("Moderation", user_levels={carla.user_id: 50})
    assert anna.client.rooms[room_id].room_version == default_version
    levels = await anna.power_levels(room_id)
    assert levels["users"][carla.user_id] == 50
    if default_version == "12":
        # Room version 12: creators have unlimited power and are not listed.
        assert anna.user_id not in levels["users"]
        assert ":" not in room_id  # v12 room ids carry no server name
    else:
        assert levels["users"][anna.user_id] == 100

    await anna.set_power_level(room_id, bert.user_id, 50)
    levels = await anna.power_levels(room_id)
    assert levels["users"][bert.user_id] == 50
    assert levels["users"][carla.user_id] == 50

    old_room = await anna.create_room("Alt", room_version="10")
    assert anna.client.rooms[old_room].room_version == "10"
    assert old_room.endswith(":localhost")
    assert (await anna.power_levels(old_room))["users"][anna.user_id] == 100


async def test_waits_fail_fast_with_what_was_seen(humans: Humans) -> None:
    anna = await humans.new("anna", encryption=False)
    bert = await humans.new("bert", encryption=False)
    room_id = await _shared_room(anna, bert, encrypted=False)
    await anna.send_text(room_id, "etwas anderes")
    await bert.wait_for_message(room_id, "etwas anderes")

    began = time.monotonic()
    with pytest.raises(AssertionError) as err:
        await bert.wait_for_message(room_id, "kommt nie", timeout=0.5)
    assert time.monotonic() - began < 2
    assert "etwas anderes" in str(err.value)
    await bert.assert_no_message(room_id, "kommt nie", within=0.3)


async def test_rate_limit_gives_429_without_retrying(
    synapse: SynapseServer, humans: Humans
) -> None:
    anna = await humans.new("anna", encryption=False)
    room_id = await anna.create_room("Flut")

    synapse.ratelimit(anna.user_id, 1, 1)
    assert synapse.get_ratelimit(anna.user_id) == {"messages_per_second": 1, "burst_count": 1}
    try:
        began = time.monotonic()
        with pytest.raises(MatrixRequestError) as err:
            for number in range(5):
                await anna.send_text(room_id, f"Nachricht {number}")
        assert time.monotonic() - began < 3  # nio gave up at once instead of sleeping
        failure = err.value
        assert isinstance(failure.response, RoomSendError)
        assert failure.errcode == "M_LIMIT_EXCEEDED"
        assert failure.http_status == 429
        assert failure.retry_after_ms is not None
        assert 0 < failure.retry_after_ms <= 1000
    finally:
        synapse.unratelimit(anna.user_id)
    assert synapse.get_ratelimit(anna.user_id) == {}

    # The relaxed defaults apply again at once.
    for number in range(5):
        await anna.send_text(room_id, f"wieder frei {number}")


async def test_undecryptable_event_is_kept_as_megolm(humans: Humans) -> None:
    """An encrypted event whose key never arrives stays a MegolmEvent (the adapter logs it)."""
    anna = await humans.new("anna")
    bert = await humans.new("bert")
    room_id = await _shared_room(anna, bert, encrypted=True)
    event_id = await anna.send_undecryptable(room_id)
    broken = await bert.wait_for_event(
        room_id, lambda e: True, kind=MegolmEvent, description="undecryptable event"
    )
    assert broken.event_id == event_id
    assert bert.undecryptable(room_id) == [broken]
    await anna.send_text(room_id, "lesbar")
    assert (await bert.wait_for_message(room_id, "lesbar")).decrypted
