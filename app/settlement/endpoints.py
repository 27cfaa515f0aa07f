"""Settlement endpoints (docs/api.md "Settlement"): thin; parse, authorize, call one service
function.

One settlement (``POST /v1/settlements``) passes through four files: :func:`create` here (the
body read in pydantic's JSON mode, the caller authorized) → ``service.settle_bill`` (locks,
reads, checks, the audit entry) → ``app.engine.settle`` (``app/engine/pipeline.py``: the
calculation) → ``repository`` (its two statements). The request's transaction commits after
:func:`create` returns and before the answer is sent (``app.db.session.get_session``); the
metrics count the settlement once the status is known (``app.metrics``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError

from app import metrics
from app.auth.deps import HospitalCaller, ReaderCaller, check_hospital
from app.db.session import SessionDep
from app.errors import AUTH_CODES, problem_responses
from app.i18n import prefers_zh
from app.policy.store import PolicyStore
from app.routing import JSONRequest, JSONRoute, loads

from . import service
from .schemas import ReversalIn, SettlementIn, SettlementOut


class _BillRequest(JSONRequest):
    """A request whose JSON body is a bill: :meth:`json` validates it in pydantic's JSON mode, one
    pass over the bytes with no intermediate dicts and strings (a long bill parses in well under
    half the time). Only a bill that passes is taken this way; anything else is parsed the way
    every body is parsed (:func:`app.routing.loads`, then the model), so every error, with its
    ``loc`` and ``msg``, is exactly what it always was (tests/test_bill_parsing.py holds the two
    ways to the same reading). A JSON number with a fraction or an exponent is a float in JSON
    mode, which the money types refuse (its text is lost), so such a bill takes the usual way,
    where the number keeps its text as a Decimal."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                self._json: Any = SettlementIn.model_validate_json(body)
            except ValidationError:
                self._json = loads(body)
        return self._json


class _Route(JSONRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        if self.body_field is not None and self.body_field.field_info.annotation is SettlementIn:
            self.request_class = _BillRequest
        return super().get_route_handler()


router = APIRouter(prefix="/v1/settlements", tags=["settlement 结算"], route_class=_Route)

_AUTH = AUTH_CODES
_BILL_PROBLEMS = [
    "validation_error",
    "amount_out_of_range",
    "dates_out_of_order",
    "amount_mismatch",
    "unknown_hospital",
    "hospital_not_designated",
    "unknown_person",
    "person_not_enrolled",
    "unknown_catalog_code",
    "no_policy_in_force",
]


def _spoken(request: Request, out: SettlementOut) -> SettlementOut:
    """``out`` in the language the client prefers: layer reasons in Chinese under
    ``Accept-Language: zh`` (app.i18n), else as the engine wrote them."""
    if prefers_zh(request.headers.get("accept-language")):
        return out.in_chinese()
    return out


def _policies(request: Request) -> PolicyStore:
    store: PolicyStore = request.app.state.policies
    return store


@router.post(
    "/preview",
    operation_id="previewSettlement",
    summary="预结算 Preview a settlement (nothing stored)",
    response_description="What settling now would give; nothing stored",
    responses=problem_responses(
        401,
        403,
        422,
        503,
        codes={**_AUTH, 422: _BILL_PROBLEMS, 503: ["overloaded", "shutting_down"]},
    ),
)
async def preview(
    body: SettlementIn, request: Request, session: SessionDep, caller: HospitalCaller
) -> SettlementOut:
    """预结算 (pre-settlement): computes the settlement on the person's current accumulators
    (年度累计) and stores nothing; ``settlement_id`` and ``settled_at`` are null. A hospital key
    previews its own hospital's bills only."""
    check_hospital(caller, body.hospital_code)
    return _spoken(request, await service.preview(session, _policies(request), body))


@router.post(
    "",
    status_code=201,
    operation_id="createSettlement",
    summary="结算 Settle a bill",
    response_description="Settled: a new settlement",
    responses={
        200: {
            "model": SettlementOut,
            "description": "Replay: the bill was already settled with this body",
        },
        **problem_responses(
            401,
            403,
            409,
            422,
            503,
            codes={
                **_AUTH,
                409: ["bill_conflict", "bill_reversed", "replaces_mismatch"],
                422: _BILL_PROBLEMS,
                503: [
                    "commit_failed",
                    "commit_unconfirmed",
                    "database_unavailable",
                    "overloaded",
                    "shutting_down",
                ],
            },
        ),
    },
)
async def create(
    body: SettlementIn,
    request: Request,
    response: Response,
    session: SessionDep,
    caller: HospitalCaller,
) -> SettlementOut:
    """结算 (settlement): stores the settlement and adds it to the person's annual accumulators.

    ``(hospital_code, bill_no)`` is the idempotency key: 201 for a new settlement; the same body
    again returns the same settlement with 200 (accumulators touched once); another body for an
    active bill is 409 ``bill_conflict`` (reverse it first). Once the bill's settlement is
    reversed, settling it again is explicit: the body carries ``"replaces": "<the reversed
    settlement_id>"`` and gets a new settlement (201); without it the bill answers 409
    ``bill_reversed`` naming the reversed settlement (a late retry never settles a reversed bill
    again), and a ``replaces`` that is not the bill's latest reversed settlement is 409
    ``replaces_mismatch``. After a lost answer, look the bill up with ``findSettlement`` or send
    the same body again.

    An amount past its bound (see ``items``, and a person's standing bills of one accumulator
    year) is 422 ``amount_out_of_range``, naming the field; nothing is stored.

    503 ``commit_failed`` or ``database_unavailable``: the outcome may be unknown (the connection
    can drop during the commit); send the same body again, which is safe. 503
    ``commit_unconfirmed``: committed on the database primary but not confirmed replicated to a
    standby; the same body again answers (200, the same settlement) once it is. 503 ``overloaded``
    (with ``Retry-After``): the instance is at capacity and did not look at the request; retry
    after the delay."""
    check_hospital(caller, body.hospital_code)
    out, created = await service.settle_bill(session, _policies(request), caller, body)
    if not created:
        response.status_code = 200
    metrics.settlement_returned(out, created=created)
    return _spoken(request, out)


@router.get(
    "",
    operation_id="findSettlement",
    summary="按单号查结算 Find the active settlement of a bill",
    response_description="The bill's active settlement",
    responses=problem_responses(
        401,
        403,
        404,
        422,
        codes={**_AUTH, 404: ["settlement_not_found"], 422: ["validation_error"]},
    ),
)
async def find(
    request: Request,
    session: SessionDep,
    caller: ReaderCaller,
    hospital_code: Annotated[
        str,
        Query(
            pattern=r"^[A-Za-z0-9._-]{1,32}$",
            description="医疗机构编码 (hospital code)",
            examples=["H510402001"],
        ),
    ],
    bill_no: Annotated[
        str,
        Query(
            pattern=r"^[A-Za-z0-9._/-]{1,64}$",
            description="住院号/结算单号 (bill number)",
            examples=["ZY2018060001"],
        ),
    ],
) -> SettlementOut:
    """The active (not reversed) settlement of a bill, for a HIS that lost the answer to its
    settlement request: 404 ``settlement_not_found`` means it did not land (or was reversed), so
    settling again is safe."""
    check_hospital(caller, hospital_code)
    return _spoken(request, await service.find_active(session, caller, hospital_code, bill_no))


# `:uuid`: a path segment that is no id (`preview`) matches no route here, rather than this one
# with a 422 about the id; `GET /v1/settlements/preview` is then 405 (`Allow: POST`).
@router.get(
    "/{settlement_id:uuid}",
    operation_id="getSettlement",
    summary="查询结算 Read a settlement",
    responses=problem_responses(
        401,
        403,
        404,
        422,
        codes={**_AUTH, 404: ["settlement_not_found"], 422: ["validation_error"]},
    ),
)
async def get(
    settlement_id: uuid.UUID, request: Request, session: SessionDep, caller: ReaderCaller
) -> SettlementOut:
    """A settlement by id, settled or reversed. Another hospital's settlement is 404."""
    return _spoken(request, await service.get(session, caller, settlement_id))


@router.post(
    "/{settlement_id:uuid}/reversal",
    operation_id="reverseSettlement",
    summary="撤销结算 Reverse a settlement",
    response_description="The reversed settlement (the same answer on a repeat)",
    responses=problem_responses(
        401,
        403,
        404,
        422,
        503,
        codes={
            **_AUTH,
            404: ["settlement_not_found"],
            422: ["validation_error"],
            503: ["commit_failed", "commit_unconfirmed", "overloaded", "shutting_down"],
        },
    ),
)
async def reverse(
    settlement_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    caller: HospitalCaller,
    body: ReversalIn | None = None,
) -> SettlementOut:
    """撤销 (reversal): status becomes ``reversed`` and the accumulators are restored; repeating
    it is a no-op returning the same result. The bill may then be settled again by a body that
    carries ``"replaces": "<this settlement_id>"`` (a new ``settlement_id``)."""
    out, created = await service.reverse(session, caller, settlement_id, body or ReversalIn())
    metrics.settlement_returned(out, created=created)
    return _spoken(request, out)
