"""The agency console (机构控制台, ``/ui/console/``): agency and admin read, in Chinese.

- ``GET /ui/console/``: the dashboard of a county and month;
- ``GET /ui/console/settlements``: settlement search, each row linking to its slip;
- ``GET /ui/console/reconciliation`` (and ``/export``, the API's file for a session);
- ``GET /ui/console/audit``: the audit log (its own module, :mod:`app.ui.console_audit`);
- ``GET /ui/console/policies``: the policy versions, their parameters and sources.

Every figure comes from :mod:`app.reconciliation.console` (the ledger's queries) and the policy
in force (fund names, the tilted layer's target); this module only chooses what to show. A bad
field is a Chinese message beside it (status 422) and no figures.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from app.auth.service import Caller
from app.clock import local_time
from app.db.session import ReadSessionDep
from app.engine.layers.tilted import Tilted
from app.engine.money import format_bp
from app.engine.policy import Policy
from app.errors import AppError
from app.policy import store as policy_store
from app.reconciliation import console
from app.reconciliation import endpoints as reconciliation_endpoints
from app.reconciliation import service as reconciliation_service
from app.reconciliation.scope import FIRST_DAY, LAST_DAY
from app.regions import COUNTIES

from .chart import line_chart
from .deps import require_role
from .templating import render, templates

__all__ = ["router"]

router = APIRouter(prefix="/ui/console", include_in_schema=False)

ConsolePage = Annotated[Caller, Depends(require_role("agency", "admin"))]

_COUNTY = re.compile(r"[0-9]{6}")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_HOSPITAL = re.compile(r"[A-Za-z0-9._-]{1,32}")
_BILL = re.compile(r"[^\x00-\x1f\x7f]{1,64}")
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9Xx]")


def compact(value: object) -> str:
    """A policy parameter's value as one line of JSON (numbers stay the document's text)."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def beijing(at: dt.datetime) -> str:
    return local_time(at)


templates.env.filters["compact"] = compact
templates.env.filters["beijing"] = beijing


def _text(request: Request, name: str) -> str:
    return request.query_params.get(name, "").strip()


def _region(county_code: str) -> str:
    """The policy region of a county, as the settlement service derives it (``5104xx`` → 510400)."""
    return county_code[:4] + "00"


def _target(policy: Policy | None) -> str | None:
    """The tilted layer's target ratio as the policy writes it (``"0.10"``), if it has one."""
    if policy is None:
        return None
    for layer in policy.layers:
        if isinstance(layer, Tilted):
            return format_bp(layer.target_ratio_bp)
    return None


def _funds(policy: Policy | None, row: Any) -> list[tuple[str, str, str]]:
    """``(code, name, paid)`` per layer in policy order (``0.00``: nothing paid), then any fund
    the month's settlements paid that this policy does not name (another version's)."""
    paid = {fund.fund_code: fund for fund in (row.funds if row is not None else [])}
    lines = []
    named = set()
    for layer in policy.layers if policy is not None else ():
        meta = layer.meta
        named.add(meta.fund_code)
        fund = paid.get(meta.fund_code)
        lines.append((meta.fund_code, meta.fund_name, fund.paid if fund else "0.00"))
    lines += [(f.fund_code, f.fund_name, f.paid) for code, f in paid.items() if code not in named]
    return lines


def _above(ratio: str, target: str | None) -> bool:
    return target is not None and Decimal(ratio) > Decimal(target)


@router.get("/")
async def dashboard(request: Request, session: ReadSessionDep, caller: ConsolePage) -> Response:
    county = _text(request, "county") or None
    month = _text(request, "month") or None
    errors: dict[str, str] = {}
    if county is not None and not _COUNTY.fullmatch(county):
        errors["county"] = "format"
    if month is not None:
        try:
            if not _MONTH.fullmatch(month):
                raise ValueError(month)
            console.month_days(month)
        except ValueError:
            errors["month"] = "format"
    if errors:
        known = await console.counties(session)
        return _dashboard_page(request, known, None, None, errors, county or "", month or "")
    board = await console.dashboard(session, county, month)
    if board.county_code not in board.counties:
        return _dashboard_page(
            request, board.counties, None, None, {"county": "unknown"}, county or "", board.month
        )
    first, _ = console.month_days(board.month)
    policy = await request.app.state.policies.in_force(session, _region(board.county_code), first)
    return _dashboard_page(
        request, board.counties, board, policy, {}, board.county_code, board.month
    )


def _dashboard_page(
    request: Request,
    counties: list[str],
    board: console.Dashboard | None,
    policy: Policy | None,
    errors: dict[str, str],
    county: str,
    month: str,
) -> Response:
    context: dict[str, Any] = {
        "counties": [(code, COUNTIES.get(code, code)) for code in counties],
        "county": county,
        "county_name": COUNTIES.get(county, county),
        "month": month,
        "errors": errors,
        "board": None,
    }
    if board is not None:
        target = _target(policy)
        by_month = {row.month: row for row in board.trend.rows}
        values = [
            by_month[m].in_county.in_policy_self_pay_ratio
            if m in by_month and by_month[m].in_county.count
            else None
            for m in board.trend_months
        ]
        poor = board.poor
        context.update(
            board=board,
            policy=policy,
            target=target,
            funds=_funds(policy, board.everyone),
            poor_above=poor is not None and _above(poor.in_county.in_policy_self_pay_ratio, target),
            chart=line_chart(board.trend_months, values, target) if target else None,
            trend=[
                (m, v, v is not None and _above(v, target))
                for m, v in zip(board.trend_months, values, strict=True)
            ],
        )
    return render(request, "console_dashboard.html", context, status_code=422 if errors else 200)


def _day(value: str) -> dt.date:
    day = dt.date.fromisoformat(value)
    if len(value) != 10 or not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(value)
    return day


@router.get("/settlements")
async def settlements(request: Request, session: ReadSessionDep, caller: ConsolePage) -> Response:
    fields = {
        name: _text(request, name)
        for name in ("hospital_code", "bill_no", "id_number", "date_from", "date_to")
    }
    errors: dict[str, str] = {}
    patterns = {"hospital_code": _HOSPITAL, "bill_no": _BILL, "id_number": _ID_NUMBER}
    for name, pattern in patterns.items():
        if fields[name] and not pattern.fullmatch(fields[name]):
            errors[name] = "format"
    date_from, date_to = _days(fields, errors, required=False)
    searched = any(fields.values())
    found: list[console.FoundSettlement] = []
    status_code = 200
    if errors:
        status_code = 422
    elif searched:
        try:
            found = await console.search(
                session,
                hospital_code=fields["hospital_code"] or None,
                bill_no=fields["bill_no"] or None,
                id_number=fields["id_number"].upper() or None,
                date_from=date_from,
                date_to=date_to,
            )
        except AppError:  # check_dates: out of range (already refused above, kept as a guard)
            errors["date_from"], status_code = "format", 422
    return render(
        request,
        "console_settlements.html",
        {
            "fields": fields,
            "errors": errors,
            "searched": searched and not errors,
            "found": found,
            "limit": console.MAX_FOUND,
        },
        status_code=status_code,
    )


# -- reconciliation, policies --------------------------------------------------------------------


def _days(
    fields: dict[str, str], errors: dict[str, str], *, required: bool
) -> tuple[dt.date | None, dt.date | None]:
    days: dict[str, dt.date | None] = {"date_from": None, "date_to": None}
    for name in days:
        if fields[name]:
            try:
                days[name] = _day(fields[name])
            except ValueError:
                errors[name] = "format"
        elif required:
            errors[name] = "missing"
    date_from, date_to = days["date_from"], days["date_to"]
    if date_from and date_to and date_to < date_from:
        errors["date_to"] = "order"
    return date_from, date_to


def _reconciliation_fields(request: Request) -> tuple[dict[str, str], dict[str, str]]:
    fields = {name: _text(request, name) for name in ("hospital_code", "date_from", "date_to")}
    errors: dict[str, str] = {}
    if fields["hospital_code"] and not _HOSPITAL.fullmatch(fields["hospital_code"]):
        errors["hospital_code"] = "format"
    return fields, errors


@router.get("/reconciliation")
async def reconciliation(
    request: Request, session: ReadSessionDep, caller: ConsolePage
) -> Response:
    """对总账 of a hospital (or all) and days: :func:`app.reconciliation.service.totals`."""
    fields, errors = _reconciliation_fields(request)
    asked = any(fields.values())
    date_from, date_to = _days(fields, errors, required=asked)
    result = None
    if asked and not errors and date_from and date_to:
        try:
            result = await reconciliation_service.totals(
                session, caller, fields["hospital_code"] or None, date_from, date_to
            )
        except AppError as error:
            if error.code != "unknown_hospital":
                raise
            errors["hospital_code"] = "unknown"
    return render(
        request,
        "console_reconciliation.html",
        {"fields": fields, "errors": errors, "result": result, "query": urlencode(fields)},
        status_code=422 if errors else 200,
    )


@router.get("/reconciliation/export")
async def reconciliation_export(
    request: Request, session: ReadSessionDep, caller: ConsolePage
) -> Response:
    """The file of ``GET /v1/reconciliation/settlements/export`` for a signed-in session (the
    API's operation, called as it is: the same rows, columns and headers)."""
    fields, errors = _reconciliation_fields(request)
    date_from, date_to = _days(fields, errors, required=True)
    file_format = _text(request, "format")
    if file_format not in ("csv", "xlsx"):
        errors["format"] = "format"
    if errors or date_from is None or date_to is None:
        return render(
            request,
            "console_reconciliation.html",
            {"fields": fields, "errors": errors, "result": None, "query": urlencode(fields)},
            status_code=422,
        )
    return await reconciliation_endpoints.export_settlements(
        session,
        caller,
        date_from,
        date_to,
        "csv" if file_format == "csv" else "xlsx",
        fields["hospital_code"] or None,
        None,
    )


@router.get("/policies")
async def policies(request: Request, session: ReadSessionDep, caller: ConsolePage) -> Response:
    """Every published policy version: its layers in order, each parameter with its source."""
    return render(
        request, "console_policies.html", {"versions": await policy_store.versions(session)}
    )
