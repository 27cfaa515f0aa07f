"""The audit trail (admin): entries, and a verification of the whole hash chain."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.auth.deps import AdminCaller
from app.db.session import SessionDep
from app.errors import AUTH_CODES, problem_responses
from app.routing import JSONRoute
from app.types import ASCII_INT, Text

from .models import AuditEntry
from .service import verify

router = APIRouter(prefix="/v1/audit", tags=["audit 审计"], route_class=JSONRoute)


class AuditEntryOut(BaseModel):
    id: int
    at: dt.datetime
    key_id: uuid.UUID | None
    role: str
    action: str = Field(examples=["settlement.create"])
    entity_type: str
    entity_id: str
    request_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    next_after_id: int | None = Field(
        description="Pass as after_id for the next page; null at the end"
    )


class AuditVerification(BaseModel):
    ok: bool
    checked: int = Field(description="Entries checked, up to and including the first broken one")
    broken_entry_id: int | None
    problem: str | None


@router.get(
    "",
    operation_id="listAuditEntries",
    summary="审计记录 List audit entries",
    responses=problem_responses(401, 403, 422, codes={**AUTH_CODES, 422: ["validation_error"]}),
)
async def list_entries(
    session: SessionDep,
    caller: AdminCaller,
    # At most the columns' lengths (a longer filter matches nothing), and never U+0000.
    action: Annotated[Annotated[str, Text(64)] | None, Query()] = None,
    entity_type: Annotated[Annotated[str, Text(32)] | None, Query()] = None,
    entity_id: Annotated[Annotated[str, Text(128)] | None, Query()] = None,
    after_id: Annotated[int, Query(ge=0, le=2**63 - 1), ASCII_INT] = 0,  # BIGINT: larger is no id
    limit: Annotated[int, Query(ge=1, le=1000), ASCII_INT] = 100,
) -> AuditPage:
    """Entries in chain order (by id), filtered; page with ``after_id``."""
    query = select(AuditEntry).where(AuditEntry.id > after_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if entity_type is not None:
        query = query.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    rows = (await session.scalars(query.order_by(AuditEntry.id).limit(limit + 1))).all()
    entries = [AuditEntryOut.model_validate(row, from_attributes=True) for row in rows[:limit]]
    return AuditPage(entries=entries, next_after_id=entries[-1].id if len(rows) > limit else None)


@router.get(
    "/verify",
    operation_id="verifyAuditChain",
    summary="校验审计链 Verify the audit chain",
    responses=problem_responses(401, 403, codes=AUTH_CODES),
)
async def verify_chain(session: SessionDep, caller: AdminCaller) -> AuditVerification:
    """Recompute every entry's hash; report the first broken link (edited, deleted or inserted)."""
    checked, broken = await verify(session)
    return AuditVerification(
        ok=broken is None,
        checked=checked,
        broken_entry_id=broken.entry_id if broken else None,
        problem=broken.problem if broken else None,
    )
