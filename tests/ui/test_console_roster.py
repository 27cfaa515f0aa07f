"""名单交换 in the agency console (``/ui/console/roster``): the admin uploads a roster with the
session's CSRF token and reads the counts and the rejected rows; the agency reads the imports
but has no form; a refused file is the form again with the Chinese reason, nothing stored."""

from __future__ import annotations

import html
import re

from fastapi import FastAPI
from httpx import AsyncClient
from roster.helpers import ZH, csv_bytes
from sqlalchemy import text
from support import id_number

from .conftest import ADMIN, AGENCY, csrf_of, headers, hospital_key, sign_in

_COUNT = re.compile(r'data-count="(\w+)">(\d+)<')
_ERROR_ROW = re.compile(
    r'<tr class="row-error"><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>'
)


async def _post(client: AsyncClient, data: bytes, token: str | None, **fields: str) -> object:
    form = {"source": "civil_affairs", "as_of": "2018-06-01", **fields}
    if token is not None:
        form["csrf_token"] = token
    return await client.post(
        "/ui/console/roster/imports",
        data=form,
        files={"file": ("民政名单.csv", data, "text/csv")},
    )


async def test_admin_uploads_and_reads_the_result(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    signed = await sign_in(own_client, ADMIN, "/ui/console/roster")
    assert signed.status_code == 303
    page = await own_client.get("/ui/console/roster")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and "尚无导入记录" in page.text
    assert '<a href="/ui/console/roster">名单交换</a>' in page.text  # the console's nav
    token = csrf_of(page.text)
    a, b = id_number("510402"), id_number("510402")
    rows = [
        [a, "张三", "510402", "低保", "2018-01-01", "", "0", ""],
        [b, "李四", "510402", "特困", "2018-01-01", "", "0", ""],
        [b, "李四", "510402", "低保", "2018-03-01", "2018-02-01", "0", ""],
    ]
    data = csv_bytes(ZH, rows)
    # Without the token: refused, nothing stored.
    refused = await _post(own_client, data, None)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    done = await _post(own_client, data, token)
    assert done.status_code == 200, done.text  # type: ignore[attr-defined]
    body = done.text  # type: ignore[attr-defined]
    assert "导入完成" in body and "民政部门（低保、特困）" in body
    # 3 rows: 2 new, 1 rejected (row 4 ends before it starts).
    assert dict(_COUNT.findall(body)) == {
        "rows": "3",
        "new": "2",
        "changed": "0",
        "ended": "0",
        "unchanged": "0",
        "rejected": "1",
    }
    assert [tuple(html.unescape(c) for c in r) for r in _ERROR_ROW.findall(body)] == [
        ("4", "终止日期", "终止日期早于起始日期")
    ]
    # The same file again: the earlier import, said so.
    again = await _post(own_client, data, token)
    assert "此前已导入" in again.text  # type: ignore[attr-defined]
    listed = await own_client.get("/ui/console/roster")
    assert listed.text.count('<tr data-import="') == 1
    # A file without the county column: the form again with the reason, status 422.
    broken = csv_bytes(
        ["身份证号", "姓名", "类别", "起始日期"], [[a, "张三", "低保", "2018-01-01"]]
    )
    bad = await _post(own_client, broken, token, as_of="2018-07-01")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "名单文件缺少必需的列" in bad.text and "县区代码（county_code）" in bad.text  # type: ignore[attr-defined]
    # An as_of before the latest: 409, the form again.
    older = await _post(own_client, csv_bytes(ZH, rows[:1]), token, as_of="2018-05-01")
    assert older.status_code == 409 and "名单日期早于最近一次导入" in older.text  # type: ignore[attr-defined]
    missing = await _post(own_client, data, token, as_of="", source="")
    assert missing.status_code == 422 and "请选择名单来源" in missing.text  # type: ignore[attr-defined]
    async with own_app.state.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM roster_imports")) == 1


async def test_agency_reads_without_a_form_and_hospitals_are_refused(
    own_client: AsyncClient,
) -> None:
    data = csv_bytes(
        ZH, [[id_number("510402"), "张三", "510402", "低保", "2018-01-01", "", "0", ""]]
    )
    made = await own_client.post(
        "/v1/roster/imports",
        headers=headers(ADMIN),
        data={"source": "civil_affairs", "as_of": "2018-06-01"},
        files={"file": ("a.csv", data, "text/csv")},
    )
    assert made.status_code == 201
    import_id = made.json()["import_id"]
    page = await own_client.get("/ui/console/roster", headers=headers(AGENCY))
    assert page.status_code == 200
    assert "multipart/form-data" not in page.text
    assert f'<tr data-import="{import_id}">' in page.text
    one = await own_client.get(f"/ui/console/roster/imports/{import_id}", headers=headers(AGENCY))
    assert one.status_code == 200 and 'data-count="new">1<' in one.text
    post = await own_client.post(
        "/ui/console/roster/imports",
        headers=headers(AGENCY),
        data={"source": "civil_affairs", "as_of": "2018-07-01"},
        files={"file": ("a.csv", data, "text/csv")},
    )
    assert post.status_code == 403
    hospital = await own_client.get(
        "/ui/console/roster", headers=headers(hospital_key("H510402001"))
    )
    assert hospital.status_code == 403
