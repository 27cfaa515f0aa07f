"""The visit transactions (2401 2402 2404 2405 2301 2302) through the envelope, as a HIS sends
them: success, each error path with its exact ``err_msg``, message replay and reuse, 冲正.

Every test has a person of its own (``register``) and msgids nobody else uses; what it checks in
the database it reads by its own visit. Demo catalogue (app/demo.py): XA06 甲 no cap, XA05 甲
cap 1200.00, XB01 乙 ratio 0.10, XC01 丙.
"""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from .fsi import HOSPITAL, call, envelope, failed, msgid, ok
from .his import (
    admission,
    admitted,
    chongzheng,
    discharge,
    exact,
    fee,
    psn_no_of,
    register,
    settle_input,
    visit_with_lines,
)

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
async def psn_no(client: AsyncClient) -> str:
    return await psn_no_of(client, await register(client))


async def standing_lines(engine: AsyncEngine, mdtrt_id: str) -> list[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT l.feedetl_sn FROM fee_lines l JOIN visits v ON v.id = l.visit_id"
                " WHERE v.mdtrt_id = :m AND l.cancelled_at IS NULL ORDER BY l.id"
            ),
            {"m": mdtrt_id},
        )
        return [sn for (sn,) in rows]


async def visit_row(engine: AsyncEngine, mdtrt_id: str) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    text("SELECT status, discharge_date FROM visits WHERE mdtrt_id = :m"),
                    {"m": mdtrt_id},
                )
            )
            .mappings()
            .one()
        )
    return dict(row)


async def visits_of_ipt_no(engine: AsyncEngine, ipt_no: str) -> int:
    async with engine.connect() as conn:
        return int(
            await conn.scalar(
                text("SELECT count(*) FROM visits WHERE hospital_code = :h AND ipt_no = :i"),
                {"h": HOSPITAL, "i": ipt_no},
            )
            or 0
        )


def ref(psn_no: str, mdtrt_id: str) -> dict[str, Any]:
    return {"data": {"mdtrt_id": mdtrt_id, "psn_no": psn_no}}


async def test_a_visit_from_admission_to_cancellation(
    client: AsyncClient, engine: AsyncEngine, psn_no: str
) -> None:
    m = await admitted(client, psn_no)
    assert m.startswith("M") and len(m) == 16
    lines = [
        fee(psn_no, m, "1", "XA06", "1280.00", "1", "1280.00"),
        # 乙 0.10: 50.00 × 2 = 100.00 → pre-self-pay 10.00, in-policy 90.00
        fee(psn_no, m, "2", "XB01", "50.00", "2", "100.00"),
        # 甲 cap 1200.00, priced 1300.00: over-limit 100.00, in-policy 1200.00
        fee(psn_no, m, "3", "XA05", "1300.00", "1", "1300.00"),
        # 丙 30.00 × 1.5 = 45.00, all full self-pay
        fee(psn_no, m, "4", "XC01", "30.00", "1.5", "45.00"),
        # hospital-borne 甲: full self-pay on the wire (the platform's 全自费 class)
        fee(psn_no, m, "5", "XA06", "20.00", "1", "20.00", borne=True),
    ]
    answer = await call(client, envelope("2301", {"feedetail": lines}))
    # money out: JSON numbers with exactly two decimals
    assert b'"inscp_scp_amt":90.00' in answer.content.replace(b" ", b"")
    result = exact(answer)["result"]
    by_sn = {r["feedetl_sn"]: r for r in result}
    assert [r["feedetl_sn"] for r in result] == ["1", "2", "3", "4", "5"]
    split = {
        sn: (
            r["fulamt_ownpay_amt"],
            r["overlmt_amt"],
            r["preselfpay_amt"],
            r["inscp_scp_amt"],
            r["chrgitm_lv"],
            r["selfpay_prop"],
            r["pric_uplmt_amt"],
        )
        for sn, r in by_sn.items()
    }
    D = _dec
    assert split == {
        "1": (D("0.00"), D("0.00"), D("0.00"), D("1280.00"), "01", D("0"), D("1280")),
        "2": (D("0.00"), D("0.00"), D("10.00"), D("90.00"), "02", D("0.1"), D("50")),
        "3": (D("0.00"), D("100.00"), D("0.00"), D("1200.00"), "01", D("0"), D("1200")),
        "4": (D("45.00"), D("0.00"), D("0.00"), D("0.00"), "03", D("1"), D("30")),
        "5": (D("20.00"), D("0.00"), D("0.00"), D("0.00"), "01", D("0"), D("20")),
    }
    # 2302 of one line, then 2402 and 2405, then "0000" and 2404.
    one = {"data": {"feedetl_sn": "2", "mdtrt_id": m, "psn_no": psn_no}}
    assert ok(await call(client, envelope("2302", one))) == {}
    assert await standing_lines(engine, m) == ["1", "3", "4", "5"]
    assert ok(await call(client, envelope("2402", discharge(psn_no, m)))) == {}
    assert str((await visit_row(engine, m))["discharge_date"]) == "2018-06-12"
    assert ok(await call(client, envelope("2405", ref(psn_no, m)))) == {}
    assert (await visit_row(engine, m))["discharge_date"] is None
    # 2404 with lines left: refused, nothing changes.
    assert (
        failed(await call(client, envelope("2404", ref(psn_no, m))))
        == "该就诊存在费用明细，请先撤销费用明细"  # no loc: the detail as it is
    )
    every = {"data": {"feedetl_sn": "0000", "mdtrt_id": m, "psn_no": psn_no}}
    assert ok(await call(client, envelope("2302", every))) == {}
    assert await standing_lines(engine, m) == []
    # "0000" again: nothing left to cancel (the text N7 reads as "go on").
    assert failed(await call(client, envelope("2302", every))) == (
        "FSI-输入[data].feedetl_sn：根据传来的参数在费用明细表中未查询到任何有效相关的记录"
    )
    assert ok(await call(client, envelope("2404", ref(psn_no, m)))) == {}
    assert (await visit_row(engine, m))["status"] == "cancelled"
    # A cancelled visit takes nothing more.
    assert (
        failed(await call(client, envelope("2402", discharge(psn_no, m))))
        == "FSI-出院信息[dscginfo].mdtrt_id：该就诊已撤销"
    )


def _dec(value: str) -> Any:
    from decimal import Decimal

    return Decimal(value)


async def test_2401_error_paths(client: AsyncClient, engine: AsyncEngine, psn_no: str) -> None:
    unenrolled = await psn_no_of(client, await register(client, years=(2017,)))
    cases = [
        (
            admission("P999999999999"),
            "FSI-就诊信息[mdtrtinfo].psn_no：人员编号P999999999999不存在",
        ),
        (
            admission(unenrolled),
            "FSI-就诊信息[mdtrtinfo].psn_no：该参保人2018年度未参加城乡居民基本医疗保险",
        ),
        (
            admission(psn_no, insutype="310"),
            "FSI-就诊信息[mdtrtinfo].insutype：险种类型310不支持，仅支持390城乡居民基本医疗保险",
        ),
        (
            admission(psn_no, med_type="11"),
            "FSI-就诊信息[mdtrtinfo].med_type：医疗类别11不支持，仅支持21普通住院",
        ),
    ]
    for node, message in cases:
        ipt_no = node["mdtrtinfo"]["ipt_no"]
        assert failed(await call(client, envelope("2401", node))) == message
        assert await visits_of_ipt_no(engine, ipt_no) == 0  # nothing stored
    # One open visit per ipt_no.
    first = admission(psn_no)
    m = ok(await call(client, envelope("2401", first)))["result"]["mdtrt_id"]
    assert failed(await call(client, envelope("2401", first))) == (
        f"FSI-就诊信息[mdtrtinfo].ipt_no：住院号{first['mdtrtinfo']['ipt_no']}已有未撤销的就诊{m}"
    )
    assert await visits_of_ipt_no(engine, first["mdtrtinfo"]["ipt_no"]) == 1


async def test_visit_unknown_in_every_transaction(client: AsyncClient, psn_no: str) -> None:
    nope = "M999999999999999"
    line = fee(psn_no, nope, "1", "XA06", "1.00", "1", "1.00")
    cases = [
        ("2402", discharge(psn_no, nope), "FSI-出院信息[dscginfo].mdtrt_id：就诊信息不存在"),
        ("2404", ref(psn_no, nope), "FSI-输入[data].mdtrt_id：就诊信息不存在"),
        ("2405", ref(psn_no, nope), "FSI-输入[data].mdtrt_id：就诊信息不存在"),
        ("2301", {"feedetail": [line]}, "FSI-费用明细[feedetail][0].mdtrt_id：就诊信息不存在"),
        (
            "2302",
            {"data": {"feedetl_sn": "0000", "mdtrt_id": nope, "psn_no": psn_no}},
            "FSI-输入[data].mdtrt_id：就诊信息不存在",
        ),
    ]
    for infno, node, message in cases:
        assert failed(await call(client, envelope(infno, node))) == message, infno
    # Another hospital's visit is unknown here too.
    m = await admitted(client, psn_no)
    other = envelope("2402", discharge(psn_no, m), fixmedins_code="H510402003")
    assert failed(await call(client, other, key="demo-H510402003")) == (
        "FSI-出院信息[dscginfo].mdtrt_id：就诊信息不存在"
    )
    # Someone else's psn_no on this visit.
    someone = await psn_no_of(client, await register(client))
    assert failed(await call(client, envelope("2402", discharge(someone, m)))) == (
        f"FSI-出院信息[dscginfo].psn_no：人员编号{someone}与就诊{m}不符"
    )


async def test_2301_duplicates_unknown_codes_all_or_nothing(
    client: AsyncClient, engine: AsyncEngine, psn_no: str
) -> None:
    m = await admitted(client, psn_no)

    def line(sn: str, code: str = "XA06") -> dict[str, Any]:
        return fee(psn_no, m, sn, code, "10.00", "1", "10.00")

    # A duplicate feedetl_sn in one call: the second one is named; nothing is stored.
    assert failed(await call(client, envelope("2301", {"feedetail": [line("A"), line("A")]}))) == (
        "FSI-费用明细[feedetail][1].feedetl_sn：费用明细流水号A重复"
    )
    assert await standing_lines(engine, m) == []
    # An unknown code fails its line, naming its index and its feedetl_sn; the good line 0 of
    # the same call is not kept (all or nothing).
    assert failed(
        await call(client, envelope("2301", {"feedetail": [line("A"), line("B", "XA99")]}))
    ) == ("FSI-费用明细[feedetail][1].med_list_codg：目录编码XA99不存在（费用明细流水号B）")
    assert await standing_lines(engine, m) == []
    # A bad amount in line 2 fails the whole call too.
    bad = fee(psn_no, m, "C", "XA06", "10.00", "2", "20.01")
    assert failed(
        await call(client, envelope("2301", {"feedetail": [line("A"), line("B"), bad]}))
    ) == (
        "FSI-费用明细[feedetail][2].det_item_fee_sumamt：明细项目费用总额20.01不等于单价×数量20.00"
    )
    assert await standing_lines(engine, m) == []
    ok(await call(client, envelope("2301", {"feedetail": [line("A"), line("B")]})))
    # A duplicate across calls: the later call fails, the first call's lines stand.
    assert failed(await call(client, envelope("2301", {"feedetail": [line("C"), line("B")]}))) == (
        "FSI-费用明细[feedetail][1].feedetl_sn：费用明细流水号B重复"
    )
    assert await standing_lines(engine, m) == ["A", "B"]
    # A number cancelled by 2302 may come again (the corrected line).
    cancel = {"data": {"feedetl_sn": "B", "mdtrt_id": m, "psn_no": psn_no}}
    ok(await call(client, envelope("2302", cancel)))
    ok(await call(client, envelope("2301", {"feedetail": [line("B")]})))
    assert await standing_lines(engine, m) == ["A", "B"]
    # Lines of two visits in one call.
    other = await admitted(client, psn_no)
    mixed = [line("D"), fee(psn_no, other, "E", "XA06", "10.00", "1", "10.00")]
    assert failed(await call(client, envelope("2301", {"feedetail": mixed}))) == (
        "FSI-费用明细[feedetail][1].mdtrt_id：同一次上传的费用明细须属于同一就诊"
    )
    assert await standing_lines(engine, m) == ["A", "B"]


async def test_2301_refunds(client: AsyncClient, engine: AsyncEngine, psn_no: str) -> None:
    m = await admitted(client, psn_no)
    # XB01 乙 0.10: 50.00 × 4 = 200.00 → pre-self-pay 20.00, in-policy 180.00.
    ok(
        await call(
            client,
            envelope("2301", {"feedetail": [fee(psn_no, m, "1", "XB01", "50.00", "4", "200.00")]}),
        )
    )
    # Refund 1 of 4: the result is the change to line 1: 150.00 → pre 15.00, in 135.00, so
    # −5.00 and −45.00.
    refund = fee(psn_no, m, "R1", "XB01", "50.00", "-1", "-50.00", init="1")
    (row,) = exact(await call(client, envelope("2301", {"feedetail": [refund]})))["result"]
    assert (row["feedetl_sn"], row["det_item_fee_sumamt"], row["preselfpay_amt"]) == (
        "R1",
        _dec("-50.00"),
        _dec("-5.00"),
    )
    assert row["inscp_scp_amt"] == _dec("-45.00")
    # More than is left (3): refused naming the count.
    over = fee(psn_no, m, "R2", "XB01", "50.00", "-4", "-200.00", init="1")
    assert failed(await call(client, envelope("2301", {"feedetail": [over]}))) == (
        "FSI-费用明细[feedetail][0].cnt：退费数量超过原明细1的剩余数量3"
    )
    # A refund of a line that does not exist.
    ghost = fee(psn_no, m, "R3", "XB01", "50.00", "-1", "-50.00", init="NOPE")
    assert failed(await call(client, envelope("2301", {"feedetail": [ghost]}))) == (
        "FSI-费用明细[feedetail][0].init_feedetl_sn：原费用明细流水号NOPE不存在"
    )
    assert await standing_lines(engine, m) == ["1", "R1"]
    # 2302 of the original cancels its refunds with it.
    cancel = {"data": [{"feedetl_sn": "1", "mdtrt_id": m, "psn_no": psn_no}]}
    ok(await call(client, envelope("2302", cancel)))
    assert await standing_lines(engine, m) == []


async def test_wrong_hospital_and_unknown_infno_change_nothing(
    client: AsyncClient, engine: AsyncEngine, psn_no: str
) -> None:
    node = admission(psn_no)
    body = envelope("2401", node, fixmedins_code="H510402003")  # not the key's hospital
    assert failed(await call(client, body)) == (
        "FSI-报文头.fixmedins_code：H510402003不是该密钥所属的定点医药机构"
    )
    assert await visits_of_ipt_no(engine, node["mdtrtinfo"]["ipt_no"]) == 0
    assert failed(await call(client, envelope("2399", node))) == "FSI-不支持的交易编号：2399"
    assert await visits_of_ipt_no(engine, node["mdtrtinfo"]["ipt_no"]) == 0
    # The code in the path must be the envelope's.
    path = "/fsi/api/rsfComIfsService/callService/2402"
    assert failed(await call(client, envelope("2401", node), path=path)) == (
        "FSI-报文头.infno：与请求路径中的交易编号2402不一致"
    )
    ok(
        await call(
            client, envelope("2401", node), path="/fsi/api/rsfComIfsService/callService/2401"
        )
    )
    assert await visits_of_ipt_no(engine, node["mdtrtinfo"]["ipt_no"]) == 1


async def test_replay_and_reuse_of_2401_and_2301(
    client: AsyncClient, engine: AsyncEngine, psn_no: str
) -> None:
    node = admission(psn_no)
    body = envelope("2401", node)
    first = await call(client, body)
    m = ok(first)["result"]["mdtrt_id"]
    again = await call(client, {**body, "inf_time": "2026-12-01 10:00:09"})
    assert again.content == first.content  # byte for byte
    assert await visits_of_ipt_no(engine, node["mdtrtinfo"]["ipt_no"]) == 1  # one visit
    other = {**body, "input": admission(psn_no)}  # another ipt_no under the same msgid
    assert failed(await call(client, other)) == f"FSI-报文ID重复：{body['msgid']}已用于另一报文"
    assert await visits_of_ipt_no(engine, other["input"]["mdtrtinfo"]["ipt_no"]) == 0

    upload = envelope("2301", {"feedetail": [fee(psn_no, m, "1", "XA06", "10.00", "1", "10.00")]})
    first = await call(client, upload)
    ok(first)
    assert (await call(client, upload)).content == first.content
    assert await standing_lines(engine, m) == ["1"]  # not a duplicate feedetl_sn: a replay
    changed = {
        **upload,
        "input": {"feedetail": [fee(psn_no, m, "2", "XA06", "10.00", "1", "10.00")]},
    }
    assert failed(await call(client, changed)).startswith("FSI-报文ID重复")
    assert await standing_lines(engine, m) == ["1"]
    # A failed message stored nothing: the same msgid may carry the corrected message.
    broken = envelope("2301", {"feedetail": [fee(psn_no, m, "3", "XA99", "1.00", "1", "1.00")]})
    failed(await call(client, broken))
    fixed = {**broken, "input": {"feedetail": [fee(psn_no, m, "3", "XA06", "1.00", "1", "1.00")]}}
    ok(await call(client, fixed))
    assert await standing_lines(engine, m) == ["1", "3"]


async def test_2601_of_2401(client: AsyncClient, engine: AsyncEngine, psn_no: str) -> None:
    node = admission(psn_no)
    body = envelope("2401", node)
    m = ok(await call(client, body))["result"]["mdtrt_id"]
    undo = envelope("2601", chongzheng(psn_no, body["msgid"], "2401"))
    assert ok(await call(client, undo)) == {}
    assert (await visit_row(engine, m))["status"] == "cancelled"
    # The 2601 itself replays; the 2401 now answers 该报文已冲正; a second 冲正 is refused.
    assert ok(await call(client, undo)) == {}
    assert failed(await call(client, body)) == "FSI-该报文已冲正"
    again = envelope("2601", chongzheng(psn_no, body["msgid"], "2401"))
    assert failed(await call(client, again)).startswith("FSI-输入[data].omsgid：原报文已冲正")
    # The ipt_no is free again: a new 2401 (new msgid) opens a new visit.
    m2 = ok(await call(client, envelope("2401", node)))["result"]["mdtrt_id"]
    assert m2 != m
    # 冲正 naming the wrong oinfno is refused and changes nothing.
    body2 = envelope("2401", admission(psn_no))
    m3 = ok(await call(client, body2))["result"]["mdtrt_id"]
    wrong = envelope("2601", chongzheng(psn_no, body2["msgid"], "2304"))
    assert failed(await call(client, wrong)) == (
        f"FSI-输入[data].oinfno：原报文{body2['msgid']}的交易编号是2401，不是2304"
    )
    assert (await visit_row(engine, m3))["status"] == "open"
    # A 2401 whose visit has lines: the undo (as 2404) refuses, the visit stays.
    ok(
        await call(
            client,
            envelope("2301", {"feedetail": [fee(psn_no, m3, "1", "XA06", "1.00", "1", "1.00")]}),
        )
    )
    blocked = envelope("2601", chongzheng(psn_no, body2["msgid"], "2401"))
    assert (
        failed(await call(client, blocked)) == "该就诊存在费用明细，请先撤销费用明细"
    )  # no loc: the detail as it is
    assert (await visit_row(engine, m3))["status"] == "open"
    ok(await call(client, body2))  # not marked 冲正: it still replays


async def test_2601_of_a_msgid_never_seen_then_it_arrives(
    client: AsyncClient, engine: AsyncEngine, psn_no: str
) -> None:
    late = msgid()
    assert ok(await call(client, envelope("2601", chongzheng(psn_no, late, "2401")))) == {}
    node = admission(psn_no)
    assert failed(await call(client, envelope("2401", node, msg=late))) == "FSI-该报文已冲正"
    assert await visits_of_ipt_no(engine, node["mdtrtinfo"]["ipt_no"]) == 0  # never took effect


async def test_a_settled_visit_is_frozen(
    client: AsyncClient, engine: AsyncEngine, psn_no: str
) -> None:
    m = await visit_with_lines(client, psn_no, [("1", "XA06", "100.00", "1")])
    ok(await call(client, envelope("2304", settle_input(psn_no, m, "100.00"))))
    line = fee(psn_no, m, "2", "XA06", "1.00", "1", "1.00")
    cases = [
        ("2301", {"feedetail": [line]}, "该就诊已结算，费用明细不可变更"),
        ("2302", {"data": {"feedetl_sn": "0000", "mdtrt_id": m, "psn_no": psn_no}}, None),
        ("2402", discharge(psn_no, m), None),
        ("2404", ref(psn_no, m), "该就诊已结算，不能撤销入院"),
        ("2405", ref(psn_no, m), "该就诊已结算，请先撤销结算"),
    ]
    for infno, node, message in cases:
        got = failed(await call(client, envelope(infno, node)))
        assert "已结算" in got, (infno, got)
        if message is not None:
            assert got == message, infno
    assert await standing_lines(engine, m) == ["1"]
    assert str((await visit_row(engine, m))["discharge_date"]) == "2018-06-12"


async def test_2402_error_paths(client: AsyncClient, psn_no: str) -> None:
    m = await admitted(client, psn_no)
    wrong = discharge(psn_no, m)
    wrong["dscginfo"]["insutype"] = "310"
    assert failed(await call(client, envelope("2402", wrong))) == (
        "FSI-出院信息[dscginfo].insutype：险种类型310与入院登记不符"
    )
    early = discharge(psn_no, m, endtime="2018-05-31 23:59:59")
    assert failed(await call(client, envelope("2402", early))) == (
        "FSI-出院信息[dscginfo].endtime：出院时间不能早于入院时间"
    )
    ok(await call(client, envelope("2402", discharge(psn_no, m))))
    assert failed(await call(client, envelope("2402", discharge(psn_no, m)))) == (
        "FSI-出院信息[dscginfo].mdtrt_id：该就诊已办理出院，请先撤销出院"
    )
    ok(await call(client, envelope("2405", ref(psn_no, m))))
    assert failed(await call(client, envelope("2405", ref(psn_no, m)))) == (
        "FSI-输入[data].mdtrt_id：该就诊未办理出院"
    )
