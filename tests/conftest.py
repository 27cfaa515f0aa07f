"""Shared fixtures. Nothing here starts PostgreSQL unless a test asks for a database fixture, so
``tests/engine`` runs without one.

- ``TEST_DATABASE_URL`` (any server you may create databases on) is used when set; otherwise one
  embedded pgserver is started per test session in a temp dir.
- ``database_url``: a fresh, migrated database for the whole session.
- ``own_database_url``: a migrated database with the demo loaded, of one test only (a copy of a
  template made once per session: about 0.15 s).
- ``fresh_database_url``: an empty, unmigrated database for one test.
- ``app`` / ``client``: the application with its lifespan running, on ``database_url``;
  ``own_app`` / ``own_client`` the same on ``own_database_url``.

How API tests are kept apart
----------------------------
Not by a rolled-back transaction per test. The app commits once per request, before it answers
(``app/db/session.py``), and what the tests check depends on real commits: the reconciliation
cursor lists only transactions older than every one still open (a test's outer transaction
would hide everything it wrote), the bill and person-year advisory locks are
transaction-scoped (one transaction with savepoints would hold them all and serialize nothing),
and the concurrency, admission, shutdown and fault tests run requests at once, each on a
connection of its own. Binding the app's sessions to one test connection
(``join_transaction_mode="create_savepoint"``) would test another program.

So the tests share one migrated database per session and commit for real, and each test
isolates itself by its data:

- what it writes and reads back is its own: a person nobody else has (``new_person``), bill
  numbers, hospital and catalogue codes nobody else has (``tests/support.py``: a counter per
  session, never the system's randomness), and it reads them back by those keys;
- a test that reads figures over all of a day, a county or the audit chain, which any other
  test could add to, gets a database of its own (``own_database_url``; ``own_app``,
  ``own_client``), as do the tests that tamper with the audit log.
  A database per test for every test would cost about 0.15 s each (a template copy), a third of
  the whole suite's time again, for tests that already touch nothing but their own rows;
- the demo data (``startup(demo=True)``) is loaded once and only read; a test that changes
  shared state (an API key's hash, the key cache) puts it back.

Nothing random is unseeded: the helpers draw from a seeded ``random.Random``, every test starts
with the ``random`` module seeded from its own id (:func:`_seeded_random`), and hypothesis is
derandomized in CI (with ``CI`` set it loads its ``ci`` profile: ``derandomize=True``, no
example database; ``tests/test_determinism.py`` checks that).
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from app.bootstrap import startup
from app.config import Settings
from app.db.embedded import start_embedded, to_asyncpg_url
from app.db.migrate import upgrade_to_head
from app.db.session import make_engine, make_sessionmaker
from app.main import create_app

# ONESTOP_TEST_AS_APP_ROLE=1 (README "Kubernetes with CloudNativePG"): `app`, `own_app` connect as
# the least-privilege `onestop_app` of deploy/postgres-roles.sql instead of the owner, so the API
# tests prove those grants are enough. Direct database fixtures (`engine`, ...) stay the owner.
AS_APP_ROLE = os.environ.get("ONESTOP_TEST_AS_APP_ROLE") == "1"
ROLES_SQL = Path(__file__).resolve().parents[1] / "deploy" / "postgres-roles.sql"


async def as_app_role(url: str) -> str:
    """Apply deploy/postgres-roles.sql to the database at ``url`` (as its owner) and return the
    same URL for the ``onestop_app`` role."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            raw = await conn.get_raw_connection()
            await raw.driver_connection.execute(ROLES_SQL.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    finally:
        await engine.dispose()
    return make_url(url).set(username="onestop_app").render_as_string(hide_password=False)


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


async def create_database(server_url: str, template: str | None = None) -> str:
    """A new database on the server (a copy of ``template``, a database URL, if given). Its name
    is random on purpose: ``TEST_DATABASE_URL`` may be a server other sessions use at once."""
    name = f"onestop_test_{uuid.uuid4().hex[:12]}"
    copy = "" if template is None else f' TEMPLATE "{make_url(template).database}"'
    await _admin(server_url, f'CREATE DATABASE "{name}"{copy}')
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


@pytest.fixture(scope="session")
async def template_database_url(pg_server_url: str) -> AsyncIterator[str]:
    """Migrated, policies published and the demo loaded. Then closed to connections (so that no
    session, autovacuum included, is in it when ``CREATE DATABASE … TEMPLATE`` copies it)."""
    url = await create_database(pg_server_url)
    await upgrade_to_head(url)
    settings = Settings()
    engine = make_engine(url, settings)
    try:
        await startup(make_sessionmaker(engine), settings, demo=True)
    finally:
        await engine.dispose()
    name = make_url(url).database
    await _admin(pg_server_url, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    yield url
    await drop_database(pg_server_url, url)


@pytest.fixture
async def own_database_url(pg_server_url: str, template_database_url: str) -> AsyncIterator[str]:
    """A database of this test only, migrated and with the demo loaded."""
    url = await create_database(pg_server_url, template=template_database_url)
    yield url
    await drop_database(pg_server_url, url)


@pytest.fixture
async def fresh_database_url(pg_server_url: str) -> AsyncIterator[str]:
    url = await create_database(pg_server_url)
    yield url
    await drop_database(pg_server_url, url)


@pytest.fixture(autouse=True)
def _seeded_random(request: pytest.FixtureRequest) -> None:
    """The ``random`` module seeded from the test's id: what a test draws from it is the same on
    every run, and differs from test to test."""
    random.seed(request.node.nodeid)


@pytest.fixture
def settings() -> Settings:
    # No audit sequencer in the background: a test that needs entries integrated says when
    # (app.audit.sequencer.integrate_all), and statement counts and lock waits stay its own.
    return Settings(audit_sequencer_interval_ms=0)


@asynccontextmanager
async def running(database_url: str, settings: Settings) -> AsyncIterator[FastAPI]:
    """The application on ``database_url`` with its lifespan running."""
    application = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        yield application


def asgi_client(application: FastAPI) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=application), base_url="http://test")


@pytest.fixture
async def app(database_url: str, settings: Settings) -> AsyncIterator[FastAPI]:
    url = await as_app_role(database_url) if AS_APP_ROLE else database_url
    async with running(url, settings) as application:
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with asgi_client(app) as c:
        yield c


@pytest.fixture
async def own_app(own_database_url: str, settings: Settings) -> AsyncIterator[FastAPI]:
    """The application on a database of this test only (the demo loaded): for a test that reads
    figures over every hospital of a day or county, or the whole audit chain, which other tests'
    settlements would change, or that tampers with what other tests read."""
    url = await as_app_role(own_database_url) if AS_APP_ROLE else own_database_url
    async with running(url, settings) as application:
        yield application


@pytest.fixture
async def own_client(own_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with asgi_client(own_app) as c:
        yield c


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, Settings())
    yield engine
    await engine.dispose()
