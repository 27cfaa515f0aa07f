"""工伤先行支付 in the agency console (docs/work-injury.md "Console"): agency, admin and
work_injury read, in Chinese.

- ``GET /ui/console/work-injury?county=&as_of=``: the ledger per county as of a day (what
  ``GET /v1/work-injury/ledger`` answers) and the newest cases, each linking to its page;
- ``GET /ui/console/work-injury/cases/{case_no}``: a case, its applications with their
  deadlines, decisions (items and amounts), recoveries and repayments.

Every figure comes from :mod:`app.work_injury.service`; the pages compute none. A bad filter is
a Chinese message beside it (status 422) and no figures.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from app import clock
from app.auth.service import Caller
from app.db.session import ReadSessionDep
from app.engine import parse_date
from app.engine.money import format_fen
from app.errors import NotFound
from app.work_injury import service

from .deps import PageError, require_role
from .templating import render, templates

__all__ = ["router"]

router = APIRouter(prefix="/ui/console/work-injury", include_in_schema=False)

WorkInjuryPage = Annotated[Caller, Depends(require_role("agency", "admin", "work_injury"))]

_COUNTY = re.compile(r"[0-9]{6}")
_CASE_NO = re.compile(r"[A-Za-z0-9._-]{1,64}")
MAX_CASES = 200

PATH_NAMES = {
    "employer_unpaid": "用人单位未参保且不支付（第六条）",
    "third_party_unpaid": "第三人不支付（第四、五条）",
    "third_party_unknown": "第三人无法确定（第四、五条）",
}
STATUS_NAMES = {
    "applied": "已申请",
    "reminded": "已告知用人单位",
    "employer_paid": "用人单位已支付",
    "paid": "已先行支付",
    "refused": "不予支付",
    "open": "追偿中",
    "overdue": "已逾期",
    "repaid": "已偿还",
    "written_off": "已核销",
}
DEBTOR_NAMES = {"employer": "用人单位", "third_party": "第三人", "person": "本人（已获赔偿）"}


def bp_percent(ratio_bp: int) -> str:
    """Basis points as a percentage with 2 decimals: ``2500`` → ``25.00%``."""
    return f"{ratio_bp // 100}.{ratio_bp % 100:02d}%"


templates.env.filters["fen"] = format_fen
templates.env.filters["bp_percent"] = bp_percent


@router.get("")
async def overview(request: Request, session: ReadSessionDep, caller: WorkInjuryPage) -> Response:
    fields = {name: request.query_params.get(name, "").strip() for name in ("county", "as_of")}
    errors: dict[str, str] = {}
    if fields["county"] and not _COUNTY.fullmatch(fields["county"]):
        errors["county"] = "format"
    as_of = clock.today()
    if fields["as_of"]:
        try:
            as_of = parse_date(fields["as_of"])
        except ValueError:
            errors["as_of"] = "format"
    ledger = cases = None
    if not errors:
        county = fields["county"] or None
        ledger = await service.ledger(session, as_of, county)
        cases = await service.list_cases(session, county, MAX_CASES)
    return render(
        request,
        "console_work_injury.html",
        {
            "fields": fields,
            "errors": errors,
            "ledger": ledger,
            "cases": cases,
            "limit": MAX_CASES,
            "as_of": as_of,
        },
        status_code=422 if errors else 200,
    )


@router.get("/cases/{case_no}")
async def case_page(
    case_no: str, request: Request, session: ReadSessionDep, caller: WorkInjuryPage
) -> Response:
    if not _CASE_NO.fullmatch(case_no):
        raise PageError(404, "no_case")
    try:
        case = await service.get_case(session, case_no)
    except NotFound:
        raise PageError(404, "no_case") from None
    return render(
        request,
        "console_work_injury_case.html",
        {
            "case": case,
            "paths": PATH_NAMES,
            "statuses": STATUS_NAMES,
            "debtors": DEBTOR_NAMES,
        },
    )
