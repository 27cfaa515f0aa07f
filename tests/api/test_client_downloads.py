"""The generated client (clients/python) downloads reconciliation files as bytes.

``list_reconciliation_events(format_=csv)`` used to parse the CSV as JSON (JSONDecodeError; XLSX
gave a UnicodeDecodeError): the generator reads one media type per status, and that operation's
200 was JSON first. Downloads are operations of their own now, whose 200 is the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from support import unique

from .conftest import ADMIN, AGENCY, bill_no, headers, make_bill, new_person, settle

# The client as committed in this checkout (make client), not an installed copy.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python"))

from onestop_client import AuthenticatedClient
from onestop_client.api.reconciliation import (
    export_poverty_ledger,
    export_reconciliation_events,
    list_reconciliation_events,
)
from onestop_client.models import (
    EventPage,
    ExportPovertyLedgerFormat,
    ExportReconciliationEventsFormat,
)
from onestop_client.types import File

pytestmark = pytest.mark.usefixtures("demo")

POOR = ["registered_poor"]


@pytest.fixture
async def agency(app: FastAPI) -> AsyncIterator[AuthenticatedClient]:
    client = AuthenticatedClient(base_url="http://test", token=AGENCY)
    client.set_async_httpx_client(
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test", headers=headers(AGENCY)
        )
    )
    async with client:
        yield client


async def test_the_generated_client_downloads_csv_and_xlsx(
    client: httpx.AsyncClient, agency: AuthenticatedClient
) -> None:
    hospital = unique("CL")  # of this test only: its rows are ours
    put = await client.put(
        f"/v1/hospitals/{hospital}",
        headers=headers(ADMIN),
        json={
            "name": "下载测试医院",
            "level": "secondary",
            "county_code": "510402",
            "designated": True,
        },
    )
    assert put.status_code == 201, put.text
    key = await client.post(
        "/v1/api-keys", headers=headers(ADMIN), json={"role": "hospital", "hospital_code": hospital}
    )
    sids = []
    for _ in range(2):
        bill = make_bill(bill_no("CL"), await new_person(client, POOR), hospital=hospital)
        settled = await settle(client, bill, key=key.json()["key"])
        assert settled.status_code == 201, settled.text
        sids.append(settled.json()["settlement_id"])
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()  # settled_at is now
    scope: dict[str, Any] = {"date_from": today, "date_to": today, "hospital_code": hospital}

    page = await list_reconciliation_events.asyncio(client=agency, limit=1000, **scope)
    assert isinstance(page, EventPage)
    ids = [str(event.settlement_id) for event in page.items]
    assert ids == sids

    csv_ = await export_reconciliation_events.asyncio_detailed(
        client=agency, format_=ExportReconciliationEventsFormat.CSV, **scope
    )
    assert csv_.status_code == 200
    assert isinstance(csv_.parsed, File)
    body = csv_.parsed.payload.read()
    assert body.startswith(b"\xef\xbb\xbf")  # as served: the BOM Excel needs
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][3] == "结算ID"
    assert [r[3] for r in rows[1:]] == sids
    assert csv_.headers["x-next-cursor"]

    xlsx = await export_reconciliation_events.asyncio(
        client=agency, format_=ExportReconciliationEventsFormat.XLSX, **scope
    )
    assert isinstance(xlsx, File)
    book = load_workbook(io.BytesIO(xlsx.payload.read()), read_only=True)
    sheet = [list(r) for r in book["对账明细"].iter_rows(values_only=True)]
    book.close()
    assert sheet[0] == rows[0]
    assert [r[3] for r in sheet[1:]] == sids

    ledger = await export_poverty_ledger.asyncio(
        client=agency,
        format_=ExportPovertyLedgerFormat.XLSX,
        date_from=today,
        date_to=today,
        county_code="510402",
    )
    assert isinstance(ledger, File)
    book = load_workbook(io.BytesIO(ledger.payload.read()), read_only=True)
    sheet = [list(r) for r in book["管理台帐"].iter_rows(values_only=True)]
    book.close()
    assert sheet[0][:2] == ["参保地编码", "结算月份"]
    assert [r[:2] for r in sheet[1:]] == [["510402", today.strftime("%Y-%m")]]
