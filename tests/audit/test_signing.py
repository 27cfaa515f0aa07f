"""The tree heads' signing key from ``ONESTOP_AUDIT_SIGNING_KEY`` and the signed message."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.audit import signing


def test_a_seed_and_a_pem_name_the_same_key_and_nonsense_is_refused() -> None:
    seed = bytes(range(32))
    key = Ed25519PrivateKey.from_private_bytes(seed)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = signing.public_bytes(key.public_key())
    for value in (base64.b64encode(seed).decode(), pem, f"  {pem}\n"):
        assert signing.public_bytes(signing.load_private_key(value).public_key()) == public
    for bad in ("not base64!", base64.b64encode(b"short").decode(), "-----BEGIN nonsense"):
        with pytest.raises(ValueError):
            signing.load_private_key(bad)
    # Unset: a fresh key each time.
    a, b = signing.load_private_key(None), signing.load_private_key("")
    assert signing.public_bytes(a.public_key()) != signing.public_bytes(b.public_key())


def test_the_signed_message_and_its_verification() -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    at = dt.datetime(2026, 12, 2, 4, 0, 0, 123000, tzinfo=dt.UTC)
    root = bytes.fromhex("ab" * 32)
    # 2026-12-02T04:00:00.123Z = 1796184000.123 s since 1970 (date -d @1796184000 -u).
    assert signing.head_message(5, root, at) == (
        b"onestop-audit-tree-head-v1\n5\n" + b"ab" * 32 + b"\n1796184000123\n"
    )
    public = signing.public_bytes(key.public_key())
    signature = key.sign(signing.head_message(5, root, at))
    assert signing.verify_head(public, 5, root, at, signature)
    assert not signing.verify_head(public, 6, root, at, signature)
    assert not signing.verify_head(public, 5, bytes(32), at, signature)
    assert not signing.verify_head(public, 5, root, at + dt.timedelta(milliseconds=1), signature)
    assert not signing.verify_head(public, 5, root, at, bytes(64))
    assert signing.key_id(public) == hashlib.sha256(public).hexdigest()
