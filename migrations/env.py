"""Alembic environment: async engine, or a connection handed over by app.db.migrate.

Three ways in:
- ``config.attributes["connection"]``: a sync connection from ``AsyncConnection.run_sync``
  (``onestop migrate``, ``onestop serve``, tests); the caller owns the transaction;
- ``config.attributes["url"]``: connect to that URL;
- neither (the ``alembic`` command line): ``DATABASE_URL``, or the embedded server.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, pool
from sqlalchemy.ext.asyncio import create_async_engine

import app.db.models  # noqa: F401 - registers every table on Base.metadata
from app.config import get_settings
from app.db.base import Base
from app.db.embedded import resolve_database_url

config = context.config
target_metadata = Base.metadata

if config.config_file_name is not None and "connection" not in config.attributes:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations(url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
        return
    url = config.attributes.get("url")
    if url is not None:
        asyncio.run(run_async_migrations(url))
        return
    url, embedded = resolve_database_url(get_settings())
    try:
        asyncio.run(run_async_migrations(url))
    finally:
        if embedded is not None:
            embedded.stop()


def run_migrations_offline() -> None:
    url = config.attributes.get("url") or get_settings().database_url
    if not url:
        raise SystemExit("offline (--sql) mode needs DATABASE_URL")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
