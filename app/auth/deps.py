"""FastAPI dependencies: who is calling, and may they."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.errors import Forbidden

from .service import Caller, KeyCache, authenticate, hash_key

__all__ = [
    "AdminCaller",
    "AnyCaller",
    "HospitalCaller",
    "ReaderCaller",
    "check_hospital",
    "forget_key",
    "require",
    "verify_key",
]


# auto_error=False: a missing or non-bearer header reaches authenticate(), which answers with
# our 401 problem+json; the scheme also documents bearer auth in OpenAPI for generated clients.
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer <key>`")


async def _caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    return await verify_key(request, credentials.credentials if credentials else None)


async def verify_key(request: Request, token: str | None) -> Caller:
    """The caller behind an API key, through this process's :class:`KeyCache`: what ``/v1``
    does with a bearer header, and the web pages with a bearer header or a sign-in form.
    Raises :class:`~app.errors.Unauthorized` for a missing, unknown or revoked key."""
    token = token.strip() if token else None
    cache: KeyCache | None = getattr(request.app.state, "key_cache", None)
    key_hash = hash_key(token) if token and cache is not None else None
    if key_hash is not None and cache is not None and (hit := cache.get(key_hash)) is not None:
        return hit
    # Its own short transaction: authentication must not hold locks in the request's transaction.
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session, session.begin():
        caller = await authenticate(session, token)
    if key_hash is not None and cache is not None:
        cache.put(key_hash, caller)
    return caller


def forget_key(request: Request, key_id: uuid.UUID) -> None:
    """Drop a revoked key from this process's cache of verified keys."""
    cache: KeyCache | None = getattr(request.app.state, "key_cache", None)
    if cache is not None:
        cache.forget(key_id)


def require(*roles: str) -> Callable[..., Awaitable[Caller]]:
    async def dependency(caller: Annotated[Caller, Depends(_caller)]) -> Caller:
        if caller.role not in roles:
            raise Forbidden(
                f"This needs one of the roles {', '.join(roles)}; the key is {caller.role}."
            )
        return caller

    return dependency


def check_hospital(caller: Caller, hospital_code: str) -> None:
    """A hospital key acts only for its own hospital."""
    if caller.role == "hospital" and caller.hospital_code != hospital_code:
        raise Forbidden(
            "This key belongs to another hospital.",
            errors=[
                {
                    "loc": ["body", "hospital_code"],
                    "msg": "not the key's hospital",
                    "key": "not_keys_hospital",
                }
            ],
        )


AnyCaller = Annotated[Caller, Depends(require("hospital", "agency", "admin"))]
HospitalCaller = Annotated[Caller, Depends(require("hospital"))]
ReaderCaller = Annotated[Caller, Depends(require("hospital", "agency", "admin"))]
AdminCaller = Annotated[Caller, Depends(require("admin"))]
