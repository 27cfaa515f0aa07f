"""Run Alembic from code on an async engine.

Alembic's command API is synchronous; we hand it a sync connection from ``run_sync`` through
``config.attributes["connection"]``, which ``migrations/env.py`` uses instead of connecting.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

__all__ = ["alembic_config", "downgrade", "is_at_head", "upgrade_to_head"]

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# Serializes concurrent `onestop migrate` runs against one database (arbitrary constant).
_MIGRATION_LOCK_KEY = 0x6F6E6573746F70


def alembic_config(connection: Connection | None = None) -> Config:
    """A file-less config: no ``fileConfig`` logging setup when run from code."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade_to_head(url: str) -> None:
    await _run(url, lambda config: command.upgrade(config, "head"))


async def downgrade(url: str, revision: str = "base") -> None:
    await _run(url, lambda config: command.downgrade(config, revision))


async def is_at_head(conn_or_url: AsyncConnection | str) -> bool:
    """True when the database's Alembic revisions are exactly the script heads."""
    if isinstance(conn_or_url, AsyncConnection):
        return await _current_revisions(conn_or_url) == _script_heads()
    engine = create_async_engine(conn_or_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await _current_revisions(conn) == _script_heads()
    finally:
        await engine.dispose()


async def _run(url: str, action: Callable[[Config], None]) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
            await conn.run_sync(lambda sync_conn: action(alembic_config(sync_conn)))
    finally:
        await engine.dispose()


async def _current_revisions(conn: AsyncConnection) -> frozenset[str]:
    # Plain SQL rather than MigrationContext, which logs at INFO on every readiness probe.
    if (await conn.execute(text("SELECT to_regclass('alembic_version')"))).scalar() is None:
        return frozenset()
    return frozenset((await conn.scalars(text("SELECT version_num FROM alembic_version"))).all())


@functools.cache
def _script_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
