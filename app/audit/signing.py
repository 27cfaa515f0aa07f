"""The Ed25519 key that signs the audit log's tree heads, and what exactly is signed.

The key comes from ``ONESTOP_AUDIT_SIGNING_KEY`` (PEM PKCS#8, or the base64 of the 32-byte
seed). When it is unset (development, tests) each process makes its own key at start-up and
keeps it in memory only: its heads verify (every head names the public key that signed it,
stored in ``audit_signing_keys``) but nobody outside can have anchored that key, so production
must set one. The private key is never logged, stored or returned.

A head's signed message is the ASCII text::

    onestop-audit-tree-head-v1
    <tree_size>
    <root hash, 64 lowercase hex digits>
    <signed_at, integer milliseconds since 1970-01-01T00:00:00Z>

each line ending in ``\\n``: simple to rebuild in any language from the JSON of ``/v1/audit/head``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "head_message",
    "key_id",
    "load_private_key",
    "public_bytes",
    "verify_head",
]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def load_private_key(value: str | None) -> Ed25519PrivateKey:
    """The key the setting names; a fresh one when it is unset."""
    if value is None or not value.strip():
        return Ed25519PrivateKey.generate()
    text = value.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("ONESTOP_AUDIT_SIGNING_KEY is not an Ed25519 private key")
        return key
    try:
        seed = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError("ONESTOP_AUDIT_SIGNING_KEY is neither PEM nor base64") from None
    if len(seed) != 32:
        raise ValueError("ONESTOP_AUDIT_SIGNING_KEY: an Ed25519 seed is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: bytes) -> str:
    """Hex SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(public).hexdigest()


def millis(at: dt.datetime) -> int:
    return (at - _EPOCH) // dt.timedelta(milliseconds=1)


def head_message(tree_size: int, root: bytes, signed_at: dt.datetime) -> bytes:
    return f"onestop-audit-tree-head-v1\n{tree_size}\n{root.hex()}\n{millis(signed_at)}\n".encode()


def verify_head(
    public: bytes, tree_size: int, root: bytes, signed_at: dt.datetime, signature: bytes
) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(
            signature, head_message(tree_size, root, signed_at)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
