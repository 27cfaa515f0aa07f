"""A what-if result as an XLSX workbook (openpyxl, write-only): sheets 基金 (per fund), 县月
(per person's county and month, with the 10% figures) and 变化最大 (the 20 bills whose
self-pay changes most, ID numbers masked). Amounts are exact decimals, never floats."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.reconciliation.export import XLSX_MEDIA_TYPE

from .schemas import JobOut

__all__ = ["XLSX_MEDIA_TYPE", "workbook", "xlsx"]


def _cell(sheet: WriteOnlyWorksheet, value: Any, number_format: str | None = None) -> Any:
    if number_format is None or value is None:
        return value
    cell = WriteOnlyCell(sheet)
    cell.value = Decimal(value)  # exact; a float would round
    cell.number_format = number_format
    return cell


def _money(sheet: WriteOnlyWorksheet, three: dict[str, str]) -> list[Any]:
    return [_cell(sheet, three[k], "0.00") for k in ("actual", "what_if", "delta")]


def xlsx(job: JobOut) -> bytes:
    """A finished job's result, with what was asked on the first sheet."""
    request = job.request
    return workbook(
        job.result or {},
        [
            ("测算编号", str(job.id)),
            ("草案政策", request.policy_id),
            ("草案内容哈希", request.content_hash),
            ("结算日期从", request.date_from.isoformat()),
            ("结算日期至", request.date_to.isoformat()),
            ("参保地（县）", request.county_code or "全部"),
            ("医院", request.hospital_code or "全部"),
        ],
    )


def workbook(result: dict[str, Any], about_rows: list[tuple[str, str]]) -> bytes:
    """The result's sheets (the CLI's ``--xlsx`` too), ``about_rows`` first."""
    book = Workbook(write_only=True)
    about = book.create_sheet("测算")
    for label, value in about_rows:
        about.append([label, value])
    about.append(["比较的结算笔数", result.get("settlements")])
    about.append(["结果有变化的笔数", result.get("bills_changed")])
    funds = book.create_sheet("基金")
    funds.append(["基金编码", "基金", "实际支付", "测算支付", "差额"])
    for fund in result.get("funds", []):
        funds.append([fund["fund_code"], fund["fund_name"], *_money(funds, fund)])
    funds.append(["", "基金支付合计", *_money(funds, result["fund_paid"])])
    funds.append(["", "个人自付合计", *_money(funds, result["self_pay"])])
    cells = book.create_sheet("县月")
    cells.append(
        [
            "参保地（县）",
            "月份",
            "结算笔数",
            "基金支付（实际）",
            "基金支付（测算）",
            "基金支付差额",
            "个人自付（实际）",
            "个人自付（测算）",
            "个人自付差额",
            "县域内建档立卡笔数",
            "超目标笔数（实际）",
            "超目标笔数（测算）",
            "超目标占比（实际）",
            "超目标占比（测算）",
        ]
    )
    for row in result.get("by_county_month", []):
        target = row["target"]
        cells.append(
            [
                row["county_code"],
                row["month"],
                row["bills"],
                *_money(cells, row["fund_paid"]),
                *_money(cells, row["self_pay"]),
                target["bills"],
                target["above_actual"],
                target["above_what_if"],
                _cell(cells, target["share_actual"], "0.00%"),
                _cell(cells, target["share_what_if"], "0.00%"),
            ]
        )
    top = book.create_sheet("变化最大")
    top.append(
        [
            *("结算流水号", "结算 ID", "医院", "单据号", "身份证号（脱敏）", "参保地", "月份"),
            *("个人自付（实际）", "个人自付（测算）", "差额"),
        ]
    )
    for entry in result.get("top_changes", []):
        top.append(
            [
                entry["setl_id"],
                entry["settlement_id"],
                entry["hospital_code"],
                entry["bill_no"],
                entry["id_number"],
                entry["county_code"],
                entry["month"],
                *_money(top, entry["self_pay"]),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
