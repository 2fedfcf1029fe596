"""Who may do what in a Matrix room: moderators, room creators, allowed inviters."""

from __future__ import annotations

from nio import AsyncClient, MatrixRoom

# Room versions in which creators hold unlimited power without a power-levels entry.
_CREATOR_POWER_VERSIONS = ("12",)
MODERATOR_LEVEL = 50


def may_invite(allowed_inviters: tuple[str, ...], user_id: str) -> bool:
    """Whether ``user_id`` is listed, or its server is (``":example.org"``)."""
    for allowed in allowed_inviters:
        if allowed.startswith(":") and user_id.endswith(allowed):
            return True
        if user_id == allowed:
            return True
    return False


class RoomPowers:
    """Moderator checks, with the creators of rooms (version 12) looked up once per room."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._creators: dict[str, set[str]] = {}

    async def is_chat_admin(self, room: MatrixRoom, user_id: str) -> bool:
        if room.power_levels.get_user_level(user_id) >= MODERATOR_LEVEL:
            return True
        if room.room_version in _CREATOR_POWER_VERSIONS:
            return user_id in await self._room_creators(room.room_id)
        return False

    async def _room_creators(self, room_id: str) -> set[str]:
        """Who created the room: in version 12 they are not in the power levels at all."""
        if room_id not in self._creators:
            response = await self._client.room_get_state(room_id)
            creators: set[str] = set()
            for event in getattr(response, "events", []):
                if event.get("type") == "m.room.create":
                    # The create event's sender is the creator (the content field is gone).
                    creators.add(event.get("sender", ""))
                    creators.update(event.get("content", {}).get("additional_creators", []))
            creators.discard("")
            self._creators[room_id] = creators
        return self._creators[room_id]
