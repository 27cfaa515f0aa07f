"""The settle core the national interface calls (``service.settle_spec``, ``preview_spec``,
``find_by_setl_id``) and the national identifiers every settlement shows (``setl_id``,
``mdtrt_id``, ``reversal_setl_id``), through /v1 and through a ``BillSpec``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from support import fresh_uuid, unique

from app.auth.service import Caller
from app.bounds import UNIT_PRICE_MAX_E6
from app.errors import NotFound, Unprocessable
from app.settlement import service
from app.settlement.models import ITEM_COLUMNS
from app.settlement.service import BillSpec, LineSpec

from .conftest import bill_no, headers, hospital_key, make_bill, new_person, reverse, settle

pytestmark = pytest.mark.usefixtures("demo")

HOSPITAL = "H510402001"
SETL_ID = re.compile(r"S[0-9]{15}")


def caller(hospital: str = HOSPITAL) -> Caller:
    return Caller(key_id=fresh_uuid(), role="hospital", hospital_code=hospital)


def spec(id_number: str, lines: list[LineSpec], **extra: Any) -> BillSpec:
    mdtrt_id = extra.pop("mdtrt_id", unique("M", 12))
    values: dict[str, Any] = {
        "hospital_code": HOSPITAL,
        "bill_no": mdtrt_id,
        "id_number": id_number,
        "patient_name": "测试",
        "admission_date": dt.date(2018, 6, 1),
        "discharge_date": dt.date(2018, 6, 12),
        "referral": False,
        "lines": lines,
        "request_hash": hashlib.sha256(repr(lines).encode()).hexdigest(),
        "replaces": None,
        "mdtrt_id": mdtrt_id,
        **extra,
    }
    return BillSpec(**values)


def line(seq: int, code: str, price_e6: int, quantity_e4: int, amount_fen: int) -> LineSpec:
    return LineSpec(seq, code, f"line {seq}", price_e6, quantity_e4, amount_fen, False)


# Demo catalogue (app/demo.py): XA04 甲类 cap 3.50; XB02 乙类 ratio 0.20 cap 800.00.
#   1 XA04 3.505000 × 1.0000  = 3.505          → 3.51; over (3.505 − 3.50) × 1 = 0.005 → 0.01
#   2 XA04 3.504999 × 1.0000  = 3.504999       → 3.50; over 0.004999 → 0.00
#   3 XB02 800.123457 × 12.3456 = 9878.0041507392 → 9878.00;
#        over 0.123457 × 12.3456 = 1.5241507392 → 1.52; rest 9876.48; pre 0.20 × 9876.48 = 1975.296
#        → 1975.30; in-policy 7901.18
# total 3.51 + 3.50 + 9878.00 = 9885.01; over 0.01 + 0.00 + 1.52 = 1.53; pre 1975.30;
# in-policy 3.50 + 3.50 + 7901.18 = 7908.18 (= 9885.01 − 1.53 − 1975.30).
# At /v1's 4 price decimals, 3.504999 and 800.123457 could not be sent at all; the 6th decimal
# decides line 1 against line 2's over-limit fen.
FINE_LINES = [
    line(1, "XA04", 3_505000, 1_0000, 351),
    line(2, "XA04", 3_504999, 1_0000, 350),
    line(3, "XB02", 800_123457, 12_3456, 987_800),
]
FINE_TOTALS = {
    "total": "9885.01",
    "hospital_borne": "0.00",
    "full_self_pay": "0.00",
    "over_limit": "1.53",
    "pre_self_pay": "1975.30",
    "in_policy": "7908.18",
}


async def test_a_v1_settlement_shows_its_setl_id_and_no_visit(client: AsyncClient) -> None:
    person = await new_person(client)
    response = await settle(client, make_bill(bill_no(), person))
    assert response.status_code == 201, response.text
    created = response.json()
    assert SETL_ID.fullmatch(created["setl_id"])
    assert created["mdtrt_id"] is None
    assert created["reversal_setl_id"] is None
    got = await client.get(
        f"/v1/settlements/{created['settlement_id']}", headers=headers(hospital_key(HOSPITAL))
    )
    assert got.status_code == 200, got.text
    assert got.json()["setl_id"] == created["setl_id"]
    assert got.json()["mdtrt_id"] is None


async def test_a_reversal_shows_its_own_setl_id_and_find_by_setl_id_finds_both(
    client: AsyncClient, app: FastAPI
) -> None:
    person = await new_person(client)
    settled = (await settle(client, make_bill(bill_no(), person))).json()
    response = await reverse(client, settled)
    assert response.status_code == 200, response.text
    reversed_ = response.json()
    assert reversed_["status"] == "reversed"
    assert reversed_["setl_id"] == settled["setl_id"]
    assert SETL_ID.fullmatch(reversed_["reversal_setl_id"])
    assert reversed_["reversal_setl_id"] != settled["setl_id"]
    again = await reverse(client, settled)  # idempotent: the same reversal record
    assert again.json()["reversal_setl_id"] == reversed_["reversal_setl_id"]

    async with app.state.sessionmaker() as session:
        out, is_reversal = await service.find_by_setl_id(session, caller(), settled["setl_id"])
        assert (str(out.settlement_id), is_reversal) == (settled["settlement_id"], False)
        assert out.reversal_setl_id == reversed_["reversal_setl_id"]
        out, is_reversal = await service.find_by_setl_id(
            session, caller(), reversed_["reversal_setl_id"]
        )
        assert (str(out.settlement_id), is_reversal) == (settled["settlement_id"], True)
        with pytest.raises(NotFound):  # another hospital's is absent
            await service.find_by_setl_id(session, caller("H510402002"), settled["setl_id"])
        with pytest.raises(NotFound):
            await service.find_by_setl_id(session, caller(), "S999999999999999")


async def test_settle_spec_is_exact_at_six_price_and_four_quantity_decimals(
    client: AsyncClient, app: FastAPI, engine: AsyncEngine
) -> None:
    person = await new_person(client)
    bill = spec(person, FINE_LINES)
    async with app.state.sessionmaker() as session:
        previewed = await service.preview_spec(session, app.state.policies, bill)
    assert previewed.setl_id is None
    assert previewed.mdtrt_id == bill.mdtrt_id
    async with app.state.sessionmaker() as session:
        out, created = await service.settle_spec(session, app.state.policies, caller(), bill)
        await session.commit()
    assert created
    assert out.model_dump(mode="json")["totals"] == FINE_TOTALS
    assert previewed.model_dump(mode="json")["totals"] == FINE_TOTALS
    assert out.bill_no == out.mdtrt_id == bill.mdtrt_id
    assert out.setl_id is not None and SETL_ID.fullmatch(out.setl_id)

    async with app.state.sessionmaker() as session:  # a replay: the same settlement
        again, created = await service.settle_spec(session, app.state.policies, caller(), bill)
    assert not created
    assert again.setl_id == out.setl_id
    assert again.model_dump(mode="json")["totals"] == FINE_TOTALS

    got = await client.get(
        f"/v1/settlements/{out.settlement_id}", headers=headers(hospital_key(HOSPITAL))
    )
    assert got.json()["mdtrt_id"] == bill.mdtrt_id
    assert got.json()["setl_id"] == out.setl_id
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    f"SELECT {', '.join(ITEM_COLUMNS)} FROM settlement_items "
                    "WHERE settlement_id = :id ORDER BY seq"
                ),
                {"id": out.settlement_id},
            )
        ).all()
        stored_mdtrt = (
            await conn.execute(
                text("SELECT mdtrt_id FROM settlements WHERE id = :id"), {"id": out.settlement_id}
            )
        ).scalar_one()
    assert stored_mdtrt == bill.mdtrt_id
    # as given, with the catalogue facts at the engine's scale (caps 3.50, 800.00 in 1e-6 yuan)
    assert [tuple(r) for r in rows] == [
        (1, "XA04", "line 1", 3_505000, 1_0000, 351, False, "A", 0, 3_500000),
        (2, "XA04", "line 2", 3_504999, 1_0000, 350, False, "A", 0, 3_500000),
        (3, "XB02", "line 3", 800_123457, 12_3456, 987_800, False, "B", 2000, 800_000000),
    ]


@pytest.mark.parametrize(
    ("lines", "code", "loc"),
    [
        (
            [line(1, "XA06", UNIT_PRICE_MAX_E6 + 1, 1, 1_000_000_00)],
            "amount_out_of_range",
            ["body", "items", 0, "unit_price"],
        ),
        (
            [line(4, "XA06", 1_000000, 1_0000, 100), line(4, "XA06", 1_000000, 1_0000, 100)],
            "validation_error",
            ["body", "items", 1, "seq"],
        ),
        ([line(1, "XA06", 1_000000, 0, 0)], "validation_error", ["body", "items", 0, "quantity"]),
        ([], "validation_error", ["body", "items"]),
    ],
)
async def test_a_spec_is_checked_as_the_v1_schema_checks_a_body(
    client: AsyncClient, app: FastAPI, lines: list[LineSpec], code: str, loc: list[Any]
) -> None:
    person = await new_person(client)
    bill = spec(person, lines)
    for attempt in ("preview", "settle"):
        async with app.state.sessionmaker() as session:
            with pytest.raises(Unprocessable) as caught:
                if attempt == "preview":
                    await service.preview_spec(session, app.state.policies, bill)
                else:
                    await service.settle_spec(session, app.state.policies, caller(), bill)
        assert caught.value.code == code
        assert [e["loc"] for e in caught.value.errors] == [loc]
    found = await client.get(
        "/v1/settlements",
        params={"hospital_code": HOSPITAL, "bill_no": bill.bill_no},
        headers=headers(hospital_key(HOSPITAL)),
    )
    assert found.status_code == 404  # nothing stored


async def test_a_visit_spec_settles_its_netted_amounts(client: AsyncClient, app: FastAPI) -> None:
    """A visit's line is an original less its partial refunds, each rounded when 2301 took it:
    3.505000 × 1 is 3.51 rounded, yet the line may net to 3.50 (docs/nhsa-visits.md). The core
    settles the amount as given (a /v1 body's amount must be round(unit_price × quantity):
    tests/api/test_settlements.py); XA06 甲 without a cap, so all 3.50 in-policy."""
    person = await new_person(client)
    bill = spec(person, [line(1, "XA06", 3_505000, 1_0000, 350)])
    async with app.state.sessionmaker() as session:
        out = await service.preview_spec(session, app.state.policies, bill)
    assert (out.totals.total, out.totals.in_policy, out.totals.over_limit) == (350, 350, 0)
