"""Engine, sessionmaker and the per-request session dependency.

One request, one transaction, one commit, *before* the response is sent
-----------------------------------------------------------------------
:func:`get_session` is a yield dependency declared with ``Depends(..., scope="function")``
(FastAPI >= 0.121). FastAPI closes function-scoped dependencies right after the endpoint returned
and its response was serialized, but before a single byte is sent; the default ``"request"``
scope would run our exit code after the response went out. So:

- the endpoint returns -> we commit -> the response is sent;
- the commit fails -> :class:`CommitFailed` (503 ``commit_failed`` problem+json) replaces the
  response, so the client never sees a 201 for rows that were not stored;
- the endpoint raises -> the exception passes through ``yield`` and the session rolls back;
- the commit is not confirmed replicated (under synchronous replication, a cancelled wait for the
  standby): :class:`~app.db.durability.CommitUnconfirmed` (503 ``commit_unconfirmed``). A write
  request's commit (POST, PUT, PATCH, DELETE) is preceded by the durability barrier, so even a
  replay that wrote nothing answers only once a standby has the row it returns
  (:mod:`app.db.durability`).

Services and repositories only ``flush()``; nothing but this dependency commits.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.config import Settings
from app.db.durability import WRITE_METHODS, commit, watch_commits
from app.errors import (
    DATABASE_RETRY_AFTER_S,
    ServiceUnavailable,
    is_invalid_character,
    mark_read_only,
)

__all__ = [
    "CommitFailed",
    "ReadSessionDep",
    "SessionDep",
    "get_read_session",
    "get_session",
    "make_engine",
    "make_sessionmaker",
]

logger = logging.getLogger(__name__)


class CommitFailed(ServiceUnavailable):
    code = "commit_failed"
    title = "Commit Failed"
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_S)}  # noqa: RUF012 - read-only default


def make_engine(url: str, settings: Settings) -> AsyncEngine:
    timeout_ms = settings.db_statement_timeout_ms
    engine = create_async_engine(
        url,
        # No pre-ping: with asyncpg it is three round trips (BEGIN, a query, ROLLBACK) on every
        # checkout, a quarter of a settlement's. _drop_closed below does the same job for free.
        pool_pre_ping=False,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        connect_args={
            "server_settings": {
                "statement_timeout": str(timeout_ms),
                "application_name": "onestop",
            },
            # Client-side guard a little beyond the server's own limit; 0 disables both.
            "command_timeout": timeout_ms / 1000 + 5 if timeout_ms else None,
            "timeout": settings.db_connect_timeout_s,
        },
    )
    event.listen(engine.sync_engine, "checkout", _drop_closed)
    watch_commits(engine)  # a warning at COMMIT (a cancelled sync-rep wait) is not a success
    return engine


def _drop_closed(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """Hand out no pooled connection the server has closed (a restart, a failover, an idle
    timeout, ``pg_terminate_backend``): asyncpg notices the closed socket as soon as the event
    loop reads it, so asking costs no round trip. SQLAlchemy then discards this one and checks
    out another (a new one if need be). A connection that dies silently (a cut network, no
    FIN) shows only when used: its client-side timeout answers 503 and the pool drops it.
    """
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("connection closed by the server")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        yield session
        try:
            await commit(session, barrier=request.method in WRITE_METHODS)
        except (SQLAlchemyError, OSError) as exc:  # OSError: the connection died mid-commit
            if is_invalid_character(exc):  # refused for sure, and the request's fault: 422
                raise
            logger.warning("commit failed on %s %s", request.method, request.url.path, exc_info=exc)
            raise CommitFailed(
                "The transaction could not be committed. Retry the request, or look the record "
                "up before acting on the earlier answer."
            ) from exc


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    mark_read_only(request)  # a statement timeout here is 503 query_timeout (app.errors)
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.read_sessionmaker
    async with sessionmaker() as session:
        yield session  # closing rolls back: read-only by construction


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
"""The request's read-write session; committed once before the response is sent."""

ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session, scope="function")]
"""A read-only session on ``DATABASE_READ_URL`` when set, else on the primary."""
