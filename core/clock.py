"""The injected clock: nothing in the bot calls ``datetime.now()`` directly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment as an aware UTC datetime."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until it is moved (console ``::now``, tests)."""

    def __init__(self, start: datetime) -> None:
        self._now = _as_utc(start)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = _as_utc(moment)


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("ManualClock needs an aware datetime")
    return moment.astimezone(UTC)


class AdjustableClock:
    """Runs with the real clock until it is set; from then on it stands where it was set.

    The console uses it: without ``--now`` or ``::now`` the real time applies.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._fixed = _as_utc(start) if start is not None else None

    def now(self) -> datetime:
        return self._fixed if self._fixed is not None else datetime.now(UTC)

    def set(self, moment: datetime) -> None:
        self._fixed = _as_utc(moment)

    @property
    def fixed_at(self) -> datetime | None:
        """Where the clock was set, or None while it runs with the real time."""
        return self._fixed

    def release(self) -> None:
        """Run with the real time again (the demo walks the clock and gives it back)."""
        self._fixed = None
