from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

import app.db.models  # noqa: F401 - registers every table on Base.metadata
from app.db.base import Base
from app.db.migrate import downgrade, is_at_head, upgrade_to_head


async def test_upgrade_downgrade_upgrade(fresh_database_url: str) -> None:
    url = fresh_database_url
    assert not await is_at_head(url)
    await upgrade_to_head(url)
    assert await is_at_head(url)
    await downgrade(url, "base")
    assert not await is_at_head(url)
    await upgrade_to_head(url)
    assert await is_at_head(url)


async def test_models_match_migrations(database_url: str) -> None:
    def diff(sync_conn: Connection) -> list[object]:
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            changes = await conn.run_sync(diff)
    finally:
        await engine.dispose()
    assert changes == [], "models and migrations differ; write a migration (alembic revision)"
