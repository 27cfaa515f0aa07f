"""What a HIS sends, as envelopes: a patient, a visit, fee lines, 2303/2304/2305, 2601.

Pure builders (``envelope`` from ``fsi.py``) and a few async steps over an ``AsyncClient`` (the
ASGI app in the API tests, or a real server in the fault tests: only ``base_url`` differs).
Demo data: hospital H510402001 (secondary, county 510402), the demo catalogue (app/demo.py),
the 2018 demo policy; visits run 2018-06-01 → 2018-06-12.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from api.conftest import ADMIN, headers, new_id_number, person_body
from httpx import AsyncClient, Response
from support import unique

from .fsi import HOSPITAL, call, envelope, ok

ADMITTED = "2018-06-01 08:00:00"
ON = "2018-06-05 09:30:00"
DISCHARGED = "2018-06-12 10:00:00"


def yuan(fen: int) -> str:
    """Fen as the wire's two-decimal text: 1234 → "12.34", -5 → "-0.05"."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def fen(value: Any) -> int:
    """A wire amount (a JSON number as Decimal, or text) in fen, exactly."""
    scaled = Decimal(str(value)) * 100
    assert scaled == scaled.to_integral_value(), value
    return int(scaled)


def exact(response: Response) -> dict[str, Any]:
    """``ok(response)`` with every JSON number a Decimal of its exact text (never a float)."""
    ok(response)
    output: dict[str, Any] = json.loads(response.content, parse_float=Decimal)["output"]
    return output


async def register(
    client: AsyncClient, *, years: tuple[int, ...] = (2018, 2019), categories: tuple[str, ...] = ()
) -> str:
    """A new person through the admin API; returns the ID number."""
    id_number = new_id_number()
    response = await client.put(
        f"/v1/persons/{id_number}",
        headers=headers(ADMIN),
        json=person_body(categories, years=years),
    )
    assert response.status_code == 201, response.text
    return id_number


async def psn_no_of(client: AsyncClient, id_number: str) -> str:
    """1101 with the ID number, as a HIS does before admitting."""
    data = {
        "mdtrt_cert_type": "02",
        "mdtrt_cert_no": id_number,
        "psn_cert_type": "01",
        "certno": id_number,
        "psn_name": "测试",
    }
    out = ok(await call(client, envelope("1101", {"data": data})))
    return str(out["baseinfo"]["psn_no"])


def admission(psn_no: str, **kw: Any) -> dict[str, Any]:
    info = {
        "psn_no": psn_no,
        "insutype": "390",
        "begntime": ADMITTED,
        "mdtrt_cert_type": "02",
        "mdtrt_cert_no": "x",
        "med_type": "21",
        "ipt_no": unique("ZY"),
        "atddr_no": "D001",
        "chfpdr_name": "李医生",
        "adm_diag_dscr": "肺炎",
        "adm_dept_codg": "A03",
        "adm_dept_name": "内科",
        "adm_bed": "12",
        "dscg_maindiag_code": "J18.900",
        "dscg_maindiag_name": "肺炎",
        **kw,
    }
    return {"mdtrtinfo": info, "diseinfo": [{"diag_code": "J18.900", "diag_name": "肺炎"}]}


def fee(
    psn_no: str,
    mdtrt_id: str,
    sn: str,
    code: str,
    pric: str,
    cnt: str,
    amount: str,
    *,
    init: str | None = None,
    borne: bool = False,
    **kw: Any,
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "feedetl_sn": sn,
        "init_feedetl_sn": init or "",
        "mdtrt_id": mdtrt_id,
        "psn_no": psn_no,
        "med_type": "21",
        "fee_ocur_time": ON,
        "med_list_codg": code,
        "medins_list_codg": "H-" + code,
        "det_item_fee_sumamt": amount,
        "cnt": cnt,
        "pric": pric,
        "bilg_dept_codg": "A03",
        "bilg_dept_name": "内科",
        "bilg_dr_codg": "D001",
        "bilg_dr_name": "李医生",
        "hosp_appr_flag": "1",
        "memo": "",
        **kw,
    }
    if borne:
        line["exp_content"] = {"hosp_borne_flag": "1"}
    return line


def discharge(psn_no: str, mdtrt_id: str, endtime: str = DISCHARGED) -> dict[str, Any]:
    return {
        "dscginfo": {
            "mdtrt_id": mdtrt_id,
            "psn_no": psn_no,
            "insutype": "390",
            "endtime": endtime,
            "dscg_way": "1",
            "dscg_dept_codg": "A03",
            "dscg_dept_name": "内科",
        },
        "diseinfo": [{"diag_code": "J18.900"}],
    }


def settle_input(psn_no: str, mdtrt_id: str, medfee_sumamt: str, **kw: Any) -> dict[str, Any]:
    """The input of 2303 / 2304."""
    return {
        "data": {
            "psn_no": psn_no,
            "mdtrt_cert_type": "02",
            "mdtrt_cert_no": "x",
            "medfee_sumamt": medfee_sumamt,
            "psn_setlway": "01",
            "mdtrt_id": mdtrt_id,
            "insutype": "390",
            "mid_setl_flag": "0",
            "acct_used_flag": "0",
            **kw,
        }
    }


def reversal_input(psn_no: str, mdtrt_id: str, setl_id: str) -> dict[str, Any]:
    return {"data": {"mdtrt_id": mdtrt_id, "setl_id": setl_id, "psn_no": psn_no}}


def chongzheng(psn_no: str, omsgid: str, oinfno: str) -> dict[str, Any]:
    return {"data": {"psn_no": psn_no, "omsgid": omsgid, "oinfno": oinfno}}


async def admitted(client: AsyncClient, psn_no: str) -> str:
    """2401: a new visit of ``psn_no``; its mdtrt_id."""
    out = ok(await call(client, envelope("2401", admission(psn_no))))
    return str(out["result"]["mdtrt_id"])


async def visit_with_lines(
    client: AsyncClient, psn_no: str, lines: list[tuple[str, str, str, str]]
) -> str:
    """2401, one 2301 of ``lines`` (sn, code, pric, cnt; amount = pric × cnt to the fen) and 2402:
    a visit ready to settle."""
    mdtrt_id = await admitted(client, psn_no)
    feedetail = [
        fee(psn_no, mdtrt_id, sn, code, pric, cnt, yuan(_amount(pric, cnt)))
        for sn, code, pric, cnt in lines
    ]
    ok(await call(client, envelope("2301", {"feedetail": feedetail})))
    ok(await call(client, envelope("2402", discharge(psn_no, mdtrt_id))))
    return mdtrt_id


def _amount(pric: str, cnt: str) -> int:
    exact = Decimal(pric) * Decimal(cnt) * 100
    return int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


__all__ = [
    "ADMITTED",
    "DISCHARGED",
    "HOSPITAL",
    "ON",
    "admission",
    "admitted",
    "chongzheng",
    "discharge",
    "exact",
    "fee",
    "fen",
    "psn_no_of",
    "register",
    "reversal_input",
    "settle_input",
    "visit_with_lines",
    "yuan",
]
