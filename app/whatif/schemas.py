"""The what-if request and job bodies (docs/api.md "What-if")."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.types import CountyCode, IsoDate

__all__ = ["JobOut", "WhatIfCreated", "WhatIfIn"]


class WhatIfIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    policy: str | dict[str, Any] = Field(
        description="The draft policy document: its YAML text (as in `policies/`) in a string, "
        "or the same document as a JSON object (every amount and ratio a quoted string)."
    )
    date_from: IsoDate = Field(description="First day of settlement, Asia/Shanghai")
    date_to: IsoDate = Field(description="Last day (inclusive), Asia/Shanghai")
    county_code: CountyCode | None = Field(
        default=None, description="Only the persons of this county (参保地) in the result"
    )
    hospital_code: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9._-]{1,32}$",
        description="Only this hospital's settlements in the result",
    )


class WhatIfCreated(BaseModel):
    id: uuid.UUID


class Progress(BaseModel):
    done: int = Field(description="Settlements compared so far")
    total: int | None = Field(description="Settlements to compare (null until counted)")


class JobError(BaseModel):
    code: str = Field(
        description="`orphaned` (its process stopped), `invariant_violation`, `query_timeout`, "
        "`database_unavailable` or `replay_failed`"
    )
    detail: str | None


class JobRequest(BaseModel):
    policy_id: str
    content_hash: str
    date_from: dt.date
    date_to: dt.date
    county_code: str | None
    hospital_code: str | None


class JobOut(BaseModel):
    id: uuid.UUID
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    progress: Progress
    request: JobRequest
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    expires_at: dt.datetime = Field(description="The job and its result are deleted after this")
    result: dict[str, Any] | None = Field(
        description='When done: the comparison (docs/what-if.md "Result"): `funds`, '
        "`fund_paid`, `self_pay` (actual, what_if, delta), `target` (the registered poor's "
        "in-county bills above the tilted target), `by_county_month`, `top_changes`"
    )
    error: JobError | None
