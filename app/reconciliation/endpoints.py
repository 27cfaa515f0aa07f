"""Reconciliation endpoints (docs/api.md "Reconciliation"): thin; parse, call one service function.

Agency and admin keys see every hospital (``hospital_code`` narrows); a hospital key sees its own
(``hospital_code`` defaults to it; another hospital's code is 403).

Downloads (CSV, XLSX) are operations of their own beside the JSON ones: a generated client reads
one media type per status, so an operation that answered JSON or a file depending on a parameter
could not type its answer (openapi-python-client parsed every ``format=csv`` answer as JSON).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from app.auth.deps import ReaderCaller, require
from app.auth.service import Caller
from app.db.session import ReadSessionDep
from app.errors import AUTH_CODES, problem_responses
from app.routing import JSONRoute
from app.types import ASCII_INT, IsoDate

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
Cursor = Annotated[
    str | None,
    Query(max_length=512, description="`next_cursor` of the previous page; omit to start"),
]
CountyFilter = Annotated[
    str | None, Query(pattern=r"^[0-9]{6}$", description="The person's county (参保地)")
]

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

_MEDIA_TYPES = {"csv": export.CSV_MEDIA_TYPE, "xlsx": export.XLSX_MEDIA_TYPE}
_ATTACHMENT_HEADER: dict[str, Any] = {
    "Content-Disposition": {
        "description": 'attachment; filename="…" (what the file holds and its dates)',
        "schema": {"type": "string"},
    }
}
_PAGE_HEADERS: dict[str, Any] = {
    "X-Next-Cursor": {
        "description": "As `next_cursor` of a page: pass it as `cursor` for what comes later",
        "schema": {"type": "string"},
    },
    "X-Has-More": {
        "description": "As `has_more` of a page: more rows were already there than the file holds",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
}


def _download_content(*formats: str) -> dict[str, Any]:
    """The 200 content of a download: bytes (``format: binary``) under each media type."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {_MEDIA_TYPES[f].split(";")[0]: binary for f in formats}


def _attachment(body: bytes, format: str, stem: str, headers: dict[str, str]) -> Response:
    return Response(
        body,
        media_type=_MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{format}"', **headers},
    )


@router.get(
    "/totals",
    operation_id="getReconciliationTotals",
    summary="对总账 Reconciliation totals per fund",
    responses=_PROBLEMS,
)
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


@router.get(
    "/settlements",
    operation_id="listReconciliationEvents",
    summary="对明细账 Reconciliation events, page by page",
    response_model=EventPage,
    responses=_PAGE_PROBLEMS,
)
async def settlements(
    session: ReadSessionDep,
    caller: ReaderCaller,
    date_from: DateFrom,
    date_to: DateTo,
    hospital_code: HospitalFilter = None,
    cursor: Cursor = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Page size"), ASCII_INT
    ] = DEFAULT_LIMIT,
    # Before exportReconciliationEvents existed, `format=csv|xlsx` here was the download, and
    # scripts use it: still served, the same file as the export, but no longer documented (a
    # generated client would read the file as JSON).
    format: Annotated[Literal["json", "csv", "xlsx"], Query(include_in_schema=False)] = "json",
) -> EventPage | Response:
    """对明细账: every settlement (+) and reversal (−) event in the range with its per-fund
    amounts, in a stable order, with cursor pagination that never skips or repeats an event,
    even while new settlements arrive (new events come after every cursor already handed out).
    The same rows as a CSV or XLSX file: `exportReconciliationEvents`.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.
    """
    if format != "json":
        return await export_settlements(
            session, caller, date_from, date_to, format, hospital_code, cursor
        )
    page = await service.list_events(
        session, caller, hospital_code, date_from, date_to, cursor, limit
    )
    return EventPage(items=page.items, next_cursor=page.next_cursor, has_more=page.has_more)


@router.get(
    "/settlements/export",
    operation_id="exportReconciliationEvents",
    summary="导出明细账 Download reconciliation events (CSV, XLSX)",
    response_class=Response,
    responses={
        200: {
            "description": "The events as a file (`Content-Disposition: attachment`).",
            "content": _download_content("csv", "xlsx"),
            "headers": {**_ATTACHMENT_HEADER, **_PAGE_HEADERS},
        },
        **_PAGE_PROBLEMS,
    },
)
async def export_settlements(
    session: ReadSessionDep,
    caller: ReaderCaller,
    date_from: DateFrom,
    date_to: DateTo,
    format: Annotated[
        Literal["csv", "xlsx"], Query(description="`csv` (UTF-8 with a BOM, for Excel) or `xlsx`")
    ],
    hospital_code: HospitalFilter = None,
    cursor: Cursor = None,
) -> Response:
    """导出明细账: the rows of `listReconciliationEvents` after `cursor` (all of them, at most
    100,000) as a CSV or XLSX download with Chinese column headers and one column per fund.
    Amounts keep their sign; times are Beijing time. `X-Next-Cursor` continues after the file.
    """
    page = await service.list_events(
        session, caller, hospital_code, date_from, date_to, cursor, MAX_EXPORT_ROWS
    )
    who = hospital_code or (caller.hospital_code if caller.role == "hospital" else None) or "all"
    body = export.to_csv(page.items) if format == "csv" else export.to_xlsx(page.items)
    return _attachment(
        body,
        format,
        f"reconciliation-{who}-{date_from}-{date_to}",
        {"X-Next-Cursor": page.next_cursor, "X-Has-More": "true" if page.has_more else "false"},
    )


@router.post(
    "/check",
    operation_id="checkReconciliation",
    summary="对账 Check a hospital's figures against the records",
    responses=_PROBLEMS,
)
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
    summary="管理台帐 Poverty ledger per county and month",
    responses=_PROBLEMS,
)
async def poverty_ledger(
    session: ReadSessionDep,
    caller: LedgerCaller,
    date_from: DateFrom,
    date_to: DateTo,
    county_code: CountyFilter = None,
) -> LedgerOut:
    """管理台帐 (agency, admin): registered-poor inpatient settlements that stand (not reversed),
    per person's county and month of settlement: count, in-policy total, self-pay, the in-county
    in-policy self-pay ratio (the notice's 10% target) with the count above the target, and what
    each fund paid. Months and days are Asia/Shanghai. As an Excel file: `exportPovertyLedger`.
    """
    return await service.ledger(session, county_code, date_from, date_to)


@router.get(
    "/poverty-ledger/export",
    operation_id="exportPovertyLedger",
    summary="导出管理台帐 Download the poverty ledger (XLSX, CSV)",
    response_class=Response,
    responses={
        200: {
            "description": "The ledger as a file (`Content-Disposition: attachment`).",
            "content": _download_content("xlsx", "csv"),
            "headers": _ATTACHMENT_HEADER,
        },
        **_PROBLEMS,
    },
)
async def export_poverty_ledger(
    session: ReadSessionDep,
    caller: LedgerCaller,
    date_from: DateFrom,
    date_to: DateTo,
    format: Annotated[
        Literal["xlsx", "csv"], Query(description="`xlsx`, or `csv` (UTF-8 with a BOM, for Excel)")
    ],
    county_code: CountyFilter = None,
) -> Response:
    """导出管理台帐 (agency, admin): the rows of `getPovertyLedger` as an XLSX or CSV download
    with Chinese column headers: one row per county and month, the in-county figures in columns
    of their own, then one column per fund.
    """
    ledger = await service.ledger(session, county_code, date_from, date_to)
    rows = ledger.rows
    body = export.ledger_to_xlsx(rows) if format == "xlsx" else export.ledger_to_csv(rows)
    return _attachment(
        body, format, f"poverty-ledger-{county_code or 'all'}-{date_from}-{date_to}", {}
    )
