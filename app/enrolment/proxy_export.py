"""A proxy-payment run as XLSX (代缴名单), Chinese headers, one row per person and a 合计 row.

Columns: 身份证号(脱敏), 姓名, 县区, 类别, 缴费标准 (the contribution, or the pension tier),
代缴金额 (Σ of the public payers' shares), one column per public payer of the run
(``代缴:<name>``), 个人缴费, 第三方资助, 第三方名称, 政府缴费补贴, 超出最高档次未计入, 备注, 合计
(the contribution: Σ of the shares). Amounts are exact decimals formatted ``0.00`` (the text of
``format_fen`` read as a ``Decimal``), so a spreadsheet sums them to the fen.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.engine.money import format_fen
from app.regions import county_name

from .models import ProxyPaymentRun
from .proxy import StoredLine, payer_totals
from .rules import SELF, THIRD_PARTY

__all__ = ["CATEGORY_NAMES", "SCHEME_NAMES", "XLSX_MEDIA_TYPE", "run_to_xlsx"]

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CATEGORY_NAMES = {"registered_poor": "建档立卡贫困人员", "dibao": "低保对象", "tekun": "特困人员"}
SCHEME_NAMES = {"medical": "城乡居民基本医疗保险", "pension": "城乡居民基本养老保险"}


def _money(sheet: WriteOnlyWorksheet, fen: int | None) -> Any:
    if fen is None:
        return None
    value: Any = Decimal(format_fen(fen))  # openpyxl writes a Decimal as an exact number
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "0.00"
    return cell


def run_to_xlsx(run: ProxyPaymentRun, lines: list[StoredLine], payers: dict[str, str]) -> bytes:
    """The run's workbook; ``payers``: payer code → name (the rules')."""
    workbook = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = workbook.create_sheet(title="代缴名单")
    totals = payer_totals(s.line for s in lines)
    public = [p for p in payers if p in totals and p not in (SELF, THIRD_PARTY)]
    public += sorted(p for p in totals if p not in payers and p not in (SELF, THIRD_PARTY))
    sheet.append(
        [
            f"{SCHEME_NAMES.get(run.scheme, run.scheme)} {run.year}年度 "
            f"{county_name(run.county_code)}({run.county_code}) 代缴名单",
            "已确认" if run.status == "confirmed" else "未确认",
            f"批次 {run.id}",
        ]
    )
    sheet.append(
        [
            "身份证号(脱敏)",
            "姓名",
            "县区",
            "类别",
            "缴费标准",
            "代缴金额",
            *(f"代缴:{payers.get(p, p)}" for p in public),
            "个人缴费",
            "第三方资助",
            "第三方名称",
            "政府缴费补贴",
            "超出最高档次未计入",
            "备注",
            "合计",
        ]
    )
    county = county_name(run.county_code)
    for stored in lines:
        line = stored.line
        shares = dict(line.shares)
        sheet.append(
            [
                stored.id_number,
                stored.name,
                county,
                CATEGORY_NAMES.get(line.category, line.category),
                _money(
                    sheet, line.tier_fen if line.tier_fen is not None else line.contribution_fen
                ),
                _money(sheet, sum(shares.get(p, 0) for p in public)),
                *(_money(sheet, shares.get(p, 0)) for p in public),
                _money(sheet, shares.get(SELF, 0)),
                _money(sheet, shares.get(THIRD_PARTY, 0)),
                line.third_party_name,
                _money(sheet, line.subsidy_fen),
                _money(sheet, line.refused_fen),
                line.notice,
                _money(sheet, line.contribution_fen),
            ]
        )
    sheet.append(
        [
            "合计",
            f"{len(lines)}人",
            None,
            None,
            None,
            _money(sheet, sum(totals.get(p, 0) for p in public)),
            *(_money(sheet, totals.get(p, 0)) for p in public),
            _money(sheet, totals.get(SELF, 0)),
            _money(sheet, totals.get(THIRD_PARTY, 0)),
            None,
            _money(sheet, run.subsidy_fen),
            _money(sheet, sum(s.line.refused_fen for s in lines)),
            None,
            _money(sheet, run.contribution_fen),
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
