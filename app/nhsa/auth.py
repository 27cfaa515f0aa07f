"""Who calls the national interface: the hospital's API key as a bearer token, or the
``x-tif-*`` gateway headers HIS code already sends (docs/nhsa.md "Authentication").

The ``x-tif-signature`` is ``sha256_hex(timestamp + secret + nonce + timestamp)``. The server
stores no API key, only its SHA-256 (``api_keys.key_hash``), so it cannot check a signature made
with the key itself. The signing secret (the platform's "paasToken") is therefore the key's
SHA-256 in lowercase hex, which the HIS computes once from its key (``sha256_hex(key)``) and
configures as its paasToken, and which the server already holds. The trade-off, written down in
docs/nhsa.md: whoever can read ``api_keys`` can sign ``x-tif`` requests (never bearer ones).

``x-tif-paasid`` names the key: its id (the UUID ``onestop keys`` prints), or its visible prefix
when exactly one active key has that prefix. Every failure to authenticate is 401 problem+json,
as on ``/v1``: an unauthenticated caller is not answered with an envelope. Neither the key nor
the signature is ever logged (only the request line is: ``app.middleware``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
import uuid

from fastapi import Request
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.models import ApiKey
from app.auth.service import Caller, KeyCache, authenticate, hash_key
from app.errors import Unauthorized

__all__ = ["NONCE_TTL_S", "TIMESTAMP_SKEW_S", "fsi_caller", "tif_signature"]

TIMESTAMP_SKEW_S = 300
"""``x-tif-timestamp`` within this many seconds of the server clock (NHSA.md)."""
NONCE_TTL_S = 600
"""An ``x-tif-nonce`` is refused again for this long (NHSA.md: 10 minutes)."""

_NONCE = re.compile(r"[0-9A-Za-z_-]{6,64}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_TIF_HEADERS = ("x-tif-paasid", "x-tif-timestamp", "x-tif-nonce", "x-tif-signature")

_CLAIM_NONCE = text(
    "INSERT INTO nhsa_nonces (key_id, nonce, expires_at)"
    " VALUES (:key_id, :nonce, now() + make_interval(secs => :ttl))"
    " ON CONFLICT (key_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at"
    " WHERE nhsa_nonces.expires_at <= now() RETURNING 1"
)
_FORGET_EXPIRED = text(
    "DELETE FROM nhsa_nonces WHERE ctid = ANY (ARRAY("
    "SELECT ctid FROM nhsa_nonces WHERE expires_at <= now() LIMIT 100))"
)
_TOUCH = text(
    "UPDATE api_keys SET last_used_at = now() WHERE id = :id"
    " AND (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')"
)


def tif_signature(timestamp: str, secret: str, nonce: str) -> str:
    """What the HIS sends as ``x-tif-signature``; ``secret`` is ``sha256_hex(api key)``."""
    return hashlib.sha256((timestamp + secret + nonce + timestamp).encode()).hexdigest()


def _refuse(detail: str, header: str) -> Unauthorized:
    return Unauthorized(detail, errors=[{"loc": ["header", header], "msg": detail}])


async def fsi_caller(request: Request) -> Caller:
    """The caller, authenticated in short transactions of their own (never holding locks in the
    request's); :class:`~app.errors.Unauthorized` (401) when nothing verifies."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    authorization = request.headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _refuse(
                "Send 'Authorization: Bearer <key>' or the x-tif-* headers.", "authorization"
            )
        return await _bearer(request, sessionmaker, token.strip())
    if any(name in request.headers for name in _TIF_HEADERS):
        return await _tif(request, sessionmaker)
    raise Unauthorized(
        "No credential: send 'Authorization: Bearer <key>' or the x-tif-paasid, "
        "x-tif-timestamp, x-tif-nonce and x-tif-signature headers."
    )


async def _bearer(
    request: Request, sessionmaker: async_sessionmaker[AsyncSession], token: str
) -> Caller:
    cache: KeyCache | None = getattr(request.app.state, "key_cache", None)
    key_hash = hash_key(token)
    if cache is not None and (hit := cache.get(key_hash)) is not None:
        return hit
    async with sessionmaker() as session, session.begin():
        caller = await authenticate(session, token)
    if cache is not None:
        cache.put(key_hash, caller)
    return caller


async def _tif(request: Request, sessionmaker: async_sessionmaker[AsyncSession]) -> Caller:
    values = {name: request.headers.get(name, "") for name in _TIF_HEADERS}
    for name, value in values.items():
        if not value:
            raise _refuse(f"{name} is missing: all four x-tif-* headers are needed.", name)
    paasid, timestamp, nonce = (
        values["x-tif-paasid"],
        values["x-tif-timestamp"],
        values["x-tif-nonce"],
    )
    if not _TIMESTAMP.fullmatch(timestamp):
        raise _refuse("x-tif-timestamp must be Unix seconds in ASCII digits.", "x-tif-timestamp")
    if abs(int(timestamp) - time.time()) > TIMESTAMP_SKEW_S:
        raise _refuse(
            f"x-tif-timestamp is more than {TIMESTAMP_SKEW_S} s from the server clock.",
            "x-tif-timestamp",
        )
    if not _NONCE.fullmatch(nonce):
        raise _refuse("x-tif-nonce must be 6 to 64 of A-Z a-z 0-9 _ -.", "x-tif-nonce")
    async with sessionmaker() as session, session.begin():
        key = await _key_of(session, paasid)
        expected = tif_signature(timestamp, key.key_hash, nonce) if key is not None else ""
        # Compared in constant time, and the same refusal for an unknown paasid and a wrong
        # signature: the answer does not say which keys exist.
        if key is None or not hmac.compare_digest(
            expected.encode(), values["x-tif-signature"].encode()
        ):
            raise _refuse("The x-tif-signature does not verify.", "x-tif-signature")
        await session.execute(_FORGET_EXPIRED)
        claimed = await session.scalar(
            _CLAIM_NONCE, {"key_id": key.id, "nonce": nonce, "ttl": NONCE_TTL_S}
        )
        if claimed is None:
            raise _refuse(
                f"x-tif-nonce was used in the last {NONCE_TTL_S // 60} minutes.", "x-tif-nonce"
            )
        await session.execute(_TOUCH, {"id": key.id})
        return Caller(key_id=key.id, role=key.role, hospital_code=key.hospital_code)


async def _key_of(session: AsyncSession, paasid: str) -> ApiKey | None:
    active = ApiKey.revoked_at.is_(None)
    try:
        key_id = uuid.UUID(paasid)
    except ValueError:
        keys = (
            await session.scalars(select(ApiKey).where(ApiKey.prefix == paasid, active).limit(2))
        ).all()
        return keys[0] if len(keys) == 1 else None
    return await session.scalar(select(ApiKey).where(ApiKey.id == key_id, active))
