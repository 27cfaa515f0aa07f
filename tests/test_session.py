"""The request commits once, before the response is sent; a failed commit is an error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from app.db.session import SessionDep
from app.errors import Conflict
from app.main import create_app


@pytest.fixture
async def probe_app(fresh_database_url: str) -> AsyncIterator[FastAPI]:
    app = create_app(database_url=fresh_database_url)

    @app.post("/probe/{value}", status_code=201)
    async def write(value: int, session: SessionDep, twice: bool = False, fail: bool = False):
        await session.execute(text("INSERT INTO probes VALUES (:v)"), {"v": value})
        if twice:  # a deferred unique constraint only fails at COMMIT
            await session.execute(text("INSERT INTO probes VALUES (:v)"), {"v": value})
        if fail:
            raise Conflict("refused after writing")
        return {"value": value}

    @app.get("/probe")
    async def read(session: SessionDep) -> list[int]:
        return list((await session.scalars(text("SELECT v FROM probes ORDER BY v"))).all())

    async with app.router.lifespan_context(app):
        async with app.state.engine.begin() as conn:
            await conn.execute(
                text("CREATE TABLE probes (v int UNIQUE DEFERRABLE INITIALLY DEFERRED)")
            )
        yield app


@pytest.fixture
async def client(probe_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=probe_app), base_url="http://test") as c:
        yield c


async def test_commit_before_response(client: AsyncClient) -> None:
    assert (await client.post("/probe/1")).status_code == 201
    assert (await client.get("/probe")).json() == [1]


async def test_failed_commit_is_an_error_not_a_201(client: AsyncClient) -> None:
    response = await client.post("/probe/2", params={"twice": True})
    assert response.status_code == 503
    assert response.json()["code"] == "commit_failed"
    assert (await client.get("/probe")).json() == []


async def test_error_rolls_back(client: AsyncClient) -> None:
    response = await client.post("/probe/3", params={"fail": True})
    assert response.status_code == 409
    assert (await client.get("/probe")).json() == []


async def test_connections_the_server_closed_are_never_handed_out(
    probe_app: FastAPI, client: AsyncClient, fresh_database_url: str
) -> None:
    """A restart, failover or ``pg_terminate_backend`` closes pooled connections; the pool must
    replace them without failing a request (app.db.session._drop_closed, no pre-ping)."""
    pooled: list[Any] = []  # every connection the pool took back
    # A checkin of a connection the pool has already discarded passes None: nothing to watch.
    event.listen(
        probe_app.state.engine.sync_engine,
        "checkin",
        lambda conn, _: pooled.append(conn) if conn is not None else None,
    )
    await asyncio.gather(*(client.get("/probe") for _ in range(6)))  # several pooled connections
    dsn = make_url(fresh_database_url).set(drivername="postgresql")
    admin = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    try:
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()
    assert killed >= 2
    await _until_closed_here(pooled)  # the server's FIN has reached this event loop
    first = await client.get("/probe")
    answers = [first, *await asyncio.gather(*(client.get("/probe") for _ in range(6)))]
    assert [a.status_code for a in answers] == [200] * 7, [a.text for a in answers]


async def _until_closed_here(connections: list[Any]) -> None:
    """Wait (10 s at most) until asyncpg has seen every one of ``connections`` closed: what
    the pool checks on checkout. A condition, not a guess at how long the FIN takes."""
    async with asyncio.timeout(10):
        while not all(conn.driver_connection.is_closed() for conn in connections):
            await asyncio.sleep(0.01)
