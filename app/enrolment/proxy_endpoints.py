"""Proxy-payment run endpoints (代缴名单; docs/enrolment.md): admin computes and confirms,
agency and admin read and download. Thin: parse, call :mod:`app.enrolment.proxy`."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel

from app.auth.deps import AdminCaller, require
from app.auth.service import Caller
from app.db.session import SessionDep
from app.errors import AUTH_CODES, problem_responses
from app.routing import JSONRoute
from app.types import ASCII_INT

from . import proxy
from .proxy_export import XLSX_MEDIA_TYPE, run_to_xlsx
from .proxy_schemas import RunIn, RunOut, RunSummary, run_out, run_summary
from .rules import RULES, SchemeRules

__all__ = ["router"]

router = APIRouter(prefix="/v1/proxy-payments", tags=["enrolment 参保代缴"], route_class=JSONRoute)

ReaderCaller = Annotated[Caller, Depends(require("agency", "admin"))]
RunId = Annotated[uuid.UUID, Path(description="The run's id")]

_CREATE_PROBLEMS = problem_responses(
    401,
    403,
    404,
    422,
    codes={
        **AUTH_CODES,
        404: ["no_enrolment_rules"],
        422: ["validation_error", "unknown_county", "invalid_top_ups"],
    },
)
_READ_PROBLEMS = problem_responses(
    401,
    403,
    404,
    422,
    codes={**AUTH_CODES, 404: ["proxy_run_not_found"], 422: ["validation_error"]},
)
_CONFIRM_PROBLEMS = problem_responses(
    401,
    403,
    404,
    409,
    422,
    codes={
        **AUTH_CODES,
        404: ["proxy_run_not_found"],
        409: ["run_already_confirmed", "run_stale"],
        422: ["validation_error"],
    },
)


class RunList(BaseModel):
    runs: list[RunSummary]


def _rules(scheme: str, year: int) -> SchemeRules | None:
    return RULES.get((scheme, year))


async def _out(session: Any, run_id: uuid.UUID) -> RunOut:
    run, lines = await proxy.get_run(session, run_id)
    return run_out(run, lines, _rules(run.scheme, run.year))


@router.post(
    "/runs",
    operation_id="createProxyPaymentRun",
    summary="计算代缴名单 Compute a proxy-payment run",
    status_code=201,
    responses=_CREATE_PROBLEMS,
)
async def create_run(body: RunIn, session: SessionDep, caller: AdminCaller) -> RunOut:
    """Compute the proxy-payment list (代缴/资助参保) of a scheme, year and county from the
    roster, the age band and the rules (policies/enrolment), with the pension top-ups; store it
    (status ``computed``). Another run of the same scheme, year and county may be computed at
    any time (each is a snapshot); only one can be confirmed."""
    run_id = await proxy.create_run(
        session,
        caller,
        body.scheme,
        body.year,
        body.county_code,
        [(t.id_number, t.self_amount, t.third_party, t.third_party_name) for t in body.top_ups],
    )
    return await _out(session, run_id)


@router.get(
    "/runs",
    operation_id="listProxyPaymentRuns",
    summary="代缴批次列表 List proxy-payment runs",
    responses=problem_responses(401, 403, 422, codes={**AUTH_CODES, 422: ["validation_error"]}),
)
async def list_runs(
    session: SessionDep,
    caller: ReaderCaller,
    year: Annotated[
        int | None, Query(ge=1990, le=2100, description="Contribution year"), ASCII_INT
    ] = None,
    county_code: Annotated[str | None, Query(pattern=r"^[0-9]{6}$")] = None,
    scheme: Annotated[Literal["medical", "pension"] | None, Query()] = None,
) -> RunList:
    """The newest 200 runs (optionally of one year, county and scheme), without their lines."""
    runs = await proxy.list_runs(session, year=year, county_code=county_code, scheme=scheme)
    return RunList(runs=[run_summary(r) for r in runs])


@router.get(
    "/runs/{run_id}",
    operation_id="getProxyPaymentRun",
    summary="代缴批次 A proxy-payment run with its lines",
    responses=_READ_PROBLEMS,
)
async def get_run(run_id: RunId, session: SessionDep, caller: ReaderCaller) -> RunOut:
    """A run: per person the category used, the contribution, the pension tier and subsidy and
    the shares per payer; the totals per payer (their sum is the run's contribution)."""
    return await _out(session, run_id)


@router.get(
    "/runs/{run_id}/export.xlsx",
    operation_id="exportProxyPaymentRun",
    summary="代缴名单 XLSX The run as a spreadsheet",
    response_class=Response,
    responses={
        200: {
            "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            "description": "The run's lines with Chinese headers and a 合计 row",
        },
        **_READ_PROBLEMS,
    },
)
async def export_run(run_id: RunId, session: SessionDep, caller: ReaderCaller) -> Response:
    """The run as XLSX: 身份证号(脱敏), 姓名, 县区, 类别, 缴费标准, 代缴金额 (per payer),
    个人缴费, 第三方资助, 政府缴费补贴, 备注, 合计; a last 合计 row."""
    run, lines = await proxy.get_run(session, run_id)
    rules = _rules(run.scheme, run.year)
    body = run_to_xlsx(run, lines, rules.payers if rules else {})
    name = f"proxy-payments-{run.scheme}-{run.year}-{run.county_code}-{run.id}.xlsx"
    return Response(
        body,
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/runs/{run_id}/confirm",
    operation_id="confirmProxyPaymentRun",
    summary="确认代缴名单 Confirm a run: record the enrolments",
    responses=_CONFIRM_PROBLEMS,
)
async def confirm_run(run_id: RunId, session: SessionDep, caller: AdminCaller) -> RunOut:
    """Record the run's enrolments (medical: ``person_enrolments`` with the run's id, an admin's
    own enrolment of the person adopted by the run; pension: ``pension_enrolments`` with the tier
    and subsidy). Confirming a confirmed run answers the same and records nothing more. 409
    ``run_already_confirmed``: another run of the scheme, year and county is confirmed; 409
    ``run_stale``: the roster or the rules changed what the run computes (compute a new run)."""
    await proxy.confirm_run(session, caller, run_id)
    return await _out(session, run_id)
