"""代缴名单 in the agency console (docs/enrolment.md "Console"): agency and admin read, admin
computes and confirms.

- ``GET /ui/console/proxy-payments``: the runs (filter by year, county, scheme) and, for the
  admin, the form that computes a run;
- ``POST /ui/console/proxy-payments``: compute a run (admin; CSRF checked) → its page;
- ``GET /ui/console/proxy-payments/{run_id}``: a run: totals per payer, skipped people, lines;
- ``GET /ui/console/proxy-payments/{run_id}/export.xlsx``: the API's XLSX for a session;
- ``POST /ui/console/proxy-payments/{run_id}/confirm``: confirm (admin; CSRF checked).

The pages call :mod:`app.enrolment.proxy` (what ``/v1/proxy-payments`` calls) and compute no
figure. Pension top-ups are sent through the API (``top_ups``); the form computes a run without.
"""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.auth.service import Caller
from app.clock import local_time
from app.db.session import SessionDep
from app.enrolment import proxy
from app.enrolment import proxy_endpoints as proxy_api
from app.enrolment.proxy_export import CATEGORY_NAMES, SCHEME_NAMES
from app.enrolment.proxy_schemas import RunSummary, run_out, run_summary
from app.enrolment.rules import RULES, SCHEMES
from app.errors import AppError
from app.regions import COUNTIES

from .deps import PageError, require_role
from .messages import message
from .templating import render

__all__ = ["router"]

router = APIRouter(prefix="/ui/console/proxy-payments", include_in_schema=False)

ConsolePage = Annotated[Caller, Depends(require_role("agency", "admin"))]
AdminForm = Annotated[Caller, Depends(require_role("admin", form=True))]

_YEAR = re.compile(r"[0-9]{4}")
_COUNTY = re.compile(r"[0-9]{6}")

ERRORS = {
    "year": message("proxy_year"),
    "county_code": message("proxy_county_code"),
    "scheme": message("proxy_scheme"),
    "run_stale": message("proxy_run_stale"),
    "run_already_confirmed": message("proxy_run_already_confirmed"),
}


def _page_view(model: RunSummary) -> dict[str, object]:
    """What a page shows of a run: the API's JSON (amounts as yuan text), the moments local."""
    view: dict[str, object] = model.model_dump(mode="json")
    view["created_local"] = local_time(model.created_at)
    view["confirmed_local"] = local_time(model.confirmed_at) if model.confirmed_at else None
    return view


def _years() -> list[int]:
    return sorted({year for _, year in RULES})


def _filters(values: dict[str, str], *, required: bool) -> tuple[dict[str, str], dict[str, str]]:
    """The fields as typed and the errors (field → message) of the year, county and scheme."""
    fields = {k: values.get(k, "").strip() for k in ("year", "county_code", "scheme")}
    errors: dict[str, str] = {}
    years = _years()
    if (fields["year"] or required) and not (
        _YEAR.fullmatch(fields["year"]) and int(fields["year"]) in years
    ):
        errors["year"] = ERRORS["year"].format(years="、".join(map(str, years)))
    if (fields["county_code"] or required) and not (
        _COUNTY.fullmatch(fields["county_code"]) and fields["county_code"] in COUNTIES
    ):
        errors["county_code"] = ERRORS["county_code"]
    if (fields["scheme"] or required) and fields["scheme"] not in SCHEMES:
        errors["scheme"] = ERRORS["scheme"]
    return fields, errors


async def _list_page(
    request: Request,
    session: SessionDep,
    fields: dict[str, str],
    errors: dict[str, str],
    form: dict[str, str],
    form_errors: dict[str, str],
) -> Response:
    runs: list[dict[str, object]] = []
    if not errors:
        runs = [
            _page_view(run_summary(r))
            for r in await proxy.list_runs(
                session,
                year=int(fields["year"]) if fields["year"] else None,
                county_code=fields["county_code"] or None,
                scheme=fields["scheme"] or None,
            )
        ]
    return render(
        request,
        "console_proxy.html",
        {
            "fields": fields,
            "errors": errors,
            "form": form,
            "form_errors": form_errors,
            "runs": runs,
            "counties": COUNTIES,
            "schemes": SCHEME_NAMES,
            "years": _years(),
        },
        status_code=422 if errors or form_errors else 200,
    )


@router.get("")
async def runs_page(request: Request, session: SessionDep, caller: ConsolePage) -> Response:
    fields, errors = _filters(dict(request.query_params), required=False)
    empty = {"year": "", "county_code": "", "scheme": ""}
    return await _list_page(request, session, fields, errors, empty, {})


@router.post("")
async def create(request: Request, session: SessionDep, caller: AdminForm) -> Response:
    raw = await request.form()
    form, form_errors = _filters(
        {k: v for k, v in raw.items() if isinstance(v, str)}, required=True
    )
    if not form_errors:
        try:
            run_id = await proxy.create_run(
                session, caller, form["scheme"], int(form["year"]), form["county_code"], []
            )
        except AppError as error:
            if error.code in ("no_enrolment_rules", "unknown_county"):  # guarded above
                form_errors["form"] = ERRORS["year"].format(years="、".join(map(str, _years())))
            else:
                raise
        else:
            return RedirectResponse(f"/ui/console/proxy-payments/{run_id}", status_code=303)
    empty = {"year": "", "county_code": "", "scheme": ""}
    return await _list_page(request, session, empty, {}, form, form_errors)


def _run_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise PageError(404, "run_not_found") from None


async def _detail(
    request: Request, session: SessionDep, run_id: uuid.UUID, error: str | None, status: int
) -> Response:
    try:
        run, lines = await proxy.get_run(session, run_id)
    except AppError as exc:
        if exc.code == "proxy_run_not_found":
            raise PageError(404, "run_not_found") from None
        raise
    out = run_out(run, lines, RULES.get((run.scheme, run.year)))
    return render(
        request,
        "console_proxy_run.html",
        {
            "run": _page_view(out),
            "scheme_name": SCHEME_NAMES[out.scheme],
            "categories": CATEGORY_NAMES,
            "error": error,
        },
        status_code=status,
    )


@router.get("/{run_id}")
async def run_page(
    run_id: str, request: Request, session: SessionDep, caller: ConsolePage
) -> Response:
    return await _detail(request, session, _run_id(run_id), None, 200)


@router.get("/{run_id}/export.xlsx")
async def run_export(
    run_id: str, request: Request, session: SessionDep, caller: ConsolePage
) -> Response:
    """The file of ``GET /v1/proxy-payments/runs/{id}/export.xlsx`` for a signed-in session."""
    parsed = _run_id(run_id)
    try:
        return await proxy_api.export_run(parsed, session, caller)
    except AppError as exc:
        if exc.code == "proxy_run_not_found":
            raise PageError(404, "run_not_found") from None
        raise


@router.post("/{run_id}/confirm")
async def confirm(
    run_id: str, request: Request, session: SessionDep, caller: AdminForm
) -> Response:
    parsed = _run_id(run_id)
    try:
        await proxy.confirm_run(session, caller, parsed)
    except AppError as exc:
        if exc.code in ("run_stale", "run_already_confirmed"):
            await session.rollback()
            return await _detail(request, session, parsed, ERRORS[exc.code], 409)
        if exc.code == "proxy_run_not_found":
            raise PageError(404, "run_not_found") from None
        raise
    return RedirectResponse(f"/ui/console/proxy-payments/{parsed}", status_code=303)
