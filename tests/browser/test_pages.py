"""The pages in a real browser: headless Chromium (Debian's ``/usr/bin/chromium``, driven by
Playwright) against ``onestop serve --demo`` on a fresh database. ``make browser-test`` runs
this; ``make test`` does not collect ``tests/browser`` (``norecursedirs`` in pyproject).

A window cashier signs in, 预结算 and 结算 the demo bill pasted as JSON, sees the slip (its
个人自付 is the ``/v1`` settlement's), prints it to PDF and signs out; the agency signs in, finds
the settlement in the dashboard of its county and month, downloads the reconciliation XLSX and
signs out, after looking up the settlement's inclusion proof on the audit log page and
downloading the signed tree head. No request leaves the service's origin; no console error,
no page error.
Screenshots and the PDF go to ``artifacts/screenshots/`` (CI keeps them as artifacts).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook
from playwright.async_api import ConsoleMessage, Error, Page, Request, async_playwright
from pypdf import PdfReader
from support import unique
from test_example_client import DEMO_BILL, HOSPITAL, KEY, ROOT, serve

CHROMIUM = os.environ.get("ONESTOP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "screenshots"
BEIJING = ZoneInfo("Asia/Shanghai")
COUNTY = DEMO_BILL["patient"]["id_number"][:6]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}: run make browser-test"
)


async def sign_in(page: Page, key: str) -> None:
    await page.goto("/ui/login")
    await page.fill("#key", key)
    async with page.expect_navigation():
        await page.click("form[action='/ui/login'] button[type=submit]")
    assert "/ui/login" not in page.url, await page.content()


async def sign_out(page: Page) -> None:
    async with page.expect_navigation():
        await page.click("form[action='/ui/logout'] button[type=submit]")
    # Signed out: a page asks for the key again.
    await page.goto("/ui/")
    assert "/ui/login" in page.url
    assert await page.locator("#key").count() == 1


async def test_window_slip_and_console_in_chromium(fresh_database_url: str, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    bill_no = unique("ZYBR")
    bill = {**DEMO_BILL, "bill_no": bill_no}
    requests: list[str] = []
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} at {message.location}")

    def on_pageerror(error: Error) -> None:
        errors.append(f"pageerror: {error}")

    def on_request(request: Request) -> None:
        requests.append(request.url)

    async with (
        serve(fresh_database_url, tmp_path / "server.log") as server,
        async_playwright() as pw,
    ):
        origin = urlsplit(server.url)
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        context = await browser.new_context(base_url=server.url, accept_downloads=True)
        page = await context.new_page()
        page.on("request", on_request)
        page.on("console", on_console)
        page.on("pageerror", on_pageerror)

        # The window: paste the bill, 预结算, 结算, the slip.
        await sign_in(page, f"demo-{HOSPITAL}")
        await page.goto("/ui/window/preview")
        await page.fill("#bill", json.dumps(bill, ensure_ascii=False))
        async with page.expect_navigation():
            await page.click("form[action='/ui/window/preview'] button[type=submit]")
        assert await page.locator("#result-title").count() == 1, await page.content()
        async with page.expect_navigation():
            await page.click("form[action='/ui/window/settle'] button[type=submit]")
        assert page.url.endswith("/slip"), page.url
        self_pay = (await page.text_content("[data-field=self_pay]") or "").strip()
        # The slip's script shows the 打印 button (the CSP let the same-origin file run).
        assert await page.locator("button.slip-print").is_visible()

        async with httpx.AsyncClient(base_url=server.url, headers=KEY) as api:
            answer = await api.get(
                "/v1/settlements", params={"hospital_code": HOSPITAL, "bill_no": bill_no}
            )
        assert answer.status_code == 200, answer.text
        stored = answer.json()
        assert page.url.endswith(f"/ui/settlements/{stored['settlement_id']}/slip")
        assert self_pay == stored["self_pay"] == "2055.00"  # docs/rules.md §7 example 1
        await page.screenshot(path=ARTIFACTS / "slip.png", full_page=True)
        await page.emulate_media(media="print")
        pdf = await page.pdf(path=ARTIFACTS / "slip.pdf", prefer_css_page_size=True)
        await page.emulate_media(media="screen")
        printed = PdfReader(io.BytesIO(pdf))
        assert len(printed.pages) == 1
        assert "2055.00" in printed.pages[0].extract_text()
        await sign_out(page)

        # The agency console: the settlement's county and month (Beijing time).
        settled = dt.datetime.fromisoformat(stored["settled_at"]).astimezone(BEIJING)
        month, day = settled.strftime("%Y-%m"), settled.date().isoformat()
        await sign_in(page, "demo-agency")
        await page.goto("/ui/console/")
        await page.select_option("#county", COUNTY)
        await page.fill("#month", month)
        async with page.expect_navigation():
            await page.click("form.console-filter button[type=submit]")
        assert f"county={COUNTY}" in page.url and f"month={month}" in page.url, page.url
        # A fresh database: this settlement is the month's only one in the county.
        assert (await page.text_content("#settlement-count") or "").strip() == "1"
        figures = page.locator("table.figures").first
        self_pay_row = figures.locator("tr", has_text="个人自付")
        assert (await self_pay_row.locator("td").text_content() or "").strip() == "2055.00"
        # Each fund the settlement paid from shows the settlement's amount.
        paid: dict[str, Decimal] = {}
        for line in stored["layers"]:
            code = line["fund_code"]
            paid[code] = paid.get(code, Decimal(0)) + Decimal(line["paid"])
        for code, amount in paid.items():
            cell = page.locator(f"table.funds tr[data-fund='{code}'] td.num")
            assert Decimal((await cell.text_content() or "").strip()) == amount, code
        await page.screenshot(path=ARTIFACTS / "dashboard.png", full_page=True)

        # The reconciliation page's XLSX link: the /v1 export's file.
        await page.goto(f"/ui/console/reconciliation?date_from={day}&date_to={day}")
        assert (await page.text_content("#net-count") or "").strip() == "1"
        async with page.expect_download() as downloading:
            await page.click("a:text-is('XLSX')")
        download = await downloading.value
        saved = ARTIFACTS / "reconciliation.xlsx"
        await download.save_as(saved)
        book = load_workbook(io.BytesIO(saved.read_bytes()), read_only=True)
        cells = {
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
        }
        assert bill_no in cells and stored["setl_id"] in cells

        # The audit log page: the settlement's inclusion proof against the latest signed head,
        # verified on the server (the service's sequencer integrates within a moment: retry).
        await page.goto("/ui/console/audit")
        for _ in range(50):
            await page.fill("#settlement_id", stored["settlement_id"])
            async with page.expect_navigation():
                await page.click("form.console-filter:has(#settlement_id) button[type=submit]")
            if await page.locator("#inclusion-result").count():
                break
            await page.wait_for_timeout(200)
        result = (await page.text_content("#inclusion-result") or "").strip()
        assert result.startswith("验证通过"), await page.content()
        assert await page.locator("#latest-head").is_visible()
        await page.screenshot(path=ARTIFACTS / "audit.png", full_page=True)
        async with page.expect_download() as downloading:
            await page.click("a:text-is('下载树头 JSON')")
        head = json.loads(Path(await (await downloading.value).path()).read_text())
        async with httpx.AsyncClient(base_url=server.url, headers=KEY) as api:
            assert head["tree_size"] <= (await api.get("/v1/audit/head")).json()["tree_size"]
        await sign_out(page)
        await context.close()
        await browser.close()

    foreign = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob")
        and (urlsplit(url).hostname, urlsplit(url).port) != (origin.hostname, origin.port)
    ]
    assert not foreign, foreign
    assert any("/ui/static/ui.css" in url for url in requests)
    assert not errors, errors
