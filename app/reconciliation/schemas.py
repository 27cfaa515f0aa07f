"""Reconciliation request and response bodies (docs/api.md "Reconciliation").

Amounts are 2-decimal strings, in requests too (``paid`` of a check). Figures of a reversal are
negative (it takes back what its settlement paid), so every net figure is the plain sum of the
events behind it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Final, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from app.engine import parse_scaled
from app.types import IsoDate

__all__ = [
    "TIME_ZONE",
    "CheckFundIn",
    "CheckIn",
    "CheckOut",
    "EventFund",
    "EventOut",
    "EventPage",
    "FundDifference",
    "FundFigures",
    "FundTotal",
    "IdDifference",
    "LedgerFund",
    "LedgerInCounty",
    "LedgerOut",
    "LedgerRow",
    "ReconciliationTotals",
    "SignedMoney",
    "Sums",
]

TIME_ZONE: Final = "Asia/Shanghai"  # Final: its type is the literal the models declare

MAX_CHECK_FUNDS = 100
MAX_CHECK_IDS = 50_000

_SIGNED = r"^-?[0-9]+(\.[0-9]{1,2})?$"


def _signed_fen(value: object) -> int:
    # A string only, as the schema says (money is text in this API): a JSON number, even an
    # integer, is refused (issue 11 item 10).
    if not isinstance(value, str):
        raise ValueError('amount must be a decimal string such as "-12.50"')
    try:
        number = parse_scaled(value, 2)
    except ValueError:
        raise ValueError("amount must be a plain decimal with at most 2 decimal places") from None
    if abs(number) > 10**14 * 100:
        raise ValueError("amount is too large")
    return number


SignedMoney = Annotated[
    int,
    BeforeValidator(_signed_fen),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _SIGNED,
            "examples": ["14640.00"],
            "description": "Amount in yuan, at most 2 decimals; negative when reversals outweigh.",
        }
    ),
]

Amount = Annotated[str, Field(pattern=_SIGNED, examples=["14640.00"])]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Sums(BaseModel):
    """Figures of a set of events. In ``reversals`` the amounts are negative (as in the details)."""

    count: int = Field(description="Number of events")
    total: Amount = Field(description="医疗费总额")
    hospital_borne: Amount = Field(description="医院承担 (不合规)")
    in_policy: Amount = Field(description="政策范围内费用")
    fund_paid: Amount = Field(description="基金支付合计")
    self_pay: Amount = Field(description="个人现金支付")


class FundTotal(BaseModel):
    fund_code: str = Field(examples=["390100"])
    fund_name: str = Field(examples=["城乡居民基本医疗保险基金"])
    count: int = Field(
        description="Net number of events in which this fund paid a non-zero amount: "
        "settlements minus reversals"
    )
    paid: Amount = Field(description="Net amount the fund paid: settled_paid + reversed_paid")
    settled_count: int
    settled_paid: Amount
    reversed_count: int
    reversed_paid: Amount = Field(description="Negative (or 0.00): what reversals took back")


class ReconciliationTotals(BaseModel):
    """对总账. Net figures (settlements minus reversals in the range) at the top level."""

    hospital_code: str | None = Field(description="null: every hospital")
    date_from: dt.date
    date_to: dt.date
    time_zone: Literal["Asia/Shanghai"] = TIME_ZONE
    count: int = Field(description="Net: settlements minus reversals")
    total: Amount
    hospital_borne: Amount
    in_policy: Amount
    fund_paid: Amount
    self_pay: Amount
    funds: list[FundTotal] = Field(description="Per fund code, in policy layer order")
    settlements: Sums = Field(description="Settlement events alone")
    reversals: Sums = Field(description="Reversal events alone (negative amounts)")


class EventFund(BaseModel):
    fund_code: str
    fund_name: str
    paid: Amount


class EventOut(BaseModel):
    """One row of 对明细账: a settlement (+) or a reversal (−) event. Rows never change."""

    event: Literal["settlement", "reversal"]
    sign: Literal[1, -1] = Field(description="1 for a settlement, -1 for a reversal")
    day: dt.date = Field(description="The Asia/Shanghai calendar day the event counts on")
    event_at: dt.datetime = Field(description="settled_at or reversed_at, in +08:00")
    settlement_id: uuid.UUID
    hospital_code: str
    bill_no: str
    setl_id: str = Field(
        description="The record's national-interface number (结算ID): the settlement's, or on a "
        "reversal event the reversal record's own",
        examples=["S000000000000042"],
    )
    mdtrt_id: str | None = Field(
        description="The visit (就诊ID) of a settlement made through the national interface; "
        "null for a /v1 bill"
    )
    discharge_date: dt.date
    settled_at: dt.datetime
    reversed_at: dt.datetime | None = Field(description="Set on reversal events only")
    total: Amount
    hospital_borne: Amount
    in_policy: Amount
    fund_paid: Amount
    self_pay: Amount
    funds: list[EventFund] = Field(description="Every fund of the settlement, in layer order")


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: str = Field(
        description="Pass as `cursor` to continue after the last item. Always set: once "
        "`has_more` is false, keep it to fetch later only the events committed since."
    )
    has_more: bool = Field(description="More events were already available after this page")
    time_zone: Literal["Asia/Shanghai"] = TIME_ZONE


class CheckFundIn(_In):
    fund_code: str = Field(pattern=r"^[A-Za-z0-9._-]{1,16}$", examples=["390100"])
    count: int = Field(
        strict=True, description="Net number of events in which the fund paid (as in totals)"
    )
    paid: SignedMoney


class CheckIn(_In):
    """A hospital's own books for a range (对账申请)."""

    hospital_code: str = Field(pattern=r"^[A-Za-z0-9._-]{1,32}$", examples=["H510402001"])
    date_from: IsoDate = Field(description="First day, Asia/Shanghai")
    date_to: IsoDate = Field(description="Last day (inclusive), Asia/Shanghai")
    funds: list[CheckFundIn] = Field(
        max_length=MAX_CHECK_FUNDS,
        description="Net count and paid per fund; a fund left out counts as 0 and 0.00",
    )
    settlement_ids: list[uuid.UUID] | None = Field(
        default=None,
        max_length=MAX_CHECK_IDS,
        description="Optional: ids of the settlements made in the range (settlement events)",
    )
    reversed_settlement_ids: list[uuid.UUID] | None = Field(
        default=None,
        max_length=MAX_CHECK_IDS,
        description="Optional: ids of the settlements reversed in the range (reversal events)",
    )

    @model_validator(mode="after")
    def _unique_funds(self) -> CheckIn:
        seen: set[str] = set()
        for fund in self.funds:
            if fund.fund_code in seen:
                raise ValueError(f"fund_code {fund.fund_code} appears twice")
            seen.add(fund.fund_code)
        return self


class FundFigures(BaseModel):
    count: int
    paid: Amount


class FundDifference(BaseModel):
    fund_code: str
    fund_name: str | None = Field(description="null for a fund code the service never recorded")
    submitted: FundFigures
    recorded: FundFigures


class IdDifference(BaseModel):
    only_submitted: list[uuid.UUID] = Field(
        description="Sent by the hospital, but no such event here (sorted, at most 1000)"
    )
    only_submitted_count: int
    only_recorded: list[uuid.UUID] = Field(
        description="Recorded here, but not sent by the hospital (sorted, at most 1000)"
    )
    only_recorded_count: int


class CheckOut(BaseModel):
    result: Literal["match", "mismatch"]
    hospital_code: str
    date_from: dt.date
    date_to: dt.date
    time_zone: Literal["Asia/Shanghai"] = TIME_ZONE
    funds: list[FundDifference] = Field(description="Only the funds whose figures differ")
    settlements: IdDifference | None = Field(description="When settlement_ids were sent")
    reversals: IdDifference | None = Field(description="When reversed_settlement_ids were sent")


class LedgerFund(BaseModel):
    fund_code: str
    fund_name: str
    paid: Amount


class LedgerInCounty(BaseModel):
    """县域内: the hospital is in the person's county, where the 10% target applies."""

    count: int
    in_policy: Amount
    in_policy_self_pay: Amount
    in_policy_self_pay_ratio: str = Field(
        examples=["0.0300"], description="in_policy_self_pay / in_policy, 4 decimals"
    )
    above_target_count: int = Field(
        description="Settlements whose in-policy self-pay exceeds the target the tilted layer "
        "recorded (round(in_policy × target ratio)); should be 0"
    )


class LedgerRow(BaseModel):
    county_code: str = Field(description="The person's county (参保地)")
    month: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$", examples=["2018-06"])
    count: int = Field(description="Registered-poor inpatient settlements that stand")
    in_policy: Amount
    self_pay: Amount
    in_policy_self_pay: Amount
    in_county: LedgerInCounty
    funds: list[LedgerFund]


class LedgerOut(BaseModel):
    """管理台帐: how registered-poor inpatients are covered, per county and month."""

    county_code: str | None
    date_from: dt.date
    date_to: dt.date
    time_zone: Literal["Asia/Shanghai"] = TIME_ZONE
    rows: list[LedgerRow]
