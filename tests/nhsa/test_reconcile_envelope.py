"""3201 对总账, 9101 文件上传, 3202 对明细账 and 9102 文件下载 through the envelope (the service
is tested directly in test_reconcile_service.py, over the same ``scenario``: its figures are
worked out there), with message replay: 9102's raw zip comes back byte for byte under the same
msgid, and 9101 does not store a second file.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from api.conftest import ADMIN, headers
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from .fsi import call, envelope, failed, ok
from .test_reconcile_service import Scenario, scenario, unzip_result, zipped

__all__ = ["scenario"]

pytestmark = pytest.mark.usefixtures("demo")


async def key_of(client: AsyncClient, hospital: str) -> str:
    response = await client.post(
        "/v1/api-keys", headers=headers(ADMIN), json={"role": "hospital", "hospital_code": hospital}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["key"])


def totals(**changes: Any) -> dict[str, Any]:
    """3201 of DAY (1997-03-10): 4 records, 21280.00, fund 14147.00 (test_reconcile_service)."""
    data = {
        "insutype": "390",
        "clr_type": "21",
        "setl_optins": "",
        "stmt_begndate": "1997-03-10",
        "stmt_enddate": "1997-03-10",
        "medfee_sumamt": "21280.00",
        "fund_pay_sumamt": "14147.00",
        "acct_pay": "0.00",
        "fixmedins_setl_cnt": 4,
        "refd_setl_flag": "1",
        **changes,
    }
    return {"data": data}


async def test_3201_through_the_envelope(client: AsyncClient, scenario: Scenario) -> None:
    sc, key = scenario, await key_of(client, scenario.hospital)

    async def send(node: dict[str, Any], **extra: Any) -> Any:
        return await call(
            client, envelope("3201", node, fixmedins_code=sc.hospital, **extra), key=key
        )

    assert ok(await send(totals())) == {
        "stmtinfo": {"setl_optins": None, "stmt_rslt": "0", "stmt_rslt_dscr": "对平"}
    }
    out = ok(await send(totals(medfee_sumamt="21280.01")))
    assert out["stmtinfo"]["stmt_rslt"] == "1"
    assert out["stmtinfo"]["stmt_rslt_dscr"] == "医疗费总额不符：医药机构21280.01，中心21280.00"
    assert failed(await send(totals(insutype="310"))) == (
        "FSI-输入[data].insutype：险种类型310不支持，只支持390（城乡居民基本医疗保险）"
    )
    assert failed(await send(totals(medfee_sumamt="1.001"))).startswith(
        "FSI-输入[data].medfee_sumamt："
    )
    # Another hospital's key cannot reconcile this hospital's figures.
    body = envelope("3201", totals(), fixmedins_code=sc.hospital)
    assert failed(await call(client, body)) == (
        f"FSI-报文头.fixmedins_code：{sc.hospital}不是该密钥所属的定点医药机构"
    )


async def test_9101_3202_9102_through_the_envelope_and_their_replays(
    client: AsyncClient, engine: AsyncEngine, scenario: Scenario
) -> None:
    sc, key = scenario, await key_of(client, scenario.hospital)

    async def send(infno: str, node: dict[str, Any], msg: str | None = None) -> Any:
        body = envelope(infno, node, msg=msg, fixmedins_code=sc.hospital)
        return await call(client, body, key=key), body

    # s1 agrees, s2 differs by 0.01, s2's reversal agrees, s3 not listed (the service test's
    # first scenario without its unknown row).
    rows = [
        f"{sc.s1}\tnull\t{sc.p1}\t20000.00\t13575.00\t0.00\t0",
        f"{sc.s2}\tnull\t{sc.p2}\t1280.01\t660.00\t0.00\t0",
        f"{sc.s2_reversal}\tnull\t{sc.p2}\t-1280.00\t-660.00\t0.00\t1",
    ]
    upload = zipped("mx.txt", ("\n".join(rows) + "\n").encode())
    node = {
        "fsUploadIn": {
            "in": base64.b64encode(upload).decode(),
            "filename": "mx.zip",
            "fixmedins_code": sc.hospital,
        }
    }
    response, body = await send("9101", node)
    up = ok(response)  # 9101's fields sit in output itself (no sub-node: N1, N5, N7)
    file_qury_no = up["file_qury_no"]
    assert up["filename"] == "mx.zip"
    again, _ = await send("9101", node, msg=body["msgid"])
    assert again.content == response.content  # replayed: the same file_qury_no

    async def files(kind: str) -> int:
        async with engine.connect() as conn:
            return int(
                await conn.scalar(
                    text("SELECT count(*) FROM nhsa_files WHERE hospital_code = :h AND kind = :k"),
                    {"h": sc.hospital, "k": kind},
                )
                or 0
            )

    uploads = await files("upload")
    assert uploads >= 1

    detail = {
        "data": {
            "setl_optins": "",
            "file_qury_no": file_qury_no,
            "stmt_begndate": "1997-03-10",
            "stmt_enddate": "1997-03-10",
            "medfee_sumamt": "21280.00",
            "fund_pay_sumamt": "14147.00",
            "cash_payamt": "7133.00",
            "fixmedins_setl_cnt": 4,
            "clr_type": "21",
            "refd_setl_flag": "1",
        }
    }
    response, body = await send("3202", detail)
    info = ok(response)["fileinfo"]
    assert info["filename"] == "result.zip" and info["file_qury_no"] != file_qury_no
    assert (await send("3202", detail, msg=body["msgid"]))[0].content == response.content
    assert await files("result") == 1  # the replay made no second result

    fetch = {
        "fsDownloadIn": {
            "file_qury_no": info["file_qury_no"],
            "filename": "result.zip",
            "fixmedins_code": sc.hospital,
        }
    }
    response, body = await send("9102", fetch)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert unzip_result(response.content) == (
        f"{sc.p1}\tnull\t{sc.s1}\tnull\t0\t0\tnull\t20000.00\t13575.00\t0.00\n"
        f"{sc.p2}\tnull\t{sc.s2}\tnull\t3\t0\t医疗费总额不符：医药机构1280.01，中心1280.00"
        "\t1280.00\t660.00\t0.00\n"
        f"{sc.p2}\tnull\t{sc.s2_reversal}\tnull\t0\t1\tnull\t-1280.00\t-660.00\t0.00\n"
        f"{sc.p3}\tnull\t{sc.s3}\tnull\t1\t0\t医药机构无此结算记录\t1280.00\t572.00\t0.00\n"
    )
    replay, _ = await send("9102", fetch, msg=body["msgid"])
    assert replay.headers["content-type"] == "application/octet-stream"
    assert replay.content == response.content  # the raw zip, byte for byte
    # The same msgid asking for another file: 报文ID重复, as an envelope.
    other = {"fsDownloadIn": {**fetch["fsDownloadIn"], "file_qury_no": file_qury_no}}
    assert failed((await send("9102", other, msg=body["msgid"]))[0]) == (
        f"FSI-报文ID重复：{body['msgid']}已用于另一报文"
    )
    # An upload is not a result: 9102 refuses it as an envelope naming the field.
    refused = failed((await send("9102", other))[0])
    assert (
        refused
        == f"FSI-文件下载[fsDownloadIn].file_qury_no：文件查询号{file_qury_no}不存在或已过期"
    )
