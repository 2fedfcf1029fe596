"""Matrix key material without the network: canonical JSON, ed25519 signatures, the key file.

The cross-signing identity (``bot/matrix/cross_signing.py``) consists of three ed25519 key
pairs: the *master* key (the identity that others may verify), the *self-signing* key
(signs the bot's own devices) and the *user-signing* key (signs other users' master keys;
the bot never uses it, but clients expect all three). The specification signs JSON objects
by removing ``signatures`` and ``unsigned``, encoding the rest as canonical JSON (sorted
keys, no insignificant whitespace, UTF-8, no escapes for non-ASCII) and signing those bytes;
keys and signatures are written in unpadded standard base64.

The private keys are kept in one file beside nio's device store, encrypted with AES-256-GCM
under a key derived from the configured ``pickle_key`` with scrypt (so a short passphrase is
not cheap to guess), bound to the user id, and readable only by the bot (0600).

``cryptography`` (pyca) does the ed25519 and AES work: vodozemac, which nio uses for Olm,
exposes no ed25519 signing key of its own to Python.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

KEY_FILE = "cross-signing.json"
# nio's own default when no pickle_key is configured: the same protection as its store.
DEFAULT_PICKLE_KEY = "DEFAULT_KEY"
_FILE_VERSION = 1
_SCRYPT_N = 2**15


class KeyFileError(Exception):
    """The key file exists but cannot be read: wrong pickle_key, damaged or foreign."""


def canonical_json(value: Any) -> bytes:
    """The specification's canonical JSON: sorted keys, compact, UTF-8 without escapes."""
    return json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False
    ).encode("utf-8")


def encode_base64(data: bytes) -> str:
    """Unpadded standard base64, as Matrix writes keys and signatures."""
    return base64.b64encode(data).decode("ascii").rstrip("=")


def decode_base64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def public_key(private: Ed25519PrivateKey) -> str:
    """The public half in Matrix notation (unpadded base64 of the 32 raw bytes)."""
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return encode_base64(raw)


def _signable(value: dict[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in value.items() if k not in ("signatures", "unsigned")})


def sign_json(value: dict[str, Any], user_id: str, private: Ed25519PrivateKey) -> dict[str, Any]:
    """A copy of ``value`` with the signature of ``private`` added (earlier ones kept)."""
    signature = encode_base64(private.sign(_signable(value)))
    signatures = {user: dict(keys) for user, keys in value.get("signatures", {}).items()}
    signatures.setdefault(user_id, {})[f"ed25519:{public_key(private)}"] = signature
    return {**value, "signatures": signatures}


def verify_json(value: dict[str, Any], user_id: str, key: str) -> bool:
    """Whether ``value`` carries a valid signature of the ed25519 public ``key`` by ``user_id``."""
    signature = value.get("signatures", {}).get(user_id, {}).get(f"ed25519:{key}")
    if not isinstance(signature, str):
        return False
    try:
        verifier = Ed25519PublicKey.from_public_bytes(decode_base64(key))
        verifier.verify(decode_base64(signature), _signable(value))
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(key: str) -> str:
    """A public key in groups of four characters, easier to compare aloud."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@dataclass(frozen=True)
class CrossSigningKeys:
    """The three private keys of one account's cross-signing identity."""

    user_id: str
    master: Ed25519PrivateKey
    self_signing: Ed25519PrivateKey
    user_signing: Ed25519PrivateKey

    @classmethod
    def generate(cls, user_id: str) -> CrossSigningKeys:
        return cls(
            user_id,
            Ed25519PrivateKey.generate(),
            Ed25519PrivateKey.generate(),
            Ed25519PrivateKey.generate(),
        )

    @property
    def master_public(self) -> str:
        return public_key(self.master)

    @property
    def self_signing_public(self) -> str:
        return public_key(self.self_signing)

    def _public(self, private: Ed25519PrivateKey, usage: str) -> dict[str, Any]:
        key = public_key(private)
        return {"user_id": self.user_id, "usage": [usage], "keys": {f"ed25519:{key}": key}}

    def upload_body(self) -> dict[str, Any]:
        """The body of ``/keys/device_signing/upload``: the sub-keys signed by the master."""
        return {
            "master_key": self._public(self.master, "master"),
            "self_signing_key": sign_json(
                self._public(self.self_signing, "self_signing"), self.user_id, self.master
            ),
            "user_signing_key": sign_json(
                self._public(self.user_signing, "user_signing"), self.user_id, self.master
            ),
        }

    def sign_device(self, device_keys: dict[str, Any]) -> dict[str, Any]:
        """The device's key object (as ``/keys/query`` gives it) signed by the self-signing key."""
        unsigned = {k: v for k, v in device_keys.items() if k != "unsigned"}
        return sign_json(unsigned, self.user_id, self.self_signing)

    def device_is_signed(self, device_keys: dict[str, Any]) -> bool:
        return verify_json(device_keys, self.user_id, self.self_signing_public)

    def matches(self, published_master: dict[str, Any] | None) -> bool:
        """Whether the homeserver's master key for the account is this identity's."""
        if not published_master:
            return False
        keys = published_master.get("keys", {})
        return isinstance(keys, dict) and self.master_public in keys.values()

    # --- the key file ---------------------------------------------------------------------

    def _seeds(self) -> dict[str, str]:
        def seed(private: Ed25519PrivateKey) -> str:
            raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            return encode_base64(raw)

        return {
            "master": seed(self.master),
            "self_signing": seed(self.self_signing),
            "user_signing": seed(self.user_signing),
        }

    def save(self, path: Path, pickle_key: str) -> None:
        """Write the keys encrypted, 0600, atomically (a crash leaves the old file or the new)."""
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        plain = canonical_json({"user_id": self.user_id, **self._seeds()})
        sealed = AESGCM(_file_key(pickle_key, salt)).encrypt(
            nonce, plain, self.user_id.encode("utf-8")
        )
        document = {
            "version": _FILE_VERSION,
            "kdf": {"name": "scrypt", "n": _SCRYPT_N, "r": 8, "p": 1, "salt": encode_base64(salt)},
            "nonce": encode_base64(nonce),
            "ciphertext": encode_base64(sealed),
            # Public, for `agbot matrix identity` without the pickle key and for people.
            "master_key": self.master_public,
        }
        partial = path.with_name(path.name + ".new")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path, user_id: str, pickle_key: str) -> CrossSigningKeys | None:
        """The keys from ``path``; None when there is no file. Raises KeyFileError."""
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise KeyFileError(f"{path} is not readable: {error}") from error
        try:
            if document["version"] != _FILE_VERSION:
                raise KeyFileError(f"{path} has the unknown version {document['version']}")
            kdf = document["kdf"]
            key = _file_key(pickle_key, decode_base64(kdf["salt"]), int(kdf["n"]))
            plain = AESGCM(key).decrypt(
                decode_base64(document["nonce"]),
                decode_base64(document["ciphertext"]),
                user_id.encode("utf-8"),
            )
            seeds = json.loads(plain)
            return cls(
                user_id,
                *(
                    Ed25519PrivateKey.from_private_bytes(decode_base64(seeds[name]))
                    for name in ("master", "self_signing", "user_signing")
                ),
            )
        except InvalidTag as error:
            raise KeyFileError(
                f"{path} does not open with this pickle_key (or belongs to another account)"
            ) from error
        except (KeyError, TypeError, ValueError) as error:
            raise KeyFileError(f"{path} is damaged: {error!r}") from error


def published_master_key(path: Path) -> str | None:
    """The public master key recorded in the key file (no pickle key needed)."""
    try:
        key = json.loads(path.read_text(encoding="utf-8")).get("master_key")
    except (OSError, ValueError, AttributeError):
        return None
    return key if isinstance(key, str) else None


def _file_key(pickle_key: str, salt: bytes, n: int = _SCRYPT_N) -> bytes:
    secret = (pickle_key or DEFAULT_PICKLE_KEY).encode("utf-8")
    return Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(secret)
