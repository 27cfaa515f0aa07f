"""Server-side web sessions: create at sign-in, look up per page, delete at sign-out.

Like every service here these functions only flush; the caller's transaction commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import ApiKey
from app.auth.service import Caller

from .models import UiSession

__all__ = ["ActiveSession", "create_session", "delete_session", "find_session", "token_hash"]


@dataclass(frozen=True, slots=True)
class ActiveSession:
    """A live session: who it is for, and the token its forms must carry."""

    caller: Caller
    csrf_token: str
    expires_at: dt.datetime


def token_hash(token: str) -> str:
    """A session token is 256 random bits, so one SHA-256 is enough (as for API keys)."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_session(session: AsyncSession, caller: Caller, minutes: int) -> tuple[str, str]:
    """A new session for ``caller``; returns ``(cookie token, csrf token)``. The cookie token is
    stored only as its hash. Expired sessions of the same key are removed on the way."""
    await session.execute(
        delete(UiSession).where(
            UiSession.key_id == caller.key_id, UiSession.expires_at <= func.now()
        )
    )
    token = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    session.add(
        UiSession(
            id=token_hash(token),
            key_id=caller.key_id,
            csrf_token=csrf_token,
            expires_at=func.now() + dt.timedelta(minutes=minutes),
        )
    )
    await session.flush()
    return token, csrf_token


async def find_session(session: AsyncSession, token: str) -> ActiveSession | None:
    """The session behind a cookie token, if it has not expired and its key is not revoked."""
    row = (
        await session.execute(
            select(
                ApiKey.id,
                ApiKey.role,
                ApiKey.hospital_code,
                UiSession.csrf_token,
                UiSession.expires_at,
            )
            .join(ApiKey, ApiKey.id == UiSession.key_id)
            .where(
                UiSession.id == token_hash(token),
                UiSession.expires_at > func.now(),
                ApiKey.revoked_at.is_(None),
            )
        )
    ).first()
    if row is None:
        return None
    return ActiveSession(
        caller=Caller(key_id=row.id, role=row.role, hospital_code=row.hospital_code),
        csrf_token=row.csrf_token,
        expires_at=row.expires_at,
    )


async def delete_session(session: AsyncSession, token: str) -> None:
    await session.execute(delete(UiSession).where(UiSession.id == token_hash(token)))
