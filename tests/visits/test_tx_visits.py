"""The visit handlers called directly with a ``Call`` (the envelope around them is the
dispatcher's, tested with it): they parse the wire input, call the service and write the answer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import app.nhsa  # noqa: F401 - registers the handlers
from app.auth.service import Caller
from app.errors import AppError, Conflict, Unprocessable
from app.nhsa.dispatch import HANDLERS, UNDO, Call, Done
from app.nhsa.wire import Fen, Scaled
from app.types import loads

from .conftest import SH, World

SM = async_sessionmaker[AsyncSession]


async def call(sm: SM, w: World, infno: str, raw: Any) -> Done:
    async with sm.begin() as session:
        return await HANDLERS[infno](_call(session, w, infno), raw)


async def undo(sm: SM, w: World, infno: str, effect: Mapping[str, str]) -> None:
    async with sm.begin() as session:
        await UNDO[infno](_call(session, w, "2601"), effect)


def _call(session: AsyncSession, w: World, infno: str) -> Call:
    return Call(
        session=session,
        caller=Caller(uuid.uuid4(), "hospital", w.hospital),
        hospital_code=w.hospital,
        msgid=f"{w.hospital}{infno}",
        infno=infno,
        envelope={},
        policies=None,  # type: ignore[arg-type] # the visit handlers read no policy
        now=dt.datetime(2018, 6, 2, tzinfo=SH),
    )


def mdtrtinfo(w: World, **kw: Any) -> dict[str, Any]:
    info = {
        "psn_no": w.psn_no,
        "insutype": "390",
        "begntime": "2018-06-01 08:00:00",
        "mdtrt_cert_type": "02",
        "mdtrt_cert_no": "510402199001010014",
        "med_type": "21",
        "ipt_no": f"ZY{w.hospital}",
        "adm_diag_dscr": "肺炎",
    }
    return {"mdtrtinfo": {**info, **kw}, "diseinfo": [{"diag_code": "J18.900"}]}


def fee(w: World, m: str, sn: str, code: str, pric: Any, cnt: Any, amt: Any, **kw: Any) -> dict:
    return {
        "feedetl_sn": sn,
        "mdtrt_id": m,
        "psn_no": w.psn_no,
        "med_type": "21",
        "fee_ocur_time": "2018-06-02 09:30:00",
        "med_list_codg": code,
        "medins_list_codg": "H-" + code,
        "pric": pric,
        "cnt": cnt,
        "det_item_fee_sumamt": amt,
        "bilg_dept_codg": "D01",
        "bilg_dept_name": "内科",
        "bilg_dr_codg": "DR1",
        "bilg_dr_name": "李医生",
        **kw,
    }


def only_loc(exc: AppError) -> list[str | int]:
    (item,) = exc.errors
    return list(item["loc"])


async def test_visit_through_the_handlers(visits_db: SM, world: World) -> None:
    w = world
    done = await call(visits_db, w, "2401", mdtrtinfo(w))
    m = done.output["result"]["mdtrt_id"]
    assert done.effect == {"mdtrt_id": m}
    done = await call(
        visits_db,
        w,
        "2301",
        {
            "feedetail": [
                # 乙 0.05: 4.52 × 1 (a JSON number, Decimal as app.routing.loads gives it)
                fee(w, m, "1", w.b, Decimal("4.52"), 1, Decimal("4.52")),
                # hospital-borne, exp_content as a JSON string; strings for the numbers
                fee(w, m, "2", w.a, "10.00", "1", "10.00", exp_content='{"hosp_borne_flag": "1"}'),
                # the same flag as an object, "0": not borne
                fee(w, m, "3", w.c, "1.5", "2.000", "3.00", exp_content={"hosp_borne_flag": "0"}),
            ]
        },
    )
    assert done.output["result"][0] == {
        "feedetl_sn": "1",
        "det_item_fee_sumamt": Fen(452),
        "cnt": Scaled(10_000, 4),
        "pric": Scaled(4_520_000, 6),
        "pric_uplmt_amt": Scaled(4_520_000, 6),
        "selfpay_prop": Scaled(500, 4),
        "fulamt_ownpay_amt": Fen(0),
        "overlmt_amt": Fen(0),
        "preselfpay_amt": Fen(23),  # round(4.52 × 0.05 = 0.226) = 0.23
        "inscp_scp_amt": Fen(429),
        "chrgitm_lv": "02",
        "med_chrgitm_type": "14",
        "lmt_used_flag": "0",
        "memo": "",
    }
    assert done.output["result"][1]["fulamt_ownpay_amt"] == Fen(1000)  # hospital-borne
    assert done.output["result"][2]["chrgitm_lv"] == "03"
    assert done.output["result"][2]["fulamt_ownpay_amt"] == Fen(300)  # 丙 1.5 × 2
    # 2302 as an array, then as one object with "0000".
    await call(
        visits_db, w, "2302", {"data": [{"feedetl_sn": "1", "mdtrt_id": m, "psn_no": w.psn_no}]}
    )
    await call(
        visits_db, w, "2302", {"data": {"feedetl_sn": "0000", "mdtrt_id": m, "psn_no": w.psn_no}}
    )
    dscg = {"mdtrt_id": m, "psn_no": w.psn_no, "insutype": "390", "endtime": "2018-06-10 10:00:00"}
    assert (await call(visits_db, w, "2402", {"dscginfo": dscg})).output == {}
    ref = {"data": {"mdtrt_id": m, "psn_no": w.psn_no}}
    assert (await call(visits_db, w, "2405", ref)).output == {}
    assert (await call(visits_db, w, "2404", ref)).output == {}
    await undo(visits_db, w, "2401", {"mdtrt_id": m})  # already cancelled: nothing to do


async def test_undo_of_2401_cancels_the_visit(visits_db: SM, world: World) -> None:
    w = world
    done = await call(visits_db, w, "2401", mdtrtinfo(w))
    m = done.output["result"]["mdtrt_id"]
    await undo(visits_db, w, "2401", done.effect or {})
    with pytest.raises(Conflict):  # cancelled: 2404 now says so
        await call(visits_db, w, "2404", {"data": {"mdtrt_id": m, "psn_no": w.psn_no}})


@pytest.mark.parametrize(
    ("raw", "loc"),
    [
        ({"mdtrtinfo": "x"}, ["mdtrtinfo"]),
        ("mdtrtinfo-insutype", ["mdtrtinfo", "insutype"]),
        ("mdtrtinfo-begntime", ["mdtrtinfo", "begntime"]),
    ],
)
async def test_2401_input_errors(visits_db: SM, world: World, raw: Any, loc: list[Any]) -> None:
    if raw == "mdtrtinfo-insutype":
        raw = mdtrtinfo(world, insutype="310")
    elif raw == "mdtrtinfo-begntime":
        raw = mdtrtinfo(world, begntime="2018-06-01T08:00:00")
    with pytest.raises(Unprocessable) as caught:
        await call(visits_db, world, "2401", raw)
    assert only_loc(caught.value) == loc


async def test_2301_input_errors(visits_db: SM, world: World) -> None:
    w = world
    m = (await call(visits_db, w, "2401", mdtrtinfo(w))).output["result"]["mdtrt_id"]
    bad = [
        (fee(w, m, "1", w.a, "1.0000001", "1", "1.00"), ["feedetail", 0, "pric"]),
        (fee(w, m, "1", w.a, "1", "1.00001", "1.00"), ["feedetail", 0, "cnt"]),
        (fee(w, m, "1", w.a, "1", "1", "1.001"), ["feedetail", 0, "det_item_fee_sumamt"]),
        (fee(w, m, "1", w.a, "1", "1", "1e0"), ["feedetail", 0, "det_item_fee_sumamt"]),
        (fee(w, m, "1", w.a, 1.0, "1", "1.00"), ["feedetail", 0, "pric"]),  # a float: never
        (fee(w, m, "1", w.a, loads("1e0"), "1", "1.00"), ["feedetail", 0, "pric"]),
        (fee(w, m, "1", w.a, "1", "1", "1.00", exp_content="x"), ["feedetail", 0, "exp_content"]),
        (
            fee(w, m, "1", w.a, "1", "1", "1.00", exp_content={"hosp_borne_flag": "2"}),
            ["feedetail", 0, "exp_content", "hosp_borne_flag"],
        ),
        (fee(w, m, "", w.a, "1", "1", "1.00"), ["feedetail", 0, "feedetl_sn"]),
    ]
    for item, loc in bad:
        with pytest.raises(Unprocessable) as caught:
            await call(visits_db, w, "2301", {"feedetail": [item]})
        assert only_loc(caught.value) == loc, item
    with pytest.raises(Unprocessable) as caught:
        await call(visits_db, w, "2301", {"feedetail": []})
    assert only_loc(caught.value) == ["feedetail"]
