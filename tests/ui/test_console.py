"""The agency console (``/ui/console/``): the dashboard's figures are the reports' (the poverty
ledger, the totals) and the RULEBOOK examples' worked by hand; the trend chart is well-formed
SVG; a hospital is refused; the settlement search finds a bill by each criterion.

The dashboard test runs on a database of its own (``own_client``): it reads whole counties and
months, which other tests' settlements would change."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from api.conftest import hospital_key, make_bill, new_person, reverse, settle
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.audit.sequencer import integrate_all
from app.reconciliation import console
from app.reconciliation.ledger import above_target, ledger
from app.reconciliation.scope import SHANGHAI

from .conftest import ADMIN, AGENCY, HOSPITAL, headers, sign_in
from .test_pages import _assert_same_origin

POOR = ["registered_poor"]
SVG = "{http://www.w3.org/2000/svg}"
BASIC, CRITICAL, SUPPLEMENTARY, TILTED, CIVIL = (
    "城乡居民基本医疗保险基金",
    "城乡居民大病保险基金",
    "补充医疗保险基金",
    "政策范围内住院费用倾斜支付资金",
    "城乡医疗救助资金",
)


async def _settle(client: AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await settle(client, body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def _move(
    engine: AsyncEngine, settlement: dict[str, Any], at: dt.datetime, *, reversed_too: bool = False
) -> None:
    """Test setup: the settlement (and its reversal) made at ``at``."""
    async with engine.begin() as conn:
        sid = uuid.UUID(settlement["settlement_id"])
        await conn.execute(
            text("UPDATE settlements SET settled_at = :at WHERE id = :id"), {"at": at, "id": sid}
        )
        if reversed_too:
            await conn.execute(
                text("UPDATE reversals SET reversed_at = :at WHERE settlement_id = :id"),
                {"at": at, "id": sid},
            )


def _at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), SHANGHAI)


def _funds(page: str) -> dict[str, str]:
    """The dashboard's fund table: fund name → paid."""
    return dict(
        re.findall(
            r'<tr data-fund="\d+"><td>\d+</td><td>([^<]+)</td><td class="num">([^<]+)</td>', page
        )
    )


def _cell(page: str, cell_id: str) -> str:
    found = re.search(rf'id="{cell_id}">([^<]*)<', page)
    assert found is not None, cell_id
    return found.group(1).strip()


def _svg(page: str) -> ET.Element:
    found = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert found is not None, page
    return ET.fromstring(found.group(0))  # raises unless well-formed


async def _dashboard(client: AsyncClient, **params: str) -> Response:
    return await client.get("/ui/console/", params=params, headers=headers(AGENCY))


@pytest.fixture
async def june(own_app: FastAPI, own_client: AsyncClient) -> dict[str, Any]:
    """On a database of its own: the RULEBOOK examples at 东区人民医院 (secondary, 510402) in
    June 2018, of persons of 510402 (东区) and 510411 (仁和区)."""
    client, engine = own_client, own_app.state.engine
    poor_a, poor_d, plain = (
        await new_person(client, POOR, county="510402"),
        await new_person(client, POOR, county="510402"),
        await new_person(client, county="510402"),
    )
    poor_away = await new_person(client, POOR, county="510411")
    poor_march, plain_reversed = (
        await new_person(client, POOR, county="510402"),
        await new_person(client, county="510402"),
    )
    a = await _settle(client, make_bill("CA-1", poor_a))  # example 1
    b = await _settle(client, make_bill("CB-2", plain))  # example 2
    c = await _settle(client, make_bill("CC-3", poor_away))  # example 3 (out of county)
    d = await _settle(client, make_bill("CD-1", poor_d))  # example 1 again, another person
    g = await _settle(client, make_bill("CG-2", plain_reversed))  # example 2, then reversed
    e = await _settle(client, make_bill("CE-1", poor_march, discharge="2018-03-10"))
    assert (a["fund_paid"], b["fund_paid"], c["fund_paid"], d["fund_paid"]) == (
        "17945.00",
        "13575.00",
        "17708.60",
        "17945.00",
    )
    response = await reverse(client, g)
    assert response.status_code == 200, response.text
    for settlement, day in (
        (a, "2018-06-01"),
        (b, "2018-06-12"),
        (c, "2018-06-20"),
        (d, "2018-06-30"),
    ):
        await _move(engine, settlement, _at(day))
    await _move(engine, g, _at("2018-06-15"), reversed_too=True)
    await _move(engine, e, _at("2018-03-10"))
    # Test setup, as tests/api/test_reconciliation.py does: the engine's tilted layer always
    # brings an in-county poor bill down to its target, so no RULEBOOK bill is above it. Pretend
    # bill D's tilted layer had applied a target of 1.00 (below its 555.00 in-policy self-pay).
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE settlements SET tilted_target_fen = 100 WHERE id = :id"),
            {"id": uuid.UUID(d["settlement_id"])},
        )
    return {
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "e": e,
        "g": g,
        "client": client,
        "app": own_app,
        "people": {"poor_a": poor_a},
    }


async def test_dashboard_figures_are_the_reports_and_the_rulebook(june: dict[str, Any]) -> None:
    client: AsyncClient = june["client"]
    # Defaults: the registry's first county (510402) and its latest month with a settlement.
    page = await _dashboard(client)
    assert page.status_code == 200, page.text
    assert 'value="2018-06"' in page.text and '<option value="510402" selected>' in page.text
    _assert_same_origin(page)
    board = page.text

    # By hand (docs/rules.md §7): A and D are example 1, B example 2; G reversed; C is 510411's.
    assert _cell(board, "settlement-count") == "3"
    assert _funds(board) == {
        BASIC: "42855.00",  # 14640.00 × 2 + 13575.00
        CRITICAL: "0.00",
        SUPPLEMENTARY: "3860.00",  # 1930.00 × 2
        TILTED: "160.00",  # 80.00 × 2
        CIVIL: "2590.00",  # 1295.00 × 2
    }
    assert list(_funds(board)) == [BASIC, CRITICAL, SUPPLEMENTARY, TILTED, CIVIL]  # policy order
    assert _cell(board, "poor-count") == "2（2）"
    assert _cell(board, "poor-ratio") == "3.00%"  # (555.00 + 555.00) / (18500.00 × 2)
    assert _cell(board, "target") == "≤ 10%"  # the policy's target_ratio 0.10
    assert _cell(board, "above-count") == "1"
    slip = f'href="/ui/settlements/{june["d"]["settlement_id"]}/slip"'
    assert board.count("/slip") == 1 and slip in board  # only D is listed above the target
    opened = await client.get(
        f"/ui/settlements/{june['d']['settlement_id']}/slip", headers=headers(AGENCY)
    )
    assert opened.status_code == 200 and "CD-1" in opened.text  # the slip page (app/ui/slip.py)

    # The same figures from the reports.
    ledger_answer = await client.get(
        "/v1/reconciliation/poverty-ledger",
        params={"date_from": "2018-06-01", "date_to": "2018-06-30", "county_code": "510402"},
        headers=headers(AGENCY),
    )
    (row,) = ledger_answer.json()["rows"]
    assert row["count"] == 2 and row["in_county"]["above_target_count"] == 1
    assert row["in_county"]["in_policy_self_pay_ratio"] == "0.0300"
    away = (await _dashboard(client, county="510411", month="2018-06")).text
    assert _cell(away, "settlement-count") == "1"
    assert "本月没有县域内建档立卡贫困人口的结算" in away  # C is out of county
    assert _funds(away) == {
        BASIC: "12810.00",
        CRITICAL: "414.00",
        SUPPLEMENTARY: "2638.00",
        TILTED: "0.00",
        CIVIL: "1846.60",
    }
    totals = (
        await client.get(
            "/v1/reconciliation/totals",
            params={"date_from": "2018-06-01", "date_to": "2018-06-30", "hospital_code": HOSPITAL},
            headers=headers(AGENCY),
        )
    ).json()
    # Every June settlement of the two counties is at this one hospital; G nets to nothing.
    assert totals["count"] == 4
    both = {
        name: Decimal(_funds(board)[name]) + Decimal(_funds(away)[name]) for name in _funds(board)
    }
    paid = {f["fund_name"]: Decimal(f["paid"]) for f in totals["funds"]}
    assert {n: v for n, v in paid.items() if v} == {n: v for n, v in both.items() if v}
    assert both[BASIC] == Decimal("55665.00")  # 42855.00 + 12810.00

    # The trend: twelve months ending with June; points where there are in-county poor bills.
    svg = _svg(board)
    assert svg.get("role") == "img" and svg.get("aria-label")
    title = svg.find(f"{SVG}title")
    assert title is not None and "2017-07 至 2018-06" in (title.text or "")
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "月份（年-月）" in labels and "比例" in labels and "目标 10%" in labels
    assert next(t for t in labels if t and re.fullmatch(r"\d\d-\d\d", t)) == "17-07"
    points = [c.find(f"{SVG}title").text for c in svg.iter(f"{SVG}circle")]  # type: ignore[union-attr]
    assert points == ["2018-03：3.00%", "2018-06：3.00%"]


@pytest.mark.usefixtures("demo")
async def test_dashboard_refuses_bad_input_and_hospitals(client: AsyncClient) -> None:
    for params, words in (
        ({"month": "2018-13"}, "月份应写作 yyyy-MM"),
        ({"month": "June"}, "月份应写作 yyyy-MM"),
        ({"county": "51x402"}, "县区代码应为 6 位数字"),
        ({"county": "999999"}, "登记信息中没有县区 999999"),
    ):
        page = await _dashboard(client, **params)
        assert page.status_code == 422 and words in page.text, params
        assert "<svg" not in page.text
    assert (await client.get("/ui/console/", headers=headers(ADMIN))).status_code == 200
    # A hospital's session: the Chinese 403 page, on both pages.
    await sign_in(client, hospital_key(HOSPITAL))
    for path in ("/ui/console/", "/ui/console/settlements?bill_no=x"):
        page = await client.get(path)
        assert page.status_code == 403 and "当前身份无权访问此页面" in page.text, path
    # Without a session: to sign-in.
    client.cookies.clear()
    page = await client.get("/ui/console/settlements")
    assert page.status_code == 303 and page.headers["location"].startswith("/ui/login")


async def _search(client: AsyncClient, **params: str) -> Response:
    return await client.get("/ui/console/settlements", params=params, headers=headers(AGENCY))


async def test_search_finds_the_bill_by_each_criterion(june: dict[str, Any]) -> None:
    client: AsyncClient = june["client"]
    a, g = june["a"], june["g"]
    row = f'data-settlement="{a["settlement_id"]}"'
    for params in (
        {"bill_no": "CA-1"},
        {"id_number": june["people"]["poor_a"]},
        {"hospital_code": HOSPITAL},
        {"date_from": "2018-06-01", "date_to": "2018-06-01"},
        {"hospital_code": HOSPITAL, "bill_no": "CA-1", "date_from": "2018-05-31"},
    ):
        page = await _search(client, **params)
        assert page.status_code == 200 and row in page.text, params
        _assert_same_origin(page)
    page = (await _search(client, bill_no="CA-1")).text
    assert page.count("data-settlement=") == 1
    assert f'href="/ui/settlements/{a["settlement_id"]}/slip"' in page
    masked = june["people"]["poor_a"][:4] + "*" * 10 + june["people"]["poor_a"][-4:]
    assert masked in page and june["people"]["poor_a"] not in page
    figures = re.findall(r'<td class="num">([^<]+)</td>', page)
    assert figures == ["20000.00", "17945.00", "2055.00"]  # example 1: total, fund, patient
    assert "2018-06-01 10:00" in page and "有效" in page
    # Not found by another criterion's value; the reversed one marked.
    assert (
        "没有符合条件的结算"
        in (
            await _search(client, date_from="2018-06-02", date_to="2018-06-11", bill_no="CA-1")
        ).text
    )
    assert "已撤销" in (await _search(client, bill_no="CG-2")).text
    assert g["settlement_id"] in (await _search(client, bill_no="CG-2")).text
    # Bad input: a Chinese message, no search.
    for params, words in (
        ({"date_from": "2018-02-30"}, "日期应写作 yyyy-MM-dd"),
        ({"date_from": "2018-06-02", "date_to": "2018-06-01"}, "结束日期不能早于开始日期"),
        ({"id_number": "12345"}, "身份证号应为 18 位"),
        ({"hospital_code": "H 1"}, "医院编码只能包含"),
    ):
        page = await _search(client, **params)
        assert page.status_code == 422 and words in page.text, params
        assert "data-settlement=" not in page.text
    assert "请至少填写一个条件" in (await _search(client)).text


async def test_the_queries_the_console_adds(june: dict[str, Any]) -> None:
    """:func:`ledger` over every category, :func:`above_target` and :func:`console.search`,
    called directly: what the pages show is what they answer."""
    sessionmaker = june["app"].state.sessionmaker
    first, last = dt.date(2018, 6, 1), dt.date(2018, 6, 30)
    async with sessionmaker() as session:
        everyone = await ledger(session, "510402", first, last, registered_poor_only=False)
    async with sessionmaker() as session:
        poor = await ledger(session, "510402", first, last)
    async with sessionmaker() as session:
        listed = await above_target(session, "510402", first, last)
    async with sessionmaker() as session:
        found = await console.search(session, bill_no="CB-2")
        assert await console.counties(session) == ["510402", "510403", "510411", "510421", "510422"]
        assert await console.latest_month(session, "510411") == "2018-06"
        assert await console.latest_month(session, "510421") is None
    assert [r.count for r in everyone.rows] == [3] and [r.count for r in poor.rows] == [2]
    assert everyone.rows[0].self_pay == "10535.00"  # 2055.00 × 2 + 6425.00
    assert [(x.bill_no, x.in_policy_self_pay, x.target) for x in listed] == [
        ("CD-1", "555.00", "1.00")
    ]
    assert [(f.bill_no, f.fund_paid, f.self_pay, f.reversed) for f in found] == [
        ("CB-2", "13575.00", "6425.00", False)
    ]
    assert console.month_days("2018-12") == (dt.date(2018, 12, 1), dt.date(2018, 12, 31))
    with pytest.raises(ValueError):
        console.month_days("2018-13")


async def test_reconciliation_page_and_its_downloads_for_a_session(june: dict[str, Any]) -> None:
    client: AsyncClient = june["client"]
    days = {"hospital_code": HOSPITAL, "date_from": "2018-06-01", "date_to": "2018-06-30"}
    api = await client.get("/v1/reconciliation/totals", params=days, headers=headers(AGENCY))
    await sign_in(client, AGENCY)  # a browser: the session cookie, no bearer header
    page = await client.get("/ui/console/reconciliation", params=days)
    assert page.status_code == 200, page.text
    _assert_same_origin(page)
    assert _cell(page.text, "net-count") == str(api.json()["count"]) == "4"
    # By hand: A, B, C and D (G is settled and reversed in June: nets to nothing).
    assert _cell(page.text, "net-fund-paid") == api.json()["fund_paid"] == "67173.60"
    for file_format in ("csv", "xlsx"):
        link = f"/ui/console/reconciliation/export?{urlencode(days)}&format={file_format}"
        assert f'href="{html.escape(link)}"' in page.text
        ours = await client.get(link)
        theirs = await client.get(
            "/v1/reconciliation/settlements/export",
            params={**days, "format": file_format},
            headers=headers(AGENCY),
        )
        assert ours.status_code == theirs.status_code == 200, ours.text
        assert ours.headers["content-disposition"] == theirs.headers["content-disposition"]
        if file_format == "csv":
            assert ours.content == theirs.content
    for params, words in (
        ({"date_from": "2018-06-01"}, "请填写日期"),
        ({**days, "hospital_code": "NOSUCH"}, "登记信息中没有医院 NOSUCH"),
    ):
        page = await client.get("/ui/console/reconciliation", params=params)
        assert page.status_code == 422 and words in page.text, params
    bad = await client.get("/ui/console/reconciliation/export", params={**days, "format": "pdf"})
    assert bad.status_code == 422 and "下载格式只能是 CSV 或 XLSX" in bad.text


async def test_audit_page_verifies_the_chain_and_policies_page(june: dict[str, Any]) -> None:
    client: AsyncClient = june["client"]
    engine: AsyncEngine = june["app"].state.engine
    # The whole log's verification runs when asked (?verify=1): at a million entries it reads
    # every row (bench/audit.py), too long for every view of the page.
    page = await client.get("/ui/console/audit?verify=1", headers=headers(AGENCY))
    assert page.status_code == 200, page.text
    _assert_same_origin(page)
    assert "审计链完整" in page.text and "settlement.create" in page.text
    ids = [int(i) for i in re.findall(r'data-entry="(\d+)"', page.text)]
    assert ids == sorted(ids, reverse=True) and len(ids) <= 50
    # Someone with the rights to switch the trigger off edits an entry (one the sequencer has
    # integrated: all of them, now): the page says where.
    await integrate_all(june["app"].state.sessionmaker, Ed25519PrivateKey.generate())
    victim = ids[-1]
    async with engine.begin() as conn:
        await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        await conn.execute(text(f"UPDATE audit_log SET details = '{{}}' WHERE id = {victim}"))
        await conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    page = await client.get("/ui/console/audit?verify=1", headers=headers(AGENCY))
    assert f"审计链已损坏：第 {victim} 条记录" in page.text

    page = await client.get("/ui/console/policies", headers=headers(AGENCY))
    assert page.status_code == 200, page.text
    _assert_same_origin(page)
    for words in (
        "panzhihua-2018",
        "panzhihua-2019",
        "target_ratio",
        "&#34;0.10&#34;",
        "攀人社发〔2018〕195号 二(二)“控制在10%以内”",
        "文件规定",
        "演示假设",
    ):
        assert words in page.text, words
    assert (
        await client.get("/ui/console/policies", headers=headers(hospital_key(HOSPITAL)))
    ).status_code == 403
