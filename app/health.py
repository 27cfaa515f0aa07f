"""Operations endpoints: liveness and readiness (``/metrics`` is in :mod:`app.metrics`)."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.migrate import is_at_head
from app.errors import ServiceUnavailable, problem_responses

__all__ = ["router"]

logger = logging.getLogger(__name__)
router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    status: Literal["ready"] = "ready"


@router.get("/healthz", operation_id="getHealth", summary="存活检查 Liveness: the process is up")
async def healthz() -> Health:
    """Liveness: answers 200 as long as the process serves HTTP, also while draining."""
    return Health()


@router.get(
    "/readyz",
    operation_id="getReadiness",
    summary="就绪检查 Readiness: the database is reachable and migrated",
    responses=problem_responses(503, codes={503: ["not_ready", "shutting_down"]}),
)
async def readyz(request: Request) -> Ready:
    """Readiness: 200 when the database answers within ``ONESTOP_DB_CONNECT_TIMEOUT_S`` and its
    schema is at the latest migration; 503 otherwise, and while the instance shuts down."""
    if request.app.state.drain.active:
        raise ServiceUnavailable("This instance is shutting down.", code="shutting_down")
    engine: AsyncEngine = request.app.state.engine
    timeout_s: float = request.app.state.settings.db_connect_timeout_s
    try:
        async with asyncio.timeout(timeout_s), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            at_head = await is_at_head(conn)
    except Exception as exc:  # any failure to reach the database means "not ready"
        logger.warning("readiness check failed: %r", exc)
        raise ServiceUnavailable("The database is unreachable.", code="not_ready") from exc
    if not at_head:
        raise ServiceUnavailable(
            "The database schema is not at the latest migration.", code="not_ready"
        )
    return Ready()
