"""A HIS simulator: one inpatient stay through the national interface (国家医保接口, "fsi").

It walks, against a running onestop, what a hospital information system sends to the national
platform for an inpatient (docs/nhsa.md; the contract is NHSA.md of issue 17):

    9001 签到 → 1101 人员信息获取 → 2401 入院办理 → 2301 费用明细上传 (+ a refund line)
    → 2303 预结算 → 2304 结算 → 3201 对总账 → 2305 结算撤销 (→ 2305 again: refused)

and prints every request and answer envelope. The data is the demo's (``app/demo.py``): 张三,
registered poor (建档立卡), at 攀枝花市东区人民医院 (H510402001), in 2018, with the lines of
``examples/demo-bill.json``: 20000.00 in all, of which the funds pay 17945.00 (docs/rules.md §7
example 1). The settlement is reversed at the end, so the demo person's 2018 is as before.

Run against ``make run`` (demo data and keys; the port is ``$PORT``, as for the server)::

    python examples/his_simulator.py             # Authorization: Bearer demo-H510402001
    python examples/his_simulator.py --sign      # the x-tif-* gateway headers instead

Needs only httpx. Exits 1 when a step answers ``infcode -1`` where it should not (or the server
refuses a request), 0 when the stay went through.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import secrets
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

__all__ = ["main"]

URL = "/fsi/api/rsfComIfsService/callService"
HOSPITAL = ("H510402001", "攀枝花市东区人民医院（演示）", "510402")  # code, name, county
PATIENT = ("510402195001010014", "张三")  # registered poor in app/demo.py
ADMITTED, DISCHARGED = "2018-06-01 08:30:00", "2018-06-12 10:00:00"
# (feedetl_sn, catalogue code, name, price, quantity, amount): examples/demo-bill.json, except
# that the antibiotic is first charged 110 times, then 10 are refunded (a second 2301).
LINES = [
    ("F001", "XC01", "一次性医用耗材（丙类）", "1000.00", "1", "1000.00"),
    ("F002", "XB01", "注射用头孢曲松钠 1g", "50.00", "110", "5500.00"),
    ("F003", "XA05", "阑尾切除术", "1200.00", "1", "1200.00"),
    ("F004", "XA06", "住院诊查费（日）", "1280.00", "10", "12800.00"),
]
REFUND = ("F005", "XB01", "注射用头孢曲松钠 1g", "50.00", "-10", "-500.00", "F002")
NET_TOTAL = "20000.00"  # 1000 + 5500 - 500 + 1200 + 12800
CST = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # the interface's clock


def now() -> dt.datetime:
    return dt.datetime.now(CST)


class Unexpected(Exception):
    """A step answered otherwise than the walk expects."""


def pretty(value: Any, pad: str = "") -> str:
    """Indented JSON, Chinese as is, numbers exactly as the server wrote them (``14640.00``)."""
    inner = pad + "  "
    if isinstance(value, dict) and value:
        rows = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {pretty(v, inner)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(rows) + f"\n{pad}}}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + pretty(v, inner) for v in value) + f"\n{pad}]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


class Fsi:
    """The HIS side of the interface: envelopes, a fresh msgid each, auth headers, printing."""

    def __init__(self, client: httpx.Client, key: str, paasid: str | None) -> None:
        self.client, self.key, self.paasid = client, key, paasid
        self.sign_no = ""
        self.serial = 0
        self.transcript: list[dict[str, Any]] = []

    def msgid(self) -> str:
        """Hospital code + time + a counter: 30 characters at most, unique per hospital."""
        self.serial += 1
        return f"{HOSPITAL[0]}{now():%Y%m%d%H%M%S%f}"[:27] + f"{self.serial:03d}"

    def headers(self) -> dict[str, str]:
        if self.paasid is None:
            return {"Authorization": f"Bearer {self.key}"}
        # x-tif-signature = sha256(timestamp + secret + nonce + timestamp), where the secret
        # (the HIS's paasToken) is sha256 of the API key, in lowercase hex (docs/nhsa.md).
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        secret = hashlib.sha256(self.key.encode()).hexdigest()
        signature = hashlib.sha256(f"{timestamp}{secret}{nonce}{timestamp}".encode()).hexdigest()
        return {
            "x-tif-paasid": self.paasid,
            "x-tif-timestamp": timestamp,
            "x-tif-nonce": nonce,
            "x-tif-signature": signature,
        }

    def call(self, infno: str, caption: str, node: dict[str, Any], *, fails: str = "") -> Any:
        """Send one transaction; returns its ``output``. ``fails``: the walk expects ``-1`` with
        this text in ``err_msg``."""
        envelope = {
            "infno": infno,
            "msgid": self.msgid(),
            "mdtrtarea_admvs": HOSPITAL[2],
            "insuplc_admdvs": HOSPITAL[2],
            "recer_sys_code": "YBXT",
            "dev_no": "",
            "dev_safe_info": "",
            "cainfo": "",
            "signtype": "",
            "infver": "V1.0",
            "opter_type": "1",
            "opter": "1001",
            "opter_name": "收费员甲",
            "inf_time": f"{now():%Y-%m-%d %H:%M:%S}",
            "fixmedins_code": HOSPITAL[0],
            "fixmedins_name": HOSPITAL[1],
            "sign_no": self.sign_no,
            "input": node,
        }
        print(f"\n=== {infno} {caption}")
        print(f"→ POST {URL}\n{pretty(envelope)}")
        response = self.client.post(
            URL,
            content=json.dumps(envelope, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", **self.headers()},
        )
        if response.status_code != 200:  # 401 problem+json: no credential verified
            raise Unexpected(f"{infno}: HTTP {response.status_code} {response.text}")
        answer = json.loads(response.text, parse_float=Decimal)
        print(f"← {response.status_code}\n{pretty(answer)}")
        self.transcript.append({"infno": infno, "request": envelope, "answer": response.text})
        if fails:
            if answer["infcode"] != -1 or fails not in (answer["err_msg"] or ""):
                raise Unexpected(f"{infno}: expected -1 with {fails!r}")
        elif answer["infcode"] != 0:
            raise Unexpected(f"{infno}: infcode {answer['infcode']}: {answer['err_msg']}")
        return answer["output"]


def fee_line(
    sn: str,
    code: str,
    name: str,
    pric: str,
    cnt: str,
    amt: str,
    init: str = "",
    *,
    mdtrt_id: str,
    psn_no: str,
) -> dict[str, Any]:
    return {
        "feedetl_sn": sn,
        "init_feedetl_sn": init,  # a refund names the line it refunds
        "mdtrt_id": mdtrt_id,
        "psn_no": psn_no,
        "med_type": "21",
        "fee_ocur_time": "2018-06-02 09:00:00",
        "med_list_codg": code,  # onestop's catalogue code
        "medins_list_codg": f"HIS-{code}",
        "medins_list_name": name,
        "det_item_fee_sumamt": amt,  # = round(pric × cnt); strings keep the exact decimals
        "cnt": cnt,
        "pric": pric,
        "bilg_dept_codg": "0301",
        "bilg_dept_name": "普外科",
        "bilg_dr_codg": "D0017",
        "bilg_dr_name": "李医生",
        "hosp_appr_flag": "1",
        "memo": "",
    }


def walk(fsi: Fsi) -> None:
    id_number, name = PATIENT
    out = fsi.call(
        "9001",
        "签到 operator sign-in",
        {"signIn": {"opter_no": "1001", "mac": "", "ip": "10.0.0.8"}},
    )
    fsi.sign_no = out["signinoutb"]["sign_no"]  # later envelopes carry it

    out = fsi.call(
        "1101",
        "人员信息获取 person lookup by ID number → psn_no, insurance years, categories",
        {
            "data": {
                "mdtrt_cert_type": "02",
                "mdtrt_cert_no": id_number,
                "psn_cert_type": "01",
                "certno": id_number,
                "psn_name": name,
            }
        },
    )
    psn_no = out["baseinfo"]["psn_no"]

    visit = {
        "psn_no": psn_no,
        "insutype": "390",
        "mdtrt_cert_type": "02",
        "mdtrt_cert_no": id_number,
    }
    out = fsi.call(
        "2401",
        "入院办理 admission → mdtrt_id",
        {
            "mdtrtinfo": {
                **visit,
                "begntime": ADMITTED,
                "med_type": "21",
                "ipt_no": f"ZY{fsi.msgid()[-20:]}",  # the HIS's 住院号: one open visit each
                "atddr_no": "D0017",
                "chfpdr_name": "李医生",
                "adm_diag_dscr": "急性阑尾炎",
                "adm_dept_codg": "0301",
                "adm_dept_name": "普外科",
                "adm_bed": "12",
                "dscg_maindiag_code": "K35.900",
                "dscg_maindiag_name": "急性阑尾炎",
            },
            "diseinfo": [
                {
                    "diag_type": "1",
                    "diag_srt_no": "1",
                    "diag_code": "K35.900",
                    "diag_name": "急性阑尾炎",
                    "maindiag_flag": "1",
                }
            ],
        },
    )
    mdtrt_id = out["result"]["mdtrt_id"]
    ids = {"mdtrt_id": mdtrt_id, "psn_no": psn_no}

    fsi.call(
        "2301",
        "费用明细上传 fee lines; each answers its class (甲/乙/丙, self-pay ratio, cap)",
        {"feedetail": [fee_line(*line, **ids) for line in LINES]},
    )
    fsi.call(
        "2301",
        "费用明细上传 a refund: negative cnt and amount, init_feedetl_sn = the line it nets into",
        {"feedetail": [fee_line(*REFUND, **ids)]},
    )

    settle = {
        **visit,
        "mdtrt_id": mdtrt_id,
        "medfee_sumamt": NET_TOTAL,
        "psn_setlway": "01",
        "mid_setl_flag": "0",
        "acct_used_flag": "0",
        "dscgTime": DISCHARGED[:10],
    }
    fsi.call("2303", "预结算 pre-settlement: what would be paid, nothing stored", {"data": settle})
    out = fsi.call(
        "2304", "结算 settle: medfee_sumamt must equal the net of the lines", {"data": settle}
    )
    setl = out["setlinfo"]
    # The same settlement on /v1 (bill_no = mdtrt_id): same figures, to the fen.
    v1 = fsi.client.get(
        "/v1/settlements",
        params={"hospital_code": HOSPITAL[0], "bill_no": mdtrt_id},
        headers={"Authorization": f"Bearer {fsi.key}"},
    ).json()
    print(
        f"   /v1 settlement {v1.get('settlement_id')}: total {v1.get('totals', {}).get('total')}, "
        f"fund_paid {v1.get('fund_paid')}, self_pay {v1.get('self_pay')}"
    )

    today = f"{now():%Y-%m-%d}"
    out = fsi.call(
        "3201",
        "对总账 today's totals as this HIS counts them (stmt_rslt 0 对平, 1 不平)",
        {
            "data": {
                "insutype": "390",
                "clr_type": "21",
                "setl_optins": setl["clr_optins"],
                "stmt_begndate": today,
                "stmt_enddate": today,
                "medfee_sumamt": str(setl["medfee_sumamt"]),
                "fund_pay_sumamt": str(setl["fund_pay_sumamt"]),
                "acct_pay": "0.00",
                "fixmedins_setl_cnt": 1,
                "refd_setl_flag": "1",
            }
        },
    )
    if out["stmtinfo"]["stmt_rslt"] != "0":
        print("   不平: the server holds other settlements of this day (earlier runs?)")

    cancel = {"data": {"mdtrt_id": mdtrt_id, "setl_id": setl["setl_id"], "psn_no": psn_no}}
    fsi.call("2305", "结算撤销 reverse: negated figures under a new setl_id", cancel)
    fsi.call(
        "2305",
        "结算撤销 again (new msgid): refused, the settlement stands reversed",
        cancel,
        fails="该笔结算已撤销",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base-url",
        default=f"http://127.0.0.1:{os.environ.get('PORT') or 8000}",
        help="the service (default: http://127.0.0.1:$PORT, as `make run` serves; PORT=8000)",
    )
    parser.add_argument("--key", default=f"demo-{HOSPITAL[0]}", help="the hospital's API key")
    parser.add_argument("--sign", action="store_true", help="x-tif-* headers instead of Bearer")
    parser.add_argument(
        "--paasid",
        help="with --sign: the key's id (`onestop keys`); default: looked up with demo-admin",
    )
    parser.add_argument("--transcript", type=Path, help="also write every exchange here (JSON)")
    args = parser.parse_args(argv)

    with httpx.Client(base_url=args.base_url, timeout=30.0) as client:
        paasid = args.paasid
        if args.sign and paasid is None:  # the demo keys share a prefix: name the key by id
            keys = client.get("/v1/api-keys", headers={"Authorization": "Bearer demo-admin"})
            keys.raise_for_status()
            paasid = next(k["id"] for k in keys.json() if k["hospital_code"] == HOSPITAL[0])
        fsi = Fsi(client, args.key, paasid if args.sign else None)
        try:
            walk(fsi)
        except Unexpected as exc:
            print(f"\nFAILED: {exc}", file=sys.stderr)
            return 1
        finally:
            if args.transcript:
                args.transcript.write_text(json.dumps(fsi.transcript, ensure_ascii=False, indent=1))
    print("\nOK: every step answered as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
