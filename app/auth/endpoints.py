"""API keys (admin): create (the secret is shown once), list (no secrets), revoke."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from app.audit.service import record
from app.auth.deps import AdminCaller, forget_key
from app.db.session import SessionDep
from app.errors import AUTH_CODES, NotFound, Unprocessable, problem_responses
from app.registry.models import Hospital
from app.routing import JSONRoute
from app.types import Text

from .models import ApiKey
from .service import create_key, list_keys, revoke_key

router = APIRouter(prefix="/v1/api-keys", tags=["api keys 密钥"], route_class=JSONRoute)


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["hospital", "agency", "admin", "work_injury"]
    hospital_code: str | None = Field(
        default=None,
        validate_default=True,
        pattern=r"^[A-Za-z0-9._-]{1,32}$",
        description="Required for (and only for) role hospital",
    )
    label: Annotated[str, Text(200)] | None = None

    @field_validator("hospital_code")
    @classmethod
    def _bound(cls, value: str | None, info: ValidationInfo) -> str | None:
        role = info.data.get("role")
        if role is not None and (role == "hospital") != (value is not None):
            raise ValueError(
                "hospital_code is required for role hospital and not allowed otherwise"
            )
        return value


class ApiKeyOut(BaseModel):
    id: uuid.UUID
    prefix: str = Field(description="The first characters of the secret, to recognise it")
    role: str
    hospital_code: str | None
    label: str | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None = Field(description="Recorded at most once a minute")

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(
            id=key.id,
            prefix=key.prefix,
            role=key.role,
            hospital_code=key.hospital_code,
            label=key.label,
            created_at=key.created_at,
            revoked_at=key.revoked_at,
            last_used_at=key.last_used_at,
        )


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The secret: shown only in this response, stored as a hash")


@router.post(
    "",
    status_code=201,
    operation_id="createApiKey",
    summary="创建密钥 Create an API key",
    responses=problem_responses(
        401, 403, 422, codes={**AUTH_CODES, 422: ["validation_error", "unknown_hospital"]}
    ),
)
async def create(body: ApiKeyIn, session: SessionDep, caller: AdminCaller) -> ApiKeyCreated:
    if body.hospital_code is not None and await session.get(Hospital, body.hospital_code) is None:
        raise Unprocessable(
            "No such hospital.",
            code="unknown_hospital",
            errors=[
                {
                    "loc": ["body", "hospital_code"],
                    "msg": "unknown hospital code",
                    "key": "unknown_hospital_code",
                }
            ],
            params={"hospital_code": body.hospital_code},
        )
    key, secret = await create_key(session, body.role, body.hospital_code, body.label)
    await session.refresh(key)
    record(
        session,
        caller,
        "api_key.create",
        "api_key",
        str(key.id),
        {"role": key.role, "hospital_code": key.hospital_code, "label": key.label},
    )
    return ApiKeyCreated(**ApiKeyOut.of(key).model_dump(), key=secret)


@router.get(
    "",
    operation_id="listApiKeys",
    summary="密钥列表 List API keys",
    responses=problem_responses(401, 403, codes=AUTH_CODES),
)
async def list_(session: SessionDep, caller: AdminCaller) -> list[ApiKeyOut]:
    """Every key, without secrets (only a hash is stored)."""
    return [ApiKeyOut.of(key) for key in await list_keys(session)]


@router.delete(
    "/{key_id}",
    operation_id="revokeApiKey",
    summary="吊销密钥 Revoke an API key",
    responses=problem_responses(
        401,
        403,
        404,
        409,
        422,
        codes={
            **AUTH_CODES,
            404: ["api_key_not_found"],
            409: ["last_admin_key"],
            422: ["validation_error"],
        },
    ),
)
async def revoke(
    key_id: uuid.UUID, request: Request, session: SessionDep, caller: AdminCaller
) -> ApiKeyOut:
    """Revoke a key: it answers 401 from the next request on (other server processes remember
    a verified key for up to `ONESTOP_AUTH_CACHE_TTL_S`, 2 s by default). Repeating is a
    no-op."""
    key, changed = await revoke_key(session, key_id)
    if key is None:
        raise NotFound(f"No key {key_id}.", code="api_key_not_found", params={"key_id": key_id})
    forget_key(request, key_id)
    if changed:
        record(session, caller, "api_key.revoke", "api_key", str(key.id), {"role": key.role})
    return ApiKeyOut.of(key)
