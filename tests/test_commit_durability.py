"""The commit path's durability checks (app/db/durability.py), in process on the shared test
database, where no synchronous standby is configured (tests/faults/test_sync_commit.py runs a
server of its own that has one named and never answering):

- a WARNING that arrives during COMMIT (what PostgreSQL sends when a sync-rep wait is cancelled)
  turns the answer into 503 ``commit_unconfirmed``, although the row is committed; the listener
  runs before ``get_session`` looks (asyncpg's ``call_soon`` ordering, no sleep);
- a write request sends the barrier before COMMIT, a GET does not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from prometheus_client import REGISTRY
from sqlalchemy import event, text

from app.db.durability import BARRIER, is_warning
from app.db.session import SessionDep
from app.main import create_app

WARN_AT_COMMIT = (
    "CREATE TABLE warned (v int)",
    "CREATE FUNCTION warn_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE WARNING 'probe: a warning at commit'; RETURN NULL; END $$",
    "CREATE CONSTRAINT TRIGGER warn_at_commit AFTER INSERT ON warned "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION warn_at_commit()",
)


@pytest.fixture
async def probe(fresh_database_url: str) -> AsyncIterator[tuple[FastAPI, list[str]]]:
    app = create_app(database_url=fresh_database_url)

    @app.post("/warned/{value}", status_code=201)
    async def write_warned(value: int, session: SessionDep) -> dict[str, int]:
        await session.execute(text("INSERT INTO warned VALUES (:v)"), {"v": value})
        return {"value": value}

    @app.post("/nothing", status_code=200)
    async def write_nothing(session: SessionDep) -> list[int]:  # a replay: reads, writes nothing
        return list((await session.scalars(text("SELECT v FROM warned ORDER BY v"))).all())

    @app.get("/warned")
    async def read(session: SessionDep) -> list[int]:
        return list((await session.scalars(text("SELECT v FROM warned ORDER BY v"))).all())

    statements: list[str] = []
    async with app.router.lifespan_context(app):
        async with app.state.engine.begin() as conn:
            for statement in WARN_AT_COMMIT:
                await conn.exec_driver_sql(statement)
        event.listen(
            app.state.engine.sync_engine,
            "before_cursor_execute",
            lambda _c, _cur, statement, *_: statements.append(statement),
        )
        yield app, statements


@pytest.fixture
async def client(probe: tuple[FastAPI, list[str]]) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=probe[0]), base_url="http://test") as c:
        yield c


async def test_a_warning_at_commit_is_503_commit_unconfirmed_not_201(client: AsyncClient) -> None:
    before = REGISTRY.get_sample_value("onestop_commits_unconfirmed_total") or 0.0
    response = await client.post("/warned/7")
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "commit_unconfirmed"
    assert response.headers["retry-after"] == "2"
    # Committed all the same (that is what such a warning says): a retry finds it.
    assert (await client.get("/warned")).json() == [7]
    # In Chinese for a person at the window.
    zh = await client.post("/warned/8", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 503
    assert zh.json()["title"] == "提交未确认"
    # Two warned commits (/warned/7 and /warned/8), each counted once for the operators' alert.
    assert REGISTRY.get_sample_value("onestop_commits_unconfirmed_total") == before + 2


async def test_a_write_request_sends_the_barrier_a_get_does_not(
    client: AsyncClient, probe: tuple[FastAPI, list[str]]
) -> None:
    _, statements = probe
    barrier = str(BARRIER)
    assert (await client.post("/nothing")).status_code == 200
    assert statements.count(barrier) == 1  # one round trip before COMMIT, even writing nothing
    statements.clear()
    assert (await client.get("/warned")).status_code == 200
    assert barrier not in statements  # a GET commits as before
    assert statements  # (it did run its SELECT)


@pytest.mark.parametrize(
    ("fields", "warning"),
    [
        ({"severity": "警告", "severity_en": "WARNING", "sqlstate": "01000"}, True),  # zh server
        ({"severity": "WARNING", "severity_en": "WARNING", "sqlstate": "01000"}, True),
        ({"severity": "注意", "severity_en": "NOTICE", "sqlstate": "00000"}, False),
        ({"severity": "WARNING", "severity_en": None, "sqlstate": "01000"}, True),  # no V field
        ({"severity": "NOTICE", "severity_en": None, "sqlstate": "00000"}, False),
    ],
)
def test_what_counts_as_a_warning(fields: dict[str, Any], warning: bool) -> None:
    """By the non-localized severity (``V``), else the SQLSTATE class 01; never the text."""
    assert is_warning(SimpleNamespace(message="（任意译文）", **fields)) is warning
