"""对明细账 and 对账 in the agency console (docs/ui.md "The agency console"):

- ``GET /ui/console/reconciliation/details``: the settlement and reversal events of a hospital
  (or all) and days, a page at a time with the service's own cursor
  (:func:`app.reconciliation.service.list_events`, what ``GET /v1/reconciliation/settlements``
  calls), each row linking to its slip;
- ``GET`` / ``POST /ui/console/reconciliation/check``: a hospital's own figures per fund in, the
  check's result in Chinese out (:func:`app.reconciliation.service.check`, what
  ``POST /v1/reconciliation/check`` calls). A form post: CSRF checked.

The pages compute no figure; a bad field is a Chinese message beside it (status 422).
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import Response

from app.auth.service import Caller
from app.db.session import ReadSessionDep
from app.errors import AppError
from app.reconciliation import service as reconciliation_service
from app.reconciliation.schemas import CheckIn, CheckOut

from .console import _days, _reconciliation_fields
from .deps import require_role
from .templating import render

__all__ = ["router"]

router = APIRouter(prefix="/ui/console/reconciliation", include_in_schema=False)

ConsolePage = Annotated[Caller, Depends(require_role("agency", "admin"))]
ConsoleForm = Annotated[Caller, Depends(require_role("agency", "admin", form=True))]

DEFAULT_LIMIT, MAX_LIMIT = 50, 500
CHECK_ROWS = 6  # fund rows of the check form (the demo policies have five funds)

_HOSPITAL = re.compile(r"[A-Za-z0-9._-]{1,32}")
_FUND = re.compile(r"[A-Za-z0-9._-]{1,16}")
_COUNT = re.compile(r"-?[0-9]{1,9}")
_PAID = re.compile(r"-?[0-9]{1,16}(\.[0-9]{1,2})?")
_LIMIT = re.compile(r"[0-9]{1,4}")


@router.get("/details")
async def details(request: Request, session: ReadSessionDep, caller: ConsolePage) -> Response:
    """One page of 对明细账; ``cursor`` is the previous page's ``next_cursor``."""
    fields, errors = _reconciliation_fields(request)
    asked = any(fields.values())
    date_from, date_to = _days(fields, errors, required=asked)
    cursor = request.query_params.get("cursor") or None
    limit_text = request.query_params.get("limit", "").strip()
    limit = DEFAULT_LIMIT
    if limit_text:
        if _LIMIT.fullmatch(limit_text) and 1 <= int(limit_text) <= MAX_LIMIT:
            limit = int(limit_text)
        else:
            errors["limit"] = "format"
    if cursor is not None and len(cursor) > 512:
        errors["cursor"] = "invalid"
    page = None
    if asked and not errors and date_from and date_to:
        try:
            page = await reconciliation_service.list_events(
                session, caller, fields["hospital_code"] or None, date_from, date_to, cursor, limit
            )
        except AppError as error:
            if error.code == "unknown_hospital":
                errors["hospital_code"] = "unknown"
            elif error.code == "invalid_cursor":
                errors["cursor"] = "invalid"
            else:
                raise
    next_query = None
    if page is not None and page.has_more:
        next_query = urlencode(
            {**fields, **({"limit": str(limit)} if limit_text else {}), "cursor": page.next_cursor}
        )
    return render(
        request,
        "console_reconciliation_details.html",
        {
            "fields": fields,
            "errors": errors,
            "page": page,
            "limit": limit_text,
            "continued": cursor is not None,
            "next_query": next_query,
            "first_query": urlencode(fields),
        },
        status_code=422 if errors else 200,
    )


def _empty_check() -> dict[str, Any]:
    return {
        "hospital_code": "",
        "date_from": "",
        "date_to": "",
        "funds": [{"fund_code": "", "count": "", "paid": ""} for _ in range(CHECK_ROWS)],
    }


@router.get("/check")
async def check_form(request: Request, caller: ConsolePage) -> Response:
    return render(
        request,
        "console_reconciliation_check.html",
        {"fields": _empty_check(), "errors": {}, "result": None},
    )


@router.post("/check")
async def check(request: Request, session: ReadSessionDep, caller: ConsoleForm) -> Response:
    """The hospital's figures of the form, checked by the service; nothing is written."""
    form = await request.form()

    def text(name: str) -> str:
        value = form.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    fields = _empty_check()
    errors: dict[str, str] = {}
    for name in ("hospital_code", "date_from", "date_to"):
        fields[name] = text(name)
    if not fields["hospital_code"]:
        errors["hospital_code"] = "missing"
    elif not _HOSPITAL.fullmatch(fields["hospital_code"]):
        errors["hospital_code"] = "format"
    _days({k: fields[k] for k in ("date_from", "date_to")}, errors, required=True)
    funds: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, row in enumerate(fields["funds"]):
        row.update({key: text(f"{key}_{i}") for key in ("fund_code", "count", "paid")})
        if not any(row.values()):
            continue
        if not _FUND.fullmatch(row["fund_code"]):
            errors[f"fund_code_{i}"] = "format"
        elif row["fund_code"] in seen:
            errors[f"fund_code_{i}"] = "twice"
        seen.add(row["fund_code"])
        if not _COUNT.fullmatch(row["count"]):
            errors[f"count_{i}"] = "format"
        if not _PAID.fullmatch(row["paid"]):
            errors[f"paid_{i}"] = "format"
        if not errors:
            funds.append(
                {"fund_code": row["fund_code"], "count": int(row["count"]), "paid": row["paid"]}
            )
    result: CheckOut | None = None
    if not errors:
        try:
            body = CheckIn.model_validate(
                {
                    "hospital_code": fields["hospital_code"],
                    "date_from": fields["date_from"],
                    "date_to": fields["date_to"],
                    "funds": funds,
                }
            )
            result = await reconciliation_service.check(session, caller, body)
        except ValidationError:  # already refused above, kept as a guard
            errors["form"] = "format"
        except AppError as error:
            if error.code == "unknown_hospital":
                errors["hospital_code"] = "unknown"
            elif error.code == "dates_out_of_order":
                errors["date_to"] = "order"
            else:
                raise
    return render(
        request,
        "console_reconciliation_check.html",
        {"fields": fields, "errors": errors, "result": result},
        status_code=422 if errors else 200,
    )
