"""Bearer keys: creation (secret shown once), lookup by hash, roles, the bootstrap admin key,
and :class:`KeyCache`, the short-lived in-process memory of verified keys."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict, Unauthorized

from .models import ApiKey

__all__ = [
    "ADMIN_KEYS_LOCK",
    "ROLES",
    "Caller",
    "KeyCache",
    "LastAdminKey",
    "authenticate",
    "create_key",
    "ensure_bootstrap_admin",
    "hash_key",
    "list_keys",
    "revoke_key",
]

ROLES = ("hospital", "agency", "admin", "work_injury")
_PREFIX = "os_"


@dataclass(frozen=True, slots=True)
class Caller:
    key_id: uuid.UUID
    role: str
    hospital_code: str | None


def hash_key(secret: str) -> str:
    """Keys are 256-bit random secrets, so one SHA-256 is enough (no password stretching)."""
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_key(
    session: AsyncSession,
    role: str,
    hospital_code: str | None,
    label: str | None = None,
    *,
    secret: str | None = None,
) -> tuple[ApiKey, str]:
    secret = secret or _PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        id=uuid.uuid4(),
        key_hash=hash_key(secret),
        prefix=secret[:8],
        role=role,
        hospital_code=hospital_code,
        label=label,
    )
    session.add(key)
    await session.flush()
    return key, secret


async def authenticate(session: AsyncSession, token: str | None) -> Caller:
    """The caller behind a bearer token (the part after ``Bearer``)."""
    if not token or not token.strip():
        raise Unauthorized("Send 'Authorization: Bearer <key>'.")
    row = (
        await session.execute(
            select(ApiKey.id, ApiKey.role, ApiKey.hospital_code).where(
                ApiKey.key_hash == hash_key(token.strip()), ApiKey.revoked_at.is_(None)
            )
        )
    ).first()
    if row is None:
        raise Unauthorized("Unknown or revoked key.")
    # Recorded at most once a minute per key, so a busy key does not contend on its row.
    await session.execute(
        text(
            "UPDATE api_keys SET last_used_at = now() WHERE id = :id"
            " AND (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')"
        ),
        {"id": row.id},
    )
    return Caller(key_id=row.id, role=row.role, hospital_code=row.hospital_code)


class KeyCache:
    """Keys verified in the last ``ttl_s`` seconds, by key hash, so a busy key is not looked up
    (and its ``last_used_at`` not considered) on every request.

    Only successful lookups are remembered: a new key works at once, an unknown one is looked up
    each time. A revocation made through this process forgets the key at once
    (:meth:`forget`); one made elsewhere (another worker or instance, the ``onestop keys``
    command) takes effect here within ``ttl_s``. ``ttl_s = 0`` turns the cache off.
    """

    MAX_ENTRIES = 10_000

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._entries: dict[str, tuple[Caller, float]] = {}

    def get(self, key_hash: str) -> Caller | None:
        entry = self._entries.get(key_hash)
        if entry is None:
            return None
        caller, expires_at = entry
        if self._clock() >= expires_at:
            self._entries.pop(key_hash, None)
            return None
        return caller

    def put(self, key_hash: str, caller: Caller) -> None:
        if self.ttl_s <= 0:
            return
        if len(self._entries) >= self.MAX_ENTRIES:
            self._entries.clear()
        self._entries[key_hash] = (caller, self._clock() + self.ttl_s)

    def forget(self, key_id: uuid.UUID) -> None:
        for key_hash in [h for h, (c, _) in self._entries.items() if c.key_id == key_id]:
            self._entries.pop(key_hash, None)


async def ensure_bootstrap_admin(session: AsyncSession, secret: str) -> bool:
    """Make ``secret`` an admin key if no admin key exists yet; True when it did."""
    exists = await session.scalar(
        select(ApiKey.id).where(ApiKey.role == "admin", ApiKey.revoked_at.is_(None)).limit(1)
    )
    if exists is not None:
        return False
    await create_key(session, "admin", None, "bootstrap admin key", secret=secret)
    return True


async def list_keys(session: AsyncSession) -> list[ApiKey]:
    return list(
        (await session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id))).all()
    )


ADMIN_KEYS_LOCK = (0x6F6E6573, 0x61646D6E)  # "ones", "admn"
"""The transaction-level advisory lock (two-int form: never the same as the one-bigint bill,
person-year and migration locks) that serializes revocations while they count admin keys."""


class LastAdminKey(Conflict):
    code = "last_admin_key"


async def revoke_key(session: AsyncSession, key_id: uuid.UUID) -> tuple[ApiKey | None, bool]:
    """Revoke a key; returns it and whether this call revoked it (a repeat changes nothing).

    The last active admin key is not revoked (:class:`LastAdminKey`, 409): nobody could manage
    keys and registries any more. Revocations take :data:`ADMIN_KEYS_LOCK` until the end of the
    transaction before they count, so two that revoke the last two admin keys at once run one
    after the other, and the second (under READ COMMITTED, counting after the first committed)
    is refused.
    """
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:a, :b)"),
        {"a": ADMIN_KEYS_LOCK[0], "b": ADMIN_KEYS_LOCK[1]},
    )
    active_admin = ApiKey.role == "admin", ApiKey.revoked_at.is_(None)
    target_is_active_admin = await session.scalar(
        select(func.count()).where(ApiKey.id == key_id, *active_admin)
    )
    if target_is_active_admin:
        others = await session.scalar(
            select(func.count()).where(ApiKey.id != key_id, *active_admin)
        )
        if not others:
            raise LastAdminKey(
                "This is the last active admin key: revoked, it would leave nobody able to "
                "manage keys and registries. Create another admin key first.",
                errors=[
                    {
                        "loc": ["path", "key_id"],
                        "msg": "the last active admin key",
                        "key": "last_admin_key",
                    }
                ],
            )
    result = await session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=func.now())
        .returning(ApiKey.id)
    )
    changed = result.first() is not None
    return await session.get(ApiKey, key_id, populate_existing=True), changed
