"""Reconciliation endpoints (API.md "Reconciliation"): thin; parse, call one service function.

Agency and admin keys see every hospital (``hospital_code`` narrows); a hospital key sees its own
(``hospital_code`` defaults to it; another hospital's code is 403).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from app.auth.deps import ReaderCaller, require
from app.auth.service import Caller
from app.db.session import ReadSessionDep
from app.errors import AUTH_CODES, problem_responses
from app.routing import JSONRoute
from app.types import IsoDate

from . import export, service
from .schemas import CheckIn, CheckOut, EventPage, LedgerOut, ReconciliationTotals

__all__ = ["MAX_EXPORT_ROWS", "router"]

router = APIRouter(prefix="/v1/reconciliation", tags=["reconciliation 对账"], route_class=JSONRoute)

MAX_EXPORT_ROWS = 100_000
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000

HospitalFilter = Annotated[
    str | None,
    Query(
        pattern=r"^[A-Za-z0-9._-]{1,32}$",
        description="Agency/admin: one hospital (omit for all). Hospital keys: defaults to the "
        "key's own hospital; another hospital is 403.",
    ),
]
DateFrom = Annotated[IsoDate, Query(description="First day (Asia/Shanghai), inclusive")]
DateTo = Annotated[IsoDate, Query(description="Last day (Asia/Shanghai), inclusive")]

# 503: `query_timeout` (the range took longer than ONESTOP_DB_STATEMENT_TIMEOUT_MS: ask for a
# shorter one) or `database_unavailable` (unreachable: retry after Retry-After).
_UNAVAILABLE = ["query_timeout", "database_unavailable", "shutting_down"]
_PROBLEMS = problem_responses(
    401,
    403,
    422,
    503,
    codes={
        **AUTH_CODES,
        422: ["validation_error", "dates_out_of_order", "unknown_hospital"],
        503: _UNAVAILABLE,
    },
)
_PAGE_PROBLEMS = problem_responses(
    401,
    403,
    422,
    503,
    codes={
        **AUTH_CODES,
        422: ["validation_error", "dates_out_of_order", "unknown_hospital", "invalid_cursor"],
        503: _UNAVAILABLE,
    },
)

LedgerCaller = Annotated[Caller, Depends(require("agency", "admin"))]


@router.get("/totals", operation_id="getReconciliationTotals", responses=_PROBLEMS)
async def totals(
    session: ReadSessionDep,
    caller: ReaderCaller,
    date_from: DateFrom,
    date_to: DateTo,
    hospital_code: HospitalFilter = None,
) -> ReconciliationTotals:
    """对总账: per fund code the net count and amount paid; overall count, total, hospital-borne,
    in-policy, fund-paid and self-pay. Reversals are netted into the top-level figures and also
    shown on their own (negative amounts). The figures equal the sum of
    `GET /v1/reconciliation/settlements` over the same range to the fen.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.
    """
    return await service.totals(session, caller, hospital_code, date_from, date_to)


_EXPORT_CONTENT: dict[str, Any] = {
    "text/csv": {"schema": {"type": "string"}},
    export.XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
}


@router.get(
    "/settlements",
    operation_id="listReconciliationEvents",
    response_model=EventPage,
    responses={
        200: {
            "description": "A page of events (JSON), or with `format` a CSV or XLSX download; "
            "downloads carry `X-Next-Cursor` and `X-Has-More` headers.",
            "content": _EXPORT_CONTENT,
        },
        **_PAGE_PROBLEMS,
    },
)
async def settlements(
    session: ReadSessionDep,
    caller: ReaderCaller,
    date_from: DateFrom,
    date_to: DateTo,
    hospital_code: HospitalFilter = None,
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="`next_cursor` of the previous page; omit to start"),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Page size (JSON only)")
    ] = DEFAULT_LIMIT,
    format: Annotated[
        Literal["json", "csv", "xlsx"],
        Query(
            description="`csv` or `xlsx`: a download of every event after `cursor` (at most "
            f"{MAX_EXPORT_ROWS}) with Chinese column headers"
        ),
    ] = "json",
) -> Any:
    """对明细账: every settlement (+) and reversal (−) event in the range with its per-fund
    amounts, in a stable order, with cursor pagination that never skips or repeats an event,
    even while new settlements arrive (new events come after every cursor already handed out).

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.
    """
    page = await service.list_events(
        session,
        caller,
        hospital_code,
        date_from,
        date_to,
        cursor,
        limit if format == "json" else MAX_EXPORT_ROWS,
    )
    if format == "json":
        return EventPage(items=page.items, next_cursor=page.next_cursor, has_more=page.has_more)
    who = hospital_code or (caller.hospital_code if caller.role == "hospital" else None) or "all"
    name = f"reconciliation-{who}-{date_from}-{date_to}.{format}"
    body, media_type = (
        (export.to_csv(page.items), export.CSV_MEDIA_TYPE)
        if format == "csv"
        else (export.to_xlsx(page.items), export.XLSX_MEDIA_TYPE)
    )
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Next-Cursor": page.next_cursor,
            "X-Has-More": "true" if page.has_more else "false",
        },
    )


@router.post("/check", operation_id="checkReconciliation", responses=_PROBLEMS)
async def check(body: CheckIn, session: ReadSessionDep, caller: ReaderCaller) -> CheckOut:
    """对账: a hospital's own net count and amount per fund for a range in; `match`, or
    `mismatch` with each differing fund's submitted and recorded figures, out. With
    `settlement_ids` (settlements made in the range) and/or `reversed_settlement_ids`
    (settlements reversed in the range), the ids missing on either side are listed too.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.
    """
    return await service.check(session, caller, body)


@router.get(
    "/poverty-ledger",
    operation_id="getPovertyLedger",
    responses=_PROBLEMS,
)
async def poverty_ledger(
    session: ReadSessionDep,
    caller: LedgerCaller,
    date_from: DateFrom,
    date_to: DateTo,
    county_code: Annotated[
        str | None, Query(pattern=r"^[0-9]{6}$", description="The person's county (参保地)")
    ] = None,
) -> LedgerOut:
    """管理台帐 (agency, admin): registered-poor inpatient settlements that stand (not reversed),
    per person's county and month of settlement: count, in-policy total, self-pay, the in-county
    in-policy self-pay ratio (the notice's 10% target) with the count above the target, and what
    each fund paid. Months and days are Asia/Shanghai.
    """
    return await service.ledger(session, county_code, date_from, date_to)
