"""名单交换 in the agency console (docs/roster.md "Console"):

- ``GET /ui/console/roster``: the imports, newest first (agency and admin), and for the admin
  the upload form (file, source, as_of; CSRF checked on the post);
- ``POST /ui/console/roster/imports``: the import itself (:func:`app.roster.service.import_roster`,
  what ``POST /v1/roster/imports`` calls), answered with the result page: the counts and a table
  of the rejected rows (row, column as written, reason). A refused file (422) or an ``as_of``
  out of order (409) is the form again with the Chinese reason; nothing is stored;
- ``GET /ui/console/roster/imports/{id}``: the result page of an earlier import.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from app.auth.service import Caller
from app.clock import local_time
from app.db.session import ReadSessionDep, SessionDep
from app.engine import parse_date
from app.errors import AppError
from app.roster import service as roster_service
from app.roster.endpoints import read_upload
from app.roster.models import ROSTER_SOURCES

from .deps import require_role
from .templating import render

__all__ = ["SOURCE_NAMES", "router"]


async def _close_form(request: Request) -> AsyncIterator[None]:
    """Close the uploaded file's spool whatever happens: no FastAPI parameter owns this form
    (it is read by hand, after the CSRF check, which may refuse it first)."""
    try:
        yield
    finally:
        await request.close()


router = APIRouter(
    prefix="/ui/console/roster", include_in_schema=False, dependencies=[Depends(_close_form)]
)

ConsolePage = Annotated[Caller, Depends(require_role("agency", "admin"))]
AdminForm = Annotated[Caller, Depends(require_role("admin", form=True))]

SOURCE_NAMES = {
    "poverty_office": "扶贫部门（建档立卡）",
    "civil_affairs": "民政部门（低保、特困）",
    "medical_insurance": "医保经办机构",
}


def _form(**fields: str) -> dict[str, str]:
    return {"source": "", "as_of": "", **fields}


async def _page(
    request: Request,
    session: Any,
    caller: Caller,
    *,
    fields: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    imports = await roster_service.list_imports(session, None)
    return render(
        request,
        "console_roster.html",
        {
            "imports": imports.imports,
            "sources": SOURCE_NAMES,
            "can_upload": caller.role == "admin",
            "fields": fields or _form(),
            "errors": errors or {},
            "problem": problem,
            "local_time": local_time,
        },
        status_code=status_code,
    )


@router.get("")
async def roster_page(request: Request, session: ReadSessionDep, caller: ConsolePage) -> Response:
    return await _page(request, session, caller)


@router.post("/imports")
async def upload(request: Request, session: SessionDep, caller: AdminForm) -> Response:
    form = await request.form()
    source = form.get("source")
    as_of_text = form.get("as_of")
    upload = form.get("file")
    fields = _form(
        source=source if isinstance(source, str) else "",
        as_of=as_of_text.strip() if isinstance(as_of_text, str) else "",
    )
    errors: dict[str, str] = {}
    if fields["source"] not in ROSTER_SOURCES:
        errors["source"] = "missing"
    as_of: dt.date | None = None
    try:
        as_of = parse_date(fields["as_of"])
    except ValueError:
        errors["as_of"] = "format" if fields["as_of"] else "missing"
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = "missing"
    if errors or as_of is None or not isinstance(upload, UploadFile):
        if isinstance(upload, UploadFile):
            await upload.close()
        return await _page(request, session, caller, fields=fields, errors=errors, status_code=422)
    try:
        data = await read_upload(upload)
        out, created = await roster_service.import_roster(
            session,
            caller,
            data=data,
            file_name=upload.filename,
            source=fields["source"],
            as_of=as_of,
        )
    except AppError as exc:
        await session.rollback()  # nothing was written; the page commits nothing either
        title, detail, items = exc.in_chinese()
        problem = {"title": title, "detail": detail, "errors": items, "code": exc.code}
        return await _page(
            request, session, caller, fields=fields, problem=problem, status_code=exc.status
        )
    return render(
        request,
        "console_roster_result.html",
        {"imp": out, "created": created, "sources": SOURCE_NAMES, "local_time": local_time},
    )


@router.get("/imports/{import_id}")
async def import_page(
    request: Request, import_id: uuid.UUID, session: ReadSessionDep, caller: ConsolePage
) -> Response:
    out = await roster_service.get_import(session, import_id)
    return render(
        request,
        "console_roster_result.html",
        {"imp": out, "created": None, "sources": SOURCE_NAMES, "local_time": local_time},
    )
