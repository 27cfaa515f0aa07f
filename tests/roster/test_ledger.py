"""管理台帐 per person: settlements made through the real API, figures of docs/rules.md §7.

On a database of this test only, in county 510402 (东区) where the demo has 张三 (registered
poor, enrolled 2018 and 2019, no settlement):

- P1, registered poor (manual, marked 脱贫 in 2018 by SQL), enrolled in medical 2018 by the
  admin PUT and in the pension (tier 100.00, subsidy 30.00) by SQL: example 1 at 东区人民医院
  (in county), then the same bill again (example 4's figures), that one reversed. Standing:
  example 1 alone: total 20000.00, fund paid 17945.00, self-pay 2055.00, in policy 18500.00,
  in-policy self-pay 555.00; in county the same, ratio 555 / 18500 = 0.03 → "0.0300". Its stored
  tilted target is lowered to 500.00 (as tests/api/test_reconciliation.py does), so 555.00 is
  above it: above_target_count 1.
- P2, registered poor (manual) and 低保 from 民政 (2017-01-01 to 2018-03-31, by SQL), enrolled
  by the admin PUT:
  example 3 at 西区人民医院 (out of county, no referral): total 20000.00, fund paid 17708.60,
  self-pay 2291.40, in policy 18500.00, in-policy self-pay 791.40; in county nothing: 0.00 and
  ratio null.
- P3, no category: not on the roster, not on the ledger (though enrolled and settled).

Then the county's medical proxy-payment run is computed and confirmed through the API: 张三, P1
and P2 are registered poor, whose rule (policies/enrolment/2018.yaml) is the whole 180.00 paid
by 扶贫; the run adopts their admin enrolments. So medical: recorded by the run, 扶贫 180.00.
P1's pension enrolment no run recorded: 本人/未记录.
"""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal
from typing import Any

import pytest
from api.conftest import (
    ADMIN,
    AGENCY,
    assert_problem,
    bill_no,
    headers,
    hospital_key,
    make_bill,
    masked,
    new_person,
    reverse,
    settle,
)
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy import text

COUNTY = "510402"
ZHANG_SAN = "510402195001010014"  # the demo's 张三


@pytest.fixture
async def ledger_data(own_app: FastAPI, own_client: AsyncClient) -> dict[str, Any]:
    c = own_client
    p1 = await new_person(c, ["registered_poor"], COUNTY, [2018])
    p2 = await new_person(c, ["registered_poor"], COUNTY, [2018])
    p3 = await new_person(c, [], COUNTY, [2018])
    first = await settle(c, make_bill(bill_no(), p1, "H510402001"))
    assert first.status_code == 201, first.text
    assert (first.json()["fund_paid"], first.json()["self_pay"]) == ("17945.00", "2055.00")
    again = await settle(c, make_bill(bill_no(), p1, "H510402001"))
    assert again.status_code == 201, again.text
    assert again.json()["self_pay"] == "1834.20"  # example 4
    assert (await reverse(c, again.json())).status_code in (200, 201)
    out = await settle(c, make_bill(bill_no(), p2, "H510403001"))
    assert out.status_code == 201, out.text
    assert (out.json()["fund_paid"], out.json()["self_pay"]) == ("17708.60", "2291.40")
    assert (await settle(c, make_bill(bill_no(), p3, "H510402001"))).status_code == 201
    async with own_app.state.sessionmaker() as session, session.begin():
        ids = {
            who: await session.scalar(text("SELECT id FROM persons WHERE id_number = :n"), {"n": n})
            for who, n in (("p1", p1), ("p2", p2))
        }
        await session.execute(
            text("UPDATE settlements SET tilted_target_fen = 50000 WHERE id = :id"),
            {"id": first.json()["settlement_id"]},
        )
        await session.execute(
            text(
                "UPDATE person_categories SET exited = true, exit_year = 2018 WHERE person_id = :p"
            ),
            {"p": ids["p1"]},
        )
        await session.execute(
            text(
                "INSERT INTO pension_enrolments (person_id, year, tier_fen, subsidy_fen)"
                " VALUES (:p, 2018, 10000, 3000)"
            ),
            {"p": ids["p1"]},
        )
        import_id = uuid.uuid4()
        await session.execute(
            text(
                "INSERT INTO roster_imports (id, source, as_of, sha256, file_name, file_format,"
                " rows, new, changed, ended, unchanged, rejected, errors) VALUES (:id,"
                " 'civil_affairs', '2018-01-01', :sha, 'mz.csv', 'csv', 1, 1, 0, 0, 0, 0, '[]')"
            ),
            {"id": import_id, "sha": import_id.hex * 2},
        )
        await session.execute(
            text(
                "INSERT INTO person_categories (person_id, category, valid_from, valid_to,"
                " source, import_id) VALUES (:p, 'dibao', '2017-01-01', '2018-03-31',"
                " 'civil_affairs', :i)"
            ),
            {"p": ids["p2"], "i": import_id},
        )
    # the county's medical run (POST /v1/proxy-payments/runs), confirmed: it lists 张三, P1 and
    # P2 (建档立卡 by priority: 180.00 in full by 扶贫) and adopts their admin enrolments
    run = await c.post(
        "/v1/proxy-payments/runs",
        json={"scheme": "medical", "year": 2018, "county_code": COUNTY},
        headers=headers(ADMIN),
    )
    assert run.status_code == 201, run.text
    run_id = run.json()["id"]
    confirmed = await c.post(f"/v1/proxy-payments/runs/{run_id}/confirm", headers=headers(ADMIN))
    assert confirmed.status_code == 200, confirmed.text
    return {"p1": p1, "p2": p2, "p3": p3, "run_id": run_id}


async def ledger(client: AsyncClient, key: str = ADMIN, **params: Any) -> dict[str, Any]:
    r = await client.get(
        "/v1/roster/ledger",
        params={
            k: v
            for k, v in {"year": 2018, "county_code": COUNTY, **params}.items()
            if v is not None
        },
        headers=headers(key),
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


NO_SETTLEMENT = {
    "count": 0,
    "total": "0.00",
    "fund_paid": "0.00",
    "self_pay": "0.00",
    "in_policy": "0.00",
    "in_policy_self_pay": "0.00",
    "in_county": {
        "count": 0,
        "in_policy": "0.00",
        "in_policy_self_pay": "0.00",
        "in_policy_self_pay_ratio": None,
        "above_target_count": 0,
    },
}


async def test_rows_and_settlement_figures(
    ledger_data: dict[str, Any], own_client: AsyncClient
) -> None:
    body = await ledger(own_client)
    rows = {r["id_number"]: r for r in body["items"]}
    # 张三 (demo) and P1, P2; not P3 (no category)
    assert set(rows) == {ZHANG_SAN, ledger_data["p1"], ledger_data["p2"]}
    assert body["next_cursor"] is None
    p1, p2 = rows[ledger_data["p1"]], rows[ledger_data["p2"]]
    assert p1["settlements"] == {
        # example 1 only: the second bill was reversed
        "count": 1,
        "total": "20000.00",
        "fund_paid": "17945.00",  # 14640 + 0 + 1930 + 80 + 1295
        "self_pay": "2055.00",  # 1000 + 500 + 555
        "in_policy": "18500.00",
        "in_policy_self_pay": "555.00",
        "in_county": {
            "count": 1,
            "in_policy": "18500.00",
            "in_policy_self_pay": "555.00",
            "in_policy_self_pay_ratio": "0.0300",  # 555 / 18500 = 0.03
            "above_target_count": 1,  # 555.00 > the lowered target 500.00
        },
    }
    assert p2["settlements"] == {
        "count": 1,
        "total": "20000.00",
        "fund_paid": "17708.60",  # 12810 + 414 + 2638 + 0 + 1846.60
        "self_pay": "2291.40",  # 1000 + 500 + 791.40
        "in_policy": "18500.00",
        "in_policy_self_pay": "791.40",
        "in_county": {
            "count": 0,  # 西区人民医院 is not the person's county
            "in_policy": "0.00",
            "in_policy_self_pay": "0.00",
            "in_policy_self_pay_ratio": None,
            "above_target_count": 0,
        },
    }
    assert rows[ZHANG_SAN]["settlements"] == NO_SETTLEMENT
    # categories with their sources and the 脱贫 mark
    assert [
        (c["category"], c["source"], c["exited"], c["exit_year"]) for c in p1["categories"]
    ] == [("registered_poor", "manual", True, 2018)]
    assert (p1["exited"], p1["exit_year"]) == (True, 2018)
    assert [
        (c["category_name"], c["source_name"], c["valid_from"], c["valid_to"])
        for c in p2["categories"]
    ] == [
        ("低保对象", "民政", "2017-01-01", "2018-03-31"),
        ("建档立卡贫困人员", "手工录入", "2018-01-01", None),
    ]
    assert (p2["exited"], p2["exit_year"]) == (False, None)
    # who paid
    for row in (p1, p2, rows[ZHANG_SAN]):
        assert row["medical"] == {
            "enrolled": True,
            "recorded_by": "run",
            "run_id": ledger_data["run_id"],
            "tier": None,
            "subsidy": None,
            "contribution": "180.00",
            "payers": [{"payer": "poverty_office", "payer_name": "扶贫", "amount": "180.00"}],
            "paid_by": "扶贫 180.00",
            "elsewhere_region": None,
        }
    assert p1["pension"] == {
        "enrolled": True,
        "recorded_by": "manual",
        "run_id": None,
        "tier": "100.00",
        "subsidy": "30.00",
        "contribution": None,
        "payers": [],
        "paid_by": "本人/未记录",
        "elsewhere_region": None,
    }
    assert (p2["pension"]["enrolled"], p2["pension"]["recorded_by"], p2["pension"]["paid_by"]) == (
        False,
        None,
        "",
    )


async def test_masked_for_agency_and_paged(
    ledger_data: dict[str, Any], own_client: AsyncClient
) -> None:
    whole = (await ledger(own_client, AGENCY))["items"]
    assert {r["id_number"] for r in whole} == {
        masked(ZHANG_SAN),
        masked(ledger_data["p1"]),
        masked(ledger_data["p2"]),
    }
    seen: list[dict[str, Any]] = []
    cursor = None
    for _ in range(5):
        page = await ledger(own_client, AGENCY, limit=2, **({"cursor": cursor} if cursor else {}))
        seen += page["items"]
        cursor = page["next_cursor"]
        assert page["has_more"] == (cursor is not None)
        if cursor is None:
            break
    assert seen == whole
    # every county: the other counties' demo persons too, and 510402's three
    everyone = (await ledger(own_client, AGENCY, county_code=None, limit=1000))["items"]
    counties = [r["county_code"] for r in everyone]
    assert counties == sorted(counties) and counties.count(COUNTY) == 3


async def test_xlsx_and_csv_parse_back(
    ledger_data: dict[str, Any], own_client: AsyncClient
) -> None:
    items = (await ledger(own_client))["items"]
    for fmt in ("xlsx", "csv"):
        r = await own_client.get(
            "/v1/roster/ledger/export",
            params={"year": 2018, "county_code": COUNTY, "format": fmt},
            headers=headers(ADMIN),
        )
        assert r.status_code == 200, r.text
        assert (
            r.headers["content-disposition"]
            == f'attachment; filename="roster-ledger-2018-{COUNTY}.{fmt}"'
        )
        if fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(r.content), read_only=True)["管理台帐"]
            table = [list(row) for row in sheet.iter_rows(values_only=True)]
        else:
            assert r.content.startswith(b"\xef\xbb\xbf")
            table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        header, rows = table[0], table[1:]
        assert header[:5] == ["县区代码", "县区名称", "身份证号", "人员编号", "姓名"]
        assert len(rows) == len(items)
        for item, row in zip(items, rows, strict=True):
            cell = dict(zip(header, [*row, *[None] * (len(header) - len(row))], strict=True))
            assert cell["身份证号"] == item["id_number"]
            assert cell["医保缴费（缴费人 金额）"] in (
                item["medical"]["paid_by"],
                None if not item["medical"]["paid_by"] else "",
            )
            s = item["settlements"]
            assert int(cell["结算人次"]) == s["count"]
            assert Decimal(str(cell["基金支付"])) == Decimal(s["fund_paid"])
            assert Decimal(str(cell["个人自付"])) == Decimal(s["self_pay"])
            assert Decimal(str(cell["县域内政策范围内个人自付"])) == Decimal(
                s["in_county"]["in_policy_self_pay"]
            )
            ratio = s["in_county"]["in_policy_self_pay_ratio"]
            got = cell["县域内政策范围内自付比例"]
            assert (None if got in (None, "") else Decimal(str(got))) == (
                None if ratio is None else Decimal(ratio)
            )
            assert cell["脱贫标识"] == ("是" if item["exited"] else "否")
        p1 = next(row for row in rows if ledger_data["p1"] in row)
        assert "建档立卡贫困人员（手工录入，2018-01-01至，已脱贫2018）" in p1


async def test_refusals(own_client: AsyncClient) -> None:
    r = await own_client.get(
        "/v1/roster/ledger", params={"year": 2018}, headers=headers(hospital_key("H510402001"))
    )
    assert_problem(r, 403, "forbidden")
    r = await own_client.get(
        "/v1/roster/ledger/export",
        params={"year": 2018, "format": "xlsx"},
        headers=headers(hospital_key("H510402001")),
    )
    assert_problem(r, 403, "forbidden")
    r = await own_client.get(
        "/v1/roster/ledger", params={"year": 2018, "county_code": "510499"}, headers=headers(AGENCY)
    )
    assert_problem(r, 422, "unknown_county", [["query", "county_code"]])
    r = await own_client.get(
        "/v1/roster/ledger/export",
        params={"year": 2018, "county_code": "510499", "format": "csv"},
        headers=headers(AGENCY),
    )
    assert_problem(r, 422, "unknown_county")
    r = await own_client.get(
        "/v1/roster/ledger", params={"year": 2018, "cursor": "xyz"}, headers=headers(AGENCY)
    )
    assert_problem(r, 422, "invalid_cursor")
