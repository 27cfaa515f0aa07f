"""The envelope, authentication and dispatch of POST /fsi/api/rsfComIfsService/callService."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.auth.service import hash_key
from app.errors import DatabaseUnavailable, Unprocessable
from app.nhsa import dispatch
from app.nhsa.auth import tif_signature

from .fsi import HOSPITAL, URL, call, envelope, failed, msgid, ok

pytestmark = pytest.mark.usefixtures("demo")

SIGN_IN = {"signIn": {"opter_no": "1099", "mac": "70-B5-E8-3F-1C-34", "ip": "168.168.210.100"}}
KEY = f"demo-{HOSPITAL}"


async def test_answer_envelope_shape(client: AsyncClient) -> None:
    response = await call(client, envelope("9001", SIGN_IN))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    assert list(answer) == [
        "infcode",
        "inf_refmsgid",
        "refmsg_time",
        "respond_time",
        "enctype",
        "signtype",
        "err_msg",
        "output",
    ]
    assert answer["infcode"] == 0 and answer["err_msg"] is None
    assert response.content.startswith(b'{"infcode":0,')  # a JSON number, not "0"
    # the hospital's county 510402 + yyyyMMddHHmmss + 10 digits = 6 + 14 + 10 = 30
    assert re.fullmatch(r"510402[0-9]{14}[0-9]{10}", answer["inf_refmsgid"])
    assert re.fullmatch(r"[0-9]{17}", answer["refmsg_time"])
    assert re.fullmatch(r"[0-9]{17}", answer["respond_time"])
    assert answer["refmsg_time"] <= answer["respond_time"]
    assert answer["inf_refmsgid"][6:20] == answer["refmsg_time"][:14]
    assert (answer["enctype"], answer["signtype"]) == ("", "")


async def test_text_plain_body_and_path_infno(client: AsyncClient) -> None:
    body = envelope("9001", SIGN_IN)
    ok(await call(client, json.dumps(body, ensure_ascii=False), content_type="text/plain"))
    for content_type in ("application/json;charset=UTF-8", "text/plain; charset=utf-8"):
        ok(await call(client, envelope("9001", SIGN_IN), content_type=content_type))
    ok(await call(client, envelope("9001", SIGN_IN), path=URL + "/9001"))
    assert (
        failed(await call(client, envelope("9001", SIGN_IN), path=URL + "/1101"))
        == "FSI-报文头.infno：与请求路径中的交易编号1101不一致"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"msgid": None}, "FSI-报文头.msgid：不能为空"),
        ({"msgid": "x" * 31}, "FSI-报文头.msgid：长度不能超过30个字符"),
        ({"infno": ""}, "FSI-报文头.infno：不能为空"),
        ({"fixmedins_code": None}, "FSI-报文头.fixmedins_code：不能为空"),
        ({"inf_time": None}, "FSI-报文头.inf_time：不能为空"),
        (
            {"inf_time": "2026/12/01"},
            "FSI-报文头.inf_time：不是有效的日期时间（yyyy-MM-dd HH:mm:ss）",
        ),
        ({"input": None}, "FSI-报文头.input：不能为空"),
        ({"input": []}, "FSI-报文头.input：必须是JSON对象"),
        ({"opter_name": 7}, "FSI-报文头.opter_name：必须是字符串"),
    ],
)
async def test_envelope_errors(client: AsyncClient, change: dict[str, Any], message: str) -> None:
    body = envelope("9001", SIGN_IN)
    for key, value in change.items():
        if value is None:
            del body[key]
        else:
            body[key] = value
    assert failed(await call(client, body)) == message


async def test_unknown_keys_are_ignored_and_known_ones_kept(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    body = envelope("9001", SIGN_IN, recer_admdvs="510400", something_else={"x": 1})
    ok(await call(client, body))
    async with engine.connect() as conn:
        header = await conn.scalar(
            text("SELECT header FROM nhsa_messages WHERE hospital_code = :h AND msgid = :m"),
            {"h": HOSPITAL, "m": body["msgid"]},
        )
    assert header["recer_admdvs"] == "510400"
    assert header["opter_name"] == "测试员"
    assert "something_else" not in header and "input" not in header


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b"{not json", "application/json", "FSI-请求不是有效的JSON"),
        (b"\xff\xfe{}", "application/json", "FSI-请求不是UTF-8编码的JSON"),
        (b"[1, 2]", "application/json", "FSI-请求须为JSON对象"),
        (b"{}", "application/x-www-form-urlencoded", "FSI-请求的Content-Type须为"),
        (b"{}", "text/plain; charset=gbk", "FSI-请求须为UTF-8编码，而不是gbk"),
    ],
)
async def test_bad_bodies(
    client: AsyncClient, content: bytes, content_type: str, message: str
) -> None:
    assert failed(await call(client, content, content_type=content_type)).startswith(message)


async def test_unknown_infno(client: AsyncClient) -> None:
    assert failed(await call(client, envelope("9999", {}))) == "FSI-不支持的交易编号：9999"


async def test_wrong_fixmedins_code(client: AsyncClient) -> None:
    body = envelope("9001", SIGN_IN, fixmedins_code="H510402002")
    assert (
        failed(await call(client, body))
        == "FSI-报文头.fixmedins_code：H510402002不是该密钥所属的定点医药机构"
    )


@pytest.mark.parametrize("key", ["demo-agency", "demo-admin"])
async def test_only_hospital_keys(client: AsyncClient, key: str) -> None:
    assert failed(await call(client, envelope("9001", SIGN_IN), key=key)).startswith(
        "FSI-该密钥不属于定点医药机构"
    )


def assert_401(response: Any, loc: list[str] | None = None) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "unauthorized"
    if loc is not None:
        assert [e["loc"] for e in problem["errors"]] == [loc]


async def test_no_or_unknown_credential_is_401(client: AsyncClient) -> None:
    assert_401(await call(client, envelope("9001", SIGN_IN), key=None))
    assert_401(await call(client, envelope("9001", SIGN_IN), key="not-a-key"))
    assert_401(
        await call(
            client, envelope("9001", SIGN_IN), key=None, extra_headers={"Authorization": "Basic x"}
        ),
        ["header", "authorization"],
    )


async def key_id(engine: AsyncEngine, key: str) -> uuid.UUID:
    async with engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT id FROM api_keys WHERE key_hash = :h"), {"h": hash_key(key)}
        )
    assert isinstance(found, uuid.UUID)
    return found


def tif(
    paasid: str,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
    secret: str = hash_key(KEY),
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or uuid.uuid4().hex
    return {
        "x-tif-paasid": paasid,
        "x-tif-timestamp": ts,
        "x-tif-nonce": nonce,
        "x-tif-signature": tif_signature(ts, secret, nonce),
    }


async def test_tif_signature(client: AsyncClient, engine: AsyncEngine) -> None:
    paasid = str(await key_id(engine, KEY))
    # the signature by hand: sha256_hex(timestamp + sha256_hex(key) + nonce + timestamp)
    import hashlib

    assert (
        tif_signature("1700000000", "s", "n")
        == hashlib.sha256(b"1700000000sn1700000000").hexdigest()
    )

    good = tif(paasid)
    ok(await call(client, envelope("9001", SIGN_IN), key=None, extra_headers=good))
    # the same nonce again within 10 minutes: refused, even with a fresh signature
    again = tif(paasid, nonce=good["x-tif-nonce"])
    assert_401(
        await call(client, envelope("9001", SIGN_IN), key=None, extra_headers=again),
        ["header", "x-tif-nonce"],
    )
    stale = tif(paasid, timestamp=int(time.time()) - 301)
    assert_401(
        await call(client, envelope("9001", SIGN_IN), key=None, extra_headers=stale),
        ["header", "x-tif-timestamp"],
    )
    future = tif(paasid, timestamp=int(time.time()) + 301)
    assert_401(await call(client, envelope("9001", SIGN_IN), key=None, extra_headers=future))
    forged = tif(paasid, secret=hash_key("demo-H510402002"))
    assert_401(
        await call(client, envelope("9001", SIGN_IN), key=None, extra_headers=forged),
        ["header", "x-tif-signature"],
    )
    unknown = tif(str(uuid.UUID(int=0)))
    assert_401(await call(client, envelope("9001", SIGN_IN), key=None, extra_headers=unknown))
    partial = {k: v for k, v in tif(paasid).items() if k != "x-tif-nonce"}
    assert_401(
        await call(client, envelope("9001", SIGN_IN), key=None, extra_headers=partial),
        ["header", "x-tif-nonce"],
    )
    # the demo keys' prefix "demo-H51" is shared by several keys: it names none
    shared_prefix = tif(KEY[:8])
    assert_401(await call(client, envelope("9001", SIGN_IN), key=None, extra_headers=shared_prefix))
    # signed for one hospital, the envelope names another
    other = envelope("9001", SIGN_IN, fixmedins_code="H510402002")
    assert "fixmedins_code" in failed(
        await call(client, other, key=None, extra_headers=tif(paasid))
    )


async def test_tif_by_unique_prefix(client: AsyncClient, engine: AsyncEngine) -> None:
    created = await client.post(
        "/v1/api-keys",
        json={"role": "hospital", "hospital_code": HOSPITAL, "label": "fsi prefix test"},
        headers={"Authorization": "Bearer demo-admin"},
    )
    assert created.status_code == 201, created.text
    secret = created.json()["key"]
    headers = tif(secret[:8], secret=hash_key(secret))
    ok(await call(client, envelope("9001", SIGN_IN), key=None, extra_headers=headers))


@pytest.fixture
async def unsafe_client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_handler_errors_become_envelopes_and_bugs_stay_500(
    unsafe_client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def domain_error(call: dispatch.Call, node: Any) -> dispatch.Done:
        raise Unprocessable(
            "目录编码不存在",
            code="unknown_code",
            errors=[{"loc": ["feedetail", 3, "med_list_codg"], "msg": "目录编码XA99不存在"}],
        )

    async def pydantic_error(call: dispatch.Call, node: Any) -> dispatch.Done:
        from pydantic import BaseModel

        class M(BaseModel):
            n: int

        M.model_validate({"n": "x"})
        raise AssertionError("unreachable")

    async def bug(call: dispatch.Call, node: Any) -> dispatch.Done:
        raise RuntimeError("a bug")

    async def unavailable(call: dispatch.Call, node: Any) -> dispatch.Done:
        raise DatabaseUnavailable("down")

    monkeypatch.setitem(dispatch.HANDLERS, "T004", unavailable)
    response = await call(unsafe_client, envelope("T004", {}))
    assert (response.status_code, response.json()["code"]) == (503, "database_unavailable")
    monkeypatch.setitem(dispatch.HANDLERS, "T001", domain_error)
    monkeypatch.setitem(dispatch.HANDLERS, "T002", pydantic_error)
    monkeypatch.setitem(dispatch.HANDLERS, "T003", bug)
    assert (
        failed(await call(unsafe_client, envelope("T001", {})))
        == "FSI-费用明细[feedetail][3].med_list_codg：目录编码XA99不存在"
    )
    assert failed(await call(unsafe_client, envelope("T002", {}))).startswith("FSI-n[n]：")
    response = await call(unsafe_client, envelope("T003", {}))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"


async def test_msgid_helper_is_unique() -> None:
    assert msgid() != msgid()
