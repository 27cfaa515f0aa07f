"""Request and response bodies of ``/v1/work-injury`` (docs/work-injury.md). Amounts are yuan
strings with 2 decimals on the wire and integer fen inside (``Money``/``MoneyOut``); dates are
``YYYY-MM-DD``; unknown fields are refused."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from app.types import CountyCode, IsoDate, Money, MoneyOut, RatioOut, Text, _scaled, _schema

__all__ = [
    "ApplicationIn",
    "ApplicationOut",
    "CaseIn",
    "CaseOut",
    "DecisionIn",
    "EmployerPaymentIn",
    "ProjectIn",
    "ProjectOut",
    "RecoveryIn",
    "RecoveryOut",
    "ReminderIn",
    "RepaymentIn",
    "WorkInjuryLedgerOut",
    "WriteOffIn",
]

# A contract price may exceed a bill line's bound (app.bounds): up to 999,999,999,999.99 yuan.
CONTRACT_PRICE_MAX_FEN = 99_999_999_999_999
ContractPrice = Annotated[
    int,
    BeforeValidator(_scaled(2, "amount", maximum=CONTRACT_PRICE_MAX_FEN, bounded=True)),
    _schema(r"^[0-9]+(\.[0-9]{1,2})?$", "12000000.00", "Contract price in yuan, 2 decimals."),
]

Key = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
CreditCode = Annotated[
    str,
    Field(
        pattern=r"^[0-9A-Z]{18}$",
        description="统一社会信用代码 (18 characters, digits and capital letters)",
        examples=["91510400MA6200001X"],
    ),
]
IdNumberText = Annotated[str, Field(pattern=r"^[0-9]{17}[0-9X]$", examples=["510402195001010014"])]
PathName = Literal["employer_unpaid", "third_party_unpaid", "third_party_unknown"]
Trigger = Literal["licence_revoked", "refuses", "court_suspension", "other"]
ItemCode = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,32}$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RosterIn(_In):
    id_number: IdNumberText = Field(
        description="Worker's ID number; must be in the person registry"
    )
    on_from: IsoDate = Field(description="First day on the project (进场)")
    on_to: IsoDate | None = Field(default=None, description="Last day (退场), or null")

    @model_validator(mode="after")
    def _ordered(self) -> RosterIn:
        if self.on_to is not None and self.on_to < self.on_from:
            raise ValueError("on_to must not be before on_from")
        return self


class ProjectIn(_In):
    """A construction project insured by project (按项目参保)."""

    project_no: Key = Field(
        description="Project number (项目编号): the retry key", examples=["XM2018001"]
    )
    name: Annotated[str, Text(200, min_length=1)] = Field(examples=["米易县安置房一期"])
    county_code: CountyCode
    contractor_name: Annotated[str, Text(200, min_length=1)] = Field(description="施工总承包单位")
    contractor_code: CreditCode
    contract_price: ContractPrice = Field(description="Contract price (工程合同价), yuan")
    premium_paid_on: IsoDate = Field(description="Day the premium was paid: not after work starts")
    work_start_on: IsoDate = Field(description="Day work starts (开工日期)")
    cover_from: IsoDate = Field(description="First day of cover (参保期间)")
    cover_to: IsoDate = Field(description="Last day of cover")
    workers: list[RosterIn] = Field(default_factory=list, max_length=5000, description="花名册")

    @model_validator(mode="after")
    def _dates(self) -> ProjectIn:
        if self.cover_to < self.cover_from:
            raise ValueError("cover_to must not be before cover_from")
        numbers = [w.id_number for w in self.workers]
        if len(numbers) != len(set(numbers)):
            raise ValueError("workers list an ID number twice")
        return self


class RosterOut(BaseModel):
    id_number: str = Field(description="ID number, masked (5104**********0011)")
    on_from: dt.date
    on_to: dt.date | None


class ProjectOut(BaseModel):
    project_no: str
    name: str
    county_code: str
    contractor_name: str
    contractor_code: str
    contract_price: MoneyOut
    rate: str = Field(description="Premium rate (费率) of the rules in force on the work-start day")
    rate_source: str
    premium: MoneyOut = Field(description="round(contract price × rate), half up, to the fen")
    premium_paid_on: dt.date
    work_start_on: dt.date
    cover_from: dt.date
    cover_to: dt.date
    workers: list[RosterOut]


class CaseIn(_In):
    """An injury case with its 工伤认定 decision."""

    case_no: Key = Field(
        description="Case number (案件编号): the retry key", examples=["GS2018001"]
    )
    id_number: IdNumberText = Field(description="The worker; must be in the person registry")
    county_code: CountyCode = Field(description="The agency's county (统筹地): the ledger's county")
    employer_name: Annotated[str, Text(200, min_length=1)]
    employer_code: CreditCode
    project_no: Key | None = Field(default=None, description="The project, if injured on one")
    injury_date: IsoDate
    recognition_no: Annotated[str, Text(64, min_length=1)] = Field(description="工伤认定决定书号")
    recognition_date: IsoDate
    third_party_liable: bool = Field(
        description="A third party caused the injury (社会保险法 art. 42)"
    )
    employer_insured: bool | None = Field(
        default=None,
        description="Employer had paid premiums at the time; with project_no it is derived "
        "(covered on the day and on the roster) and must be null",
    )

    @model_validator(mode="after")
    def _check(self) -> CaseIn:
        if self.recognition_date < self.injury_date:
            raise ValueError("recognition_date must not be before injury_date")
        if (self.project_no is None) == (self.employer_insured is None):
            raise ValueError("give employer_insured without project_no, and only then")
        return self


class ClaimIn(_In):
    item_code: ItemCode = Field(examples=["medical"])
    amount: Money


class ApplicationIn(_In):
    """An application for an advance (先行支付申请), 人社部令第15号."""

    path: PathName = Field(
        description="employer_unpaid (社会保险法 art. 41; 15号令 arts. 6-8), third_party_unpaid or "
        "third_party_unknown (art. 42; 15号令 arts. 4-5)"
    )
    trigger: Trigger | None = Field(
        default=None, description="15号令 art. 6 (一)-(四); employer path only"
    )
    applicant: Literal["worker", "relative"]
    applied_on: IsoDate
    claims: list[ClaimIn] = Field(
        min_length=1, max_length=20, description="Items and amounts claimed"
    )
    yb_advance: Money = Field(default=0, description="Already advanced by 医保 (15号令 art. 5)")

    @model_validator(mode="after")
    def _unique(self) -> ApplicationIn:
        codes = [c.item_code for c in self.claims]
        if len(codes) != len(set(codes)):
            raise ValueError("claims list an item twice")
        return self


class ReminderIn(_In):
    sent_on: IsoDate = Field(description="Day the written reminder (书面告知) was sent")


class EmployerPaymentIn(_In):
    paid_on: IsoDate
    amount: Money = Field(
        description="What the employer has paid IN ALL so far (a total, not an increment)"
    )


class DecisionIn(_In):
    decision: Literal["pay", "refuse"]
    decided_on: IsoDate = Field(description="Day of the decision; a pay decision pays on this day")
    reason: Annotated[str, Text(1000)] = Field(default="", description="Required for refuse")
    items: list[ClaimIn] = Field(
        default_factory=list, max_length=20, description="pay: the items advanced"
    )

    @model_validator(mode="after")
    def _shape(self) -> DecisionIn:
        if self.decision == "refuse" and (not self.reason or self.items):
            raise ValueError("a refusal has a reason and no items")
        if self.decision == "pay" and not self.items:
            raise ValueError("a pay decision lists its items")
        codes = [i.item_code for i in self.items]
        if len(codes) != len(set(codes)):
            raise ValueError("items list an item twice")
        return self


class RecoveryIn(_In):
    debtor: Literal["employer", "third_party", "person"]
    debtor_name: Annotated[str, Text(200, min_length=1)]
    ordered_on: IsoDate = Field(description="Day of the order to repay (责令偿还)")


class RepaymentIn(_In):
    repayment_no: Key = Field(description="The client's number for this repayment: the retry key")
    paid_on: IsoDate
    amount: Money


class WriteOffIn(_In):
    written_off_on: IsoDate
    approval_ref: Annotated[str, Text(200, min_length=1)] = Field(description="财政 consent (文号)")


class ItemOut(BaseModel):
    item_code: str
    name: str
    amount: MoneyOut


class ReminderOut(BaseModel):
    sent_on: dt.date
    late: bool = Field(description="Sent after the 3-working-day limit")
    employer_due_on: dt.date
    employer_paid: MoneyOut
    employer_paid_on: dt.date | None


class DecisionOut(BaseModel):
    decision: str
    decided_on: dt.date
    reason: str
    items: list[ItemOut]
    total: MoneyOut
    yb_refund: MoneyOut = Field(description="Of the total, refunded to the 医保 fund")
    to_worker: MoneyOut


class RepaymentOut(BaseModel):
    repayment_no: str
    paid_on: dt.date
    amount: MoneyOut


class RecoveryOut(BaseModel):
    id: int
    debtor: str
    debtor_name: str
    ordered_on: dt.date
    due_on: dt.date
    amount: MoneyOut
    repaid: MoneyOut
    written_off: MoneyOut
    outstanding: MoneyOut
    status: str = Field(description="open, overdue (derived, as of today), repaid, written_off")
    written_off_on: dt.date | None
    approval_ref: str | None
    repayments: list[RepaymentOut]


class ApplicationOut(BaseModel):
    id: int
    case_no: str
    path: str
    trigger: str | None
    applicant: str
    applied_on: dt.date
    claims: list[ItemOut]
    claimed: MoneyOut
    yb_advance: MoneyOut
    reminder_needed: bool
    reminder_due_on: dt.date | None
    status: str
    reminder: ReminderOut | None
    decision: DecisionOut | None
    recovery: RecoveryOut | None


class CaseOut(BaseModel):
    case_no: str
    id_number: str = Field(description="Masked")
    name: str
    county_code: str
    employer_name: str
    employer_code: str
    project_no: str | None
    injury_date: dt.date
    recognition_no: str
    recognition_date: dt.date
    third_party_liable: bool
    employer_insured: bool
    poor_worker: bool
    poor_category: str | None
    open: bool
    advanced: MoneyOut
    recovered: MoneyOut
    written_off: MoneyOut
    outstanding: MoneyOut
    applications: list[ApplicationOut]


class WorkInjuryLedgerRow(BaseModel):
    county_code: str
    cases: int
    open_cases: int
    poor_cases: int
    advanced: MoneyOut
    recovered: MoneyOut
    outstanding: MoneyOut
    overdue: MoneyOut
    written_off: MoneyOut
    poor_advanced: MoneyOut
    poor_share: RatioOut | None = Field(
        description="poor_advanced ÷ advanced (4 decimals), null if none"
    )


class WorkInjuryLedgerOut(BaseModel):
    as_of: dt.date
    rows: list[WorkInjuryLedgerRow]
    total: WorkInjuryLedgerRow


class CaseRowOut(BaseModel):
    """A case in a list, with its money as of today."""

    case_no: str
    county_code: str
    injury_date: dt.date
    employer_name: str
    name: str = Field(description="The worker's name")
    poor_worker: bool
    advanced: MoneyOut
    recovered: MoneyOut
    written_off: MoneyOut
    outstanding: MoneyOut
    overdue: MoneyOut
    open: bool
