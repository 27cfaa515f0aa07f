"""代缴名单 in the console (``/ui/console/proxy-payments``): the admin computes a run through the
form (CSRF checked) and confirms it; the agency reads the runs and the totals per payer and
downloads the XLSX, but sees no form and may not post one.

On a database of the test's own: the county 西区 (510403) with its demo person's categories
removed, then two people: 特困 (180.00 by 民政) and 低保 (150.00 by 民政 + 30.00 self), so the
medical run's totals are 民政 330.00, 个人 30.00, Σ 360.00."""

from __future__ import annotations

import datetime as dt
import re

from enrolment.conftest import COUNTY, add_person, clear_county
from fastapi import FastAPI
from httpx import AsyncClient

from .conftest import ADMIN, AGENCY, csrf_of, sign_in
from .test_pages import _assert_same_origin

ADULT = dt.date(1980, 5, 1)
PAGE = "/ui/console/proxy-payments"
_PAYER = re.compile(r'<tr data-payer="([a-z_]+)"><td>[^<]+</td><td class="num">([0-9.]+)</td></tr>')


async def _people(app: FastAPI) -> None:
    await clear_county(app)
    await add_person(app, ADULT, {"tekun": False})
    await add_person(app, ADULT, {"dibao": False})


async def test_admin_computes_and_confirms_through_the_forms(
    own_app: FastAPI, own_client: AsyncClient
) -> None:
    await _people(own_app)
    await sign_in(own_client, ADMIN)
    page = await own_client.get(PAGE)
    assert page.status_code == 200, page.text
    _assert_same_origin(page)
    assert 'href="/ui/console/proxy-payments"' in page.text  # the nav entry
    assert "计算代缴批次（管理员）" in page.text
    token = csrf_of(page.text)
    form = {"scheme": "medical", "year": "2018", "county_code": COUNTY}

    refused = await own_client.post(PAGE, data=form)
    assert refused.status_code == 403
    bad = await own_client.post(PAGE, data={**form, "year": "2030", "csrf_token": token})
    assert bad.status_code == 422 and "须有该年度的代缴规则（2018）" in bad.text

    created = await own_client.post(PAGE, data={**form, "csrf_token": token})
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    detail = await own_client.get(location)
    assert detail.status_code == 200, detail.text
    _assert_same_origin(detail)
    # 民政 180.00 + 150.00 = 330.00; self 30.00.
    assert dict(_PAYER.findall(detail.text)) == {"civil_affairs": "330.00", "self": "30.00"}
    assert "缴费合计</dt><dd>360.00 元" in detail.text and "未确认" in detail.text
    assert "确认并记录参保" in detail.text
    xlsx = await own_client.get(f"{location}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    confirm = f"{location}/confirm"
    assert (await own_client.post(confirm)).status_code == 403  # no token
    done = await own_client.post(confirm, data={"csrf_token": token})
    assert done.status_code == 303
    confirmed = await own_client.get(location)
    assert "已确认" in confirmed.text and "确认并记录参保" not in confirmed.text
    listed = await own_client.get(PAGE, params={"year": "2018", "county_code": COUNTY})
    assert location.rsplit("/", 1)[1] in listed.text and "已确认" in listed.text

    # A second run of the same county cannot be confirmed: said in Chinese, 409.
    again = await own_client.post(PAGE, data={**form, "csrf_token": token})
    second = again.headers["location"]
    conflict = await own_client.post(f"{second}/confirm", data={"csrf_token": token})
    assert conflict.status_code == 409
    assert "已有确认的代缴批次" in conflict.text


async def test_a_stale_run_says_so(own_app: FastAPI, own_client: AsyncClient) -> None:
    await _people(own_app)
    await sign_in(own_client, ADMIN)
    token = csrf_of((await own_client.get(PAGE)).text)
    form = {"scheme": "pension", "year": "2018", "county_code": COUNTY, "csrf_token": token}
    location = (await own_client.post(PAGE, data=form)).headers["location"]
    await add_person(own_app, ADULT, {"registered_poor": False})  # the roster changes
    stale = await own_client.post(f"{location}/confirm", data={"csrf_token": token})
    assert stale.status_code == 409 and "批次已过期" in stale.text


async def test_the_agency_reads_but_has_no_forms(own_app: FastAPI, own_client: AsyncClient) -> None:
    await _people(own_app)
    await sign_in(own_client, ADMIN)
    token = csrf_of((await own_client.get(PAGE)).text)
    form = {"scheme": "medical", "year": "2018", "county_code": COUNTY, "csrf_token": token}
    location = (await own_client.post(PAGE, data=form)).headers["location"]
    await own_client.post("/ui/logout", data={"csrf_token": token})

    await sign_in(own_client, AGENCY)
    page = await own_client.get(PAGE)
    assert page.status_code == 200 and "计算代缴批次" not in page.text
    detail = await own_client.get(location)
    assert detail.status_code == 200 and "确认并记录参保" not in detail.text
    assert dict(_PAYER.findall(detail.text)) == {"civil_affairs": "330.00", "self": "30.00"}
    agency_token = csrf_of((await own_client.get("/ui/console/reconciliation/check")).text)
    forbidden = await own_client.post(PAGE, data={**form, "csrf_token": agency_token})
    assert forbidden.status_code == 403
    confirm = await own_client.post(f"{location}/confirm", data={"csrf_token": agency_token})
    assert confirm.status_code == 403
    missing = await own_client.get(f"{PAGE}/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and "代缴批次不存在" in missing.text
    assert (await own_client.get(f"{PAGE}/not-a-uuid")).status_code == 404
