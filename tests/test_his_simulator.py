"""``examples/his_simulator.py`` end to end against a real server (``onestop serve --demo`` on a
fresh database, as tests/test_example_client.py runs ``examples/his_discharge.py``): every step
answers as the walk expects, the 2304's figures are the /v1 settlement's, the 2305 negates them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from test_example_client import ROOT, Server, serve

from app.demo import CATALOG, DEMO_PERSONS

SIMULATOR = ROOT / "examples" / "his_simulator.py"
sys.path.insert(0, str(SIMULATOR.parent))
import his_simulator  # noqa: E402

WALK = ["9001", "1101", "2401", "2301", "2301", "2303", "2304", "3201", "2305", "2305"]


def simulate(server: Server, transcript: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, SIMULATOR, "--base-url", server.url, "--transcript", transcript, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def answers(transcript: Path) -> list[tuple[str, dict[str, Any]]]:
    """(infno, answer) per exchange, numbers as Decimal (exactly as written)."""
    exchanges = json.loads(transcript.read_text(encoding="utf-8"))
    return [(e["infno"], json.loads(e["answer"], parse_float=Decimal)) for e in exchanges]


def test_the_simulator_uses_the_demo_data() -> None:
    id_number, name = his_simulator.PATIENT
    assert DEMO_PERSONS[id_number][0] == name
    assert [c for c, *_ in DEMO_PERSONS[id_number][3]] == ["registered_poor"]
    for _, code, item, *_ in [*his_simulator.LINES, his_simulator.REFUND]:
        assert CATALOG[code][0] == item
    # Net of the lines = examples/demo-bill.json's items (docs/rules.md §7 example 1).
    bill = json.loads((ROOT / "examples" / "demo-bill.json").read_text(encoding="utf-8"))
    net: dict[str, Decimal] = {}
    for _, code, _, _, _, amount, *_ in [*his_simulator.LINES, his_simulator.REFUND]:
        net[code] = net.get(code, Decimal(0)) + Decimal(amount)
    assert net == {i["code"]: Decimal(i["amount"]) for i in bill["items"]}
    assert sum(net.values()) == Decimal(his_simulator.NET_TOTAL)


async def test_the_simulator_walks_every_step_and_2304_is_the_v1_settlement(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with serve(fresh_database_url, tmp_path / "server.log") as server:
        first = simulate(server, tmp_path / "bearer.json")
        assert first.returncode == 0, first.stdout[-3000:] + first.stderr
        signed = simulate(server, tmp_path / "signed.json", "--sign")
        assert signed.returncode == 0, signed.stdout[-3000:] + signed.stderr
        [v1_id] = re.findall(r"/v1 settlement ([0-9a-f-]{36}):", first.stdout)
        async with httpx.AsyncClient(
            base_url=server.url, headers={"Authorization": "Bearer demo-H510402001"}
        ) as client:
            v1 = (await client.get(f"/v1/settlements/{v1_id}")).json()

    walked = answers(tmp_path / "bearer.json")
    assert [infno for infno, _ in walked] == WALK
    assert [a["infcode"] for _, a in walked] == [0] * 9 + [-1]
    assert "该笔结算已撤销，请勿重复办理" in walked[-1][1]["err_msg"]
    assert [infno for infno, _ in answers(tmp_path / "signed.json")] == WALK
    out = {i: a["output"] for i, (_, a) in enumerate(walked)}
    preview, settled, totals, reversed_ = out[5], out[6], out[7], out[8]
    setl = settled["setlinfo"]

    # The refund line nets into F002: 110 × 50.00 = 5500.00 less 10 × 50.00 = 500.00.
    assert out[4]["result"][0]["det_item_fee_sumamt"] == Decimal("-500.00")

    # docs/rules.md §7 example 1 (张三, registered poor, first settlement of 2018): total
    # 20000.00 = 1000.00 丙 + 500.00 乙 pre-self-pay (10% of 5000.00) + 18500.00 in policy;
    # basic 14640.00, critical illness 0.00, supplementary 1930.00, tilted 80.00, civil
    # assistance 1295.00 → funds 17945.00; self-pay 20000.00 - 17945.00 = 2055.00.
    fen = Decimal
    assert setl["medfee_sumamt"] == fen("20000.00")
    assert setl["fulamt_ownpay_amt"] == fen("1000.00")
    assert setl["preselfpay_amt"] == fen("500.00")
    assert setl["inscp_scp_amt"] == fen("18500.00")
    assert [r["fund_payamt"] for r in settled["setldetail"]] == [
        fen(x) for x in ("14640.00", "0.00", "1930.00", "80.00", "1295.00")
    ]
    assert setl["fund_pay_sumamt"] == fen("17945.00")
    assert setl["psn_part_amt"] == setl["psn_cash_pay"] == fen("2055.00")

    # The same figures as /v1 shows for the same settlement, to the fen.
    t = {k: Decimal(v) for k, v in v1["totals"].items()}
    assert v1["setl_id"] == setl["setl_id"] and v1["mdtrt_id"] == setl["mdtrt_id"]
    assert setl["medfee_sumamt"] == t["total"]
    assert setl["fulamt_ownpay_amt"] == t["full_self_pay"] + t["hospital_borne"]
    assert setl["overlmt_selfpay"] == t["over_limit"]
    assert setl["preselfpay_amt"] == t["pre_self_pay"]
    assert setl["inscp_scp_amt"] == t["in_policy"]
    assert setl["hosp_part_amt"] == t["hospital_borne"]
    assert setl["fund_pay_sumamt"] == Decimal(v1["fund_paid"])
    assert setl["psn_part_amt"] == Decimal(v1["self_pay"])
    layers = [r for r in settled["setldetail"] if r["fund_pay_type"] != "999996"]
    assert [(r["fund_pay_type"], r["fund_payamt"]) for r in layers] == [
        (line["fund_code"], Decimal(line["paid"])) for line in v1["layers"]
    ]

    # 2303 computed the same, without a setl_id; 3201 balanced; 2305 negated under a new id.
    assert "setl_id" not in preview["setlinfo"]
    assert {
        k: v for k, v in setl.items() if k not in ("setl_id", "setl_time", "medins_setl_id")
    } == {k: v for k, v in preview["setlinfo"].items() if k not in ("setl_time", "medins_setl_id")}
    assert totals["stmtinfo"]["stmt_rslt"] == "0"
    back = reversed_["setlinfo"]
    assert back["setl_id"] != setl["setl_id"]
    assert back["medfee_sumamt"] == -setl["medfee_sumamt"]
    assert back["fund_pay_sumamt"] == -setl["fund_pay_sumamt"]
    assert [r["fund_payamt"] for r in reversed_["setldetail"]] == [
        -r["fund_payamt"] for r in settled["setldetail"]
    ]
    assert v1["reversal_setl_id"] == back["setl_id"]
