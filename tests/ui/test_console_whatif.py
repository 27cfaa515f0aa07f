"""政策测算 in the agency console (``/ui/console/what-if``): a draft uploaded through the CSRF
form runs the same replay as ``/v1/what-if``; the job page refreshes itself while queued or
running (``Refresh``, a ``<progress>``, no script) and then shows the comparison, the SVG chart
and the masked top changes; a refused draft lists each problem in Chinese with its field; a
hospital is refused. A database of its own per test: the replay reads the whole day."""

from __future__ import annotations

import asyncio
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from api.conftest import make_bill, masked, new_person, settle
from httpx import AsyncClient
from openpyxl import load_workbook
from whatif.conftest import joined, today

from app.whatif import runner

from .conftest import AGENCY, csrf_of, sign_in
from .test_pages import _assert_same_origin

SVG = "{http://www.w3.org/2000/svg}"
POLICY = Path(__file__).resolve().parents[2] / "policies" / "panzhihua" / "2018-01-01.yaml"
# The supplementary draft of tests/whatif/test_hand_worked.py (ratio 0.50 → 0.60): example 1's
# registered-poor bill pays self-pay 1963.20 instead of 2055.00.
DRAFT = (
    POLICY.read_text(encoding="utf-8")
    .replace('ratio:\n        value: "0.50"', 'ratio:\n        value: "0.60"')
    .replace("id: panzhihua-2018", "id: panzhihua-draft")
)


async def _until_done(client: AsyncClient, path: str) -> str:
    for _ in range(400):
        page = await client.get(path)
        assert page.status_code == 200, page.text
        if "Refresh" not in page.headers:
            await joined()
            return page.text
        await asyncio.sleep(0.05)
    raise AssertionError("the job page kept refreshing")


async def test_upload_watch_and_read_the_comparison(own_client: AsyncClient) -> None:
    client = own_client
    person = await new_person(client, ["registered_poor"])
    assert (await settle(client, make_bill("WU0001", person))).status_code == 201
    await sign_in(client, AGENCY)
    form = await client.get("/ui/console/what-if")
    assert form.status_code == 200, form.text
    _assert_same_origin(form)
    assert 'href="/ui/console/what-if"' in form.text  # the console's nav
    fields = {"date_from": today(), "date_to": today()}
    files = {"draft_file": ("draft.yaml", DRAFT.encode(), "application/yaml")}
    # without the CSRF token: refused, nothing started
    refused = await client.post("/ui/console/what-if", data={**fields, "draft_text": DRAFT})
    assert refused.status_code == 403
    started = await client.post(
        "/ui/console/what-if", data={**fields, "csrf_token": csrf_of(form.text)}, files=files
    )
    assert started.status_code == 303, started.text
    path = started.headers["location"]
    assert path.startswith("/ui/console/what-if/")
    page = await _until_done(client, path)
    assert "已完成" in page
    assert 'id="compared">1<' in page and 'id="changed">1<' in page
    assert (
        '<tr data-fund="self_pay"><th scope="row" colspan="2">个人自付合计</th>'
        '<td class="num">2055.00</td><td class="num">1963.20</td><td class="num">-91.80</td></tr>'
    ) in page
    assert masked(person) in page and person not in page
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 10  # 5 funds × (actual, what-if)
    titles = [bar.find(f"{SVG}title").text for bar in bars]  # type: ignore[union-attr]
    assert "390300 实际：1930.00" in titles and "390300 测算：2316.00" in titles
    # the taller bar is the larger amount: 390300 what-if (2316.00) over actual (1930.00)
    heights = {t: float(b.get("height") or 0) for t, b in zip(titles, bars, strict=True)}
    assert heights["390300 测算：2316.00"] > heights["390300 实际：1930.00"]
    download = await client.get(path + "/export")
    assert download.status_code == 200
    assert "基金" in load_workbook(io.BytesIO(download.content)).sheetnames
    listed = await client.get("/ui/console/what-if")
    assert path in listed.text and "panzhihua-draft" in listed.text


async def test_a_queued_job_refreshes_and_can_be_cancelled(
    own_client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "start", lambda *args: None)  # it stays queued
    client = own_client
    await sign_in(client, AGENCY)
    form = await client.get("/ui/console/what-if")
    token = csrf_of(form.text)
    data = {"draft_text": DRAFT, "date_from": today(), "date_to": today(), "csrf_token": token}
    started = await client.post("/ui/console/what-if", data=data)
    assert started.status_code == 303, started.text
    path = started.headers["location"]
    page = await client.get(path)
    assert page.headers["Refresh"] == "2"
    assert "排队中" in page.text and "<progress" in page.text
    _assert_same_origin(page)
    # a second one while it is queued: refused with a Chinese message
    busy = await client.post("/ui/console/what-if", data=data)
    assert busy.status_code == 422 and "您已有一个排队或进行中的测算" in busy.text
    cancelled = await client.post(path + "/cancel", data={"csrf_token": csrf_of(page.text)})
    assert cancelled.status_code == 303
    page = await client.get(path)
    assert "Refresh" not in page.headers and "已取消" in page.text


async def test_a_refused_draft_lists_each_problem_in_chinese(own_client: AsyncClient) -> None:
    client = own_client
    await sign_in(client, AGENCY)
    token = csrf_of((await client.get("/ui/console/what-if")).text)
    bad = DRAFT.replace(
        'target_ratio:\n        value: "0.10"', "target_ratio:\n        value: 0.10"
    )
    data = {"draft_text": bad, "date_from": today(), "date_to": today(), "csrf_token": token}
    page = await client.post("/ui/console/what-if", data=data)
    assert page.status_code == 422
    assert "草案有 1 处问题，未开始测算" in page.text
    assert "<code>layers.tilted.params.target_ratio.value</code>：政策草案此处无效" in page.text
    missing = await client.post(
        "/ui/console/what-if", data={"date_from": today(), "csrf_token": token}
    )
    assert missing.status_code == 422
    assert "请上传草案文件或粘贴草案内容" in missing.text and "请填写日期" in missing.text


async def test_a_hospital_is_refused(own_client: AsyncClient) -> None:
    await sign_in(own_client, "demo-H510402001")
    page = await own_client.get("/ui/console/what-if")
    assert page.status_code == 403
