"""对明细账 and 对账 in the agency console (``/ui/console/reconciliation/details`` and ``/check``):
the rows are the /v1 listing's, paging reaches each once, the check form needs its CSRF token
and says in Chinese whether the figures match.

Each test settles on a hospital of its own (so other tests' settlements are not in its range):
a secondary hospital in 510402, where a person of 510402 with no category is RULEBOOK example 2
(docs/rules.md §7): total 20000.00, in policy 18500.00, fund paid 13575.00 (the basic fund
alone), self-pay 6425.00."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from api.conftest import make_bill, new_person, reverse, settle
from httpx import AsyncClient
from support import unique

from app.reconciliation.scope import SHANGHAI

from .conftest import ADMIN, AGENCY, csrf_of, headers, sign_in
from .test_pages import _assert_same_origin

pytestmark = pytest.mark.usefixtures("demo")

BASIC = "城乡居民基本医疗保险基金"
_ROW = re.compile(r'<tr data-event="(settlement|reversal):([0-9a-f-]+)">(.*?)</tr>', re.DOTALL)
_NUM = re.compile(r'<td class="num"[^>]*>([^<]+)</td>')


async def _hospital_with_two_settlements(client: AsyncClient) -> dict[str, Any]:
    """A hospital of its own, two example-2 bills settled there and the second reversed."""
    code = unique("HR")
    created = await client.put(
        f"/v1/hospitals/{code}",
        headers=headers(ADMIN),
        json={
            "name": "对账测试医院",
            "level": "secondary",
            "county_code": "510402",
            "designated": True,
        },
    )
    assert created.status_code in (200, 201), created.text
    key = await client.post(
        "/v1/api-keys",
        headers=headers(ADMIN),
        json={"role": "hospital", "hospital_code": code, "label": "ui reconciliation test"},
    )
    assert key.status_code == 201, key.text
    secret = key.json()["key"]
    settled = []
    for bill in ("RD-1", "RD-2"):
        person = await new_person(client, [])
        response = await settle(client, make_bill(unique(bill), person, hospital=code), secret)
        assert response.status_code == 201, response.text
        settled.append(response.json())
    reversed_ = await reverse(client, settled[1], secret)
    assert reversed_.status_code == 200, reversed_.text
    today = dt.datetime.now(SHANGHAI).date()
    days = {
        "hospital_code": code,
        "date_from": (today - dt.timedelta(days=1)).isoformat(),
        "date_to": (today + dt.timedelta(days=1)).isoformat(),
    }
    basic = next(f["fund_code"] for f in settled[0]["layers"] if f["fund_name"] == BASIC)
    return {"code": code, "days": days, "settled": settled, "basic": basic}


def _rows(page: str) -> list[tuple[str, str, list[str]]]:
    """``(event, settlement id, [total, hospital-borne, in-policy, fund paid, self-pay])``."""
    return [(kind, sid, _NUM.findall(body)) for kind, sid, body in _ROW.findall(page)]


async def test_details_list_the_settlements_and_the_reversal_as_v1_does(
    client: AsyncClient,
) -> None:
    setup = await _hospital_with_two_settlements(client)
    first, second = setup["settled"]
    api = await client.get(
        "/v1/reconciliation/settlements", params=setup["days"], headers=headers(AGENCY)
    )
    assert api.status_code == 200, api.text
    await sign_in(client, AGENCY)
    page = await client.get("/ui/console/reconciliation/details", params=setup["days"])
    assert page.status_code == 200, page.text
    _assert_same_origin(page)
    rows = _rows(page.text)
    # By hand (example 2): two settlements of 20000.00 and the second's reversal, negative.
    plus = ["20000.00", "0.00", "18500.00", "13575.00", "6425.00"]
    minus = ["-20000.00", "0.00", "-18500.00", "-13575.00", "-6425.00"]
    assert rows == [
        ("settlement", first["settlement_id"], plus),
        ("settlement", second["settlement_id"], plus),
        ("reversal", second["settlement_id"], minus),
    ]
    assert rows == [
        (
            item["event"],
            item["settlement_id"],
            [item[k] for k in ("total", "hospital_borne", "in_policy", "fund_paid", "self_pay")],
        )
        for item in api.json()["items"]
    ]
    for _, sid, _ in rows:
        assert f'href="/ui/settlements/{sid}/slip"' in page.text
    assert "下一页" not in page.text and "已到最后一页" in page.text
    # The totals page links here with the same range.
    totals = await client.get("/ui/console/reconciliation", params=setup["days"])
    assert "/ui/console/reconciliation/details?" in totals.text
    # Bad input: a Chinese message, no rows.
    for params, words in (
        ({**setup["days"], "limit": "0"}, "每页行数应为 1 至 500 的整数"),
        ({**setup["days"], "cursor": "not-a-cursor"}, "翻页位置无效"),
        ({**setup["days"], "hospital_code": "NOSUCH"}, "登记信息中没有医院 NOSUCH"),
        ({"date_from": "2018-06-01"}, "请填写日期"),
    ):
        bad = await client.get("/ui/console/reconciliation/details", params=params)
        assert bad.status_code == 422 and words in bad.text, params
        assert "data-event=" not in bad.text


async def test_details_paging_reaches_every_row_once(client: AsyncClient) -> None:
    setup = await _hospital_with_two_settlements(client)
    await sign_in(client, AGENCY)
    url: str | None = "/ui/console/reconciliation/details?" + "&".join(
        f"{k}={v}" for k, v in {**setup["days"], "limit": "1"}.items()
    )
    seen: list[tuple[str, str]] = []
    pages = 0
    while url is not None:
        page = await client.get(url)
        assert page.status_code == 200, page.text
        rows = _rows(page.text)
        assert len(rows) <= 1
        seen += [(kind, sid) for kind, sid, _ in rows]
        found = re.search(r'<a rel="next" href="([^"]+)">下一页</a>', page.text)
        url = html.unescape(found.group(1)) if found else None
        assert "limit=1" in (url or "limit=1")
        pages += 1
        assert pages <= 5
    first, second = setup["settled"]
    assert seen == [
        ("settlement", first["settlement_id"]),
        ("settlement", second["settlement_id"]),
        ("reversal", second["settlement_id"]),
    ]


async def test_check_form_needs_csrf_and_says_match_or_each_difference(
    client: AsyncClient,
) -> None:
    setup = await _hospital_with_two_settlements(client)
    basic = setup["basic"]
    await sign_in(client, AGENCY)
    form = await client.get("/ui/console/reconciliation/check")
    assert form.status_code == 200, form.text
    _assert_same_origin(form)
    assert '<label for="paid_0"' in form.text
    token = csrf_of(form.text)
    days = setup["days"]
    # Net: two settlements less one reversal = 1 event of the basic fund, 13575.00.
    matching = {**days, "fund_code_0": basic, "count_0": "1", "paid_0": "13575.00"}
    api = await client.post(
        "/v1/reconciliation/check",
        headers=headers(AGENCY),
        json={**days, "funds": [{"fund_code": basic, "count": 1, "paid": "13575.00"}]},
    )
    assert api.status_code == 200 and api.json()["result"] == "match", api.text
    before = await client.get("/v1/reconciliation/totals", params=days, headers=headers(AGENCY))

    refused = await client.post("/ui/console/reconciliation/check", data=matching)
    assert refused.status_code == 403, refused.text
    assert 'id="check-result"' not in refused.text
    wrong = await client.post(
        "/ui/console/reconciliation/check", data={**matching, "csrf_token": "x" + token}
    )
    assert wrong.status_code == 403 and 'id="check-result"' not in wrong.text
    after = await client.get("/v1/reconciliation/totals", params=days, headers=headers(AGENCY))
    assert after.json() == before.json()

    ok = await client.post(
        "/ui/console/reconciliation/check", data={**matching, "csrf_token": token}
    )
    assert ok.status_code == 200, ok.text
    _assert_same_origin(ok)
    assert "一致：医院提交的各基金笔数和金额与本系统记录相符" in ok.text

    mismatching = {
        **days,
        "csrf_token": token,
        "fund_code_0": basic,
        "count_0": "2",
        "paid_0": "27150.00",
        "fund_code_1": "999999",
        "count_1": "1",
        "paid_1": "1.00",
    }
    bad = await client.post("/ui/console/reconciliation/check", data=mismatching)
    assert bad.status_code == 200, bad.text
    assert "不一致：以下基金的数字与本系统记录不符" in bad.text
    differences = {
        code: rest
        for code, *rest in re.findall(
            r'<tr data-fund="([^"]+)"><td>[^<]+</td><td>([^<]+)</td>\s*'
            r'<td class="num">([^<]+)</td><td class="num">([^<]+)</td>\s*'
            r'<td class="num">([^<]+)</td><td class="num">([^<]+)</td></tr>',
            bad.text,
        )
    }
    assert differences == {
        basic: [BASIC, "2", "1", "27150.00", "13575.00"],
        "999999": ["（本系统无此基金）", "1", "0", "1.00", "0.00"],
    }

    # Bad input: a Chinese message beside the field, no result.
    for data, words in (
        ({**matching, "paid_0": "1.234"}, "金额应为数字，最多两位小数"),
        ({**matching, "count_0": "一"}, "笔数应为整数"),
        (
            {**matching, "fund_code_1": basic, "count_1": "0", "paid_1": "0"},
            "同一基金编码只能填写一次",
        ),
        ({**matching, "hospital_code": "NOSUCH"}, "登记信息中没有医院 NOSUCH"),
        (
            {**matching, "date_to": days["date_from"], "date_from": days["date_to"]},
            "结束日期不能早于开始日期",
        ),
    ):
        page = await client.post(
            "/ui/console/reconciliation/check", data={**data, "csrf_token": token}
        )
        assert page.status_code == 422 and words in page.text, data
        assert 'id="check-result"' not in page.text
