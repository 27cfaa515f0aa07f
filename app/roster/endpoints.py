"""Roster exchange endpoints (docs/roster.md): admin imports, agency and admin read."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from starlette.datastructures import UploadFile as StarletteUpload

from app.auth.deps import AdminCaller, require
from app.auth.service import Caller
from app.db.session import ReadSessionDep, SessionDep
from app.errors import AUTH_CODES, problem_responses
from app.routing import JSONRoute
from app.types import IsoDate

from . import service
from .parse import MAX_FILE_BYTES, FileRefused
from .schemas import ImportList, ImportOut, Source

__all__ = ["UPLOAD_LIMIT_BYTES", "UPLOAD_PATHS", "read_upload", "router"]

router = APIRouter(prefix="/v1", tags=["roster 名单交换"], route_class=JSONRoute)

ReaderCaller = Annotated[Caller, Depends(require("agency", "admin"))]

UPLOAD_LIMIT_BYTES = MAX_FILE_BYTES + 256 * 1024
"""The request body the upload paths take (app.limits): the file's bound and room for the
multipart envelope; the file itself is held to MAX_FILE_BYTES (422 ``roster_too_big``)."""
UPLOAD_PATHS = {
    "/v1/roster/imports": UPLOAD_LIMIT_BYTES,
    "/ui/console/roster/imports": UPLOAD_LIMIT_BYTES,
}
"""The paths app.limits lets take an upload of UPLOAD_LIMIT_BYTES (the API's and the page's)."""

_FILE_CODES = [
    "validation_error",
    "roster_unreadable",
    "roster_no_header",
    "roster_no_rows",
    "roster_missing_columns",
    "roster_duplicate_column",
    "roster_too_big",
    "roster_too_many_rows",
]


async def read_upload(upload: StarletteUpload) -> bytes:
    """The uploaded file's bytes, at most MAX_FILE_BYTES (one more is read to tell)."""
    try:
        data = await upload.read(MAX_FILE_BYTES + 1)
    finally:
        await upload.close()
    if len(data) > MAX_FILE_BYTES:
        raise service.file_problem(
            FileRefused(
                f"The file has more than {MAX_FILE_BYTES} bytes.",
                code="roster_too_big",
                params={"size": len(data), "max_bytes": MAX_FILE_BYTES},
            )
        )
    return data


@router.post(
    "/roster/imports",
    operation_id="createRosterImport",
    summary="导入名单 Import a roster file",
    status_code=201,
    responses={
        200: {"model": ImportOut, "description": "The same file was imported before: that import"},
        **problem_responses(
            401,
            403,
            409,
            413,
            422,
            503,
            codes={
                **AUTH_CODES,
                409: ["roster_as_of_before_latest"],
                413: ["payload_too_large"],
                422: _FILE_CODES,
                503: ["commit_failed", "commit_unconfirmed"],
            },
        ),
    },
)
async def create_import(
    file: Annotated[UploadFile, File(description="The roster: CSV (UTF-8 or GBK) or XLSX")],
    source: Annotated[
        Source,
        Form(description="poverty_office 扶贫, civil_affairs 民政, medical_insurance 医保"),
    ],
    as_of: Annotated[IsoDate, Form(description="The roster's date (名单截止日期), YYYY-MM-DD")],
    session: SessionDep,
    caller: AdminCaller,
    response: Response,
) -> ImportOut:
    """Import a source's full roster as of a date: each good row is a category period of that
    source (persons created or updated), every period of the source the file no longer lists
    is ended at ``as_of``; bad rows are rejected alone (``errors``, row and column). 201 with
    the counts; the same file of the same source again: 200 with the stored import."""
    data = await read_upload(file)
    out, created = await service.import_roster(
        session, caller, data=data, file_name=file.filename, source=source, as_of=as_of
    )
    response.status_code = 201 if created else 200
    return out


@router.get(
    "/roster/imports",
    operation_id="listRosterImports",
    summary="名单导入记录 List roster imports",
    responses=problem_responses(401, 403, 422, codes={**AUTH_CODES, 422: ["validation_error"]}),
)
async def list_imports(
    session: ReadSessionDep,
    caller: ReaderCaller,
    source: Annotated[Source | None, Query(description="Only this source's imports")] = None,
) -> ImportList:
    """The imports, newest first (at most 200), with their counts (not their row errors)."""
    return await service.list_imports(session, source)


@router.get(
    "/roster/imports/{import_id}",
    operation_id="getRosterImport",
    summary="查询名单导入 Read a roster import",
    responses=problem_responses(
        401,
        403,
        404,
        422,
        codes={**AUTH_CODES, 404: ["roster_import_not_found"], 422: ["validation_error"]},
    ),
)
async def get_import(
    import_id: uuid.UUID, session: ReadSessionDep, caller: ReaderCaller
) -> ImportOut:
    """One import with its counts and its rejected rows."""
    return await service.get_import(session, import_id)
