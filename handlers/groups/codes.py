"""One-time codes that people type by hand on another device or in another chat."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: easy to read aloud and to type on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def one_time_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
