"""``GET /v1/policies`` and ``GET /v1/policies/{id}``: the published policy documents, so that a
draft for ``POST /v1/what-if`` can start from one (docs/what-if.md). Read by every role: a
published policy is public."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.deps import ReaderCaller
from app.db.session import ReadSessionDep
from app.errors import AUTH_CODES, NotFound, problem_responses
from app.routing import JSONRoute

from .models import PolicyVersion
from .store import versions

__all__ = ["router"]

router = APIRouter(prefix="/v1/policies", tags=["policies 政策"], route_class=JSONRoute)


class PolicyVersionOut(BaseModel):
    id: str
    region_code: str
    title: str
    effective_from: dt.date
    content_hash: str = Field(description="SHA-256 of the document's canonical JSON")
    published_at: dt.datetime


class PolicyDocumentOut(PolicyVersionOut):
    document: dict[str, Any] = Field(
        description="The document as published (JSON; a draft may be this, edited)"
    )


def _out(row: PolicyVersion) -> dict[str, Any]:
    return {
        "id": row.id,
        "region_code": row.region_code,
        "title": str(row.document.get("title", "")),
        "effective_from": row.effective_from,
        "content_hash": row.content_hash,
        "published_at": row.published_at,
    }


@router.get(
    "",
    operation_id="listPolicies",
    summary="政策版本 Published policy versions",
    response_model=list[PolicyVersionOut],
    responses=problem_responses(401, 403, 422, codes={**AUTH_CODES, 422: ["validation_error"]}),
)
async def list_policies(session: ReadSessionDep, caller: ReaderCaller) -> list[PolicyVersionOut]:
    """Every published version, by region and effective date (without the documents)."""
    return [PolicyVersionOut.model_validate(_out(row)) for row in await versions(session)]


async def _get(session: AsyncSession, policy_id: str) -> PolicyVersion:
    row = await session.get(PolicyVersion, policy_id)
    if row is None:
        raise NotFound(f"No published policy {policy_id}.", code="policy_not_found")
    return row


@router.get(
    "/{policy_id}",
    operation_id="getPolicy",
    summary="政策文件 A published policy document",
    response_model=PolicyDocumentOut,
    responses=problem_responses(
        401,
        403,
        404,
        422,
        codes={**AUTH_CODES, 404: ["policy_not_found"], 422: ["validation_error"]},
    ),
)
async def get_policy(
    session: ReadSessionDep,
    caller: ReaderCaller,
    policy_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$")],
) -> PolicyDocumentOut:
    """One published version with its document, as stored (its content hash checks it)."""
    row = await _get(session, policy_id)
    return PolicyDocumentOut.model_validate({**_out(row), "document": row.document})
