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

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from api.conftest import headers, hospital_key, new_person
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from support import unique

from app.errors import Unprocessable
from app.nhsa import reconcile, tx_settle
from app.reconciliation.scope import SHANGHAI
from app.settlement.service import BillSpec, LineSpec

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
    assert len(out["setldetail"]) == 5  # five layers, nothing hospital-borne (no 999996)
    # fund 14640 + 0 + 1930 + 80 + 1295 = 17945.00 over the layer rows
    assert sum(fen(row["fund_payamt"]) for row in out["setldetail"]) == 1794500
    # the person-year's bill total: 20000.00 (app.bounds.PERSON_YEAR_TOTAL_KEY)
    acc = await accumulators(engine, v.id_number)
    assert acc["bills:total_fen"] == 2000000

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


async def test_2304_replays_the_same_msgid_byte_for_byte_and_refuses_a_new_one(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    v = await visit(client)
    msg = msgid()
    first = await send(client, "2304", settle_node(v), msg=msg)
    ok(first)
    after = await accumulators(engine, v.id_number)
    again = await send(client, "2304", settle_node(v), msg=msg)
    assert again.content == first.content
    refused = failed(await send(client, "2304", settle_node(v)))
    assert refused == "FSI-输入[data].mdtrt_id：该就诊已结算，请勿重复结算"
    assert await accumulators(engine, v.id_number) == after  # settled once
    async with engine.connect() as c:
        count = await c.scalar(
            text("SELECT count(*) FROM settlements WHERE mdtrt_id = :m"), {"m": v.mdtrt_id}
        )
    assert count == 1


async def test_2303_previews_and_stores_nothing(client: AsyncClient, engine: AsyncEngine) -> None:
    v = await visit(client)
    out = ok(await send(client, "2303", settle_node(v)))
    info = out["setlinfo"]
    assert "setl_id" not in info
    want = expected("rulebook-example-1")
    assert figures_of(info, list(want)) == want
    assert await accumulators(engine, v.id_number) == {}
    async with engine.connect() as c:
        count = await c.scalar(
            text("SELECT count(*) FROM settlements WHERE mdtrt_id = :m"), {"m": v.mdtrt_id}
        )
    assert count == 0
    # and the visit still settles, to the same figures
    settled = ok(await send(client, "2304", settle_node(v)))["setlinfo"]
    assert figures_of(settled, list(want)) == want


@pytest.mark.parametrize("infno", ["2303", "2304"])
async def test_settle_errors(client: AsyncClient, engine: AsyncEngine, infno: str) -> None:
    v = await visit(client)
    wrong_person = await visit(client)

    async def refused(node: dict[str, Any], **kw: Any) -> str:
        return failed(await send(client, infno, node, **kw))

    assert await refused(settle_node(v, mdtrt_id="M999999999999999")) == (
        "FSI-输入[data].mdtrt_id：就诊信息不存在"
    )
    assert await refused(settle_node(v, psn_no=wrong_person.psn_no)) == (
        f"FSI-输入[data].psn_no：人员编号{wrong_person.psn_no}与就诊{v.mdtrt_id}不符"
    )
    assert await refused(settle_node(v, psn_no="P999999999999")) == (
        f"FSI-输入[data].psn_no：人员编号P999999999999与就诊{v.mdtrt_id}不符"
    )
    # 20000.00 uploaded; 19999.99 declared: both figures named
    assert await refused(settle_node(v, medfee="19999.99")) == (
        "FSI-输入[data].medfee_sumamt：医疗费总额19999.99与已上传费用明细合计20000.00不符"
    )
    assert await refused(settle_node(v, mid_setl_flag="1")) == (
        "FSI-输入[data].mid_setl_flag：暂不支持中途结算"
    )
    assert "mid_setl_flag" in await refused(settle_node(v, mid_setl_flag="9"))
    assert await refused(settle_node(v, insutype="310")) == (
        "FSI-输入[data].insutype：险种类型310不支持，只支持390（城乡居民基本医疗保险）"
    )
    assert (await refused(settle_node(v, medfee="20000.001"))).startswith(
        "FSI-输入[data].medfee_sumamt："
    )
    assert await refused(settle_node(v, mdtrt_id=None)) == "FSI-输入[data].mdtrt_id：不能为空"
    # the visit of another hospital is unknown there
    assert await refused(settle_node(v), hospital=OTHER_HOSPITAL) == (
        "FSI-输入[data].mdtrt_id：就诊信息不存在"
    )
    # an envelope naming another hospital than the key's
    body = envelope(infno, settle_node(v), fixmedins_code=OTHER_HOSPITAL)
    assert failed(await call(client, body)) == (
        f"FSI-报文头.fixmedins_code：{OTHER_HOSPITAL}不是该密钥所属的定点医药机构"
    )
    assert await accumulators(engine, v.id_number) == {}  # bad input changes nothing


async def test_no_discharge_date_then_dscgtime(client: AsyncClient) -> None:
    v = await visit(client, discharge=None)
    assert failed(await send(client, "2304", settle_node(v))) == (
        "FSI-输入[data].dscgTime：该就诊未办理出院（2402），也未传出院日期dscgTime"
    )
    out = ok(await send(client, "2304", settle_node(v, dscgTime="2018-06-12")))
    want = expected("rulebook-example-1")
    assert figures_of(out["setlinfo"], list(want)) == want
    before = await send(client, "2303", settle_node(v, dscgTime="2018-05-01"))
    assert failed(before) == "FSI-输入[data].mdtrt_id：该就诊已结算，请勿重复结算"


async def test_dscgtime_before_admission(client: AsyncClient) -> None:
    v = await visit(client, discharge=None)
    assert failed(await send(client, "2303", settle_node(v, dscgTime="2018-05-01"))) == (
        "FSI-输入[data].dscgTime：出院日期2018-05-01早于入院日期2018-06-01"
    )


async def test_person_not_enrolled_in_the_discharge_year(client: AsyncClient) -> None:
    id_number = await new_person(client, years=(2018,))
    v = await visit(client, id_number=id_number, discharge=None)
    assert failed(await send(client, "2304", settle_node(v, dscgTime="2019-01-02"))) == (
        "FSI-输入[data].psn_no：参保人2019年度未参保"
    )


async def test_a_visit_without_lines(client: AsyncClient) -> None:
    v = await visit(client, lines=[])
    assert failed(await send(client, "2304", settle_node(v, medfee="0"))) == (
        "FSI-输入[data].mdtrt_id：该就诊无费用明细"
    )


# -- 2305 --------------------------------------------------------------------------------------


async def test_2305_reverses_with_a_new_setl_id_and_negated_figures(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    v = await visit(client)
    setl_id = ok(await send(client, "2304", settle_node(v)))["setlinfo"]["setl_id"]
    msg = msgid()
    out = ok(await send(client, "2305", cancel_node(v, setl_id), msg=msg))
    info = out["setlinfo"]
    assert len(info) == 27 and "psn_no" not in info
    assert info["setl_id"] != setl_id and info["setl_id"].startswith("S")
    assert info["mdtrt_id"] == v.mdtrt_id and info["medins_setl_id"] == msg
    want = {k: -x for k, x in expected("rulebook-example-1").items() if k in info}
    assert figures_of(info, list(want)) == want
    assert info["fund_pay_sumamt"] == -17945.00
    assert all(row["fund_payamt"] <= 0 for row in out["setldetail"])
    assert sum(fen(row["fund_payamt"]) for row in out["setldetail"]) == -1794500
    assert await accumulators(engine, v.id_number) == {}  # restored
    # a second 2305 under a new msgid
    assert failed(await send(client, "2305", cancel_node(v, setl_id))) == (
        "FSI-输入[data].setl_id：该笔结算已撤销，请勿重复办理"
    )
    # the reversal record's setl_id is not a settlement to reverse
    assert failed(await send(client, "2305", cancel_node(v, info["setl_id"]))) == (
        f"FSI-输入[data].setl_id：{info['setl_id']}是结算撤销记录，不能再撤销"
    )
    # 3202's msgid of each record: the 2304's and the 2305's
    async with AsyncSession(engine) as session:
        found = await reconcile.nhsa_msgids_by_setl_id(
            session, HOSPITAL, [setl_id, info["setl_id"], "S999999999999999"]
        )
    assert found[info["setl_id"]] == msg and set(found) == {setl_id, info["setl_id"]}


async def test_2305_errors(client: AsyncClient) -> None:
    v = await visit(client)
    other = await visit(client)
    setl_id = ok(await send(client, "2304", settle_node(v)))["setlinfo"]["setl_id"]
    assert failed(await send(client, "2305", cancel_node(v, "S999999999999999"))) == (
        "FSI-输入[data].setl_id：结算IDS999999999999999不存在"
    )
    assert failed(await send(client, "2305", cancel_node(other, setl_id))) == (
        f"FSI-输入[data].setl_id：结算ID{setl_id}不属于就诊{other.mdtrt_id}"
    )
    wrong = {"data": {**cancel_node(v, setl_id)["data"], "psn_no": other.psn_no}}
    assert failed(await send(client, "2305", wrong)) == (
        f"FSI-输入[data].psn_no：人员编号{other.psn_no}与就诊{v.mdtrt_id}不符"
    )
    assert failed(await send(client, "2305", cancel_node(v, setl_id), hospital=OTHER_HOSPITAL)) == (
        "FSI-输入[data].mdtrt_id：就诊信息不存在"
    )


async def test_settle_again_after_2305_with_changed_lines(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    v = await visit(client)
    setl_id = ok(await send(client, "2304", settle_node(v)))["setlinfo"]["setl_id"]
    # frozen while settled
    cancel_line = {"data": {"feedetl_sn": "F1", "mdtrt_id": v.mdtrt_id, "psn_no": v.psn_no}}
    assert "已结算" in failed(await send(client, "2302", cancel_line))
    ok(await send(client, "2305", cancel_node(v, setl_id)))
    ok(await send(client, "2302", cancel_line))  # XC01 1000.00 gone
    # the old total is refused now: 20000.00 declared, 19000.00 standing
    assert "19000.00" in failed(await send(client, "2304", settle_node(v)))
    out = ok(await send(client, "2304", settle_node(v, medfee="19000.00")))["setlinfo"]
    # total 20000 − 1000 = 19000.00; in-policy unchanged 18500.00, so the funds pay as in
    # example 1 (accumulators restored by the 2305): 17945.00; self-pay 19000 − 17945 = 1055.00
    assert out["setl_id"] not in (setl_id,)
    assert fen(out["medfee_sumamt"]) == 1900000
    assert fen(out["fulamt_ownpay_amt"]) == 0
    assert fen(out["fund_pay_sumamt"]) == 1794500
    assert fen(out["psn_cash_pay"]) == 105500
    assert (await accumulators(engine, v.id_number))["bills:total_fen"] == 1900000
    async with engine.connect() as c:
        replaces = await c.scalar(
            text(
                "SELECT o.setl_id FROM settlements s JOIN settlements o ON o.id = s.replaces_id"
                " WHERE s.setl_id = :s"
            ),
            {"s": out["setl_id"]},
        )
    assert replaces == setl_id


# -- 2601 冲正 ----------------------------------------------------------------------------------


async def test_2601_of_2304_undoes_the_settlement(client: AsyncClient, engine: AsyncEngine) -> None:
    v = await visit(client)
    msg = msgid()
    setl_id = ok(await send(client, "2304", settle_node(v), msg=msg))["setlinfo"]["setl_id"]
    ok(await send(client, "2601", undo_node(v, msg, "2304")))
    assert await accumulators(engine, v.id_number) == {}
    assert failed(await send(client, "2304", settle_node(v), msg=msg)) == "FSI-该报文已冲正"
    async with engine.connect() as c:
        kind = await c.scalar(
            text(
                "SELECT r.kind FROM reversals r JOIN settlements s ON s.id = r.settlement_id"
                " WHERE s.setl_id = :s"
            ),
            {"s": setl_id},
        )
    assert kind == "correction"
    # the visit settles again (a new msgid), to example 1's figures
    again = ok(await send(client, "2304", settle_node(v)))["setlinfo"]
    want = expected("rulebook-example-1")
    assert figures_of(again, list(want)) == want and again["setl_id"] != setl_id


async def test_2601_of_2304_after_a_2305_is_refused(client: AsyncClient) -> None:
    v = await visit(client)
    msg = msgid()
    setl_id = ok(await send(client, "2304", settle_node(v), msg=msg))["setlinfo"]["setl_id"]
    ok(await send(client, "2305", cancel_node(v, setl_id)))
    assert "不能再冲正" in failed(await send(client, "2601", undo_node(v, msg, "2304")))


async def test_2601_of_2305_reinstates_the_settlement(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    v = await visit(client)
    setl_id = ok(await send(client, "2304", settle_node(v)))["setlinfo"]["setl_id"]
    settled = await accumulators(engine, v.id_number)
    msg = msgid()
    reversal = ok(await send(client, "2305", cancel_node(v, setl_id), msg=msg))
    assert await accumulators(engine, v.id_number) == {}
    ok(await send(client, "2601", undo_node(v, msg, "2305")))
    assert await accumulators(engine, v.id_number) == settled  # exactly the deltas again
    response = await client.get(
        f"/v1/settlements/{await settlement_id_of(engine, setl_id)}",
        headers=headers(hospital_key(HOSPITAL)),
    )
    assert response.json()["status"] == "settled"
    assert response.json()["reversal_setl_id"] is None
    async with engine.connect() as c:
        gone = await c.scalar(
            text("SELECT count(*) FROM reversals WHERE setl_id = :s"),
            {"s": reversal["setlinfo"]["setl_id"]},
        )
        audited = await c.scalar(
            text(
                "SELECT count(*) FROM audit_log WHERE action = 'settlement.reinstate'"
                " AND details ->> 'reversal_setl_id' = :s"
            ),
            {"s": reversal["setlinfo"]["setl_id"]},
        )
    assert gone == 0 and audited == 1
    # standing again: a new 2304 is refused, a 2305 reverses it
    assert "请勿重复结算" in failed(await send(client, "2304", settle_node(v)))
    ok(await send(client, "2305", cancel_node(v, setl_id)))


async def test_2601_of_2305_refused_when_the_person_year_moved_on(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    v = await visit(client)
    setl_id = ok(await send(client, "2304", settle_node(v)))["setlinfo"]["setl_id"]
    msg = msgid()
    ok(await send(client, "2305", cancel_node(v, setl_id), msg=msg))
    second = await visit(client, id_number=v.id_number)
    later = ok(await send(client, "2304", settle_node(second)))["setlinfo"]["setl_id"]
    before = await accumulators(engine, v.id_number)
    refused = failed(await send(client, "2601", undo_node(v, msg, "2305")))
    assert refused == (
        f"FSI-输入[data].omsgid：结算撤销后该参保人本年度已有新的结算或撤销（{later}），不能冲正"
    )
    assert await accumulators(engine, v.id_number) == before


async def test_2601_of_2305_refused_when_the_lines_changed(client: AsyncClient) -> None:
    v = await visit(client)
    setl_id = ok(await send(client, "2304", settle_node(v)))["setlinfo"]["setl_id"]
    msg = msgid()
    ok(await send(client, "2305", cancel_node(v, setl_id), msg=msg))
    cancel_line = {"data": {"feedetl_sn": "F1", "mdtrt_id": v.mdtrt_id, "psn_no": v.psn_no}}
    ok(await send(client, "2302", cancel_line))
    assert failed(await send(client, "2601", undo_node(v, msg, "2305"))) == (
        "FSI-输入[data].omsgid：结算撤销后该就诊的费用明细已变更，不能冲正"
    )


async def test_3201_after_a_corrected_2304_counts_nothing(own_client: AsyncClient) -> None:
    client = own_client
    v = await visit(client)
    msg = msgid()
    ok(await send(client, "2304", settle_node(v), msg=msg))
    ok(await send(client, "2601", undo_node(v, msg, "2304")))
    today = dt.datetime.now(SHANGHAI).date()
    node = {
        "data": {
            "insutype": "390",
            "clr_type": "21",
            "setl_optins": "",
            "stmt_begndate": (today - dt.timedelta(days=1)).isoformat(),
            "stmt_enddate": (today + dt.timedelta(days=1)).isoformat(),
            "medfee_sumamt": "0.00",
            "fund_pay_sumamt": "0.00",
            "acct_pay": "0.00",
            "fixmedins_setl_cnt": 0,
            "refd_setl_flag": "1",
        }
    }
    stmt = ok(await send(client, "3201", node))["stmtinfo"]
    assert stmt["stmt_rslt"] == "0", stmt
    # /v1 keeps both events (the settlement and its correction net to zero)
    response = await client.get(
        "/v1/reconciliation/settlements",
        params={
            "hospital_code": HOSPITAL,
            "date_from": node["data"]["stmt_begndate"],
            "date_to": node["data"]["stmt_enddate"],
        },
        headers=headers(hospital_key(HOSPITAL)),
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["items"]) == 2
    # the HIS's one standing record of a fresh settlement makes 3201 differ by exactly one
    ok(await send(client, "2304", settle_node(v)))
    differs = ok(await send(client, "3201", node))["stmtinfo"]
    assert (
        differs["stmt_rslt"] == "1"
        and "结算笔数不符：医药机构0，中心1" in differs["stmt_rslt_dscr"]
    )


# -- the RULEBOOK examples through the adapter ----------------------------------------------------


async def test_rulebook_example_2_no_category(client: AsyncClient) -> None:
    v = await visit(client, categories=())
    info = ok(await send(client, "2304", settle_node(v)))["setlinfo"]
    want = expected("rulebook-example-2")
    assert figures_of(info, list(want)) == want


async def test_rulebook_example_3_out_of_county(client: AsyncClient) -> None:
    v = await visit(client, county="510411")
    info = ok(await send(client, "2304", settle_node(v)))["setlinfo"]
    want = expected("rulebook-example-3")
    assert figures_of(info, list(want)) == want
    assert info["clr_optins"] == "510411"


async def test_rulebook_example_4_after_example_1(client: AsyncClient) -> None:
    first = await visit(client)
    info = ok(await send(client, "2304", settle_node(first)))["setlinfo"]
    assert figures_of(info, list(expected("rulebook-example-1"))) == expected("rulebook-example-1")
    second = await visit(client, id_number=first.id_number)
    info = ok(await send(client, "2304", settle_node(second)))["setlinfo"]
    want = expected("rulebook-example-4")
    assert figures_of(info, list(want)) == want


async def test_concurrent_2304_of_one_visit_settle_once(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    v = await visit(client)
    answers = await asyncio.gather(*(send(client, "2304", settle_node(v)) for _ in range(4)))
    codes = sorted(a.json()["infcode"] for a in answers)
    assert codes == [-1, -1, -1, 0]
    assert {a.json()["err_msg"] for a in answers if a.json()["infcode"] == -1} == {
        "FSI-输入[data].mdtrt_id：该就诊已结算，请勿重复结算"
    }
    assert (await accumulators(engine, v.id_number))["bills:total_fen"] == 2000000


def test_core_errors_are_translated_to_wire_fields_in_chinese() -> None:
    spec = BillSpec(
        hospital_code="H510402001",
        bill_no="M000000000000001",
        id_number="510402195001010014",
        patient_name="张三",
        admission_date=dt.date(2018, 6, 1),
        discharge_date=dt.date(2018, 6, 12),
        referral=False,
        lines=[
            LineSpec(1, "XA01", "a", 1_000_000, 10_000, 100, False),
            LineSpec(2, "XA99", "b", 1_000_000, 10_000, 100, False),
        ],
        request_hash="",
        replaces=None,
        mdtrt_id="M000000000000001",
    )

    def translated(code: str, loc: list[Any]) -> str:
        exc = Unprocessable("English detail", code=code, errors=[{"loc": loc, "msg": "English"}])
        return tx_settle._translated(exc, spec).err_msg

    assert translated("unknown_catalog_code", ["body", "items", 1, "code"]) == (
        "FSI-输入[data].mdtrt_id：费用明细的目录编码XA99在出院日期2018-06-12不在医保目录中"
    )
    assert translated("person_not_enrolled", ["body", "patient", "id_number"]) == (
        "FSI-输入[data].psn_no：参保人2018年度未参保"
    )
    assert translated("hospital_not_designated", ["body", "hospital_code"]) == (
        "FSI-报文头.fixmedins_code：H510402001不是定点医疗机构（非定点），不能结算"
    )
    assert translated("no_policy_in_force", ["body", "discharge_date"]) == (
        "FSI-输入[data].mdtrt_id：出院日期2018-06-12无生效的医保政策"
    )
    assert translated("amount_out_of_range", ["body", "items"]).startswith(
        "FSI-输入[data].medfee_sumamt：金额超出范围"
    )
    assert translated("something_new", []) == "FSI-输入[data].mdtrt_id：结算失败（something_new）"
