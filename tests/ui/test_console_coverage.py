"""参保覆盖, 未参保名单 and 管理台帐 pages (``/ui/console/coverage``, ``/coverage/gaps``,
``/ledger``): the figures are the /v1 reports', the downloads the /v1 files, hospitals get 403,
bad fields a Chinese message.

A database of this test only: the demo's six persons (five with a category in 2018, all enrolled
in medical 2018) and one added in 西区 (510403), 低保 from 2018-01-01, not enrolled. So in 2018,
medical: 西区 has 孙八 (registered poor, enrolled) and the new person: all 1 of 2 = 50.00%;
every county together 5 of 6 (0.8333 → 83.33%).
"""

from __future__ import annotations

import html
import re

from api.conftest import ADMIN, AGENCY, headers, hospital_key
from httpx import AsyncClient

from .conftest import sign_in
from .test_pages import _assert_same_origin

_CELL = re.compile(r'<tr data-cell="([^"]+)">(.*?)</tr>', re.DOTALL)
_NUM = re.compile(r'<td class="num"[^>]*>([^<]+)</td>')
_GAP = re.compile(r'<tr data-gap="([^"]+)" data-reason="([^"]+)">(.*?)</tr>', re.DOTALL)


async def _new_dibao(client: AsyncClient) -> str:
    number = "510403199001010000"  # check digit of 51040319900101000 is 0
    r = await client.put(
        f"/v1/persons/{number}",
        headers=headers(ADMIN),
        json={
            "name": "覆盖测试",
            "county_code": "510403",
            "enrolments": [],
            "categories": [{"category": "dibao", "valid_from": "2018-01-01", "valid_to": None}],
        },
    )
    assert r.status_code == 201, r.text
    return number


def _cells(page: str) -> dict[str, list[str]]:
    return {key: _NUM.findall(row) for key, row in _CELL.findall(page)}


async def test_coverage_page_shows_the_reports_figures(own_client: AsyncClient) -> None:
    await _new_dibao(own_client)
    assert (await sign_in(own_client, AGENCY)).status_code == 303
    page = await own_client.get("/ui/console/coverage", params={"year": "2018"})
    assert page.status_code == 200, page.text
    _assert_same_origin(page)
    cells = _cells(page.text)
    # on the roster, enrolled, not enrolled, ratio
    assert cells["510403:all"] == ["2", "1", "1", "50.00%"]
    assert cells["510403:dibao"] == ["1", "0", "1", "0.00%"]
    assert cells["510403:tekun"] == ["0", "0", "0", "—"]
    assert cells["total:all"] == ["6", "5", "1", "83.33%"]  # 5 / 6 = 0.83333… → 0.8333
    api = await own_client.get(
        "/v1/enrolment/coverage", params={"year": 2018}, headers=headers(AGENCY)
    )
    for county in [*api.json()["counties"], api.json()["total"]]:
        key = county["county_code"] or "total"
        a = county["all"]
        assert cells[f"{key}:all"][:3] == [
            str(a["on_roster"]),
            str(a["enrolled"]),
            str(a["not_enrolled"]),
        ]
    assert (
        'href="/ui/console/coverage/gaps?year=2018&amp;county=510403&amp;scheme=medical"'
        in page.text
    )
    assert "参保覆盖（不漏一人）" in page.text


async def test_gaps_page_and_its_download(own_client: AsyncClient) -> None:
    number = await _new_dibao(own_client)
    assert (await sign_in(own_client, AGENCY)).status_code == 303
    page = await own_client.get(
        "/ui/console/coverage/gaps", params={"year": "2018", "county": "510403"}
    )
    assert page.status_code == 200, page.text
    _assert_same_origin(page)
    [(psn_no, reason, row)] = _GAP.findall(page.text)
    assert reason == "no_record" and "无参保记录" in row and "低保对象" in row
    assert number[:4] + "*" * 10 + number[-4:] in row and number not in page.text  # masked
    query = {"year": "2018", "county": "510403", "scheme": "medical", "format": "csv"}
    file = await own_client.get("/ui/console/coverage/gaps/export", params=query)
    assert file.status_code == 200, file.text
    api = await own_client.get(
        "/v1/enrolment/gaps/export",
        params={"year": 2018, "county_code": "510403", "format": "csv"},
        headers=headers(AGENCY),
    )
    assert file.content == api.content
    assert psn_no in file.content.decode("utf-8-sig")


async def test_ledger_page(own_client: AsyncClient) -> None:
    await _new_dibao(own_client)
    assert (await sign_in(own_client, ADMIN)).status_code == 303
    page = await own_client.get("/ui/console/ledger", params={"year": "2018", "county": "510403"})
    assert page.status_code == 200, page.text
    _assert_same_origin(page)
    text = html.unescape(page.text)
    # admin: ID numbers in clear; 孙八 enrolled by the admin (本人/未记录), the new person not
    assert "510403199001010000" in text and "未参保" in text and "本人/未记录" in text
    assert "低保对象（手工录入，2018-01-01至）" in text
    assert len(re.findall(r"<tr data-person=", page.text)) == 2
    file = await own_client.get(
        "/ui/console/ledger/export", params={"year": "2018", "county": "510403", "format": "xlsx"}
    )
    assert file.status_code == 200 and file.content.startswith(b"PK")


async def test_refusals_in_chinese(own_client: AsyncClient) -> None:
    assert (await sign_in(own_client, hospital_key("H510402001"))).status_code == 303
    for path in ("/ui/console/coverage", "/ui/console/coverage/gaps", "/ui/console/ledger"):
        page = await own_client.get(path)
        assert page.status_code == 403 and "当前身份无权访问此页面" in page.text
    assert (await sign_in(own_client, AGENCY)).status_code == 303
    page = await own_client.get("/ui/console/coverage", params={"year": "18"})
    assert page.status_code == 422 and "年度应为 4 位数字" in page.text
    page = await own_client.get("/ui/console/coverage", params={"year": "2019"})
    assert page.status_code == 422 and "没有 2019 年度的参保与代缴规则" in page.text
    page = await own_client.get("/ui/console/ledger", params={"county": "510499"})
    assert page.status_code == 422 and "不是本统筹区的县（区）" in page.text
    page = await own_client.get("/ui/console/coverage/gaps", params={"cursor": "nope"})
    assert page.status_code == 422 and "翻页位置无效" in page.text
    page = await own_client.get("/ui/console/coverage/gaps/export", params={"format": "pdf"})
    assert page.status_code == 422 and "下载格式只能是 CSV 或 XLSX" in page.text
