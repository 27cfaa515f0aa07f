"""政策测算 in the agency console (docs/what-if.md "Console"): the what-if of ``/v1/what-if``
for a signed-in agency or admin.

- ``GET /ui/console/what-if``: the form (a draft uploaded as a ``.yaml`` file or pasted, the
  days, optionally a county and a hospital) and the caller's jobs still kept;
- ``POST /ui/console/what-if``: a form post (CSRF checked): the draft checked as the API checks
  it (:func:`app.whatif.endpoints.submit`; each problem in Chinese with its field), the job
  stored and started after the commit, then 303 to its page;
- ``GET /ui/console/what-if/{id}``: its status; while queued or running the page refreshes
  itself every 2 s (the ``Refresh`` header: no JavaScript) and shows a ``<progress>``; when done
  the comparison, with an SVG chart of what each fund paid, actual against what-if;
- ``POST /ui/console/what-if/{id}/cancel`` (CSRF) and ``GET /ui/console/what-if/{id}/export``
  (the API's XLSX).

The pages compute no figure: everything comes from the job's result.
"""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import Response

from app.auth.service import Caller
from app.db.session import SessionDep
from app.errors import AppError, NotFound
from app.i18n.catalog import ITEMS, PROBLEMS
from app.whatif import endpoints as whatif_endpoints
from app.whatif import export, jobs
from app.whatif.models import WhatIfJob
from app.whatif.schemas import WhatIfIn

from .chart import paired_bars
from .console import _days
from .deps import require_role
from .templating import render

__all__ = ["router"]

router = APIRouter(prefix="/ui/console/what-if", include_in_schema=False)

ConsolePage = Annotated[Caller, Depends(require_role("agency", "admin"))]
ConsoleForm = Annotated[Caller, Depends(require_role("agency", "admin", form=True))]

REFRESH_S = 2
_DRAFT_MAX = 1_000_000  # characters, as app.whatif.draft
_COUNTY = re.compile(r"[0-9]{6}")
_HOSPITAL = re.compile(r"[A-Za-z0-9._-]{1,32}")
_FIELDS = ("date_from", "date_to", "county_code", "hospital_code")


async def _kept(session: Any, caller: Caller) -> list[WhatIfJob]:
    query = (
        select(WhatIfJob)
        .where(WhatIfJob.key_id == caller.key_id)
        .order_by(WhatIfJob.created_at.desc())
        .limit(20)
    )
    return list((await session.scalars(query)).all())


def _form_page(
    request: Request,
    fields: dict[str, str],
    errors: dict[str, str],
    problems: list[tuple[str, str]],
    kept: list[WhatIfJob],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "console_whatif.html",
        {"fields": fields, "errors": errors, "problems": problems, "jobs": kept},
        status_code=status_code,
    )


@router.get("")
async def form(request: Request, session: SessionDep, caller: ConsolePage) -> Response:
    await whatif_endpoints.reap(request)
    fields = {name: "" for name in (*_FIELDS, "draft_text")}
    return _form_page(request, fields, {}, [], await _kept(session, caller))


async def _draft_text(form: Any, errors: dict[str, str]) -> str:
    upload = form.get("draft_file")
    if isinstance(upload, UploadFile):
        try:
            raw = await upload.read(_DRAFT_MAX + 1) if upload.filename else b""
        finally:
            await upload.close()
        if raw:
            if len(raw) > _DRAFT_MAX:
                errors["draft"] = "too_big"
                return ""
            try:
                return raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                errors["draft"] = "encoding"
                return ""
    text = form.get("draft_text", "")
    text = text if isinstance(text, str) else ""
    if not text.strip():
        errors["draft"] = "missing"
    return text


@router.post("")
async def create(
    request: Request, session: SessionDep, caller: ConsoleForm, tasks: BackgroundTasks
) -> Response:
    form_data = await request.form()

    def text(name: str) -> str:
        value = form_data.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    fields = {name: text(name) for name in _FIELDS}
    errors: dict[str, str] = {}
    draft = await _draft_text(form_data, errors)
    fields["draft_text"] = draft if len(draft) <= 100_000 else ""
    _days(fields, errors, required=True)
    if fields["county_code"] and not _COUNTY.fullmatch(fields["county_code"]):
        errors["county_code"] = "format"
    if fields["hospital_code"] and not _HOSPITAL.fullmatch(fields["hospital_code"]):
        errors["hospital_code"] = "format"
    problems: list[tuple[str, str]] = []
    if not errors:
        try:
            body = WhatIfIn.model_validate(
                {
                    "policy": draft,
                    **{k: fields[k] or None for k in _FIELDS},
                }
            )
            job_id = await whatif_endpoints.submit(session, caller, body, ())
        except ValidationError:  # refused above already; a guard
            errors["form"] = "format"
        except AppError as error:
            if error.code == "invalid_policy":
                problems = [
                    (
                        ".".join(str(part) for part in item["loc"]) or "（整个文件）",
                        ITEMS["policy_field"].format(problem=item["msg"]),
                    )
                    for item in error.errors
                ]
            elif error.code == "what_if_busy":
                errors["form"] = "busy"
            else:
                raise
        else:
            whatif_endpoints.start_after_commit(request, tasks, job_id)
            return RedirectResponse(f"/ui/console/what-if/{job_id}", status_code=303)
    kept = await _kept(session, caller)
    return _form_page(request, fields, errors, problems, kept, status_code=422)


def _chart(result: dict[str, Any]) -> Any:
    funds = result["funds"]
    if not funds:
        return None
    return paired_bars(
        [f["fund_code"] for f in funds],
        [f["actual"] for f in funds],
        [f["what_if"] for f in funds],
    )


def _not_found(request: Request) -> Response:
    message = PROBLEMS["what_if_not_found"].detail
    return render(
        request,
        "error.html",
        {"status": 404, "message": message, "code": "what_if_not_found"},
        status_code=404,
    )


@router.get("/{job_id}")
async def job_page(
    request: Request, job_id: uuid.UUID, session: SessionDep, caller: ConsolePage
) -> Response:
    await whatif_endpoints.reap(request)
    try:
        job = whatif_endpoints.job_out(await jobs.get(session, caller, job_id))
    except NotFound:
        return _not_found(request)
    running = job.status in ("queued", "running")
    response = render(
        request,
        "console_whatif_job.html",
        {
            "job": job,
            "result": job.result,
            "chart": _chart(job.result) if job.result else None,
            "running": running,
            "refresh_s": REFRESH_S,
        },
    )
    if running:
        response.headers["Refresh"] = str(REFRESH_S)
    return response


@router.post("/{job_id}/cancel")
async def cancel(
    request: Request, job_id: uuid.UUID, session: SessionDep, caller: ConsoleForm
) -> Response:
    try:
        await jobs.cancel(session, caller, job_id)
    except NotFound:
        return _not_found(request)
    return RedirectResponse(f"/ui/console/what-if/{job_id}", status_code=303)


@router.get("/{job_id}/export")
async def download(
    request: Request, job_id: uuid.UUID, session: SessionDep, caller: ConsolePage
) -> Response:
    try:
        job = whatif_endpoints.job_out(await jobs.get(session, caller, job_id))
    except NotFound:
        return _not_found(request)
    if job.status != "done":
        return RedirectResponse(f"/ui/console/what-if/{job_id}", status_code=303)
    return Response(
        export.xlsx(job),
        media_type=export.XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="what-if-{job_id}.xlsx"'},
    )
