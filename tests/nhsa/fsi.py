"""Helpers of the national-interface tests: envelopes, the call, the demo keys.

The demo fixture and the person helpers are those of the API tests (tests/api/conftest.py):
the same shared database, each test isolated by persons and msgids nobody else uses.
"""

from __future__ import annotations

import json
from typing import Any

from api.conftest import headers, hospital_key
from httpx import AsyncClient, Response
from support import unique

URL = "/fsi/api/rsfComIfsService/callService"
HOSPITAL = "H510402001"  # demo, county 510402


def msgid() -> str:
    """A msgid nobody else in this session uses: hospital code + a counter (as HIS build them)."""
    return unique(HOSPITAL, digits=12)


def envelope(
    infno: str, node: dict[str, Any], *, msg: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "infno": infno,
        "msgid": msg or msgid(),
        "mdtrtarea_admvs": "510402",
        "insuplc_admdvs": "510402",
        "recer_sys_code": "YBXT",
        "dev_no": "",
        "dev_safe_info": "",
        "cainfo": "",
        "signtype": "",
        "infver": "V1.0",
        "opter_type": "1",
        "opter": "1099",
        "opter_name": "测试员",
        "inf_time": "2026-12-01 10:00:00",
        "fixmedins_code": HOSPITAL,
        "fixmedins_name": "攀枝花市东区人民医院（演示）",
        "sign_no": "",
        "input": node,
    }
    body.update(extra)
    return body


async def call(
    client: AsyncClient,
    body: dict[str, Any] | bytes | str,
    *,
    key: str | None = hospital_key(HOSPITAL),
    path: str = URL,
    content_type: str = "application/json",
    extra_headers: dict[str, str] | None = None,
) -> Response:
    content = body if isinstance(body, bytes | str) else json.dumps(body, ensure_ascii=False)
    return await client.post(
        path,
        content=content.encode() if isinstance(content, str) else content,
        headers={"Content-Type": content_type, **headers(key), **(extra_headers or {})},
    )


def ok(response: Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["infcode"] == 0, answer
    assert answer["err_msg"] is None
    return answer["output"]


def failed(response: Response) -> str:
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["infcode"] == -1, answer
    assert isinstance(answer["err_msg"], str) and answer["err_msg"]
    return answer["err_msg"]
