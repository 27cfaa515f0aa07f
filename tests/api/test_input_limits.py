"""Values that pass the schema but that PostgreSQL or the clock cannot represent are 422, never 500
(found by schemathesis)."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from .conftest import ADMIN, assert_problem, headers, hospital_key

pytestmark = pytest.mark.usefixtures("demo")


async def test_nul_character_in_text_is_422(client: AsyncClient) -> None:
    item = {"name": "a\u0000b", "grade": "C", "self_pay_ratio": "0", "valid_from": "2018-01-01"}
    response = await client.put("/v1/catalog/NUL1", headers=headers(ADMIN), json=item)
    assert_problem(response, 422, "invalid_character")
    response = await client.get("/v1/audit", headers=headers(ADMIN), params={"action": "\u0000"})
    assert_problem(response, 422, "invalid_character")
    assert (await client.get("/v1/catalog/NUL1", headers=headers(ADMIN))).status_code == 404


async def test_body_that_is_not_utf8_is_422(client: AsyncClient) -> None:
    response = await client.post(
        "/v1/settlements/preview",
        headers={**headers(hospital_key("H510402001")), "content-type": "application/json"},
        content=b'{"bill_no": "\xff\xfe"}',
    )
    assert_problem(response, 422, "validation_error", locs=[["body"]])


@pytest.mark.parametrize(
    ("date_from", "date_to", "loc"),
    [
        ("0001-01-01", "2018-01-01", "date_from"),  # its Asia/Shanghai midnight is in year 0
        ("2018-01-01", "9999-12-31", "date_to"),  # the day after does not exist
    ],
)
async def test_reconciliation_dates_out_of_range_are_422(
    client: AsyncClient, date_from: str, date_to: str, loc: str
) -> None:
    days = {"date_from": date_from, "date_to": date_to}
    key = headers("demo-agency")
    for path in ("totals", "settlements", "poverty-ledger"):
        response = await client.get(f"/v1/reconciliation/{path}", headers=key, params=days)
        assert_problem(response, 422, "validation_error", locs=[["query", loc]])
    books = {"hospital_code": "H510402001", **days, "funds": []}
    response = await client.post("/v1/reconciliation/check", headers=key, json=books)
    assert_problem(response, 422, "validation_error", locs=[["body", loc]])


async def test_audit_after_id_beyond_bigint_is_422(client: AsyncClient) -> None:
    response = await client.get("/v1/audit", headers=headers(ADMIN), params={"after_id": 2**63})
    assert_problem(response, 422, "validation_error", locs=[["query", "after_id"]])
