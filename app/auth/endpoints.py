"""API keys (admin): create (the secret is shown once)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.auth.deps import AdminCaller
from app.db.session import SessionDep
from app.errors import Unprocessable, problem_responses
from app.registry.models import Hospital

from .service import create_key

router = APIRouter(prefix="/v1/api-keys", tags=["api keys 密钥"])


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["hospital", "agency", "admin"]
    hospital_code: str | None = Field(
        default=None, description="Required for (and only for) role hospital"
    )
    label: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _bound(self) -> ApiKeyIn:
        if (self.role == "hospital") != (self.hospital_code is not None):
            raise ValueError(
                "hospital_code is required for role hospital and not allowed otherwise"
            )
        return self


class ApiKeyCreated(BaseModel):
    id: uuid.UUID
    key: str = Field(description="The secret: shown only in this response, stored as a hash")
    role: str
    hospital_code: str | None
    label: str | None
    created_at: dt.datetime


@router.post(
    "", status_code=201, operation_id="createApiKey", responses=problem_responses(401, 403, 422)
)
async def create(body: ApiKeyIn, session: SessionDep, caller: AdminCaller) -> ApiKeyCreated:
    if body.hospital_code is not None and await session.get(Hospital, body.hospital_code) is None:
        raise Unprocessable(
            "No such hospital.",
            code="unknown_hospital",
            errors=[{"loc": ["body", "hospital_code"], "msg": "unknown hospital code"}],
        )
    key, secret = await create_key(session, body.role, body.hospital_code, body.label)
    await session.refresh(key, ["created_at"])
    return ApiKeyCreated(
        id=key.id,
        key=secret,
        role=key.role,
        hospital_code=key.hospital_code,
        label=key.label,
        created_at=key.created_at,
    )
