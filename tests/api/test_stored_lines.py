"""The bill lines stored with a settlement (migration 0005: one JSON document per settlement,
read as rows through the view ``settlement_items``): every line as sent, in bill order, with the
catalogue facts the settlement used."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.settlement.models import ITEM_COLUMNS

from .conftest import (
    assert_problem,
    bill_no,
    headers,
    hospital_key,
    item,
    make_bill,
    new_person,
    settle,
)

pytestmark = pytest.mark.usefixtures("demo")


async def test_lines_are_stored_as_sent_with_their_catalogue_facts(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    person = await new_person(client, ["registered_poor"])
    # Out of seq order on purpose (the bill's order is kept), a capped 乙类 line above its cap,
    # a hospital-borne line, sub-fen prices and fractional quantities, a name with quotes.
    lines = [
        item(7, "XB02", "900.0000", "1", "900.00", name='人工晶体 "A"'),
        item(2, "XA04", "3.1234", "2.5", "7.81", hospital_borne=True),
        item(5, "XC01", "1000", "1", "1000.00"),
    ]
    body = make_bill(bill_no(), person, items=lines)
    response = await settle(client, body)
    assert response.status_code == 201, response.text
    settlement_id = response.json()["settlement_id"]

    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    f"SELECT {', '.join(ITEM_COLUMNS)} FROM settlement_items "
                    "WHERE settlement_id = :id"
                ),
                {"id": settlement_id},
            )
        ).all()
        document = (
            await conn.execute(
                text("SELECT items FROM settlement_item_lists WHERE settlement_id = :id"),
                {"id": settlement_id},
            )
        ).scalar_one()
    # Worked out from the demo catalogue (app/demo.py): XB02 乙 0.20 cap 800.00; XA04 甲 cap
    # 3.50; XC01 丙, no cap. Prices and caps in 1e-6 yuan, quantities in 1e-4 (the engine's
    # scale, migration 0014: /v1's 4 and 3 decimals ×100 and ×10), amounts in fen.
    expected: list[tuple[Any, ...]] = [
        (7, "XB02", '人工晶体 "A"', 900_000000, 1_0000, 90_000, False, "B", 2_000, 800_000000),
        (2, "XA04", "line 2", 3_123400, 2_5000, 781, True, "A", 0, 3_500000),
        (5, "XC01", "line 5", 1000_000000, 1_0000, 100_000, False, "C", 0, None),
    ]
    assert document == [list(e) for e in expected]  # in the bill's order
    assert sorted(tuple(r) for r in rows) == sorted(expected)


async def test_any_printable_or_control_text_in_a_name_is_stored_exactly(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    person = await new_person(client)
    name = '换行\n制表\t"引号" \\ 反斜杠 \x1f \x7f 😀 \u2028'
    body = make_bill(bill_no(), person, items=[item(1, "XA06", "10", "1", "10.00", name=name)])
    response = await settle(client, body)
    assert response.status_code == 201, response.text
    async with engine.connect() as conn:
        stored = (
            await conn.execute(
                text("SELECT name FROM settlement_items WHERE settlement_id = :id"),
                {"id": response.json()["settlement_id"]},
            )
        ).scalar_one()
    assert stored == name.strip()  # the schema strips surrounding whitespace, nothing else


async def test_a_name_with_nul_is_refused_and_nothing_is_stored(client: AsyncClient) -> None:
    person = await new_person(client)
    body = make_bill(bill_no(), person, items=[item(1, "XA06", "10", "1", "10.00", name="a\0b")])
    assert_problem(await settle(client, body), 422, "invalid_character")
    found = await client.get(
        "/v1/settlements",
        params={"hospital_code": body["hospital_code"], "bill_no": body["bill_no"]},
        headers=headers(hospital_key(body["hospital_code"])),
    )
    assert found.status_code == 404, found.text
