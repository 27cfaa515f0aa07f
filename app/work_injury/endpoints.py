"""``/v1/work-injury``: work-injury advance payment (先行支付, notice part 三).

Roles: ``work_injury`` (the work-injury agency's staff) and ``admin`` write; they and
``agency`` (read-only) read. Every POST is safe to retry (docs/work-injury.md "Retries"): 201
when it created something, 200 with the stored record when it repeats an earlier request.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from app import clock
from app.auth.deps import require
from app.auth.service import Caller
from app.db.session import ReadSessionDep, SessionDep
from app.errors import AUTH_CODES, problem_responses
from app.routing import JSONRoute
from app.types import ASCII_INT, IsoDate

from . import export, service
from .schemas import (
    ApplicationIn,
    ApplicationOut,
    CaseIn,
    CaseOut,
    CaseRowOut,
    DecisionIn,
    EmployerPaymentIn,
    ProjectIn,
    ProjectOut,
    RecoveryIn,
    RecoveryOut,
    ReminderIn,
    RepaymentIn,
    WorkInjuryLedgerOut,
    WriteOffIn,
)

__all__ = ["ReadCaller", "WriteCaller", "router"]

router = APIRouter(
    prefix="/v1/work-injury", tags=["work injury 工伤先行支付"], route_class=JSONRoute
)

WriteCaller = Annotated[Caller, Depends(require("work_injury", "admin"))]
ReadCaller = Annotated[Caller, Depends(require("work_injury", "agency", "admin"))]

Key = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="The record's number")]
Id = Annotated[int, Path(ge=1, le=2**63 - 1, description="The record's id")]
County = Annotated[
    str | None, Query(pattern=r"^[0-9]{6}$", description="Only this county (县级区划代码)")
]

_RULE_CODES = ["calendar_not_covered", "no_rule"]


def _errors(
    *, r404: list[str] | None = None, r409: list[str] | None = None, r422: list[str] | None = None
) -> dict[int | str, dict[str, Any]]:
    codes: dict[int, list[str]] = {**AUTH_CODES, 422: ["validation_error", *(r422 or [])]}
    if r404:
        codes[404] = r404
    if r409:
        codes[409] = r409
    return problem_responses(401, 403, 422, codes=codes)


def _status(response: Response, created: bool) -> None:
    response.status_code = 201 if created else 200


@router.post(
    "/projects",
    operation_id="createWorkInjuryProject",
    summary="登记建设项目 Register a project insured by project",
    responses={
        201: {"model": ProjectOut, "description": "Created"},
        **_errors(
            r409=["key_reused"],
            r422=["premium_after_start", "unknown_person", *_RULE_CODES],
        ),
    },
)
async def create_project(
    body: ProjectIn, session: SessionDep, caller: WriteCaller, response: Response
) -> ProjectOut:
    """A construction project insured by project (按项目参保): the premium is the contract
    price × the rate of the dated rules for the county's city on the work-start day, rounded
    half up to the fen; it must be paid before work starts. 201 created; 200 the same request
    again; 409 ``key_reused`` the same ``project_no`` with another body."""
    out, created = await service.create_project(session, caller, body)
    _status(response, created)
    return out


@router.get(
    "/projects/{project_no}",
    operation_id="getWorkInjuryProject",
    summary="查询建设项目 Read a project",
    responses=_errors(r404=["project_not_found"]),
)
async def get_project(project_no: Key, session: ReadSessionDep, caller: ReadCaller) -> ProjectOut:
    return await service.get_project(session, project_no)


@router.post(
    "/cases",
    operation_id="createWorkInjuryCase",
    summary="登记工伤案件 Register an injury case",
    responses={
        201: {"model": CaseOut, "description": "Created"},
        **_errors(r409=["key_reused"], r422=["unknown_person", "unknown_project"]),
    },
)
async def create_case(
    body: CaseIn, session: SessionDep, caller: WriteCaller, response: Response
) -> CaseOut:
    """An injury case with its 工伤认定 decision. The poor-worker mark is taken from the person
    registry's categories valid on the injury date (the rules say which count). With
    ``project_no`` the employer counts as insured when the project covered the day and the
    worker was on its roster."""
    out, created = await service.create_case(session, caller, body)
    _status(response, created)
    return out


@router.get(
    "/cases",
    operation_id="listWorkInjuryCases",
    summary="工伤案件列表 List injury cases",
    responses=_errors(),
)
async def list_cases(
    session: ReadSessionDep,
    caller: ReadCaller,
    county_code: County = None,
    limit: Annotated[int, Query(ge=1, le=500), ASCII_INT] = 100,
) -> list[CaseRowOut]:
    """The newest cases with their money as of today (advanced, recovered, written off,
    outstanding, overdue), at most ``limit``."""
    return await service.list_cases(session, county_code, limit)


@router.get(
    "/cases/{case_no}",
    operation_id="getWorkInjuryCase",
    summary="查询工伤案件 Read a case with its applications",
    responses=_errors(r404=["case_not_found"]),
)
async def get_case(case_no: Key, session: ReadSessionDep, caller: ReadCaller) -> CaseOut:
    return await service.get_case(session, case_no)


@router.post(
    "/cases/{case_no}/applications",
    operation_id="createWorkInjuryApplication",
    summary="先行支付申请 Record an application for an advance",
    responses={
        201: {"model": ApplicationOut, "description": "Created"},
        **_errors(
            r404=["case_not_found"],
            r409=["key_reused"],
            r422=["applied_before_recognition", "unknown_item", "path_not_open", *_RULE_CODES],
        ),
    },
)
async def create_application(
    case_no: Key, body: ApplicationIn, session: SessionDep, caller: WriteCaller, response: Response
) -> ApplicationOut:
    """One application per case and path. When the employer must be reminded first, the
    answer carries ``reminder_due_on``: the 3rd working day after the application (the
    region's working-day calendar)."""
    out, created = await service.create_application(session, caller, case_no, body)
    _status(response, created)
    return out


_TRANSITION_409 = ["invalid_transition", "key_reused"]


@router.post(
    "/applications/{application_id}/reminder",
    operation_id="remindWorkInjuryEmployer",
    summary="书面告知用人单位 Record the reminder to the employer",
    responses=_errors(
        r404=["application_not_found"],
        r409=[*_TRANSITION_409, "reminder_not_needed"],
        r422=["date_before_application", *_RULE_CODES],
    ),
)
async def remind(
    application_id: Id,
    body: ReminderIn,
    session: SessionDep,
    caller: WriteCaller,
    response: Response,
) -> ApplicationOut:
    """The written reminder; the employer's deadline is the 5th working day after it."""
    out, created = await service.remind(session, caller, application_id, body)
    _status(response, created)
    return out


@router.post(
    "/applications/{application_id}/employer-payment",
    operation_id="recordWorkInjuryEmployerPayment",
    summary="用人单位支付 Record what the employer has paid",
    responses=_errors(
        r404=["application_not_found"],
        r409=["invalid_transition"],
        r422=["employer_payment_invalid"],
    ),
)
async def employer_payment(
    application_id: Id,
    body: EmployerPaymentIn,
    session: SessionDep,
    caller: WriteCaller,
    response: Response,
) -> ApplicationOut:
    """The employer's total paid so far; once it covers the claim the application closes
    (``employer_paid``)."""
    out, created = await service.employer_payment(session, caller, application_id, body)
    _status(response, created)
    return out


@router.post(
    "/applications/{application_id}/decision",
    operation_id="decideWorkInjuryApplication",
    summary="先行支付决定 Pay or refuse",
    responses=_errors(
        r404=["application_not_found"],
        r409=[*_TRANSITION_409, "reminder_required", "employer_deadline_open"],
        r422=[
            "date_before_application",
            "unknown_item",
            "item_not_fund_payable",
            "item_not_on_path",
            "amount_above_claim",
            "nothing_to_advance",
        ],
    ),
)
async def decide(
    application_id: Id,
    body: DecisionIn,
    session: SessionDep,
    caller: WriteCaller,
    response: Response,
) -> ApplicationOut:
    """Pay (only fund-payable items, 社会保险法 art. 38; never the employer's items of art. 39;
    only after the employer's deadline has passed unpaid when a reminder was needed) or refuse
    with a reason. A pay decision is the payment: it is made on ``decided_on``."""
    out, created = await service.decide(session, caller, application_id, body)
    _status(response, created)
    return out


@router.post(
    "/applications/{application_id}/recovery",
    operation_id="createWorkInjuryRecovery",
    summary="责令偿还 Order the debtor to repay",
    responses=_errors(
        r404=["application_not_found"],
        r409=["recovery_needs_payment", "key_reused"],
        r422=["date_before_decision", "debtor_not_liable", *_RULE_CODES],
    ),
)
async def create_recovery(
    application_id: Id,
    body: RecoveryIn,
    session: SessionDep,
    caller: WriteCaller,
    response: Response,
) -> ApplicationOut:
    """The order to repay the advance: due 10 days after the order (rolled past a rest day,
    as the rules say)."""
    out, created = await service.create_recovery(session, caller, application_id, body)
    _status(response, created)
    return out


@router.post(
    "/recoveries/{recovery_id}/repayments",
    operation_id="recordWorkInjuryRepayment",
    summary="记录还款 Record a repayment",
    responses=_errors(
        r404=["recovery_not_found"],
        r409=["invalid_transition", "repayment_key_reused"],
        r422=["amount_above_outstanding", "date_before_order"],
    ),
)
async def repay(
    recovery_id: Id,
    body: RepaymentIn,
    session: SessionDep,
    caller: WriteCaller,
    response: Response,
) -> RecoveryOut:
    """A repayment keyed by ``repayment_no``: the same number with the same day and amount is a
    retry (200, nothing added); with another day or amount, 409."""
    out, created = await service.repay(session, caller, recovery_id, body)
    _status(response, created)
    return out


@router.post(
    "/recoveries/{recovery_id}/write-off",
    operation_id="writeOffWorkInjuryRecovery",
    summary="核销 Write off what is outstanding",
    responses=_errors(
        r404=["recovery_not_found"],
        r409=["invalid_transition", "key_reused"],
        r422=["date_before_order"],
    ),
)
async def write_off(
    recovery_id: Id,
    body: WriteOffIn,
    session: SessionDep,
    caller: WriteCaller,
    response: Response,
) -> RecoveryOut:
    """Write off the outstanding amount (with 财政 consent, ``approval_ref``)."""
    out, created = await service.write_off(session, caller, recovery_id, body)
    _status(response, created)
    return out


def _stem(day: dt.date) -> str:
    return f"work-injury-ledger-{day.isoformat()}"


AsOf = Annotated[
    IsoDate | None, Query(description="The ledger's day (default today, Asia/Shanghai)")
]


@router.get(
    "/ledger",
    operation_id="getWorkInjuryLedger",
    summary="先行支付台账 The advance-payment ledger per county",
    responses=_errors(),
)
async def ledger(
    session: ReadSessionDep, caller: ReadCaller, as_of: AsOf = None, county_code: County = None
) -> WorkInjuryLedgerOut:
    """Per county, as of the end of ``as_of``: cases, open cases, poor workers' cases,
    advanced, recovered, outstanding (advanced − recovered − written off), overdue (open
    recoveries past their due day), written off, and the poor workers' share of the advanced."""
    return await service.ledger(session, as_of or clock.today(), county_code)


@router.get(
    "/ledger.xlsx",
    operation_id="exportWorkInjuryLedger",
    summary="先行支付台账下载 Download the ledger as XLSX",
    responses={
        200: {
            "content": {export.XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            "description": "The ledger as a workbook with Chinese headers",
        },
        **_errors(),
    },
)
async def ledger_xlsx(
    session: ReadSessionDep, caller: ReadCaller, as_of: AsOf = None, county_code: County = None
) -> Response:
    day: dt.date = as_of or clock.today()
    data = await service.ledger(session, day, county_code)
    return Response(
        export.ledger_to_xlsx(data),
        media_type=export.XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{_stem(day)}.xlsx"'},
    )
