"""CSV and XLSX renderings of reconciliation events and of the poverty ledger, with Chinese
column headers.

Event rows are the JSON items of ``GET /v1/reconciliation/settlements``, in the same order, one
column per fund (``基金名称(基金编码)``) in layer order. Amounts keep their sign (a reversal is
negative). Times are Asia/Shanghai (北京时间). Ledger rows are the ``rows`` of
``GET /v1/reconciliation/poverty-ledger`` (管理台帐), the in-county figures flattened into
columns of their own, then one column per fund.

- CSV: UTF-8 with a byte order mark (Excel on Chinese Windows needs it to read UTF-8), amounts
  and ratios as the same decimal strings as the JSON, times in ISO 8601 with ``+08:00``.
- XLSX: amounts are exact decimal numbers formatted ``0.00`` (so a spreadsheet can sum them),
  ratios numbers formatted as percentages; times are local date-times (a spreadsheet has no time
  zones; the header says 北京时间).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .schemas import EventOut, LedgerRow

__all__ = [
    "CSV_MEDIA_TYPE",
    "XLSX_MEDIA_TYPE",
    "fund_columns",
    "ledger_to_csv",
    "ledger_to_xlsx",
    "to_csv",
    "to_xlsx",
]

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
    ("就诊ID(mdtrt_id)", "text", lambda e: e.mdtrt_id),
    ("医保结算ID(setl_id)", "text", lambda e: e.setl_id),
    ("出院日期", "date", lambda e: e.discharge_date),
    ("结算时间(北京时间)", "time", lambda e: e.settled_at),
    ("撤销时间(北京时间)", "time", lambda e: e.reversed_at),
    ("医疗费总额", "money", lambda e: e.total),
    ("医院承担金额", "money", lambda e: e.hospital_borne),
    ("政策范围内费用", "money", lambda e: e.in_policy),
    ("基金支付总额", "money", lambda e: e.fund_paid),
    ("个人现金支付", "money", lambda e: e.self_pay),
)


def fund_columns(events: Sequence[EventOut | LedgerRow]) -> list[tuple[str, str]]:
    """``(fund_code, fund_name)`` of every fund in the rows, in the order they first appear."""
    seen: dict[str, str] = {}
    for event in events:
        for fund in event.funds:
            seen.setdefault(fund.fund_code, fund.fund_name)
    return list(seen.items())


_Row = TypeVar("_Row", EventOut, LedgerRow)
_Columns = tuple[tuple[str, str, Callable[[_Row], Any]], ...]


def _table(
    columns: _Columns[_Row], rows: Sequence[_Row]
) -> tuple[list[str], list[list[tuple[str, Any]]]]:
    """The header and the ``(kind, value)`` cells of ``rows``: the fixed ``columns``, then one
    column per fund (``基金名称(基金编码)``, 0.00 where a row's fund paid nothing)."""
    funds = fund_columns(rows)
    header = [h for h, _, _ in columns] + [f"{name}({code})" for code, name in funds]
    cells = []
    for row in rows:
        paid = {f.fund_code: f.paid for f in row.funds}
        fixed = [(kind, value(row)) for _, kind, value in columns]
        cells.append(fixed + [("money", paid.get(code, "0.00")) for code, _ in funds])
    return header, cells


def to_csv(events: Sequence[EventOut]) -> bytes:
    return _csv(*_table(_COLUMNS, events))


def to_xlsx(events: Sequence[EventOut]) -> bytes:
    return _xlsx("对账明细", *_table(_COLUMNS, events))


# -- 管理台帐 ----------------------------------------------------------------------------------
_LEDGER_COLUMNS: _Columns[LedgerRow] = (
    ("参保地编码", "text", lambda r: r.county_code),
    ("结算月份", "text", lambda r: r.month),
    ("结算人次", "count", lambda r: r.count),
    ("政策范围内费用", "money", lambda r: r.in_policy),
    ("个人现金支付", "money", lambda r: r.self_pay),
    ("政策范围内个人自付", "money", lambda r: r.in_policy_self_pay),
    ("县域内结算人次", "count", lambda r: r.in_county.count),
    ("县域内政策范围内费用", "money", lambda r: r.in_county.in_policy),
    ("县域内政策范围内个人自付", "money", lambda r: r.in_county.in_policy_self_pay),
    ("县域内政策范围内自付比例", "ratio", lambda r: r.in_county.in_policy_self_pay_ratio),
    ("县域内超目标人次", "count", lambda r: r.in_county.above_target_count),
)


def ledger_to_csv(rows: Sequence[LedgerRow]) -> bytes:
    return _csv(*_table(_LEDGER_COLUMNS, rows))


def ledger_to_xlsx(rows: Sequence[LedgerRow]) -> bytes:
    return _xlsx("管理台帐", *_table(_LEDGER_COLUMNS, rows))


# -- writers ------------------------------------------------------------------------------------
def _csv(header: list[str], rows: list[list[tuple[str, Any]]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for cells in rows:
        writer.writerow(
            "" if value is None else value.isoformat() if kind in ("date", "time") else value
            for kind, value in cells
        )
    return out.getvalue().encode("utf-8-sig")


_NUMBER_FORMATS = {"money": "0.00", "ratio": "0.00%", "count": "0"}


def _xlsx_cell(sheet: WriteOnlyWorksheet, kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("money", "ratio"):
        cell = WriteOnlyCell(sheet)
        cell.value = Decimal(value)  # exact; a float would round (the constructor's stub omits it)
        cell.number_format = _NUMBER_FORMATS[kind]
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


def _xlsx(title: str, header: list[str], rows: list[list[tuple[str, Any]]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cells in rows:
        sheet.append([_xlsx_cell(sheet, kind, value) for kind, value in cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
