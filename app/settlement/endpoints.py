"""Settlement endpoints (API.md "Settlement"): thin; parse, authorize, call one service function."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.auth.deps import HospitalCaller, ReaderCaller, check_hospital
from app.db.session import SessionDep
from app.errors import problem_responses
from app.policy.store import PolicyStore

from . import service
from .schemas import ReversalIn, SettlementIn, SettlementOut

router = APIRouter(prefix="/v1/settlements", tags=["settlement 结算"])


def _policies(request: Request) -> PolicyStore:
    store: PolicyStore = request.app.state.policies
    return store


@router.post(
    "/preview", operation_id="previewSettlement", responses=problem_responses(401, 403, 422)
)
async def preview(
    body: SettlementIn, request: Request, session: SessionDep, caller: HospitalCaller
) -> SettlementOut:
    """预结算: computes the settlement on the person's current accumulators; stores nothing."""
    check_hospital(caller, body.hospital_code)
    return await service.preview(session, _policies(request), body)


@router.post(
    "",
    status_code=201,
    operation_id="createSettlement",
    responses={
        200: {
            "model": SettlementOut,
            "description": "Replay: the bill was already settled with this body",
        },
        **problem_responses(401, 403, 409, 422),
    },
)
async def create(
    body: SettlementIn,
    request: Request,
    response: Response,
    session: SessionDep,
    caller: HospitalCaller,
) -> SettlementOut:
    """结算. 201 for a new settlement; the same body again returns it with 200; another body for an
    active bill is 409 ``bill_conflict``."""
    check_hospital(caller, body.hospital_code)
    out, created = await service.settle_bill(session, _policies(request), caller, body)
    if not created:
        response.status_code = 200
    return out


@router.get("", operation_id="findSettlement", responses=problem_responses(401, 403, 404, 422))
async def find(
    session: SessionDep,
    caller: ReaderCaller,
    hospital_code: Annotated[str, Query(pattern=r"^[A-Za-z0-9._-]{1,32}$")],
    bill_no: Annotated[str, Query(pattern=r"^[A-Za-z0-9._/-]{1,64}$")],
) -> SettlementOut:
    """The active settlement of a bill, for a HIS that lost the answer to its settlement request."""
    check_hospital(caller, hospital_code)
    return await service.find_active(session, caller, hospital_code, bill_no)


@router.get(
    "/{settlement_id}", operation_id="getSettlement", responses=problem_responses(401, 403, 404)
)
async def get(settlement_id: uuid.UUID, session: SessionDep, caller: ReaderCaller) -> SettlementOut:
    return await service.get(session, caller, settlement_id)


@router.post(
    "/{settlement_id}/reversal",
    operation_id="reverseSettlement",
    responses=problem_responses(401, 403, 404, 422),
)
async def reverse(
    settlement_id: uuid.UUID,
    session: SessionDep,
    caller: HospitalCaller,
    body: ReversalIn | None = None,
) -> SettlementOut:
    """撤销: status becomes ``reversed`` and the accumulators are restored; repeating is a no-op."""
    return await service.reverse(session, caller, settlement_id, body or ReversalIn())
