"""The one-stop window (``/ui/window/``): preview, settle, find and reverse a bill through the
pages, as a browser would (session cookie, CSRF token from the page).

Expected figures are docs/rules.md §7 example 1 (``examples/demo-bill.json``), written out: basic
14640.00, critical illness 0.00, supplementary 1930.00, tilted 80.00, civil assistance 1295.00;
fund paid 17945.00, 个人自付 2055.00 (1000.00 + 500.00 + 555.00), ratio 0.0300 against 0.10.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from api.conftest import bill_no, find, make_bill, new_person
from httpx import AsyncClient, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from .conftest import AGENCY, HOSPITAL, csrf_of, headers, hospital_key, sign_in
from .test_pages import XSS
from .test_pages import _assert_same_origin as assert_same_origin

pytestmark = pytest.mark.usefixtures("demo")

DEMO_BILL = Path(__file__).parents[2] / "examples" / "demo-bill.json"
_HIDDEN_BILL = re.compile(r'<input type="hidden" name="bill" value="([^"]*)">')
_SLIP = re.compile(r"^/ui/settlements/([0-9a-f-]{36})/slip$")


def _rows(page: str) -> dict[str, str]:
    """The ``<th scope="row">label</th><td ...>value</td>`` pairs of a page."""
    found = re.findall(r'<th scope="row">([^<]+)</th>\s*<td[^>]*>\s*([^<]*?)\s*</td>', page)
    return dict(found)


def _layers(page: str) -> list[tuple[str, str, str, str, str]]:
    """Each layer row: fund name, 基数, 支付, 剩余, reason."""
    return re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td class="num">([^<]*)</td><td class="num">([^<]*)</td>'
        r'\s*<td class="num">([^<]*)</td><td>([^<]*)</td>',
        page,
    )


async def _window(client: AsyncClient, key: str = hospital_key(HOSPITAL)) -> str:
    """Sign in and return the preview form's CSRF token."""
    await sign_in(client, key)
    page = await client.get("/ui/window/preview")
    assert page.status_code == 200, page.text
    return csrf_of(page.text)


async def _preview(client: AsyncClient, token: str, bill: str) -> Response:
    return await client.post("/ui/window/preview", data={"csrf_token": token, "bill": bill})


async def _settle(client: AsyncClient, token: str, bill: str) -> Response:
    return await client.post("/ui/window/settle", data={"csrf_token": token, "bill": bill})


async def _count(engine: AsyncEngine, hospital: str, bill: str) -> int:
    async with engine.connect() as conn:
        n = await conn.scalar(
            text("SELECT count(*) FROM settlements WHERE hospital_code = :h AND bill_no = :b"),
            {"h": hospital, "b": bill},
        )
    return int(n or 0)


async def _poor_bill(client: AsyncClient, **changes: Any) -> dict[str, Any]:
    """Example 1's bill for a registered-poor person nobody else settles for."""
    body = make_bill(bill_no(), await new_person(client, ["registered_poor"]))
    body.update(changes)
    return body


def _assert_example_1(page: str) -> None:
    assert _layers(page) == [
        ("城乡居民基本医疗保险基金", "18500.00", "14640.00", "3860.00", ""),
        ("城乡居民大病保险基金", "3860.00", "0.00", "3860.00", "累计计算基数未达到分段起点"),
        ("补充医疗保险基金", "3860.00", "1930.00", "1930.00", ""),
        ("政策范围内住院费用倾斜支付资金", "1930.00", "80.00", "1850.00", ""),
        ("城乡医疗救助资金", "1850.00", "1295.00", "555.00", ""),
    ]
    rows = _rows(page)
    assert rows["基金支付"] == "17945.00"
    assert rows["个人自付"] == "2055.00"
    assert rows["政策范围内个人自付"] == "555.00"
    assert rows["政策范围内自付比例"] == "0.0300"
    assert rows["目标比例"].startswith("0.10（未超过目标）"), rows["目标比例"]


async def test_preview_of_the_demo_bill_shows_example_1_and_stores_nothing(
    own_client: AsyncClient, engine: AsyncEngine
) -> None:
    # A database of its own: the demo person's accumulators are exactly example 1's "before".
    client = own_client
    token = await _window(client)
    bill = DEMO_BILL.read_text(encoding="utf-8")
    page = await _preview(client, token, bill)
    assert page.status_code == 200, page.text
    _assert_example_1(page.text)
    assert "建档立卡贫困人员" in page.text
    # The classes: total 20000.00, 全自费 1000.00, 先行自付 500.00, 政策范围内 18500.00.
    cells = re.findall(r'<td class="num">([^<]*)</td>', page.text)
    assert cells[:6] == ["20000.00", "0.00", "1000.00", "0.00", "500.00", "18500.00"]
    # The settle button carries the same bill.
    hidden = _HIDDEN_BILL.search(page.text)
    assert hidden is not None
    assert json.loads(html.unescape(hidden.group(1))) == json.loads(bill)
    found = await find(client, HOSPITAL, "ZY2018060001")
    assert found.status_code == 404


async def test_preview_of_an_uploaded_file(client: AsyncClient) -> None:
    token = await _window(client)
    body = await _poor_bill(client)
    page = await client.post(
        "/ui/window/preview",
        data={"csrf_token": token, "bill": ""},
        files={"bill_file": ("bill.json", json.dumps(body).encode(), "application/json")},
    )
    assert page.status_code == 200, page.text
    _assert_example_1(page.text)


async def test_settle_creates_one_settlement_and_redirects_to_its_slip(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    token = await _window(client)
    body = await _poor_bill(client)
    preview = await _preview(client, token, json.dumps(body, ensure_ascii=False))
    hidden = _HIDDEN_BILL.search(preview.text)
    assert hidden is not None
    carried = html.unescape(hidden.group(1))

    settled = await _settle(client, token, carried)
    assert settled.status_code == 303, settled.text
    slip = _SLIP.match(settled.headers["location"])
    assert slip is not None, settled.headers["location"]
    found = await find(client, HOSPITAL, body["bill_no"])
    assert found.status_code == 200
    assert found.json()["settlement_id"] == slip.group(1)
    assert found.json()["self_pay"] == "2055.00"
    assert await _count(engine, HOSPITAL, body["bill_no"]) == 1

    # The same bill again: the same settlement, nothing added (idempotent as /v1).
    again = await _settle(client, token, carried)
    assert again.status_code == 303
    assert again.headers["location"] == settled.headers["location"]
    assert await _count(engine, HOSPITAL, body["bill_no"]) == 1

    # Found by its number, with a link to the slip and a 撤销 form.
    page = await client.get("/ui/window/", params={"bill_no": body["bill_no"]})
    assert page.status_code == 200
    assert f'href="/ui/settlements/{slip.group(1)}/slip"' in page.text
    assert f'action="/ui/window/settlements/{slip.group(1)}/reverse"' in page.text
    assert "已结算" in page.text
    assert _rows(page.text)["个人自付"] == "2055.00"


async def test_settle_refuses_a_changed_bill_in_chinese(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    token = await _window(client)
    body = await _poor_bill(client)
    assert (await _settle(client, token, json.dumps(body))).status_code == 303
    changed = {**body, "referral": True}
    page = await _settle(client, token, json.dumps(changed))
    assert page.status_code == 409
    assert f"单据 {body['bill_no']} 已结算为" in page.text
    assert "请先撤销该结算" in page.text
    assert await _count(engine, HOSPITAL, body["bill_no"]) == 1


async def test_reverse_needs_the_token_and_a_reason(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    token = await _window(client)
    body = await _poor_bill(client)
    settled = await _settle(client, token, json.dumps(body))
    slip = _SLIP.match(settled.headers["location"])
    assert slip is not None
    action = f"/ui/window/settlements/{slip.group(1)}/reverse"

    refused = await client.post(action, data={"reason": "录入错误"})
    assert refused.status_code == 403
    assert "防伪令牌" in refused.text
    assert (await find(client, HOSPITAL, body["bill_no"])).json()["status"] == "settled"

    for reason in ("", "   "):
        no_reason = await client.post(action, data={"csrf_token": token, "reason": reason})
        assert no_reason.status_code == 422
        assert "请填写撤销原因" in no_reason.text
        assert (await find(client, HOSPITAL, body["bill_no"])).json()["status"] == "settled"

    done = await client.post(action, data={"csrf_token": token, "reason": "费用录入错误"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/ui/window/?bill_no={body['bill_no']}"
    assert (await find(client, HOSPITAL, body["bill_no"])).status_code == 404
    page = await client.get(done.headers["location"])
    assert "已撤销" in page.text
    assert _rows(page.text)["撤销原因"] == "费用录入错误"
    assert 'action="/ui/window/settlements/' not in page.text  # nothing left to reverse
    assert await _count(engine, HOSPITAL, body["bill_no"]) == 1
    # Posting the old bill again settles nothing: a reversed bill is settled again only by
    # naming the reversed settlement (``replaces``), as /v1 says.
    stale = await _settle(client, token, json.dumps(body))
    assert stale.status_code == 409
    assert "该结算已撤销" in stale.text
    assert await _count(engine, HOSPITAL, body["bill_no"]) == 1
    again = await _settle(client, token, json.dumps({**body, "replaces": slip.group(1)}))
    assert again.status_code == 303
    assert again.headers["location"] != settled.headers["location"]
    assert await _count(engine, HOSPITAL, body["bill_no"]) == 2


@pytest.mark.parametrize(
    ("bill", "shown"),
    [
        ('{"hospital_code": "H510402001", ', "JSON 格式错误"),
        ("", "请粘贴账单 JSON"),
        ("[1, 2]", "无法处理的内容"),
    ],
)
async def test_bad_json_shows_a_chinese_error_and_stores_nothing(
    client: AsyncClient, engine: AsyncEngine, bill: str, shown: str
) -> None:
    token = await _window(client)
    for post in (_preview, _settle):
        page = await post(client, token, bill)
        assert page.status_code == 422, page.text
        assert shown in page.text
        assert "未作任何更改" in page.text
        assert '<html lang="zh-CN">' in page.text
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM settlements WHERE bill_no = ''")) == 0


async def test_a_bill_the_api_refuses_is_explained_field_by_field(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    token = await _window(client)
    body = await _poor_bill(client)
    bad_fields = {
        **body,
        "patient": {"id_number": "51040219500101001", "name": "张三"},
        "items": [{**body["items"][0], "amount": "abc"}, *body["items"][1:]],
    }
    page = await _settle(client, token, json.dumps(bad_fields))
    assert page.status_code == 422
    assert "患者 › 身份证号" in page.text
    assert "费用明细 › 第 1 项 › 金额" in page.text
    unknown = {**body, "items": [{**body["items"][0], "code": "NOPE99"}, *body["items"][1:]]}
    page = await _settle(client, token, json.dumps(unknown))
    assert page.status_code == 422
    assert "医保目录中没有以下编码：NOPE99。" in page.text
    assert await _count(engine, HOSPITAL, body["bill_no"]) == 0


async def test_another_hospitals_bill_is_a_403(client: AsyncClient, engine: AsyncEngine) -> None:
    token = await _window(client)
    body = await _poor_bill(client, hospital_code="H510402002")
    for post in (_preview, _settle):
        page = await post(client, token, json.dumps(body))
        assert page.status_code == 403
        assert "其他医院" in page.text
    assert await _count(engine, "H510402002", body["bill_no"]) == 0


async def test_another_hospitals_settlement_cannot_be_reversed(client: AsyncClient) -> None:
    other = await _poor_bill(client, hospital_code="H510402002")
    settled = await client.post(
        "/v1/settlements", json=other, headers=headers(hospital_key("H510402002"))
    )
    assert settled.status_code == 201, settled.text
    token = await _window(client)
    page = await client.post(
        f"/ui/window/settlements/{settled.json()['settlement_id']}/reverse",
        data={"csrf_token": token, "reason": "试图撤销"},
    )
    assert page.status_code == 404
    assert "未找到" in page.text
    again = await find(client, "H510402002", other["bill_no"], key=hospital_key("H510402002"))
    assert again.json()["status"] == "settled"


async def test_the_agency_cannot_settle(client: AsyncClient, engine: AsyncEngine) -> None:
    await sign_in(client, AGENCY)
    token = csrf_of((await client.get("/ui/")).text)
    body = await _poor_bill(client)
    page = await _settle(client, token, json.dumps(body))
    assert page.status_code == 403
    assert "无权" in page.text
    assert await _count(engine, HOSPITAL, body["bill_no"]) == 0
    assert (await client.get("/ui/window/")).status_code == 403


async def test_a_bearer_script_settles_without_a_token(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    body = await _poor_bill(client)
    response = await client.post(
        "/ui/window/settle",
        data={"bill": json.dumps(body)},
        headers=headers(hospital_key(HOSPITAL)),
    )
    assert response.status_code == 303
    assert _SLIP.match(response.headers["location"])
    assert await _count(engine, HOSPITAL, body["bill_no"]) == 1
    uuid.UUID(response.headers["location"].split("/")[3])


async def test_the_window_pages_need_a_session(client: AsyncClient) -> None:
    page = await client.get("/ui/window/preview")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/ui/login?next=/ui/window/preview")


async def test_the_window_pages_reference_only_their_own_origin(client: AsyncClient) -> None:
    token = await _window(client)
    body = await _poor_bill(client)
    body["items"][0]["name"] = XSS
    shown = await _preview(client, token, json.dumps(body))
    assert shown.status_code == 200
    assert XSS not in shown.text  # escaped in the textarea and the hidden field
    await _settle(client, token, json.dumps(body))
    pages = [
        shown,
        await client.get("/ui/window/preview"),
        await client.get("/ui/window/", params={"bill_no": body["bill_no"]}),
        await client.get("/ui/window/", params={"bill_no": '"><b>'}),
        await _preview(client, token, "{"),
    ]
    for page in pages:
        assert page.status_code in (200, 422), page.text
        assert_same_origin(page)
    assert "单号只能包含" in pages[3].text
