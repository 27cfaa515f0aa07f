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
from app.demo import DEMO_PERSONS
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


async def test_0009_fills_the_tilted_target_from_the_stored_params(fresh_database_url: str) -> None:
    """Settlements stored before 0009 get ``tilted_target_fen`` from their tilted layer's params:
    the same integer the settle path writes since; NULL where the layer recorded no target."""
    url = fresh_database_url
    await upgrade_to_head(url)
    settings = Settings()
    application = create_app(settings, database_url=url)
    body = json.loads((EXAMPLES / "demo-bill.json").read_text())
    # 张三 (the demo bill's patient) is registered poor and the hospital is in his county: the
    # tilted layer applies. 李四 holds no category: it does not.
    (li_si,) = [number for number, person in DEMO_PERSONS.items() if person[0] == "李四"]
    bodies = {
        "zhang_san": body,
        "li_si": {
            **body,
            "bill_no": "ZY2018060002",
            "patient": {"id_number": li_si, "name": "李四"},
        },
    }
    ids = {}
    async with application.router.lifespan_context(application):
        await startup(application.state.sessionmaker, settings, demo=True)
        transport = ASGITransport(app=application)
        async with AsyncClient(transport=transport, base_url="http://test") as client:
            for who, bill in bodies.items():
                response = await client.post(
                    "/v1/settlements",
                    json=bill,
                    headers={"Authorization": "Bearer demo-H510402001"},
                )
                assert response.status_code == 201, response.text
                ids[who] = response.json()["settlement_id"]

    async def targets() -> dict[str, int | None]:
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(
                    text("SELECT id::text, tilted_target_fen FROM settlements")
                )
                by_id = {row[0]: row[1] for row in rows}
        finally:
            await engine.dispose()
        return {who: by_id[settlement_id] for who, settlement_id in ids.items()}

    # The demo bill's in-policy total: XB01 5000.00 less its 10% 乙类 self-pay = 4500.00, XA05
    # 1200.00 (at its cap), XA06 12800.00; XC01 is 丙类, out of policy. 4500 + 1200 + 12800 =
    # 18500.00 yuan; the target is 10% of it, 1850.00 yuan = 185000 fen.
    expected = {"zhang_san": 185_000, "li_si": None}
    assert await targets() == expected  # written by the settle path

    await downgrade(url, "0008")
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            columns = await conn.execute(
                text(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_name = 'settlements' AND column_name = 'tilted_target_fen'"
                )
            )
            assert columns.all() == []
    finally:
        await engine.dispose()

    await upgrade_to_head(url)
    assert await targets() == expected  # filled by 0009 from the params' "1850.00"
