from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
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


# settlement_items' columns before migration 0014 (prices and caps in 1e-4 yuan, quantities in
# 1e-3); ITEM_COLUMNS names them since (1e-6 yuan, 1e-4).
COLUMNS_BEFORE_0014 = tuple(
    {
        "unit_price_e6": "unit_price_e4",
        "quantity_e4": "quantity_e3",
        "price_cap_e6": "price_cap_e4",
    }.get(column, column)
    for column in ITEM_COLUMNS
)


async def _settle_demo_bill(url: str) -> tuple[str, dict[str, Any]]:
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
    return response.json()["settlement_id"], body


def _demo_bill_lines(body: dict[str, Any], price: int, quantity: int) -> list[list[Any]]:
    """demo-bill.json's lines, read independently of the service, in bill order, as stored:
    price and cap × ``price``, quantity × ``quantity``, amount × 100, with the demo catalogue
    facts (app/demo.py: XA05's cap is 1200.00 yuan)."""
    facts = {"XC01": ("C", 0, None), "XB01": ("B", 1000, None), "XA05": ("A", 0, 1200 * price)}
    facts["XA06"] = ("A", 0, None)
    lines = [
        [
            line["seq"],
            line["code"],
            line["name"],
            int(Decimal(line["unit_price"]) * price),
            int(Decimal(line["quantity"]) * quantity),
            int(Decimal(line["amount"]) * 100),
            line.get("hospital_borne", False),
            *facts[line["code"]],
        ]
        for line in body["items"]
    ]
    assert [line[0] for line in lines] == sorted(line[0] for line in lines)
    return lines


async def test_0005_moves_stored_lines_both_ways(fresh_database_url: str) -> None:
    """Lines settled under 0005 (one JSON document) become rows again on downgrade to 0004, and
    those rows become the same document on upgrade."""
    url = fresh_database_url
    await upgrade_to_head(url)
    settlement_id, body = await _settle_demo_bill(url)

    async def fetch(statement: str) -> list[Any]:
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                result = await conn.execute(text(statement), {"id": settlement_id})
                return [tuple(row) for row in result]
        finally:
            await engine.dispose()

    document = await fetch("SELECT items FROM settlement_item_lists WHERE settlement_id = :id")
    # at head: prices in 1e-6 yuan, quantities in 1e-4 (migration 0014)
    assert document == [(_demo_bill_lines(body, 1_000_000, 10_000),)]

    await downgrade(url, "0004")
    rows = await fetch(
        f"SELECT {', '.join(COLUMNS_BEFORE_0014)} FROM settlement_items "
        "WHERE settlement_id = :id ORDER BY seq"
    )
    # as rows of the old table: prices in 1e-4 yuan, quantities in 1e-3
    assert rows == [tuple(line) for line in _demo_bill_lines(body, 10_000, 1_000)]
    assert await fetch("SELECT to_regclass('settlement_item_lists')") == [(None,)]

    await upgrade_to_head(url)
    assert await fetch("SELECT items FROM settlement_item_lists WHERE settlement_id = :id") == (
        document
    )
    columns = ", ".join(ITEM_COLUMNS)
    assert await fetch(f"SELECT {columns} FROM settlement_items WHERE settlement_id = :id") != []


async def test_0014_rescales_stored_lines_both_ways(fresh_database_url: str) -> None:
    """0014 multiplies stored prices and caps by 100 and quantities by 10 and renames the view's
    columns; its downgrade divides back, and refuses a line finer than the old scale."""
    url = fresh_database_url
    await upgrade_to_head(url)
    settlement_id, body = await _settle_demo_bill(url)

    async def fetch(statement: str, **params: object) -> list[Any]:
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.begin() as conn:
                result = await conn.execute(text(statement), {"id": settlement_id, **params})
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            await engine.dispose()

    new = _demo_bill_lines(body, 1_000_000, 10_000)
    old = _demo_bill_lines(body, 10_000, 1_000)
    by_seq = "WHERE settlement_id = :id ORDER BY seq"
    assert await fetch(f"SELECT {', '.join(ITEM_COLUMNS)} FROM settlement_items {by_seq}") == [
        tuple(line) for line in sorted(new)
    ]

    await downgrade(url, "0011")
    document = "SELECT items FROM settlement_item_lists WHERE settlement_id = :id"
    assert await fetch(document) == [(old,)]
    assert await fetch(
        f"SELECT {', '.join(COLUMNS_BEFORE_0014)} FROM settlement_items {by_seq}"
    ) == [tuple(line) for line in sorted(old)]

    await upgrade_to_head(url)
    assert await fetch(document) == [(new,)]

    # A line priced to the 1e-6 yuan (as the national interface may send) has no 1e-4 form.
    finer = [[*new[0][:3], new[0][3] + 1, *new[0][4:]], *new[1:]]
    await fetch(
        "UPDATE settlement_item_lists SET items = CAST(:items AS jsonb) WHERE settlement_id = :id",
        items=json.dumps(finer),
    )
    with pytest.raises(Exception, match="cannot be held at the old scale"):
        await downgrade(url, "0011")
    assert await fetch(document) == [(finer,)]
    assert await is_at_head(url)


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
