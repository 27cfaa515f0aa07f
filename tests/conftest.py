"""Shared fixtures. Nothing here starts PostgreSQL unless a test asks for a database fixture, so
``tests/engine`` runs without one.

- ``TEST_DATABASE_URL`` (any server you may create databases on) is used when set; otherwise one
  embedded pgserver is started per test session in a temp dir.
- ``database_url``: a fresh, migrated database for the whole session.
- ``fresh_database_url``: an empty, unmigrated database for one test.
- ``app`` / ``client``: the application with its lifespan running, on ``database_url``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from app.config import Settings
from app.db.embedded import start_embedded, to_asyncpg_url
from app.db.migrate import upgrade_to_head
from app.db.session import make_engine
from app.main import create_app


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a maintenance database on a server where tests may create databases."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield to_asyncpg_url(url)
        return
    pgdata = tmp_path_factory.mktemp("pg") / "data"
    handle = start_embedded(pgdata, database="postgres", cleanup_mode="delete")
    try:
        yield handle.url
    finally:
        handle.stop()


async def create_database(server_url: str) -> str:
    name = f"onestop_test_{uuid.uuid4().hex[:12]}"
    await _admin(server_url, f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    await _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(server_url: str, statement: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
async def database_url(pg_server_url: str) -> AsyncIterator[str]:
    url = await create_database(pg_server_url)
    await upgrade_to_head(url)
    yield url
    await drop_database(pg_server_url, url)


@pytest.fixture
async def fresh_database_url(pg_server_url: str) -> AsyncIterator[str]:
    url = await create_database(pg_server_url)
    yield url
    await drop_database(pg_server_url, url)


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
async def app(database_url: str, settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as c:
        yield c


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, Settings())
    yield engine
    await engine.dispose()
