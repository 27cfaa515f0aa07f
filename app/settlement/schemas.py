"""Settlement request and response bodies (API.md "Settlement")."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from app.types import Money, Price, Quantity

__all__ = [
    "ItemIn",
    "LayerOut",
    "PatientIn",
    "PatientOut",
    "ReversalIn",
    "SettlementIn",
    "SettlementOut",
    "TotalsOut",
]

MAX_ITEMS = 5000


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ItemIn(_In):
    seq: int = Field(ge=1, le=10**6, strict=True, description="Line number on the bill, unique")
    code: str = Field(
        pattern=r"^[A-Za-z0-9._-]{1,64}$", description="医保目录编码", examples=["XA01"]
    )
    name: str = Field(default="", max_length=200)
    unit_price: Price
    quantity: Quantity
    amount: Money = Field(description="Must equal round(unit_price × quantity) to the fen")
    hospital_borne: StrictBool = Field(default=False, description="不合规: borne by the hospital")

    @field_validator("quantity")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("quantity must be positive")
        return value


class PatientIn(_In):
    id_number: str = Field(
        pattern=r"^\d{17}[\dX]$",
        description="18-digit resident ID (GB 11643)",
        examples=["510402195001010014"],
    )
    name: str | None = Field(default=None, max_length=100)


class SettlementIn(_In):
    hospital_code: str = Field(pattern=r"^[A-Za-z0-9._-]{1,32}$", examples=["H510402001"])
    bill_no: str = Field(
        pattern=r"^[A-Za-z0-9._/-]{1,64}$",
        description="住院号/结算单号, unique per hospital",
        examples=["ZY2018060001"],
    )
    patient: PatientIn
    admission_date: dt.date
    discharge_date: dt.date = Field(
        description="Chooses the policy version and the accumulator year"
    )
    referral: StrictBool = Field(
        default=False, description="转诊: out-of-county with referral keeps the full ratio"
    )
    items: list[ItemIn] = Field(min_length=1, max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _unique_seq(self) -> SettlementIn:
        seen: set[int] = set()
        for item in self.items:
            if item.seq in seen:
                raise ValueError(f"item seq {item.seq} appears twice")
            seen.add(item.seq)
        return self


class ReversalIn(_In):
    reason: str | None = Field(
        default=None, max_length=500, description="Why the settlement is reversed"
    )


class PatientOut(BaseModel):
    id_number: str = Field(
        description="Masked: first 4 and last 4 characters", examples=["5104**********0014"]
    )
    categories: list[str] = Field(description="Categories valid on the discharge date")
    in_county: bool = Field(description="县域内: the hospital's county is the person's county")


class TotalsOut(BaseModel):
    total: str
    hospital_borne: str
    full_self_pay: str
    over_limit: str
    pre_self_pay: str
    in_policy: str


class LayerOut(BaseModel):
    layer: str
    fund_code: str
    fund_name: str
    base: str
    paid: str
    left: str
    params: dict[str, str | None]
    rule: str
    reason: str | None


class SettlementOut(BaseModel):
    settlement_id: uuid.UUID | None = Field(description="null for a preview")
    status: Literal["preview", "settled", "reversed"]
    hospital_code: str
    bill_no: str
    policy_version: str
    policy_hash: str
    settled_at: dt.datetime | None
    reversed_at: dt.datetime | None = None
    admission_date: dt.date
    discharge_date: dt.date
    accumulator_year: int
    patient: PatientOut
    totals: TotalsOut
    layers: list[LayerOut]
    fund_paid: str
    self_pay: str = Field(description="What the patient pays at the window (个人自付现金)")
    in_policy_self_pay: str
    in_policy_self_pay_ratio: str = Field(examples=["0.0300"])
