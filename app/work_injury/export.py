"""The advance-payment ledger as XLSX (openpyxl, write-only), with Chinese headers: one row per
county and a total row; amounts are exact decimal numbers formatted ``0.00`` (a spreadsheet
can sum them), the poor workers' share a percentage."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .schemas import WorkInjuryLedgerOut, WorkInjuryLedgerRow

__all__ = ["HEADERS", "XLSX_MEDIA_TYPE", "ledger_to_xlsx"]

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS: tuple[tuple[str, str, str], ...] = (
    ("县（区）", "county_code", "text"),
    ("案件数", "cases", "count"),
    ("未结案件数", "open_cases", "count"),
    ("贫困劳动力案件数", "poor_cases", "count"),
    ("先行支付金额", "advanced", "money"),
    ("已追回金额", "recovered", "money"),
    ("待追回金额", "outstanding", "money"),
    ("其中逾期金额", "overdue", "money"),
    ("核销金额", "written_off", "money"),
    ("贫困劳动力先行支付金额", "poor_advanced", "money"),
    ("贫困劳动力占比", "poor_share", "ratio"),
)


def _cell(sheet: WriteOnlyWorksheet, value: Any, kind: str) -> Any:
    if value is None or kind in ("text", "count"):
        return value
    cell = WriteOnlyCell(sheet)
    # Exact: fen / 100 and basis points / 10000 as Decimal (a float would round).
    cell.value = Decimal(int(value)) / (100 if kind == "money" else 10000)
    cell.number_format = "0.00" if kind == "money" else "0.00%"
    return cell


def ledger_to_xlsx(ledger: WorkInjuryLedgerOut) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("先行支付台账")
    sheet.append([f"工伤保险先行支付台账（截至 {ledger.as_of.isoformat()}）"])
    sheet.append([name for name, _, _ in HEADERS])
    rows: list[WorkInjuryLedgerRow] = [*ledger.rows, ledger.total]
    for row in rows:
        sheet.append([_cell(sheet, getattr(row, field), kind) for _, field, kind in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
