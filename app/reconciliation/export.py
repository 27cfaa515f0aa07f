"""CSV and XLSX renderings of reconciliation events, with Chinese column headers.

The rows are the JSON items of ``GET /v1/reconciliation/settlements``, in the same order, one
column per fund (``基金名称(基金编码)``) in layer order. Amounts keep their sign (a reversal is
negative). Times are Asia/Shanghai (北京时间).

- CSV: UTF-8 with a byte order mark (Excel on Chinese Windows needs it to read UTF-8), amounts as
  the same 2-decimal strings as the JSON, times in ISO 8601 with ``+08:00``.
- XLSX: amounts are exact decimal numbers formatted ``0.00`` (so a spreadsheet can sum them);
  times are local date-times (a spreadsheet has no time zones; the header says 北京时间).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .schemas import EventOut

__all__ = ["CSV_MEDIA_TYPE", "XLSX_MEDIA_TYPE", "fund_columns", "headers", "to_csv", "to_xlsx"]

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EVENT_NAMES = {"settlement": "结算", "reversal": "撤销"}

# (header, kind, value) for the fixed columns; kind says how XLSX writes the value.
_COLUMNS: tuple[tuple[str, str, Callable[[EventOut], Any]], ...] = (
    ("类型", "text", lambda e: EVENT_NAMES[e.event]),
    ("对账日期", "date", lambda e: e.day),
    ("发生时间(北京时间)", "time", lambda e: e.event_at),
    ("结算ID", "text", lambda e: str(e.settlement_id)),
    ("医疗机构编码", "text", lambda e: e.hospital_code),
    ("结算单号", "text", lambda e: e.bill_no),
    ("出院日期", "date", lambda e: e.discharge_date),
    ("结算时间(北京时间)", "time", lambda e: e.settled_at),
    ("撤销时间(北京时间)", "time", lambda e: e.reversed_at),
    ("医疗费总额", "money", lambda e: e.total),
    ("医院承担金额", "money", lambda e: e.hospital_borne),
    ("政策范围内费用", "money", lambda e: e.in_policy),
    ("基金支付总额", "money", lambda e: e.fund_paid),
    ("个人现金支付", "money", lambda e: e.self_pay),
)


def fund_columns(events: Sequence[EventOut]) -> list[tuple[str, str]]:
    """``(fund_code, fund_name)`` of every fund in the rows, in the order they first appear."""
    seen: dict[str, str] = {}
    for event in events:
        for fund in event.funds:
            seen.setdefault(fund.fund_code, fund.fund_name)
    return list(seen.items())


def headers(funds: Sequence[tuple[str, str]]) -> list[str]:
    return [h for h, _, _ in _COLUMNS] + [f"{name}({code})" for code, name in funds]


def _cells(event: EventOut, funds: Sequence[tuple[str, str]]) -> list[tuple[str, Any]]:
    paid = {f.fund_code: f.paid for f in event.funds}
    cells = [(kind, value(event)) for _, kind, value in _COLUMNS]
    return cells + [("money", paid.get(code, "0.00")) for code, _ in funds]


def to_csv(events: Sequence[EventOut]) -> bytes:
    funds = fund_columns(events)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(funds))
    for event in events:
        writer.writerow(
            "" if value is None else value.isoformat() if kind in ("date", "time") else value
            for kind, value in _cells(event, funds)
        )
    return out.getvalue().encode("utf-8-sig")


def _xlsx_cell(sheet: WriteOnlyWorksheet, kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "money":
        cell = WriteOnlyCell(sheet, value=Decimal(value))
        cell.number_format = "0.00"
        return cell
    if kind == "time":
        local: dt.datetime = value
        cell = WriteOnlyCell(sheet, value=local.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if kind == "date":
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def to_xlsx(events: Sequence[EventOut]) -> bytes:
    funds = fund_columns(events)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("对账明细")
    sheet.append(headers(funds))
    for event in events:
        sheet.append([_xlsx_cell(sheet, kind, value) for kind, value in _cells(event, funds)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
