"""``agbot matrix identity``: the master key fingerprint a coordinator compares.

It reads the public master key from the key file beside the device store, so it needs
neither the homeserver nor the pickle key; the README says where to compare it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.config import MatrixConfig
from bot.matrix.signing import KEY_FILE, fingerprint, published_master_key


def show_identity(config: MatrixConfig | None) -> int:
    if config is None:
        print("agbot: no [matrix] section in the configuration", file=sys.stderr)
        return 2
    path = Path(config.store_path) / KEY_FILE
    key = published_master_key(path)
    if key is None:
        print(
            f"agbot: no cross-signing identity in {path} yet; it is created when the bot "
            "starts (agbot run)",
            file=sys.stderr,
        )
        return 1
    print(f"Matrix account:  {config.user_id}")
    print(f"Master key:      {key}")
    print(f"Fingerprint:     {fingerprint(key)}")
    return 0
