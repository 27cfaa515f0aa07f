"""Bounds on a line, a bill and a person-year (issue 11, item 2; app/bounds.py).

On the tree before them a line could be 10^12 yuan and 5000 such lines passed validation; the
sums overflowed BIGINT and the settle, then every report covering that day, answered 500. Now a
value past a bound is 422 ``amount_out_of_range`` naming the field, and the largest bills the
service accepts, settled as often as one person-year allows on one day, keep every report
answering with exact figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import BigInteger, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncEngine

from app.reconciliation.sums import fen_sum

from .conftest import ADMIN, AGENCY, bill_no, headers, item, make_bill, new_person, preview, settle
from .test_reconciliation import local, move, new_hospital, reverse_ok, settle_ok, yuan

pytestmark = pytest.mark.usefixtures("demo")

POOR = ["registered_poor"]


def assert_out_of_range(response: Any, loc: list[str | int]) -> None:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "amount_out_of_range"
    assert [e["loc"] for e in problem["errors"]] == [loc]


def largest_bill_items() -> list[dict[str, Any]]:
    """99,999,999.99 yuan, the largest bill: ten lines at the line bound, 9,999,999.99 each
    (10 × 9,999,999.99 = 99,999,999.90), and one of 0.09 (99,999,999.90 + 0.09 = 99,999,999.99).
    XA06 is grade A with no price cap: all of it is in policy."""
    lines = [item(seq, "XA06", "9999999.99", "1", "9999999.99") for seq in range(1, 11)]
    return [*lines, item(11, "XA06", "0.09", "1", "0.09")]


async def test_a_line_past_the_bound_is_refused_naming_the_field(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    over = [
        # amount one fen past 9,999,999.99; price and quantity consistent with it
        (item(1, "XA06", "10000000.00", "1", "10000000.00"), ["body", "items", 0, "unit_price"]),
        # unit price past 9,999,999.9999 (the amount would be within the line bound)
        (item(1, "XA06", "10000000.0000", "0.5", "5000000.00"), ["body", "items", 0, "unit_price"]),
        # quantity past 9,999,999.999
        (item(1, "XA06", "0.0001", "10000000", "1000.00"), ["body", "items", 0, "quantity"]),
    ]
    for line, loc in over:
        body = make_bill(bill_no("BD"), person, items=[line])
        for send in (settle, preview):
            response = await send(client, body)
            problem = response.json()
            assert response.status_code == 422, response.text
            assert problem["code"] == "amount_out_of_range", problem
            assert loc in [e["loc"] for e in problem["errors"]]
    # the amount alone past the bound: 5,000,000 × 2 = 10,000,000.00 > 9,999,999.99
    line = item(1, "XA06", "5000000.0000", "2", "10000000.00")
    body = make_bill(bill_no("BD"), person, items=[line])
    assert_out_of_range(await settle(client, body), ["body", "items", 0, "amount"])
    # the adversarial report's 10^12-yuan lines, 5000 of them: refused, nothing stored
    line = item(1, "XA06", "1000000000000.00", "1", "1000000000000.00")
    lines = [{**line, "seq": seq} for seq in range(1, 5001)]
    body = make_bill(bill_no("BD"), person, items=lines)
    response = await settle(client, body)
    assert response.status_code == 422 and response.json()["code"] == "amount_out_of_range"
    found = await client.get(
        "/v1/settlements",
        params={"hospital_code": "H510402001", "bill_no": body["bill_no"]},
        headers=headers(AGENCY),
    )
    assert found.status_code == 404


async def test_a_bill_past_the_bound_is_refused(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    # the largest bill and one fen more: 99,999,999.99 + 0.01 = 100,000,000.00 > 99,999,999.99
    items = [*largest_bill_items(), item(12, "XA06", "0.01", "1", "0.01")]
    body = make_bill(bill_no("BD"), person, items=items)
    assert_out_of_range(await settle(client, body), ["body", "items"])
    assert_out_of_range(await preview(client, body), ["body", "items"])
    # exactly at the bound it is a bill like any other
    body = make_bill(bill_no("BD"), person, items=largest_bill_items())
    response = await settle(client, body)
    assert response.status_code == 201, response.text
    assert response.json()["totals"]["total"] == "99999999.99"


async def test_largest_bills_for_one_person_and_day_keep_every_report_answering(
    own_app: FastAPI, own_client: AsyncClient
) -> None:
    # The totals of every hospital and the ledger of county 510402 for the day: a database of
    # this test's own, so that they are this test's settlements and nobody else's.
    client, engine = own_client, own_app.state.engine
    hospital, key = await new_hospital(client)
    person = await new_person(client, POOR)
    day = dt.date(2011, 11, 11)
    bodies = [
        make_bill(bill_no("BIG"), person, hospital=hospital, items=largest_bill_items())
        for _ in range(12)
    ]
    settled = []
    # A person-year holds at most 999,999,999.99 yuan of standing bills: ten largest bills are
    # 10 × 99,999,999.99 = 999,999,999.90; an eleventh would make 1,099,999,999.89.
    for body in bodies[:10]:
        settled.append(await settle_ok(client, key, body))
        await move(engine, settled[-1]["settlement_id"], settled_at=local(day, 10))
    refused = await settle(client, bodies[10], key=key)
    assert_out_of_range(refused, ["body", "patient", "id_number"])
    assert_out_of_range(
        await preview(client, bodies[10], key=key), ["body", "patient", "id_number"]
    )
    # a reversal takes its bill back out of the person-year: the eleventh bill now fits
    await reverse_ok(client, key, settled[0])
    await move(engine, settled[0]["settlement_id"], reversed_at=local(day, 11))
    settled.append(await settle_ok(client, key, bodies[10]))
    await move(engine, settled[-1]["settlement_id"], settled_at=local(day, 12))
    assert_out_of_range(await settle(client, bodies[11], key=key), ["body", "patient", "id_number"])

    q = {"date_from": day.isoformat(), "date_to": day.isoformat()}
    biggest = 99_999_999_99  # fen
    for who, params in ((AGENCY, q), (AGENCY, {**q, "hospital_code": hospital}), (key, q)):
        response = await client.get(
            "/v1/reconciliation/totals", params=params, headers=headers(who)
        )
        assert response.status_code == 200, response.text
        totals = response.json()
        # 11 settlements and 1 reversal: net 10 bills, 10 × 99,999,999.99 = 999,999,999.90
        assert totals["settlements"]["count"] == 11
        assert totals["settlements"]["total"] == yuan(11 * biggest) == "1099999999.89"
        assert totals["reversals"]["total"] == yuan(-biggest) == "-99999999.99"
        assert totals["count"] == 10
        assert totals["total"] == yuan(10 * biggest) == "999999999.90"
        # each fund's net equals what the standing settlements' own answers say it paid
        paid: dict[str, int] = {}
        for s in settled[1:]:
            for line in s["layers"]:
                paid[line["fund_code"]] = paid.get(line["fund_code"], 0) + int(
                    line["paid"].replace(".", "")
                )
        assert {f["fund_code"]: f["paid"] for f in totals["funds"]} == {
            code: yuan(amount) for code, amount in paid.items()
        }
    details = await client.get(
        "/v1/reconciliation/settlements", params={**q, "limit": 100}, headers=headers(AGENCY)
    )
    assert details.status_code == 200, details.text
    assert len(details.json()["items"]) == 12  # 11 settlements and 1 reversal
    ledger = await client.get(
        "/v1/reconciliation/poverty-ledger", params=q, headers=headers(AGENCY)
    )
    assert ledger.status_code == 200, ledger.text
    (row,) = [r for r in ledger.json()["rows"] if r["county_code"] == "510402"]
    assert row["count"] == 10 and row["in_policy"] == "999999999.90"


async def test_report_sums_are_exact_past_bigint(engine: AsyncEngine) -> None:
    """Reports add up in numeric and return Python integers: however many settlements a range
    holds, no sum overflows. Two values of 2^62 add up to 2^63, one past BIGINT's maximum."""
    values = union_all(
        select(literal(2**62, BigInteger).label("v")), select(literal(2**62, BigInteger))
    ).subquery()
    async with engine.connect() as conn:
        total = (await conn.execute(select(fen_sum(values.c.v)))).scalar_one()
    assert total == 2**63 and type(total) is int


async def test_the_admin_registry_is_not_bounded_by_bills(client: AsyncClient) -> None:
    """A catalogue price cap is a price: it has the unit price's bound."""
    response = await client.put(
        "/v1/catalog/BDCAP1",
        headers=headers(ADMIN),
        json={
            "name": "上限测试",
            "grade": "A",
            "price_cap": "10000000.0000",  # > 9,999,999.9999
            "valid_from": "2018-01-01",
        },
    )
    assert response.status_code == 422
    assert response.json()["code"] == "amount_out_of_range"
