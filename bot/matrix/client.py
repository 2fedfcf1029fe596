"""The nio client the bot uses: matrix-nio's AsyncClient, with reactions encrypted.

It also bundles the key housekeeping that follows every sync.

nio sends ``m.reaction`` in the clear even in encrypted rooms (its ``room_send`` skips the
encryption for that one type), which shows everyone on the homeserver which of the bot's
messages offer choices. Clients such as Element encrypt reactions and keep only
``m.relates_to`` in the clear, as the specification asks, so that the server can still
aggregate them; nio's ``encrypt`` already copies ``m.relates_to`` out of the payload.
"""

from __future__ import annotations

from typing import Any

from nio import AsyncClient, RoomSendError, RoomSendResponse

# A type name only this module uses: it carries a reaction past nio's "no reactions" check
# in room_send (which then shares the room key as for any message) into `encrypt`.
_ENCRYPTED_REACTION = "org.agbot.encrypted_reaction"


class BotClient(AsyncClient):  # type: ignore[misc]  # nio has no type information
    """AsyncClient that encrypts reactions in encrypted rooms."""

    async def room_send(
        self,
        room_id: str,
        message_type: str,
        content: dict[Any, Any],
        tx_id: str | None = None,
        ignore_unverified_devices: bool = False,
    ) -> RoomSendResponse | RoomSendError:
        room = self.rooms.get(room_id)
        if message_type == "m.reaction" and self.olm and room is not None and room.encrypted:
            message_type = _ENCRYPTED_REACTION
        result: RoomSendResponse | RoomSendError = await super().room_send(
            room_id, message_type, content, tx_id, ignore_unverified_devices
        )
        return result

    def encrypt(
        self, room_id: str, message_type: str, content: dict[Any, Any]
    ) -> tuple[str, dict[str, str]]:
        if message_type == _ENCRYPTED_REACTION:
            message_type = "m.reaction"
        encrypted: tuple[str, dict[str, str]] = super().encrypt(room_id, message_type, content)
        return encrypted

    async def keys_housekeeping(self) -> None:
        """After each sync: queued to-device messages, key uploads, queries and claims."""
        await self.send_to_device_messages()
        if self.should_upload_keys:
            await self.keys_upload()
        if self.should_query_keys:
            await self.keys_query()
        if self.should_claim_keys:
            await self.keys_claim(self.get_users_for_key_claiming())
