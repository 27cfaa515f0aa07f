from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from httpx import ASGITransport, AsyncClient
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

import app.db.models  # noqa: F401 - registers every table on Base.metadata
from app.bootstrap import startup
from app.config import Settings
from app.db.base import Base
from app.db.migrate import downgrade, is_at_head, upgrade_to_head
from app.main import create_app
from app.settlement.models import ITEM_COLUMNS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


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


async def test_0005_moves_stored_lines_both_ways(fresh_database_url: str) -> None:
    """Lines settled under 0005 (one JSON document) become rows again on downgrade to 0004, and
    those rows become the same document on upgrade."""
    url = fresh_database_url
    await upgrade_to_head(url)
    settings = Settings()
    application = create_app(settings, database_url=url)
    async with application.router.lifespan_context(application):
        await startup(application.state.sessionmaker, settings, demo=True)
        transport = ASGITransport(app=application)
        async with AsyncClient(transport=transport, base_url="http://test") as client:
            body = json.loads((EXAMPLES / "demo-bill.json").read_text())
            response = await client.post(
                "/v1/settlements", json=body, headers={"Authorization": "Bearer demo-H510402001"}
            )
            assert response.status_code == 201, response.text
    settlement_id = response.json()["settlement_id"]
    columns = ", ".join(ITEM_COLUMNS)

    async def fetch(statement: str) -> list[Any]:
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                result = await conn.execute(text(statement), {"id": settlement_id})
                return [tuple(row) for row in result]
        finally:
            await engine.dispose()

    document = await fetch("SELECT items FROM settlement_item_lists WHERE settlement_id = :id")
    # demo-bill.json, read independently of the service: its lines in order, in stored units
    # (price × 10^4, quantity × 10^3, amount × 100), with demo catalogue facts (app/demo.py).
    facts = {"XC01": ("C", 0, None), "XB01": ("B", 1000, None), "XA05": ("A", 0, 12_000_000)}
    facts["XA06"] = ("A", 0, None)
    expected = [
        [
            line["seq"],
            line["code"],
            line["name"],
            int(Decimal(line["unit_price"]) * 10_000),
            int(Decimal(line["quantity"]) * 1_000),
            int(Decimal(line["amount"]) * 100),
            line.get("hospital_borne", False),
            *facts[line["code"]],
        ]
        for line in body["items"]
    ]
    assert [line[0] for line in expected] == sorted(line[0] for line in expected)
    assert document == [(expected,)]

    await downgrade(url, "0004")
    rows = await fetch(
        f"SELECT {columns} FROM settlement_items WHERE settlement_id = :id ORDER BY seq"
    )
    assert rows == [tuple(line) for line in expected]
    assert await fetch("SELECT to_regclass('settlement_item_lists')") == [(None,)]

    await upgrade_to_head(url)
    assert await fetch("SELECT items FROM settlement_item_lists WHERE settlement_id = :id") == (
        document
    )
    assert await fetch(f"SELECT {columns} FROM settlement_items WHERE settlement_id = :id") != []
