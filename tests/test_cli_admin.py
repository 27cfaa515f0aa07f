"""``onestop keys`` and ``onestop audit`` as an operator meets them: one line and a non-zero exit
for what they refuse, never a traceback; and the read-only ones never change the schema."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.db.migrate import downgrade, is_at_head, upgrade_to_head


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again: nothing listens there


def onestop(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "ONESTOP_LOG_FORMAT": "text"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_keys_create_for_an_unknown_hospital_is_one_line_and_exit_2(database_url: str) -> None:
    created = onestop(database_url, "keys", "create", "--role", "hospital", "--hospital", "NOPE")
    assert created.returncode == 2, created.stderr
    assert created.stdout == ""
    assert created.stderr.splitlines() == [
        "unknown_hospital: no hospital NOPE (register it first: PUT /v1/hospitals/{code})"
    ]


async def _revisions(url: str) -> list[str]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            if await conn.scalar(text("SELECT to_regclass('alembic_version')")) is None:
                return []
            return list(await conn.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        await engine.dispose()


NOT_MIGRATED = (
    "the database is not at the latest migration of this onestop (run `onestop migrate` "
    "first); nothing was changed"
)


async def test_read_only_commands_do_not_migrate_an_empty_database(
    fresh_database_url: str,
) -> None:
    for command in (("keys", "list"), ("audit", "verify")):
        result = onestop(fresh_database_url, *command)
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [f"onestop {' '.join(command)}: {NOT_MIGRATED}"]
        assert result.stdout == ""
    assert await _revisions(fresh_database_url) == []  # not even the version table


async def test_read_only_commands_do_not_upgrade_an_outdated_database(
    fresh_database_url: str,
) -> None:
    await upgrade_to_head(fresh_database_url)
    await downgrade(fresh_database_url, "-1")
    before = await _revisions(fresh_database_url)
    assert before and not await is_at_head(fresh_database_url)
    listed = onestop(fresh_database_url, "keys", "list")
    assert listed.returncode == 2
    assert listed.stderr.splitlines() == [f"onestop keys list: {NOT_MIGRATED}"]
    assert await _revisions(fresh_database_url) == before
    await upgrade_to_head(fresh_database_url)
    listed = onestop(fresh_database_url, "keys", "list")
    assert (listed.returncode, listed.stdout, listed.stderr) == (0, "", "")  # no keys yet


def test_an_unreachable_database_is_one_line(unused_port: int) -> None:
    url = f"postgresql+asyncpg://nobody@127.0.0.1:{unused_port}/nothing"
    listed = onestop(url, "keys", "list")
    assert listed.returncode == 2
    [line] = listed.stderr.splitlines()
    assert line.startswith("onestop keys list: the database is unavailable (")
