"""Canonical JSON, signatures and the key file of the cross-signing identity, checked against
Matrix's own reference code (``canonicaljson`` and ``signedjson``, which Synapse uses)."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
import signedjson.key
import signedjson.sign
from canonicaljson import encode_canonical_json
from hypothesis import given
from hypothesis import strategies as st

from bot.matrix.signing import (
    KEY_FILE,
    CrossSigningKeys,
    KeyFileError,
    canonical_json,
    decode_base64,
    fingerprint,
    published_master_key,
    verify_json,
)

USER = "@agbot:example.org"

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(_json)
def test_canonical_json_is_the_reference_encoding(value: Any) -> None:
    assert canonical_json(value) == encode_canonical_json(value)


def test_canonical_json_keeps_non_ascii_and_sorts_keys() -> None:
    assert canonical_json({"b": "Straße ✅", "a": [1, {"d": None, "c": True}]}) == (
        '{"a":[1,{"c":true,"d":null}],"b":"Straße ✅"}'.encode()
    )


def _verify_key(public: str) -> signedjson.key.VerifyKey:
    key = signedjson.key.decode_verify_key_bytes(f"ed25519:{public}", decode_base64(public))
    return key


def test_the_uploaded_keys_form_a_chain_signedjson_accepts() -> None:
    keys = CrossSigningKeys.generate(USER)
    body = keys.upload_body()
    master = body["master_key"]
    (master_public,) = master["keys"].values()
    assert master["usage"] == ["master"] and master["user_id"] == USER
    for name, usage in (("self_signing_key", "self_signing"), ("user_signing_key", "user_signing")):
        sub = body[name]
        assert sub["usage"] == [usage]
        # Raises SignatureVerifyException if the master's signature is wrong.
        signedjson.sign.verify_signed_json(sub, USER, _verify_key(master_public))
    device = {
        "user_id": USER,
        "device_id": "ABCDEF",
        "algorithms": ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
        "keys": {"curve25519:ABCDEF": "x" * 43, "ed25519:ABCDEF": "y" * 43},
        "signatures": {USER: {"ed25519:ABCDEF": "the device's own signature"}},
        "unsigned": {"device_display_name": "AG-Bot"},
    }
    signed = keys.sign_device(device)
    assert signed["signatures"][USER]["ed25519:ABCDEF"] == "the device's own signature"
    assert "unsigned" not in signed
    (ssk_public,) = body["self_signing_key"]["keys"].values()
    signedjson.sign.verify_signed_json(signed, USER, _verify_key(ssk_public))
    assert keys.device_is_signed(signed)
    assert not keys.device_is_signed(device)
    # Display names live in "unsigned": renaming the device keeps the signature valid.
    assert keys.device_is_signed({**signed, "unsigned": {"device_display_name": "neu"}})


def test_a_changed_object_no_longer_verifies() -> None:
    keys = CrossSigningKeys.generate(USER)
    sub = keys.upload_body()["self_signing_key"]
    assert verify_json(sub, USER, keys.master_public)
    assert not verify_json({**sub, "usage": ["master"]}, USER, keys.master_public)
    assert not verify_json(sub, "@other:example.org", keys.master_public)
    other = CrossSigningKeys.generate(USER)
    assert not verify_json(sub, USER, other.master_public)


def test_the_key_file_is_encrypted_private_and_reused(tmp_path: Path) -> None:
    keys = CrossSigningKeys.generate(USER)
    path = tmp_path / KEY_FILE
    keys.save(path, "a-long-random-string")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    for seed in keys._seeds().values():
        assert seed not in text  # no private key in the clear
    assert published_master_key(path) == keys.master_public
    loaded = CrossSigningKeys.load(path, USER, "a-long-random-string")
    assert loaded is not None
    assert loaded.master_public == keys.master_public
    assert loaded._seeds() == keys._seeds()
    assert CrossSigningKeys.load(tmp_path / "missing.json", USER, "x") is None


def test_the_key_file_does_not_open_with_another_pickle_key_or_account(tmp_path: Path) -> None:
    path = tmp_path / KEY_FILE
    CrossSigningKeys.generate(USER).save(path, "right")
    with pytest.raises(KeyFileError, match="pickle_key"):
        CrossSigningKeys.load(path, USER, "wrong")
    with pytest.raises(KeyFileError, match="pickle_key"):
        CrossSigningKeys.load(path, "@someone-else:example.org", "right")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["ciphertext"] = document["ciphertext"][:-4] + "AAAA"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(KeyFileError):
        CrossSigningKeys.load(path, USER, "right")
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(KeyFileError, match="not readable"):
        CrossSigningKeys.load(path, USER, "right")


def test_an_empty_pickle_key_still_encrypts(tmp_path: Path) -> None:
    keys = CrossSigningKeys.generate(USER)
    path = tmp_path / KEY_FILE
    keys.save(path, "")
    loaded = CrossSigningKeys.load(path, USER, "")
    assert loaded is not None and loaded.master_public == keys.master_public


def test_the_fingerprint_groups_the_key_by_four() -> None:
    assert fingerprint("abcdefghij") == "abcd efgh ij"
