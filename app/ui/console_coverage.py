"""参保覆盖, 未参保名单 and 管理台帐 in the agency console (docs/coverage.md): agency
and admin read, in Chinese.

- ``GET /ui/console/coverage?year=&county=&scheme=``: per county × category on the roster,
  enrolled, not enrolled and the ratio (:func:`app.enrolment.coverage.coverage`), each county
  linking to its gap list;
- ``GET /ui/console/coverage/gaps?year=&county=&scheme=&reason=&cursor=``: the gap list a page
  at a time (:func:`app.enrolment.coverage.gaps_page`), with CSV/XLSX links;
- ``GET /ui/console/ledger?year=&county=&cursor=``: the per-person ledger a page at a time
  (:func:`app.roster.ledger.ledger_page`), with an XLSX link;
- ``.../export``: the ``/v1`` download for a session (the endpoint function, called as it is).

The pages compute no figure; a bad field is a Chinese message beside it (status 422). The year
defaults to the latest one with enrolment rules (``policies/enrolment``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from app.auth.service import Caller
from app.db.session import ReadSessionDep
from app.enrolment import coverage as coverage_service
from app.enrolment import coverage_endpoints, rules
from app.enrolment.coverage_schemas import CoverageOut, GapOut
from app.errors import AppError
from app.regions import COUNTIES
from app.roster import ledger as ledger_service
from app.roster import ledger_endpoints

from .deps import require_role
from .templating import render

__all__ = ["router"]

router = APIRouter(prefix="/ui/console", include_in_schema=False)

ConsolePage = Annotated[Caller, Depends(require_role("agency", "admin"))]

PAGE_SIZE: Final = 50
_YEAR = re.compile(r"[0-9]{4}")
_COUNTY = re.compile(r"[0-9]{6}")
REASON_CHOICES: Final = [("", "全部原因"), *coverage_service.REASON_NAMES.items()]
SCHEME_CHOICES: Final = list(coverage_service.SCHEME_NAMES.items())


def _default_year() -> int:
    years = [year for _, year in rules.RULES]
    return max(years)


def _fields(request: Request, *names: str) -> dict[str, str]:
    return {name: request.query_params.get(name, "").strip() for name in names}


def _check(fields: dict[str, str], errors: dict[str, str]) -> None:
    """Shapes only: the services refuse what is well formed but unknown."""
    if not fields["year"]:
        fields["year"] = str(_default_year())
    elif not _YEAR.fullmatch(fields["year"]) or not 1990 <= int(fields["year"]) <= 2100:
        errors["year"] = "format"
    county = fields.get("county", "")
    if county and not _COUNTY.fullmatch(county):
        errors["county"] = "format"
    if "scheme" in fields:
        fields["scheme"] = fields["scheme"] or "medical"
        if fields["scheme"] not in coverage_service.SCHEMES:
            errors["scheme"] = "format"
    if fields.get("reason") and fields["reason"] not in coverage_service.REASONS:
        errors["reason"] = "format"
    if len(fields.get("cursor", "")) > 512:
        errors["cursor"] = "invalid"


def _refused(error: AppError, errors: dict[str, str]) -> None:
    """A service's refusal as a field's message; anything else goes on to the error page."""
    field = {"unknown_county": "county", "no_enrolment_rules": "year", "invalid_cursor": "cursor"}
    if error.code not in field:
        raise error
    errors[field[error.code]] = "unknown" if error.code != "invalid_cursor" else "invalid"


def _context(fields: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "fields": fields,
        "errors": errors,
        "counties": list(COUNTIES.items()),
        "schemes": SCHEME_CHOICES,
        "reasons": REASON_CHOICES,
        "reason_names": coverage_service.REASON_NAMES,
    }


def _query(fields: dict[str, str], **extra: str) -> str:
    return urlencode({k: v for k, v in {**fields, **extra}.items() if v and k != "cursor"})


def _next(fields: dict[str, str], cursor: str | None) -> str | None:
    """The query of the next page: the same filters and the service's ``next_cursor``."""
    if cursor is None:
        return None
    return urlencode({**{k: v for k, v in fields.items() if v and k != "cursor"}, "cursor": cursor})


@router.get("/coverage")
async def coverage(request: Request, session: ReadSessionDep, caller: ConsolePage) -> Response:
    fields = _fields(request, "year", "county", "scheme")
    errors: dict[str, str] = {}
    _check(fields, errors)
    report = None
    if not errors:
        try:
            await coverage_endpoints.snapshot(session)
            report = CoverageOut.of(
                await coverage_service.coverage(
                    session, fields["scheme"], int(fields["year"]), fields["county"] or None
                )
            )
        except AppError as error:
            _refused(error, errors)
    context = _context(fields, errors)
    context.update(
        report=report,
        query=_query(fields),
        gaps_query=lambda county: _query(fields, county=county or ""),
    )
    return render(request, "console_coverage.html", context, status_code=422 if errors else 200)


@router.get("/coverage/gaps")
async def gaps(request: Request, session: ReadSessionDep, caller: ConsolePage) -> Response:
    fields = _fields(request, "year", "county", "scheme", "reason", "cursor")
    errors: dict[str, str] = {}
    _check(fields, errors)
    page = None
    items: list[GapOut] = []
    if not errors:
        try:
            page = await coverage_service.gaps_page(
                session,
                fields["scheme"],
                int(fields["year"]),
                fields["county"] or None,
                fields["reason"] or None,
                fields["cursor"] or None,
                PAGE_SIZE,
            )
            items = [GapOut.of(gap, caller.role) for gap in page.items]
        except AppError as error:
            _refused(error, errors)
    context = _context(fields, errors)
    query = _query(fields)
    context.update(
        page=page,
        items=items,
        query=query,
        continued=bool(fields["cursor"]),
        next_query=_next(fields, page.next_cursor if page is not None else None),
    )
    return render(
        request, "console_coverage_gaps.html", context, status_code=422 if errors else 200
    )


@router.get("/coverage/gaps/export")
async def gaps_export(request: Request, session: ReadSessionDep, caller: ConsolePage) -> Response:
    """The file of ``GET /v1/enrolment/gaps/export`` for a session."""
    fields = _fields(request, "year", "county", "scheme", "reason", "format")
    errors: dict[str, str] = {}
    _check(fields, errors)
    if fields["format"] not in ("csv", "xlsx"):
        errors["format"] = "format"
    if not errors:
        try:
            return await coverage_endpoints.export_gaps(
                request,
                session,
                caller,
                int(fields["year"]),
                fields["format"],  # type: ignore[arg-type]  # checked above
                fields["county"] or None,
                fields["scheme"],  # type: ignore[arg-type]  # checked above
                fields["reason"] or None,  # type: ignore[arg-type]  # checked above
            )
        except AppError as error:
            _refused(error, errors)
    context = _context(fields, errors)
    context.update(page=None, items=[], query=_query(fields), continued=False, next_query=None)
    return render(request, "console_coverage_gaps.html", context, status_code=422)


@router.get("/ledger")
async def ledger(request: Request, session: ReadSessionDep, caller: ConsolePage) -> Response:
    fields = _fields(request, "year", "county", "cursor")
    errors: dict[str, str] = {}
    _check(fields, errors)
    page = None
    items: list[ledger_endpoints.LedgerPersonOut] = []
    if not errors:
        try:
            page = await ledger_service.ledger_page(
                session,
                int(fields["year"]),
                fields["county"] or None,
                fields["cursor"] or None,
                PAGE_SIZE,
            )
            names = ledger_service.payer_names(int(fields["year"]))
            items = [ledger_endpoints.person_out(p, caller.role, names) for p in page.items]
        except AppError as error:
            _refused(error, errors)
    context = _context(fields, errors)
    query = _query(fields)
    context.update(
        page=page,
        items=items,
        query=query,
        continued=bool(fields["cursor"]),
        next_query=_next(fields, page.next_cursor if page is not None else None),
    )
    return render(request, "console_ledger.html", context, status_code=422 if errors else 200)


@router.get("/ledger/export")
async def ledger_export(request: Request, session: ReadSessionDep, caller: ConsolePage) -> Response:
    """The file of ``GET /v1/roster/ledger/export`` for a session."""
    fields = _fields(request, "year", "county", "format")
    errors: dict[str, str] = {}
    _check(fields, errors)
    if fields["format"] not in ("csv", "xlsx"):
        errors["format"] = "format"
    if not errors:
        try:
            return await ledger_endpoints.export_ledger(
                request,
                session,
                caller,
                int(fields["year"]),
                fields["format"],  # type: ignore[arg-type]  # checked above
                fields["county"] or None,
            )
        except AppError as error:
            _refused(error, errors)
    context = _context(fields, errors)
    context.update(page=None, items=[], query=_query(fields), continued=False, next_query=None)
    return render(request, "console_ledger.html", context, status_code=422)
