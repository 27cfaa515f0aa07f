"""Chinese through the API (issue 12): problem+json and layer reasons under
``Accept-Language: zh``; the same answer in English, unchanged, without it. ``code``, ``type``,
``status`` and every ``loc`` are the same in both languages."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from httpx import AsyncClient, Response
from support import unique

from app.engine.layers.base import REASONS as ENGINE_REASONS
from app.i18n.catalog import PROBLEMS, REASONS

from .conftest import (
    ADMIN,
    assert_problem,
    bill_no,
    headers,
    hospital_key,
    item,
    make_bill,
    new_person,
)

pytestmark = pytest.mark.usefixtures("demo")

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
POOR = ["registered_poor"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _same_but_words(english: dict[str, Any], chinese: dict[str, Any]) -> None:
    for key in ("type", "status", "code"):
        assert chinese[key] == english[key]
    assert [e["loc"] for e in chinese["errors"]] == [e["loc"] for e in english["errors"]]
    assert chinese["title"] == PROBLEMS[chinese["code"]].title
    assert CJK.search(chinese["detail"]) and "{" not in chinese["detail"], chinese["detail"]


async def _both(client: AsyncClient, method: str, url: str, **kwargs: Any) -> tuple[Response, ...]:
    base = kwargs.pop("headers", {})
    english = await client.request(method, url, headers=base, **kwargs)
    chinese = await client.request(method, url, headers={**base, **ZH}, **kwargs)
    return english, chinese


async def test_a_422_settlement_error_in_chinese(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person, items=[item(1, "XA99", "1.00", "1", "1.00")])
    english, chinese = await _both(
        client,
        "POST",
        "/v1/settlements",
        json=body,
        headers=headers(hospital_key(body["hospital_code"])),
    )
    en = assert_problem(english, 422, "unknown_catalog_code", [["body", "items", 0, "code"]])
    zh = assert_problem(chinese, 422, "unknown_catalog_code", [["body", "items", 0, "code"]])
    assert en["title"] == "Unprocessable Content"
    assert en["detail"] == "Unknown catalogue codes: XA99."  # today's text
    assert zh["title"] == "无法处理的内容"
    assert zh["detail"] == "医保目录中没有以下编码：XA99。"
    _same_but_words(en, zh)


async def test_request_validation_in_chinese(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    del body["bill_no"]
    body["surprise"] = 1
    body["items"][0]["amount"] = True
    english, chinese = await _both(
        client,
        "POST",
        "/v1/settlements/preview",
        json=body,
        headers=headers(hospital_key(body["hospital_code"])),
    )
    en = assert_problem(english, 422, "validation_error")
    zh = assert_problem(chinese, 422, "validation_error")
    _same_but_words(en, zh)
    assert en["detail"] == "The request has 3 invalid field(s); see errors."
    by_loc = {tuple(e["loc"]): e["msg"] for e in zh["errors"]}
    assert by_loc[("body", "bill_no")] == "缺少此字段"
    assert by_loc[("body", "surprise")] == "不允许的字段"
    assert by_loc[("body", "items", 0, "amount")] == "金额须为十进制字符串或数字，不能是布尔值"
    assert {e["msg"] for e in en["errors"]} >= {"Field required", "Extra inputs are not permitted"}


async def test_settlement_codes_in_chinese_with_their_data(client: AsyncClient) -> None:
    person = await new_person(client, POOR, years=(2018,))
    old = await new_person(client, POOR, years=(2017,))
    code = unique("XT")  # valid since 2010: the catalogue is checked before the policy
    put = await client.put(
        f"/v1/catalog/{code}",
        headers=headers(ADMIN),
        json={"name": "老项目", "grade": "A", "valid_from": "2010-01-01", "valid_to": None},
    )
    assert put.status_code == 201
    key = headers(hospital_key("H510402001"))
    cases: list[tuple[dict[str, Any], str, list[str]]] = [
        (make_bill(bill_no(), person, discharge="2019-06-12"), "person_not_enrolled", ["2019"]),
        (make_bill(bill_no(), "110101199003074514"), "unknown_person", []),
        (
            make_bill(
                bill_no(), old, discharge="2017-06-12", items=[item(1, code, "10.00", "1", "10.00")]
            ),
            "no_policy_in_force",
            ["2017-06-12", "510400"],
        ),
    ]
    for body, code, data in cases:
        english, chinese = await _both(client, "POST", "/v1/settlements", json=body, headers=key)
        en, zh = assert_problem(english, 422, code), assert_problem(chinese, 422, code)
        _same_but_words(en, zh)
        assert all(d in zh["detail"] for d in data), zh["detail"]

    poor = await new_person(client, POOR, county="510422")
    body = make_bill(bill_no(), poor, hospital="H510422009")
    english, chinese = await _both(
        client, "POST", "/v1/settlements", json=body, headers=headers(hospital_key("H510422009"))
    )
    zh = assert_problem(chinese, 422, "hospital_not_designated")
    _same_but_words(assert_problem(english, 422, "hospital_not_designated"), zh)
    assert "H510422009" in zh["detail"]

    # bill_conflict, bill_reversed, replaces_mismatch: one bill through its life.
    fresh = await new_person(client, POOR)
    body = make_bill(bill_no(), fresh)
    first = await client.post("/v1/settlements", json=body, headers=key)
    assert first.status_code == 201, first.text
    settlement_id = first.json()["settlement_id"]
    changed = {**body, "referral": True}
    english, chinese = await _both(client, "POST", "/v1/settlements", json=changed, headers=key)
    zh = assert_problem(chinese, 409, "bill_conflict")
    _same_but_words(assert_problem(english, 409, "bill_conflict"), zh)
    assert body["bill_no"] in zh["detail"] and settlement_id in zh["detail"]

    reversed_ = await client.post(f"/v1/settlements/{settlement_id}/reversal", headers=key)
    assert reversed_.status_code == 200, reversed_.text
    english, chinese = await _both(client, "POST", "/v1/settlements", json=body, headers=key)
    zh = assert_problem(chinese, 409, "bill_reversed")
    _same_but_words(assert_problem(english, 409, "bill_reversed"), zh)
    assert settlement_id in zh["detail"]

    stranger = str(uuid.uuid4())
    english, chinese = await _both(
        client, "POST", "/v1/settlements", json={**body, "replaces": stranger}, headers=key
    )
    zh = assert_problem(chinese, 409, "replaces_mismatch")
    _same_but_words(assert_problem(english, 409, "replaces_mismatch"), zh)
    assert stranger in zh["detail"] and body["bill_no"] in zh["detail"]

    english, chinese = await _both(client, "GET", f"/v1/settlements/{stranger}", headers=key)
    _same_but_words(
        assert_problem(english, 404, "settlement_not_found"),
        assert_problem(chinese, 404, "settlement_not_found"),
    )


async def test_registry_codes_in_chinese_with_their_data(client: AsyncClient) -> None:
    admin = headers(ADMIN)
    for url, code, data in [
        ("/v1/hospitals/H999999999", "hospital_not_found", "H999999999"),
        ("/v1/catalog/NOPE42", "catalog_item_not_found", "NOPE42"),
        ("/v1/persons/110101199003074514", "person_not_found", None),
    ]:
        english, chinese = await _both(client, "GET", url, headers=admin)
        zh = assert_problem(chinese, 404, code)
        _same_but_words(assert_problem(english, 404, code), zh)
        assert data is None or data in zh["detail"]
    english, chinese = await _both(
        client,
        "POST",
        "/v1/api-keys",
        json={"role": "hospital", "hospital_code": "H999999999"},
        headers=admin,
    )
    zh = assert_problem(chinese, 422, "unknown_hospital")
    _same_but_words(assert_problem(english, 422, "unknown_hospital"), zh)
    assert "H999999999" in zh["detail"]


async def test_auth_and_routing_errors_in_chinese(client: AsyncClient) -> None:
    english, chinese = await _both(client, "GET", "/v1/settlements/" + str(uuid.uuid4()))
    _same_but_words(
        assert_problem(english, 401, "unauthorized"), assert_problem(chinese, 401, "unauthorized")
    )
    english, chinese = await _both(client, "DELETE", "/v1/settlements/preview")
    zh = assert_problem(chinese, 405, "method_not_allowed")
    _same_but_words(assert_problem(english, 405, "method_not_allowed"), zh)
    assert chinese.headers["allow"] == english.headers["allow"]
    english, chinese = await _both(client, "GET", "/v1/nowhere")
    _same_but_words(
        assert_problem(english, 404, "not_found"), assert_problem(chinese, 404, "not_found")
    )


async def test_layer_reasons_in_chinese(client: AsyncClient) -> None:
    person = await new_person(client)  # no category: the poverty layers are not eligible
    body = make_bill(bill_no(), person)
    key = headers(hospital_key(body["hospital_code"]))
    english, chinese = await _both(
        client, "POST", "/v1/settlements/preview", json=body, headers=key
    )
    assert english.status_code == chinese.status_code == 200
    en, zh = english.json(), chinese.json()
    reasons = [(a["reason"], b["reason"]) for a, b in zip(en["layers"], zh["layers"], strict=True)]
    assert any(r is not None for r, _ in reasons)
    codes = {text: code for code, text in ENGINE_REASONS.items()}
    for en_reason, zh_reason in reasons:
        assert zh_reason == (None if en_reason is None else REASONS[codes[en_reason]])
    # Everything else is the same answer.
    for line in (*en["layers"], *zh["layers"]):
        line.pop("reason")
    assert en == zh

    settled = await client.post("/v1/settlements", json=body, headers={**key, **ZH})
    assert settled.status_code == 201
    sid = settled.json()["settlement_id"]
    read = await client.get(f"/v1/settlements/{sid}", headers={**key, **ZH})
    found = await client.get(
        "/v1/settlements",
        params={"hospital_code": body["hospital_code"], "bill_no": body["bill_no"]},
        headers={**key, **ZH},
    )
    plain = await client.get(f"/v1/settlements/{sid}", headers=key)
    for answer in (settled, read, found):
        assert [x["reason"] for x in answer.json()["layers"]] == [b for _, b in reasons]
    assert [x["reason"] for x in plain.json()["layers"]] == [a for a, _ in reasons]
    reversed_ = await client.post(f"/v1/settlements/{sid}/reversal", headers={**key, **ZH})
    assert [x["reason"] for x in reversed_.json()["layers"]] == [b for _, b in reasons]


async def test_middleware_problems_in_chinese(app: Any, client: AsyncClient) -> None:
    """Problems answered before any route runs (app.limits, app.middleware) speak Chinese too."""
    limit = app.state.settings.max_body_bytes
    big = b"x" * (limit + 1)
    english, chinese = await _both(
        client,
        "POST",
        "/v1/settlements",
        content=big,
        headers={"Content-Type": "application/json", **headers(hospital_key("H510402001"))},
    )
    zh = assert_problem(chinese, 413, "payload_too_large", [["body"]])
    _same_but_words(assert_problem(english, 413, "payload_too_large", [["body"]]), zh)
    assert zh["detail"] == f"请求体超过 {limit} 字节。"

    sent = [("Authorization", "Bearer a"), ("Authorization", "Bearer b")]
    english = await client.get("/v1/hospitals/H510402001", headers=sent)
    chinese = await client.get("/v1/hospitals/H510402001", headers=[*sent, *ZH.items()])
    zh = assert_problem(chinese, 400, "ambiguous_credentials")
    _same_but_words(assert_problem(english, 400, "ambiguous_credentials"), zh)
    assert "2 个 Authorization" in zh["detail"]


async def test_settlement_error_items_in_chinese_with_their_data(client: AsyncClient) -> None:
    """The ``errors[].msg`` an ``AppError`` carries from its raise site (issue 12, round 2):
    Chinese under ``zh``, filled from the item's own data; the English body unchanged."""
    person = await new_person(client, POOR)
    key = headers(hospital_key("H510402001"))
    # 12.50 × 3 = 37.50, billed 37.49; 0.333 × 3 = 0.999 rounds to 1.00, billed 0.99.
    mismatch = make_bill(
        bill_no(),
        person,
        items=[item(1, "XC01", "12.50", "3", "37.49"), item(2, "XB01", "0.333", "3", "0.99")],
    )
    english, chinese = await _both(client, "POST", "/v1/settlements", json=mismatch, headers=key)
    locs = [["body", "items", 0, "amount"], ["body", "items", 1, "amount"]]
    en = assert_problem(english, 422, "amount_mismatch", locs)
    zh = assert_problem(chinese, 422, "amount_mismatch", locs)
    _same_but_words(en, zh)
    assert [e["msg"] for e in en["errors"]] == [
        "amount 37.49 ≠ round(unit_price × quantity) = 37.50",
        "amount 0.99 ≠ round(unit_price × quantity) = 1.00",
    ]
    assert [e["msg"] for e in zh["errors"]] == [
        "金额 37.49 ≠ round(单价 × 数量) = 37.50",
        "金额 0.99 ≠ round(单价 × 数量) = 1.00",
    ]
    assert all(set(e) == {"loc", "msg"} for e in en["errors"] + zh["errors"])  # no key, params

    unknown = make_bill(
        bill_no(),
        person,
        items=[item(1, "XC01", "10.00", "1", "10.00"), item(2, "XA99", "1.00", "1", "1.00")],
    )
    english, chinese = await _both(client, "POST", "/v1/settlements", json=unknown, headers=key)
    en = assert_problem(english, 422, "unknown_catalog_code", [["body", "items", 1, "code"]])
    zh = assert_problem(chinese, 422, "unknown_catalog_code", [["body", "items", 1, "code"]])
    assert en["errors"][0]["msg"] == "XA99 is not in the catalogue on 2018-06-12"
    assert zh["errors"][0]["msg"] == "XA99 在 2018-06-12 不在医保目录中"

    nobody = make_bill(bill_no(), "110101199003074514")
    english, chinese = await _both(client, "POST", "/v1/settlements", json=nobody, headers=key)
    loc = [["body", "patient", "id_number"]]
    en = assert_problem(english, 422, "unknown_person", loc)
    zh = assert_problem(chinese, 422, "unknown_person", loc)
    assert en["errors"][0]["msg"] == "not in the person registry"
    assert zh["errors"][0]["msg"] == "参保人登记中没有此人"
    assert en["detail"] == "No insured person with this ID number."


async def test_registry_and_auth_error_items_in_chinese(client: AsyncClient) -> None:
    english, chinese = await _both(
        client,
        "POST",
        "/v1/api-keys",
        json={"role": "hospital", "hospital_code": "H999999999"},
        headers=headers(ADMIN),
    )
    loc = [["body", "hospital_code"]]
    assert assert_problem(english, 422, "unknown_hospital", loc)["errors"][0]["msg"] == (
        "unknown hospital code"
    )
    assert assert_problem(chinese, 422, "unknown_hospital", loc)["errors"][0]["msg"] == (
        "医疗机构编码不存在"
    )
