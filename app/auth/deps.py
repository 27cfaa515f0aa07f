"""FastAPI dependencies: who is calling, and may they."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.errors import Forbidden

from .service import Caller, authenticate

__all__ = [
    "AdminCaller",
    "AnyCaller",
    "HospitalCaller",
    "ReaderCaller",
    "check_hospital",
    "require",
]


# auto_error=False: a missing or non-bearer header reaches authenticate(), which answers with
# our 401 problem+json; the scheme also documents bearer auth in OpenAPI for generated clients.
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer <key>`")


async def _caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    # Its own short transaction: authentication must not hold locks in the request's transaction.
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session, session.begin():
        return await authenticate(session, credentials.credentials if credentials else None)


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
            errors=[{"loc": ["body", "hospital_code"], "msg": "not the key's hospital"}],
        )


AnyCaller = Annotated[Caller, Depends(require("hospital", "agency", "admin"))]
HospitalCaller = Annotated[Caller, Depends(require("hospital"))]
ReaderCaller = Annotated[Caller, Depends(require("hospital", "agency", "admin"))]
AdminCaller = Annotated[Caller, Depends(require("admin"))]
