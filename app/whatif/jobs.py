"""What-if jobs in PostgreSQL: create (one active per key), read, cancel, and the running
thread's transitions. Every function takes a session and never commits, except the runner's
(:func:`claim`, :func:`beat`, :func:`finish`), which run in short transactions of their own.

Lifecycle (docs/what-if.md "Jobs"): ``queued`` → ``running`` → ``done`` | ``failed`` |
``cancelled``. The running thread writes ``heartbeat_at`` every :data:`HEARTBEAT_S`; a
``queued`` or ``running`` job whose heartbeat (or, never started, ``created_at``) is older than
:data:`STALE_AFTER_S` belongs to a process that died (killed worker, lost machine): whoever next
creates or reads a job marks it ``failed`` with ``error = 'orphaned'`` (:func:`reap`), so it
never stays "running" forever and its key may start another. Finished jobs are kept
:data:`KEEP_S` (a day), then deleted by the next :func:`reap`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import delete, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.auth.service import Caller
from app.errors import Conflict, NotFound

from .models import ACTIVE, WhatIfJob

__all__ = [
    "HEARTBEAT_S",
    "KEEP_S",
    "STALE_AFTER_S",
    "cancel",
    "create",
    "get",
    "reap",
]

KEEP_S = 24 * 3600  # results kept a day (issue 16)
HEARTBEAT_S = 5.0  # a running job's heartbeat; also how soon a cancel is noticed
STALE_AFTER_S = 60  # no heartbeat for this long: the process running it is gone

_KEEP = text(f"now() + interval '{KEEP_S} s'")
_ACTIVE_SQL = "status IN ('queued', 'running')"


async def reap(session: AsyncSession) -> None:
    """Delete expired jobs; mark orphaned ones (no heartbeat for :data:`STALE_AFTER_S`) failed."""
    expired = (
        await session.scalars(
            delete(WhatIfJob).where(WhatIfJob.expires_at < text("now()")).returning(WhatIfJob.id)
        )
    ).all()
    if expired:
        record(
            session,
            None,
            "what_if.expire",
            "what_if_job",
            str(expired[0]),
            {"deleted": [str(i) for i in expired]},
        )
    orphaned = (
        await session.scalars(
            update(WhatIfJob)
            .where(
                WhatIfJob.status.in_(ACTIVE),
                text(f"coalesce(heartbeat_at, created_at) < now() - interval '{STALE_AFTER_S} s'"),
            )
            .values(
                status="failed",
                error="orphaned",
                error_detail="the process running this job stopped (no heartbeat)",
                finished_at=text("now()"),
                expires_at=_KEEP,
            )
            .returning(WhatIfJob.id)
        )
    ).all()
    for job_id in orphaned:
        record(session, None, "what_if.orphaned", "what_if_job", str(job_id), {})


async def create(session: AsyncSession, caller: Caller, request: dict[str, Any]) -> uuid.UUID:
    """Store a queued job for ``caller``'s key; 409 ``what_if_busy`` while it has another
    (:func:`reap` first, or an orphaned job would hold the key)."""
    job_id = uuid.uuid4()
    inserted = await session.scalar(
        insert(WhatIfJob)
        .values(
            id=job_id,
            key_id=caller.key_id,
            status="queued",
            request=request,
            expires_at=_KEEP,
        )
        .on_conflict_do_nothing(index_elements=["key_id"], index_where=text(_ACTIVE_SQL))
        .returning(WhatIfJob.id)
    )
    if inserted is None:
        active = await session.scalar(
            WhatIfJob.__table__.select()
            .with_only_columns(WhatIfJob.id)
            .where(WhatIfJob.key_id == caller.key_id, WhatIfJob.status.in_(ACTIVE))
        )
        raise Conflict(
            f"This key already has a what-if job running ({active}); wait for it or cancel it.",
            code="what_if_busy",
            params={"job_id": str(active)},
            errors=[
                {
                    "loc": ["body"],
                    "msg": f"job {active} is queued or running",
                    "key": "what_if_active",
                    "params": {"job_id": str(active)},
                }
            ],
        )
    record(
        session,
        caller,
        "what_if.create",
        "what_if_job",
        str(job_id),
        {k: request[k] for k in ("policy_id", "content_hash", "date_from", "date_to")}
        | {
            "county_code": request.get("county_code"),
            "hospital_code": request.get("hospital_code"),
        },
    )
    return job_id


async def get(session: AsyncSession, caller: Caller, job_id: uuid.UUID) -> WhatIfJob:
    """The caller's job (another key's is absent, as is an expired one)."""
    job = await session.get(WhatIfJob, job_id, populate_existing=True)
    if job is None or job.key_id != caller.key_id or job.expires_at < _now():
        raise NotFound(f"No what-if job {job_id}.", code="what_if_not_found")
    return job


async def cancel(session: AsyncSession, caller: Caller, job_id: uuid.UUID) -> WhatIfJob:
    """Cancel a queued or running job (its thread stops at its next heartbeat); a finished job
    is left as it is (idempotent: the answer is the job as it stands)."""
    job = await get(session, caller, job_id)
    changed = await session.scalar(
        update(WhatIfJob)
        .where(WhatIfJob.id == job_id, WhatIfJob.status.in_(ACTIVE))
        .values(status="cancelled", finished_at=text("now()"), expires_at=_KEEP)
        .returning(WhatIfJob.id)
    )
    if changed is not None:
        record(session, caller, "what_if.cancel", "what_if_job", str(job_id), {})
    await session.refresh(job)
    return job


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- the running thread's transitions (each its own short transaction) ----------------------------


async def claim(session: AsyncSession, job_id: uuid.UUID, worker: str) -> dict[str, Any] | None:
    """``queued`` → ``running``; the job's request, or ``None`` if it is no longer queued."""
    row = (
        await session.execute(
            update(WhatIfJob)
            .where(WhatIfJob.id == job_id, WhatIfJob.status == "queued")
            .values(
                status="running",
                worker=worker,
                started_at=text("now()"),
                heartbeat_at=text("now()"),
            )
            .returning(WhatIfJob.request)
        )
    ).first()
    return None if row is None else dict(row[0])


async def beat(session: AsyncSession, job_id: uuid.UUID, done: int, total: int | None) -> bool:
    """Progress and heartbeat; False once the job is no longer running (cancelled, reaped)."""
    row = await session.scalar(
        update(WhatIfJob)
        .where(WhatIfJob.id == job_id, WhatIfJob.status == "running")
        .values(progress_done=done, progress_total=total, heartbeat_at=text("now()"))
        .returning(WhatIfJob.id)
    )
    return row is not None


async def finish(
    session: AsyncSession,
    job_id: uuid.UUID,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    detail: str | None = None,
    done: int | None = None,
) -> bool:
    """``running`` → ``done`` or ``failed``, kept a day from now; False if it was not running."""
    values: dict[str, Any] = {
        "status": status,
        "result": result,
        "error": error,
        "error_detail": detail,
        "finished_at": text("now()"),
        "heartbeat_at": text("now()"),
        "expires_at": _KEEP,
    }
    if done is not None:
        values["progress_done"] = values["progress_total"] = done
    changed = await session.scalar(
        update(WhatIfJob)
        .where(WhatIfJob.id == job_id, WhatIfJob.status == "running")
        .values(**values)
        .returning(WhatIfJob.id)
    )
    if changed is not None:
        record(
            session,
            None,
            f"what_if.{status}",
            "what_if_job",
            str(job_id),
            {"error": error} if error else {"settlements": (result or {}).get("settlements")},
        )
    return changed is not None
