"""What-if endpoints (docs/what-if.md): start a replay, watch it, cancel it, download it.

- ``POST /v1/what-if`` (agency, admin) → 202 ``{"id"}``; the job runs in a thread once the
  request's transaction committed;
- ``GET /v1/what-if/{id}``: status, progress, and the result when done;
- ``POST /v1/what-if/{id}/cancel``: a POST, not a DELETE: the job and its state stay readable
  (``cancelled``) until they expire, and a cancel is an action with an audit entry;
- ``GET /v1/what-if/{id}/export``: the result as XLSX.

A job is its creator key's: another key's is 404, as an expired one.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response

from app.auth.deps import require
from app.auth.service import Caller
from app.db.session import SessionDep
from app.errors import AUTH_CODES, Conflict, problem_responses
from app.reconciliation.scope import check_dates
from app.routing import JSONRoute

from . import export, jobs, runner
from .draft import parse_draft
from .models import WhatIfJob
from .schemas import JobOut, WhatIfCreated, WhatIfIn

__all__ = ["job_out", "reap", "router", "start_after_commit", "submit"]

router = APIRouter(prefix="/v1/what-if", tags=["what-if 政策测算"], route_class=JSONRoute)

AgencyCaller = Annotated[Caller, Depends(require("agency", "admin"))]

_CREATE_PROBLEMS = problem_responses(
    401,
    403,
    409,
    422,
    codes={
        **AUTH_CODES,
        409: ["what_if_busy"],
        422: ["validation_error", "invalid_policy", "dates_out_of_order"],
    },
)
_JOB_PROBLEMS = problem_responses(
    401,
    403,
    404,
    422,
    codes={**AUTH_CODES, 404: ["what_if_not_found"], 422: ["validation_error"]},
)
_EXPORT_PROBLEMS = problem_responses(
    401,
    403,
    404,
    409,
    422,
    codes={
        **AUTH_CODES,
        404: ["what_if_not_found"],
        409: ["what_if_not_done"],
        422: ["validation_error"],
    },
)


def job_out(job: WhatIfJob) -> JobOut:
    request = job.request
    return JobOut.model_validate(
        {
            "id": job.id,
            "status": job.status,
            "progress": {"done": job.progress_done, "total": job.progress_total},
            "request": {k: request.get(k) for k in JOB_REQUEST_KEYS},
            "created_at": job.created_at,
            "started_at": job.started_at,
            "finished_at": job.finished_at,
            "expires_at": job.expires_at,
            "result": job.result,
            "error": None if job.error is None else {"code": job.error, "detail": job.error_detail},
        }
    )


JOB_REQUEST_KEYS = (
    "policy_id",
    "content_hash",
    "date_from",
    "date_to",
    "county_code",
    "hospital_code",
)


async def submit(
    session: Any, caller: Caller, body: WhatIfIn, loc: tuple[str | int, ...] = ("body", "policy")
) -> uuid.UUID:
    """Validate the draft and the days, store the queued job; the caller starts its thread
    after the commit (:func:`app.whatif.runner.start`)."""
    doc = parse_draft(body.policy, loc)
    check_dates(body.date_from, body.date_to, "body")
    request = {
        "policy_id": doc.policy.id,
        "content_hash": doc.content_hash,
        "document": doc.document,
        "date_from": body.date_from.isoformat(),
        "date_to": body.date_to.isoformat(),
        "county_code": body.county_code,
        "hospital_code": body.hospital_code,
    }
    return await jobs.create(session, caller, request)


async def reap(request: Request) -> None:
    """:func:`app.whatif.jobs.reap` in a transaction of its own: committed even when the
    request then answers 404 (and rolls its own back)."""
    async with request.app.state.sessionmaker.begin() as session:
        await jobs.reap(session)


def start_after_commit(request: Request, tasks: BackgroundTasks, job_id: uuid.UUID) -> None:
    """Start the job's thread once the response is out (the transaction has committed)."""
    url = request.app.state.engine.url.render_as_string(hide_password=False)
    tasks.add_task(runner.start, url, request.app.state.settings, job_id)


@router.post(
    "",
    status_code=202,
    operation_id="createWhatIf",
    summary="政策测算 Replay a period's settlements under a draft policy",
    response_model=WhatIfCreated,
    responses=_CREATE_PROBLEMS,
)
async def create(
    request: Request,
    session: SessionDep,
    caller: AgencyCaller,
    body: WhatIfIn,
    tasks: BackgroundTasks,
) -> WhatIfCreated:
    """Checks the draft as `policies/` documents are checked (each problem names its field
    under `["body", "policy", ...]`), stores a queued job and answers 202 with its id; the
    replay runs off the request path. One queued or running job per key (409 `what_if_busy`).
    Nothing stored is changed by the replay: it reads one read-only snapshot."""
    await reap(request)
    job_id = await submit(session, caller, body)
    start_after_commit(request, tasks, job_id)
    return WhatIfCreated(id=job_id)


@router.get(
    "/{job_id}",
    operation_id="getWhatIf",
    summary="政策测算结果 A what-if job: status, progress, result",
    response_model=JobOut,
    responses=_JOB_PROBLEMS,
)
async def read(
    request: Request, session: SessionDep, caller: AgencyCaller, job_id: uuid.UUID
) -> JobOut:
    """`status` queued | running | done | failed | cancelled; `progress` {done, total}; when
    done, `result`. Reading also marks an orphaned job failed (docs/what-if.md "Jobs")."""
    await reap(request)
    return job_out(await jobs.get(session, caller, job_id))


@router.post(
    "/{job_id}/cancel",
    operation_id="cancelWhatIf",
    summary="取消政策测算 Cancel a what-if job",
    response_model=JobOut,
    responses=_JOB_PROBLEMS,
)
async def cancel(
    request: Request, session: SessionDep, caller: AgencyCaller, job_id: uuid.UUID
) -> JobOut:
    """A queued or running job becomes `cancelled` (its thread stops within seconds); a
    finished one is answered as it is."""
    await reap(request)
    return job_out(await jobs.cancel(session, caller, job_id))


@router.get(
    "/{job_id}/export",
    operation_id="exportWhatIf",
    summary="导出政策测算 Download a what-if result (XLSX)",
    response_class=Response,
    responses={
        200: {
            "description": "The result as an XLSX workbook (`Content-Disposition: attachment`).",
            "content": {export.XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        },
        **_EXPORT_PROBLEMS,
    },
)
async def download(
    request: Request, session: SessionDep, caller: AgencyCaller, job_id: uuid.UUID
) -> Response:
    """The result's sheets: funds, by county and month, the 20 largest changes."""
    await reap(request)
    job = await jobs.get(session, caller, job_id)
    if job.status != "done" or job.result is None:
        raise Conflict(
            f"What-if job {job_id} is {job.status}: only a done job has a result to download.",
            code="what_if_not_done",
            params={"status": job.status},
        )
    return Response(
        export.xlsx(job_out(job)),
        media_type=export.XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="what-if-{job_id}.xlsx"'},
    )
