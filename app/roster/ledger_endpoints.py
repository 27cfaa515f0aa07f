"""``GET /v1/roster/ledger`` (管理台帐 per person) and its download (agency, admin).

The response models live here too: they are the ledger's only readers besides the console.
Amounts are 2-decimal strings, ratios 4-decimal strings; ID numbers in clear for admin keys,
masked for agency keys (as the gap list).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import ReadSessionDep
from app.engine.money import format_fen
from app.enrolment.coverage import CATEGORY_NAMES, check_county, show_id_number
from app.enrolment.coverage_endpoints import (
    MAX_LIMIT,
    CountyQuery,
    CursorQuery,
    ReportCaller,
    YearQuery,
    download_responses,
    streamed,
)
from app.enrolment.coverage_export import Cell
from app.errors import AUTH_CODES, problem_responses
from app.regions import county_name
from app.routing import JSONRoute
from app.types import ASCII_INT

from . import ledger as service

__all__ = [
    "LEDGER_COLUMNS",
    "LedgerCategoryOut",
    "LedgerPageOut",
    "LedgerPersonOut",
    "LedgerSchemeOut",
    "LedgerSettlementsOut",
    "ledger_cells",
    "router",
]

router = APIRouter(prefix="/v1/roster", tags=["roster 名单"], route_class=JSONRoute)

DEFAULT_LIMIT = 100
UNRECORDED = "本人/未记录"
"""Who paid an enrolment no confirmed run recorded (the admin PUT): the person, or unknown."""

_UNAVAILABLE = ["query_timeout", "database_unavailable", "shutting_down"]
_PROBLEMS = problem_responses(
    401,
    403,
    422,
    503,
    codes={
        **AUTH_CODES,
        422: ["validation_error", "unknown_county", "invalid_cursor"],
        503: _UNAVAILABLE,
    },
)


class LedgerCategoryOut(BaseModel):
    category: Literal["registered_poor", "dibao", "tekun"]
    category_name: str = Field(examples=["建档立卡贫困人员"])
    source: Literal["manual", "poverty_office", "civil_affairs", "medical_insurance"] = Field(
        description="manual (the admin PUT) or the roster source whose import said it"
    )
    source_name: str = Field(examples=["扶贫"])
    valid_from: dt.date
    valid_to: dt.date | None
    exited: bool = Field(description="脱贫标识")
    exit_year: int | None = Field(description="脱贫年度")


class PayerOut(BaseModel):
    payer: str = Field(description="Payer code of the enrolment rules", examples=["county_finance"])
    payer_name: str = Field(examples=["县（区）财政"])
    amount: str = Field(examples=["180.00"])


class LedgerSchemeOut(BaseModel):
    enrolled: bool = Field(description="Enrolled in the scheme for the year")
    recorded_by: Literal["run", "manual"] | None = Field(
        description="run: a confirmed proxy-payment run; manual: the admin PUT; null: not enrolled"
    )
    run_id: uuid.UUID | None = Field(description="The run that recorded it, if one did")
    tier: str | None = Field(description="Pension: 缴费档次 (yuan)")
    subsidy: str | None = Field(description="Pension: 政府缴费补贴 (yuan)")
    contribution: str | None = Field(
        description="The contribution of the confirmed run(s) listing the person, if any"
    )
    payers: list[PayerOut] = Field(
        description="Who paid (the confirmed run's shares), by payer code; empty if no run did"
    )
    paid_by: str = Field(
        description="The payers in words (县（区）财政 180.00); 本人/未记录 for an enrolment no "
        "confirmed run lists; empty when not enrolled",
        examples=["县（区）财政 180.00"],
    )
    elsewhere_region: str | None = Field(description="区外参保地 for the scheme and year, if any")


class LedgerInCountyOut(BaseModel):
    count: int
    in_policy: str = Field(description="县域内政策范围内费用")
    in_policy_self_pay: str = Field(description="县域内政策范围内个人自付")
    in_policy_self_pay_ratio: str | None = Field(
        description="in_policy_self_pay / in_policy, 4 decimals half up; null without in-county "
        "in-policy cost"
    )
    above_target_count: int = Field(
        description="Settlements whose in-policy self-pay exceeds the tilted layer's stored target"
    )


class LedgerSettlementsOut(BaseModel):
    count: int = Field(description="Standing settlements made in the year (not reversed)")
    total: str = Field(description="医疗费总额")
    fund_paid: str = Field(description="基金支付")
    self_pay: str = Field(description="个人自付")
    in_policy: str = Field(description="政策范围内费用")
    in_policy_self_pay: str = Field(description="政策范围内个人自付")
    in_county: LedgerInCountyOut


class LedgerPersonOut(BaseModel):
    county_code: str
    county_name: str
    id_number: str = Field(description="In clear for admin keys, masked for agency keys")
    psn_no: str
    name: str
    death_date: dt.date | None
    categories: list[LedgerCategoryOut] = Field(
        description="The category periods overlapping the year, with their sources"
    )
    exited: bool = Field(description="脱贫标识: any of the periods carries it")
    exit_year: int | None = Field(description="The latest 脱贫年度 given")
    medical: LedgerSchemeOut
    pension: LedgerSchemeOut
    settlements: LedgerSettlementsOut


class LedgerPageOut(BaseModel):
    year: int
    county_code: str | None
    items: list[LedgerPersonOut] = Field(description="In (county_code, registry id) order")
    next_cursor: str | None
    has_more: bool


def _money(fen: int | None) -> str | None:
    return None if fen is None else format_fen(fen)


def _scheme_out(status: service.SchemeStatus, names: dict[str, str]) -> LedgerSchemeOut:
    payers = [
        PayerOut(payer=p, payer_name=names.get(p, p), amount=format_fen(a))
        for p, a in status.payers
    ]
    if payers:
        paid_by = "；".join(f"{p.payer_name} {p.amount}" for p in payers)
    else:
        paid_by = UNRECORDED if status.enrolled else ""
    return LedgerSchemeOut(
        enrolled=status.enrolled,
        recorded_by=None if not status.enrolled else "run" if status.run_id else "manual",
        run_id=status.run_id,
        tier=_money(status.tier_fen),
        subsidy=_money(status.subsidy_fen),
        contribution=_money(status.contribution_fen),
        payers=payers,
        paid_by=paid_by,
        elsewhere_region=status.elsewhere_region,
    )


def person_out(person: service.LedgerPerson, role: str, names: dict[str, str]) -> LedgerPersonOut:
    s = person.settlements
    return LedgerPersonOut(
        county_code=person.county_code,
        county_name=county_name(person.county_code),
        id_number=show_id_number(person.id_number, role),
        psn_no=person.psn_no,
        name=person.name,
        death_date=person.death_date,
        categories=[
            LedgerCategoryOut(
                category=c.category,  # type: ignore[arg-type]  # CHECK constraint
                category_name=CATEGORY_NAMES[c.category],
                source=c.source,  # type: ignore[arg-type]  # CHECK constraint
                source_name=service.SOURCE_NAMES[c.source],
                valid_from=c.valid_from,
                valid_to=c.valid_to,
                exited=c.exited,
                exit_year=c.exit_year,
            )
            for c in person.categories
        ],
        exited=person.exited,
        exit_year=person.exit_year,
        medical=_scheme_out(person.medical, names),
        pension=_scheme_out(person.pension, names),
        settlements=LedgerSettlementsOut(
            count=s.count,
            total=format_fen(s.total_fen),
            fund_paid=format_fen(s.fund_paid_fen),
            self_pay=format_fen(s.self_pay_fen),
            in_policy=format_fen(s.in_policy_fen),
            in_policy_self_pay=format_fen(s.in_policy_self_pay_fen),
            in_county=LedgerInCountyOut(
                count=s.in_county_count,
                in_policy=format_fen(s.in_county_in_policy_fen),
                in_policy_self_pay=format_fen(s.in_county_in_policy_self_pay_fen),
                in_policy_self_pay_ratio=s.in_county_ratio,
                above_target_count=s.above_target_count,
            ),
        ),
    )


@router.get(
    "/ledger",
    operation_id="getRosterLedger",
    summary="管理台帐 The roster ledger, one row per person",
    response_model=LedgerPageOut,
    responses=_PROBLEMS,
)
async def get_ledger(
    session: ReadSessionDep,
    caller: ReportCaller,
    year: YearQuery,
    county_code: CountyQuery = None,
    cursor: CursorQuery = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Page size"), ASCII_INT
    ] = DEFAULT_LIMIT,
) -> LedgerPageOut:
    """管理台帐 (agency, admin): one row per person on the roster in the year (any category
    period overlapping it, every age), in (county, registry id) order: the periods with their
    sources and 脱贫 marks, per scheme the enrolment and who paid (the confirmed proxy-payment
    run's shares; 本人/未记录 for an enrolment no run recorded), and the year's standing
    settlements (the poverty ledger's definitions: count, total, fund paid, self-pay, and in
    county the in-policy total, self-pay, their ratio and the count above the tilted target).
    As a file: `exportRosterLedger`."""
    page = await service.ledger_page(session, year, county_code, cursor, limit)
    names = service.payer_names(year)
    return LedgerPageOut(
        year=year,
        county_code=county_code,
        items=[person_out(p, caller.role, names) for p in page.items],
        next_cursor=page.next_cursor,
        has_more=page.next_cursor is not None,
    )


LEDGER_COLUMNS = (
    "县区代码",
    "县区名称",
    "身份证号",
    "人员编号",
    "姓名",
    "人员类别（来源、期间）",
    "脱贫标识",
    "脱贫年度",
    "死亡日期",
    "医保参保",
    "医保缴费（缴费人 金额）",
    "医保区外参保地",
    "养老参保",
    "养老缴费档次",
    "养老政府补贴",
    "养老缴费（缴费人 金额）",
    "养老区外参保地",
    "结算人次",
    "医疗费总额",
    "基金支付",
    "个人自付",
    "政策范围内费用",
    "政策范围内个人自付",
    "县域内结算人次",
    "县域内政策范围内费用",
    "县域内政策范围内个人自付",
    "县域内政策范围内自付比例",
    "县域内超目标人次",
)


def _period(c: LedgerCategoryOut) -> str:
    to = c.valid_to.isoformat() if c.valid_to else ""
    mark = f"，已脱贫{c.exit_year or ''}" if c.exited else ""
    return f"{c.category_name}（{c.source_name}，{c.valid_from.isoformat()}至{to}{mark}）"


def ledger_cells(p: LedgerPersonOut) -> list[Cell]:
    s = p.settlements
    yes = {True: "是", False: "否"}
    return [
        ("text", p.county_code),
        ("text", p.county_name),
        ("text", p.id_number),
        ("text", p.psn_no),
        ("text", p.name),
        ("text", "；".join(_period(c) for c in p.categories)),
        ("text", yes[p.exited]),
        ("count", p.exit_year),
        ("date", p.death_date),
        ("text", yes[p.medical.enrolled]),
        ("text", p.medical.paid_by),
        ("text", p.medical.elsewhere_region),
        ("text", yes[p.pension.enrolled]),
        ("money", p.pension.tier),
        ("money", p.pension.subsidy),
        ("text", p.pension.paid_by),
        ("text", p.pension.elsewhere_region),
        ("count", s.count),
        ("money", s.total),
        ("money", s.fund_paid),
        ("money", s.self_pay),
        ("money", s.in_policy),
        ("money", s.in_policy_self_pay),
        ("count", s.in_county.count),
        ("money", s.in_county.in_policy),
        ("money", s.in_county.in_policy_self_pay),
        ("ratio", s.in_county.in_policy_self_pay_ratio),
        ("count", s.in_county.above_target_count),
    ]


@router.get(
    "/ledger/export",
    operation_id="exportRosterLedger",
    summary="导出管理台帐 Download the roster ledger (XLSX, CSV)",
    response_class=StreamingResponse,
    responses=download_responses("xlsx", "csv"),
)
async def export_ledger(
    request: Request,
    session: ReadSessionDep,
    caller: ReportCaller,
    year: YearQuery,
    format: Annotated[
        Literal["xlsx", "csv"], Query(description="`xlsx`, or `csv` (UTF-8 with a BOM, for Excel)")
    ],
    county_code: CountyQuery = None,
) -> StreamingResponse:
    """导出管理台帐 (agency, admin): every row of `getRosterLedger` (in its order) as an XLSX or
    CSV file with Chinese column headers, one column per figure, streamed as it is read."""
    check_county(county_code)  # refused now, while the answer can still be a problem
    role = caller.role
    names = service.payer_names(year)

    async def rows(read: AsyncSession) -> AsyncIterator[list[list[Cell]]]:
        async for batch in service.iter_ledger(read, year, county_code):
            yield [ledger_cells(person_out(p, role, names)) for p in batch]

    return streamed(
        request,
        format,
        f"roster-ledger-{year}-{county_code or 'all'}",
        "管理台帐",
        LEDGER_COLUMNS,
        rows,
    )
